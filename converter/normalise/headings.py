"""Headings: plain lines, bold paragraphs and "##Heading" become headings; levels are repaired.

    <p>A Predictable Retreat?</p><p>Though Trump had previously boasted …</p>
    ->  <h2>A Predictable Retreat?</h2><p>Though Trump had previously boasted …</p>

    <p><strong>What we found</strong></p><p>…</p>    ->  <h2>What we found</h2><p>…</p>
    <p>##Heading</p>                                  ->  <h2>Heading</h2>
    <h1>A</h1><h4>B</h4>                              ->  <h2>A</h2><h3>B</h3>
    <ol><li>Apologies</li></ol><p>…</p><ol start="2"><li>Minutes</li></ol><p>…</p>
    ->  <h2>1. Apologies</h2><p>…</p><h2>2. Minutes</h2><p>…</p>

Left alone: a line ending in ":" (it introduces what follows), salutations ("Dear readers,"),
sign-offs ("Best wishes"), dialogue, questions put to someone in an interview ("How did you
start?", plain or bold; a FAQ's "Do I need planning permission?" become headings), and a
one-line sentence with its full stop.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from lxml import html as lxml_html

from ..document import Document
from . import patterns
from .metadata import (
    info_line,
    is_dateline,
    leading_heading,
    masthead_date,
    parse_byline,
    starts_with_date,
)
from .tree import (
    HEADING_TAGS,
    block_text,
    is_bold_only,
    is_caseless_text,
    is_link_row,
    is_wide_text,
    lstrip_element,
    strip_leading,
    word_count,
)

HEADING_MAX_WORDS = 14
HEADING_MAX_CHARS = 120
SENTENCE_CASE_MAX_WORDS = 10
# Characters of a Chinese or Japanese heading line at most.
CJK_HEADING_MAX_CHARS = 25
# A signature under a sign-off: the name, a role, an organisation.
SIGNATURE_MAX_LINES = 3
WORD = re.compile(r"[^\W\d_][\w’'\-]*", re.UNICODE)
CONTENT_BLOCKS = ("ul", "ol", "blockquote", "pre", "table", "figure", "dl")
INLINE_IN_TITLE = frozenset({"a", "em", "strong", "b", "i", "code", "span", "abbr", "q", "cite", "br"})
# Spanish questions and exclamations open with "¿" and "¡": the case is the next letter's.
OPENING_PUNCTUATION = "¿¡"
NUMBERED_TITLE = re.compile(r"^(\d{1,2})\.\s+\S")
# A section's number before its title: "2. ", "1.1 ", "3.2.1. ".
NUMBER_PREFIX = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?=\S)|^(?P<m>\d{1,2})\.\s+(?=\S)")


def _section_depth(text: str) -> int:
    """How deep a numbered title's number goes: "2. Results" 1, "1.1 Scope" 2, else 0."""
    match = NUMBER_PREFIX.match(text)
    return 0 if not match else (match.group("n") or match.group("m")).count(".") + 1


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def is_title_case(text: str) -> bool:
    """True for "Trump’s Reset Gamble" or "EUROPEAN CONCERNS", false for sentence case."""
    text = text.lstrip(OPENING_PUNCTUATION)
    words = _words(text)
    if not words or not words[0][:1].isupper():
        return False
    significant = [w for w in words[1:] if w.lower() not in patterns.TITLE_CASE_SMALL_WORDS]
    if not significant:
        return len(words) >= 1 and text.isupper() or len(words) == 1
    capitalised = sum(1 for w in significant if w[:1].isupper())
    return capitalised / len(significant) >= 0.75


def _shape_ok(text: str) -> bool:
    """Short, unterminated (or a question), not a list item, not dialogue."""
    if not text or len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    if text[-1] in ".,;:!…。、，；：！」』،؛۔।" or text.endswith(("...", "»", "”")):
        return False
    if text[0] in patterns.DIALOGUE_START or patterns.QA_PREFIX.match(text):
        return False
    if "://" in text:
        return False  # "The full kit list is on the school website: https://…"
    if (patterns.SIGN_OFFS.match(text) or parse_byline(text) or is_dateline(text) or starts_with_date(text)
            or masthead_date(text)):
        return False  # bylines, datelines and info lines are metadata, taken by a later pass
    if patterns.INLINE_MARKER.match(text) and not re.match(r"^\d{1,2}\.\s+\S", text):
        return False
    return bool(_words(text))


