"""The title block shows the article's date written out in its language; the metadata keeps ISO."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from converter.config import Config
from converter.document import document_from_html
from converter.writers.dates import display_date
from converter.writers.html import build_page


@pytest.mark.parametrize(("value", "language", "shown"), [
    ("2026-02-14T08:00:00.000Z", "de", "14. Februar 2026"),
    ("2026-02-14", "en-GB", "14 February 2026"),
    ("2026-02-14", "en", "February 14, 2026"),
    ("2026-02-14", "fr", "14 février 2026"),
    ("2026-02-14", "es", "14 de febrero de 2026"),
    ("2026-02", "fr", "février 2026"),
    ("2026", "en", "2026"),  # a year alone stays
    ("2026-02-30", "en", "2026-02-30"),  # no such day: as it came
    ("2026-02-14", "xx-YY", "February 14, 2026"),  # a language Babel does not know: English
    ("2026-02-14", None, "February 14, 2026"),
])
def test_display_date(value, language, shown):
    assert display_date(value, language) == shown


@pytest.fixture(scope="module")
def german():
    return document_from_html("<p>Die Bibliothek zieht um.</p>", title="Stadtbibliothek zieht um",
                              date="2026-03-12", language="de")


def test_html_title_block_keeps_iso_in_datetime(german):
    time = build_page(german).find(".//header/p[@class='date']/time")
    assert (time.text, time.get("datetime")) == ("12. März 2026", "2026-03-12")


def test_docx_shows_the_written_date_and_keeps_the_iso_date_in_its_properties(german, tmp_path):
    from converter.writers.docx import DocxWriter

    target = DocxWriter(Config()).write(german, tmp_path / "a.docx")
    with zipfile.ZipFile(target) as z:
        document, core = etree.fromstring(z.read("word/document.xml")), z.read("docProps/core.xml").decode()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    dates = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in document.iter(f"{w}p")
             if p.find(f"{w}pPr/{w}pStyle") is not None and p.find(f"{w}pPr/{w}pStyle").get(f"{w}val") == "Date"]
    assert dates == ["12. März 2026"]
    assert "2026-03-12T00:00:00Z" in core


def test_pdf_first_page_shows_the_written_date(german, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from converter.writers.pdf import PdfWriter

    text = pypdf.PdfReader(str(PdfWriter(Config()).write(german, tmp_path / "a.pdf"))).pages[0].extract_text()
    assert "12. März 2026" in text and "2026-03-12" not in text
