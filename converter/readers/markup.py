"""Parse HTML the readers cannot trust: libxml2 first, a depth-capped builder when it gives up.

    "<div>" * 20_000 + "deep text" + "</div>" * 20_000
    -> libxml2 stops at 2,048 levels ("Excessive depth in document") and drops the rest,
       silently: "deep text" and everything after it would be lost
    -> MarkupBuilder (html.parser events, no recursion) nests up to FALLBACK_DEPTH levels and
       puts deeper content into the element at that depth: nothing is lost

The builder is a fallback, not a full HTML5 tree builder: it knows void elements, raw-text
elements and comments, and closes elements by searching the open ones, which is all the
sanitiser and the block flattening need. Its tokenizer is linear by construction: every
character is looked at a bounded number of times. (html.parser is not: on "<a<a<a..." it
rescans the rest of the input at every "<", quadratic in Python 3.11.)
"""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

# Deeper than any real page, shallow enough for every consumer; the sanitiser then flattens
# what is below its own MAX_DEPTH.
FALLBACK_DEPTH = 256

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
     "param", "source", "track", "wbr"}
)  # fmt: skip


RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                      "noframes", "noscript", "plaintext"})
_TAG_NAME = re.compile(r"(/?)([A-Za-z][^\s/>]*)")
_ATTRIBUTE = re.compile(r"""([^\s=/"'>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]*))?""")
_RAW_END: dict[str, re.Pattern[str]] = {
    tag: re.compile(rf"</{tag}[\s/>]", re.IGNORECASE) for tag in RAW_TEXT
}


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)


def _gave_up(parser: lxml_html.HTMLParser) -> bool:
    """True when libxml2 stopped early (nesting limit) and dropped the rest of the input."""
    return any(
        e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message
        for e in parser.error_log
    )


def parse_document(text: str) -> etree._Element:
    """Return the ``<html>`` root of a page; raises lxml's ParserError on empty input."""
    parser = _parser()
    root = lxml_html.document_fromstring(text, parser=parser)
    if _gave_up(parser):
        return MarkupBuilder.build(text)
    return root


def parse_fragment(text: str) -> etree._Element:
    """Return a ``<div>`` holding the parsed fragment ``text``."""
    parser = _parser()
    try:
        root = lxml_html.fragment_fromstring(text, create_parent="div", parser=parser)
    except etree.ParserError:  # nothing libxml2 would call a document: "<!DOCTYPE", "<!-- x"
        return lxml_html.Element("div")
    if _gave_up(parser):
        page = MarkupBuilder.build(text)
        body = page.find("body")
        div = lxml_html.Element("div")
        if body is not None:
            div.text = body.text
            div.extend(list(body))
        return div
    return root


class MarkupBuilder:
    """Builds an lxml.html tree from start/end/text events, never deeper than ``max_depth``."""

    def __init__(self, max_depth: int = FALLBACK_DEPTH) -> None:
        self.max_depth = max_depth
        self.root = lxml_html.Element("html")
        self.head = etree.SubElement(self.root, "head")
        self.body = etree.SubElement(self.root, "body")
        self.stack: list[etree._Element] = [self.body]
        self.skipped: dict[str, int] = {}  # start tags not opened because of the depth cap
        self.open: dict[str, int] = {}  # open elements by tag, so stray end tags cost nothing
        self.pending: list[str] = []  # text not yet placed (placed once per position)
        self._gt = -2

    @classmethod
    def build(cls, text: str, max_depth: int = FALLBACK_DEPTH) -> etree._Element:
        """Parse ``text`` and return the ``<html>`` root."""
        builder = cls(max_depth)
        builder.feed(text)
        builder._flush()
        return builder.root

    def feed(self, text: str) -> None:
        """Tokenise the whole of ``text`` and build the tree from it."""
        pos, end = 0, len(text)
        self._gt = -2  # where the next ">" is (-1: none left); found once, not at every "<"
        while pos < end:
            lt = text.find("<", pos)
            if lt < 0:
                self.handle_data(html.unescape(text[pos:]))
                return
            if lt > pos:
                self.handle_data(html.unescape(text[pos:lt]))
            pos = self._markup(text, lt)

    def _markup(self, text: str, lt: int) -> int:
        """Handle the construct starting with the "<" at ``lt``; return where text resumes."""
        if text.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            return len(text) if close < 0 else close + 3
        if self._gt != -1 and self._gt <= lt:
            self._gt = text.find(">", lt + 1)
        gt = self._gt
        if text.startswith(("<!", "<?"), lt):
            return len(text) if gt < 0 else gt + 1
        name = _TAG_NAME.match(text, lt + 1, gt if gt >= 0 else lt + 1)
        if gt < 0 or name is None:
            self.handle_data("<")  # not a tag: a literal "<" in the text
            return lt + 1
        tag = name.group(2).lower()
        if name.group(1):
            self.handle_endtag(tag)
            return gt + 1
        inside = text[name.end() : gt]
        attrs = [
            (m.group(1).lower(), html.unescape(m.group(2).strip("\"'")) if m.group(2) else None)
            for m in _ATTRIBUTE.finditer(inside)
        ]
        if inside.rstrip().endswith("/"):
            self.handle_startendtag(tag, attrs)
            return gt + 1
        self.handle_starttag(tag, attrs)
        if tag in RAW_TEXT:
            found = _RAW_END[tag].search(text, gt + 1)
            stop = found.start() if found else len(text)
            if tag in ("textarea", "title"):
                self.handle_data(html.unescape(text[gt + 1 : stop]))
            else:
                self.handle_data(text[gt + 1 : stop])
            return stop
        return gt + 1

    def _flush(self) -> None:
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending = []
        parent = self.stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "html":
            self._set_attributes(self.root, attrs)
            return
        if tag in ("head", "body"):
            self._switch(self.head if tag == "head" else self.body)
            return
        if len(self.stack) > self.max_depth and tag not in VOID:
            self.skipped[tag] = self.skipped.get(tag, 0) + 1
            return
        self._flush()
        try:
            el = lxml_html.Element(tag)
        except ValueError:  # a tag name XML cannot hold: keep its content only
            self.skipped[tag] = self.skipped.get(tag, 0) + 1
            return
        self._set_attributes(el, attrs)
        self.stack[-1].append(el)
        if tag not in VOID:
            self.stack.append(el)
            self.open[tag] = self.open.get(tag, 0) + 1

    def _switch(self, container: etree._Element) -> None:
        self._flush()
        self.stack = [container]
        self.open = {}

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.skipped.get(tag):
            self.skipped[tag] -= 1
            return
        if tag == "head":
            self._switch(self.body)
            return
        if not self.open.get(tag):
            return
        self._flush()
        # Amortised constant: every element searched past is closed here, once.
        while len(self.stack) > 1:
            closed = self.stack.pop()
            self.open[closed.tag] -= 1
            if closed.tag == tag:
                return

    def handle_data(self, data: str) -> None:
        self.pending.append(data)

    @staticmethod
    def _set_attributes(el: etree._Element, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            try:
                el.set(name, value if value is not None else "")
            except (ValueError, TypeError):
                continue  # a name XML cannot hold ('"x', 'a<b'): the sanitiser drops it anyway
