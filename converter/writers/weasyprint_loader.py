"""Import WeasyPrint without the ~50 processes its library lookups start.

    import_weasyprint()      # first call: ~0.5 s; later calls: nothing
    from weasyprint import HTML

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying several names
per library ("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", ...). For each name that is
not a file, cffi asks ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and,
when that finds nothing, ``gcc`` and ``ld``: about 50 processes and 0.3-0.5 s for every
converter process (measured: importing WeasyPrint 0.95 s -> 0.50 s wall).

During the import, lookups are answered from one ``ldconfig -p`` listing (run at the first
lookup; with the compiled declarations below cffi's C backend opens the libraries by name
and never looks one up, so no process runs at all), with the same pattern ``find_library``
applies to it, and a name the listing lacks is simply not found (no gcc, no ld). Nothing is lost on Linux: each of WeasyPrint's name lists also holds the
library's soname ("libharfbuzz-subset.so.0"), which cffi hands straight to dlopen, whose
search covers LD_LIBRARY_PATH and the loader's own paths. If the import fails all the same
(a system without ldconfig, an unusual soname), WeasyPrint is imported again the ordinary way.

WeasyPrint's C declarations, compiled once per machine: WeasyPrint declares Pango, HarfBuzz
and fontconfig to cffi in "ABI in-line" mode, where cffi parses C text with pycparser (in
Python): the declarations at every import (~0.08 s), and every type string a later
``ffi.new`` names for the first time. WeasyPrint's font subsetting names arrays by their
length (``ffi.new(f"hb_codepoint_t[{n}]", ...)``), so each PDF pays two or three new parses
per font, ~3.4 ms each: ~0.03 s per article, a tenth of a short article's PDF. cffi's
"out-of-line ABI" mode holds the same declarations pre-parsed, and its FFI (cffi's C
backend) parses such type strings in C (~0.01 ms). During the import, the ``cffi.FFI()``
WeasyPrint's ``text/ffi.py`` makes is such an FFI, built from WeasyPrint's own declaration
text by cffi's own generator (``set_source(name, None)``) and cached under
~/.cache/converter keyed by the text's SHA-256 and cffi's version; the cache holds only
literals (read with ``ast.literal_eval``, never executed). The libraries, functions, types
and constants are the same; only the parsing moves. Anything unexpected falls back to
cffi's ordinary FFI.

fontTools' subsetter, loaded when first used: ``weasyprint.pdf.fonts`` imports
``fontTools.subset`` (with its table modules: ~85 ms of every process's start-up, measured
with ``python -X importtime``) for its fallback subsetter only; WeasyPrint subsets with
HarfBuzz whenever libharfbuzz-subset >= 4.1 is present, as .ci/system-deps makes sure. The
module is registered with the standard library's ``importlib.util.LazyLoader`` before
WeasyPrint is imported, so WeasyPrint's ``from fontTools import subset`` binds a module that
runs its code at the first attribute WeasyPrint reads from it, i.e. only if the fallback
is ever taken. Nothing else changes: the same module, the same code, only later.

Stream compression at zlib's default level: pydyf, WeasyPrint's PDF writer, deflates every
stream (page contents, embedded font subsets) at level 9. Measured on the streams of ten
short articles' PDFs (2.1 MB raw): level 9 117 ms, level 6 41 ms, 0.41 MB either way (level 6
is 1.2% larger), so level 9 costs 8 ms a PDF for nothing a reader sees. After the import
pydyf's ``zlib`` is a stand-in that turns level 9 into level 6 (zlib's own default) and
passes everything else to zlib unchanged; PDFs stay byte-reproducible (the same input gives
the same stream bytes at either level).
"""

from __future__ import annotations

import ast
import ctypes.util
import hashlib
import importlib.util
import io
import logging
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

from .. import cache
from ..fileio import write_atomic

log = logging.getLogger("converter")

_lock = threading.Lock()

