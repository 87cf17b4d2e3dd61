"""EPUB writer: package metadata, spine, nav/NCX, content files, splitting, footnotes, RTL,
images, covers and reproducibility, checked by XPath over the zip; EPUBCheck on three books."""

from __future__ import annotations

import base64
import io
import logging
import struct
import uuid
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from editions import epub_structure
from epubcheck_util import run_epubcheck
from lxml import etree

from converter.config import Config
from converter.document import Document, document_from_html
from converter.errors import WriteError
from converter.writers import get_writer
from converter.writers.epub import SPLIT_WORDS, EpubWriter, word_count

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "svg": "http://www.w3.org/2000/svg",
}
EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z

NOTE_REF = (
    '<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref"><sup>{n}</sup></a>'
)
NOTE = (
    '<li id="fn{n}"><p>{text} <a href="#fnref{n}" class="footnote-back" '
    'role="doc-backlink">↩︎</a></p></li>'
)


def footnotes(*texts: str) -> str:
    """Pandoc's endnotes section for the given note texts."""
    items = "".join(NOTE.format(n=n, text=t) for n, t in enumerate(texts, start=1))
    section = '<section id="footnotes" class="footnotes" role="doc-endnotes">'
    return f"{section}<hr/><ol>{items}</ol></section>"


FULL = (
    "<p>Opening paragraph with a note" + NOTE_REF.format(n=1) + ".</p>"
    "<h2>Background</h2>"
    "<p>Text with <em>stress</em>, <strong>weight</strong>, <code>code</code>, "
    '<a href="https://example.org/">a link</a> and <a href="#findings">a cross reference</a>.</p>'
    '<ul><li>First item</li><li><p>Second item</p><ol start="3"><li>Nested item</li></ol></li></ul>'
    "<h3>Method</h3>"
    "<blockquote><p>A quotation.</p></blockquote>"
    '<pre><code class="language-python">def answer():\n    return 42\n</code></pre>'
    '<table><thead><tr><th align="left">Name</th><th>Value</th></tr></thead>'
    '<tbody><tr><td align="center">pi</td><td>3.14</td></tr></tbody></table>'
    '<figure><img src="pixel.png" alt="A red pixel"/><figcaption>A figure.</figcaption></figure>'
    "<hr/>"
    "<h2>Findings</h2>"
    "<p>H<sub>2</sub>O and x<sup>2</sup><br/>on two lines" + NOTE_REF.format(n=2) + ".</p>"
    "<h3>Detail</h3><p>Detail text.</p><h4>Fine point</h4><p>Finer text.</p>"
    "<h2>Conclusion</h2><p>Closing paragraph.</p>" + footnotes("First note.", "Second note.")
)
HEADINGS = [
    (2, "Background"), (3, "Method"), (2, "Findings"), (3, "Detail"), (4, "Fine point"),
    (2, "Conclusion"),
]  # fmt: skip


def png_bytes() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def full_doc(folder: Path, **meta: str | None) -> Document:
    """Every block type, two footnotes and a local image, read from ``folder``/article.html."""
    (folder / "pixel.png").write_bytes(png_bytes())
    fields: dict[str, str | None] = {
        "title": "The Article Title", "author": "Ada Writer", "language": "en-GB",
        "date": "2024-03-05",
    }  # fmt: skip
    fields.update(meta)
    doc = document_from_html(FULL, **fields)
    doc.source = folder / "article.html"
    return doc


def long_doc() -> Document:
    """Four sections of 900 words each (over SPLIT_WORDS), a note cited in the third."""
    words = " ".join(f"word{i}" for i in range(300))
    parts = ["<p>Introduction before any section.</p>"]
    for n in range(1, 5):
        note = NOTE_REF.format(n=1) if n == 3 else ""
        parts.append(f"<h2>Part {n}</h2><p>{words}{note}</p><p>{words}</p>")
        parts.append(f"<h3>Part {n} aside</h3><p>{words}</p>")
    parts.append(footnotes("The only note."))
    return document_from_html(
        "".join(parts), title="A Long Read", author="B. Author", language="en", date="2023-01-02"
    )


