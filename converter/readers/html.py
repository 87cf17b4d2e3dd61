"""HTML reader: a page or fragment -> Document with a flat list of block elements.

    <html lang="en"><head><title>Story | Site</title></head>
    <body><nav>...</nav><article><div><h1>Story</h1><div>Text <b>x</b></div></div></article></body>
    ->
    meta(title="Story | Site", language="en"); body: <h1>Story</h1><p>Text <b>x</b></p>

Metadata found in ``<head>`` is recorded raw; the normaliser's metadata pass cleans it
(e.g. drops the " | Site" suffix). Markup is sanitised before anything else sees it.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..document import Document, Metadata, new_body
from ..errors import InputError
from .sanitise import sanitise

BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table",
     "figure", "hr", "address"}
)  # fmt: skip
CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "header", "footer", "body", "picture"})

META_AUTHOR = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "sailthru.author")
META_DATE = (
    "article:published_time", "datePublished", "dc.date", "dcterms.date", "date",
    "pubdate", "publish-date", "sailthru.date", "og:published_time", "dcterms.created",
)  # fmt: skip
META_TITLE = ("og:title", "twitter:title", "dc.title")
META_DESCRIPTION = ("description", "og:description", "twitter:description")
META_SITE = ("og:site_name", "application-name")


def parse_html(text: str, path: str | Path | None = None) -> etree._Element:
    """Parse HTML text into an lxml.html document root (never raises on bad markup)."""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}", path) from None
    return root


def _meta_map(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        content = (meta.get("content") or "").strip()
        if key and content:
            found.setdefault(key.lower(), content)
    return found


def _first(found: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key.lower() in found:
            return found[key.lower()]
    return None


def head_metadata(root: etree._Element) -> Metadata:
    """Read title, author, date, language, description and site name from the page head."""
    found = _meta_map(root)
    title_el = root.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        lang = _first(found, ("og:locale", "content-language", "language", "dc.language"))
    date = _first(found, META_DATE)
    if not date:
        time_el = root.find(".//time[@datetime]")
        date = time_el.get("datetime") if time_el is not None else None
    return Metadata(
        title=title or _first(found, META_TITLE),
        author=_first(found, META_AUTHOR),
        date=date,
        language=lang.strip() if lang else None,
        description=_first(found, META_DESCRIPTION),
        site=_first(found, META_SITE),
    )


def _text_len(el: etree._Element) -> int:
    return len(" ".join(el.itertext()).split())


def article_container(root: etree._Element) -> etree._Element:
    """Pick the element that holds the article: the largest <article>, <main>, or <body>."""
    for xpath in ("//article", "//main", "//*[@role='main']"):
        candidates = root.xpath(xpath)
        if candidates:
            best = max(candidates, key=_text_len)
            if _text_len(best) >= 25 or xpath == "//article":
                return best
    body = root.find("body")
    return body if body is not None else root


def flatten_blocks(container: etree._Element) -> list[etree._Element]:
    """Turn nested containers (div, section, ...) into a flat list of block elements."""
    blocks: list[etree._Element] = []
    pending: list[etree._Element] = []  # the open paragraph, if loose inline content started one

    def loose_paragraph() -> etree._Element:
        if not pending:
            pending.append(lxml_html.Element("p"))
        return pending[0]

    def close() -> None:
        if pending:
            p = pending.pop()
            if p.text_content().strip() or p.find(".//img") is not None:
                blocks.append(p)

    def add_text(text: str | None) -> None:
        if text and text.strip():
            p = loose_paragraph()
            if len(p):
                p[-1].tail = (p[-1].tail or "") + text
            else:
                p.text = (p.text or "") + text

    # An explicit stack instead of recursion: pages nest thousands of divs deep. Children are
    # snapshotted because moving one into a paragraph detaches it from its parent.
    stack: list[tuple[etree._Element, list[etree._Element], int]] = [
        (container, list(container), -1)
    ]
    while stack:
        node, children, index = stack.pop()
        if index == -1:
            add_text(node.text)
        next_index = index + 1
        if next_index >= len(children):
            if node is not container:
                close()
                add_text(node.tail)
            continue
        stack.append((node, children, next_index))
        child = children[next_index]
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in CONTAINER_TAGS and not _is_footnotes(child):
            close()
            stack.append((child, list(child), -1))
            continue
        tail, child.tail = child.tail, None
        if tag in BLOCK_TAGS or _is_footnotes(child):
            close()
            blocks.append(child)
        elif tag in ("li", "dt", "dd", "tr", "td", "th", "figcaption", "caption"):
            # Stray list or table parts outside their parent: keep their text as a paragraph.
            close()
            p = lxml_html.Element("p")
            p.text = child.text_content().strip()
            if p.text:
                blocks.append(p)
        elif tag:
            loose_paragraph().append(child)
        add_text(tail)
    close()
    return blocks


def _is_footnotes(el: etree._Element) -> bool:
    return el.tag == "section" and "footnotes" in (el.get("class") or "").split()


def body_from_markup(container: etree._Element) -> etree._Element:
    """Sanitise a copy of ``container`` and return a ``<body>`` holding its flat blocks."""
    work = copy.deepcopy(container)
    sanitise(work)
    body = new_body()
    for block in flatten_blocks(work):
        body.append(block)
    return body


def read_html(text: str, source: Path | None = None) -> Document:
    """Read an HTML page or fragment."""
    root = parse_html(text, source)
    meta = head_metadata(root)
    body = body_from_markup(article_container(root))
    if not len(body):
        raise InputError("no text found in the HTML", source)
    return Document(meta=meta, body=body, kind="html", source=source)
