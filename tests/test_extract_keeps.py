"""The article locator never loses article text inside a semantic container, and reports
the prose it drops.

Cases live in tests/fixtures/extract/semantic-container.txt (dot format): the input is the
page's main part ({STORY} stands for five paragraphs of the story, {STORY.name} for the same
with class="name"), put in a page with a
menu, a sidebar and a footer; the expected lines say what must be in the result
(``kept:``), what must not (``dropped:``), and what must not be but must be named in a change
record of the reader (``reported:``). Each case is checked through the reader and through
``converter convert --to html``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixture_format import read_cases
from lxml import html as lxml_html

from converter.cli import main
from converter.readers import read_string

FIXTURES = Path(__file__).parent / "fixtures" / "extract" / "semantic-container.txt"

STORY = [
    "The council met on Tuesday evening to discuss the budget for the coming year and its many competing demands.",
    "Several members argued that the library should receive more money, because visits had doubled since the spring.",
    "Others pointed out that the roads in the northern district had not been repaired for almost a decade.",
    "The mayor proposed a compromise that would split the surplus between the two projects over three years.",
    "A final vote is expected next month, after the finance committee has published its review of the costs.",
]

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Budget vote | Town News</title></head>
<body>
<header class="site-header"><a href="/">Town News</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
{MAIN}
<aside class="sidebar"><h3>Most read</h3><ul>
<li><a href="/a">Five restaurants to try by the river this summer</a></li>
<li><a href="/b">Storm warning for the coast this weekend</a></li></ul>
<div class="newsletter-signup"><p>Five restaurants to try by the river this summer are in our free guide, sent to every subscriber.</p></div>
</aside>
<footer><p>© 2025 Town News. All rights reserved.</p></footer>
</body></html>
"""

KINDS = ("kept", "dropped", "reported")


def _page(source: str) -> str:
    def story(match: re.Match[str]) -> str:
        cls = f' class="{match.group(1)}"' if match.group(1) else ""
        return "\n".join(f"<p{cls}>{p}</p>" for p in STORY)

    return PAGE.replace("{MAIN}", re.sub(r"\{STORY(?:\.([\w-]+))?\}", story, source))


def _expected(case) -> list[tuple[str, str]]:
    out = []
    for line in case.expected.splitlines():
        kind, _, text = line.partition(":")
        assert kind in KINDS, f"{FIXTURES.name}:{case.line}: unknown line {line!r}"
        out.append((kind, text.strip()))
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


CASES = [pytest.param(c, id=f"{c.line}:{c.title[:50]}") for c in read_cases(FIXTURES)]


@pytest.mark.parametrize("case", CASES)
def test_reader_keeps_and_reports(case):
    doc = read_string(_page(case.source), "html")
    text = _flat(" ".join(doc.body.itertext()))
    reported = [c for c in doc.changes if c.rule.startswith("extract.")]
    for paragraph in STORY:
        assert paragraph in text
    for kind, expected in _expected(case):
        if kind == "kept":
            assert expected in text, expected
        else:
            assert expected not in text, expected
        if kind == "reported":
            assert any(expected in c.before for c in reported), (expected, reported)
    for change in reported:
        assert change.pass_name == "read" and change.after == "" and change.where.startswith("line ")
        assert change.before, change


@pytest.mark.parametrize("case", CASES)
def test_convert_to_html_keeps(case, tmp_path):
    source = tmp_path / "page.html"
    source.write_text(_page(case.source), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(source), "--to", "html", "-o", str(out)]) == 0
    body = lxml_html.fromstring((out / "page.html").read_bytes()).find(".//body")
    text = _flat(" ".join(body.itertext()))
    for kind, expected in _expected(case):
        if kind == "kept":
            assert expected in text, expected
        else:
            assert expected not in text, expected