def rtl_doc() -> Document:
    """An Arabic article without author or date."""
    fragment = (
        "<p>مقدمة قصيرة.</p><h2>القسم الأول</h2><p>نص الفقرة الأولى.</p>"
        "<ul><li>عنصر أول</li><li>عنصر ثان</li></ul><h2>القسم الثاني</h2><p>نص آخر.</p>"
    )
    return document_from_html(fragment, title="عنوان المقالة", language="ar")


def write(doc: Document, path: Path, **options) -> Path:
    """Write ``doc`` with a fixed SOURCE_DATE_EPOCH."""
    return EpubWriter(Config(source_date_epoch=EPOCH), **options).write(doc, path)


class Book:
    """The zip opened for XPath: ``opf``, ``xml(href)`` relative to the OPF folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(io.BytesIO(path.read_bytes()))  # no open file left behind
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.base = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.opf = etree.fromstring(self.zip.read(self.opf_path))

    def opf_xpath(self, query: str) -> list:
        return self.opf.xpath(query, namespaces=NS)

    def xml(self, href: str) -> etree._Element:
        return etree.fromstring(self.zip.read(self.base + href.split("#")[0]))

    def item(self, **attrs: str) -> etree._Element:
        cond = " and ".join(f"contains(@{k}, '{v}')" for k, v in attrs.items())
        (found,) = self.opf_xpath(f"/opf:package/opf:manifest/opf:item[{cond}]")
        return found

    def spine(self) -> list[str]:
        idrefs = self.opf_xpath("/opf:package/opf:spine/opf:itemref/@idref")
        hrefs = {i.get("id"): i.get("href") for i in self.opf_xpath("//opf:manifest/opf:item")}
        return [hrefs[i] for i in idrefs]

    def text_files(self) -> list[str]:
        return [h for h in self.spine() if h.startswith("text-")]

    def toc(self) -> list[tuple[int, str, str]]:
        """(depth, text, href) of every entry in the nav's toc, in order."""
        nav = self.xml(self.item(properties="nav").get("href"))
        out = []
        for a in nav.xpath("//x:nav[@epub:type='toc']//x:li/x:a", namespaces=NS):
            depth = len(a.xpath("ancestor::x:ol", namespaces=NS))
            out.append((depth, a.text, a.get("href")))
        return out

    def target(self, href: str) -> etree._Element:
        """The element a ``file#id`` link points to (the root when there is no fragment)."""
        file, _, frag = href.partition("#")
        root = self.xml(file)
        if not frag:
            return root
        (el,) = root.xpath(f"//*[@id='{frag}']")
        return el


@pytest.fixture
def full(tmp_path: Path) -> Book:
    return Book(write(full_doc(tmp_path), tmp_path / "full.epub"))


# -- package document ----------------------------------------------------------------------


def test_opf_metadata(full: Book) -> None:
    assert full.opf_xpath("//dc:title/text()") == ["The Article Title"]
    assert full.opf_xpath("//dc:creator/text()") == ["Ada Writer"]
    assert full.opf_xpath("//dc:language/text()") == ["en-GB"]
    assert full.opf_xpath("//dc:date/text()") == ["2024-03-05"]
    assert full.opf_xpath("//opf:meta[@property='dcterms:modified']/text()") == [
        "2023-11-14T22:13:20Z"
    ]
    (ident,) = full.opf_xpath("//dc:identifier")
    assert full.opf.get("unique-identifier") == ident.get("id")
    assert ident.text.startswith("urn:uuid:")
    assert uuid.UUID(ident.text.removeprefix("urn:uuid:")).version == 5


