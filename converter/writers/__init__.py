"""Writer registry: one class per output format, looked up by name."""

from __future__ import annotations

from ..config import Config
from ..errors import UnknownFormatError
from .base import Writer
from .docx import DocxWriter
from .epub import EpubWriter
from .html import HtmlWriter
from .markdown import MarkdownWriter
from .pdf import PdfWriter

WRITERS: dict[str, type[Writer]] = {
    w.name: w for w in (PdfWriter, EpubWriter, DocxWriter, HtmlWriter, MarkdownWriter)
}


def get_writer(name: str, config: Config | None = None) -> Writer:
    """Return a writer instance for ``name`` or raise UnknownFormatError listing valid names."""
    try:
        cls = WRITERS[name.lower()]
    except KeyError:
        valid = ", ".join(sorted(WRITERS))
        raise UnknownFormatError(f"unknown format {name!r} (choose from {valid})") from None
    return cls(config)


__all__ = ["WRITERS", "Writer", "get_writer"]
