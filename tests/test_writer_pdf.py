"""The PDF writer: outline, metadata, text, fonts, paper, footnotes, safe loading, reproducibility.

Everything is read back with pypdf; nothing compares bytes except the reproducibility check.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import struct
import urllib.parse
import zlib
from pathlib import Path

import pytest

from converter.config import Config
from converter.document import Document, document_from_html
from converter.errors import UsageError
from converter.writers import pdf as pdf_writer
from converter.writers.pdf import PdfWriter

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z

# Printed when libharfbuzz-subset0 is not installed: about the machine, not the document.
ENVIRONMENT_NOTICES = ("instead of HarfBuzz-Subset",)

LONG = (
    "The committee met again on Tuesday to weigh the proposals, and the chair noted that the "
    "internationalisation of these responsibilities would need extraordinary coordination "
    "between ministries, agencies and the regional offices."
)

RICH = f"""
<p>Opening paragraph with a footnote<a href="#fn1" class="footnote-ref" id="fnref1"
 role="doc-noteref"><sup>1</sup></a> and some <em>emphasis</em>. {LONG}</p>
<p>Second paragraph. {LONG} {LONG}</p>
<h2>First section</h2>
<p>A long address: <a href="https://example.com/a/very/long/path/that/never/ends/and/keeps/going/index.html?query=parameters">https://example.com/a/very/long/path/that/never/ends/and/keeps/going/index.html?query=parameters</a>.</p>
<ul><li>Apples from the orchard</li><li><p>Pears in a paragraph</p><ul><li>Nested plums</li>
<li>Nested cherries<ol><li>Deep first</li><li>Deep second</li></ol></li></ul></li></ul>
<ol start="3"><li>Third thing</li><li>Fourth thing</li></ol>
<blockquote><p>A quotation that wraps across several lines, attributed to somebody important
 enough to be quoted at length in a printed article.</p></blockquote>
<h3>A subsection</h3>
<pre><code class="language-python">def very_long_function_name(argument_one, argument_two, argument_three, argument_four):
    return [x for x in range(100) if x % 3 == 0 and x % 5 == 0 and x not in (15, 30, 45)]
</code></pre>
<table><thead><tr><th>Name</th><th>Value</th><th>Description</th></tr></thead>
<tbody><tr><td>alpha</td><td>1</td><td>A fairly long description that has to wrap in its cell.</td></tr>
<tr><td>beta</td><td>2</td><td>https://example.org/a/really/long/url/in/a/table/cell/that/must/wrap</td></tr>
</tbody></table>
<h2>Second section<a href="#fn2" class="footnote-ref" id="fnref2" role="doc-noteref"><sup>2</sup></a></h2>
<p>{LONG} {LONG}</p>
<h3>Another subsection</h3>
<h4>Minor heading</h4>
<p>{LONG} {LONG} {LONG}</p>
<p>{LONG} {LONG} {LONG}</p>
<section id="footnotes" class="footnotes" role="doc-endnotes"><hr/><ol>
<li id="fn1"><p>The first note, with a <a href="https://example.com">link</a>. <a href="#fnref1"
 class="footnote-back" role="doc-backlink">↩︎</a></p></li>
<li id="fn2"><p>A note on a heading.</p><p>Its second paragraph. <a href="#fnref2"
 class="footnote-back" role="doc-backlink">↩︎</a></p></li>
