"""The DOCX writer: styles, real Word lists, footnotes, metadata, images, reproducibility.

Structure is read back with python-docx and raw XML from the package, never compared as
bytes (except two builds of the same input, which must be identical).
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from converter.config import Config
from converter.document import Document, document_from_html
from converter.errors import WriteError
from converter.writers import get_writer
from converter.writers.docx import DocxWriter, parse_iso_date

docx = pytest.importorskip("docx")
Paragraph = pytest.importorskip("docx.text.paragraph").Paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z
STYLES = Path(__file__).resolve().parents[1] / "styles"

ARTICLE = """
<p>The council met on Monday<a href="#fn1" class="footnote-ref" id="fnref1"
role="doc-noteref"><sup>1</sup></a> to discuss the <em>bridge</em>.</p>
<h2>What was decided</h2>
<p>Three things were agreed.</p>
<p>A second paragraph with <code>inline code</code> and <a href="https://example.org/">a link</a>.</p>
<ul><li>Reopen the bridge</li><li><p>Inspect the bearings</p>
<ol start="3"><li>North side</li><li>South side</li></ol></li></ul>
<ol start="5"><li>Fifth step</li><li>Sixth step</li></ol>
<h3>Who objected</h3>
<blockquote><p>We were not consulted.</p></blockquote>
<pre><code class="language-python">print("reopen")</code></pre>
<h4>Figures</h4>
<table><thead><tr><th>Year</th><th>Cost</th></tr></thead>
<tbody><tr><td>2024</td><td>1.2m</td></tr></tbody></table>
<hr/>
<p>Closing words.</p>
<section id="footnotes" class="footnotes" role="doc-endnotes"><hr/><ol>
<li id="fn1"><p>At the town hall. <a href="#fnref1" class="footnote-back"
role="doc-backlink">↩︎</a></p></li></ol></section>
"""
META = {
    "title": "Bridge Reopens",
    "author": "Ann Reporter",
    "language": "en-GB",
    "date": "2023-05-01",
}


def tiny_png() -> bytes:
    """A 2x2 red PNG."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def write(doc: Document, path: Path, **config) -> Path:
    return DocxWriter(Config(**config)).write(doc, path)


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def paragraphs(path: Path) -> list[tuple[str, str, etree._Element]]:
    """(style name, text, w:p) for every body paragraph, tables included, in order."""
    d = docx.Document(str(path))
    out = []
    for p in d.element.body.iter(f"{W}p"):
        para = Paragraph(p, d.part)
        out.append((para.style.name if para.style is not None else "", para.text, p))
    return out


def numbering(path: Path) -> dict[tuple[str, str], tuple[str, int]]:
    """(numId, ilvl) -> (numFmt, start), resolving w:num through w:abstractNum."""
    root = part(path, "word/numbering.xml")
    levels: dict[str, dict[str, tuple[str, int]]] = {}
    for a in root.iter(f"{W}abstractNum"):
        levels[a.get(f"{W}abstractNumId")] = {
            lvl.get(f"{W}ilvl"): (
                lvl.find(f"{W}numFmt").get(f"{W}val"),
                int(lvl.find(f"{W}start").get(f"{W}val"))
                if lvl.find(f"{W}start") is not None
                else 1,
            )
            for lvl in a.iter(f"{W}lvl")
        }
    result = {}
    for num in root.iter(f"{W}num"):
        abstract = levels[num.find(f"{W}abstractNumId").get(f"{W}val")]
        for ilvl, (fmt, start) in abstract.items():
            override = num.find(f"{W}lvlOverride[@{W}ilvl='{ilvl}']/{W}startOverride")
            if override is not None:
                start = int(override.get(f"{W}val"))
            result[(num.get(f"{W}numId"), ilvl)] = (fmt, start)
    return result


