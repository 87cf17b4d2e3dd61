"""Notes in plain text: an encyclopedia article copied from its page keeps its note numbers
and its notes, which become footnotes; its maintenance tags go.

    …after the earlier mill burned down.[citation needed] It ground corn until 1926.[3]
    References[edit]
    ^ "Thorrington Tide Mill". Essex County Council.            (one "^" line per note,
    ^ Historic England. "Tide Mill (1111620)".                    in the order cited)
    ^ Benham, Hervey (1980). Some Essex Water Mills. p. 112.
    ->
    <p>…after the earlier mill burned down. It ground corn until 1926.<a class="footnote-ref"
    …><sup>3</sup></a></p> … <section class="footnotes"><ol><li id="fn1">…</li>…</ol></section>

The notes must be there for every number cited, one "^" line each, after the last
reference; then the numbers and lines become pandoc's footnotes (see
``converter.readers.footnotes``, which does the same for web pages), and the "References"
line over them goes. Otherwise nothing changes: "[3]" may be a citation style of the
article's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from ..document import Document
from . import patterns
from .tree import block_text
from .typography import CODE_TAGS


def _text_slots(body: etree._Element):
    """(element, "text" | "tail") for every piece of text outside code and links."""
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in CODE_TAGS or el.tag == "a":
            continue
        if el is not body and el.text and not any(a.tag in (*CODE_TAGS, "a") for a in el.iterancestors()):
            yield el, "text"
        parent = el.getparent()
        if el.tail and parent is not None and parent.tag not in CODE_TAGS and parent.tag != "a" \
                and not any(a.tag in (*CODE_TAGS, "a") for a in parent.iterancestors()):
            yield el, "tail"


def text_notes(doc: Document, ctx) -> None:
    """Numbered references in plain text ("…in 1831.[3]", "…in 2016.¹", "…than mechanical
    [1].") with their notes at the end become footnotes; maintenance tags ("[citation
    needed]") go."""
    if doc.kind != "text":
        return
    for el, attr in list(_text_slots(doc.body)):
        value = getattr(el, attr)
        fixed = patterns.MAINTENANCE_TAG.sub("", value)
        if fixed != value:
            setattr(el, attr, fixed)
            ctx.change("notes.maintenance-tag", el, value, fixed)
    for style in (_BRACKETED, _SUPERSCRIPT, _NUMBERED_BRACKETS):
        notes = _note_lines(doc.body, style)
        if notes and _make_footnotes(doc, ctx, notes, style):
            return


# Notes end the article: below its last note, no paragraph of this many words.
NOTES_AFTER_MAX_WORDS = 20


@dataclass(frozen=True)
class _Style:
    """How a copy writes its note references and the lines of its notes."""

    ref: re.Pattern[str]  # a reference in the text, its number in group 1
    note: re.Pattern[str]  # the start of a note's line
    numbered: bool  # whether a note's line says its number (else the lines count)
    powers: bool = False  # whether a reference after a figure may be a power ("40 m²")

    def number(self, text: str) -> int:
        return int(text.translate(_FROM_SUPERSCRIPT))


_FROM_SUPERSCRIPT = str.maketrans(patterns.SUPERSCRIPT_DIGITS, "0123456789")
_BRACKETED = _Style(patterns.NOTE_REF, patterns.NOTE_LINE, numbered=False)
_SUPERSCRIPT = _Style(patterns.SUPERSCRIPT_REF, patterns.SUPERSCRIPT_NOTE, numbered=True, powers=True)
_NUMBERED_BRACKETS = _Style(patterns.BRACKET_REF, patterns.BRACKET_NOTE, numbered=True)


def _make_footnotes(doc: Document, ctx, notes: list[etree._Element], style: _Style) -> bool:
    """Turn ``notes`` and the references to them into footnotes, when every number cited has
    its note and every note is cited; False (nothing changed) otherwise."""
    if style.numbered and [style.number(style.note.match(p.text).group(1)) for p in notes] != \
            list(range(1, len(notes) + 1)):
        return False  # "¹", "²", "³" in order, as the notes of one article are
    if style.numbered and any(el.tag == "p" and len(block_text(el).split()) >= NOTES_AFTER_MAX_WORDS
                              for el in notes[-1].itersiblings()):
        return False  # the paper's text below them: authors' affiliations ("¹ University of …")
    cited: set[int] = set()
    slots = []
    for el, attr in _text_slots(doc.body):
        if el in notes or (attr == "tail" and el.getparent() in notes):
            continue
        numbers = [style.number(m.group(1)) for m in _references(getattr(el, attr), style)]
        if numbers:
            cited.update(numbers)
            slots.append((el, attr))
    if cited != set(range(1, len(notes) + 1)):
        return False
    for el, attr in slots:
        _superscripts(el, attr, style)
    for number, p in enumerate(notes, 1):
        p.text = f"[{number}] " + style.note.sub("", p.text or "", count=1)
    label = notes[0].getprevious()
    if label is not None and label.tag == "p" and _is_notes_label(block_text(label)):
        ctx.change("notes.label", label, label, None)
        label.getparent().remove(label)
    from ..readers.footnotes import canonical_footnotes  # (the readers import the normaliser)

    count = canonical_footnotes(doc.body)
    ctx.change("notes.footnotes", None, f"{len(cited)} numbered references", f"{count} footnotes")
    return True


def _is_notes_label(text: str) -> bool:
    from ..readers.footnotes import NOTES_HEADING

    return bool(NOTES_HEADING.match(patterns.EDIT_LINK.sub("", text).rstrip()))


def _note_lines(body: etree._Element, style: _Style) -> list[etree._Element]:
    """The last run of paragraphs in a row that each open as a note does (two at least)."""
    run: list[etree._Element] = []
    best: list[etree._Element] = []
    for el in body:
        match = style.note.match(el.text or "") if el.tag == "p" else None
        if match and ((el.text or "")[match.end():].strip() or len(el)):
            run.append(el)
            continue
        if len(run) >= 2:
            best = run
        run = []
    return run if len(run) >= 2 else best


def _references(value: str, style: _Style) -> list[re.Match[str]]:
    """The note references in ``value``; a superscript after a figure or a unit is a power
    ("40 m²", "10³"), not a reference."""
    from ..readers.footnotes import POWER_BASE  # (the readers import the normaliser)

    return [m for m in style.ref.finditer(value)
            if not (style.powers and POWER_BASE.search(value[:m.start()]))]


def _superscripts(el: etree._Element, attr: str, style: _Style) -> None:
    """Put each reference in ``el``'s text (or tail) in a ``<sup>`` as "[n]" (the form the
    footnote reader reads), powers ("m²") left as they are."""
    value = getattr(el, attr)
    pieces: list[str | int] = []
    last = 0
    for match in _references(value, style):
        pieces += [value[last:match.start()], style.number(match.group(1))]
        last = match.end()
    pieces.append(value[last:])
    setattr(el, attr, pieces[0])
    if attr == "text":
        insert_at, parent = 0, el
    else:
        parent = el.getparent()
        insert_at = parent.index(el) + 1
    for i in range(1, len(pieces), 2):
        sup = lxml_html.Element("sup")
        sup.text = f"[{pieces[i]}]"
        sup.tail = pieces[i + 1]
        parent.insert(insert_at, sup)
        insert_at += 1
