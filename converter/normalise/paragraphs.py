"""Source lines -> paragraphs: split one-paragraph-per-line text, unwrap hard-wrapped text.

Scraped text (the seed article) has one paragraph per line:

    Title<br/>First paragraph, 300 characters long ...<br/>Heading<br/>...
    ->  <p>Title</p><p>First paragraph ...</p><p>Heading</p>

A 72-column newsletter wraps its paragraphs, and hyphenates words at the break:

    The sup-<br/>pliers said that the new line<br/>would open in May.
    ->  <p>The suppliers said that the new line would open in May.</p>

Markdown soft breaks are joined (as any Markdown renderer does) unless the lines are
broken Markdown structure ("-item", "##Heading") that must be split to be repaired; an item's
wrapped line stays with it. Dash lines CommonMark read as setext underlines become markers:

    <h2 data-setext="-">You will need:</h2><h2 data-setext="-">flour</h2><p>salt</p>
    ->  <p>You will need:</p><p>-</p><p>flour</p><p>-</p><p>salt</p>

Old blogs and Word exports break HTML paragraphs with <br>:

    <p>One.<br><br><b>Method</b><br>Heat the oven.</p>  ->  <p>One.</p><p><b>Method</b></p><p>Heat…</p>
"""

from __future__ import annotations

import re
import statistics
from itertools import pairwise

from lxml import etree
from lxml import html as lxml_html

from ..document import Document
from . import patterns
from .boilerplate import breaks_off, contents_entry, is_boilerplate
from .hygiene import remove_empty_blocks
from .metadata import marked_authors
from .tree import (
    block_text,
    columns,
    is_soft_break,
    is_wide,
    line_joiner,
    lstrip_element,
    replace_with,
    split_at,
)

# Longest line we still consider part of a hard-wrapped text (e-mail wraps at 72-78).
MAX_WRAP_WIDTH = 100
# A narrower wrap (a newspaper column's 30-40 characters) needs more lines to show it: a
# title, a subtitle and a byline are three short lines too.
NARROW_WRAP = 45
# The first-line indent of a paragraph set in a column, in spaces at most.
PARAGRAPH_INDENT_MAX = 8
# How long a line that stops mid-sentence is at least, as a share of the width, to be joined
# to a next line that goes on in lower case: in ordinary and in narrow wraps.
RAGGED_SHARE = 0.75
NARROW_RAGGED_SHARE = 0.6
NARROW_WRAP_MIN_LINES = 4
SENTENCE_END = frozenset(".!?:;\"”’»)…。！？」』）")
# The lookbehind starts a try only where a word starts; without it, search() on a long run
# of letters retried at every one of them (quadratic on a 5 MB line with no spaces).
HYPHEN_BREAK = re.compile(r"(?<![^\W\d_])(?P<word>[^\W\d_]+)-\s*$", re.UNICODE)


def _lines(p: etree._Element) -> list[etree._Element]:
    return split_at(p, is_soft_break)


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _structure_line(text: str) -> bool:
    """Lines that start a list item or a heading in broken Markdown or scraped text."""
    stripped = text.strip()
    return bool(
        patterns.DETACHED_MARKER.match(stripped)
        or patterns.INLINE_MARKER.match(stripped)
        or patterns.ATX_GLUED.match(stripped)
    )


def _symbol_lines(texts: list[str]) -> bool:
    """True when two lines or more of a block start with a symbol and a space (an emoji or a
    check mark used as a bullet, whose meaning a list marker would lose)."""
    return sum(1 for t in texts if patterns.LEADING_SYMBOLS.match(t.strip()) and " " in t.strip()[:4]) >= 2


def _contact_lines(texts: list[str]) -> bool:
    """True for a press contact's block: its label ("Media Contact:", "For more information
    contact:") over a few short lines (a name, a role, an address, a telephone number)."""
    rest = [t.strip() for t in texts[1:]]
    return (bool(patterns.CONTACT_LABEL.match(texts[0].strip())) and 1 <= len(rest) <= patterns.CONTACT_MAX_LINES
            and all(rest) and all(len(t.split()) <= patterns.CONTACT_LINE_MAX_WORDS and t[-1] not in ".!?" for t in rest))


# An affiliation's mark, opening its line: "1 School of Life Sciences…", "* Correspondence: …".
AFFILIATION_MARK = re.compile(r"^(?:\d{1,2}|[*†‡§]|[¹²³\u2074-\u2079])\s*[^\W\d_]")


def _affiliation_lines(texts: list[str], before: etree._Element | None) -> bool:
    """True for a paper's affiliations under its marked author list ("Marta Iglesias1, Daniel
    Okafor2 and Lena Fischer1,*" / "1 School of…" / "2 Environment Agency…"): lines that keep
    their marks and stay one block."""
    return (before is not None and len(texts) >= 2 and all(AFFILIATION_MARK.match(t.strip()) for t in texts)
            and marked_authors(block_text(before)) is not None)


# Verse: a block of lines this many at least, of which this share breaks where the next
# line's first word would still have fitted (wrapping never does) and this share ends with a
# mark (a list's items without markers end with none), in this share of the text's blocks
# of such lines at least.
VERSE_MIN_LINES = 3
VERSE_FIT_SHARE = 0.5
VERSE_PUNCTUATED_SHARE = 1 / 3
VERSE_BLOCK_SHARE = 2 / 3
VERSE_LINE_END = tuple(",;:.!?—–-")


