"""Placeholder: being written."""

from .base import Writer


class PdfWriter(Writer):
    """Not implemented yet."""

    name = "pdf"
    extension = ".pdf"
