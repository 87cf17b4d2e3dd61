"""The normaliser: an ordered recipe of named passes that repair an article's structure.

Each pass is a plain function ``fn(doc, ctx)`` that changes ``doc`` in place and records
every change with ``ctx.change(rule, node, before, after)``. Read the list top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml import etree

from ..document import Change, Document
from ..errors import UnknownPassError
from . import (
    boilerplate,
    headings,
    hygiene,
    links,
    lists,
    markdown_syntax,
    metadata,
    notes,
    paragraphs,
    punctuation,
    typography,
)
from .tree import short

Pass = Callable[[Document, "PassContext"], None]

PASSES: list[tuple[str, Pass]] = [
    ("typography.unicode", typography.clean_unicode),
    ("markdown.syntax", markdown_syntax.repair_markdown_syntax),
    ("links.redirects", links.unwrap_redirects),
    ("paragraphs.lines", paragraphs.split_or_join_lines),
    ("notes.text", notes.text_notes),
    ("boilerplate.blocks", boilerplate.remove_boilerplate_blocks),
    ("metadata.title", metadata.extract_title),
    ("lists.markers", lists.repair_list_markers),
    ("headings.lines", headings.promote_heading_lines),
    ("headings.hierarchy", headings.fix_hierarchy),
    ("metadata.byline", metadata.extract_byline_and_dateline),
    ("metadata.language", metadata.detect_language),
    ("typography.smart-quotes", punctuation.smart_quotes),
    ("typography.french-spacing", punctuation.french_spacing),
    ("hygiene.tidy", hygiene.tidy),
]
# Passes that run only when asked for (``enable=``, ``--enable-pass``): curly quotes change
# the author's characters, which not every publication wants.
OPTIONAL_PASSES: frozenset[str] = frozenset({"typography.smart-quotes"})

PASS_DOCS: dict[str, str] = {
    name: (fn.__doc__ or "").strip().splitlines()[0] for name, fn in PASSES
}


@dataclass
class PassContext:
    """What a pass gets besides the document: its name and a way to record changes."""

    doc: Document
    pass_name: str

    def change(
        self,
        rule: str,
        node: etree._Element | None,
        before: etree._Element | str | None,
        after: etree._Element | str | None,
    ) -> None:
        """Record one change made by the current pass."""
        self.doc.changes.append(
            Change(rule, locate(node), short(before), short(after), self.pass_name)
        )


def locate(node: etree._Element | None) -> str:
    """Describe where a node came from: its source line when known, else its block index."""
    if node is None:
        return "document"
    probe: etree._Element | None = node
    while probe is not None:
        line = probe.get("data-line")
        if line:
            return f"line {line}"
        prev = probe.getprevious()
        if prev is not None and prev.get("data-line"):
            return f"after line {prev.get('data-line')}"
        probe = probe.getparent()
    parent = node.getparent()
    if parent is not None:
        return f"block {parent.index(node) + 1}"
    return "document"


def pass_names() -> list[str]:
    """Return the pass names in order."""
    return [name for name, _ in PASSES]


def check_pass_names(names: Iterable[str]) -> None:
    """Raise UnknownPassError for a name no pass has."""
    known = set(pass_names())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UnknownPassError(
            f"unknown pass {', '.join(map(repr, unknown))} (see `converter passes`)"
        )


def normalise(
    doc: Document, *, only: Iterable[str] | None = None, disable: Iterable[str] = (),
    until: str | None = None, enable: Iterable[str] = (),
) -> Document:
    """Run the passes in order on ``doc`` (in place) and return it.

    ``only`` runs just the named passes, ``disable`` skips some, ``enable`` switches on
    optional ones (OPTIONAL_PASSES), ``until`` stops after the named pass (fixture tests use it
    to run a pass with the passes it builds on; an optional pass named there runs).
    """
    only_set = set(only) if only is not None else None
    disabled = set(disable)
    enabled = set(enable) | (only_set or set()) | ({until} if until else set())
    check_pass_names((only_set or set()) | disabled | enabled)
    for name, fn in PASSES:
        wanted = name not in OPTIONAL_PASSES or name in enabled
        if (only_set is None or name in only_set) and name not in disabled and wanted:
            fn(doc, PassContext(doc, name))
        if name == until:
            break
    return doc