def _next_content(el: etree._Element) -> etree._Element | None:
    """The next block, skipping bylines and datelines (a later pass moves them to metadata)."""
    nxt = el.getnext()
    while nxt is not None and nxt.tag == "p":
        text = block_text(nxt)
        if not (len(text.split()) <= 12 and (parse_byline(text) or is_dateline(text))):
            break
        nxt = nxt.getnext()
    return nxt


LONE_PUNCTUATION = frozenset({"?", "!", ";", ":", "»", "«", "?!", "!?"})


def _followed_by_content(el: etree._Element, heading_words: int) -> bool:
    nxt = _next_content(el)
    if nxt is None:
        return False
    if nxt.tag in CONTENT_BLOCKS:
        return True
    if nxt.tag != "p":
        return False
    text = block_text(nxt)
    # A lone "?" or "»" is no word: French spacing ("mot ?") must not make a paragraph longer.
    words = word_count(" ".join(w for w in text.split() if w not in LONE_PUNCTUATION))
    if words >= max(8, heading_words + 3):
        return True
    # "THE NUMBERS" / "Three figures tell most of the story:" / a list: a short lead-in still
    # makes the line above it a section heading.
    after = nxt.getnext()
    return text.endswith(":") and after is not None and after.tag in CONTENT_BLOCKS


def _is_phrase(text: str) -> bool:
    """One phrase, no sentence: nothing ends a sentence in it ("A narrow vote ends two years
    of argument", not "We took on 14 apprentices. 🎉"), a symbol at its end aside."""
    bare = text.rstrip()
    while bare and (bare[-1].isspace() or unicodedata.category(bare[-1])[0] in "SMC"):
        bare = bare[:-1]  # emoji, their joiners and variation selectors
    return bool(bare) and not re.search(r"[.!?…](?:\s|$)", bare)


# Pictures a paragraph may open with.
MEDIA_TAGS = ("img", "picture", "svg", "video", "audio")
def _opens_numbered_sections(p: etree._Element) -> bool:
    """"2 Findings" right over "2.1 Waiting lists", which a paragraph follows: a section
    whose first subsection starts at once (so no paragraph follows its own title)."""
    number = patterns.SECTION_NUMBER.match(block_text(p))
    nxt = _next_content(p)
    if number is None or not number.group("figures") or nxt is None or nxt.tag != "p":
        return False
    text = block_text(nxt)
    return (re.match(re.escape(number.group("figures")) + r"\.1\.?\s+\S", text) is not None and _shape_ok(text)
            and _followed_by_content(nxt, len(text.split())))


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?")


def _interview_like(candidates: list[etree._Element]) -> bool:
    """Many short sentence-case questions, each answered by a paragraph or two and most of them
    addressed to someone ("How did you start?"): an interview. A FAQ asks in the reader's voice
    ("Do I need planning permission?") and its questions are section headings."""
    questions = [c for c in candidates if _is_question(block_text(c)) and not is_title_case(block_text(c))]
    if len(questions) < 3:
        return False
    body = questions[0].getparent()
    positions = sorted(body.index(q) for q in questions)
    gaps = [b - a - 1 for a, b in zip(positions, positions[1:], strict=False)]
    if sum(gaps) / len(gaps) >= 2.5:
        return False
    addressed = sum(1 for q in questions if patterns.SECOND_PERSON.search(block_text(q)))
    return 2 * addressed >= len(questions)