def test_normalise_report_names_the_dropped_prose(tmp_path):
    case = next(c for c in read_cases(FIXTURES) if c.title.startswith("furniture inside the article"))
    source = tmp_path / "page.html"
    source.write_text(_page(case.source), encoding="utf-8")
    report = tmp_path / "changes.json"
    assert main(["normalise", str(source), "-o", str(tmp_path / "out.html"), "--report", str(report)]) == 0
    changes = [c for c in json.loads(report.read_text(encoding="utf-8"))["changes"] if c["rule"].startswith("extract.")]
    by_text = {c["before"][:30]: c for c in changes}
    share = next(c for t, c in by_text.items() if t.startswith("Share this story"))
    assert share["rule"] == "extract.inside-article" and share["pass"] == "read"
    assert "share-tools" in share["where"]
    comments = next(c for c in changes if "About time the library" in c["before"])
    assert comments["rule"] == "extract.inside-article" and "comments" in comments["where"]
    sidebar = next(c for c in changes if "are in our free guide" in c["before"])
    assert sidebar["rule"] == "extract.outside-article"
    # Link lists and headlines are not prose: the menu and "Most read" are dropped silently.
    assert not any("Storm warning" in c["before"] or "Home News" in c["before"] for c in changes)


def test_pages_read_whole_report_nothing():
    fragment = "<h2>Notes</h2><p>" + STORY[0] + "</p><ul><li>One</li><li>Two</li></ul>"
    doc = read_string(fragment, "html")
    assert not [c for c in doc.changes if c.rule.startswith("extract.")]


def test_a_small_page_reports_what_its_article_leaves_out():
    """A page too small to locate in is read from its <article>: what lies outside is reported."""
    page = ("<html><body><div class='promo'><p>Our reporters spent a whole week riding the night "
            "buses to find out who uses them.</p></div><article><p>" + STORY[0] + "</p></article></body></html>")
    doc = read_string(page, "html")
    assert "night buses" not in " ".join(doc.body.itertext())
    assert [c.rule for c in doc.changes if "night buses" in c.before] == ["extract.outside-article"]


def test_screen_reader_labels_and_video_captions_are_left_out_and_reported():
    """Text only a screen reader reads (BBC's off-screen "Media caption" label, "sr-only") is
    not in the edition; a figure holding a video player and no picture goes with its caption,
    which would describe a video no edition shows, and the caption is in the change records.
    A figure with a picture keeps its caption, and a Tailwind "hidden md:block" element (shown
    on wide screens) stays."""
    page = ("<html><body><article><h1>Budget vote</h1><p>" + STORY[0] + "</p>"
            "<figure class='media-item'><div><iframe src='https://player.example/v/1'></iframe></div>"
            "<figcaption><span class='off-screen'>Media caption</span> <span>The mayor explains "
            "the vote to reporters</span></figcaption></figure>"
            "<p>" + STORY[1] + " <span class='sr-only'>(opens in a new window)</span></p>"
            "<figure><img src='hall.png' alt='The hall'><figcaption><span class='off-screen'>Image "
            "caption</span> The council chamber before the vote</figcaption></figure>"
            "<p class='hidden md:block'>" + STORY[2] + "</p></article></body></html>")
    doc = read_string(page, "html")
    text = _flat(" ".join(doc.body.itertext()))
    assert all(p in text for p in STORY[:3])
    for unseen in ("Media caption", "Image caption", "opens in a new window", "The mayor explains"):
        assert unseen not in text
    assert "The council chamber before the vote" in text
    assert [c.rule for c in doc.changes if "The mayor explains" in c.before] == ["extract.player"]


def test_a_page_read_whole_leaves_out_what_a_browser_hides_and_reports_it():
    """A small page (read whole, not located in) with a hidden newsletter box and a hidden
    keyword line: neither is shown by a browser, so neither is in the edition; the box's prose
    is in the change records. A page that hides most of its text for a script to reveal keeps it."""
    box = ("Our reporters spent a whole week riding the night buses to find out who uses them, "
           "and the newsletter has the rest.")
    page = ("<html><body><div class='modal' style='display: none'><p>" + box + "</p></div>"
            "<p>" + STORY[0] + "</p><span hidden>budget council vote library roads</span>"
            "<p>" + STORY[1] + "</p></body></html>")
    doc = read_string(page, "html")
    text = _flat(" ".join(doc.body.itertext()))
    assert STORY[0] in text and STORY[1] in text
    assert "night buses" not in text and "library roads" not in text
    assert [c.rule for c in doc.changes if "night buses" in c.before] == ["extract.hidden"]
    revealed_later = "<html><body><div id='app' style='visibility:hidden'>" + "".join(
        f"<p>{p}</p>" for p in STORY[:3]) + "</div><p>Loading…</p></body></html>"
    text = _flat(" ".join(read_string(revealed_later, "html").body.itertext()))
    assert all(p in text for p in STORY[:3])


