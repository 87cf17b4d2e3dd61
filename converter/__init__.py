"""converter: repair messy articles and export clean PDF, EPUB and DOCX editions."""

__version__ = "0.1.0"
