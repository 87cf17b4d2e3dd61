"""Markdown syntax the parser could not read, written the way its author meant it.

    The fare is ** £4.50 ** for adults.       ->  The fare is <strong>£4.50</strong> for adults.
    See the [timetable] (https://x.org/t).    ->  See the <a href="https://x.org/t">timetable</a>.
    | Route | Time |                          ->  <table><thead><tr><th>Route</th><th>Time</th>...
    | Island - Mainland | 25 min |                <tbody><tr><td>Island - Mainland</td>...

Emphasis with a space inside its markers ("** 1 December **", "**Fares **") is no emphasis to
CommonMark, and a link with a space between its brackets and its parenthesis is no link: both
print their punctuation. A pipe table without its "| --- |" row is one paragraph of pipes,
which the heading pass then took for a heading. Only text the parser left as text is touched:
code, links and what it did read stay as they are.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from ..document import Document
from .tree import is_soft_break, split_at

# "**" or "__" around 1-150 characters of one line, with no marker character inside: the
# parser left both pairs as text, so the pair is emphasis it could not read.
SPACED_STRONG = re.compile(r"(\*\*|__)([^*_\n]{1,150}?)\1")
# "[text] (https://...)": a link with a space before its parenthesis.
SPACED_LINK = re.compile(r"\[([^\[\]\n]{1,200})\][ \t]+\((https?://[^\s()]{1,2000})\)")
NO_REPAIR_INSIDE = frozenset({"code", "pre", "a", "kbd", "samp", "script", "style"})


def repair_markdown_syntax(doc: Document, ctx) -> None:
    """Read spaced emphasis, spaced links and pipe tables without a delimiter row."""
    if doc.kind not in ("markdown", "text"):
        return
    for p in list(doc.body.iter("p")):
        if (p.text or "").lstrip().startswith("|"):
            _pipe_table(p, ctx)
    if doc.kind != "markdown":
        return
    text = "".join(doc.body.itertext())
    if "**" not in text and "__" not in text and "] (" not in text:
        return  # (nothing to read again: most documents)
    for el in list(doc.body.iter()):
        if not isinstance(el.tag, str) or any(a.tag in NO_REPAIR_INSIDE for a in (el, *el.iterancestors())):
            continue
        _repair_text(el, "text", ctx)
        for child in list(el):  # (a child's tail is its parent's text, also after <code>)
            _repair_text(child, "tail", ctx)


def _repair_text(el: etree._Element, where: str, ctx) -> None:
    """Replace the spaced emphasis and links in ``el.text`` (or ``el.tail``) by elements."""
    text = getattr(el, where)
    if not text or ("**" not in text and "__" not in text and "] (" not in text):
        return
    pieces: list[str | etree._Element] = []
    pos = 0
    for match in _matches(text):
        pieces.append(text[pos:match.start()])
        if match.re is SPACED_LINK:
            new = lxml_html.Element("a", href=match.group(2))
            new.text = match.group(1)
        else:
            inner = match.group(2)
            if not inner.strip() or inner == inner.strip():
                pieces.append(match.group(0))  # "__init__" or "2 ** 3 ** 4": not spaced emphasis
                pos = match.end()
                continue
            new = lxml_html.Element("strong")
            new.text = inner.strip()
            if inner[:1].isspace() and pieces[-1][-1:].isalnum():
                pieces.append(" ")
            if inner[-1:].isspace() and text[match.end():match.end() + 1].isalnum():
                new.tail = " "
        ctx.change("markdown.spaced-link" if new.tag == "a" else "markdown.spaced-emphasis",
                   el, match.group(0), etree.tostring(new, encoding="unicode", with_tail=False))
        pieces.append(new)
        pos = match.end()
    if pos == 0:
        return
    pieces.append(text[pos:])
    _put_back(el, where, pieces)


def _matches(text: str) -> list[re.Match[str]]:
    """Spaced links and emphasis in ``text``, in order, none overlapping another."""
    found = sorted([*SPACED_LINK.finditer(text), *SPACED_STRONG.finditer(text)], key=lambda m: m.start())
    kept: list[re.Match[str]] = []
    for match in found:
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def _put_back(el: etree._Element, where: str, pieces: list[str | etree._Element]) -> None:
    """Set ``el``'s text (or tail) to the first piece and insert the elements after it."""
    first, rest = pieces[0], pieces[1:]
    assert isinstance(first, str)
    if where == "text":
        el.text = first or None
        parent, index = el, 0
    else:
        el.tail = first or None
        parent, index = el.getparent(), el.getparent().index(el) + 1
    last: etree._Element | None = None
    for piece in rest:
        if isinstance(piece, str):
            if last is None:  # (two strings in a row only after a skipped match)
                if where == "text":
                    el.text = (el.text or "") + piece
                else:
                    el.tail = (el.tail or "") + piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        parent.insert(index, piece)
        index += 1
        last = piece


def _cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if len(stripped) < 3 or not (stripped.startswith("|") and stripped.endswith("|")):
        return None
    return [cell.strip() for cell in stripped[1:-1].split("|")]


def _pipe_table(p: etree._Element, ctx) -> None:
    """A paragraph of two lines or more, each "| a | b |" with the same number of cells (two
    or more) and nothing but text, is a table whose first line is its header."""
    if not any(is_soft_break(c) for c in p) or any(not is_soft_break(c) for c in p):
        return
    rows = [_cells("".join(line.itertext())) for line in split_at(p, is_soft_break)]
    if len(rows) < 2 or any(r is None for r in rows):
        return
    widths = {len(r) for r in rows if r is not None}
    if len(widths) != 1 or widths.pop() < 2:
        return
    table = lxml_html.Element("table")
    head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    body = etree.SubElement(table, "tbody")
    for i, row in enumerate(rows):
        tr = head if i == 0 else etree.SubElement(body, "tr")
        for cell in row or []:
            etree.SubElement(tr, "th" if i == 0 else "td").text = cell or None
    table.tail = p.tail
    ctx.change("markdown.pipe-table", p, p, table)
    p.getparent().replace(p, table)