</ol></section>
"""

TITLE = "A Printed Article: Headings, Lists and Notes"
HEADINGS = [
    (1, TITLE),
    (2, "First section"),
    (3, "A subsection"),
    (2, "Second section"),
    (3, "Another subsection"),
    (4, "Minor heading"),
]


def rich_document() -> Document:
    return document_from_html(
        RICH, title=TITLE, author="Jane Writer", language="en-GB", date="2024-05-03"
    )


def render(doc: Document, path: Path, **config) -> pypdf.PdfReader:
    PdfWriter(Config(**config)).write(doc, path)
    return pypdf.PdfReader(str(path))


def squash(text: str) -> str:
    """Drop white space and hyphens: extraction breaks lines and keeps hyphenation points."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(entries, level):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                found.append((level, entry.title))

    walk(reader.outline, 1)
    return found


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def image_xobjects(reader: pypdf.PdfReader) -> int:
    """Count image XObjects on every page, inside form XObjects too."""
    count = 0

    def walk(resources):
        nonlocal count
        xobjects = resources.get("/XObject") if resources else None
        for ref in (xobjects or {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                count += 1
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return count


def png(width: int = 4, height: int = 4) -> bytes:
    """A small red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> pypdf.PdfReader:
    path = tmp_path_factory.mktemp("pdf") / "rich.pdf"
    return render(rich_document(), path, source_date_epoch=EPOCH)


# -- structure -------------------------------------------------------------------------------


def test_outline_mirrors_the_headings(rich):
    # The h2 holding a footnote is labelled without its call number.
    assert outline(rich) == HEADINGS


def test_metadata(rich):
    info = rich.metadata
    assert info["/Title"] == TITLE
    assert info["/Author"] == "Jane Writer"
    assert rich.trailer["/Root"]["/Lang"] == "en-GB"
    assert info["/CreationDate"] == "D:20231114221320Z"
    assert info["/ModDate"] == "D:20231114221320Z"
    assert rich.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged for screen readers


def test_text_has_every_paragraph_and_list_item(rich):
    text = squash(" ".join(page_texts(rich)))
    blocks = list(rich_document().body.iter("p", "li", "td", "th", "pre"))
    assert len(blocks) > 20
    for el in blocks:
        # A list item's own words: nested lists and paragraphs are blocks of their own.
        own = (el.text or "") + "".join(
            ("" if child.tag in ("ul", "ol", "p") else child.text_content()) + (child.tail or "")
            for child in el
        )
        own = own.replace("↩︎", "")
        assert squash(own) in text, own[:60]


def test_every_font_is_embedded(rich):
    families = set()

    def check(font):
        font = font.get_object()
        descriptors = (
            [d.get_object()["/FontDescriptor"] for d in font["/DescendantFonts"]]
            if font.get("/Subtype") == "/Type0"
            else [font.get("/FontDescriptor")]
        )
        for descriptor in descriptors:
            assert descriptor is not None, font.get("/BaseFont")
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                font.get("/BaseFont")
            )
        families.add(str(font["/BaseFont"]).split("+")[-1])

    for page in rich.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            check(font)
    assert {"DejaVu-Serif", "DejaVu-Sans-Bold", "DejaVu-Sans-Mono"} <= families


def test_running_header_and_page_numbers_from_page_two(rich):
    texts = [" ".join(t.split()) for t in page_texts(rich)]
    total = len(texts)
    assert total >= 2
    assert f"1 / {total}" not in texts[0]
    assert texts[0].count(TITLE) == 1  # the title block only, no running header
    for number, text in enumerate(texts[1:], start=2):
        assert f"{number} / {total}" in text
        assert TITLE in text


def test_ordered_list_keeps_its_start(rich):
    # pypdf reads list markers apart from their items, each on a line of its own.
    markers = re.findall(r"^\s*(\d+)\.\s*$", "\n".join(page_texts(rich)), re.MULTILINE)
    assert markers.count("1") == 1  # the nested list only
    assert "3" in markers and "4" in markers


def test_lettered_and_roman_lists_keep_their_numbering(tmp_path):
    """The normaliser marks "a)" and "(i)" lists with ``type``; the print stylesheet's own
    list styles must not turn them back into 1, 2, 3."""
    doc = document_from_html(
        "<p>Dress in layers:</p><ol type='a'><li>a base layer</li><li>a mid layer</li></ol>"
        "<p>Then:</p><ol type='i'><li>Clean the rims.</li><li>Oil the chain.</li><li>Check the pads.</li></ol>",
        title="Winter cycling", language="en")
    markers = re.findall(r"^\s*([a-z0-9]+)\.\s*$", "\n".join(page_texts(render(doc, tmp_path / "l.pdf"))),
                         re.MULTILINE)
    assert markers == ["a", "b", "i", "ii", "iii"]


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612, 792))])
def test_paper_size(tmp_path, paper, size):
    doc = document_from_html("<p>Short.</p>", title="Paper", language="en")
    reader = render(doc, tmp_path / "p.pdf", paper=paper)
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.5)


def test_unknown_paper_is_a_usage_error(tmp_path):
    doc = document_from_html("<p>Short.</p>", title="Paper", language="en")
    with pytest.raises(UsageError, match="legal"):
        PdfWriter(Config(paper="legal")).write(doc, tmp_path / "p.pdf")


# -- footnotes -------------------------------------------------------------------------------


def test_notes_become_page_footnotes(rich):
    texts = page_texts(rich)
    first = next(i for i, t in enumerate(texts) if "Opening paragraph" in t)
    assert "The first note, with a link." in texts[first]
    heading = next(i for i, t in enumerate(texts) if "Second section" in t)
    assert "A note on a heading." in texts[heading]
    whole = " ".join(texts)
    assert "↩" not in whole
    assert whole.count("The first note") == 1


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_each_note_sits_on_the_page_of_its_call(tmp_path, paper):
    # WeasyPrint 70 pushed notes to the next page when @footnote spacing did not add up
    # exactly in binary; pdf.css uses px steps for it. Calls early in paragraphs and short
    # notes: every note fits on its call's page.
    paragraphs, notes = [], []
    for n in range(1, 13):
        ref = f'<a href="#fn{n}" class="footnote-ref" role="doc-noteref"><sup>{n}</sup></a>'
        paragraphs.append(f"<p>Call{n}mark{ref} {LONG} {LONG} {LONG}</p>")
        notes.append(f'<li id="fn{n}"><p>Note{n}text about the call.</p></li>')
    body = "".join(paragraphs) + f'<section class="footnotes"><ol>{"".join(notes)}</ol></section>'
    reader = render(
        document_from_html(body, title="Notes", language="en"), tmp_path / "n.pdf", paper=paper
    )
    texts = [squash(t) for t in page_texts(reader)]
    assert len(texts) >= 3
    for n in range(1, 13):
        calls = [i for i, t in enumerate(texts) if f"Call{n}mark" in t]
        placed = [i for i, t in enumerate(texts) if f"Note{n}text" in t]
        assert calls == placed, (n, calls, placed)


def test_unreferenced_note_stays_as_endnote(tmp_path):
    body = (
        '<p>No call here.</p><section class="footnotes" role="doc-endnotes"><hr/><ol>'
        '<li id="fn1"><p>Orphan note.</p></li></ol></section>'
    )
    reader = render(document_from_html(body, title="Orphan", language="en"), tmp_path / "o.pdf")
    assert "Orphan note." in page_texts(reader)[0]


# -- loading only what is safe ---------------------------------------------------------------


@pytest.fixture()
def folders(tmp_path):
    article = tmp_path / "article"
    outside = tmp_path / "outside"
    article.mkdir()
    outside.mkdir()
    (article / "inside.png").write_bytes(png())
    (outside / "secret.png").write_bytes(png())
    (article / "link.png").symlink_to(outside / "secret.png")
    source = article / "article.html"
    source.write_text("<p>x</p>", encoding="utf-8")
    return source, outside / "secret.png"


def with_source(fragment: str, source: Path) -> Document:
    doc = document_from_html(fragment, title="Images", language="en")
    doc.source = source
    return doc


def test_image_inside_the_source_folder_is_embedded(tmp_path, folders):
    source, _ = folders
    doc = with_source(
        '<figure><img src="inside.png" alt="Red"/><figcaption>C</figcaption></figure>', source
    )
    assert image_xobjects(render(doc, tmp_path / "in.pdf")) == 1


def test_images_outside_the_source_folder_are_not_read(tmp_path, folders, caplog):
    source, secret = folders
    refs = ["../outside/secret.png", str(secret), secret.as_uri(), "link.png"]
    doc = with_source(
        "".join(f'<p><img src="{r}" alt="Alt {i}"/></p>' for i, r in enumerate(refs)), source
    )
    with caplog.at_level(logging.WARNING, logger="converter"):
        reader = render(doc, tmp_path / "out.pdf")
    assert image_xobjects(reader) == 0
    messages = " ".join(r.getMessage() for r in caplog.records if r.name == "converter")
    for ref in refs:
        assert ref in messages
    text = page_texts(reader)[0]
    assert all(f"Alt {i}" in text for i in range(len(refs)))  # the alt text stands in


def test_relative_image_without_source_is_not_loaded(tmp_path, caplog):
    doc = document_from_html('<p><img src="inside.png" alt="Alt"/></p>', title="T", language="en")
    with caplog.at_level(logging.WARNING, logger="converter"):
        reader = render(doc, tmp_path / "o.pdf")
    assert image_xobjects(reader) == 0
    assert any("inside.png" in r.getMessage() for r in caplog.records if r.name == "converter")


@pytest.fixture()
def listener():
    """A local port that records whether anybody connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def test_remote_references_are_never_fetched(tmp_path, folders, listener, caplog):
    source, secret = folders
    port = listener.getsockname()[1]
    # An SVG data: URL is allowed, but what it refers to goes through the URL fetcher.
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
        f"<image href='http://127.0.0.1:{port}/in-svg.png' width='10' height='10'/>"
        f"<image href='{secret.as_uri()}' width='10' height='10'/></svg>"
    )
    fragment = (
        f'<p><img src="http://127.0.0.1:{port}/remote.png" alt="Remote"/>'
        f'<img src="https://127.0.0.1:{port}/secure.png" alt="Secure"/>'
        f'<img src="ftp://127.0.0.1:{port}/f.png" alt="Ftp"/>'
        f'<img src="data:image/svg+xml,{urllib.parse.quote(svg)}" alt="Svg"/>'
        f'<a rel="attachment" href="{secret.as_uri()}">attached?</a></p>'
    )
    with caplog.at_level(logging.WARNING):
        reader = render(with_source(fragment, source), tmp_path / "r.pdf")
    assert not connected(listener)
    assert image_xobjects(reader) == 0
    assert "/EmbeddedFiles" not in (reader.trailer["/Root"].get("/Names") or {})
    converter_log = " ".join(r.getMessage() for r in caplog.records if r.name == "converter")
    for ref in ("/remote.png", "/secure.png", "/f.png", "/in-svg.png", secret.name):
        assert ref in converter_log


def test_writer_leaves_the_document_alone(tmp_path, folders):
    source, _ = folders
    doc = rich_document()
    doc.source = source
    doc.body.append(document_from_html('<p><img src="http://x/y.png" alt="A"/></p>').body[0])
    before = (doc.body_html(), repr(doc.meta), list(doc.warnings))
    PdfWriter(Config()).write(doc, tmp_path / "d.pdf")
    assert (doc.body_html(), repr(doc.meta), list(doc.warnings)) == before


# -- reproducibility and warnings ------------------------------------------------------------


def test_source_date_epoch_gives_identical_files(tmp_path):
    doc = rich_document()
    a = PdfWriter(Config(source_date_epoch=EPOCH)).write(doc, tmp_path / "a.pdf").read_bytes()
    b = PdfWriter(Config(source_date_epoch=EPOCH)).write(doc, tmp_path / "b.pdf").read_bytes()
    c = PdfWriter(Config(source_date_epoch=EPOCH + 60)).write(doc, tmp_path / "c.pdf").read_bytes()
    assert a == b
    assert a != c  # the date is in the file, so the check above can fail
    reader = pypdf.PdfReader(str(tmp_path / "a.pdf"))
    file_id = reader.trailer["/ID"]
    assert len(file_id) == 2 and file_id[0]


def test_no_unexpected_weasyprint_warnings(tmp_path, caplog, monkeypatch):
    # An empty cache: pdf.css is parsed again, so CSS warnings are seen here too.
    monkeypatch.setattr(pdf_writer, "_STYLE_CACHE", {})
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render(rich_document(), tmp_path / "w.pdf")
    unexpected = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("weasyprint")
        and not any(n in r.getMessage() for n in ENVIRONMENT_NOTICES)
    ]
    assert unexpected == []