def _level_for(el: etree._Element, default: int = 2) -> int:
    """The level of the numbered title before "3. What Next", else one below the closest real
    heading above, or ``default``."""
    depth = _section_depth(block_text(el))
    if depth >= 2:
        # "1.2 How to tell them apart" sits at the level of "1.1 …", one below "1. …".
        for prev in el.itersiblings(*HEADING_TAGS, preceding=True):
            above = _section_depth(block_text(prev))
            if above == depth:
                return int(prev.tag[1])
            if above == depth - 1:
                return min(int(prev.tag[1]) + 1, 6)
        return min(default + depth - 1, 4)
    # "Ingredients" / its list / "For the mash" / its list: a part of the list above, one
    # level under the label over it.
    before = el.getprevious()
    if patterns.SUBLIST_LABEL.match(block_text(el)) and before is not None and before.tag in ("ul", "ol"):
        over = before.getprevious()
        if over is not None and over.tag in HEADING_TAGS:
            return min(int(over.tag[1]) + 1, 6)
    numbered = NUMBERED_TITLE.match(block_text(el))
    if numbered:
        for prev in el.itersiblings(*HEADING_TAGS, preceding=True):
            before = NUMBERED_TITLE.match(block_text(prev))
            if before and int(before.group(1)) == int(numbered.group(1)) - 1:
                return int(prev.tag[1])
    for prev in el.itersiblings(*HEADING_TAGS, preceding=True):
        if prev.get("data-promoted") is None:
            return min(int(prev.tag[1]) + 1, 4)
    return default


def _make_heading(p: etree._Element, level: int, ctx, rule: str) -> etree._Element:
    heading = lxml_html.Element(f"h{level}")
    if is_bold_only(p):
        src = p[0]
        heading.text = src.text
        for child in src:
            heading.append(child)
    else:
        heading.text = p.text
        for child in p:
            heading.append(child)
    for name in ("data-line",):
        if p.get(name):
            heading.set(name, p.get(name))
    heading.set("data-promoted", "1")
    heading.tail = p.tail
    p.getparent().replace(p, heading)
    ctx.change(rule, heading, p, heading)
    return heading


def _only_image_alt(p: etree._Element, text: str) -> bool:
    """A paragraph that is only the alt text of images left out (converter.resources's
    ``<span class="image-alt">``): a picture's description, not a heading."""
    alts = " ".join(" ".join(s.itertext()) for s in p.iter("span") if s.get("class") == "image-alt")
    return bool(alts.strip()) and " ".join(alts.split()) == text


def _after_open_clause(p: etree._Element) -> bool:
    """A line under a paragraph that ends with a comma goes on from it: the name under a
    sign-off ("Happy digging," / "Ruth (site secretary)"), and the role under that name
    ("Kind regards," / "Joanna Pike" / "Year 6 Lead"), never a section's heading."""
    prev = p.getprevious()
    for _ in range(SIGNATURE_MAX_LINES):
        if prev is None or prev.tag != "p":
            return False
        text = block_text(prev)
        if text.endswith(","):
            return True
        if len(text.split()) > 5 or text[-1:] in ".!?:;":
            return False
        prev = prev.getprevious()
    return False


