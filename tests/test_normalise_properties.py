"""Property tests: on any input the normaliser never crashes, is idempotent, keeps the words."""

from __future__ import annotations

import os
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_readers import assert_idempotent

from converter.errors import ConverterError
from converter.normalise import patterns, typography
from converter.readers import read_string
from converter.readers.encoding import clean_text

# Fixed examples in the suite's run, new ones under `make fuzz` (see tests/test_fuzz_readers.py).
SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                    derandomize="HYPOTHESIS_EXAMPLES" not in os.environ, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(
    "the bridge council Reopens After voted Monday repairs what why How café naïve "
    "0 1 2 3 12 2026 Comments Share Advertisement By Marta Ilves May 19, 2025 sup- pliers".split()
)
MARKERS = st.sampled_from(["-", "•", "*", "–", "1.", "2)", "a)", "##", "#", "", "", "", ""])
PUNCT = st.sampled_from(["", "", ".", "?", ":", ",", "!"])


@st.composite
def scraped_lines(draw):
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        marker = draw(MARKERS)
        words = " ".join(draw(st.lists(WORDS, min_size=0, max_size=14)))
        glue = draw(st.sampled_from([" ", "", "\n"]))
        lines.append(f"{marker}{glue}{words}{draw(PUNCT)}".strip(" "))
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n"


def _words(text: str) -> list[str]:
    # (NFC first, as the unicode pass composes: "U" + a combining mark is one letter, "Ȕ")
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text))


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", text)).lower()


def _check(source: str, kind: str, markup: re.Pattern[str] | None = None) -> None:
    """Idempotence, and for text every word of the source kept (``markup``'s matches aside)."""
    try:
        doc = read_string(source, kind)
    except ConverterError:
        return
    once = assert_idempotent(doc)
    if kind != "text" or any(c.rule == "typography.mojibake" for c in doc.changes):
        return  # markup syntax and re-decoded mojibake change the words on purpose
    moved = ("boilerplate", "metadata.byline", "metadata.dateline")  # removed or into metadata
    removed = " ".join(c.before for c in doc.changes if c.rule.startswith(moved))
    kept = _squash(" ".join([once, removed]))
    cleaned = typography.INVISIBLE.sub("", typography.C1_CONTROLS.sub("", clean_text(source)))
    if markup is not None:
        cleaned = markup.sub(" ", cleaned)
    steps = any(c.rule == "lists.step-prefix" for c in doc.changes)
    for line in cleaned.splitlines():
        if patterns.DETACHED_MARKER.match(line):
            continue  # a marker is list syntax, not an article word
        if steps:
            line = patterns.STEP_PREFIX.sub("", line.lstrip())  # "Step 2:" is the list's numbering now
        marker = patterns.INLINE_MARKER.match(line)
        for word in _words(line[marker.end():] if marker else line):
            assert _squash(word) in kept, word


@SETTINGS
@given(scraped_lines())
def test_scraped_text(source):
    _check(source, "text")


@SETTINGS
@given(st.text(max_size=400))
def test_any_text(source):
    _check(source, "text")


BBCODE_PIECES = st.sampled_from([
    "[b]", "[/b]", "[i]", "[/i]", "[B]", "[u]", "[/u]", "[list]", "[/list]", "[list=1]", "[*]", "[/*]",
    "[quote]", '[quote="ann"]', "[/quote]", "[code]", "[/code]", "[url=https://x.org/a]", "[url]", "[/url]",
    "[img]", "[/img]", "[hr]", "[color=red]", "[/color]", "[", "]", "\n", "\n\n", " ", " ", "- ", "#"])
# BBCode tags and a picture's address: markup, not article words.
BBCODE_MARKUP = re.compile(r"\[img\][^\[\]\s]*\[/img\]|\[/?(?:[a-z*]+)(?:=[^\]\n]*)?\]", re.IGNORECASE)


@SETTINGS
@given(st.lists(st.one_of(BBCODE_PIECES, WORDS), max_size=60))
def test_forum_markup(pieces):
    """Text with BBCode tags, paired or not, nested or crossed: every word is kept (the tags
    go or stay as text) and a second run changes nothing."""
    _check("".join(pieces), "text", BBCODE_MARKUP)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("-*#>`|[]()!_ \n1.)abcXYZ:?•")), max_size=300))
def test_markdown_soup(source):
    _check(source, "markdown")


TAGS = st.sampled_from(["p", "div", "b", "strong", "ul", "li", "ol", "h1", "h2", "h4", "br",
                        "span", "table", "tr", "td", "blockquote", "pre", "code", "script", "a"])


@st.composite
def html_soup(draw):
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        choice = draw(st.integers(0, 3))
        parts.append({0: f"<{tag}>", 1: f"</{tag}>", 2: draw(WORDS) + " ", 3: draw(MARKERS) + " "}[choice])
    return "".join(parts)


@SETTINGS
@given(html_soup())
def test_html_soup(source):
    _check(source, "html")


