"""BBCode in plain text (a forum post's source copied out of its editor): the reader builds
the lists, quotations, code, rules, emphasis, links and pictures it marks, and leaves
every tag that does not open and close as text."""

from __future__ import annotations

import pytest
from lxml import etree

from converter.normalise import normalise
from converter.readers import read_string


def body_of(text: str) -> etree._Element:
    return read_string(text, "text").body


def xml(el: etree._Element) -> str:
    for node in el.iter():
        node.attrib.pop("data-line", None)
        node.attrib.pop("data-soft", None)
    return etree.tostring(el, encoding="unicode")


def test_a_list_and_its_items():
    body = body_of("What we did:\n[list]\n[*]Lifted the old leaf\n[*]Cut the [i]heel[/i] post\n[/list]\nDone.")
    lists = body.findall("ul")
    assert len(lists) == 1
    assert [xml(li) for li in lists[0]] == ["<li>Lifted the old leaf</li>", "<li>Cut the <i>heel</i> post</li>"]
    assert [p.text for p in body.findall("p")] == ["What we did:", "Done."]


def test_numbered_lists_closed_items_and_a_list_inside_an_item():
    body = body_of("[LIST=1]\n[*]Mount the pump.[/*]\n[*]Run the lead:\n[LIST]\n[*]common to the fuse\n"
                   "[*]output to the pump\n[/LIST]\n[*]Join the negatives.[/*]\n[/LIST]")
    (ol,) = body.findall("ol")
    assert [li.text.strip() for li in ol] == ["Mount the pump.", "Run the lead:", "Join the negatives."]
    inner = ol[1].find("ul")
    assert [li.text for li in inner] == ["common to the fuse", "output to the pump"]
    letters = body_of("[list=a][*]one[*]two[/list]").find("ol")
    assert letters.get("type") == "a" and [li.text for li in letters] == ["one", "two"]


@pytest.mark.parametrize("tag, poster", [
    ('[quote="sluice_sally"]', "sluice_sally"),
    ("[quote=sluice_sally post_id=4821 time=1772564000 user_id=52]", "sluice_sally"),  # phpBB 3.2
    ("[QUOTE=Sally Marsh;48213]", "Sally Marsh"),  # vBulletin
    ("[quote author=sluice_sally link=msg=5 date=1772564000]", "sluice_sally"),  # SMF
])
def test_a_quotation_names_its_poster_before_it(tag, poster):
    body = body_of(f"{tag}Are you treating the oak?\n\nOr leaving it green?[/quote]\n\nLeaving it green.")
    assert body[0].tag == "p" and body[0].text == f"{poster} wrote:"
    quote = body[1]
    assert quote.tag == "blockquote"
    assert [p.text for p in quote.findall("p")] == ["Are you treating the oak?", "Or leaving it green?"]
    assert body[2].text == "Leaving it green."


def test_a_quotation_without_a_poster_and_one_inside_another():
    body = body_of("[quote][quote=ann]First.[/quote]Second.[/quote]")
    (outer,) = body.findall("blockquote")
    assert [el.tag for el in outer] == ["p", "blockquote", "p"]
    assert outer[0].text == "ann wrote:" and outer[2].text == "Second."


def test_code_keeps_its_lines_and_its_tags():
    body = body_of("Run this:\n\n[code=bash]\nmake export\n\necho [b]done[/b]\n[/code]\n\nThen look.")
    (pre,) = body.findall("pre")
    assert pre[0].get("class") == "language-bash"
    assert pre[0].text == "make export\n\necho [b]done[/b]"
    assert body.find("p/b") is None


def test_inline_tags_links_pictures_and_formatting_that_goes():
    body = body_of("See [url=https://example.org/gates]the [b]page[/b][/url] or [url]https://example.org/[/url], "
                   "mail [email]pete@example.org[/email].\n[color=red]Never[/color] [u]ever[/u] [s]sometimes[/s]."
                   "\n[img]https://example.org/gate.jpg[/img]")
    p = body.find("p")
    links = p.findall("a")
    assert [(a.get("href"), "".join(a.itertext())) for a in links] == [
        ("https://example.org/gates", "the page"), ("https://example.org/", "https://example.org/"),
        ("mailto:pete@example.org", "pete@example.org")]
    assert links[0].find("b").text == "page"
    assert p.find("u").text == "ever" and p.find("s").text == "sometimes"
    assert "color" not in "".join(p.itertext()) and "Never" in "".join(p.itertext())
    assert p.find("img").get("src") == "https://example.org/gate.jpg"
    assert len(p.findall("br")) == 2  # the line breaks are still there for the normaliser


