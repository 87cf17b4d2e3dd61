"""Metadata: the title, byline, dateline and language move out of the body into ``doc.meta``.

    <p>Trump’s Ukraine Pivot: A Reset?</p><p>By Marta Ilves</p><p>May 19, 2025</p><p>On May…</p>
    ->  meta(title="Trump’s Ukraine Pivot: A Reset?", author="Marta Ilves", date="2025-05-19")
        <p>On May…</p>

An HTML ``<title>`` loses its " | Site" suffix; a body ``<h1>`` that repeats the title goes;
a page title that is a cut or prefixed form of the leading heading gives way to the heading
("Brown Bread Notes: My Grandmother's Soda Bread" + <h3>My Grandmother's Soda Bread</h3>).
The language comes from the source (``lang``, front matter) or is identified from the text.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
import unicodedata
from pathlib import Path

from lxml import etree

from ..document import Document
from . import patterns
from .hygiene import EMPTY_REMOVABLE
from .tree import HEADING_TAGS, block_text, collapse, flow_text, is_link_row, split_at
from .typography import clean_meta_text

TITLE_MAX_WORDS = 25
# Words of a forwarder's note over the header of the e-mail it forwards at most.
FORWARD_NOTE_MAX_WORDS = 15
# Words of a newsletter's masthead line (name, issue number, date) at most.
MASTHEAD_MAX_WORDS = 12
# Paragraphs from the top in which a press release's dateline may open its story.
PRESS_DATELINE_REACH = 3
TITLE_MAX_CHARS = 200
LANGUAGE_MIN_WORDS = 3
# The identified language is kept only when py3langid's normalised probability for it is at
# least this: two or three words ("Leertest hallo echo", "Bridge reopens") get a guess of
# 0.37-0.45, which would tag a page Spanish or Danish and hyphenate it so. Whole sentences
# score above 0.999.
LANGUAGE_MIN_CONFIDENCE = 0.9


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().lower()


def strip_site_suffix(title: str, site: str | None, h1: str | None) -> str:
    """Drop a site name from a page title: "Story | Paper" -> "Story"."""
    title = collapse(title)
    if h1 and _norm(h1) and _norm(h1) in _norm(title):
        return collapse(h1)
    for sep in patterns.TITLE_SITE_SEPARATORS:
        if sep in title:
            parts = [p.strip() for p in title.split(sep) if p.strip()]
            if site:
                kept = [p for p in parts if _norm(p) != _norm(site)]
                if kept and len(kept) < len(parts):
                    return sep.join(kept)
            if len(parts) >= 2:
                # The article part is the longest one; site names are short.
                longest = max(parts, key=len)
                if len(longest.split()) >= 3 or len(parts[0]) >= len(parts[-1]):
                    return longest
    return title


def leading_heading(body: etree._Element) -> etree._Element | None:
    """The first heading, when only short blocks (bylines, datelines, kickers) come before it.

    Later passes remove bylines and datelines; looking past them keeps a second run the same.
    """
    for el in list(body)[:4]:
        if el.tag in HEADING_TAGS:
            return el if block_text(el) else None
        if len(block_text(el).split()) > 12 or el.tag not in ("p", "address"):
            return None
    return None


def _subtitled(title: str, heading: str) -> bool:
    """True when ``heading`` is ``title`` and a subtitle set off by a colon or a dash
    ("Volunteer briefing" / "Volunteer briefing: spring clean-up")."""
    title, heading = collapse(title).casefold(), collapse(heading).casefold()
    rest = heading[len(title):].lstrip() if heading.startswith(title) else ""
    return bool(title) and rest[:1] in (":", "–", "—", "-", "|") and len(rest) > 2


def _title_from_heading(title: str, heading: str, is_h1: bool, page_title: str | None = None) -> str | None:
    """The page's leading heading when the page title is a cut or decorated form of it.

    "« Le vélo n'est pas une mode" (cut at "»") + the h1 -> the h1;
    "Brown Bread Notes: My Grandmother's Soda Bread" + h3 "My Grandmother's Soda Bread" -> h3.
    """
    t, h = _norm(title), _norm(heading)
    if not h or not t or len(heading) > TITLE_MAX_CHARS:
        return None
    if t == h or (is_h1 and h.startswith(t) and (len(t.split()) >= 3 or _subtitled(title, heading))):
        return collapse(heading)
    if (t.startswith(h) or t.endswith(h)) and len(h.split()) >= 3:
        return collapse(heading)
    if (is_h1 and len(h.split()) >= 3 and patterns.ISSUE_TITLE.search(page_title or title)
            and not _significant_words(t) & _significant_words(h)):
        # A newsletter's <title> names the issue ("The Riverside Weekly — Issue 48"), the
        # <h1> leading the article its story ("The footbridge reopens on Monday").
        return collapse(heading)
    return None


def _significant_words(text: str) -> set[str]:
    return {w for w in text.split() if len(w) > 3 or w.isdigit()}


def _bold_headline(first: etree._Element | None) -> etree._Element | None:
    """The page's first block when it is a paragraph set all in bold, as pages built without
    headings set their headline (``<font size="5"><b>Night swimming season opens at the
    lido</b></font>``)."""
    if first is None or first.tag != "p" or not _looks_like_title(first):
        return None
    bold = collapse(" ".join(" ".join(b.itertext()) for b in first.iter("b", "strong") if b.getparent().tag not in ("b", "strong")))
    return first if bold and bold == block_text(first) else None


def _looks_like_title(el: etree._Element) -> bool:
    if el.tag not in ("p", *HEADING_TAGS):
        return False
    text = block_text(el)
    if not text or len(text) > TITLE_MAX_CHARS or len(text.split()) > TITLE_MAX_WORDS:
        return False
    # (A post's sentence ends before its emoji: "…our largest intake ever. 🎉")
    core = text.rstrip(" \u200d\ufe0f") if not text[-1].isalnum() else text
    while core and unicodedata.category(core[-1]) in ("So", "Sk") and core[-1] not in "°":
        core = core[:-1].rstrip(" \u200d\ufe0f")
    if core and core[-1] in ".,;:" and not core.endswith("..."):
        return False
    if patterns.DETACHED_MARKER.match(text) or patterns.INLINE_MARKER.match(text):
        return False
    if not any(c.isalpha() for c in text):
        return False  # "1", "2019", "***": a number or a rule, not a title
    if el.tag == "p" and el.find(".//a[@class='footnote-ref']") is not None:
        return False  # a sentence citing a note ("…at the wrong page.¹"): the title lost it
    return el.find(".//img") is None and not is_link_row(el)


def _has_subheadings(start: etree._Element, stop: etree._Element) -> bool:
    for el in start.itersiblings():
        if el is stop:
            return False
        if el.tag in HEADING_TAGS:
            return True
    return False


def _heads_the_document(body: etree._Element, first: etree._Element | None) -> bool:
    """Whether the first block is a heading that outranks every other heading of the body."""
    if first is None or first.tag not in HEADING_TAGS or first.getnext() is None:
        return False
    if not _looks_like_title(first):
        return False
    level = int(first.tag[1])
    return not any(int(h.tag[1]) <= level for h in body.iter(*HEADING_TAGS) if h is not first)


def _byline_block(el: etree._Element) -> bool:
    """A short paragraph that is a byline ("By Marta Ilves") or a dateline."""
    if el.tag not in ("p", "address"):
        return False
    text = block_text(el)
    return 0 < len(text.split()) <= 12 and (parse_byline(text) is not None or _is_dateline(text) is not None)


def _title_from_filename(path: Path) -> str:
    stem = re.sub(r"[_\-]+", " ", path.stem).strip()
    stem = re.sub(r"^\d+\s+", "", stem) or stem
    return stem[:1].upper() + stem[1:] if stem else "Untitled"


_FIELD = re.compile(r"^(?P<key>[^:]{1,30}?)\s?:\s+(?P<value>\S.*)$")
# "Fwd:", "Re:", "WG:" before an e-mail's subject.
_REPLY_PREFIX = re.compile(r"^(?:(?:fwd?|re|wg|aw|tr|rv|enc)\s*:\s*)+", re.IGNORECASE)


def _display_name(sender: str) -> str | None:
    """"Millbrook Parish Council <clerk@…>" -> "Millbrook Parish Council"; a bare address -> None."""
    name = sender.strip()
    for opening, closing in (("<", ">"), ("[mailto:", "]")):
        if name.endswith(closing) and opening in name:
            name = name[:name.rindex(opening)]
    name = name.strip(" \"'")
    return name if name and "@" not in name else None


def _sent_date(value: str) -> str | None:
    """The day of an e-mail's "Date:" field: "Tue, 3 Nov 2026 at 09:12" -> "2026-11-03"."""
    clock = _CLOCK.search(value)
    day = value[:clock.start()].rstrip() if clock else value
    for joiner in (" at", " um", " à", " a las", ","):
        day = day.removesuffix(joiner)
    return parse_date(value) or parse_date(day)


