"""Small lxml helpers the passes share: block text, splitting at breaks, element surgery."""

from __future__ import annotations

import copy
import re
import unicodedata

from lxml import etree
from lxml import html as lxml_html

_WS = re.compile(r"\s+")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


# Hangul spaces its words as Latin script does: a line break there is a space.
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc]")


def is_wide(char: str) -> bool:
    """An East Asian wide character of a script written without spaces (Chinese, Japanese; their
    punctuation): Hangul and emoji aside."""
    return (len(char) == 1 and char < "\U0001f000" and unicodedata.east_asian_width(char) in ("W", "F", "H")
            and not _HANGUL.match(char))


def line_joiner(left: str, right: str) -> str:
    """What a line break between ``left`` and ``right`` reads as: nothing between two East Asian
    wide characters ("動き始め" / "た。" is one word: Chinese and Japanese put no space between
    words, CSS Text's segment break rule and pandoc's east_asian_line_breaks), else a space."""
    return "" if is_wide(left.rstrip()[-1:]) and is_wide(right.lstrip()[:1]) else " "


def columns(text: str) -> int:
    """The width of ``text`` on a terminal or in a fixed-width font: two columns for every East
    Asian wide character, Hangul included, one for any other (what hard-wrapping counts)."""
    return len(text) + sum(1 for c in text if c >= "\u1100" and unicodedata.east_asian_width(c) in ("W", "F"))


def is_wide_text(text: str) -> bool:
    """Mostly Chinese or Japanese: half its letters and signs or more are wide characters."""
    chars = [c for c in text if not c.isspace()]
    return bool(chars) and 2 * sum(1 for c in chars if is_wide(c)) >= len(chars)


def is_caseless_text(text: str) -> bool:
    """Written in scripts without capitals (Arabic, Hebrew, Chinese, Japanese, Devanagari…):
    letters, none of them upper or lower case."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.isupper() or c.islower() for c in letters)


def word_count(text: str) -> int:
    """How many words ``text`` says: its space-separated words, and a word for every two wide
    characters (Chinese and Japanese write no spaces; two characters a word is their mean)."""
    wide = sum(1 for c in text if is_wide(c))
    if not wide:
        return len(text.split())
    return sum(1 for w in text.split() if not any(is_wide(c) for c in w)) + (wide + 1) // 2


def collapse(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def collapse_spaces(el: etree._Element) -> None:
    """One space for each run of white space (a source's line breaks and indents) in the
    text of ``el`` and its descendants, ``<pre>`` aside; ``el``'s own tail is left alone."""
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        under_pre = any(a.tag == "pre" for a in node.iterancestors())
        if node.text and not under_pre and node.tag != "pre":
            node.text = _WS.sub(" ", node.text)
        if node.tail and node is not el and not under_pre:
            node.tail = _WS.sub(" ", node.tail)


_TEXT_WITH_BREAKS = etree.XPath("descendant-or-self::text() | descendant::br")


# Elements that start a line of their own: their edges part words, an inline element's do not.
BLOCK_LEVEL = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
                         "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                         "caption", "figure", "figcaption", "section", "div", "address", "hr", "br",
                         "body", "header", "footer", "article", "aside", "nav", "main"})


