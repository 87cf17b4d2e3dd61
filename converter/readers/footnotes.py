"""Footnotes as web pages write them, turned into pandoc's form, which every writer reads.

    <p>… a year.<sup><a href="#fn-1" id="ref-1">1</a></sup></p>
    <ol class="notes"><li id="fn-1">HM Treasury, March 2024. <a href="#ref-1">↩</a></li></ol>
    ->
    <p>… a year.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>
    <section class="footnotes" role="doc-endnotes"><ol><li id="fn1"><p>HM Treasury, March
    2024.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></section>

The PDF sets such notes at the foot of the page that cites them, the EPUB as pop-up notes, the
DOCX as Word footnotes and the Markdown as ``[^1]``; any other markup stays a superscript link
and a list at the end. Two forms are recognised:

- linked: a link to an anchor in the page, its text a note marker ("1", "[1]", "*", "†"), in a
  ``<sup>`` or named as a note (class or id with "footnote", "fn", "note", "ref", "cite"). Its
  note is the list item the anchor is, or the paragraph that holds it (Word's
  ``<p><a name="_ftn1"></a>[1] text</p>``), and comes after the reference. WordPress plugins,
  Wikipedia, Python-Markdown and Word's HTML all write notes so.
- unlinked: Word's HTML with its links gone: ``<sup>[1]</sup>`` in the text, and after the last
  of them, paragraphs that start with "[1]", "[2]"... one for each number cited.

The notes are numbered in the order they are first cited; a note's marker and its own links
back to the text are replaced by pandoc's. A "Notes" heading or a rule right above them goes
(the notes leave that place in a PDF or an EPUB; pandoc's form draws its own rule). A page
already in pandoc's form is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from ..normalise.tree import collapse_spaces, is_bold_only
from .sanitise import remove_keep_tail

# The text of a note reference: a number, bracketed or not, or a symbol.
MARKER = re.compile(r"^(?:\[\s*\d{1,3}\s*\]|\(\s*\d{1,3}\s*\)|\d{1,3}|[*†‡§¶]{1,3}|[a-z])$")
# Class or id words that name a note reference (or its superscript).
NOTE_NAMES = re.compile(r"foot|\bfn|note|\bref|cite|_ftn", re.IGNORECASE)
# The marker a note starts with: "[1]", "1.", "1)", "^", "↑", "*".
LEADING_MARKER = re.compile(r"^\s*(?:\[\s*\d{1,3}\s*\]|\(\s*\d{1,3}\s*\)|\d{1,3}(?![\d,]|\.\d)[.)]?|[\^↑*†‡§¶]+)\s*")
# What is left of a back link the note's references were cut out of: Wikipedia's "^ a b"
# (a note cited twice: "^" and a link per citation) loses its links and keeps its "^".
BACK_MARK = re.compile(r"^\s*[\^↑]+\s*")
# Links in a note back to its reference, when they do not say where they go.
BACK_TEXT = re.compile(r"^(?:[↩↑⤴^]\ufe0e?|back|return|zurück|retour)$", re.IGNORECASE)
# A heading over the notes: it goes with them.
NOTES_HEADING = re.compile(
    r"^(?:foot ?notes?|end ?notes?|notes?|references|sources|anmerkungen|fußnoten|einzelnachweise|"
    r"notes de bas de page|références|notas|referencias)\s*:?$",
    re.IGNORECASE,
)
# Word's unlinked references: "[1]" in a superscript.
UNLINKED_REF = re.compile(r"^\[(\d{1,3})\]$")
UNLINKED_NOTE = re.compile(r"^\s*\[(\d{1,3})\]\s*\S")
# A CMS's unlinked references: a bare number in a superscript ("them.<sup>1</sup>"), its note
# a paragraph that opens with the same superscript ("<p><sup>1</sup> City survey, 2016.</p>").
BARE_NUMBER = re.compile(r"^(\d{1,3})$")
# What a power's superscript follows: a figure, or a figure and a unit ("10", "40 m", "5km").
POWER_BASE = re.compile(r"\d(?:\s?[^\W\d_]{1,3})?$")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A note's size at most: blocks inside it, and words.
NOTE_MAX_BLOCKS = 6
NOTE_MAX_WORDS = 600
BLOCKS = ("p", "li", "div", "dd", "blockquote")


@dataclass
class _Note:
    block: etree._Element  # the page's <li> or paragraph
    refs: list[etree._Element] = field(default_factory=list)  # the elements that cite it
    back_ids: set[str] = field(default_factory=set)  # ids of the refs (its back links go there)
    more: list[etree._Element] = field(default_factory=list)  # its further paragraphs


def canonical_footnotes(root: etree._Element) -> int:
    """Rewrite the page's footnotes in ``root`` into pandoc's form, in place; return how many."""
    if any("footnote-ref" in (a.get("class") or "").split() or a.get("role") == "doc-noteref"
           for a in root.iter("a")):
        return 0
    order = {el: n for n, el in enumerate(root.iter())}
    notes = _linked_notes(root, order) or _unlinked_notes(root, order)
    if not notes:
        return 0
    _rewrite(root, notes, order)
    return len(notes)


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _anchors(root: etree._Element) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for key in (el.get("id"), el.get("name") if el.tag == "a" else None):
            if key and key not in found:
                found[key] = el
    return found


def names_a_note(el: etree._Element) -> bool:
    return any(NOTE_NAMES.search(f"{e.get('class') or ''} {e.get('id') or ''} {e.get('name') or ''}")
               for e in (el, el.getparent()) if e is not None)


def _in_superscript(a: etree._Element) -> bool:
    parent = a.getparent()
    return (parent is not None and parent.tag == "sup") or next(a.iter("sup"), None) is not None


def note_block(target: etree._Element) -> etree._Element | None:
    """The list item that an anchor is, or the block that holds it: a short one (an anchor
    loose in a wrapper of the story's paragraphs is no note)."""
    for el in (target, *target.iterancestors()):
        if el.tag in ("body", "article", "section", "main"):
            return None
        if el.tag in BLOCKS:
            inner = sum(1 for c in el.iter(*BLOCKS) if c is not el)
            return el if inner <= NOTE_MAX_BLOCKS and len(_text(el).split()) <= NOTE_MAX_WORDS else None
    return None


def _linked_notes(root: etree._Element, order: dict) -> list[_Note]:
    anchors = _anchors(root)
    notes: dict[etree._Element, _Note] = {}
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href.startswith("#") or len(href) < 2 or not MARKER.match(_text(a)):
            continue
        if not (_in_superscript(a) or names_a_note(a)):
            continue
        target = anchors.get(href[1:])
        if target is None or order.get(target, -1) <= order[a]:
            continue
        block = note_block(target)
        if block is None or a in set(block.iter("a")) or next(block.iter(*HEADINGS), None) is not None:
            continue
        note = notes.setdefault(block, _Note(block))
        note.refs.append(a)
        for el in (a, a.getparent()):
            for key in (el.get("id"), el.get("name")) if el is not None else ():
                if key:
                    note.back_ids.add(key)
    return sorted(notes.values(), key=lambda n: order[n.refs[0]])


def _unlinked_notes(root: etree._Element, order: dict) -> list[_Note]:
    return _bracketed_notes(root, order) or _superscript_notes(root, order)


def _opens_block(sup: etree._Element) -> bool:
    parent = sup.getparent()
    return parent is not None and parent.tag == "p" and parent.index(sup) == 0 and not (parent.text or "").strip()


def _superscript_notes(root: etree._Element, order: dict) -> list[_Note]:
    """Notes numbered 1, 2, 3... in bare superscripts, each cited in the text and each opening
    a paragraph after the last citation. A superscript after a figure is a power
    ("10<sup>6</sup>"); a number cited without its note, or a note nobody cites, and nothing
    is taken (m<sup>2</sup> has no paragraph opening with "<sup>2</sup>")."""
    refs: dict[int, list[etree._Element]] = {}
    openers: list[etree._Element] = []
    for sup in root.iter("sup"):
        match = BARE_NUMBER.match(_text(sup))
        if not match or any(a.get("href") for a in sup.iter("a")):
            continue
        if _opens_block(sup):
            openers.append(sup)
            continue
        before = sup.getprevious().tail if sup.getprevious() is not None else sup.getparent().text
        if POWER_BASE.search(before or ""):
            continue
        refs.setdefault(int(match.group(1)), []).append(sup)
    if not refs or not openers:
        return []
    last_ref = max(order[s] for sups in refs.values() for s in sups)
    blocks: dict[int, etree._Element] = {}
    for sup in openers:
        p = sup.getparent()
        if order[p] > last_ref and (sup.tail or "").strip():
            blocks.setdefault(int(_text(sup)), p)
    if set(blocks) != set(refs) or sorted(refs) != list(range(1, len(refs) + 1)):
        return []
    for p in blocks.values():
        remove_keep_tail(p[0])  # the note's own number: pandoc's form numbers it
    notes = [_Note(blocks[n], refs[n]) for n in refs]
    return sorted(notes, key=lambda n: order[n.refs[0]])


def _bracketed_notes(root: etree._Element, order: dict) -> list[_Note]:
    refs: dict[int, list[etree._Element]] = {}
    for sup in root.iter("sup"):
        match = UNLINKED_REF.match(_text(sup))
        if match and not any(a.get("href") for a in sup.iter("a")):
            refs.setdefault(int(match.group(1)), []).append(sup)
    if not refs:
        return []
    last_ref = max(order[s] for sups in refs.values() for s in sups)
    blocks: dict[int, etree._Element] = {}
    for p in root.iter("p"):
        match = UNLINKED_NOTE.match(_text(p))
        if match and order[p] > last_ref and next(p.iter("sup"), None) is None:
            blocks.setdefault(int(match.group(1)), p)
    if set(blocks) != set(refs):
        return []  # a number cited without its note, or a "[3]" paragraph nobody cites
    notes = [_Note(blocks[n], refs[n]) for n in refs]
    return sorted(notes, key=lambda n: order[n.refs[0]])


def _continuations(notes: list[_Note], root: etree._Element) -> None:
    """A note written as paragraphs (Word's) goes on up to the next note: a quotation or a
    second paragraph after a note's paragraph is the note's, up to the next note's paragraph
    beside it, or to the end of a wrapper that holds this note alone (Word's
    ``<div id="ftn1">``). Where neither ends it, the note is its paragraph."""
    blocks = {n.block for n in notes}
    per_parent = Counter(b.getparent() for b in blocks)  # (not parent.iter(): a page of 300 notes)
    for note in notes:
        if note.block.tag == "li":
            continue
        parent = note.block.getparent()
        alone = parent is not None and parent is not root and per_parent[parent] == 1
        run = []
        for sibling in note.block.itersiblings():
            if sibling in blocks:
                break
            if isinstance(sibling.tag, str) and sibling.tag in HEADINGS:
                run = []
                break
            run.append(sibling)
        else:
            if not alone:
                run = []  # the last note among the page's paragraphs: nothing says where it ends
        note.more = [el for el in run if isinstance(el.tag, str)]


def _rewrite(root: etree._Element, notes: list[_Note], order: dict) -> None:
    _continuations(notes, root)
    section = lxml_html.Element("section", {"class": "footnotes", "role": "doc-endnotes"})
    ol = etree.SubElement(section, "ol")
    first_block = min((n.block for n in notes), key=lambda b: order[b])
    anchor = _container(first_block)
    anchor.addprevious(section)
    for _ in range(2):  # a rule and a "Notes" heading over them, in either order
        before = _before(section)
        if before is not None and ((before.tag == "hr" and not (before.tail or "").strip())
                                   or (before.tag in (*HEADINGS, "p") and NOTES_HEADING.match(_text(before))
                                       and (before.tag != "p" or is_bold_only(before)))):
            remove_keep_tail(before)
    for number, note in enumerate(notes, 1):
        ol.append(_note_item(note, number))
        for i, ref in enumerate(note.refs):
            _replace_ref(ref, number, first=i == 0)
    for note in notes:
        container = _container(note.block)
        parent = note.block.getparent()
        if parent is not None:
            parent.remove(note.block)
        if container is not note.block and not any(isinstance(c.tag, str) for c in container) \
                and not (container.text or "").strip() and container.getparent() is not None:
            container.getparent().remove(container)


def _before(el: etree._Element) -> etree._Element | None:
    """The element just before ``el``, looking out of the wrappers it opens
    (Wikipedia's ``<h2>References</h2><div class="reflist"><ol>``)."""
    node = el
    while node.getprevious() is None and node.getparent() is not None and node.getparent().tag in ("div", "section"):
        node = node.getparent()
    before = node.getprevious()
    return before if before is not None and isinstance(before.tag, str) else None


def _container(block: etree._Element) -> etree._Element:
    """What the notes section replaces: a note's list, or the note paragraph itself."""
    parent = block.getparent()
    if block.tag == "li" and parent is not None and parent.tag in ("ol", "ul"):
        return parent
    return block


def _note_item(note: _Note, number: int) -> etree._Element:
    li = lxml_html.Element("li", {"id": f"fn{number}"})
    block = note.block
    for a in list(block.iter("a")):
        href = (a.get("href") or "").strip()
        if (href.startswith("#") and href[1:] in note.back_ids) or (not a.get("href") and not _text(a)) \
                or (href.startswith("#") and BACK_TEXT.match(_text(a))):
            remove_keep_tail(a)
    has_blocks = any(isinstance(c.tag, str) and c.tag in (*BLOCKS, "ul", "ol", "pre", "table") for c in block)
    holder = li if has_blocks else etree.SubElement(li, "p")
    holder.text = block.text
    for child in list(block):
        holder.append(child)
    first = holder if not has_blocks else next((c for c in holder if isinstance(c.tag, str)), holder)
    if first.text and first.text.strip():
        first.text = LEADING_MARKER.sub("", first.text, count=1)
    else:
        _strip_back_mark(first)
    for extra in note.more:
        extra.tail = None
        li.append(extra)
    collapse_spaces(li)  # the source's line breaks: notes are laid out inline in a PDF
    last = li[-1] if len(li) and li[-1].tag == "p" else holder
    back = etree.SubElement(last, "a", {"href": f"#fnref{number}", "class": "footnote-back",
                                        "role": "doc-backlink"})
    back.text = "↩︎"
    return li


def _strip_back_mark(block: etree._Element) -> None:
    """Remove a back link's leftover "^" from the note's first words, inside the inline
    element that holds them (``<span class="mw-cite-backlink">^ </span>``)."""
    for event, el in etree.iterwalk(block, events=("start", "end")):
        attr = "text" if event == "start" else "tail"
        if el is block and attr == "tail":
            return
        value = getattr(el, attr) if isinstance(el.tag, str) or attr == "tail" else None
        if value and value.strip():
            setattr(el, attr, BACK_MARK.sub("", value, count=1))
            return


def _replace_ref(ref: etree._Element, number: int, first: bool) -> None:
    new = lxml_html.Element("a", {"href": f"#fn{number}", "class": "footnote-ref", "role": "doc-noteref"})
    if first:
        new.set("id", f"fnref{number}")
    sup = etree.SubElement(new, "sup")
    sup.text = str(number)
    parent = ref.getparent()
    # A link that is all of its superscript goes with it (pandoc's form has the <sup> inside).
    old = parent if ref.tag != "sup" and parent is not None and parent.tag == "sup" and _text(parent) == _text(ref) else ref
    new.tail = old.tail
    old.getparent().replace(old, new)