def header_kind(key: str) -> str | None:
    """"title", "author", "date" or "other" for a header field's name ("Subject", "Von",
    "Created by"), None for a name no header uses."""
    key = key.strip().casefold()
    return next((kind for kind, names in patterns.HEADER_FIELDS.items() if key in names), None)


def take_header_fields(doc: Document, ctx) -> None:
    """An e-mail forwarded as the article ("---------- Forwarded message ---------", "From:
    Millbrook Parish Council <clerk@…>", "Date: …", "Subject: Flood defence works", "To: …"),
    or a note exported with its page properties under its title ("Created: November 3, 2026",
    "Tags: books", "Status: Draft"): the fields give the title, the author and the date, and
    the header goes. Two fields at least, one of them a subject, a sender or a date."""
    blocks = list(doc.body)[:12]
    j = 1 if blocks and blocks[0].tag == "h1" else 0
    forward = blocks[j] if j < len(blocks) and patterns.FORWARD_LINE.match(block_text(blocks[j])) else None
    j += forward is not None
    run = _header_run(blocks[j:])
    if not run and forward is None and j + 1 < len(blocks) and blocks[j].tag == "p" \
            and len(block_text(blocks[j]).split()) <= FORWARD_NOTE_MAX_WORDS:
        # The forwarder's note over a whole header ("FYI – see below from the council."): it
        # stays, the header under it goes.
        run = _header_run(blocks[j + 1:])
        if not {kind for _, kind, _ in run} >= {"title", "author"}:
            return
    kinds = {kind for _, kind, _ in run}
    # (A reply copied with its subject line only: "Subject: Re: Saturday work party moved".)
    # (Only while no title is known: on a second run the title it gave heads the document.)
    alone = len(run) == 1 and kinds == {"title"} and run[0][0] is doc.body[0] and not doc.meta.title
    if (len(run) < 2 and not alone) or not kinds & {"title", "author", "date"}:
        return
    for _, kind, value in run:
        if kind == "title" and not doc.meta.title:
            doc.meta.title = clean_meta_text(_REPLY_PREFIX.sub("", value)) or None
        elif kind == "author" and not doc.meta.author:
            doc.meta.author = _display_name(value)
        elif kind == "date" and not doc.meta.date:
            doc.meta.date = _sent_date(value)
    for el in dict.fromkeys(([forward] if forward is not None else []) + [el for el, _, _ in run]):
        ctx.change("metadata.header-fields", el, el, None)
        doc.body.remove(el)