def test_an_unsafe_link_keeps_its_text_and_loses_its_address():
    p = body_of("[url=javascript:alert(1)]click[/url] and [img]javascript:alert(2)[/img]").find("p")
    assert p.find("a") is not None and p.find("a").get("href") is None and p.find("a").text == "click"
    assert p.find("img") is None and "javascript:alert(2)" in "".join(p.itertext())


@pytest.mark.parametrize("text", [
    "Set a[i] = 0 for every i.",  # an index, not italics
    "A lone [b bracket and a [b] that never closes.",
    "[b]opens on one line\nand closes on the next[/b]",  # element tags pair on one line
    "Footnote style [1] and [note] stay as written.",
])
def test_tags_that_do_not_open_and_close_stay_text(text):
    body = body_of(text)
    assert "".join("".join(body.itertext()).split()) == "".join(text.split())
    assert body.find(".//b") is None and body.find(".//i") is None


def test_crossed_tags_keep_the_outer_pair():
    p = body_of("[b]crossed [i]tags[/b] stay[/i]").find("p")
    assert xml(p) == "<p><b>crossed [i]tags</b> stay[/i]</p>"


def test_a_rule_on_its_own_line():
    body = body_of("Before.\n\n[hr]\n\nAfter.")
    assert [el.tag for el in body] == ["p", "hr", "p"]


def test_text_without_bbcode_reads_as_before():
    text = "Title line\nFirst paragraph line.\n-\nItem text\n\n> quoted\n\nA [note] in brackets."
    body = body_of(text)
    assert [el.tag for el in body] == ["p", "blockquote", "p"]
    assert not [c for c in read_string(text, "text").changes if c.rule.startswith("text.bbcode")]


def test_a_forum_post_through_the_whole_chain():
    doc = read_string(
        "[b]Rebuilding the lock gates[/b]\n\nPosted by millwright_dan » Tue Mar 03, 2026 7:12 pm\n\n"
        "We finally got the new oak delivered on Saturday and the first leaf is shaped.\n\n"
        "[b]What we did this month[/b]\n[list]\n[*]Lifted the old leaf out with the crane\n"
        "[*]Fitted the iron strapping\n[/list]\n\n[quote=\"sluice_sally\"]Green oak?[/quote]\n\n"
        "Leaving it green, it stays wet.\n\nDan\n\nTop\n", "text")
    normalise(doc)
    assert doc.meta.title == "Rebuilding the lock gates"
    assert doc.meta.author == "millwright_dan" and doc.meta.date == "2026-03-03"
    assert [h.text for h in doc.body.findall("h2")] == ["What we did this month"]
    assert [li.text for li in doc.body.find("ul")] == ["Lifted the old leaf out with the crane",
                                                      "Fitted the iron strapping"]
    texts = ["".join(el.itertext()) for el in doc.body]
    assert texts[-1] == "Dan" and "sluice_sally wrote:" in texts
    assert doc.body.find("blockquote/p").text == "Green oak?"
    rules = {c.rule for c in doc.changes}
    assert {"text.bbcode-list", "text.bbcode-quote", "text.bbcode"} <= rules


def test_deep_nesting_and_long_runs_of_tags_read_in_linear_time():
    """Quotations in quotations past the depth limit stay text (no recursion error), and runs
    of tags that never pair are not searched again for every closing tag."""
    deep = "[quote]" * 3000 + "core" + "[/quote]" * 3000
    body = body_of(deep)
    assert "core" in "".join(body.itertext())
    assert len(body.xpath("//blockquote")) <= 14
    lists = "[list][*]" * 2000 + "x" + "[/list]" * 2000
    assert "x" in "".join(body_of(lists).itertext())
    unpaired = "[b]" * 20000 + "\n" + "[/b]" * 20000 + "\n" + "[list]" * 20000 + "[/quote]" * 20000
    body = body_of(unpaired)
    assert body.find(".//b") is None and body.find(".//blockquote") is None
