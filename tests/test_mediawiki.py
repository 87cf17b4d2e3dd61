"""Wikipedia and other MediaWiki pages (converter.readers.mediawiki, with the locator's
reading lists, the footnotes' back marks and the JSON-LD title they need): a saved article
becomes the article, its infobox a table, its references footnotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from converter.config import Config
from converter.pipeline import prepare
from converter.readers import read_string
from converter.readers.mediawiki import mediawiki
from converter.readers.pagemeta import page_metadata

LABELLED = Path(__file__).parent / "fixtures" / "documents" / "labelled"


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.fixture(scope="module")
def wiki():
    return prepare(LABELLED / "wikipedia-saltcote-mill.html", Config())


def test_title_is_the_article_name_not_the_short_description(wiki):
    # JSON-LD gives "name": "Saltcote Tide Mill" and "headline": "tide mill in Essex, England".
    assert wiki.meta.title == "Saltcote Tide Mill"


def test_section_headings_lose_their_edit_links(wiki):
    headings = [(el.tag, text_of(el)) for el in wiki.body if el.tag in ("h2", "h3")]
    assert headings == [("h2", "History"), ("h3", "Closure and restoration"), ("h2", "Machinery"),
                        ("h2", "See also"), ("h2", "External links")]


def test_see_also_and_external_links_keep_their_lists(wiki):
    blocks = list(wiki.body)
    for heading, items in (("See also", ["List of tide mills in England", "Thorrington Tide Mill"]),
                           ("External links", ["Saltcote Mill Trust"])):
        at = next(i for i, el in enumerate(blocks) if el.tag == "h2" and text_of(el) == heading)
        following = blocks[at + 1]
        assert following.tag == "ul" and [text_of(li) for li in following] == items


def test_infobox_is_a_data_table_with_its_title_as_caption(wiki):
    table = next(wiki.body.iter("table"))
    assert text_of(table.find("caption")) == "Saltcote Tide Mill"
    rows = [[text_of(c) for c in tr] for tr in table.iter("tr")]
    assert rows[0] == ["Location", "Saltcote, Essex, England"]
    assert rows[1] == ["Coordinates", "51°48′22″N 0°59′17″E"]  # the second notation is screen-only
    assert ["Listed", "Grade II*"] in rows
    figure = table.getprevious()
    assert figure is not None and figure.tag == "figure"
    assert text_of(figure.find("figcaption")) == "The mill from the creek in 2012"


def test_references_become_footnotes_without_back_marks(wiki):
    notes = wiki.body.find(".//section[@class='footnotes']")
    assert notes is not None
    texts = [text_of(li).rstrip("↩︎ ") for li in notes.iter("li")]
    assert texts[3] == "Benham, Hervey (1980). Some Essex Water Mills. Colchester: Essex County Newspapers. p. 112."
    assert not any(t.startswith(("^", "a b")) for t in texts)
    # Its heading goes with the notes: no empty "References" section is left.
    assert "References" not in [text_of(el) for el in wiki.body if el.tag == "h2"]


def test_screen_only_parts_go(wiki):
    text = text_of(wiki.body)
    for gone in ("citation needed", "Watermills in Essex", "St Osyth", "Wikimedia Commons has media",
                 "Hidden categories", "Retrieved from", "[edit]", "51.806"):
        assert gone not in text
    assert "Saltcote Mill Trust restored the wheel" in text


def test_noprint_stays_on_a_page_that_is_no_wiki():
    root = etree.fromstring("<div><p class='noprint'>Printed here all the same.</p>"
                            "<div class='navbox'>A box named so by its site.</div></div>")
    assert mediawiki(root) is False
    assert text_of(root) == "Printed here all the same.A box named so by its site."


def test_a_note_that_opens_with_a_year_keeps_it():
    doc = read_string(
        "<html><body><p>The quay was rebuilt after the survey.<sup><a href='#n1'>1</a></sup></p>"
        "<ol><li id='n1'>1994 survey of the harbour walls, p. 3.</li></ol></body></html>", "html")
    note = doc.body.find(".//section[@class='footnotes']")
    assert note is not None
    assert text_of(note).startswith("1994 survey of the harbour walls")


def _page(title: str, name: str, headline: str) -> etree._Element:
    return lxml_html.fromstring(
        f"<html><head><title>{title}</title><script type='application/ld+json'>"
        f'{{"@context": "https://schema.org", "@type": "Article", "name": "{name}", '
        f'"headline": "{headline}"}}</script></head><body><p>x</p></body></html>')


def test_json_ld_name_is_the_title_when_only_it_is_the_pages_title():
    assert page_metadata(_page("Saltcote Tide Mill - Wikipedia", "Saltcote Tide Mill",
                               "tide mill in Essex, England")).title == "Saltcote Tide Mill"
    # The headline when it is the page's title (a site that puts its own name in "name").
    assert page_metadata(_page("Council keeps the ferry | Gazette", "Gazette",
                               "Council keeps the ferry")).title == "Council keeps the ferry"