def test_many_condemned_paragraphs_all_come_back_in_order():
    """Every other paragraph in a div whose class readability-lxml weighs as negative: it
    removes them all (half the story); they come back, each in its place."""
    sentence = "The committee will hold a public hearing in the town hall next Thursday at seven"
    blocks = [f"<p>{sentence}, part {i}, with a comma or two, as story paragraphs have.</p>" if i % 2 == 0
              else f"<div class='media-wrap'><p>{sentence}, part {i}.</p></div>" for i in range(200)]
    page = f"<html><body><main><article><h1>Hearing</h1>{''.join(blocks)}</article></main></body></html>"
    doc = read_string(page, "html")
    parts = [int(m) for m in re.findall(r"part (\d+)", " ".join(doc.body.itertext()))]
    assert parts == list(range(200))


def test_markdown_raw_html_sidebar_is_reported(tmp_path):
    """An <aside> written as raw HTML in Markdown is not carried over: its prose is named in
    the change records (without the rendered HTML's line number), a menu of links is not."""
    source = tmp_path / "note.md"
    source.write_text(
        "# Bridge reopens\n\n" + STORY[0] + "\n\n<aside>\n<p>Fact box: the bridge was built in "
        "1932 and carries about twelve thousand vehicles every day.</p>\n</aside>\n\n"
        '<nav><a href="/a">Home</a> <a href="/b">News</a></nav>\n\n' + STORY[1] + "\n",
        encoding="utf-8")
    report = tmp_path / "changes.json"
    assert main(["normalise", str(source), "-o", str(tmp_path / "out.html"), "--report",
                 str(report)]) == 0
    changes = [c for c in json.loads(report.read_text(encoding="utf-8"))["changes"]
               if c["rule"].startswith("extract.")]
    assert [(c["rule"], c["where"]) for c in changes] == [("extract.aside", "aside")]
    assert "twelve thousand vehicles" in changes[0]["before"]
    assert "twelve thousand" not in (tmp_path / "out.html").read_text(encoding="utf-8")


def test_a_standfirst_the_story_repeats_is_not_put_back_twice():
    """Pages that show their standfirst again as the story's first line keep it once."""
    lead = "The town council has found a way to pay for both the library and the roads, and will vote on it next month."
    main_part = ('<main><article><div class="container"><h1>Budget vote</h1>'
                 f'<div class="article-intro">{lead}</div></div>'
                 f'<div class="container"><div class="story-body"><p>{lead}</p>{{STORY}}</div></div></article></main>')
    for part, count in ((main_part, 1), (main_part.replace(f"<p>{lead}</p>", ""), 1)):
        doc = read_string(_page(part), "html")
        text = _flat(" ".join(doc.body.itertext()))
        assert text.count(lead) == count, text
        assert all(paragraph in text for paragraph in STORY)


def test_named_anchors_left_open_around_an_old_page_are_not_links():
    """An old page opens <a name="..."> before each section and never closes it: the parser
    nests the whole text in anchors. They are not links: the story is read, not the table of
    codes beside it."""
    rows = "".join(f"<tr><td><b>[c{i}]</b></td><td>Taxon is a doubtful vagrant in the country or "
                   f"sub-country unit, as recorded by the assessors in {1990 + i}.</td></tr>" for i in range(8))
    sections = "".join(f'\n<a name="s{i}">\n<h2>Section {i}</h2>\n'
                       + "".join(f"<p>\n<font face='Arial'>{p}</font>\n" for p in STORY) for i in range(3))
    page = f"<html><body><table id='main'><tr><td id='body'>{sections}\n<table>{rows}</table></td></tr></table></body></html>"
    doc = read_string(page, "html")
    text = _flat(" ".join(doc.body.itertext()))
    assert all(paragraph in text for paragraph in STORY)
    assert [h.text_content() for h in doc.body.iter("h2")] == ["Section 0", "Section 1", "Section 2"]
