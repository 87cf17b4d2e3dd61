"""Import WeasyPrint without the ~50 processes its library lookups start.

    import_weasyprint()      # first call: ~0.5 s; later calls: nothing
    from weasyprint import HTML

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying several names
per library ("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", ...). For each name that is
not a file, cffi asks ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and,
when that finds nothing, ``gcc`` and ``ld``: about 50 processes and 0.3-0.5 s for every
converter process (measured: importing WeasyPrint 0.95 s -> 0.50 s wall).

During the import, lookups are answered from one ``ldconfig -p`` listing, with the same
pattern ``find_library`` applies to it, and a name the listing lacks is simply not found
(no gcc, no ld). Nothing is lost on Linux: each of WeasyPrint's name lists also holds the
library's soname ("libharfbuzz-subset.so.0"), which cffi hands straight to dlopen, whose
search covers LD_LIBRARY_PATH and the loader's own paths. If the import fails all the same
(a system without ldconfig, an unusual soname), WeasyPrint is imported again the ordinary way.
"""

from __future__ import annotations

import ctypes.util
import io
import os
import re
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from types import ModuleType

_lock = threading.Lock()

# ctypes.util._findSoname_ldconfig's ABI tags: which ldconfig entries suit this interpreter.
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def _ldconfig_listing() -> bytes | None:
    try:
        done = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={"LC_ALL": "C", "LANG": "C"},
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def listing_lookup(listing: bytes) -> Callable[[str], str | None]:
    """Return a find_library that searches ``listing`` (``ldconfig -p`` output) only."""
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    abi = _ABI.get(os.uname().machine + bits, "libc6")

    def find_library(name: str) -> str | None:
        if os.fsencode(f"lib{name}.") not in listing:  # most of WeasyPrint's names: cheap no
            return None
        pattern = os.fsencode(r"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name), abi))
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


@contextmanager
def _lookups_from(listing: bytes) -> Iterator[None]:
    original = ctypes.util.find_library
    ctypes.util.find_library = listing_lookup(listing)
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> ModuleType:
    """Import WeasyPrint once per process, quickly when the ldconfig cache has its libraries."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    with _lock:
        module = sys.modules.get("weasyprint")
        if module is not None:
            return module
        listing = _ldconfig_listing() if sys.platform.startswith("linux") else None
        if listing is not None:
            try:
                # On failure WeasyPrint prints installation advice; the retry speaks for it.
                with _lookups_from(listing), redirect_stdout(io.StringIO()):
                    import weasyprint

                return weasyprint
            except OSError:
                # Submodules that did import are complete; the failed ones are gone from
                # sys.modules, so the ordinary import below starts them afresh.
                pass
        import weasyprint

        return weasyprint