def test_missing_stylesheet_is_a_write_error(tmp_path):
    from converter.errors import WriteError

    doc = document_from_html("<p>x</p>", title="T", language="en")
    with pytest.raises(WriteError, match="stylesheet"):
        PdfWriter(Config(styles_dir=tmp_path)).write(doc, tmp_path / "x.pdf")


def test_stylesheet_is_parsed_once_per_process(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_writer, "_STYLE_CACHE", {})
    css = tmp_path / "pdf.css"
    css.write_text("p { color: black; }", encoding="utf-8")
    first = pdf_writer._stylesheets(css, "a4")
    assert pdf_writer._stylesheets(css, "a4") is first
    assert pdf_writer._stylesheets(css, "letter") is not first
    css.write_text("p { color: blue; }", encoding="utf-8")
    os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 1_000_000))
    assert pdf_writer._stylesheets(css, "a4") is not first  # an edited stylesheet is read again


@pytest.mark.parametrize("tag", ["sup", "sub", "small"])
def test_deeply_nested_shrinking_text_still_renders(tmp_path, tag):
    # Found by the fuzz test: each <sup>, <sub> or <small> level shrank the text again, and
    # some thirty levels reached a font size WeasyPrint divides by (ZeroDivisionError).
    depth = 40
    doc = document_from_html(f"<p>Before {f'<{tag}>' * depth}deep words{f'</{tag}>' * depth}"
                             " after.</p>", title="Nested")
    reader = render(doc, tmp_path / "nested.pdf")
    text = squash(" ".join(page_texts(reader)))
    assert squash("Before deep words after.") in text