def _pushed_down(prev: str, line: str, width: int) -> bool:
    """Whether ``line``'s first word would not have fitted on ``prev`` in a wrap at ``width``
    (less a margin of two columns for a wrapper that counted differently)."""
    word = line.strip().split(" ", 1)[0]
    if is_wide(word[:1]):
        word = word[:1]  # Chinese and Japanese lines break between any two characters
    return columns(prev.rstrip()) + 1 + columns(word) > width - 2


def _fit_share(texts: list[str], width: int) -> float:
    """The share of a block's line breaks where the next line's first word would have fitted."""
    breaks = list(pairwise(texts))
    return sum(1 for a, b in breaks if not _pushed_down(a, b, width)) / len(breaks)


def _stanza_like(texts: list[str], markers: bool = False) -> bool:
    """Lines of words that could be a stanza: three or more, none page furniture nor (unless
    ``markers``) a list item or a heading's marker, a third of them ending with a mark."""
    lines = [t.strip() for t in texts]
    return (len(lines) >= VERSE_MIN_LINES and all(len(t.split()) >= 2 for t in lines)
            and not any((_structure_line(t) and not markers) or is_boilerplate(t) for t in lines)
            and sum(1 for t in lines if t.endswith(VERSE_LINE_END)) >= VERSE_PUNCTUATED_SHARE * len(lines))


def verse_blocks(doc: Document, width: int | None) -> set[etree._Element]:
    """The stanzas of a poem in plain text: when most blocks of lines that could be stanzas
    (two of them at least) break their lines where the next word would have fitted, the text
    is verse and its blocks of lines keep them. (A poem's lines are about as long as each
    other, so the width test took it for text wrapped at its longest line, and every stanza
    ran on as prose.)"""
    if width is None:
        return set()
    blocks = [(p, [_text(line) for line in _lines(p)]) for p in doc.body.iterchildren("p")
              if any(is_soft_break(c) for c in p)]
    candidates = [texts for _, texts in blocks if _stanza_like(texts)]
    verse = sum(1 for texts in candidates if _fit_share(texts, width) >= VERSE_FIT_SHARE)
    if verse < 2 or verse < VERSE_BLOCK_SHARE * len(candidates):
        return set()
    # In a poem, every stanza keeps its lines: one with a line opening with a dash too
    # ("- And on the night…"); a block of list items stays a list, a title over its byline
    # two lines.
    return {p for p, texts in blocks if _stanza_like(texts, markers=True)
            and sum(1 for t in texts if _structure_line(t)) < len(texts) / 2}


def _field_lines(texts: list[str]) -> bool:
    """True when every line of a block is a field ("Date: 12 April" / "Time: 7pm" / "Place:
    the church hall"): lines that joining would run together."""
    return len(texts) >= 2 and all(patterns.FIELD_LINE.match(t.strip()) for t in texts)


def wrap_width(doc: Document) -> int | None:
    """Return the width a plain-text document was hard-wrapped at, or None if it was not."""
    blocks: list[list[str]] = []
    for p in doc.body.iterchildren("p"):
        if not any(is_soft_break(c) for c in p):
            continue
        blocks.append([_text(line).rstrip() for line in _lines(p)])
    every = [line for block in blocks for line in block]
    if not blocks or len(every) < 3:
        return None
    if sum(1 for line in every if columns(line) > MAX_WRAP_WIDTH) > 0.05 * len(every):
        return None  # one paragraph per line: scraped text, not wrapped text
    width = max(columns(line) for line in every)
    # The evidence is in the paragraphs that reach the width, their last lines aside (a
    # wrapped paragraph ends where it ends): a byline block of short lines, a list's items
    # and a footer's links are not wrapped text, and must not outvote the paragraphs that are.
    lines = [line for block in blocks if max(columns(line) for line in block) >= 0.6 * width
             for line in block[:-1] if not _structure_line(line)]
    if len(lines) < 2 or (width < NARROW_WRAP and len(lines) < NARROW_WRAP_MIN_LINES):
        return None  # (a title block of three short lines is no narrow column)
    lengths = [columns(line) for line in lines]
    full = [line for line in lines if columns(line) >= 0.6 * width]
    if len(full) < 0.5 * len(lines) or statistics.median(lengths) < 30:
        return width if _sentences_run_on(blocks, width) or _column_wrapped(blocks, width) else None
    # Wrapping breaks lines mid-sentence; scraped paragraphs that happen to be short end with
    # their full stop. The seed's siblings with 80-character paragraphs made this necessary.
    mid_sentence = sum(1 for line in full if line[-1:] not in SENTENCE_END)
    if mid_sentence < 0.5 * len(full):
        return None
    return width


# A narrow column (a newspaper's, copied from its e-paper): breaks inside paragraphs this many
# at least, of which this share pushed the next line's first word down.
COLUMN_MIN_BREAKS = 6
COLUMN_PUSHED_SHARE = 0.85


