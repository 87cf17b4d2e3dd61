"""The Document every reader produces, every pass repairs and every writer renders.

The body is an lxml element (``<body>``, no namespace) holding HTML block elements:
``p, h1-h6, ul, ol, li, blockquote, pre, table, figure, hr, section.footnotes``.
Readers may leave internal ``data-*`` attributes (``data-line``: the source line) that the
normaliser's last pass removes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree
from lxml import html as lxml_html

SourceKind = Literal["text", "markdown", "html"]


@dataclass
class Metadata:
    """What the article says about itself; ``date`` is ISO 8601, ``language`` BCP 47."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    description: str | None = None
    site: str | None = None
    subtitle: str | None = None  # the line under the headline ("standfirst", "dek")


@dataclass(frozen=True)
class Change:
    """One repair: the pass that made it ("read" for a reader), rule code, where in the
    source, text before and after."""

    rule: str
    where: str
    before: str
    after: str
    pass_name: str = "read"

    def as_dict(self) -> dict[str, str]:
        """Return the change as a JSON-ready mapping."""
        return {"pass": self.pass_name, "rule": self.rule, "where": self.where,
                "before": self.before, "after": self.after}


@dataclass
class Document:
    """An article: metadata plus a body of HTML block elements."""

    meta: Metadata
    body: etree._Element
    kind: SourceKind = "text"
    source: Path | None = None
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def copy(self) -> Document:
        """Return a deep copy, for writers that need format-specific tweaks."""
        return Document(
            meta=copy.deepcopy(self.meta),
            body=copy.deepcopy(self.body),
            kind=self.kind,
            source=self.source,
            changes=list(self.changes),
            warnings=list(self.warnings),
        )

    def body_html(self) -> str:
        """Serialise the body's children as an HTML fragment (used by tests and reports)."""
        return "".join(
            lxml_html.tostring(child, encoding="unicode", with_tail=False) for child in self.body
        )


def new_body() -> etree._Element:
    """Return an empty ``<body>`` element."""
    return lxml_html.Element("body")


def body_from_html(fragment: str) -> etree._Element:
    """Parse an HTML fragment into a ``<body>`` element (for tests and the HTML reader)."""
    body = new_body()
    if not fragment.strip():
        return body
    for node in lxml_html.fragments_fromstring(fragment):
        if isinstance(node, str):
            if node.strip():
                p = lxml_html.Element("p")
                p.text = node.strip()
                body.append(p)
            continue
        body.append(node)
    return body


def document_from_html(fragment: str, **meta: str | None) -> Document:
    """Build a Document from a body fragment and metadata keywords (tests, writers' demos)."""
    return Document(meta=Metadata(**meta), body=body_from_html(fragment), kind="html")
