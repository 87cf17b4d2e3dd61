"""Readers: one module per input kind; ``read_document`` picks one by file extension."""

from __future__ import annotations

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

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def supported(path: Path) -> bool:
    """Return True when a reader handles the file's extension."""
    return path.suffix.lower() in READERS


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read an input file's bytes, turning OS failures into one-line InputErrors."""
    try:
        if path.is_dir():
            raise InputError("is a directory, expected a file", path)
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"file is {size / 1e6:.1f} MB, larger than the {max_bytes / 1e6:.0f} MB limit "
                "(raise it with --max-size)",
                path,
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None


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
