"""Readers: encodings, refusal of binary and empty input, sanitising, block flattening."""

from __future__ import annotations

import os

import pytest

from converter.errors import InputError, UnsupportedInputError
from converter.normalise import normalise
from converter.readers import read_document, read_string
from converter.readers.encoding import decode_bytes

TEXT = "Café “quoted” — naïve"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        b"\xff\xfe" + TEXT.encode("utf-16-le"),
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_decodes_common_encodings(data):
    assert decode_bytes(data) == TEXT


def test_latin1_bytes_cp1252_leaves_undefined_are_kept():
    assert decode_bytes(b"caf\xe9 \x81") == "café \x81"


def test_crlf_and_form_feed_become_newlines_and_controls_go():
    assert decode_bytes(b"a\r\nb\rc\x0cd\x07e") == "a\nb\nc\nde"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (bytes(range(256)) * 4, "binary file"),
    ],
    ids=["pdf", "png", "zip", "random"],
)
def test_binary_input_is_refused(data, words):
    with pytest.raises(InputError, match=words):
        decode_bytes(data, "x.txt")


@pytest.mark.parametrize("data", [b"", b"  \n\t \n"])
def test_empty_input_is_refused(data):
    with pytest.raises(InputError, match="empty|white space"):
        decode_bytes(data)


def test_missing_file_directory_and_unknown_extension(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="directory"):
        read_document(folder)
    odd = tmp_path / "x.rtf"
    odd.write_text("hello")
    with pytest.raises(UnsupportedInputError, match=r"\.rtf"):
        read_document(odd)


def test_unreadable_file(tmp_path, monkeypatch):
    f = tmp_path / "locked.txt"
    f.write_text("hello")
    f.chmod(0)
    if os.geteuid() == 0:  # root reads anything: simulate what every other user gets
        # (tests/test_bad_input.py checks the real thing, with root's override dropped)
        real_open = os.open

        def refuse(path, flags, *args, **kwargs):
            if str(path) == str(f):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match="permission denied"):
        read_document(f)


def test_size_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("word " * 1000)
    with pytest.raises(InputError, match="larger than"):
        read_document(f, max_bytes=1000)


def test_text_reader_keeps_lines_and_blocks():
    doc = read_string("One\nTwo\n\nThree\n")
    assert [p.get("data-line") for p in doc.body] == ["1", "4"]
    assert [len(p) for p in doc.body] == [1, 0]  # one soft <br> in the first block


def test_markdown_front_matter_and_footnotes():
    doc = read_string(
        "---\ntitle: Notes\nauthor: [Ana Ruiz, Li Wei]\ndate: 2025-03-04\nlang: fr\n---\n"
        "Text[^1].\n\n[^1]: The note.\n",
        "markdown",
    )
    assert (doc.meta.title, doc.meta.author, doc.meta.date, doc.meta.language) == (
        "Notes", "Ana Ruiz, Li Wei", "2025-03-04", "fr",
    )
    ref = doc.body.xpath("//a[@role='doc-noteref']")
    assert ref and ref[0].get("href") == "#fn1"
    notes = doc.body.xpath("//section[@role='doc-endnotes']//li[@id='fn1']")
    assert notes and "The note." in notes[0].text_content()


def test_markdown_bad_front_matter_is_not_fatal():
    doc = read_string("---\ntitle: [unclosed\n---\nBody text.\n", "markdown")
    assert doc.meta.title is None
    assert "Body text." in doc.body_html()


HOSTILE = """<html><head><title>T</title><style>p{color:red}</style>
<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>
<p onclick="steal()" style="color:red" data-line="99">Hello <a href="javascript:alert(1)">x</a>
<a href=" JaVaScRiPt:alert(1)">y</a> <a href="data:text/html,<b>">z</a> <a href="https://ok.example/">ok</a></p>
<script>alert(1)</script><iframe src="http://127.0.0.1:9/"></iframe><object data="x.swf"></object>
<form><input value="secret"></form><p>After <img src="x.png" onerror="steal()"></p></body></html>"""


def test_html_is_sanitised():
    doc = read_string(HOSTILE, "html")
    markup = doc.body_html()
    for bad in ("onclick", "style", "javascript", "JaVaScRiPt", "data:text", "script", "iframe",
                "object", "secret", "onerror", "data-line", "color:red"):
        assert bad not in markup, bad
    assert 'href="https://ok.example/"' in markup
    assert "Hello" in markup and "After" in markup


