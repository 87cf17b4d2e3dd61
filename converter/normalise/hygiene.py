"""Last tidy-up: empty blocks and links removed, leftover soft breaks joined, internal attributes dropped.

    <p> </p><p>a<br data-soft="1"/>b</p><li></li>   ->  <p>a b</p>
    <p>動き始め\nた。</p>                              ->  <p>動き始めた。</p>

A line break between two Chinese or Japanese characters is no space (CSS Text's segment
break rule, pandoc's east_asian_line_breaks): their words are not spaced, so the writers
would print a space inside a word. Hangul is spaced as Latin script is, and keeps it.
"""

from __future__ import annotations

import re

from lxml import etree

from ..document import Document
from .tree import block_text, is_soft_break, is_wide, line_joiner
from .typography import CODE_TAGS

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


def shows_nothing(a) -> bool:
    """True for a link with no text and no picture that is not a target (``id``, ``name``)."""
    return (a.tag == "a" and a.get("id") is None and a.get("name") is None
            and not "".join(a.itertext()).strip() and next(a.iter("img", "svg", "video"), None) is None)


def remove_empty_links(body) -> None:
    """Remove links that show nothing: a heading's permalink whose icon was dropped, a link
    around a picture that was left out (Markdown wrote them as "[](#anchor)"). A link that is
    a target (``id``, ``name``) stays. (The HTML reader and the image screening remove them
    before the passes run, so that a paragraph judged by its markup is judged without them.)"""
    from ..readers.sanitise import remove_keep_tail  # (the readers import the normaliser)

    for a in [a for a in body.iter("a") if shows_nothing(a)]:
        remove_keep_tail(a)


def tidy(doc: Document, ctx) -> None:
    """Remove empty paragraphs and links, join soft line breaks (with no space between Chinese or Japanese characters) and drop internal data-* attributes."""
    for br in [el for el in doc.body.iter("br") if is_soft_break(el)]:
        parent = br.getparent()
        prev = br.getprevious()
        before = (prev.tail if prev is not None else parent.text) or ""
        joiner = line_joiner(before, br.tail or "") + (br.tail or "").lstrip()
        if prev is not None:
            prev.tail = (prev.tail or "").rstrip() + joiner
        else:
            parent.text = (parent.text or "").rstrip() + joiner
        parent.remove(br)
    remove_empty_links(doc.body)  # first: a paragraph holding only such a link is empty
    code = _code_elements(doc.body)
    _join_wide_breaks(doc.body, code)
    _spaces_out_of_inline(doc.body, code)
    _drop_space_between_blocks(doc.body, code)
    remove_empty_blocks(doc.body, ctx, "hygiene.empty-block")
    for el in doc.body.iter():
        for name in [n for n in el.attrib if n.startswith("data-")]:
            del el.attrib[name]


# Inline elements whose edges may hold a page's &nbsp;: "<b>Bold lead&nbsp;</b> then". Left
# inside, it ends Markdown's emphasis on a space ("**Bold lead **"), which is not emphasis.
INLINE_EDGES = ("b", "strong", "i", "em", "u", "s", "mark", "a", "small", "del", "ins", "q", "cite")
BLOCK_EDGES = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "dt", "dd", "td", "th")