def _column_wrapped(blocks: list[list[str]], width: int) -> bool:
    """The third look: text set in a narrow column, its lines too short for the median test
    ("Holtbridge council leader Amir" / "Shah said the authority would"). Nearly every break
    inside a block is one where the next line's first word would not have fitted, as only
    wrapping breaks lines; a list's or a byline block's short lines leave room."""
    breaks = [(a, b) for block in blocks for a, b in pairwise(block)  # (after a full stop: a paragraph's end)
              if not _structure_line(a) and not _structure_line(b) and b.strip() and a.rstrip()[-1:] not in SENTENCE_END]
    if len(breaks) < COLUMN_MIN_BREAKS:
        return False
    pushed = sum(1 for a, b in breaks if _pushed_down(a, b, width))
    return pushed >= COLUMN_PUSHED_SHARE * len(breaks)


def _sentences_run_on(blocks: list[list[str]], width: int) -> bool:
    """The second look at a text the line lengths left in doubt: True when the lines a
    sentence runs on from (the next line of the block starts in lower case) all but reach
    the width. A short paragraph or two wrapped among a heading glued to its list, an
    intro line and an indented item's tail ("  the contract.") are outvoted by those lines,
    but these are the breaks only wrapping makes: "...approve a three-year subsidy for the
    island" / "ferry, ending months of argument".
    """
    runs_on = [columns(line) for block in blocks for line, nxt in pairwise(block)
               if nxt.strip()[:1].islower() and not _structure_line(line)]
    return len(runs_on) >= 2 and all(n >= 0.75 * width for n in runs_on) and min(runs_on) >= 40


# A line continues a list item when it starts in lower case or the item line was cut after a
# comma, a hyphen or an opening bracket ("batteries" / "die at the worst possible moment").
ITEM_CONTINUES_AFTER = tuple(",;-–—(/&")


def _item_groups(lines: list[etree._Element], texts: list[str]) -> list[list[etree._Element]]:
    """Split broken-Markdown lines into one group per item, joining an item's wrapped lines."""
    groups: list[list[etree._Element]] = []
    in_item = False
    for line, text, prev in zip(lines, texts, [""] + texts[:-1], strict=True):
        stripped = text.strip()
        marker = patterns.INLINE_MARKER.match(stripped)
        if _structure_line(stripped):
            groups.append([line])
            in_item = bool(marker) and not patterns.ATX_GLUED.match(stripped)
            continue
        first = stripped[:1]
        if in_item and (first.islower() or prev.rstrip().endswith(ITEM_CONTINUES_AFTER)):
            groups[-1].append(line)
            continue
        groups.append([line])
        in_item = False
    return groups


def _indented_continuations(lines: list[etree._Element], texts: list[str]) -> list[list[etree._Element]]:
    """One group per line, except that an indented line under an item continues the item.

        - a packed lunch, because the
          café at the summit is closed      ->  one item
    """
    groups: list[list[etree._Element]] = []
    item_indent: int | None = None
    prev = ""
    for line, text in zip(lines, texts, strict=True):
        indent = len(text) - len(text.lstrip())
        if _structure_line(text):
            groups.append([line])
            item_indent = _item_indent(text)
        elif groups and ((item_indent is not None and indent > item_indent) or _sentence_goes_on(prev, text)):
            groups[-1].append(line)
        else:
            groups.append([line])
            item_indent = None
        prev = text
    return groups


def _sentence_goes_on(prev: str, line: str) -> bool:
    """In text with a paragraph per line, a line that finishes the sentence of the line above:
    it starts in lower case, and the line above, a long one, broke off after a word no
    sentence ends on ("the", "and", "at") or an address ("More information is at https://…" /
    "or from the volunteers at the door."). (Verse breaks its short lines after commas and
    goes on in lower case: "on the quiet hills," / "and the river sleeps".)"""
    if (len(prev.strip()) >= patterns.COMMA_BROKEN_LINE_MIN_CHARS and prev.rstrip().endswith(",")
            and not _structure_line(line) and not is_boilerplate(prev.strip())):
        return True  # "…passed away peacefully on Sunday," / "February 11, 2024, at Allied Hospice…"
    return (len(prev.strip()) >= patterns.BROKEN_LINE_MIN_CHARS and _starts_lower(line.lstrip())
            and breaks_off(prev) and not is_boilerplate(prev.strip()))


