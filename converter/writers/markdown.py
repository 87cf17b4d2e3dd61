"""Clean Markdown (GitHub-flavoured, YAML front matter for the metadata) through pandoc.

    Document(title="T", body=<h2>Section</h2><ul><li>a</li></ul>)
    ->
    ---
    title: T
    ---

    ## Section

    - a
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..document import Document
from .base import Writer
from .html import RenderOptions, render_xhtml


def front_matter(doc: Document) -> str:
    """Return the metadata as a YAML front-matter block (empty when there is none)."""
    fields = {
        "title": doc.meta.title,
        "author": doc.meta.author,
        "date": doc.meta.date,
        "lang": doc.meta.language,
    }
    present = {k: v for k, v in fields.items() if v}
    if not present:
        return ""
    dumped = yaml.safe_dump(present, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n"


def render_markdown(doc: Document) -> str:
    """Render the body as GitHub-flavoured Markdown with front matter."""
    import pypandoc

    xhtml = render_xhtml(doc, RenderOptions(titleblock=False)).decode("utf-8")
    body = pypandoc.convert_text(
        xhtml, to="gfm", format="html", extra_args=["--wrap=none", "--sandbox"]
    )
    return front_matter(doc) + body.strip() + "\n"


class MarkdownWriter(Writer):
    """Markdown edition."""

    name = "md"
    extension = ".md"
    media_type = "text/markdown"

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the Markdown file."""
        path.write_text(render_markdown(doc), encoding="utf-8")
