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
from ..errors import WriteError
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
    page = build_page(doc, RenderOptions(titleblock=False))
    _plain_figures(page)
    xhtml = to_xhtml(page).decode("utf-8")
    return front_matter(doc) + to_gfm(xhtml).strip() + "\n"


def to_gfm(xhtml: str) -> str:
    """Convert XHTML to GitHub-flavoured Markdown with pandoc (--wrap=none, sandboxed).

    Through this process's long-lived pandoc worker (no process start per document), or
    with one pandoc run when the worker cannot be used; both give the same text.
    """
    from .. import pandoc_worker
    from .docx import pandoc_binary

    worker = pandoc_worker.shared_worker(pandoc_binary())
    if worker is not None and worker.usable:
        request = pandoc_worker.PandocRequest(text=xhtml, to="gfm", wrap="none")
        try:
            out, _ = worker.convert(request)
            return out.decode("utf-8")
        except pandoc_worker.PandocUnavailable:
            pass
        except pandoc_worker.PandocFailed as exc:
            raise WriteError(f"pandoc failed: {exc}") from exc
        except pandoc_worker.PandocTimeout as exc:
            raise WriteError("pandoc took too long") from exc
    import pypandoc

    return pypandoc.convert_text(
        xhtml, to="gfm", format="html", extra_args=["--wrap=none", "--sandbox"]
    )


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
