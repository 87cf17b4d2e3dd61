"""Last tidy-up: empty blocks and links removed, leftover soft breaks joined, internal attributes dropped.

    <p> </p><p>a<br data-soft="1"/>b</p><li></li>   ->  <p>a b</p>
"""

from __future__ import annotations

from ..document import Document
from .tree import block_text, is_soft_break

EMPTY_REMOVABLE = ("p", "li", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6")


def remove_empty_blocks(root, ctx, rule: str) -> None:
    """Remove blocks with no text and no image, innermost first, until none is left."""
    changed = True
    while changed:
        changed = False
        for el in list(root.iter(*EMPTY_REMOVABLE)):
            if el.getparent() is None or el is root:
                continue
            if not block_text(el) and el.find(".//img") is None and el.find(".//hr") is None:
                ctx.change(rule, el, el, None)
                el.getparent().remove(el)
                changed = True


def remove_empty_links(body) -> None:
    """Remove links that show nothing: a heading's permalink whose icon was dropped, a link
    around a picture that was left out (Markdown wrote them as "[](#anchor)"). A link that is
    a target (``id``, ``name``) stays."""
    for a in list(body.iter("a")):
        if (a.get("id") is not None or a.get("name") is not None or "".join(a.itertext()).strip()
                or next(a.iter("img", "svg", "video"), None) is not None):
            continue
        parent, previous = a.getparent(), a.getprevious()
        if parent is None:
            continue
        if a.tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + a.tail
            else:
                parent.text = (parent.text or "") + a.tail
        parent.remove(a)


def tidy(doc: Document, ctx) -> None:
    """Remove empty paragraphs and links, join soft line breaks and drop internal data-* attributes."""
    for br in [el for el in doc.body.iter("br") if is_soft_break(el)]:
        parent = br.getparent()
        prev = br.getprevious()
        joiner = " " + (br.tail or "").lstrip()
        if prev is not None:
            prev.tail = (prev.tail or "").rstrip() + joiner
        else:
            parent.text = (parent.text or "").rstrip() + joiner
        parent.remove(br)
    remove_empty_blocks(doc.body, ctx, "hygiene.empty-block")
    remove_empty_links(doc.body)
    for el in doc.body.iter():
        for name in [n for n in el.attrib if n.startswith("data-")]:
            del el.attrib[name]