def test_language_comes_from_the_document_never_the_locale(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    book = Book(
        write(full_doc(tmp_path, language=None, author=None, date="5 March"), tmp_path / "b.epub")
    )
    assert book.opf_xpath("//dc:language/text()") == ["und"]
    assert book.opf_xpath("//dc:creator") == []
    assert book.opf_xpath("//dc:date") == []  # not W3CDTF: left out rather than invalid
    for href in book.spine():
        root = book.xml(href)
        assert root.get("lang") == "und" == root.get("{http://www.w3.org/XML/1998/namespace}lang")


def test_identifier_is_stable_and_follows_the_content(tmp_path: Path) -> None:
    doc = full_doc(tmp_path)
    ids = []
    for n, epoch in enumerate((EPOCH, None, None)):
        path = EpubWriter(Config(source_date_epoch=epoch)).write(doc, tmp_path / f"{n}.epub")
        ids.append(Book(path).opf_xpath("//dc:identifier/text()")[0])
    assert ids[0] == ids[1] == ids[2]
    changed = document_from_html(
        FULL.replace("Closing paragraph", "Closing words"),
        title="The Article Title",
        author="Ada Writer",
    )
    other = Book(write(changed, tmp_path / "other.epub")).opf_xpath("//dc:identifier/text()")[0]
    assert other != ids[0]
    retitled = full_doc(tmp_path, title="Another Title")
    assert Book(write(retitled, tmp_path / "t.epub")).opf_xpath("//dc:identifier/text()") != [
        ids[0]
    ]


def test_modified_is_now_without_epoch(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    path = EpubWriter(Config()).write(full_doc(tmp_path), tmp_path / "now.epub")
    (stamp,) = Book(path).opf_xpath("//opf:meta[@property='dcterms:modified']/text()")
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - when).total_seconds()) < 120


def test_spine_manifest_nav_and_ncx(full: Book) -> None:
    assert full.spine() == ["cover.xhtml", "titlepage.xhtml", "nav.xhtml", "text-01.xhtml"]
    nav = full.item(properties="nav")
    assert nav.get("media-type") == "application/xhtml+xml"
    ncx = full.item(**{"media-type": "application/x-dtbncx+xml"})
    assert full.opf_xpath("/opf:package/opf:spine/@toc") == [ncx.get("id")]
    assert full.opf_xpath("//opf:spine/@page-progression-direction") == []
    cover = full.item(properties="cover-image")
    assert cover.get("media-type") == "image/svg+xml"
    names = full.zip.namelist()
    assert (
        names[0] == "mimetype" and full.zip.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    )
    for item in full.opf_xpath("//opf:manifest/opf:item"):
        assert full.base + item.get("href") in names


def test_nav_lists_every_heading_in_order_and_nested(full: Book) -> None:
    toc = full.toc()
    assert toc[0][:2] == (1, "The Article Title")
    assert full.target(toc[0][2]).xpath("//x:h1/text()", namespaces=NS) == ["The Article Title"]
    # The title is the first top-level entry; h2 sections sit beside it, h3/h4 nest below.
    assert [(d, t) for d, t, _ in toc[1:]] == [(level - 1, text) for level, text in HEADINGS]
    for _, text, href in toc[1:]:
        assert "".join(full.target(href).itertext()) == text
    landmarks = full.xml("nav.xhtml").xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    kinds = {a.get("{http://www.idpf.org/2007/ops}type"): a.get("href") for a in landmarks}
    assert kinds["cover"] == "cover.xhtml"
    assert kinds["toc"] == "nav.xhtml#toc"
    assert kinds["bodymatter"] == "text-01.xhtml"
    ncx = full.xml(full.item(**{"media-type": "application/x-dtbncx+xml"}).get("href"))
    labels = ncx.xpath("//ncx:navPoint/ncx:navLabel/ncx:text/text()", namespaces=NS)
    assert labels == ["The Article Title"] + [text for _, text in HEADINGS]
    nested = ncx.xpath("//ncx:navPoint/ncx:navPoint/ncx:navLabel/ncx:text/text()", namespaces=NS)
    assert nested == ["Method", "Detail", "Fine point"]