CJK_PARAGRAPH = (
    "据美国宇航局（NASA）报道，国际空间站上的宇航员在太空中的生活与地面上大不相同。"
    "纽约州立大学（State University of New York）的研究人员说，失重环境会改变人体对酒精的反应。"
) * 4


@pytest.mark.parametrize(("language", "text", "justified"), [
    ("zh", CJK_PARAGRAPH, False),
    ("ja", CJK_PARAGRAPH, False),
    ("en", LONG * 3, True),
])
def test_chinese_and_japanese_text_is_not_stretched_at_its_spaces(tmp_path, monkeypatch, language,
                                                                  text, justified):
    # WeasyPrint justifies by widening spaces only: Chinese or Japanese with a few Latin
    # words got gaps around them. The lines are laid out, not the PDF bytes, inspected.
    import weasyprint

    rendered = []
    render = weasyprint.HTML.render

    def keep(self, *args, **kwargs):
        rendered.append(render(self, *args, **kwargs))
        return rendered[-1]

    monkeypatch.setattr(weasyprint.HTML, "render", keep)
    doc = document_from_html(f"<p>{text}</p><p>{text}</p>", title="T", language=language)
    PdfWriter().write(doc, tmp_path / "out.pdf")

    def spacings(box):
        if hasattr(box, "justification_spacing"):
            yield box.justification_spacing
        for child in getattr(box, "children", ()):
            yield from spacings(child)

    found = [s for page in rendered[0].pages for s in spacings(page._page_box)]
    assert found
    assert any(s > 0 for s in found) == justified


def test_a_block_of_lines_starts_every_line_at_the_margin(tmp_path):
    """A press contact kept as one block of lines: no first-line indent, as a paragraph after
    another paragraph has."""
    doc = document_from_html(
        "<p>The restoration cost £2.1 million, of which £1.4 million came from the fund.</p>"
        "<p>The trust is run by 120 volunteers and four staff.</p>"
        "<p>Media Contact:<br/>Sam Okafor<br/>press@harbourtrust.example.org</p>",
        title="Tide Mill Reopens", language="en")
    starts: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        for key in ("The restoration", "The trust", "Media Contact", "Sam Okafor"):
            if text.startswith(key) and key not in starts:
                starts[key] = cm[4] + tm[4] * cm[0]

    render(doc, tmp_path / "lines.pdf").pages[0].extract_text(visitor_text=visit)
    assert set(starts) == {"The restoration", "The trust", "Media Contact", "Sam Okafor"}, starts
    assert starts["The trust"] > starts["The restoration"] + 5  # book style: the next paragraph indented
    assert abs(starts["Media Contact"] - starts["The restoration"]) < 0.5
    assert abs(starts["Sam Okafor"] - starts["The restoration"]) < 0.5