# The pieces the session-9 repairs read: spaced emphasis and links, pipe rows, fences, steps,
# labelled lines; and, in HTML, emphasis written as CSS and Word's list paragraphs.
MD_PIECES = st.sampled_from(["** ", " **", "__", "**Fares **", "[the timetable]", " (https://x.org/t)",
                             "| a | b |", "|", "```", "~~~", "Step 1:", "Step 2:", "Step 3 -", "Ingredients",
                             "500g flour", "1 tsp salt", "Page 2 of 4", "1.8 metres", "\n", "\n\n", " "])


@SETTINGS
@given(st.lists(st.one_of(MD_PIECES, WORDS), max_size=40))
def test_markdown_repairs_soup(pieces):
    _check(" ".join(pieces), "markdown")
    _check(" ".join(pieces), "text")


STYLED = st.sampled_from([
    "<span style='font-weight:700'>", "<span style='font-style:italic'>", "<span class='c4'>", "</span>",
    "<b style='font-weight:normal'>", "</b>", "<style>.c4{font-weight:700;font-style:italic}</style>",
    "<p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>·</span>",
    "<p style='mso-list:l0 level2 lfo1'><span style='mso-list:Ignore'>o</span>",
    "<p style='mso-list:l1 level1 lfo2'><span style='mso-list:Ignore'>1.</span>", "</p>",
    "<a href='x'><h6>", "</h6></a>", "<i> </i>", "&nbsp;", "<blockquote><i>", "</i></blockquote>"])


@SETTINGS
@given(st.lists(st.one_of(STYLED, WORDS), max_size=40))
def test_styled_html_soup(pieces):
    _check(" ".join(pieces), "html")


# Cases the fuzzing above found with more examples than CI runs (HYPOTHESIS_EXAMPLES=2000):
# each made a second run of the chain change the document or record a change.
@pytest.mark.parametrize(("source", "kind"), [
    ("- the Comments\n-\n-\n- the\n- ?\n", "text"),  # French spacing took the last item's letter
    ("- •\n1", "markdown"),  # a glyph over a soft break, stripped only once the break was joined
    ("#------", "markdown"),  # a hash rule, read as a heading, then dropped as empty
    ("the <i> </i> the", "html"),  # an empty <i> left two spaces
    # a glued "#Title" made a heading that repeats the title only after the title pass ran
    ("<p>The harbour bridge reopened on Monday.</p>#<nav/></p>The harbour bridge reopened on Monday."
     + "<p>" * 30 + "<h1><div><p></p><p>The harbour bridge reopened on Monday.", "html"),
    ("**  **Fares ** \n [the timetable] ** ", "markdown"),  # emphasis across a line
    ("0\rA\njavascript:alert(1)\n* ", "markdown"),  # a drop cap on a block's second line
    ("0\nA\njavascript:alert(1)\n", "text"),
    ("&nbsp;Ã©", "markdown"),  # mojibake behind a no-break space, repaired once the tidy pass bared it
    # a byline above the headline hid the headline from the title pass until it was gone
    ("<address>By Marta Ilves<ul/><p><p></p></p>The harbour bridge reopened on Monday.Share</p>"
     + "<p>" * 13 + "<address>", "html"),
    ("the <p><b><div><p><p>the ", "html"),  # a bold line repeating a title taken from the first line
    ("- - - <b>", "html"),  # a scene break beside an empty element, a break only once it was gone
    ("<img src=x onerror=y># A\r0", "markdown"),  # "# A" glued after a picture took the picture with it
    ("*X\nX*", "markdown"),  # a line break read as no space: "XX", and "X X" (two share buttons) once joined
    # an empty <b> inside a word made it two words for language identification, until tidied away
    ("Ø\U00019c081ô\U000183c0\U000435c6\U0003ce8d<b/><script/><!-- c -->&bogus;<p></p></p><p><p>qy\U00019c00"
     "\U000435c6\U0003ce8b</p>••", "html"),
    ("U\u030f", "text"),  # a letter and its combining mark, one letter once composed
    ("# # # \ntitle: x\n", "markdown"),  # a lone "title:" field, taken as the subject only on a second run
    ("#:\nX\n\na", "markdown"),  # a drop cap ending a block of lines, joined once the lines were split
    # a second byline that the first one's removal let into the top blocks
    (("<p>The harbour bridge reopened on Monday.</p>The harbour bridge reopened on Monday.<xmp/>"
      "<p><p>By Marta Ilves</p><p></p><p><p><p></p><p><p>By Marta Ilves"), "html"),
    ("- the\nBy Reopens\n-\n- .\n", "text"),  # a "byline" among list markers, joined to the list once gone
    ("Step 2: ``` \n Step 3 - ** ", "text"),  # "Step 2:" numbers the list: its words go on purpose
])
def test_found_by_fuzzing_stays_stable(source, kind):
    _check(source, kind)
