"""The Writer base class: one subclass per format, atomic writes for all of them."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import ClassVar

from ..config import Config
from ..document import Document
from ..errors import WriteError
from ..fileio import copy_into, is_special

# Errors that say the edition's file cannot be written, whatever the writer was doing.
_WRITE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM,
     errno.EISDIR, errno.ENOTDIR}
)  # fmt: skip
# Deeper than the readers ever produce (their sanitiser flattens below 48 levels) and well
# inside what WeasyPrint's recursive layout and libxml2's parsers take.
MAX_DEPTH = 64


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _folder_problem(target: Path, exc: OSError) -> str:
    """Say which part of the output path is in the way ("build is a file, not a folder")."""
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        for parent in reversed(target.parents):
            if parent.exists() and not parent.is_dir():
                return f"{parent} is a file, not a folder"
    return _reason(exc)


def within_depth(doc: Document) -> Document:
    """Return ``doc``, or a copy flattened below MAX_DEPTH levels if it nests deeper."""
    from ..readers.sanitise import limit_depth

    # An XPath of MAX_DEPTH + 1 steps, evaluated in C: true when any element sits that deep.
    if not doc.body.xpath("boolean(" + "/".join(["*"] * (MAX_DEPTH + 1)) + ")"):
        return doc
    flat = doc.copy()
    limit_depth(flat.body, MAX_DEPTH)
    return flat


class Writer:
    """Renders a Document into one file format.

    Subclasses set ``name`` and ``extension`` and implement ``write_file``. ``write`` makes
    the file appear atomically: it is written to a temporary file in the target folder and
    renamed into place, so a crash never leaves a half-written edition or destroys the
    previous good one. A writer never changes the Document it is given.
    """

    name: ClassVar[str] = ""
    extension: ClassVar[str] = ""
    media_type: ClassVar[str] = "application/octet-stream"

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    def write(self, doc: Document, target: str | Path) -> Path:
        """Write ``doc`` to ``target`` atomically and return the target path.

        OS failures (the folder cannot be made, the disk is full, the target is a folder)
        become a one-line WriteError; the temporary file goes whatever happens, Ctrl-C
        included, and the previous edition at ``target`` stays until the new one is whole.
        """
        target = Path(target)
        doc = within_depth(doc)
        if is_special(target):  # -o /dev/stdout, /dev/null, a pipe: written into, not replaced
            return self._write_into(doc, target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
        except OSError as exc:
            raise WriteError(f"cannot write {target}: {_folder_problem(target, exc)}",
                             doc.source) from None
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            self.write_file(doc, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError as exc:
            if exc.errno not in _WRITE_ERRNOS and exc.filename not in (str(tmp), str(target)):
                raise  # not about this edition's file: a bug or a missing style, not the disk
            raise WriteError(f"cannot write {target}: {_reason(exc)}", doc.source) from None
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def _write_into(self, doc: Document, target: Path) -> Path:
        """Render into a private temporary file, then stream it into the device or pipe."""
        with tempfile.TemporaryDirectory(prefix="converter-") as folder:
            tmp = Path(folder) / f"edition{self.extension}"
            self.write_file(doc, tmp)
            try:
                copy_into(tmp, target)
            except OSError as exc:
                raise WriteError(f"cannot write {target}: {_reason(exc)}", doc.source) from None
        return target

    def begin(self, doc: Document) -> None:
        """Start work another process can do for ``doc`` (pandoc's conversion), so it runs
        while other editions render; the ``write`` that follows collects it. Optional: a
        ``write`` without ``begin`` does everything itself. Writers without such work do
        nothing here."""

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the edition to ``path`` (a temporary file); subclasses implement this."""
        raise NotImplementedError