def num_pr(p: etree._Element) -> tuple[str, str] | None:
    pr = p.find(f"{W}pPr/{W}numPr")
    if pr is None:
        return None
    return pr.find(f"{W}numId").get(f"{W}val"), pr.find(f"{W}ilvl").get(f"{W}val")


@pytest.fixture(scope="module")
def article_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "article.docx"
    return write(document_from_html(ARTICLE, **META), out, source_date_epoch=EPOCH)


def by_text(path: Path) -> dict[str, tuple[str, etree._Element]]:
    return {text: (style, p) for style, text, p in paragraphs(path)}


# -- styles -----------------------------------------------------------------------------------


def test_registered_under_its_name():
    writer = get_writer("docx")
    assert isinstance(writer, DocxWriter) and writer.extension == ".docx"


def test_title_is_the_first_paragraph_in_title_style(article_docx):
    style, text, _ = paragraphs(article_docx)[0]
    assert (style, text) == ("Title", "Bridge Reopens")


def test_body_sections_are_heading_1_and_subsections_below(article_docx):
    headings = [(s, t) for s, t, _ in paragraphs(article_docx) if s.startswith("Heading")]
    assert headings == [
        ("Heading 1", "What was decided"),
        ("Heading 2", "Who objected"),
        ("Heading 3", "Figures"),
    ]


def test_body_text_styles(article_docx):
    found = by_text(article_docx)
    assert found["Three things were agreed."][0] == "First Paragraph"
    assert found["A second paragraph with inline code and a link."][0] == "Body Text"
    assert found["We were not consulted."][0] == "Block Text"
    assert found['print("reopen")'][0] == "Source Code"


def test_list_items_are_numbered_list_paragraphs(article_docx):
    found = by_text(article_docx)
    items = [
        "Reopen the bridge",
        "Inspect the bearings",
        "North side",
        "South side",
        "Fifth step",
        "Sixth step",
    ]
    for text in items:
        style, p = found[text]
        assert num_pr(p) is not None, text
        assert style == "List Paragraph", text
    numbered = [t for _, t, p in paragraphs(article_docx) if num_pr(p) is not None]
    assert numbered == items


def test_bullets_decimals_start_numbers_and_nesting(article_docx):
    found = by_text(article_docx)
    formats = numbering(article_docx)

    def fmt(text):
        key = num_pr(found[text][1])
        return key[1], formats[key]

    assert fmt("Reopen the bridge") == ("0", ("bullet", 1))
    assert fmt("Inspect the bearings")[1][0] == "bullet"
    # The nested <ol start="3"> stays decimal (pandoc would letter it) one level down.
    assert fmt("North side") == ("1", ("decimal", 3))
    assert fmt("South side") == ("1", ("decimal", 3))
    assert fmt("Fifth step") == ("0", ("decimal", 5))
    assert num_pr(found["Fifth step"][1]) != num_pr(found["North side"][1])


def test_reference_doc_is_used(article_docx):
    styles = part(article_docx, "word/styles.xml")
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}ascii") == "Cambria"
    assert styles.find(f"{W}style[@{W}styleId='ListParagraph']") is not None
    document = part(article_docx, "word/document.xml")
    assert document.find(f".//{W}sectPr/{W}footerReference") is not None
    with zipfile.ZipFile(article_docx) as z:
        footer = z.read("word/footer1.xml").decode()
    assert "PAGE" in footer


# -- footnotes, text, metadata ---------------------------------------------------------------


def test_footnote_becomes_a_word_footnote(article_docx):
    document = part(article_docx, "word/document.xml")
    refs = [r.get(f"{W}id") for r in document.iter(f"{W}footnoteReference")]
    assert len(refs) == 1
    notes = part(article_docx, "word/footnotes.xml")
    note = notes.find(f"{W}footnote[@{W}id='{refs[0]}']")
    assert "".join(note.itertext()).strip() == "At the town hall."
    all_text = "".join(document.itertext())
    assert "↩" not in all_text and "At the town hall" not in all_text