def _spaces_out_of_inline(body, code: set) -> None:
    """Move white space (no-break spaces too) at the edges of inline elements out of them,
    and drop it at the edges of blocks. An inline element with nothing but white space in
    it goes, its space kept: "<blockquote><i><p>...</p></i>" left an empty <i> in the quote,
    which printed as an empty first line."""
    from ..readers.sanitise import remove_keep_tail  # (the readers import the normaliser)

    for el in reversed(list(body.iter(*INLINE_EDGES))):  # (inner ones first: "<em><b> </b></em>")
        if (not len(el) and not (el.text or "").strip() and el.get("id") is None
                and el.get("name") is None and el not in code):
            prev = el.getprevious()
            before = (prev.tail if prev is not None else el.getparent().text) or ""
            tail = el.tail or ""
            if before[-1:].isspace():
                el.tail = tail.lstrip() or None  # one space between the words, not two
            elif el.text and tail[:1].strip():
                el.tail = " " + tail  # the only space between two words
            remove_keep_tail(el)
    for el in body.iter(*INLINE_EDGES):
        if el.getparent() is None or next(el.iter("img"), None) is not None or el in code:
            continue  # (in a <pre>, a line break at the edge of a <b> is the code's layout)
        last = el[-1] if len(el) else None
        end = (last.tail if last is not None else el.text) or ""
        if end and end[-1].isspace() and end.strip():
            kept = end.rstrip()
            if last is not None:
                last.tail = kept
            else:
                el.text = kept
            el.tail = " " + (el.tail or "").lstrip()
        start = el.text or ""
        if start and start[0].isspace() and start.strip():
            el.text = start.lstrip()
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "").rstrip() + " "
            else:
                parent = el.getparent()
                parent.text = (parent.text or "").rstrip() + " "
    for block in body.iter(*BLOCK_EDGES):
        if (block.text and block.text.isspace() and not len(block)) or block in code:
            continue
        if block.text:
            block.text = block.text.lstrip() or None
        tail_holder = _last_text_holder(block)
        if tail_holder is not None:
            tail_holder.tail = tail_holder.tail.rstrip() or None
        elif not len(block) and block.text:
            block.text = block.text.rstrip()


# Blocks whose white space between them means nothing, inside a container.
_BLOCKS_IN_CONTAINERS = frozenset({"p", "ul", "ol", "blockquote", "pre", "table", "figure", "div",
                                   "h1", "h2", "h3", "h4", "h5", "h6", "hr", "dl"})


def _drop_space_between_blocks(body, code: set) -> None:
    """White space between the blocks of a quotation, item or cell goes (it printed nothing,
    and kept changing as the inline elements around it went)."""
    for container in body.iter("blockquote", "li", "td", "th", "dd", "figure"):
        if container in code:
            continue
        for child in container:
            if child.tag in _BLOCKS_IN_CONTAINERS and child.tail and not child.tail.strip():
                child.tail = None
        if len(container) and container[0].tag in _BLOCKS_IN_CONTAINERS and (container.text or "x").isspace():
            container.text = None


def _join_wide_breaks(body, code: set) -> None:
    """A source's line break between two Chinese or Japanese characters is no space (Markdown's
    and HTML's hard-wrapped lines, "<b>池</b>\nへ" too): the writers would print one mid-word.
    The text is read in document order across inline elements, code left alone."""
    slots: list[tuple[etree._Element, str]] = []
    for event, el in etree.iterwalk(body, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "start" and el.text and el not in code and el.tag not in CODE_TAGS:
            slots.append((el, "text"))
        elif event == "end" and el is not body and el.tail:
            parent = el.getparent()
            if parent is not None and parent not in code and parent.tag not in CODE_TAGS:
                slots.append((el, "tail"))
    values = [getattr(el, attr) for el, attr in slots]
    if not any("\n" in v for v in values):
        return
    joined = "".join(values)
    spans = [m.span(2) for m in _BREAK.finditer(joined) if is_wide(m.group(1)) and is_wide(m.group(3))]
    if not spans:
        return
    offset = 0
    for (el, attr), value in zip(slots, values, strict=True):
        end = offset + len(value)
        cut = [(max(a, offset) - offset, min(b, end) - offset) for a, b in spans if a < end and b > offset]
        if cut:
            for a, b in reversed(cut):
                value = value[:a] + value[b:]
            setattr(el, attr, value)
        offset = end


# A line break with the white space around it, between two visible characters.
_BREAK = re.compile(r"(\S)([^\S\n]*\n\s*)(?=(\S))")


def _code_elements(body) -> set:
    """Every element inside code (white space there is the code's)."""
    return {el for block in body.iter(*CODE_TAGS) for el in block.iter() if el is not block}


def _last_text_holder(block):
    """The block's last child when its tail ends the block's text, else None."""
    if not len(block):
        return None
    last = block[-1]
    return last if last.tail else None