def test_content_keeps_the_html_rendering(full: Book) -> None:
    h1s = [(href, h.text) for href in full.spine() for h in full.xml(href).iter(f"{{{NS['x']}}}h1")]
    assert h1s == [("titlepage.xhtml", "The Article Title")]  # the title is the only h1
    title_page = full.xml("titlepage.xhtml")
    assert title_page.xpath("//x:p[@class='author']/text()", namespaces=NS) == ["Ada Writer"]
    assert title_page.xpath("//x:time/@datetime", namespaces=NS) == ["2024-03-05"]
    text = full.xml("text-01.xhtml")
    assert text.xpath("//x:h2/text()", namespaces=NS) == ["Background", "Findings", "Conclusion"]
    assert text.xpath("//x:ul/x:li[1]/text()", namespaces=NS) == ["First item"]
    assert text.xpath("//x:ol[@start='3']/x:li/text()", namespaces=NS) == ["Nested item"]
    assert text.xpath("//x:pre/x:code[@class='language-python']", namespaces=NS)
    assert text.xpath("//x:td[@class='align-center']/text()", namespaces=NS) == ["pi"]
    assert text.xpath("//x:table//@align", namespaces=NS) == []
    assert text.xpath("//x:a[.='a cross reference']/@href", namespaces=NS) == ["#findings"]
    s = epub_structure(full.path)
    assert s.title == "The Article Title"
    assert s.headings == HEADINGS
    assert s.items == ["First item", "Second item", "Nested item"]
    assert s.ordered == [False, True]
    assert s.paragraphs[:2] == [
        "Opening paragraph with a note.",  # the note mark is not body text
        "Text with stress, weight, code, a link and a cross reference.",
    ]


def test_writer_does_not_change_the_document(tmp_path: Path) -> None:
    doc = full_doc(tmp_path)
    before = doc.body_html()
    write(doc, tmp_path / "a.epub")
    assert doc.body_html() == before
    assert isinstance(get_writer("epub"), EpubWriter)


# -- splitting -----------------------------------------------------------------------------


def test_long_article_splits_per_section(tmp_path: Path) -> None:
    doc = long_doc()
    assert word_count(doc.body) > SPLIT_WORDS
    book = Book(write(doc, tmp_path / "long.epub"))
    files = book.text_files()
    assert files == [f"text-0{n}.xhtml" for n in range(1, 6)]  # introduction + 4 parts
    assert book.spine()[:3] == ["cover.xhtml", "titlepage.xhtml", "nav.xhtml"]
    assert book.opf_xpath("//opf:itemref[@idref='nav']/@linear") in ([], ["yes"])
    for n, href in enumerate(files[1:], start=1):
        assert book.xml(href).xpath("//x:h2/text()", namespaces=NS) == [f"Part {n}"]
    toc = book.toc()
    assert [(d, t) for d, t, _ in toc] == [(1, "A Long Read")] + [
        entry for n in range(1, 5) for entry in ((1, f"Part {n}"), (2, f"Part {n} aside"))
    ]
    for _, text, href in toc[1:]:
        assert href.startswith(f"text-0{int(text.split()[1]) + 1}.xhtml#")
        assert "".join(book.target(href).itertext()) == text
    # The note sits in the file that cites it, and its links resolve both ways.
    third = book.xml("text-04.xhtml")
    (ref,) = third.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    (note,) = third.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    assert ref.get("href") == "#" + note.get("id")
    back = note.xpath(".//x:a[@class='footnote-back']/@href", namespaces=NS)
    assert back == ["#" + ref.get("id")]


def test_split_and_unsplit_are_forced_by_the_option(tmp_path: Path) -> None:
    doc = full_doc(tmp_path)
    assert word_count(doc.body) < SPLIT_WORDS
    split = Book(write(doc, tmp_path / "s.epub", split_sections=True))
    assert split.text_files() == [
        "text-01.xhtml",
        "text-02.xhtml",
        "text-03.xhtml",
        "text-04.xhtml",
    ]
    assert split.opf_xpath("//opf:itemref[@idref='nav']/@linear") in ([], ["yes"])
    # A cross reference into another file names that file.
    link = split.xml("text-02.xhtml").xpath("//x:a[.='a cross reference']/@href", namespaces=NS)
    assert link == ["text-03.xhtml#findings"]
    assert [t for _, t, _ in split.toc()] == [
        t for _, t, _ in Book(write(doc, tmp_path / "u.epub")).toc()
    ]
    single = Book(write(long_doc(), tmp_path / "l.epub", split_sections=False))
    assert single.text_files() == ["text-01.xhtml"]
    assert single.opf_xpath("//opf:itemref[@idref='nav']/@linear") == ["no"]


