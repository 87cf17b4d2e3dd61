"""Readers: one module per input kind; ``read_document`` picks one by file extension."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..document import Document
from ..errors import InputError, UnsupportedInputError
from .encoding import clean_text, decode_bytes
from .html import read_html
from .markdown import read_markdown
from .text import read_text

Reader = Callable[[str, Path | None], Document]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
}

DEFAULT_MAX_BYTES = 50_000_000  # the CLI's --max-size 50MB (decimal units, as _size reads them)


def supported(path: Path) -> bool:
    """Return True when a reader handles the file's extension."""
    return path.suffix.lower() in READERS


def _size(size: int) -> str:
    """1234 -> "1.2 kB", 50_000_000 -> "50 MB" (the units --max-size reads)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + " " + unit
    return f"{size} bytes"


def _too_large(size: int, limit: int) -> str:
    shown, limit_shown = _size(size), _size(limit)
    if shown == limit_shown:  # 50,000,001 bytes is "50 MB" too: say it exactly
        shown, limit_shown = f"{size:,} bytes", f"{limit:,}-byte"
    return f"file is {shown}, larger than the {limit_shown} limit (raise it with --max-size)"


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read an input file's bytes, turning OS failures into one-line InputErrors.

    Only regular files are read: a named pipe or a device would block or never end. The
    size is checked on the open file and the read stops one byte past the limit, so a file
    that grows while it is read is refused too.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    except NotADirectoryError:
        raise InputError("no such file (a parent in its path is not a folder)", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    try:
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InputError("is a directory, expected a file", path)
            if not stat.S_ISREG(info.st_mode):
                raise InputError("is not a regular file (a pipe, socket or device)", path)
            if info.st_size > max_bytes:
                raise InputError(_too_large(info.st_size, max_bytes), path)
            data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if len(data) > max_bytes:
        raise InputError(f"{_too_large(len(data), max_bytes)} (it grew while read)", path)
    return data


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` with the reader for its extension."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        raise UnsupportedInputError(f"unsupported file type {path.suffix or '(none)'!r} (use {kinds})", path)
    text = decode_bytes(read_bytes(path, max_bytes), path)
    return reader(text, path)


def read_string(text: str, kind: str = "text", source: Path | None = None) -> Document:
    """Read already-decoded text of the given kind ("text", "markdown" or "html")."""
    readers: dict[str, Reader] = {"text": read_text, "markdown": read_markdown, "html": read_html}
    return readers[kind](clean_text(text), source)
