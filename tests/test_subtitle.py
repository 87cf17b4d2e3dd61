"""The subtitle: the line a page sets under its headline (a standfirst, a dek), read from the
page or the front matter, and shown under the title in every edition."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from converter.config import Config
from converter.document import document_from_html
from converter.readers import read_string
from converter.writers.html import build_page
from converter.writers.markdown import front_matter

SUBSTACK = """<html><head><title>Why my bread takes three days</title></head><body>
<div class="topbar"><a href="/">Slow Crumb</a><button>Subscribe</button></div>
<article><div class="post-header"><h1 class="post-title">Why my bread takes three days</h1>
<h3 class="subtitle">Cold fermentation, and why patience is the cheapest ingredient</h3></div>
<div class="body"><p>People ask why a loaf from me costs what it does. The answer is time: every
loaf spends three days in my kitchen before it goes in the oven, and no shortcut works.</p>
<p>On the first day I feed the starter twice. On the second I mix the dough and leave it in
the fridge overnight, where the cold slows the yeast and lets the flavour build.</p></div>
</article>
<div class="comments"><p class="subtitle">Discussion about this post</p></div></body></html>"""


def test_a_page_s_subtitle_is_metadata_and_leaves_the_body():
    doc = read_string(SUBSTACK, "html")
    assert doc.meta.subtitle == "Cold fermentation, and why patience is the cheapest ingredient"
    assert "Cold fermentation" not in "".join(doc.body.itertext())


@pytest.mark.parametrize("markup", [
    '<p class="c1 subtitle"><span>Meadow Lane Allotment Society</span></p>',  # Google Docs
    '<div class="pw-subtitle-paragraph"><h2>Meadow Lane Allotment Society</h2></div>',  # Medium
    '<p class="standfirst">Meadow Lane Allotment Society</p>',
    '<p class="subhead">Meadow Lane Allotment Society</p>',  # a company newsroom's release
])
def test_subtitles_in_the_article_are_taken_out_of_it(markup):
    page = (f"<html><body><h1>Allotment rules for 2026</h1>{markup}<p>The committee agreed these "
            "rules at the annual meeting in January, and they apply from the first of March.</p>"
            "<h2>Bonfires</h2><p>Bonfires are allowed only from November to February.</p></body></html>")
    doc = read_string(page, "html")
    assert doc.meta.subtitle == "Meadow Lane Allotment Society"
    assert [el.tag for el in doc.body] == ["h1", "p", "h2", "p"]


def test_a_google_docs_export_s_title_and_subtitle_paragraphs():
    page = ('<html><head><style>.title{font-size:26pt}</style></head><body>'
            '<p class="c1 title"><span>Allotment rules for 2026</span></p>'
            '<p class="c1 subtitle"><span>Meadow Lane Allotment Society</span></p>'
            '<p class="c1"><span>The committee agreed these rules at the annual meeting in January.</span></p>'
            '</body></html>')
    doc = read_string(page, "html")
    assert doc.meta.subtitle == "Meadow Lane Allotment Society"
    assert "Meadow Lane" not in "".join(doc.body.itertext())


def test_a_subtitle_in_a_comment_or_a_menu_is_none():
    page = ("<html><body><nav><p class='subtitle'>Small wildlife gardens</p></nav><h1>Hedgehogs</h1>"
            "<p>Hedgehogs walk up to two kilometres a night looking for food and mates.</p>"
            "<div id='comments'><p class='subtitle'>Two thoughts on this post</p></div></body></html>")
    assert read_string(page, "html").meta.subtitle is None


def test_front_matter_subtitle():
    doc = read_string("---\ntitle: Tide tables\nsubtitle: How the harbour predicts them\n"
                      "description: A short guide\n---\nText.\n", "markdown")
    assert (doc.meta.subtitle, doc.meta.description) == ("How the harbour predicts them", "A short guide")


@pytest.fixture(scope="module")
def article():
    return document_from_html("<h2>Section</h2><p>Body text.</p>", title="Why my bread takes three days",
                              subtitle="Cold fermentation, and patience", author="Elin Rhys", language="en")


def test_html_and_markdown_show_it_under_the_title(article):
    header = build_page(article).find("body/article/header")
    assert [(el.tag, el.get("class"), el.text) for el in header][:3] == [
        ("h1", "title", "Why my bread takes three days"),
        ("p", "subtitle", "Cold fermentation, and patience"),
        ("p", "author", "Elin Rhys")]
    assert "subtitle: Cold fermentation, and patience\n" in front_matter(article)


def test_docx_sets_it_in_word_s_subtitle_style(article, tmp_path):
    from converter.writers.docx import DocxWriter

    target = DocxWriter(Config()).write(article, tmp_path / "a.docx")
    xml = etree.fromstring(zipfile.ZipFile(target).read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    styled = [(p.find(f"{w}pPr/{w}pStyle").get(f"{w}val"), "".join(t.text or "" for t in p.iter(f"{w}t")))
              for p in xml.iter(f"{w}p") if p.find(f"{w}pPr/{w}pStyle") is not None]
    assert styled[:3] == [("Title", "Why my bread takes three days"),
                          ("Subtitle", "Cold fermentation, and patience"), ("Author", "Elin Rhys")]


def test_epub_title_page_and_pdf_first_page_show_it(article, tmp_path):
    from converter.writers.epub import EpubWriter
    from converter.writers.pdf import PdfWriter

    epub = EpubWriter(Config()).write(article, tmp_path / "a.epub")
    with zipfile.ZipFile(epub) as z:
        name = next(n for n in z.namelist() if n.endswith("titlepage.xhtml"))
        page = etree.fromstring(z.read(name))
    x = {"x": "http://www.w3.org/1999/xhtml"}
    assert page.xpath("//x:p[@class='subtitle']/text()", namespaces=x) == ["Cold fermentation, and patience"]
    pypdf = pytest.importorskip("pypdf")
    pdf = PdfWriter(Config()).write(article, tmp_path / "a.pdf")
    text = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:3] == ["Why my bread takes three days", "Cold fermentation, and patience", "Elin Rhys"]
