"""Read the dot-format fixture files (markdown-it-py style) and render a Document for them.

    title of the case [md]      <- optional [text] (default), [md] or [html] picks the reader
    .
    input lines
    .
    expected output             <- "title: ...", "author: ...", "date: ..." lines, then blocks
    .
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from converter.document import Document

KIND = re.compile(r"\s*\[(text|md|html)\]\s*$")
KINDS = {"text": "text", "md": "markdown", "html": "html"}


@dataclass
class Case:
    """One fixture case."""

    title: str
    kind: str
    source: str
    expected: str
    line: int


def read_cases(path: Path) -> list[Case]:
    """Parse a fixture file into cases."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title_line = i
        title = lines[i]
        if lines[i + 1] != ".":
            raise ValueError(f"{path}:{i + 2}: expected '.' after the case title")
        i += 2
        parts: list[list[str]] = [[], []]
        for part in parts:
            while lines[i] != ".":
                part.append(lines[i])
                i += 1
            i += 1
        match = KIND.search(title)
        kind = KINDS[match.group(1)] if match else "text"
        title = KIND.sub("", title)
        cases.append(Case(title, kind, "\n".join(parts[0]) + "\n", "\n".join(parts[1]), title_line + 1))
    return cases


def render(doc: Document, fields: tuple[str, ...] = ("title", "author", "date")) -> str:
    """Render metadata lines and one line per top-level block, without internal attributes."""
    out = []
    for field in fields:
        value = getattr(doc.meta, field)
        if value:
            out.append(f"{field}: {value}")
    for child in doc.body:
        markup = lxml_html.tostring(child, encoding="unicode", with_tail=False)
        markup = re.sub(r'\s+data-[\w-]+="[^"]*"', "", markup)
        markup = re.sub(r">\s*\n\s*<", "><", markup).strip()
        out.append(markup)
    return "\n".join(out)