def promote_heading_lines(doc: Document, ctx) -> None:
    """Turn "##Heading", bold-only paragraphs and short title-like lines into headings."""
    body = doc.body
    _numbered_list_titles(body, ctx)
    candidates: list[etree._Element] = []
    bold: list[etree._Element] = []
    for p in list(body.iterchildren("p")):
        raw = "".join(p.itertext()).strip()
        atx = patterns.ATX_GLUED.match(raw)
        if atx and not any(c.isalnum() for c in atx.group("text")):
            atx = None  # "#------": a rule drawn with a hash, not a heading
        lead = p[0] if len(p) and not (p.text or "").strip() else None
        if atx and lead is not None and (lead.tag in MEDIA_TAGS or next(lead.iter(*MEDIA_TAGS), None) is not None):
            atx = None  # "<img …># A": the picture would go with the hashes
        if atx:
            strip_leading(p, len("".join(p.itertext())) - len("".join(p.itertext()).lstrip()) + len(atx.group("hashes")))
            lstrip_element(p)
            if p.text:
                p.text = re.sub(r"(?<![\s#])\s*#+\s*$", "", p.text) if not len(p) else p.text
            _make_heading(p, len(atx.group("hashes")), ctx, "headings.atx-glued")
            continue
        edit = patterns.EDIT_LINK.search(raw) if doc.kind != "html" else None
        if edit and 0 < len(raw[:edit.start()].split()) <= HEADING_MAX_WORDS:
            # "History[edit]": a heading copied from an encyclopedia with its edit link.
            holder = p[-1] if len(p) else None
            if holder is None:
                p.text = patterns.EDIT_LINK.sub("", p.text or "").rstrip()
            elif holder.tail and patterns.EDIT_LINK.search(holder.tail):
                holder.tail = patterns.EDIT_LINK.sub("", holder.tail).rstrip()
            else:
                continue
            _make_heading(p, _level_for(p), ctx, "headings.edit-link")
            continue
        text = block_text(p)
        if not _shape_ok(text) or _only_image_alt(p, text) or _after_open_clause(p):
            continue
        if info_line(text, doc.meta.author)[0]:
            continue  # "Hannah Berg Tue 3 Mar 2026 13.05 GMT": the byline pass takes it
        if is_link_row(p):
            continue  # "View previous topic :: View next topic", "Read on X  Bookmark": a menu, buttons
        if is_bold_only(p):
            if _followed_by_content(p, 0) or p.getnext() is not None and p.getnext().tag == "p":
                bold.append(p)
            continue
        if not (_followed_by_content(p, word_count(text)) or _opens_numbered_sections(p)):
            continue
        candidates.append(p)
    interview = _interview_like(candidates + bold)
    if doc.kind == "html" and _has_real_sections(body):
        # A page that marks its sections with <h2>..<h6> has said what its headings are; a
        # short paragraph there ("It is not very clear, is it?") is a paragraph.
        candidates = []
    for p in bold:
        if interview and _is_question(block_text(p)):
            continue  # a bold question in an interview is the interviewer speaking
        _make_heading(p, _level_for(p), ctx, "headings.bold-paragraph")
    # In scraped text, the line right under the title is its subtitle ("Harbour Town Votes to
    # Keep Its Ferry" / "A narrow vote ends two years of argument"), not a first section.
    deck = body[0] if doc.kind == "text" and doc.meta.title and len(body) else None
    for p in candidates:
        # "2. What we found": a numbered section title is judged by its words.
        text = NUMBER_PREFIX.sub("", block_text(p), count=1)
        if p is deck and text[:1].islower() and len(p) == 0 and doc.meta.title[-1:].isalnum() \
                and not text.startswith(("by ", "von ", "par ", "por ")) and _is_phrase(text) \
                and any(c.rule == "metadata.title" for c in doc.changes):
            # A headline wrapped over two lines ("Mill town's last" / "loom falls silent"):
            # its second line goes on in lower case.
            joined = f"{doc.meta.title} {text}"
            ctx.change("headings.title-line", p, doc.meta.title, joined)
            doc.meta.title = joined
            body.remove(p)
            continue
        if p is deck and len(_words(text)) >= 3:
            if not doc.meta.subtitle and text == block_text(p) and len(p) == 0 and _is_phrase(text):
                doc.meta.subtitle = text
                ctx.change("headings.subtitle", p, p, text)
                body.remove(p)
            continue
        if is_title_case(text) and len(_words(text)) >= 1:
            if len(_words(text)) == 1 and not text.isupper() and not _is_question(text):
                # A lone capitalised word ("Overview") is a heading only in scraped text.
                if doc.kind != "text":
                    continue
            _make_heading(p, _level_for(p), ctx, "headings.plain-line")
            continue
        if is_caseless_text(text):
            # Chinese, Japanese, Arabic, Hebrew have no capitals: a short line that ends no
            # sentence, over a longer paragraph or a list, is a heading in scraped text.
            short = (len(text) <= CJK_HEADING_MAX_CHARS if is_wide_text(text)
                     else len(text.split()) <= SENTENCE_CASE_MAX_WORDS)
            if doc.kind == "text" and not interview and short:
                _make_heading(p, _level_for(p), ctx, "headings.plain-line")
            continue
        lead = text.lstrip(OPENING_PUNCTUATION)[:1]
        if interview or len(text.split()) > SENTENCE_CASE_MAX_WORDS or not lead.isupper():
            continue
        if doc.kind == "text" or _is_question(text):
            _make_heading(p, _level_for(p), ctx, "headings.sentence-case-line")