def test_every_paragraph_survives(article_docx):
    doc = document_from_html(ARTICLE, **META)
    expected = []
    for el in doc.body.iter("p", "li", "h2", "h3", "h4", "th", "td", "pre"):
        if el.tag == "li" and el.find("p") is not None:
            continue
        if any(a.get("id") == "footnotes" for a in el.iterancestors()):
            continue
        # Nested lists are their own paragraphs; a footnote mark is a Word field, not text.
        own = (el.text or "") + "".join(
            ("" if c.get("class") == "footnote-ref" else "".join(c.itertext())) + (c.tail or "")
            for c in el
            if c.tag not in ("ul", "ol")
        )
        expected.append(re.sub(r"\s+", " ", own).strip())
    assert len(expected) == 19
    texts = [re.sub(r"\s+", " ", t).strip() for _, t, _ in paragraphs(article_docx)]
    for text in expected:
        assert text in texts, text


def test_core_properties(article_docx):
    core = docx.Document(str(article_docx)).core_properties
    assert core.title == "Bridge Reopens"
    assert core.author == "Ann Reporter"
    assert core.language == "en-GB"
    # created: the article's date; modified: the build (source_date_epoch).
    assert core.created.isoformat() == "2023-05-01T00:00:00+00:00"
    assert core.modified.isoformat() == "2023-11-14T22:13:20+00:00"
    styles = part(article_docx, "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "en-GB"


def test_created_never_after_the_build(tmp_path):
    doc = document_from_html("<p>x</p>", title="T", date="2030-01-01")
    core = docx.Document(str(write(doc, tmp_path / "a.docx", source_date_epoch=EPOCH)))
    assert core.core_properties.created == core.core_properties.modified


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024", "2024-01-01T00:00:00+00:00"),
        ("2024-05", "2024-05-01T00:00:00+00:00"),
        ("2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00+00:00"),
        ("May 2024", None),
    ],
)
def test_parse_iso_date(text, iso):
    parsed = parse_iso_date(text)
    assert (parsed.isoformat() if parsed else None) == iso


def test_yaml_lookalike_metadata_survives(tmp_path):
    # pandoc's -M would read "true"/"false" as booleans and lose them.
    doc = document_from_html("<p>x</p>", title="True", author="false", language="en")
    out = write(doc, tmp_path / "b.docx")
    assert paragraphs(out)[0][:2] == ("Title", "True")
    core = docx.Document(str(out)).core_properties
    assert (core.title, core.author) == ("True", "false")


def test_writer_leaves_the_document_alone(tmp_path):
    doc = document_from_html(ARTICLE, **META)
    before = doc.body_html()
    write(doc, tmp_path / "c.docx")
    assert doc.body_html() == before


# -- reproducibility, paper, direction ------------------------------------------------------


def test_two_builds_with_source_date_epoch_are_identical(tmp_path):
    doc = document_from_html(ARTICLE, **META)
    first = write(doc, tmp_path / "1.docx", source_date_epoch=EPOCH).read_bytes()
    second = write(doc, tmp_path / "2.docx", source_date_epoch=EPOCH).read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "1.docx") as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}


def test_paper_size(tmp_path):
    doc = document_from_html("<p>x</p>", title="T")
    for paper, width in (("a4", "11906"), ("letter", "12240")):
        out = write(doc, tmp_path / f"{paper}.docx", paper=paper)
        assert part(out, "word/document.xml").find(f".//{W}pgSz").get(f"{W}w") == width


def test_right_to_left(tmp_path):
    body = "<h2>قسم</h2><p>الفقرة الأولى.</p><p>الفقرة الثانية.</p><pre><code>x = 1</code></pre>"
    out = write(document_from_html(body, title="عنوان", language="ar"), tmp_path / "ar.docx")
    found = by_text(out)
    # pandoc drops these two styles on bidi paragraphs; the writer puts them back.
    assert found["الفقرة الأولى."][0] == "First Paragraph"
    assert found["الفقرة الثانية."][0] == "Body Text"
    assert found["الفقرة الأولى."][1].find(f"{W}pPr/{W}bidi") is not None
    assert found["x = 1"][1].find(f"{W}pPr/{W}bidi") is None