def test_footnotes_become_epub3_footnotes(full: Book) -> None:
    text = full.xml("text-01.xhtml")
    refs = text.xpath("//x:a[@epub:type='noteref']/@href", namespaces=NS)
    assert refs == ["#fn1", "#fn2"]
    asides = text.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    assert [a.get("id") for a in asides] == ["fn1", "fn2"]
    assert ["".join(a.itertext()).split() for a in asides] == [
        ["1.", "First", "note.", "↩︎"], ["2.", "Second", "note.", "↩︎"]
    ]  # fmt: skip
    assert text.xpath("//x:section[@role='doc-endnotes']", namespaces=NS) == []


# -- direction, images, cover, reproducibility ---------------------------------------------


def test_right_to_left(tmp_path: Path) -> None:
    book = Book(write(rtl_doc(), tmp_path / "ar.epub"))
    assert book.opf_xpath("//opf:spine/@page-progression-direction") == ["rtl"]
    assert book.opf_xpath("//dc:language/text()") == ["ar"]
    for href in book.spine():
        assert book.xml(href).get("dir") == "rtl", href
    assert [t for _, t, _ in book.toc()] == ["عنوان المقالة", "القسم الأول", "القسم الثاني"]


def test_images_are_embedded_only_from_the_source_folder(tmp_path, caplog) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "pixel.png").write_bytes(png_bytes())
    (folder / "fake.png").write_text("not an image")
    (tmp_path / "secret.png").write_bytes(png_bytes())
    fragment = (
        '<figure><img src="pixel.png" alt="kept"/></figure>'
        '<p><img src="pixel.png" alt="again"/></p>'
        '<p><img src="../secret.png" alt="outside"/></p>'
        '<p><img src="/etc/hosts" alt="absolute"/></p>'
        '<p><img src="https://example.org/x.png" alt="remote"/></p>'
        '<p><img src="fake.png" alt=""/>x</p>'
        '<p><img src="missing.png" alt="gone"/></p><p><img src="missing.png" alt="again"/></p>'
    )
    doc = document_from_html(fragment, title="Images", language="en")
    doc.source = folder / "page.html"
    with caplog.at_level(logging.WARNING, logger="converter"):
        book = Book(write(doc, tmp_path / "img.epub"))
    text = book.xml("text-01.xhtml")
    assert text.xpath("//x:img/@src", namespaces=NS) == ["images/img-001.png"] * 2
    assert book.item(href="images/img-001.png").get("media-type") == "image/png"
    assert book.zip.read(book.base + "images/img-001.png") == png_bytes()
    assert text.xpath("//x:span[@class='image-alt']/text()", namespaces=NS) == [
        "outside", "absolute", "remote", "gone", "again"
    ]  # fmt: skip
    assert [n for n in book.zip.namelist() if "/images/" in n] == [
        "EPUB/images/cover.svg", "EPUB/images/img-001.png"
    ]  # fmt: skip
    warned = " ".join(r.getMessage() for r in caplog.records if r.name == "converter")
    for src in ("../secret.png", "/etc/hosts", "https://example.org/x.png", "fake.png", "missing"):
        assert src in warned
    assert warned.count("missing.png") == 1  # once per image, not per reference


def test_generated_cover_is_an_svg_with_title_and_author(full: Book) -> None:
    svg = full.xml(full.item(properties="cover-image").get("href"))
    assert svg.tag == f"{{{NS['svg']}}}svg"
    lines = svg.xpath("//svg:text/text()", namespaces=NS)
    assert " ".join(lines) == "The Article Title Ada Writer"
    page = full.xml("cover.xhtml")
    assert page.xpath("//x:img/@src", namespaces=NS) == ["images/cover.svg"]