def _header_run(blocks: list[etree._Element]) -> list[tuple[etree._Element, str, str]]:
    """(block, kind, value) for the header fields the blocks open with, a field per block or
    per line of a block (Outlook's "<b>From:</b> …<br><b>Sent:</b> …" in one paragraph)."""
    run: list[tuple[etree._Element, str, str]] = []
    for el in blocks:
        if el.tag != "p":
            break
        lines = [block_text(line) for line in split_at(el, lambda c: c.tag == "br")] \
            if el.find("br") is not None else [block_text(el)]
        fields = []
        for line in lines:
            match = _FIELD.match(line)
            kind = header_kind(match.group("key")) if match else None
            if kind is None or len(match.group("value").split()) > TITLE_MAX_WORDS:
                break
            fields.append((el, kind, match.group("value").strip()))
        if not lines or len(fields) < len(lines):
            break
        run.extend(fields)
    return run


def take_profile_header(doc: Document, ctx) -> None:
    """A social post copied with its author's profile above it ("Sam Okoye" / "@samokoye",
    or "Priya Natarajan" / "Head of Training at Harbourside Engineering" / "2d • Edited •"):
    the name is the author, and the header goes; so does the post's time stamp ("10:42 AM ·
    Mar 3, 2025"), which gives the date. Text only; the name must be followed by a handle or
    the post's age within three lines."""
    if doc.kind != "text" or doc.meta.author:
        return
    blocks = [el for el in list(doc.body)[:5] if el.tag == "p"]
    if len(blocks) < 2 or blocks[0] is not doc.body[0]:
        return
    if _forum_header(doc, blocks, ctx):
        return
    name = block_text(blocks[0])
    if not is_name_line(name):
        return
    header = [blocks[0]]
    for el in blocks[1:4]:
        text = block_text(el)
        if patterns.PROFILE_HANDLE.match(text) or patterns.POST_AGE.match(text):
            header.append(el)
            break
        if len(text.split()) > 12 or text[-1:] in ".!?":
            return
        header.append(el)  # a headline: "Head of Training at Harbourside Engineering"
    else:
        return
    doc.meta.author = name
    for el in header:
        ctx.change("metadata.profile-header", el, el, None)
        doc.body.remove(el)
    for el in list(doc.body.iterchildren("p")):
        stamp = patterns.POST_TIMESTAMP.match(block_text(el))
        if stamp:
            if not doc.meta.date:
                doc.meta.date = parse_date(stamp.group("date"))
            after = el.getnext()
            for gone in [el] + ([after] if after is not None and block_text(after) == "·" else []):
                ctx.change("metadata.post-timestamp", gone, gone, None)  # (and the "·" under it)
                doc.body.remove(gone)


def _forum_header(doc: Document, blocks: list[etree._Element], ctx) -> bool:
    """A forum post copied with its header ("r/bikecommuting" / "Posted by u/rainy_rider 6 hr.
    ago" / the post's title): the poster is the author, the line under the header the title
    (a sentence or not), and the header goes."""
    community = patterns.FORUM_COMMUNITY.match(block_text(blocks[0]))
    poster = patterns.FORUM_POSTER.match(block_text(blocks[1]))
    if not (community and poster) or len(blocks) < 3:
        return False
    doc.meta.author = poster.group("user")
    title = blocks[2]
    doc.meta.title = doc.meta.title or block_text(title)
    for el in (blocks[0], blocks[1], title):
        ctx.change("metadata.profile-header", el, el, None)
        doc.body.remove(el)
    return True