def test_share_buttons_go_and_links_to_the_networks_stay():
    """A share button (an address that shares the page, a short label) goes, wherever it
    sits: the "Pin" a sharing plugin lays over each picture, "Tweet this". A link to a
    network's page, or a sentence that links to a share address, is the article's."""
    doc = read_string(
        "<html><body><p>The bougainvillea flowers best when days and nights are of equal length.</p>"
        "<figure><img src='flower.jpg' alt='A bougainvillea in bloom'><span class='pin-button' "
        "href='https://pinterest.com/pin/create/button/?url=x'><svg></svg><span>Pin</span></span>"
        "<figcaption>A bougainvillea in bloom</figcaption></figure>"
        "<p>Follow the gardeners on <a href='https://www.pinterest.com/plantcare/'>Pinterest</a>, or "
        "<a href='https://twitter.com/intent/tweet?text=bloom'>Tweet this</a>.</p>"
        "<p><a href='https://twitter.com/intent/tweet?text=x'>Readers who tweeted the hashtag got a free cutting"
        "</a> in the spring.</p></body></html>", "html")
    text = " ".join(doc.body.text_content().split())
    assert "Pin" not in text.replace("Pinterest", "") and "Tweet this" not in text
    assert "Follow the gardeners on Pinterest" in text
    assert "Readers who tweeted the hashtag got a free cutting in the spring." in text


def test_text_lines_quoted_with_a_bracket_are_a_quotation():
    """An e-mail's or newsletter's "> " lines: a block whose every line is quoted is a
    quotation, without its markers; a block with one quoted line among others stays text."""
    doc = read_string(
        "Night trains are back across Europe.\n\n> The night train is the slow travel movement's\n"
        "> flagship.\n\nThe operator said:\n> we will add routes\nnext year.\n", "text")
    quote = doc.body.find("blockquote")
    assert quote is not None and "".join(quote.itertext()) == "The night train is the slow travel movement'sflagship."
    assert [el.tag for el in doc.body] == ["p", "blockquote", "p"]
    assert ">" in "".join(doc.body[2].itertext())


def test_old_block_elements_stay_blocks():
    """<center> and other blocks the sanitiser does not keep by name become <div>s, so their
    text does not run into the paragraph after them ("* * *" became a list marker)."""
    doc = read_string("<html><body><p>The boats came in late on Thursday evening.</p><center>* * *</center>"
                      "On Saturday the market opened early.<br></body></html>", "html")
    texts = [" ".join(el.text_content().split()) for el in doc.body]
    assert "* * *" in texts and "On Saturday the market opened early." in texts


def test_html_nested_divs_flatten_to_blocks():
    inner = "<div>" * 300 + "Deep text" + "</div>" * 300
    doc = read_string(f"<html><body><div>Intro <b>bold</b><p>Para</p>{inner}tail</div></body></html>", "html")
    assert [el.tag for el in doc.body] == ["p", "p", "p", "p"]
    texts = [el.text_content() for el in doc.body]
    assert texts == ["Intro bold", "Para", "Deep text", "tail"]


def test_html_picks_the_article_over_navigation():
    page = ("<html><body><nav><p>Home News Sport</p></nav><aside><p>Most read</p></aside>"
            "<article><h1>Story</h1><p>" + "Real words here. " * 10 + "</p></article>"
            "<footer><p>Footer</p></footer></body></html>")
    doc = read_string(page, "html")
    text = doc.body.text_content()
    assert "Real words" in text and "Home News" not in text and "Most read" not in text
    assert "Footer" not in text


# Google Docs' two HTML shapes: "Download > Web page" (emphasis as classes of a <style> rule)
# and its clipboard (style="" on each span, the paste wrapped in <b style="font-weight:normal">).
GDOCS_EXPORT = (
    '<html><head><style type="text/css">.c4{color:#000000;font-weight:700;font-style:normal}'
    '.c1{font-weight:400;font-style:normal}.c6{font-weight:400;font-style:italic}'
    '.c9{font-weight:700;font-style:italic}.c0{padding-top:0pt;line-height:1.15}</style></head>'
    '<body class="c3 doc-content"><p class="c0"><span class="c1">The new timetable starts on </span>'
    '<span class="c4">1 December</span><span class="c1">, and the </span><span class="c6">Island Star</span>'
    '<span class="c1"> returns </span><span class="c9">at last</span><span class="c1">.</span></p>'
    '<p class="c0"><span class="c4">What changes</span></p>'
    '<p class="c0"><span class="c1">Morning sailings leave twenty minutes earlier than before.</span></p></body></html>'
)
GDOCS_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234">'
    '<p dir="ltr"><span style="font-size:11pt;font-weight:400;font-style:normal;">The new timetable starts on </span>'
    '<span style="font-size:11pt;font-weight:700;">1 December</span>'
    '<span style="font-weight:400;">, and the </span><span style="font-style:italic;font-weight:400">Island Star</span>'
    '<span style="font-weight:400;"> returns.</span></p></b>'
)