def test_given_cover_image(tmp_path: Path) -> None:
    image = tmp_path / "front.png"
    image.write_bytes(png_bytes())
    book = Book(write(rtl_doc(), tmp_path / "c.epub", cover=image))
    cover = book.item(properties="cover-image")
    assert (cover.get("href"), cover.get("media-type")) == ("images/cover.png", "image/png")
    assert book.xml("cover.xhtml").xpath("//x:img/@src", namespaces=NS) == ["images/cover.png"]
    assert book.opf_xpath("//opf:meta[@name='cover']/@content") == [cover.get("id")]
    with pytest.raises(WriteError):
        write(rtl_doc(), tmp_path / "d.epub", cover=tmp_path / "missing.png")


def test_reproducible_with_source_date_epoch(tmp_path: Path) -> None:
    doc = full_doc(tmp_path)
    first = write(doc, tmp_path / "one.epub").read_bytes()
    second = write(doc, tmp_path / "two.epub").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "one.epub") as z:
        assert {info.date_time for info in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    later = EpubWriter(Config(source_date_epoch=EPOCH + 86400)).write(doc, tmp_path / "three.epub")
    assert later.read_bytes() != first


# -- Scraped markup; EPUBCheck on three books covering every block type, in parallel --------


# Nesting the HTML content model forbids, as scraped pages have it (libxml2 keeps it).
BAD_NESTING = (
    '<p>Lead <a href="https://e.org/a b"><h4 id="caf%C3%A9">Headline</h4><span>x</span></a>'
    " tail</p><ul><h3>More</h3><li>a</li><ul><li>nested</li></ul>loose</ul>"
    "<table><td>a</td><tr><td>b</td></tr>stray</table>"
    "<figure><div><figcaption>cap</figcaption></div></figure><div><li>stray item</li></div>"
    '<p><a href="#caf%C3%A9">to headline</a> <a href="http:// http://x.org">bad</a></p>'
)


def messy_doc(folder: Path, nesting: bool = True) -> Document:
    """Scraped markup the HTML schema rejects, data: and SVG images, dangling links, no
    title or language: the writer must still produce a valid book."""
    (folder / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="red"/></svg>'
    )
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    fragment = (
        '<p role="button" lang="en_US" dir="sideways">Dated <time datetime="May 2020">May'
        ' 2020</time>.</p><h2><img src="drawing.svg" alt=""/></h2>'
        f'<p><img src="{data_url}" alt="inline"/></p>'
        '<picture><img src="drawing.svg" alt="p"/></picture>'
        '<table><tr><td colspan="abc" headers="h1" align="middle">cell</td></tr></table>'
        '<ol type="disc" start="x"><li value="2.5">item</li></ol><blockquote cite="page.html">'
        '<p>quote</p></blockquote><p><a href="#nowhere">dangling</a> <a href="page.html">page</a> '
        f'{NOTE_REF.format(n=9)}</p><h2>Same</h2><h2>Same</h2><p id="x">a</p><p id="x">b</p>'
    )
    if nesting:
        fragment += BAD_NESTING
    doc = document_from_html(fragment, title=None, date="2020-05-01T10:00:00+02:00")
    doc.source = folder / "page.html"
    if nesting:
        _nest_links(doc)
    return doc


def nesting_doc() -> Document:
    """BAD_NESTING, plus a link inside a link (the HTML parser would not build one)."""
    doc = document_from_html(BAD_NESTING, title="Nesting", language="en")
    _nest_links(doc)
    return doc


def _nest_links(doc: Document) -> None:
    outer = etree.SubElement(etree.SubElement(doc.body, "p"), "a", href="https://a.org/")
    outer.text = "out "
    etree.SubElement(outer, "a", href="https://b.org/").text = "in"


def test_messy_markup_is_cleaned(tmp_path: Path) -> None:
    book = Book(write(messy_doc(tmp_path, nesting=False), tmp_path / "messy.epub"))
    text = book.xml("text-01.xhtml")
    assert text.xpath("//@role | //@headers | //@align | //x:ol/@*", namespaces=NS) == []
    assert text.xpath("(//x:p)[1]", namespaces=NS)[0].get("lang") is None
    assert text.xpath("//x:time", namespaces=NS) == []  # unwrapped; its text stays
    assert "".join(text.xpath("(//x:p)[1]//text()", namespaces=NS)) == "Dated May 2020."
    assert text.xpath("//x:a/@href", namespaces=NS) == []
    assert text.xpath("//x:h2/@id", namespaces=NS) == ["section-1", "same", "same-2"]
    assert text.xpath("//@id", namespaces=NS).count("x") == 1
    assert sorted(text.xpath("//x:img/@src", namespaces=NS)) == [
        "images/img-001.svg", "images/img-001.svg", "images/img-002.png"
    ]  # fmt: skip
    assert book.opf_xpath("//dc:title/text()") == ["Untitled"]
    assert book.opf_xpath("//dc:date/text()") == ["2020-05-01"]


def test_invalid_nesting_is_repaired_keeping_the_words(tmp_path: Path) -> None:
    doc = nesting_doc()
    assert doc.body.xpath("//p//h4 and //ul/h3 and //table/td and //div/li and //a//a")
    book = Book(write(doc, tmp_path / "nest.epub"))
    text = book.xml("text-01.xhtml")

    def xp(query: str) -> list:
        return text.xpath(query, namespaces=NS)

    assert xp("//x:p//x:h4 | //x:p//x:span[.='x']/..//x:div") == []
    assert xp("//x:h4") == [] and "Headline" in "".join(xp("(//x:p)[1]//text()"))
    assert xp("//x:ul/*[not(self::x:li)] | //x:ol/*[not(self::x:li)]") == []
    items = xp("//x:article/x:ul/x:li")
    assert xp("//x:article/x:ul/x:li[1]/x:h3/text()") == ["More"]
    assert len(items) == 2 and items[1].text == "a"  # the nested list joins the item above
    assert xp("//x:article/x:ul/x:li[2]/x:ul/x:li/text()") == ["nested"]
    assert items[1][-1].tail == "loose"
    assert xp("//x:table/*[not(self::x:tr)] | //x:tr/*[not(self::x:td or self::x:th)]") == []
    assert xp("//x:table//x:td/text()") == ["a", "b", "stray"]
    assert xp("//x:li[not(parent::x:ul or parent::x:ol)] | //x:figcaption") == []
    assert xp("//x:a//x:a") == [] and xp("//x:a[.='out in']/@href") == ["https://a.org/"]
    # The scraped "%"-encoded id is renamed (kept on a span) and the link to it follows.
    assert [t.strip() for t in xp("//x:span[@id='cafe']/text()")] == ["Headline"]
    assert xp("//x:a[.='to headline']/@href") == ["#cafe"]
    assert xp("//x:a[.='bad']/@href") == []
    assert xp("(//x:p)[1]//x:a/@href") == ["https://e.org/a%20b"]


@pytest.fixture(scope="module")
def epubcheck_results(tmp_path_factory) -> dict[str, list]:
    folder = tmp_path_factory.mktemp("epubcheck")
    image = folder / "front.png"
    image.write_bytes(png_bytes())
    books = {
        "full-split": write(full_doc(folder), folder / "full.epub", split_sections=True),
        "rtl-cover": write(rtl_doc(), folder / "rtl.epub", cover=image),
        "messy": write(messy_doc(folder), folder / "messy.epub"),
    }
    with ThreadPoolExecutor(len(books)) as pool:
        results = dict(zip(books, pool.map(run_epubcheck, books.values()), strict=True))
    return results


@pytest.mark.parametrize("name", ["full-split", "rtl-cover", "messy"])
def test_epubcheck_reports_nothing(epubcheck_results, name: str) -> None:
    assert [m.short for m in epubcheck_results[name]] == []
