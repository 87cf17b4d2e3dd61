"""Footnotes written the ways web pages write them come out as real footnotes in every edition.

The HTML reader rewrites them into pandoc's form (converter.readers.footnotes); the writers
already read that form: page footnotes in the PDF, pop-up notes in the EPUB, Word footnotes in
the DOCX and ``[^1]`` in the Markdown. Pages are converted through the real CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.cli import main
from converter.readers import read_string

STORY = ("<p>The chancellor delivered her spring budget on Wednesday. Here is what it means for "
         "the town, from bus fares to business rates and the price of a pint.</p>")


def page(body: str) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><title>Five things from the budget</title></head>"
            f"<body><article><h1>Five things from the budget</h1>{STORY}{body}</article></body></html>")


def body_of(html: str):
    return read_string(html, "html").body


def refs_and_notes(body) -> tuple[list[str], list[str]]:
    refs = [a.get("href") for a in body.iter("a") if a.get("role") == "doc-noteref"]
    notes = [" ".join(li.text_content().replace("↩︎", " ").split()) for section in body.iter("section")
             if section.get("role") == "doc-endnotes" for li in section.iter("li")]
    return refs, notes


WORDPRESS = page(
    "<p>Fuel duty is frozen again, saving a driver about £50 a year.<sup><a href='#fn-1' id='ref-1'>1</a></sup>"
    " Business rates relief is extended.<sup><a href='#fn-2' id='ref-2'>2</a></sup></p>"
    "<p>The first change again, cited twice.<sup><a href='#fn-1'>1</a></sup></p>"
    "<hr><h3>Notes</h3><ol class='notes'><li id='fn-1'>HM Treasury estimate, March 2024. <a href='#ref-1'>↩</a></li>"
    "<li id='fn-2'>Office for Budget Responsibility. <a href='#ref-2'>↩</a></li></ol>")

WIKIPEDIA = page(
    "<p>Chur is the oldest town in Switzerland.<sup id='cite_ref-1' class='reference'>"
    "<a href='#cite_note-1'>[1]</a></sup></p>"
    "<h2>References</h2><div class='reflist'><ol class='references'><li id='cite_note-1'>"
    "<span class='mw-cite-backlink'><a href='#cite_ref-1'>^</a></span> <span class='reference-text'>"
    "Stadt Chur, Geschichte.</span></li></ol></div>")

WORD_LINKED = page(
    "<p>Consumer reporting agencies adhere to strict procedures.<a href='#_ftn1' name='_ftnref1'>[1]</a>"
    " The system is the backbone of the credit economy.<a href='#_ftn2' name='_ftnref2'>[2]</a></p>"
    "<div id='ftn1'><p><a href='#_ftnref1' name='_ftn1'>[1]</a> For example, it was recently\n    noted that</p>"
    "<blockquote><p>Maintaining a reliable and\n robust national credit reporting system is essential.</p></blockquote></div>"
    "<div id='ftn2'><p><a href='#_ftnref2' name='_ftn2'>[2]</a> All agencies are bound by the FCRA.</p></div>")

WORD_UNLINKED = page(
    "<p>Care givers hear up to 1,000 alarms per shift<sup>[1]</sup>, even though up to 99% of them need "
    "no clinical intervention<sup>[2]</sup>.</p>"
    "<p>For more information, please visit our website.</p>"
    "<p><a name='_ftn1'></a>[1] Alarm fatigue: impacts on patient safety, Curr Opin Anaesthesiol. 2015.</p>"
    "<p><a name='_ftn2'></a>[2] Joint Commission National Patient Safety Goal: Alarm Management.</p>")

CMS_SUPERSCRIPTS = page(
    "<p>The last count, in 2016, found 48,200 street trees.<sup>1</sup> The data goes into an open map.<sup>2</sup></p>"
    "<p>A plot of 40 m<sup>2</sup> holds about 10<sup>3</sup> plants.</p>"
    "<p><strong>Notes</strong></p>"
    "<p><sup>1</sup> City of Ashford Street Tree Survey, 2016.</p>"
    "<p><sup>2</sup> The map is at trees.ashford.example.</p>")


@pytest.mark.parametrize(("html", "notes"), [
    (WORDPRESS, ["HM Treasury estimate, March 2024.", "Office for Budget Responsibility."]),
    (WIKIPEDIA, ["Stadt Chur, Geschichte."]),
    (WORD_LINKED, [("For example, it was recently noted that Maintaining a reliable and robust national credit "
                    "reporting system is essential."), "All agencies are bound by the FCRA."]),
    (WORD_UNLINKED, ["Alarm fatigue: impacts on patient safety, Curr Opin Anaesthesiol. 2015.",
                     "Joint Commission National Patient Safety Goal: Alarm Management."]),
    (CMS_SUPERSCRIPTS, ["City of Ashford Street Tree Survey, 2016.", "The map is at trees.ashford.example."]),
], ids=["wordpress", "wikipedia", "word-linked", "word-unlinked", "cms-superscripts"])
def test_notes_are_read_into_pandoc_s_form(html, notes):
    body = body_of(html)
    refs, found = refs_and_notes(body)
    assert found == notes
    assert refs[0] == "#fn1" and set(refs) == {f"#fn{n}" for n in range(1, len(notes) + 1)}
    text = " ".join(body.text_content().split())
    # The markers, the notes' own links back and a "Notes"/"References" heading are gone.
    for gone in ("[1]", "[2]", "↩ ", "^ Stadt", "Notes", "References"):
        assert gone not in text
    assert next(a.get("id") for a in body.iter("a") if a.get("role") == "doc-noteref") == "fnref1"
    assert all(a.get("href", "").startswith("#fnref") for a in body.iter("a") if a.get("role") == "doc-backlink")


def test_a_note_cited_twice_is_one_note():
    refs, notes = refs_and_notes(body_of(WORDPRESS))
    assert refs == ["#fn1", "#fn2", "#fn1"] and len(notes) == 2


@pytest.mark.parametrize("html", [
    # A contents link with a number, outside a superscript.
    page("<p>See section <a href='#s2'>2</a> below.</p><h2 id='s2'>Two</h2><p>The second part of it.</p>"),
    # A superscript link to a heading's anchor: a cross-reference, not a note.
    page("<p>As shown in part<sup><a href='#part-2'>2</a></sup> of the series.</p>"
         "<h2 id='part-2'>Part two</h2><p>The second part of the series.</p>"),
    # "[3]" closing paragraphs nobody cites, and a citation without its note.
    page("<p>Care givers hear many alarms per shift<sup>[1]</sup>.</p><p>[3] A list of sources.</p>"),
    # A superscript link pointing back up the page.
    page("<p id='top'>The top of the story.</p><p>Back to the start<sup><a href='#top'>1</a></sup>.</p>"),
    # Powers and units in superscripts, with no paragraph opening with their number.
    page("<p>A plot of 40 m<sup>2</sup> holds about 10<sup>3</sup> plants.</p><p>The soil is sandy.</p>"),
    # Superscript numbers whose notes are not all there: note 2 is missing.
    page("<p>The count found 48,200 trees.<sup>1</sup> The map is open.<sup>2</sup></p>"
         "<p><sup>1</sup> City of Ashford Street Tree Survey, 2016.</p>"),
], ids=["contents-link", "cross-reference", "uncited-paragraph", "backwards-link", "powers", "a-note-missing"])
def test_links_and_brackets_that_are_not_notes_stay(html):
    body = body_of(html)
    assert refs_and_notes(body) == ([], [])


def test_powers_beside_superscript_notes_stay_powers():
    body = body_of(CMS_SUPERSCRIPTS)
    assert refs_and_notes(body)[0] == ["#fn1", "#fn2"]
    power = next(p for p in body.iter("p") if "plants" in p.text_content())
    assert [sup.text for sup in power.iter("sup")] == ["2", "3"] and power.find(".//a") is None


def test_a_link_to_a_wrapper_of_the_story_is_no_note():
    """A superscript number linking to a long block (a wrapper of the story's paragraphs) is a
    cross-reference: rewriting it as a note would move the story into the notes."""
    from lxml import html as lxml_html

    from converter.readers.footnotes import canonical_footnotes

    root = lxml_html.fromstring(
        "<div><p>See the second part<sup><a href='#part'>1</a></sup>.</p><div id='part'>"
        + "".join(f"<p>Paragraph {n} of the second part of the story, long enough to be prose.</p>"
                  for n in range(8)) + "</div></div>")
    assert canonical_footnotes(root) == 0
    assert root.find(".//section") is None and len(root.findall(".//p")) == 9


def test_a_page_already_in_pandoc_s_form_is_kept():
    html = page("<p>A claim.<a href='#fn1' class='footnote-ref' id='fnref1' role='doc-noteref'><sup>1</sup></a></p>"
                "<section class='footnotes' role='doc-endnotes'><hr><ol><li id='fn1'><p>The source."
                "<a href='#fnref1' class='footnote-back' role='doc-backlink'>↩︎</a></p></li></ol></section>")
    assert refs_and_notes(body_of(html)) == (["#fn1"], ["The source."])


def convert(tmp_path: Path, html: str, formats: str) -> Path:
    source = tmp_path / "budget.html"
    source.write_text(html, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(source), "--to", formats, "-o", str(out), "-q"]) == 0
    return out


def test_every_edition_has_real_footnotes(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = convert(tmp_path, WORD_LINKED, "md,pdf,epub,docx")
    markdown = (out / "budget.md").read_text(encoding="utf-8")
    assert "[^1]: For example, it was recently noted that" in markdown and "[1]" not in markdown
    pdf_text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(out / "budget.pdf").pages).split())
    assert "All agencies are bound by the FCRA." in pdf_text and "[1]" not in pdf_text
    import zipfile
    with zipfile.ZipFile(out / "budget.docx") as docx:
        footnotes = docx.read("word/footnotes.xml").decode("utf-8")
    assert "All agencies are bound by the FCRA." in footnotes
    with zipfile.ZipFile(out / "budget.epub") as epub:
        chapters = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert 'epub:type="noteref"' in chapters and 'epub:type="footnote"' in chapters


def test_a_note_with_line_breaks_and_a_quotation_renders_in_the_pdf(tmp_path):
    """pandoc-form notes whose blocks hold the source's line breaks made WeasyPrint stop on an
    assertion once the blocks became inline spans at the foot of the page."""
    pytest.importorskip("weasyprint")
    html = page(
        "<p>The freeze saves the average driver about £50 a year.<a href='#fn1' class='footnote-ref' "
        "id='fnref1' role='doc-noteref'><sup>1</sup></a></p><section class='footnotes' role='doc-endnotes'>"
        "<hr><ol><li id='fn1'><p> For example, it was recently \n    noted that </p>\n    <blockquote>\n"
        "    <p>Maintaining a reliable and \n    robust national credit reporting system is essential to "
        "ensure the continued \n    availability of consumer credit at reasonable costs.</p>\n    </blockquote>"
        "<p><i>Fair Credit Reporting Act: \n    How it Functions</i> <a href='#fnref1' class='footnote-back' "
        "role='doc-backlink'>↩︎</a></p></li></ol></section>")
    out = convert(tmp_path, html, "pdf")
    assert (out / "budget.pdf").stat().st_size > 1000


def test_substack_notes_survive_the_locator():
    """readability-lxml removes what its class or id calls "foot": Substack's note references
    (``<a class="footnote-anchor">1</a>``) and the anchors of its notes. The references come
    back in their paragraphs, the notes whole, and both become footnotes."""
    page = Path(__file__).parent / "fixtures" / "documents" / "labelled" / "substack-paper-map.html"
    doc = read_string(page.read_text(encoding="utf-8"), "html")
    refs = doc.body.xpath(".//a[@class='footnote-ref']")
    assert [a.get("href") for a in refs] == ["#fn1", "#fn2"]
    assert refs[0].getparent().tag == "p" and "wrong page." in refs[0].getparent().text
    notes = doc.body.xpath(".//section[@class='footnotes']//li")
    assert [" ".join(li.text_content().split()).rstrip("↩︎").strip() for li in notes] == [
        'He insisted this was deliberate, "so you have to think".',
        'See Ishikawa et al., "Wayfinding with a GPS-based mobile navigation system", '
        'Journal of Environmental Psychology, 2008.']
    loose = [p for p in doc.body.iterchildren("p") if "He insisted" in p.text_content()]
    assert loose == []
