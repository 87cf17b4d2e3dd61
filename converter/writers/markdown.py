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
from lxml import etree

from ..document import Document
from .base import Writer
from .html import RenderOptions, build_page, to_xhtml


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

    page = build_page(doc, RenderOptions(titleblock=False))
    _plain_figures(page)
    xhtml = to_xhtml(page).decode("utf-8")
    body = pypandoc.convert_text(
        xhtml, to="gfm", format="html", extra_args=["--wrap=none", "--sandbox"]
    )
    return front_matter(doc) + body.strip() + "\n"


def _plain_figures(page: etree._Element) -> None:
    """A figure captioned by its image's alt text goes back to Markdown's ``![alt](src)``.

    GFM has no figures, so pandoc would otherwise keep the figure as raw HTML.
    """
    for figure in list(page.iter("figure")):
        children = list(figure)
        if [c.tag for c in children] != ["img", "figcaption"]:
            continue
        img, caption = children
        if "".join(caption.itertext()).strip() == (img.get("alt") or "").strip():
            figure.tag = "p"
            figure.remove(caption)


class MarkdownWriter(Writer):
    """Markdown edition."""

    name = "md"
    extension = ".md"
    media_type = "text/markdown"

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the Markdown file."""
        path.write_text(render_markdown(doc), encoding="utf-8")