@pytest.mark.parametrize("source", [GDOCS_EXPORT, GDOCS_PASTE], ids=["export", "clipboard"])
def test_emphasis_written_as_css_becomes_strong_and_em(source):
    html = read_string(source, "html").body_html()
    assert "<strong>1 December</strong>" in html
    assert "<em>Island Star</em>" in html
    # Regular text is not emphasised: neither the 400-weight spans nor the paste wrapper.
    assert "<strong>The new" not in html and "<b" not in html
    assert "The new timetable starts on <strong>" in html


def test_bold_and_italic_css_nests_em_in_strong_and_a_bold_paragraph_becomes_a_heading():
    from converter.normalise import normalise

    doc = read_string(GDOCS_EXPORT, "html")
    assert "<strong><em>at last</em></strong>" in doc.body_html()
    normalise(doc)
    assert "<h2>What changes</h2>" in doc.body_html()


def test_a_styled_drop_cap_is_not_emphasis():
    page = ('<html><head><style>.drop-cap{font-weight:700;font-size:4em;float:left}</style></head><body>'
            '<p><span class="drop-cap">H</span>ong Kong is burning, and the authorities pour fuel on the fire.</p>'
            '<p><span class="outer"><span class="drop-cap">W</span></span>hale whisperer Hori Parata was seven.</p></body></html>')
    html = read_string(page, "html").body_html()
    assert "<p>Hong Kong is burning" in html and "<p>Whale whisperer" in html


def test_the_space_between_loose_inline_elements_is_kept():
    # Inline content straight in a <div> or layout cell becomes a paragraph; the white space
    # between two of its elements is the only thing keeping their words apart.
    doc = read_string('<div><b>Nearby Towns:</b> <a href="/a">Culver City</a>, <a href="/b">Venice</a>'
                      ' <a href="/c">Santa Monica</a></div>', "html")
    assert doc.body[0].text_content() == "Nearby Towns: Culver City, Venice Santa Monica"
    cell = read_string("<table><tr><td>Its ok for now.<br>\n<b>Jon</b> <img src='a.gif' alt='Very Happy'>"
                       "</td></tr></table>", "html")
    assert "<b>Jon</b> <img" in cell.body_html()


UNCLOSED = """# Winter timetable

Print it with:

```
ferry --timetable winter
ferry --print

The operator will review the timetable in March, after a public consultation.
Residents can send comments by email until the end of February.
"""


def test_an_unclosed_fence_ends_before_the_prose_after_the_code():
    doc = read_string(UNCLOSED, "markdown")
    html = doc.body_html()
    assert "<pre><code>ferry --timetable winter\nferry --print\n</code></pre>" in html
    assert "<p>The operator will review the timetable in March" in html
    assert [c.rule for c in doc.changes] == ["markdown.unclosed-fence"]


@pytest.mark.parametrize("source", [
    # closed: the prose inside is the author's
    UNCLOSED.replace("ferry --print\n", "ferry --print\n```\n\nNotes:\n\n```\n") + "```\n",
    # unclosed, but only code and a comment follow
    "Intro.\n\n```python\ndef f(x):\n    return x\n\n# Then call it with the value for March\nf(3)\n",
    # a fence inside a list item
    "- Step one:\n\n  ```\n  ferry --print\n\n  The operator will review the timetable in March, after a consultation.\n",
])
def test_fences_that_are_closed_or_hold_only_code_stay(source):
    doc = read_string(source, "markdown")
    assert not [c for c in doc.changes if c.rule == "markdown.unclosed-fence"]


def _word_item(level: int, marker: str, text: str, lst: str = "l0") -> str:
    return (f"<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:{lst} level{level} lfo1'>"
            f"<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>{marker}"
            f"<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span></span>"
            f"<![endif]>{text}<o:p></o:p></p>")