def _wrapped_groups(lines: list[etree._Element], texts: list[str], width: int) -> list[list[etree._Element]]:
    """One group per paragraph of a text wrapped at ``width``: a line joins the one above it
    when wrapping pushed it down, or when it is indented under a list item ("• Fares frozen
    until the end of" / "  the contract.").

    A line of page furniture starts a group of its own. After it, an unfinished sentence of
    the paragraph it interrupted goes on (a PDF's running footer, "Coastal Erosion on the
    East Shore   Page 2 of 4", copied between "and water" and "running off the new car
    park"); otherwise a line wrapped from the furniture line is part of it ("You are
    receiving this email because you signed up for the" / "newsletter at a meeting.").
    "Story continues below advertisement" after "said one." ends the paragraph there.
    """
    groups: list[list[etree._Element]] = []
    target: list[etree._Element] | None = None  # the paragraph being written
    target_text = ""
    furniture: list[etree._Element] | None = None  # the furniture just read, if any
    furniture_text = ""
    item_indent: int | None = None
    indents_start = _first_line_indents(texts)
    for line, text in zip(lines, texts, strict=True):
        if is_boilerplate(text.strip()):
            furniture = [line]
            furniture_text = text
            groups.append(furniture)
            continue
        indent = len(text) - len(text.lstrip())
        under_item = item_indent is not None and indent > item_indent and not _structure_line(text)
        # A column's paragraph starts with an indent, after the full stop of the one before.
        indented_start = (indents_start and not under_item and target is not None and target_text.rstrip()[-1:] in SENTENCE_END
                          and 0 < indent - (len(target_text) - len(target_text.lstrip())) <= PARAGRAPH_INDENT_MAX)
        if target is not None and not indented_start and (under_item or (_continues(target_text, text, width) and (
                furniture is None or target_text.rstrip()[-1:] not in SENTENCE_END))):
            target.append(line)
            target_text, furniture = text, None
            continue
        if furniture is not None and _continues(furniture_text, text, width):
            furniture.append(line)
            furniture_text = text
            continue
        target, target_text, furniture = [line], text, None
        groups.append(target)
        item_indent = _item_indent(text)
    return groups


def _first_line_indents(texts: list[str]) -> bool:
    """Whether a block sets its paragraphs off by indenting their first lines (a newspaper
    column): it has indented lines, and each follows a line that ends a sentence. A reference
    list's hanging indent continues entries mid-sentence ("…Protection of" / "    Ancient
    Buildings"), and a list item's tail is indented under its marker."""
    margin = min((len(t) - len(t.lstrip()) for t in texts if t.strip()), default=0)
    indented = [(prev, t) for prev, t in pairwise(texts) if len(t) - len(t.lstrip()) > margin and t.strip()]
    return bool(indented) and all(prev.rstrip()[-1:] in SENTENCE_END and not _structure_line(prev)
                                  for prev, _ in indented)


def _item_indent(text: str) -> int | None:
    """The indent of a list item's marker line, None for any other line."""
    if patterns.INLINE_MARKER.match(text.strip()) and not patterns.ATX_GLUED.match(text.strip()):
        return len(text) - len(text.lstrip())
    return None


def _continues(prev: str, line: str, width: int) -> bool:
    """True when ``line`` was pushed down by wrapping: its first word did not fit on ``prev``."""
    if _structure_line(line):
        return False  # "b) book a free induction" after a long "a) ..." line is the next item
    if patterns.FIELD_LINE.match(line.strip()) and patterns.FIELD_LINE.match(prev.strip()):
        return False  # "From: Millbrook Parish Council <clerk@…>" / "Date: 3 Nov 2026": fields
    if contents_entry(prev) or contents_entry(line):
        return False  # "1 Introduction ........ 3" / "1.1 Purpose ....... 3": a contents' entries
    if HYPHEN_BREAK.search(prev) and line.lstrip()[:1].islower():
        return True  # "sup-" / "pliers": a word broken across the lines
    if _pushed_down(prev, line, width):
        return True
    # A ragged wrap (by hand, or a wrapper that counted differently): a long line that
    # stops mid-sentence, and the sentence going on in lower case on the next line. (A narrow
    # column's justified lines are shorter where a long word went down whole.)
    # In a narrow column, a line that broke off on "a", "the", "of" goes on below whatever
    # the case of the next line ("The site, which includes a" / "Grade II-listed chimney"), and
    # in any wrap a line that ends with a comma ("…made to Allied Hospice," / "100 Abington…").
    narrow = width < NARROW_WRAP
    goes_on = line.lstrip()[:1].islower() or (narrow and breaks_off(prev)) or prev.rstrip().endswith(",")
    return (goes_on and prev.rstrip()[-1:] not in SENTENCE_END
            and columns(prev.rstrip()) >= (NARROW_RAGGED_SHARE if narrow else RAGGED_SHARE) * width)


def _join_text(left: str, right: str, hyphenated_words: set[str]) -> str:
    """Join two wrapped lines, removing a hyphen the wrapping introduced."""
    match = HYPHEN_BREAK.search(left)
    right = right.lstrip()
    if match and right[:1].islower():
        first = match.group("word")
        rest = re.match(r"[^\W\d_]+", right)
        second = rest.group(0) if rest else ""
        compound = f"{first}-{second}".lower()
        keep = first.lower() in patterns.COMPOUND_PREFIXES or compound in hyphenated_words
        if not keep:
            return left.rstrip()[:-1] + right
        return left.rstrip() + right
    return left.rstrip() + line_joiner(left, right) + right


def _merge(segments: list[etree._Element], hyphenated_words: set[str]) -> etree._Element:
    """Merge line segments into one element, joining their text at the seams."""
    out = segments[0]
    for seg in segments[1:]:
        # Append seg's leading text to the end of out, then move its children.
        lead = seg.text or ""
        if len(out):
            last = out[-1]
            last.tail = _join_text(last.tail or "", lead, hyphenated_words)
        else:
            out.text = _join_text(out.text or "", lead, hyphenated_words)
        for child in list(seg):
            out.append(child)
    return out