# Where compiled declarations are kept; None means cache.root() (tests point it elsewhere).
cache_dir: Path | None = None
# The module whose cffi.FFI() gets the compiled declarations.
_FFI_MODULE = "weasyprint.text.ffi"
# Set to False to import WeasyPrint with cffi's ordinary FFI (tests compare both).
compiled_ffi = True

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
def _lookups_from_ldconfig() -> Iterator[None]:
    """While importing: find_library answers from one ``ldconfig -p`` listing, run on the
    first lookup (with the compiled declarations cffi never looks up: no process at all);
    without a listing, the ordinary find_library answers."""
    original = ctypes.util.find_library
    lookup: list[Callable[[str], str | None]] = []

    def find_library(name: str) -> str | None:
        if not lookup:
            listing = _ldconfig_listing()
            lookup.append(listing_lookup(listing) if listing is not None else original)
        return lookup[0](name)

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


# -- compiled declarations ---------------------------------------------------------------------


def _ffi_arguments(code: str) -> tuple[str, dict[str, Any]]:
    """Return (module name, keyword arguments) of the ``_cffi_backend.FFI(...)`` call in the
    code cffi's ``emit_python_code`` writes; literals only, nothing is executed."""
    for node in ast.walk(ast.parse(code)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "FFI" and len(node.args) == 1):
            name = ast.literal_eval(node.args[0])
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords
                      if kw.arg is not None}
            if isinstance(name, str) and kwargs:
                return name, kwargs
    raise ValueError("no FFI(...) call in the generated declarations")


def _emit(source: str, name: str) -> str:
    """Return the out-of-line ABI module cffi generates for ``source`` (parses it once)."""
    builder = _ordinary_ffi()
    builder.cdef(source)
    builder.set_source(name, None)
    with tempfile.TemporaryDirectory(prefix="converter-ffi-") as tmp:
        target = Path(tmp) / f"{name}.py"
        with redirect_stdout(io.StringIO()):  # cffi prints "generating ..."
            builder.emit_python_code(str(target))
        return target.read_text(encoding="utf-8")


def compile_declarations(source: str) -> Any:
    """Return a cffi backend FFI holding ``source``'s declarations pre-parsed (cached)."""
    import _cffi_backend
    import cffi

    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    name = f"_converter_weasyprint_ffi_{digest}"
    root = cache.root(cache_dir)
    path = root / f"weasyprint-ffi-{digest}-cffi-{cffi.__version__}.py" if root else None
    code = None
    if path is not None and path.is_file():
        try:
            code = path.read_text(encoding="utf-8")
            module, kwargs = _ffi_arguments(code)
            return _cffi_backend.FFI(module, **kwargs)
        except (OSError, ValueError, SyntaxError, TypeError, UnicodeDecodeError) as exc:
            log.debug("compiled WeasyPrint declarations %s unreadable (%s); rebuilding", path, exc)
    code = _emit(source, name)
    module, kwargs = _ffi_arguments(code)
    ffi = _cffi_backend.FFI(module, **kwargs)
    if path is not None:
        _store(path, code)
    return ffi


def _store(path: Path, code: str) -> None:
    try:  # atomic: concurrent processes never read half a file
        write_atomic(path, code.encode("utf-8"), mode=0o600)
    except OSError as exc:
        log.debug("WeasyPrint declarations not cached: %s", exc)


_real_ffi_class: Any = None


def _ordinary_ffi() -> Any:
    import cffi

    return (_real_ffi_class or cffi.FFI)()


class _DeclaredFFI:
    """What ``cffi.FFI()`` returns to WeasyPrint's text/ffi.py during the import: ``cdef``
    swaps in the compiled FFI (or an ordinary one on any failure); everything else goes to it.
    After the import every module's ``ffi`` is the FFI itself, not this stand-in."""

    def __init__(self) -> None:
        self.target: Any = None

    def cdef(self, source: str, *args: Any, **kwargs: Any) -> None:
        if self.target is not None or args or kwargs:
            raise RuntimeError("unexpected cdef call")
        try:
            self.target = compile_declarations(source)
        except Exception as exc:  # noqa: BLE001 - cffi's ordinary path is always there
            log.debug("WeasyPrint declarations not compiled (%s); parsing them", exc)
            self.target = _ordinary_ffi()
            self.target.cdef(source)

    def __getattr__(self, name: str) -> Any:
        if self.target is None:
            raise AttributeError(name)
        return getattr(self.target, name)