def extract_title(doc: Document, ctx) -> None:
    """Take the title from front matter, the page head, the first <h1> or the first line
    (or an e-mail's subject, see take_header_fields)."""
    take_header_fields(doc, ctx)
    take_profile_header(doc, ctx)
    body = doc.body
    # Empty leading blocks are removed by the last pass; the title is the first real block.
    # A byline or dateline above the headline is not the title: the byline pass takes it.
    first = next((el for el in body if (block_text(el) or el.find(".//img") is not None)
                  and not _byline_block(el)), None)
    h1s = [h for h in body.iterchildren("h1") if block_text(h)]
    if doc.meta.title:
        original = doc.meta.title
        h1_text = block_text(h1s[0]) if h1s else None
        settled = any(c.rule.startswith("metadata.title") for c in doc.changes)
        if doc.kind == "html" and not settled:
            doc.meta.title = strip_site_suffix(original, doc.meta.site, h1_text)
            if doc.meta.title != original:
                ctx.change("metadata.title-site-suffix", None, original, doc.meta.title)
        lead = leading_heading(body) if doc.kind == "html" else None
        # (Only against the page's own title: on a second run the title may be a first line's.)
        rerun = any(c.pass_name == "metadata.title" for c in doc.changes)
        lead = _bold_headline(first) if lead is None and doc.kind == "html" and not rerun else lead
        if lead is not None:
            page_title = next((c.before for c in doc.changes if c.rule == "metadata.title-from-page"), original)
            fuller = _title_from_heading(doc.meta.title, block_text(lead), lead.tag in ("h1", "p"), page_title)
            if fuller:
                if fuller != doc.meta.title:
                    ctx.change("metadata.title-from-heading", lead, doc.meta.title, fuller)
                    doc.meta.title = fuller
                first = lead
        # A leading heading that repeats the title would print the title twice.
        if (first is not None and (first.tag in HEADING_TAGS or first is lead)
                and _norm(block_text(first)) == _norm(doc.meta.title)):
            ctx.change("metadata.title-duplicate", first, first, None)
            body.remove(first)
        return
    if len(h1s) == 1 and (first is h1s[0] or doc.kind != "text"):
        title_el = h1s[0]
    elif h1s and first is h1s[0] and doc.kind != "html" and not _has_subheadings(first, h1s[1]):
        # "# A Simple Loaf", intro, "Day one\n=======": the first h1 is the title. When it has
        # its own subheadings ("# Part One", "## Detail", "# Part Two") it is a section, and
        # so are a web page's several <h1>s (HTML5 sections).
        title_el = first
    elif first is not None and first.tag == "p" and _looks_like_title(first) and first.getnext() is not None:
        title_el = first
    elif not h1s and _heads_the_document(body, first):
        # A page without <title> or <h1> whose story opens with its one <h2>, sections below
        # it in <h3>s: that heading names the document (not its file name, "681").
        title_el = first
    else:
        title_el = None
    if title_el is not None:
        text = block_text(title_el)
        atx = patterns.ATX_GLUED.match(text) if title_el.tag == "p" else None
        # A title taken from code ("# `x`") kept characters the first pass leaves in code.
        doc.meta.title = clean_meta_text(atx.group("text") if atx else text) or None
        if doc.meta.title and doc.kind == "text":
            doc.meta.title = patterns.PLATFORM_SUFFIX.sub("", doc.meta.title) or doc.meta.title
        ctx.change("metadata.title", title_el, title_el, doc.meta.title)
        body.remove(title_el)
    elif doc.source is not None:
        doc.meta.title = _title_from_filename(doc.source)
        ctx.change("metadata.title-from-filename", None, doc.source.name, doc.meta.title)


def is_name_line(text: str) -> bool:
    """A line that is a person's name and nothing else: two to four capitalised words
    ("Priya Natarajan", "Jo Whitfield"), as a profile or a signature starts."""
    return 2 <= len(text.split()) <= 4 and _is_capitalised_name(text) and text[-1:].isalpha()


# Words of a name in a script without capitals (Arabic, Hebrew) at most.
CASELESS_NAME_MAX_WORDS = 4


def _is_capitalised_name(name: str) -> bool:
    connectors = {"and", "&", "et", "und", "y", "e", "en", "и", ",", "de", "van", "von", "der", "da", "di", "del",
                  "la", "le"}
    words = [w for w in re.split(r"\s+|(?=,)", name) if w]
    proper = [w for w in words if w.lower() not in connectors]
    # (Arabic, Hebrew and other scripts without capitals: a name is any word of them.)
    return bool(proper) and all(w[:1].isupper() or (w[:1].isalpha() and w.upper() == w.lower()) for w in proper)


