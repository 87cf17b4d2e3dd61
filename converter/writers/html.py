"""The one standalone XHTML rendering of a Document that every other writer starts from.

    Document(meta.title="T", body=<p>x</p>)
    ->
    <html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">
      <head><title>T</title><meta name="author" .../></head>
      <body><article>
        <header class="titleblock"><h1 class="title">T</h1><p class="author">...</p></header>
        <p>x</p>
      </article></body>
    </html>
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from .. import __version__
from ..document import Document
from .base import Writer
from .dates import display_date
from .scripts import mark_directions, mark_urls

XHTML_NS = "http://www.w3.org/1999/xhtml"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "iw", "ur", "yi", "ps", "sd", "ug", "dv", "ku"})


def text_direction(language: str | None) -> str:
    """Return "rtl" for right-to-left languages, else "ltr"."""
    primary = (language or "").split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True)
class RenderOptions:
    """How the XHTML page is assembled for a particular writer."""

    titleblock: bool = True  # title, author and date above the body
    css: str | None = None  # inline stylesheet text
    css_href: str | None = None  # linked stylesheet (EPUB)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    el = lxml_html.Element(tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrib.items()})
    if text is not None:
        el.text = text
    parent.append(el)
    return el


def build_page(doc: Document, options: RenderOptions = RenderOptions()) -> etree._Element:
    """Return the page as a non-namespaced lxml.html tree (``<html>`` root)."""
    meta = doc.meta
    lang = meta.language or "und"
    root = lxml_html.Element("html", {"lang": lang})
    if text_direction(lang) == "rtl":
        root.set("dir", "rtl")
    head = _sub(root, "head")
    _sub(head, "meta", charset="utf-8")
    _sub(head, "title", meta.title or "Untitled")
    if meta.author:
        _sub(head, "meta", name="author", content=meta.author)
    if meta.date:
        _sub(head, "meta", name="dcterms.date", content=meta.date)
    if meta.description:
        _sub(head, "meta", name="description", content=meta.description)
    _sub(head, "meta", name="generator", content=f"converter {__version__}")
    if options.css_href:
        _sub(head, "link", rel="stylesheet", type="text/css", href=options.css_href)
    if options.css:
        _sub(head, "style", options.css)

    body = _sub(root, "body")
    article = _sub(body, "article")
    if options.titleblock:
        header = _sub(article, "header", class_="titleblock")
        _sub(header, "h1", meta.title or "Untitled", class_="title")
        if meta.subtitle:
            _sub(header, "p", meta.subtitle, class_="subtitle")
        if meta.author:
            _sub(header, "p", meta.author, class_="author")
        if meta.date:
            date_p = _sub(header, "p", class_="date")
            _sub(date_p, "time", display_date(meta.date, meta.language), datetime=meta.date)
    for child in doc.body:
        article.append(copy.deepcopy(child))
    _strip_internal_attributes(root)
    # Every edition shows a Hebrew paragraph in an English article right to left, and lets
    # long web addresses break (see scripts.py).
    mark_directions(root)
    mark_urls(root)
    return root


def _strip_internal_attributes(root: etree._Element) -> None:
    for el in root.iter():
        for name in [n for n in el.attrib if n.startswith("data-")]:
            del el.attrib[name]


# HTML's void elements: the only ones written as "<br/>".
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                           "source", "track", "wbr"})


def to_xhtml(root: etree._Element) -> bytes:
    """Serialise a non-namespaced page tree as a polyglot XHTML5 document."""
    # A stylesheet is raw text in HTML but parsed text in XML: "li > p" would come out as
    # "li &gt; p", which a browser reading the file as text/html sees verbatim. Wrap each
    # inline stylesheet in the polyglot /*<![CDATA[*/ ... /*]]>*/ form that both parse alike.
    # An empty element other than a void one is written with its end tag: "<b/>" or "<a
    # id=…/>" read as HTML opens an element that runs on over the rest of the paragraph.
    for el in root.iter():
        if isinstance(el.tag, str) and el.text is None and not len(el) and el.tag not in VOID_ELEMENTS:
            el.text = ""
    styles = []
    for index, style in enumerate(root.iter("style")):
        styles.append((style, style.text or ""))
        style.text = f"\ue001{index}\ue001"
    try:
        markup = etree.tostring(root, method="xml", encoding="unicode")
    finally:
        for style, text in styles:
            style.text = text
    for index, (_, text) in enumerate(styles):
        safe = text.replace("]]>", "]]]]><![CDATA[>")
        markup = markup.replace(f"\ue001{index}\ue001", f"/*<![CDATA[*/\n{safe}\n/*]]>*/", 1)
    # The tree has no namespace (lxml.html); declare XHTML's on the root element only.
    assert markup.startswith("<html")
    lang = root.get("lang", "und")
    markup = f'<html xmlns="{XHTML_NS}" xml:lang="{lang}"' + markup[len("<html") :]
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + markup + "\n").encode()


def render_xhtml(doc: Document, options: RenderOptions = RenderOptions()) -> bytes:
    """Render the Document as standalone XHTML bytes."""
    return to_xhtml(build_page(doc, options))


class HtmlWriter(Writer):
    """Standalone XHTML with the EPUB stylesheet inlined, for the web or a quick look."""

    name = "html"
    extension = ".html"
    media_type = "application/xhtml+xml"

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the XHTML page."""
        css_path = self.config.style("epub.css")
        css = css_path.read_text(encoding="utf-8") if css_path.exists() else None
        path.write_bytes(render_xhtml(doc, RenderOptions(css=css)))