def test_word_list_paragraphs_become_nested_lists_without_their_markers():
    page = ("<html><head><meta name=Generator content='Microsoft Word 15'></head><body><div class=WordSection1>"
            "<p class=MsoNormal>The committee met on Saturday to plan the spring work on the site.</p>"
            + _word_item(1, "·", "Clear the paths") + _word_item(1, "·", "Repair the water butts")
            + _word_item(2, "o", "The one by the gate leaks") + _word_item(1, "·", "Order the seed potatoes")
            + "<p class=MsoNormal>Dates for the diary follow below, as agreed.</p>"
            + _word_item(1, "3.", "Open day: 14 March", "l1") + _word_item(1, "4.", "Seed swap: 28 March", "l1")
            + "</div></body></html>")
    html = read_string(page, "html").body_html()
    assert ("<ul><li>Clear the paths</li><li>Repair the water butts<ul><li>The one by the gate leaks</li></ul></li>"
            "<li>Order the seed potatoes</li></ul>") in html
    assert '<ol start="3"><li>Open day: 14 March</li><li>Seed swap: 28 March</li></ol>' in html
    assert "·" not in html and ">o" not in html


def test_a_link_around_a_block_goes_inside_it():
    html = read_string('<p>The concept seats four, with a rear bench for a fifth person as an option.</p>'
                       '<a href="https://example.org/gallery" title="Read the gallery"><h6><i class="icon"></i>'
                       ' The Gallery</h6></a><p>More text follows the gallery link here.</p>', "html").body_html()
    assert '<h6><a href="https://example.org/gallery" title="Read the gallery">' in html
    assert '<a href="https://example.org/gallery" title="Read the gallery"></a>' not in html


def test_spaced_emphasis_is_repaired_outside_code_blocks_only():
    source = ("The fare is ** £4.50 ** for adults.\n\n```\nx = a ** 2 ** b\n** keep **\n```\n\n"
              "    ** indented code **\n\n- an item\n\n  with ** a spaced word ** in it\n")
    doc = read_string(source, "markdown")
    html = doc.body_html()
    assert "<strong>£4.50</strong>" in html and "<strong>a spaced word</strong>" in html
    assert "** keep **" in html and "** indented code **" in html
    assert [c.where for c in doc.changes if c.rule == "markdown.spaced-emphasis"] == ["line 1", "line 12"]


def test_tab_separated_lines_are_a_table_with_the_lines_around_them_kept():
    """A timetable copied from a web page arrives as tab-separated lines: a table, its first
    row the header when it holds no figures; a line above the rows in the same block stays."""
    doc = read_string("Ferry times\nDeparture\tArrival\tDays\n06:30\t07:05\tMonday to Friday\n"
                      "08:00\t08:35\tDaily\n\nFares are unchanged.\n", "text")
    assert [el.tag for el in doc.body] == ["p", "table", "p"]
    table = doc.body[1]
    assert [th.text for th in table.iter("th")] == ["Departure", "Arrival", "Days"]
    assert [[td.text for td in tr.iter("td")] for tr in table.find("tbody")] == [
        ["06:30", "07:05", "Monday to Friday"], ["08:00", "08:35", "Daily"]]
    assert [c.rule for c in doc.changes] == ["text.tab-table"]


@pytest.mark.parametrize("source", [
    "Name:\tAda\nRole\tchair\tsince 2019\n",  # rows of different widths
    "\tindented line\n\tanother one\n",  # leading tabs indent
    "One line\twith a tab\n",  # a single row
])
def test_tabs_that_make_no_table_stay_text(source):
    doc = read_string(source, "text")
    assert doc.body.find(".//table") is None
    assert "\t" not in "".join(doc.body.itertext())


def test_items_pasted_from_word_are_a_nested_list_not_a_table():
    """Word pastes a bulleted list as marker, tab, text, its levels by bullet ("•", "o", "§"):
    the tab had made a table of markers and items."""
    doc = read_string("We need people for three jobs:\n•\tGuiding visitors\no\tSaturday mornings\n"
                      "o\tSunday afternoons\n•\tRunning the tea room\n§\tBaking\n\n"
                      "How to sign up:\n1.\tFill in the form\n2.\tPick your shifts\n", "text")
    normalise(doc)
    assert doc.body.find(".//table") is None
    (ul,) = doc.body.findall("ul")
    assert [li.text.strip() for li in ul] == ["Guiding visitors", "Running the tea room"]
    assert [li.text for li in ul[0].find("ul")] == ["Saturday mornings", "Sunday afternoons"]
    assert ul[1].find(".//li").text == "Baking"
    assert [li.text for li in doc.body.find("ol")] == ["Fill in the form", "Pick your shifts"]