@contextmanager
def _compiled_declarations() -> Iterator[list[_DeclaredFFI]]:
    """While importing: the FFI that weasyprint.text.ffi makes is a _DeclaredFFI."""
    import cffi

    global _real_ffi_class
    made: list[_DeclaredFFI] = []
    real = _real_ffi_class = cffi.FFI

    def ffi_factory(*args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__")
        if caller == _FFI_MODULE and not args and not kwargs and not made:
            made.append(_DeclaredFFI())
            return made[0]
        return real(*args, **kwargs)

    cffi.FFI = ffi_factory
    try:
        yield made
    finally:
        cffi.FFI = real
        _real_ffi_class = None


def _unwrap(made: list[_DeclaredFFI]) -> None:
    """Point every WeasyPrint module's ``ffi`` at the FFI itself instead of the stand-in."""
    if not made or made[0].target is None:
        return
    stand_in, target = made[0], made[0].target
    for name, module in list(sys.modules.items()):
        if (name == "weasyprint" or name.startswith("weasyprint.")) and module is not None:
            if getattr(module, "ffi", None) is stand_in:
                module.ffi = target


# Modules WeasyPrint imports that only its fallback paths use (see the module docstring).
_LOADED_ON_USE = ("fontTools.subset",)


def _load_on_use(name: str) -> None:
    """Register ``name`` so that its code runs at the first attribute read, not at import."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)  # as the import system does


# pydyf's hard-coded level and the one used instead (see the module docstring).
_PYDYF_LEVEL, STREAM_LEVEL = 9, 6


class _ZlibAtDefaultLevel:
    """zlib for pydyf: ``compressobj(level=9)`` compresses at STREAM_LEVEL, all else is zlib."""

    def __init__(self, module: ModuleType) -> None:
        self._zlib = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._zlib, name)

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return self._zlib.compressobj(STREAM_LEVEL if level == _PYDYF_LEVEL else level,
                                      *args, **kwargs)


def _compress_streams_at_default_level() -> None:
    try:
        import pydyf
    except ImportError:  # pragma: no cover - a dependency of WeasyPrint
        return
    real = getattr(pydyf, "zlib", None)
    if isinstance(real, ModuleType) and real.__name__ == "zlib":
        pydyf.zlib = _ZlibAtDefaultLevel(real)


def import_weasyprint() -> ModuleType:
    """Import WeasyPrint once per process, quickly when the ldconfig cache has its libraries."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        # Imported already, perhaps by the program using converter: pydyf still compresses
        # at level 6, so its PDFs are the bytes a converter process writes.
        _compress_streams_at_default_level()
        return module
    with _lock:
        module = sys.modules.get("weasyprint")
        if module is not None:
            _compress_streams_at_default_level()
            return module
        for name in _LOADED_ON_USE:
            _load_on_use(name)
        if sys.platform.startswith("linux"):
            try:
                # On failure WeasyPrint prints installation advice; the retry speaks for it.
                with _lookups_from_ldconfig(), redirect_stdout(io.StringIO()):
                    if compiled_ffi:
                        with _compiled_declarations() as made:
                            import weasyprint
                        _unwrap(made)
                    else:
                        import weasyprint
                _compress_streams_at_default_level()
                return weasyprint
            except OSError:
                # Submodules that did import are complete; the failed ones are gone from
                # sys.modules, so the ordinary import below starts them afresh.
                pass
        import weasyprint

        _compress_streams_at_default_level()
        return weasyprint