def _has_real_sections(body: etree._Element) -> bool:
    """True when the source itself marked section headings (not promoted by a pass)."""
    return any(
        h.get("data-promoted") is None for h in body.iter("h2", "h3", "h4", "h5", "h6")
    )


def _single_item(ol: etree._Element) -> str | None:
    """The text of a one-item ``<ol>`` whose item could be a title, else None."""
    items = list(ol)
    if len(items) != 1 or items[0].tag != "li":
        return None
    li = items[0]
    if any(child.tag not in INLINE_IN_TITLE for child in li.iter() if child is not li):
        return None
    text = block_text(li)
    return text if _shape_ok(text) else None


def _numbered_list_titles(body: etree._Element, ctx) -> None:
    """"1. Apologies", text, "2. Minutes", text: Markdown made each title a one-item list.

    A run of two or more one-item ``<ol>`` numbered 1, 2, 3 ... and each followed by its own
    text is a run of numbered section titles. A real list split by paragraphs has items that
    are sentences, which ``_shape_ok`` refuses.
    """
    runs: list[list[tuple[etree._Element, int]]] = []
    for ol in body.iterchildren("ol"):
        text = _single_item(ol)
        start = ol.get("start", "1")
        if text is None or not start.isdigit() or ol.get("type") not in (None, "1"):
            continue
        nxt = _next_content(ol)
        if nxt is None or nxt.tag in ("ol", "ul") or nxt.tag in HEADING_TAGS:
            continue
        number = int(start)
        if runs and runs[-1][-1][1] == number - 1:
            runs[-1].append((ol, number))
        elif number == 1:
            runs.append([(ol, number)])
    for run in runs:
        if len(run) < 2:
            continue
        for ol, number in run:
            li = ol[0]
            heading = lxml_html.Element("h2")
            heading.text = f"{number}. " + (li.text or "").lstrip()
            for child in li:
                heading.append(child)
            heading.set("data-promoted", "1")
            heading.tail = ol.tail
            ol.getparent().replace(ol, heading)
            heading.tag = f"h{_level_for(heading)}"
            ctx.change("headings.numbered-list-title", heading, ol, heading)


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().lower()


def fix_hierarchy(doc: Document, ctx) -> None:
    """Sections start at h2 and never skip a level; extra h1s are demoted; empty ones go."""
    first = next(iter(doc.body), None)
    if doc.kind == "html":
        # The heading the title pass looks at: a heading made later in the chain ("#Title"
        # glued in a page's paragraph) must go now, as it would on a second run.
        first = leading_heading(doc.body)
    if (
        first is not None
        and first.tag in HEADING_TAGS
        and doc.meta.title
        and _norm(block_text(first)) == _norm(doc.meta.title)
    ):
        ctx.change("headings.repeats-title", first, first, None)
        doc.body.remove(first)
    headings = [el for el in doc.body.iter(*HEADING_TAGS)]
    stack: list[int] = []  # original levels of the open sections
    for h in headings:
        if not block_text(h) and h.find(".//img") is None:
            ctx.change("headings.empty", h, h, None)
            h.getparent().remove(h)
            continue
        original = int(h.tag[1])
        while stack and stack[-1] >= original:
            stack.pop()
        stack.append(original)
        level = min(len(stack) + 1, 6)
        if level != original:
            before = h.tag
            h.tag = f"h{level}"
            ctx.change("headings.level", h, before, h.tag)
    for h in doc.body.iter(*HEADING_TAGS):
        h.attrib.pop("data-promoted", None)