# -- images -----------------------------------------------------------------------------------


def test_images_inside_the_source_folder_only(tmp_path, caplog):
    folder = tmp_path / "article"
    folder.mkdir()
    (folder / "chart one.png").write_bytes(tiny_png())
    (tmp_path / "secret.png").write_bytes(tiny_png())
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    (folder / "fake.png").write_bytes(b"<html>not an image</html>")
    body = (
        '<figure><img src="chart%20one.png" alt="Chart"/><figcaption>Costs</figcaption></figure>'
        '<p>A <img src="../secret.png" alt="outside"/> B <img src="link.png" alt="symlink"/>'
        ' C <img src="https://example.org/x.png" alt="remote"/>'
        ' D <img src="fake.png" alt="fake"/> E <img src="/etc/passwd"/> F.</p>'
    )
    doc = document_from_html(body, title="Pictures")
    doc.source = folder / "article.html"
    with caplog.at_level(logging.WARNING, logger="converter"):
        out = write(doc, tmp_path / "pictures.docx")
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 1
    text = " ".join(t for _, t, _ in paragraphs(out))
    for alt in ("outside", "symlink", "remote", "fake"):
        assert alt in text
    assert "Costs" in text
    warned = " ".join(r.getMessage() for r in caplog.records)
    for src in (
        "../secret.png",
        "link.png",
        "https://example.org/x.png",
        "fake.png",
        "/etc/passwd",
    ):
        assert src in warned
    assert "chart%20one.png" not in warned


def test_clean_document_logs_nothing(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG, logger="converter"):
        write(document_from_html(ARTICLE, **META), tmp_path / "quiet.docx")
    assert caplog.records == []


def test_missing_reference_doc_is_a_write_error(tmp_path):
    doc = document_from_html("<p>x</p>", title="T")
    with pytest.raises(WriteError, match="reference"):
        write(doc, tmp_path / "x.docx", styles_dir=tmp_path)
    assert not (tmp_path / "x.docx").exists()


# -- the reference document -------------------------------------------------------------------


def _load_maker():
    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", STYLES / "make_reference_docx.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_docx_defines_the_styles_pandoc_and_the_writer_use():
    styles = part(STYLES / "reference.docx", "word/styles.xml")
    ids = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
    assert {
        "Title",
        "Subtitle",
        "Author",
        "Date",
        "Heading1",
        "Heading2",
        "Heading3",
        "Heading4",
        "BodyText",
        "FirstParagraph",
        "Compact",
        "ListParagraph",
        "BlockText",
        "SourceCode",
        "VerbatimChar",
        "FootnoteText",
        "Table",
        "Footer",
    } <= ids
    builtin = styles.find(f"{W}style[@{W}styleId='ListParagraph']")
    assert builtin.get(f"{W}customStyle") is None  # Word's own List Paragraph


def test_reference_docx_script_is_reproducible():
    import pypandoc

    maker = _load_maker()
    first = maker.build(pypandoc.get_pandoc_path())
    assert first == maker.build(pypandoc.get_pandoc_path())
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {maker.ZIP_DATE}


# -- LibreOffice round trip (only where soffice is installed) ----------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_renders_every_paragraph(article_docx, tmp_path):
    from pypdf import PdfReader

    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(article_docx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "article.pdf").pages)
    text = re.sub(r"\s+", " ", text).casefold()  # the author line is in small capitals
    text = re.sub(r"(?<=[a-z])\d+\b", "", text)  # footnote marks glued to the word they follow
    for _, para, _ in paragraphs(article_docx):
        if para.strip():
            assert re.sub(r"\s+", " ", para).strip().casefold() in text, para
    assert "at the town hall." in text