def test_a_table_ranked_in_its_first_column_stays_a_table():
    doc = read_string("Place\tClub\tPoints\n1.\tSaltcote\t412\n2.\tMillbrook\t398\n", "text")
    rows = [[c.text for c in tr] for tr in doc.body.find("table").iter("tr")]
    assert rows == [["Place", "Club", "Points"], ["1.", "Saltcote", "412"], ["2.", "Millbrook", "398"]]


CHAT_COPY = """\
You can read the export with the csv module:

python
Copy code
import csv

with open("readings.csv", newline="") as f:
    for row in csv.DictReader(f):
        print(row["time"])

To install pandas for larger files, run:

bash
Copy code
pip install pandas

How it works
Then a whole file is one call.
"""


def test_code_copied_from_a_chat_window_is_a_code_block_with_its_indentation():
    doc = read_string(CHAT_COPY, "text")
    blocks = [(el.tag, "".join(el.itertext())) for el in doc.body]
    assert blocks == [
        ("p", "You can read the export with the csv module:"),
        ("pre", ('import csv\n\nwith open("readings.csv", newline="") as f:\n'
                 '    for row in csv.DictReader(f):\n        print(row["time"])')),
        ("p", "To install pandas for larger files, run:"),
        ("pre", "pip install pandas"),
        ("p", "How it worksThen a whole file is one call."),
    ]
    assert [pre.find("code").get("class") for pre in doc.body.iter("pre")] == [
        "language-python", "language-bash"]
    assert [c.before for c in doc.changes if c.rule == "text.copied-code"] == [
        "python / Copy code", "bash / Copy code"]


@pytest.mark.parametrize("source", [
    # the language on a block of its own, newer buttons
    "Run this:\n\npython\n\nCopyEdit\nprint('hi')\n\nThat prints a greeting.\n",
    "Run this:\n\nCopy code\nprint('hi')\n\nThat prints a greeting.\n",
])
def test_copied_code_toolbars_in_other_shapes(source):
    doc = read_string(source, "text")
    assert [el.tag for el in doc.body] == ["p", "pre", "p"]
    assert doc.body[1].text_content() == "print('hi')"


@pytest.mark.parametrize("source", [
    "Press the button marked\nCopy\nto keep the text.\n",  # "Copy" with no language before it
    "python\nCopy code\n\nThe snippet above was lost when the page was saved.\n",  # no code
    "Snakes:\n\npython\n\nCopy\n\nThe snippet above was lost when the page was saved.\n",
])
def test_copy_lines_without_code_stay_text(source):
    doc = read_string(source, "text")
    assert doc.body.find(".//pre") is None
    assert "Copy" in "".join(doc.body.itertext())
    assert ("python" in source) == ("python" in "".join(doc.body.itertext()))


def test_github_alerts_are_quotations_headed_by_their_kind():
    doc = read_string("> [!WARNING]\n> Times are in UTC.\n\n> [!NOTE] Check the tables.\n\n> [!nonsense]\n> Stays.\n",
                      "markdown")
    quotes = [[(p.tag, "".join(p.itertext()), [c.tag for c in p]) for p in q] for q in doc.body.iter("blockquote")]
    assert quotes[0] == [("p", "Warning", ["strong"]), ("p", "Times are in UTC.", [])]
    # (Text after the mark on its line is the callout's title, as Obsidian reads it.)
    assert quotes[1] == [("p", "Check the tables.", ["strong"])]
    assert "".join(doc.body[2].itertext()).strip().startswith("[!nonsense]")


def test_task_list_boxes_become_characters():
    doc = read_string("- [x] command-line tool\n- [ ] tidal stream atlases\n- [link] stays\n\n"
                      "1. [X] loose item\n\n2. [ ] another\n", "markdown")
    items = ["".join(li.itertext()).strip() for li in doc.body.iter("li")]
    assert items == ["☒ command-line tool", "☐ tidal stream atlases", "[link] stays",
                     "☒ loose item", "☐ another"]