def _hyphenated_vocabulary(doc: Document) -> set[str]:
    """Hyphenated words written mid-line elsewhere: evidence that a compound keeps its hyphen."""
    words: set[str] = set()
    for text in doc.body.itertext():
        words.update(w.lower() for w in re.findall(r"(?<![^\W\d_])[^\W\d_]+-[^\W\d_]+", text))
    return words


def split_or_join_lines(doc: Document, ctx) -> None:
    """Turn source line breaks into paragraphs (scraped text) or unwrap them (wrapped text)."""
    if doc.kind == "text":
        _underlined_titles(doc.body, ctx)
    if doc.kind != "html":
        _drop_caps(doc, ctx)
    _split_lines(doc, ctx)
    _undo_setext_markers(doc.body, ctx)
    _scene_breaks(doc.body, ctx)
    # Empty blocks would hide a marker's item from the lists pass ("-", "", "item").
    remove_empty_blocks(doc.body, ctx, "paragraphs.empty")


# A line of "=" or "-" under a title in plain text, as Markdown's setext headings write it.
SETEXT_UNDERLINE = re.compile(r"^\s*(?P<rule>=+|-+)\s*$")
UNDERLINED_TITLE_MAX_WORDS = 14


def _is_underline(title: str, underline: str) -> str | None:
    """"=" or "-" when ``underline`` rules the line ``title`` as a heading: three signs at
    least and half the title's length (a short "---" under a sentence is a scene break)."""
    match = SETEXT_UNDERLINE.match(underline)
    title = title.strip()
    if not match or not title or _structure_line(title) or SETEXT_UNDERLINE.match(title):
        return None
    rule = match.group("rule")
    if len(rule) < max(3, len(title) // 2) or len(title.split()) > UNDERLINED_TITLE_MAX_WORDS:
        return None
    return None if title[-1] in ".,;:" else rule[0]


def _lines_paragraph(segments: list[etree._Element], line_no: int) -> etree._Element:
    """One paragraph of ``segments`` (lines) joined by soft breaks again."""
    p = lxml_html.Element("p")
    if line_no:
        p.set("data-line", str(line_no))
    p.text = segments[0].text
    for child in list(segments[0]):
        p.append(child)
    for seg in segments[1:]:
        br = lxml_html.Element("br", {"data-soft": "1"})
        br.tail = seg.text
        p.append(br)
        for child in list(seg):
            p.append(child)
    return p


def _underlined_titles(body: etree._Element, ctx) -> None:
    """Plain text underlines its titles: "A Guide to Winter Cycling" over "=====" is the
    document's title (<h1>), "Tyres and brakes" over "-----" a section heading (<h2>). The
    rule goes; the lines around them stay lines for the split and unwrap that follow."""
    for p in list(body.iterchildren("p")):
        if not any(is_soft_break(c) and SETEXT_UNDERLINE.match(c.tail or "") for c in p):
            continue  # (no line of "=" or "-": nothing to split for)
        lines = _lines(p)
        texts = [_text(line) for line in lines]
        line_no = int(p.get("data-line") or 0)
        new: list[etree._Element] = []
        start = 0
        for k in range(1, len(lines)):
            sign = _is_underline(texts[k - 1], texts[k]) if k - 1 >= start else None
            if not sign:
                continue
            if k - 1 > start:
                new.append(_lines_paragraph(lines[start:k - 1], line_no and line_no + start))
            heading = lxml_html.Element("h1" if sign == "=" else "h2")
            heading.text = texts[k - 1].strip()
            if line_no:
                heading.set("data-line", str(line_no + k - 1))
            new.append(heading)
            start = k + 1
        if not new:
            continue
        if start < len(lines):
            new.append(_lines_paragraph(lines[start:], line_no and line_no + start))
        new[-1].tail = p.tail
        replace_with(p, new)
        for heading in new:
            if heading.tag in ("h1", "h2"):
                ctx.change("paragraphs.underlined-title", heading, p, heading)


# Letters that are words on their own ("A new approach", "I think"): after a drop cap they
# join with a space when the document knows the next word and not the two together.
ONE_LETTER_WORDS = frozenset("AIOEYUÀ")


def _starts_lower(text: str) -> bool:
    return text[:1].isalpha() and text[:1].islower()


def _drop_cap_join(letter: str, rest: str, words: set[str]) -> str:
    """The joint between a drop cap and the rest of its word: "" ("T" + "he"), or " " where
    the letter is a word of its own ("A" + "new approach")."""
    word = re.match(r"[^\W\d_]+", rest)
    following = word.group(0).casefold() if word else ""
    if letter in ONE_LETTER_WORDS and len(following) >= 2 and following in words \
            and (letter + following).casefold() not in words:
        return " "
    return ""


def _drop_caps(doc: Document, ctx) -> None:
    """A magazine's drop cap copied as a line of its own: "T" / "he red kite was gone ...".
    The letter goes back onto its word, on the next line of its block or in the next block."""
    words: set[str] | None = None

    def joint(letter: str, rest: str) -> str:
        nonlocal words
        if words is None:
            words = {w.casefold() for w in re.findall(r"[^\W\d_]+", " ".join(doc.body.itertext()))}
        return _drop_cap_join(letter, rest, words)

    for p in list(doc.body.iterchildren("p")):
        # Any line of the block: "0" / "A" / "s the sun rose" has its drop cap second.
        for br in [c for c in p if is_soft_break(c)]:
            before = br.getprevious()
            if before is not None and not is_soft_break(before):
                continue  # the line before holds markup: no lone letter
            letter = ((p.text if before is None else before.tail) or "").strip()
            rest = (br.tail or "").lstrip()
            if len(letter) != 1 or not letter.isupper() or not _starts_lower(rest):
                continue
            joined = letter + joint(letter, rest) + rest
            if before is None:
                p.text = joined
            else:
                before.tail = joined
            p.remove(br)
            ctx.change("paragraphs.drop-cap", p, letter, joined[:40])
        nxt = p.getnext()
        last = p[-1] if len(p) and is_soft_break(p[-1]) else None
        letter = ((p.text if not len(p) else last.tail if last is not None else "") or "").strip()
        if (len(letter) != 1 or not letter.isupper() or nxt is None or nxt.tag != "p"
                or not _starts_lower((nxt.text or "").lstrip())):
            continue
        # "T" / (blank line) / "he red kite …": the next block; also when the letter ends a
        # block of lines, which the lines pass splits into paragraphs (a second run would join it).
        rest = nxt.text.lstrip()
        nxt.text = letter + joint(letter, rest) + rest
        if last is not None:
            p.remove(last)
        else:
            if p.get("data-line"):
                nxt.set("data-line", p.get("data-line"))
            p.getparent().remove(p)
        ctx.change("paragraphs.drop-cap", nxt, letter, nxt.text[:40])


def _scene_breaks(body: etree._Element, ctx) -> None:
    """A paragraph that is only a scene break ("* * *", "⁂") is a thematic break: ``<hr>``."""
    for p in list(body.iterchildren("p")):
        # (markup around the marks or an empty element beside them changes nothing: "- - - <b></b>")
        if patterns.SCENE_BREAK.match(block_text(p)) and next(p.iter("img", "picture", "svg"), None) is None:
            hr = lxml_html.Element("hr")
            hr.tail = p.tail
            ctx.change("paragraphs.scene-break", p, p, hr)
            replace_with(p, [hr])


def _is_setext_dash(el: etree._Element | None) -> bool:
    return el is not None and el.tag == "h2" and el.get("data-setext") == "-"


def _as_paragraph(heading: etree._Element) -> etree._Element:
    """A new paragraph holding the heading's content (moved out of it)."""
    paragraph = lxml_html.Element("p")
    paragraph.text = heading.text
    for child in list(heading):
        paragraph.append(child)
    return paragraph


def _ruled_sentence(heading: etree._Element) -> bool:
    """A setext heading that is a sentence: it ends with a full stop, or is longer than any
    heading (or spans lines)."""
    text = block_text(heading)
    return (text.endswith((".", "…")) and not text.endswith("...") or len(text.split()) > UNDERLINED_TITLE_MAX_WORDS
            or any(c.tag == "br" for c in heading))


def _undo_setext_markers(body: etree._Element, ctx) -> None:
    """Headings CommonMark made from "item\n-" lines go back to an item and a detached marker.

    "You will need:\n-\nflour\n-\nwater" reads as two setext headings and a paragraph. A run
    of such headings, or one that ends in ":" and introduces a paragraph, is a list whose
    markers stand alone on their lines; "Common Mistakes\n-\nlong paragraph" stays a heading.
    """
    misread = []
    for heading in list(body.iterchildren("h2")):
        if not _is_setext_dash(heading):
            continue
        lines = split_at(heading, lambda c: c.tag == "br")
        if len(lines) > 1 and not _ruled_sentence(lines[-1]):
            # "Traders say the site is quieter." / "Common mistakes" / "-----": CommonMark
            # makes the whole paragraph the heading; the last line alone was underlined.
            paragraph = _lines_paragraph(lines[:-1], 0)
            title = lines[-1]
            title.tag = "h2"
            title.tail = heading.tail
            replace_with(heading, [paragraph, title])
            ctx.change("paragraphs.setext-rule", paragraph, heading, "<p>…</p><h2>…</h2>")
            continue
        if _ruled_sentence(heading):
            # "The market moved this autumn, and not everyone is happy about it." over "---":
            # a paragraph and a thematic break, which CommonMark reads as a heading.
            paragraph = _as_paragraph(heading)
            rule = lxml_html.Element("hr")
            rule.tail = heading.tail
            replace_with(heading, [paragraph, rule])
            ctx.change("paragraphs.setext-rule", paragraph, heading, "<p>…</p><hr>")
            continue
        nxt, prev = heading.getnext(), heading.getprevious()
        in_run = _is_setext_dash(nxt) or _is_setext_dash(prev)
        introduces = block_text(heading).endswith(":") and nxt is not None and nxt.tag == "p"
        if in_run or introduces:
            misread.append(heading)
    for heading in misread:
        paragraph = _as_paragraph(heading)
        marker = lxml_html.Element("p")
        marker.text = "-"
        paragraph.tail = None
        heading.addprevious(paragraph)
        heading.addprevious(marker)
        body.remove(heading)
        ctx.change("paragraphs.setext-marker", paragraph, heading, "<p>…</p><p>-</p>")


def _split_lines(doc: Document, ctx) -> None:
    width = wrap_width(doc) if doc.kind == "text" else None
    verse = verse_blocks(doc, width)
    vocabulary = _hyphenated_vocabulary(doc)
    run_in_titles = doc.kind == "html" and not _has_section_headings(doc.body)
    for p in list(doc.body.iter("p")):
        soft = [c for c in p if is_soft_break(c)]
        if not soft:
            if doc.kind == "html":
                _split_html_breaks(p, ctx, run_in_titles)
            continue
        line_no = int(p.get("data-line") or 0)
        lines = _lines(p)
        if doc.kind in ("markdown", "text"):
            _letter_items(lines, ctx, p)
        texts = [_text(line) for line in lines]
        top_level = p.getparent() is doc.body
        if p in verse:
            _keep_lines(p, soft)  # a stanza
            ctx.change("paragraphs.verse", p, f"{len(lines)} lines", "1 stanza")
            continue
        if doc.kind == "text" and top_level and (_contact_lines(texts) or _affiliation_lines(texts, p.getprevious())):
            _keep_lines(p, soft)  # "Media Contact:" / a name / a role / an address: one block of lines
            ctx.change("paragraphs.contact-lines", p, f"{len(lines)} lines", "1 block of lines")
            continue
        if doc.kind == "markdown" or not top_level:
            # (A glued heading on the first line ends there too: "##Results" / "The station...")
            if top_level and (any(_structure_line(t) for t in texts[1:]) or patterns.ATX_GLUED.match(texts[0].strip())):
                groups = _item_groups(lines, texts)
            elif top_level and (any(is_boilerplate(t) for t in texts) or _symbol_lines(texts) or _field_lines(texts)):
                # Page furniture copied with the text ("Skip to content" / "Menu"), or lines
                # each led by a symbol ("✅ No coffee after 2pm" / "✅ Switch to decaf"):
                # one paragraph per line.
                groups = [[line] for line in lines]
            else:
                groups = [lines]
        elif (captions := _caption_groups(lines, texts)) is not None:
            groups = captions
            ctx.change("paragraphs.transcript", p, f"{len(lines)} lines with time stamps",
                       f"{len(groups)} paragraphs")
        elif width is None:
            groups = _indented_continuations(lines, texts)  # one paragraph per line
        else:
            groups = _wrapped_groups(lines, texts, width)
        new: list[etree._Element] = []
        offset = 0
        for group in groups:
            merged = _merge(group, vocabulary)
            indent = len(_text(group[0])) - len(_text(group[0]).lstrip())
            if merged.text:
                merged.text = merged.text.lstrip()
            if line_no:
                merged.set("data-line", str(line_no + offset))
            if indent:
                merged.set("data-indent", str(indent))
            offset += len(group)
            new.append(merged)
        replace_with(p, new)
        if len(new) > 1:
            ctx.change("paragraphs.split-lines", new[0], f"{len(lines)} lines", f"{len(new)} paragraphs")
        if any(len(g) > 1 for g in groups):
            joined = sum(len(g) for g in groups if len(g) > 1)
            ctx.change("paragraphs.unwrap", new[0], f"{joined} wrapped lines", "joined")


# A lettered item with a full stop ("a. treat the booking as cancelled; or"): Markdown has no
# such list, and "c. 1850" or "p. 12" may open a wrapped line, so only a run counting from "a".
LETTER_DOT = re.compile(r"^(\s*)([a-z])\.(?=\s+\S)")


def _letter_items(lines: list[etree._Element], ctx, p: etree._Element) -> None:
    """Lines of a block that letter their items "a.", "b.", "c." in order from "a" (two at
    least) get the marker the lists pass reads ("a)")."""
    i = 0
    while i < len(lines):
        first = LETTER_DOT.match(lines[i].text or "")
        if not first or first.group(2) != "a":
            i += 1
            continue
        run = [i]
        while run[-1] + 1 < len(lines):
            nxt = LETTER_DOT.match(lines[run[-1] + 1].text or "")
            if not nxt or ord(nxt.group(2)) != ord("a") + len(run):
                break
            run.append(run[-1] + 1)
        if len(run) >= 2:
            for k in run:
                m = LETTER_DOT.match(lines[k].text)
                lines[k].text = f"{m.group(1)}{m.group(2)})" + lines[k].text[m.end():]
            ctx.change("paragraphs.letter-items", p, f"{len(run)} lines lettered a., b.", "lettered items")
        i = run[-1] + 1


# A video's transcript copied with its time stamps, each on a line over its caption line
# ("0:00" / "so you made a loaf of bread and it came out"), and the cues the captions hold.
TIME_STAMP = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s*$")
CAPTION_CUE = re.compile(r"^\s*\[(?:music|applause|laughter|laughs|musik|musique|música)\]\s*$", re.IGNORECASE)
# Time stamps at least, and the share of the block's lines they are.
TRANSCRIPT_MIN_STAMPS = 4
TRANSCRIPT_STAMP_SHARE = 0.4
# Seconds of quiet after a sentence that start a new paragraph.
TRANSCRIPT_PAUSE = 3


def _seconds(stamp: re.Match[str]) -> int:
    return int(stamp.group(1) or 0) * 3600 + int(stamp.group(2)) * 60 + int(stamp.group(3))


def _caption_groups(lines: list[etree._Element], texts: list[str]) -> list[list[etree._Element]] | None:
    """A transcript's caption lines as paragraphs, its time stamps and cues ("[Music]") gone:
    a caption line joins the one before unless a sentence ended there and the next stamp
    comes after a pause (a cue is a pause too). None for a block that is no transcript: time
    stamps on lines of their own, four at least and two lines in five, each under the other."""
    stamps = [TIME_STAMP.match(t) for t in texts]
    count = sum(1 for s in stamps if s)
    if count < TRANSCRIPT_MIN_STAMPS or count < TRANSCRIPT_STAMP_SHARE * len(texts) or any(
            a and b for a, b in pairwise(stamps)):
        return None
    groups: list[list[etree._Element]] = []
    last_time: int | None = None
    ended = True  # (a new paragraph starts the transcript)
    pause = False
    for line, text, stamp in zip(lines, texts, stamps, strict=True):
        if stamp:
            now = _seconds(stamp)
            pause = pause or (last_time is not None and now - last_time >= TRANSCRIPT_PAUSE)
            last_time = now
            continue
        if CAPTION_CUE.match(text) or not text.strip():
            pause = True
            continue
        if not groups or (ended and pause):
            groups.append([line])
        else:
            groups[-1].append(line)
        ended = text.rstrip()[-1:] in SENTENCE_END
        pause = False
    return groups or None


def _keep_lines(p: etree._Element, soft: list[etree._Element]) -> None:
    """Make the block's source line breaks lines of the edition."""
    for br in soft:
        del br.attrib["data-soft"]
        br.tail = (br.tail or "").strip()
    p.text = (p.text or "").strip()


BOLD_TAGS = ("b", "strong")


def _paragraph_breaks(p: etree._Element) -> set[etree._Element]:
    """The ``<br>`` pairs that old blogs and forums use instead of paragraphs ("a<br><br>b")."""
    breaks: set[etree._Element] = set()
    for br in p.iterchildren("br"):
        nxt = br.getnext()
        if nxt is not None and nxt.tag == "br" and not (br.tail or "").strip():
            breaks.update((br, nxt))
    return breaks


def _run_in_title(piece: etree._Element) -> list[etree._Element]:
    """"<b>Method</b><br>Heat the oven..." -> the bold title and its text as two blocks."""
    if (piece.text or "").strip() or not len(piece) or piece[0].tag not in BOLD_TAGS:
        return [piece]
    bold = piece[0]
    br = bold.getnext()
    title = block_text(bold)
    if br is None or br.tag != "br" or (bold.tail or "").strip() or not title:
        return [piece]
    if title[-1] in ".:,;" or not (br.tail or "").strip() and br.getnext() is None:
        return [piece]  # "<b>Note:</b><br>..." is a lead-in, not a section title
    head, rest = split_at(piece, lambda el: el is br)
    if not _plain_text(rest):
        return [piece]  # bold lines one under another: an address or a credits block
    return [head, *_run_in_title(rest)]


def _plain_text(el: etree._Element) -> str:
    """The text of ``el`` outside bold elements."""
    parts = [el.text or ""]
    for child in el:
        if child.tag not in BOLD_TAGS:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _br_list_lines(piece: etree._Element) -> list[etree._Element]:
    """A block whose ``<br>``-separated lines are list items ("• a<br>• b") -> one per line."""
    if piece.find("br") is None:
        return [piece]
    lines = [line for line in split_at(piece, lambda el: el.tag == "br") if block_text(line)]
    texts = [block_text(line) for line in lines]
    marked = [t for t in texts if patterns.INLINE_MARKER.match(t) or patterns.DETACHED_MARKER.match(t)]
    if len(marked) < 2 or len(marked) < len(texts) - 1:
        return [piece]
    return lines


def _has_section_headings(body: etree._Element) -> bool:
    """True when the source marks its sections with real headings (the first block aside)."""
    first = next(iter(body), None)
    return any(h is not first for h in body.iter("h1", "h2", "h3", "h4", "h5", "h6"))


def _split_html_breaks(p: etree._Element, ctx, run_in_titles: bool) -> None:
    """Split an HTML ``<p>`` at ``<br><br>``, after a bold run-in title and into list lines.

    Run-in titles ("<b>Method</b><br>Heat the oven...") are sections only in pages without
    real headings; under real ones (Dropbox's engineering blog) they are terms being defined.
    """
    if p.find("br") is None:
        return
    breaks = _paragraph_breaks(p)
    pieces = split_at(p, lambda el: el in breaks) if breaks else [p]
    pieces = [piece for piece in pieces if block_text(piece) or piece.find(".//img") is not None]
    parts = [part for piece in pieces for part in (_run_in_title(piece) if run_in_titles else [piece])]
    split = [line for part in parts for line in _br_list_lines(part)]
    if not split or split == [p]:
        return  # nothing but <br>s: the empty block goes with the others
    for piece in split:
        lstrip_element(piece)
        while len(piece) and piece[-1].tag == "br" and not (piece[-1].tail or "").strip():
            piece.remove(piece[-1])  # a trailing <br> left by the split
    replace_with(p, split)
    ctx.change("paragraphs.split-br", split[0], f"1 paragraph with {len(p.findall('br'))} <br>", f"{len(split)} blocks")
