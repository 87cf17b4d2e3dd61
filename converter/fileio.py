"""Writing output files: atomically for files, straight in for devices and pipes.

    write_atomic(Path("build/a.pdf"), data)   # temp file beside it, then rename
    write_atomic(Path("/dev/stdout"), data)   # a device or pipe is written into

Every edition, manifest, report and cache file is written to a temporary file in the target's folder
and renamed over the target, so a crash never leaves half a file and the previous good one
stays until the new one is whole. A target that exists and is not a regular file (a
character device such as /dev/null or /dev/stdout, a named pipe, a socket) cannot be
replaced that way: renaming over it would swap the device for a regular file (as root,
``-o /dev/null`` once replaced the machine's /dev/null). Such a target is opened and written
into instead.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path


def is_special(target: Path) -> bool:
    """True when ``target`` exists (symlinks followed) and is neither a file nor a folder."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_into(target: Path, data: bytes) -> None:
    """Write ``data`` into an existing device or pipe (no temporary file, no rename)."""
    with open(target, "wb") as fh:
        fh.write(data)


def copy_into(source: Path, target: Path) -> None:
    """Stream the file ``source`` into the device or pipe ``target``."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)


def write_atomic(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``target``: temp file beside it, then rename (devices: written into).

    ``mode``: the new file's permissions (the per-machine caches use 0o600)."""
    target = Path(target)
    if is_special(target):
        write_into(target, data)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