def test_badges_left_out_as_alt_text_still_go_as_badges():
    """Without --allow-remote the badges are alt text before the normaliser runs: the row is
    still told by the addresses the pictures had."""
    from converter.config import Config
    from converter.pipeline import repair

    doc = read_string("# tidecalc\n\n[![Build](https://github.com/x/y/actions/workflows/ci.yml/badge.svg)](https://github.com/x/y) "
                      "[![PyPI](https://img.shields.io/pypi/v/tidecalc.svg)](https://pypi.org/p/tidecalc)\n\n"
                      "tidecalc predicts high and low water for any port with harmonic constants.\n", "markdown")
    repair(doc, Config())
    text = "".join(doc.body.itertext())
    assert "Build" not in text and "PyPI" not in text
    assert "tidecalc predicts" in text


OBSIDIAN = """\
The swap is in the [[Central Library|town library]]; see [[Seed saving basics#Drying]] and [[Cuttings]].
Last year ==more than 2,000 packets== changed hands.%%ask Priya%%

![[plan.png]]

%%
A comment over
several lines.
%%

> [!tip] Bring your own envelopes
> Paper envelopes keep seeds dry.

> [!warning]-
> Late frosts.

    [[code stays]] and ==code== too
"""


def test_an_obsidian_note_s_own_syntax_is_read_as_obsidian_shows_it():
    doc = read_string(OBSIDIAN, "markdown")
    html = doc.body_html()
    assert ("The swap is in the town library; see Seed saving basics › Drying and Cuttings." in html
            and "<mark>more than 2,000 packets</mark> changed hands." in html)
    assert "Priya" not in html and "several lines" not in html and "%%" not in html
    assert '<img src="plan.png" alt="plan">' in html
    quotes = [[("".join(p.itertext())) for p in q] for q in doc.body.iter("blockquote")]
    assert quotes == [["Bring your own envelopes", "Paper envelopes keep seeds dry."], ["Warning", "Late frosts."]]
    assert "[[code stays]] and ==code== too" in html
    assert {c.rule for c in doc.changes} == {"markdown.obsidian"}


def test_double_equals_and_brackets_that_are_not_obsidian_syntax_stay():
    doc = read_string("In Python, a == b compares; x==y too. A list [[1, 2], [3]] is nested.\n", "markdown")
    assert "".join(doc.body.itertext()).strip() == "In Python, a == b compares; x==y too. A list [[1, 2], [3]] is nested."


def test_a_reply_s_attribution_and_the_quoted_message_under_it():
    doc = read_string("Thanks Alan, that works.\n\nOn Tue, 14 Oct 2025 at 18:22, Alan Marsh <alan@example.org> wrote:\n"
                      "> Hi all,\n>\n> The work party moves to the orchard,\n> because the ground is wet.\n", "text")
    assert [el.tag for el in doc.body] == ["p", "p", "blockquote"]
    quote = doc.body[2]
    assert ["".join(p.itertext()) for p in quote] == ["Hi all,", "The work party moves to the orchard,because the ground is wet."]
    # A quoted line inside a paragraph, without an attribution over it, stays as it is.
    kept = read_string("The operator said:\n> we will add routes\n> next year.\n", "text")
    assert [el.tag for el in kept.body] == ["p"]


def test_space_aligned_columns_are_a_table():
    """A table copied out of a PDF or a plain-text e-mail keeps its columns with spaces: three
    lines or more whose cells start (text) or end (figures) at the same columns are a table;
    a header of years over figures is its header; the caption line above stays a paragraph."""
    doc = read_string("Table 1. Mean eel density by site and year.\n"
                      "Site         2024    2025\n"
                      "Saltcote      4.1    14.6\n"
                      "St Osyth      2.7     3.0\n\nEel density was higher in every pond.\n", "text")
    assert [el.tag for el in doc.body] == ["p", "table", "p"]
    table = doc.body[1]
    assert [th.text for th in table.iter("th")] == ["Site", "2024", "2025"]
    assert [[td.text for td in tr.iter("td")] for tr in table.find("tbody")] == [
        ["Saltcote", "4.1", "14.6"], ["St Osyth", "2.7", "3.0"]]
    assert [c.rule for c in doc.changes] == ["text.spaced-table"]


@pytest.mark.parametrize("source", [
    "The vote was close.  Nine voted for it.\nTwo voted against.  One abstained.\nThe mayor did not vote.  Nobody asked why.\n",
    "Site        2024\nSaltcote  4.1\nSt Osyth      2.7\n",  # columns that do not line up
    "Departure  Arrival\n06:30      07:05\n",  # two rows only
    "Name        The long description of the first thing here\nOther     x\nThird       y\n",  # a long cell
])
def test_spaces_that_make_no_table_stay_text(source):
    doc = read_string(source, "text")
    assert doc.body.find(".//table") is None
