"""Placeholder: being written."""

from .base import Writer


class DocxWriter(Writer):
    """Not implemented yet."""

    name = "docx"
    extension = ".docx"