def flow_text(el: etree._Element) -> str:
    """The words of ``el`` and everything in it, as a reader sees them: a space where a block
    starts or ends (or a line breaks), none at an inline element's edges ("<b></b>" inside a
    word, "<i>un</i>done"). White space collapsed."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        element = isinstance(node.tag, str)
        if event == "start":
            if element and node.tag in BLOCK_LEVEL:
                parts.append(" ")
            if element and node.text:
                parts.append(node.text)
        else:
            if element and node.tag in BLOCK_LEVEL:
                parts.append(" ")
            if node is not el and node.tail:
                parts.append(node.tail)
    return collapse("".join(parts))


def block_text(el: etree._Element) -> str:
    """Return an element's visible text with white space collapsed; a line break counts as
    a space ("Facebook<br>X" reads "Facebook X", as it does once the break is joined)."""
    if not len(el) or el.find(".//br") is None:
        return collapse("".join(el.itertext()))
    return collapse("".join(" " if isinstance(node, etree._Element) else node for node in _TEXT_WITH_BREAKS(el)))


BOLD_TAGS = ("strong", "b")


def is_bold_only(p: etree._Element) -> bool:
    """A paragraph whose whole text is one bold element (a heading set in bold)."""
    if (p.text or "").strip() or len(p) != 1:
        return False
    child = p[0]
    return child.tag in BOLD_TAGS and not (child.tail or "").strip() and bool(block_text(child))


def is_link_row(el: etree._Element) -> bool:
    """Two links or more that make up most of the block's text: a menu
    ("View previous topic :: View next topic"), not a heading or a title."""
    links = [a for a in el.iter("a") if block_text(a)]
    return len(links) >= 2 and sum(len(block_text(a)) for a in links) >= 0.6 * len(block_text(el))


def is_soft_break(el: etree._Element) -> bool:
    """True for a ``<br>`` that marks a source line break of unknown meaning."""
    return el.tag == "br" and el.get("data-soft") == "1"


def split_at(el: etree._Element, is_break) -> list[etree._Element]:
    """Split an element's inline content at child elements for which ``is_break`` is true.

    Returns one new element (same tag, no attributes) per segment; inline children are copied.
    """
    segments: list[etree._Element] = []
    current = lxml_html.Element(el.tag)
    current.text = el.text
    for child in el:
        if isinstance(child.tag, str) and is_break(child):
            segments.append(current)
            current = lxml_html.Element(el.tag)
            current.text = child.tail
            continue
        clone = copy.deepcopy(child)
        current.append(clone)
    segments.append(current)
    return segments


def replace_with(old: etree._Element, new: list[etree._Element]) -> None:
    """Replace ``old`` by the elements ``new`` at the same place (``old``'s tail is dropped)."""
    # addnext, not insert(index): lxml's insert walks the sibling list, and splitting a
    # 100,000-line list would make that quadratic.
    parent = old.getparent()
    anchor = old
    for el in new:
        anchor.addnext(el)
        anchor = el
    parent.remove(old)


def strip_leading(el: etree._Element, count: int) -> None:
    """Remove the first ``count`` characters of an element's text content."""
    if el.text:
        taken = min(count, len(el.text))
        el.text = el.text[taken:]
        count -= taken
    if count <= 0:
        return
    for child in el:
        if count <= 0:
            return
        inner = len("".join(child.itertext()))
        if inner <= count:
            count -= inner
            tail = child.tail
            child_prev = child.getprevious()
            el.remove(child)
            if tail:
                if child_prev is not None:
                    child_prev.tail = (child_prev.tail or "") + tail
                else:
                    el.text = (el.text or "") + tail
            # the removed child's tail is now ahead; fall through to trim it
            return strip_leading(el, count)
        strip_leading(child, count)
        return


def lstrip_element(el: etree._Element) -> None:
    """Strip leading white space of the element's first text."""
    if el.text and el.text.strip():
        el.text = el.text.lstrip()
        return
    el.text = None
    for child in el:
        lstrip_element(child)
        if block_text(child):
            return
        if child.tail and child.tail.strip():
            child.tail = child.tail.lstrip()
            return


def short(el_or_text: etree._Element | str | None, limit: int = 160) -> str:
    """Return markup or text shortened for a change record."""
    if el_or_text is None:
        return ""
    if isinstance(el_or_text, str):
        text = el_or_text
    else:
        text = lxml_html.tostring(el_or_text, encoding="unicode", with_tail=False)
        text = re.sub(r'(?<!\s)\s+data-[\w-]+="[^"]*"', "", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