# Chinese, Japanese and Korean dates, and the year-first numeric date they write: "2026年3月3日",
# "2026년 3월 3일", "2026/3/3"; a weekday and a time may follow ("2026年3月3日（火）10:00").
CJK_DATE = re.compile(
    r"^(?P<y>\d{4})(?:\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일号號]"
    r"|/(?P<m2>\d{1,2})/(?P<d2>\d{1,2})(?!\d))(?:\s*[(（][^)）]{1,3}[)）])?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(text: str) -> str | None:
    """Parse a dateline ("May 19, 2025", "19 mai 2025", "2025-05-19T10:00Z") to ISO 8601."""
    text = patterns.DATELINE_PREFIX.sub("", collapse(text)).strip(" .")
    text = re.sub("^" + patterns.WEEKDAY, "", text, flags=re.IGNORECASE)
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?) ?(Z|[+-]\d{2}:?\d{2})?)?$", text)
    if iso:
        y, m, d = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
        if not _valid(y, m, d):
            return None
        if iso.group(4):
            zone = iso.group(5) or ""
            if len(zone) == 5:  # "+0000" (Evernote's "2026-03-01 09:12:44 +0000"): "+00:00"
                zone = f"{zone[:3]}:{zone[3:]}"
            return f"{y:04d}-{m:02d}-{d:02d}T{iso.group(4)}{zone}"
        return f"{y:04d}-{m:02d}-{d:02d}"
    cjk = CJK_DATE.match(text)
    if cjk:
        y, m, d = int(cjk.group("y")), int(cjk.group("m") or cjk.group("m2")), int(cjk.group("d") or cjk.group("d2"))
        return f"{y:04d}-{m:02d}-{d:02d}" if _valid(y, m, d) else None
    month_names = _month_names()
    mdy = re.match(rf"^({month_names})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", text, re.IGNORECASE)
    dmy = re.match(rf"^(\d{{1,2}})(?:er|\.|º|st|nd|rd|th)?\s+(?:de\s+)?({month_names})\.?,?\s+(?:de\s+)?(\d{{4}})\b", text, re.IGNORECASE)
    if mdy:
        m, d, y = patterns.MONTHS[mdy.group(1).lower()], int(mdy.group(2)), int(mdy.group(3))
    elif dmy:
        d, m, y = int(dmy.group(1)), patterns.MONTHS[dmy.group(2).lower()], int(dmy.group(3))
    else:
        numeric = re.match(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$", text)
        if not numeric:
            return None
        d, m, y = int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
    return f"{y:04d}-{m:02d}-{d:02d}" if _valid(y, m, d) else None


@functools.cache
def _month_names() -> str:
    # Built once: parse_date runs for every short block (heading and dateline checks), and
    # escaping and sorting every month name each time was a tenth of a 20k-word article.
    return "|".join(sorted(map(re.escape, patterns.MONTHS), key=len, reverse=True))


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return 1000 <= y <= 9999


# "Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM CST on Nov 18, 2019": the
# publication date, then update notes.
_UPDATE_NOTE = re.compile(
    r"(?:last )?(?:updated|modified|edited)\b|mis à jour|modifié|(?:zuletzt )?(?:aktualisiert|geändert)|actualizado|modificado",
    re.IGNORECASE)
# "Publié le 3 mars 2026 à 10h15, mis à jour le 4 mars": a comma before the note sets it off too.
_DATELINE_PARTS = re.compile(
    r"\s[|•·]\s|,\s(?=(?:last )?(?:updated|modified|edited)\b|mis à jour|zuletzt|aktualisiert|actualizado)",
    re.IGNORECASE)


# A paper's history line: "Received: 12 January 2026; Accepted: 20 February 2026; Published: 3
# March 2026". Its publication date (else its last) is the date.
_HISTORY_PART = re.compile(
    r"^(?P<label>received|revised|accepted|published(?: online)?|available online|first published|"
    r"submitted|eingegangen|angenommen|veröffentlicht|reçu|accepté|publié|recibido|aceptado|publicado)"
    r"(?: on)?\s*:?\s*(?P<date>\S.*)$", re.IGNORECASE)


def _history_date(text: str) -> str | None:
    parts = [part.strip() for part in re.split(r"[;|•·]", text) if part.strip()]
    if len(parts) < 2:
        return None
    found = []
    for part in parts:
        match = _HISTORY_PART.match(part)
        date = parse_date(match.group("date")) if match else None
        if date is None:
            return None
        found.append((match.group("label").lower(), date))
    return next((d for label, d in found if label.startswith(("published", "veröff", "publi"))), found[-1][1])


# What joins the two dates of a span ("March 3, 1938 - February 11, 2024").
DATE_SPAN_JOINERS = frozenset({"-", "–", "—", "to", "bis", "au"})
# What follows a date in a sentence rather than a dateline: a comma or nothing, then words
# of the sentence (three or more, none a time or a zone).
_SENTENCE_AFTER_DATE = re.compile(r"^,?\s++(?!(?:at|um|à|a las|by|von|par)\s)(?:[^\W\d_]++\s++){2}[^\W\d_]{2,}")


def _is_dateline(text: str) -> str | None:
    if patterns.EMBARGO_PREFIX.match(text):
        return embargo_date(text)
    history = _history_date(text)
    if history:
        return history
    first, *notes = _DATELINE_PARTS.split(text)
    if notes and all(_UPDATE_NOTE.match(n.strip()) and len(n.split()) <= 12 for n in notes):
        text = first.strip()
    if len(text.split()) > 12:
        return None
    dates = list(_date_in_text().finditer(text))
    if len(dates) >= 2 and text[dates[0].end():dates[1].start()].strip() in DATE_SPAN_JOINERS:
        return None  # a span of dates: an obituary's "March 3, 1938 - February 11, 2024", a festival's
    if dates and _SENTENCE_AFTER_DATE.match(text[dates[0].end():]):
        return None  # a sentence that opens with a date: "February 11, 2024, at Allied Hospice surrounded…"
    return parse_date(text) or parse_date(re.split(r"(?<!\s)\s*(?:[|•·]|, (?=\d{1,2}:)| at )\s*", text)[0])


def embargo_date(text: str) -> str | None:
    """The date of a press release's embargo line ("EMBARGOED UNTIL 00:01 THURSDAY 5 MARCH
    2026", "Embargo: 10:00 GMT, 5 March 2026"): the day it may be published. None for any
    other line."""
    prefix = patterns.EMBARGO_PREFIX.match(text)
    if not prefix or not prefix.group(0) or len(text.split()) > 16:
        return None
    rest = text[prefix.end():].strip()
    return parse_date(rest) or parse_date(patterns.EMBARGO_TIME.sub("", rest, count=1))


def press_dateline_date(text: str) -> str | None:
    """The date in the dateline that opens a press release's story ("WOODBRIDGE, England,
    March 3, 2026 /PRNewswire/ -- The Trust …", "LONDON, 5 March 2026 – The council …"),
    else None."""
    place = patterns.PRESS_DATELINE_PLACE.match(text)
    if not place:
        return None
    found = _date_in_text().match(text, place.end())
    if not found or not patterns.PRESS_DATELINE_END.match(text, found.end()):
        return None
    return parse_date(found.group(0))


def marked_authors(text: str) -> str | None:
    """A paper's author list marked with affiliation numbers or a star ("Marta Iglesias1, Daniel
    Okafor2 and Lena Fischer1,*"), as names without the marks; None for any other line (one
    name needs its star: "Chapter One2" is no author)."""
    marked = patterns.MARKED_AUTHORS.match(text.strip())
    if not marked or not patterns.AUTHOR_MARK.search(names := marked.group("names")) or not (
            "*" in names or re.search(r",|\s(?:and|&|und|et|y)\s", names)):
        return None
    parts = [p for p in re.split(r",(?![\d*†‡§])|\s(?:and|&|und|et|y)\s", names) if p.strip()]
    if not all(patterns.AUTHOR_MARK.search(p) for p in parts):
        return None  # every author carries a mark: "Elm Grove, Harrogate HG1" is an address
    return ", ".join(part.strip() for part in patterns.AUTHOR_MARK.sub("", names).split(",") if part.strip())


def parse_byline(text: str, known: str | None = None) -> tuple[str, str | None] | None:
    """Return (author, ISO date or None) for "By Marta Ilves | May 19, 2025" (or "Posted on
    June 3, 2023 by Tom Eriksen"), else None.

    The name must be capitalised ("By the end of the week" is a sentence), unless it is
    ``known``, the author the page already names: a blog's "by oz on December 4, 2006"."""
    if len(text.split()) > 20:
        return None
    first = patterns.BYLINE_DATE_FIRST.match(text)
    if first and parse_date(first.group("date")):
        found = parse_byline(f"By {first.group('name')}", known)
        if found:
            return found[0], parse_date(first.group("date"))
    joined = patterns.BYLINE_DATE_JOINER.match(text)
    if joined and parse_date(joined.group("date")):
        found = parse_byline(joined.group("byline"), known)
        if found:
            return found[0], parse_date(joined.group("date"))
    board = patterns.FORUM_POST_BY.match(text.strip())
    if board and parse_date(board.group("date")):
        return board.group("user"), parse_date(board.group("date"))
    cjk = patterns.CJK_BYLINE.match(text.strip())
    if cjk:
        return cjk.group("name") or cjk.group("name2"), None
    authors = marked_authors(text)
    if authors:
        return authors, None
    match = patterns.BYLINE.match(text)
    if not match:
        return None
    name = match.group("name").strip(" ,")
    if name.upper() == name.lower() and len(name.split()) > CASELESS_NAME_MAX_WORDS:
        return None  # a sentence in a script without capitals, not a name
    if not (_is_capitalised_name(match.group("name"))
            or (known and name.casefold() == known.strip().casefold())):
        return None
    rest = match.group("rest").strip(" |,•·—–-")
    return name, parse_date(rest) if rest else None


def starts_with_date(text: str) -> bool:
    """True for a line that opens with a date ("19.6.2007 9:40 Uhr Christoph Becker ...")."""
    return _date_in_text().match(text) is not None


def is_dateline(text: str) -> bool:
    """True for a block that is only a date ("May 19, 2025", "Published 3 March 2024")."""
    return _is_dateline(text) is not None


def _top_blocks(body: etree._Element, count: int) -> list[etree._Element]:
    """The first ``count`` text blocks, before the first long paragraph.

    List markers and lists are not counted: the lists pass merges them later, and the window
    must be the same on a second run (idempotence); nor are empty blocks, which the tidy pass
    removes.
    """
    found: list[etree._Element] = []
    for el in body:
        if len(found) >= count:
            break
        text = block_text(el)
        if not text and el.tag in EMPTY_REMOVABLE and el.find(".//img") is None and el.find(".//hr") is None:
            continue  # an empty block the last pass removes: not there on a second run
        marker = patterns.INLINE_MARKER.match(text) or patterns.DETACHED_MARKER.match(text)
        if el.tag in ("ul", "ol") or (marker and not _is_dateline(text) and not _date_in_text().match(text)):
            continue  # "14. Juni 2025" and "19.6.2007 9:40 Uhr ..." are dates, not items
        if len(text.split()) >= 25:
            break
        found.append(el)
    return found


# The parts of a news page's info line beside the author's name: "19.6.2007 9:40 Uhr Christoph
# Becker 71 Kommentare", "Ana Ruiz · May 19, 2025 · 4 min read · 12 comments".
# (Bounded digit runs and possessive quantifiers: tests/test_bad_input.py holds every pattern
# to linear time on 100,000-character strings; "1,1,1,..." made a starred run quadratic.)
_COMMENT_COUNT = re.compile(
    r"(?<![\d.,])\d{1,7}(?:[.,]\d{3}){0,3}\s++(comments?|responses?|replies|kommentare?|commentaires?|comentarios?)\b",
    re.IGNORECASE)
_READING_TIME = re.compile(
    r"(?<!\d)\d{1,4}\s*+(min(ute)?s?|minuten?)\.?(\s++(read|reading time|lesezeit|de lecture|de lectura))?\b", re.IGNORECASE)
# (A British paper writes the time with a full stop: "13.05 GMT".)
_CLOCK = re.compile(r"(?<![\d.])\d{1,2}[:.]\d{2}(:\d{2})?(?![\d.])(\s*+(uhr|h|am|pm|a\.m\.|p\.m\.)(?!\w))?",
                    re.IGNORECASE)
# (With the page's "Follow" button beside the name: "Ravi MenonFollow7 min read·Feb 3, 2026"; a
# weekday and a time zone beside the date: "Hannah Berg Tue 3 Mar 2026 13.05 GMT".)
# (A podcast episode's: "March 5, 2024 · 58 min · Hosted by Sam Whitlock".)
_INFO_FILLER = re.compile(r"^(?:[\W_]|\b(?:by|von|par|por|on|am|le|el|at|um|à|published|updated|hosted|host|"
                          r"follow|folgen|suivre|seguir|mon|tue|wed|thu|fri|sat|sun|gmt|bst|utc|cet|cest|"
                          r"est|edt|cst|cdt|pst|pdt|ist|aest|mez|mesz)\b)*+$", re.IGNORECASE)
_COUNTERS_ONLY = re.compile(r"^[\d\s.,·•|–—-]{1,16}$")


@functools.cache
def _date_in_text() -> re.Pattern[str]:
    months = _month_names()
    return re.compile(
        r"(?<!\d)\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|(?<!\d)\d{1,2}[./]\d{1,2}[./]\d{4}\b"
        rf"|\b(?:{months})\.?\s++\d{{1,2}}(?:st|nd|rd|th)?,?\s++\d{{4}}\b"
        rf"|(?<!\d)\d{{1,2}}(?:er|\.|º|st|nd|rd|th)?\s++(?:de\s++)?(?:{months})\.?,?\s++(?:de\s++)?\d{{4}}\b",
        re.IGNORECASE)


def masthead_date(text: str) -> str | None:
    """The date of a newsletter's masthead line ("The Riverside Weekly · Issue 48 · 5 March
    2026"): a short line naming an issue and a date. None for any other line."""
    if len(text.split()) > MASTHEAD_MAX_WORDS or not patterns.ISSUE_TITLE.search(text):
        return None
    found = _date_in_text().search(text)
    return parse_date(found.group(0)) if found else None


def info_line(text: str, author: str | None) -> tuple[bool, str | None]:
    """(True, ISO date or None) for a line made only of the article's known ``author``, a
    date and time, a comment count and a reading time (the name and one other part at
    least); (False, None) for anything else."""
    if not author or author.casefold() not in text.casefold():
        return False, None
    at = text.casefold().index(author.casefold())
    rest = text[:at] + " " + text[at + len(author):]
    found = _date_in_text().search(rest)
    date = parse_date(found.group(0)) if found else None
    if date:
        rest = rest[:found.start()] + " " + rest[found.end():]
    parts = int(date is not None)
    for pattern in (_COMMENT_COUNT, _READING_TIME, _CLOCK):
        rest, count = pattern.subn(" ", rest)
        parts += int(count > 0 and pattern is not _CLOCK)
    if parts == 0 or not _INFO_FILLER.match(rest):
        return False, None
    return True, date


def _only_the_author(text: str, author: str | None) -> bool:
    """A block that is the known author's name and nothing else: a page's byline element
    (``<p class="byline">Olu Adeyemi</p>``) with no "By" before the name."""
    return bool(author) and text.strip(" \t.,;:|·•—–-").casefold() == author.strip().casefold()


def _metadata_list(doc: Document, el: etree._Element, ctx) -> None:
    """A list of the page's facts under the title, every term a metadata label ("From:" /
    "Drinking Water Inspectorate", "Published" / "12 June 2019", "Last updated" / …, as
    GOV.UK writes it): the publisher is the author and the first date the date, when the
    page names none, and the list goes."""
    terms = el.findall("dt")
    if not terms or len(terms) != len(el.findall("dd")) or any(
            c.tag not in ("dt", "dd") for c in el) or not all(patterns.META_FIELD_LABEL.match(block_text(t)) for t in terms):
        return
    for term in terms:
        value = term.getnext()
        label, text = block_text(term).casefold(), block_text(value) if value is not None else ""
        if not text:
            continue
        if patterns.META_AUTHOR_LABEL.match(label) and not doc.meta.author:
            doc.meta.author = text
        elif not patterns.META_AUTHOR_LABEL.match(label) and not doc.meta.date:
            date = _date_in_text().search(text)
            doc.meta.date = parse_date(date.group(0)) if date else None
    ctx.change("metadata.facts-list", el, el, None)
    doc.body.remove(el)


def _is_list_block(el: etree._Element | None) -> bool:
    if el is None:
        return False
    text = block_text(el)
    return el.tag in ("ul", "ol") or (el.tag == "p" and bool(
        patterns.DETACHED_MARKER.match(text) or patterns.INLINE_MARKER.match(text)))


def _between_list_items(el: etree._Element) -> bool:
    """Whether ``el`` stands between two list items or markers ("- the" / "By Reopens" / "-")."""
    return _is_list_block(el.getprevious()) and _is_list_block(el.getnext())


def _take_top_block(doc: Document, el: etree._Element, ctx) -> None:
    """Move ``el`` into the metadata when it is a byline, an info line, a masthead, a
    dateline or a list of the page's facts (see extract_byline_and_dateline)."""
    if el.tag == "dl":
        _metadata_list(doc, el, ctx)
        return
    heading = el.tag in ("h2", "h3", "h4")
    if el.tag not in ("p", "address", "h5", "h6") and not heading:
        return
    if _between_list_items(el):
        return  # a line among a list's markers and items is the list's: taking it joins the list later
    text = block_text(el)
    if not text or len(text.split()) > 20:
        return
    byline = parse_byline(text, doc.meta.author)
    if byline:
        name, date = byline
        if (doc.meta.author or heading) and doc.meta.author != name:
            return  # a second byline (a quoted author, a photo credit), or a heading
        doc.meta.author = name
        if date and not doc.meta.date:
            doc.meta.date = date
        role = el.getnext()
        ctx.change("metadata.byline", el, el, name)
        doc.body.remove(el)
        if role is not None and role.tag in ("p", "h2", "h3", "h4") and patterns.BYLINE_ROLE.match(block_text(role)):
            ctx.change("metadata.byline", role, role, name)  # "Business Correspondent" under it
            doc.body.remove(role)
        return
    if _only_the_author(text, doc.meta.author):
        ctx.change("metadata.byline", el, el, doc.meta.author)
        doc.body.remove(el)
        return
    info, date = info_line(text, doc.meta.author) if not heading else (False, None)
    if info:
        if date and not doc.meta.date:
            doc.meta.date = date
        counters = el.getnext()
        ctx.change("metadata.info-line", el, el, doc.meta.author)
        doc.body.remove(el)
        # Its counters, glued together on the line under it (Medium's claps and responses:
        # "--41212"): figures and dashes only.
        if counters is not None and counters.tag == "p" and _COUNTERS_ONLY.match(block_text(counters)):
            ctx.change("metadata.info-line", counters, counters, None)
            doc.body.remove(counters)
        return
    masthead = masthead_date(text) if not heading else None
    if masthead:
        doc.meta.date = doc.meta.date or masthead
        ctx.change("metadata.masthead", el, el, doc.meta.date)
        doc.body.remove(el)
        return
    date = _is_dateline(text)
    repeats = bool(doc.meta.date) and parse_date(doc.meta.date) == date
    # "Published 14 March 2026" / "Updated 15 March 2026": the update note goes with it.
    update = bool(doc.meta.date) and not heading and _UPDATE_NOTE.match(text) is not None
    if date and (repeats or update or not (doc.meta.date or heading)):
        doc.meta.date = doc.meta.date if update else date
        ctx.change("metadata.dateline", el, el, date)
        doc.body.remove(el)


def _closing_datelines(doc: Document, ctx) -> None:
    """The page's dates under the article, its last block: "Published 12 June 2019" / "Last
    updated 18 January 2024 + show all updates" (GOV.UK), "Page last reviewed: 12 March 2024"
    / "Next review due: 12 March 2027" (the NHS), on a web page. The block goes; its first
    date is the date when the page names none."""
    last = doc.body[-1] if len(doc.body) else None
    if doc.kind != "html" or last is None or last.tag != "p" or len(doc.body) < 2:
        return  # (a Markdown file's own "Last updated: 2 March 2026" is its author's line)
    lines = [" ".join("".join(line.itertext()).split()) for line in split_at(last, lambda c: c.tag == "br")]
    dates = [_is_dateline(line) or _review_date(line) for line in lines]
    if not lines or not all(dates):
        return
    if not doc.meta.date and not patterns.REVIEW_DUE_LINE.match(lines[0]):
        doc.meta.date = dates[0]
    ctx.change("metadata.closing-dateline", last, last, dates[0])
    doc.body.remove(last)


def _review_date(line: str) -> str | None:
    review = patterns.REVIEW_DUE_LINE.match(line) or patterns.LAST_REVIEWED_LINE.match(line)
    return parse_date(review.group("date")) if review else None


def extract_byline_and_dateline(doc: Document, ctx) -> None:
    """Move a byline ("By Marta Ilves") and a dateline near the top into the metadata.

    A byline or dateline set as a heading (``<h3>By Scott Gordon</h3>``, NBC's pages) goes
    only when it repeats what the metadata already says: "By Land and Sea" or "March 5, 2023"
    can head a section."""
    # (A block removed lets the next one into the window: look at it too, or a second run would.)
    seen: set[etree._Element] = set()
    while True:
        window = [el for el in _top_blocks(doc.body, 4) if el not in seen]
        if not window:
            break
        for el in window:
            seen.add(el)
            if el.getparent() is doc.body:  # (an info line's counters went with it)
                _take_top_block(doc, el, ctx)
    _closing_datelines(doc, ctx)
    if not doc.meta.date:
        # A press release's story opens with its dateline: the date, and the text stays.
        for el in itertools.islice(doc.body.iterchildren("p"), PRESS_DATELINE_REACH):
            date = press_dateline_date(block_text(el))
            if date:
                doc.meta.date = date
                ctx.change("metadata.press-dateline", el, block_text(el)[:60], date)
                break
    if doc.meta.date:
        normalised = parse_date(doc.meta.date)
        if normalised and normalised != doc.meta.date:
            doc.meta.date = normalised


def detect_language(doc: Document, ctx) -> None:
    """Keep the source's language tag, else identify the language from the body text."""
    if doc.meta.language:
        tag = doc.meta.language.replace("_", "-").strip()
        primary, *rest = tag.split("-")
        tidy = "-".join([primary.lower(), *[r.upper() if len(r) == 2 else r for r in rest]])
        if tidy != doc.meta.language:
            ctx.change("metadata.language-tag", None, doc.meta.language, tidy)
            doc.meta.language = tidy
        return
    # (Words as they read: an empty "<b></b>" inside a word does not make it two words.)
    text = " ".join(t for t in (doc.meta.title or "", flow_text(doc.body)) if t)
    if len(text.split()) < LANGUAGE_MIN_WORDS:
        return
    import py3langid

    from ..warmup import load_language_model

    load_language_model()  # once per process; waits if another thread is loading it
    ranked = py3langid.langid.IDENTIFIER.rank(text[:20000])  # (language, log-probability)
    language, top = ranked[0]
    confidence = 1.0 / sum(math.exp(score - top) for _, score in ranked)
    if confidence < LANGUAGE_MIN_CONFIDENCE:
        return
    doc.meta.language = language
    ctx.change("metadata.language-detected", None, None, language)
