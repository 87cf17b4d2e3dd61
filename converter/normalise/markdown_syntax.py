"""Markdown syntax the parser could not read, written the way its author meant it.

    | Route | Time |                          ->  <table><thead><tr><th>Route</th><th>Time</th>...
    | Island - Mainland | 25 min |                <tbody><tr><td>Island - Mainland</td>...

A pipe table without its "| --- |" row is one paragraph of pipes, which the heading pass then
took for a heading. (Emphasis with spaces inside its markers and links with a space before
their parenthesis are repaired in the Markdown source, by the reader: see
``converter.readers.markdown.repair_spaced_syntax``.)
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from ..document import Document
from .tree import is_soft_break, split_at


def repair_markdown_syntax(doc: Document, ctx) -> None:
    """Read a pipe table without its delimiter row as a table (Markdown and plain text)."""
    if doc.kind not in ("markdown", "text"):
        return
    for p in list(doc.body.iter("p")):
        if (p.text or "").lstrip().startswith("|"):
            _pipe_table(p, ctx)


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
