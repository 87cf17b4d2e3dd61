"""Plain-text reader: keeps every source line; the normaliser decides what lines mean.

    Title line
    First paragraph line.
    -
    Item text

    Next block after a blank line.
    ->
    <p data-line="1">Title line<br data-soft="1"/>First paragraph line.<br data-soft="1"/>-
       <br data-soft="1"/>Item text</p>
    <p data-line="6">Next block after a blank line.</p>

Text scraped from a web page has one paragraph per line, a 72-column newsletter has
hard-wrapped paragraphs separated by blank lines: the reader cannot tell which, so it keeps
blank-line blocks as paragraphs and each source line break as a soft ``<br>``; the
``paragraphs.lines`` pass splits or joins them.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html as lxml_html

from ..document import Document, Metadata, new_body


def soft_break() -> lxml_html.HtmlElement:
    """Return a ``<br>`` marking a source line break whose meaning is still unknown."""
    return lxml_html.Element("br", {"data-soft": "1"})


def lines_paragraph(lines: list[str], first_line: int) -> lxml_html.HtmlElement:
    """Return a ``<p>`` holding ``lines`` separated by soft breaks."""
    p = lxml_html.Element("p", {"data-line": str(first_line)})
    p.text = lines[0]
    for line in lines[1:]:
        br = soft_break()
        br.tail = line
        p.append(br)
    return p


# A quoted line, as e-mail and newsletters write it: "> The night train is back."
QUOTED = re.compile(r"^\s*>\s?")


def block_element(lines: list[str], first_line: int) -> lxml_html.HtmlElement:
    """A block of lines as a ``<p>``, or as a ``<blockquote>`` holding one when every line of
    it is quoted with "> " (the markers go)."""
    if all(QUOTED.match(line) for line in lines):
        quote = lxml_html.Element("blockquote", {"data-line": str(first_line)})
        quote.append(lines_paragraph([QUOTED.sub("", line, count=1) for line in lines], first_line))
        return quote
    return lines_paragraph(lines, first_line)


def read_text(text: str, source: Path | None = None) -> Document:
    """Read plain text: one ``<p>`` per blank-line-separated block, line breaks kept; a block
    whose every line starts with "> " is a quotation."""
    body = new_body()
    block: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip().replace("\t", "    ")
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            body.append(block_element(block, start))
            block = []
    if block:
        body.append(block_element(block, start))
    return Document(meta=Metadata(), body=body, kind="text", source=source)
