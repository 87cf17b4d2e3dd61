"""Placeholder: being written."""

from .base import Writer


class EpubWriter(Writer):
    """Not implemented yet."""

    name = "epub"
    extension = ".epub"
