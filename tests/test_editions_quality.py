"""Publishing-grade editions: every sample, through the CLI, checked the way a publisher would.

- A second build with the same SOURCE_DATE_EPOCH (in another process) is byte-identical in
  all three formats; another epoch changes the bytes (so the comparison can fail).
- Every PDF font is embedded (pdffonts); nothing runs past the text block (pdftotext -bbox);
  Greek, Cyrillic, Arabic, Hebrew and CJK come out in the fonts the stylesheet names; a
  character no font has is reported, naming its script; right-to-left paragraphs run and
  align right to left in all three editions.
- --pdf-variant pdf/ua-1 and pdf/a-3b declare and carry what those profiles require.
- EPUB: --cover, --split/--no-split, the title the only h1, every heading in the TOC.
- DOCX: LibreOffice opens every one and the text survives; column alignment, image width,
  footnotes; styles/reference.docx is what its script generates.

Tools that come from Debian (pdffonts, pdftotext, soffice, java) are installed by
`.ci/system-deps --test`; without them the tests that need them skip.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from editions import epub_structure
from epubcheck_util import run_epubcheck
from lxml import etree
from lxml import html as lxml_html

from converter.cli import main
from converter.config import Config
from converter.pipeline import convert
from converter.writers import scripts

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".md", ".html"))
EXPECTED = ROOT / "tests" / "fixtures" / "documents"
EVERY = ROOT / "samples" / "every-block.md"
FORMATS = ("pdf", "epub", "docx")
EPOCH = 1767225600  # 2026-01-01T00:00:00Z

XHTML = "{http://www.w3.org/1999/xhtml}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
MM = 72 / 25.4  # PDF points per millimetre
A4_WIDTH = 595.28
SIDE_MARGIN = 28 * MM  # styles/pdf.css: @page { margin: 24mm 28mm 26mm }


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (.ci/system-deps --test installs it)")
    return path


def expected(sample: Path) -> dict:
    return json.loads((EXPECTED / f"{sample.stem}.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Drop white space, hyphens and the bidi controls (U+202B...) pdftotext adds."""
    return re.sub(r"[\s\-\u00ad‐\u200b-\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def survives(text: str, body: str) -> bool:
    """``text`` is in the extracted ``body``; right-to-left text word by word (a PDF holds
    right-to-left runs in visual order, and punctuation moves to their visual end)."""
    if not rtl(text):
        return squash(text) in body
    words = (
        "".join(c for c in w if not unicodedata.category(c).startswith("P")) for w in text.split()
    )
    # LibreOffice's PDF gives the lam-alef ligature back as alef-lam (its visual order).
    return all(squash(w) in body or squash(LAM_ALEF.sub(r"\2\1", w)) in body for w in words)


LAM_ALEF = re.compile("(\u0644)([\u0622\u0623\u0625\u0627])")


def cli_build(out: Path, *extra: str, inputs=SAMPLES, epoch: int = EPOCH) -> Path:
    """Convert in this process through main(), with SOURCE_DATE_EPOCH set."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(epoch))
        code = main(["convert", *map(str, inputs), "-o", str(out), "--force", "-q", *extra])
    assert code == 0
    return out


def subprocess_build(out: Path, *extra: str, inputs=SAMPLES, epoch: int = EPOCH) -> Path:
    """Convert in a fresh interpreter (no caches, other worker processes)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    done = subprocess.run(
        [sys.executable, "-m", "converter", "convert", *map(str, inputs), "-o", str(out),
         "--force", "-q", *extra],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    first = cli_build(tmp_path_factory.mktemp("first"))
    second = subprocess_build(tmp_path_factory.mktemp("second"))
    return first, second


def edition(folder: Path, sample: Path, fmt: str) -> Path:
    return folder / f"{sample.stem}.{fmt}"


# -- reproducible builds ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_second_build_is_byte_identical(builds, sample, fmt):
    first, second = (edition(folder, sample, fmt).read_bytes() for folder in builds)
    assert first == second


def test_another_epoch_changes_every_format(builds, tmp_path):
    """The identity above is not an accident of missing dates: they are in the files."""
    later = cli_build(tmp_path, inputs=[EVERY], epoch=EPOCH + 86400)
    for fmt in FORMATS:
        assert (
            edition(later, EVERY, fmt).read_bytes() != edition(builds[0], EVERY, fmt).read_bytes()
        )
    with zipfile.ZipFile(edition(later, EVERY, "epub")) as z:
        opf = z.read("EPUB/content.opf").decode()
    assert "2026-01-02T00:00:00Z" in opf


# -- PDF: fonts, scripts, layout ------------------------------------------------------------------


def pdffonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the PDF."""
    done = subprocess.run([need("pdffonts"), str(path)], capture_output=True, text=True, check=True)
    rows = done.stdout.splitlines()[2:]  # a header line and a rule
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows if row.strip()]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_pdf_font_is_embedded(builds, sample):
    fonts = pdffonts(edition(builds[0], sample, "pdf"))
    assert fonts
    assert [name for name, embedded in fonts if not embedded] == []


def test_every_script_is_set_in_the_font_the_stylesheet_names(builds):
    names = " ".join(name for name, _ in pdffonts(edition(builds[0], EVERY, "pdf")))
    for family in ("DejaVu-Serif", "Amiri", "Frank-Ruehl-CLM", "WenQuanYi-Micro-Hei"):
        assert family in names


def test_every_block_needs_no_missing_glyph_warning(tmp_path):
    result = convert(EVERY, Config(output_dir=tmp_path, formats=("pdf",)))
    assert result.status == "ok"
    assert [w for w in result.warnings if w["code"] == "pdf.missing-glyphs"] == []


# Scripts the project installs no font for (one is enough for the test).
RARE_SCRIPTS = ("𞤀𞤁𞤂𞤃", "ᱚᱛᱜᱝ", "𑀅𑀆𑀇𑀈", "𐴀𐴁𐴂𐴃", "𖼀𖼁𖼂𖼃")


def test_a_character_no_font_has_is_reported_with_its_script(tmp_path):
    text = next((t for t in RARE_SCRIPTS if scripts.missing_glyphs(t)), None)
    if text is None:
        pytest.skip("every candidate script has a font on this machine")
    script = next(iter(scripts.missing_glyphs(text)))
    source = tmp_path / "rare.md"
    source.write_text(f"# Rare\n\nSome words, then {text} and more words.\n", encoding="utf-8")
    result = convert(source, Config(output_dir=tmp_path / "out", formats=("pdf",)))
    assert result.status == "ok"
    warnings = [w for w in result.warnings if w["code"] == "pdf.missing-glyphs"]
    assert len(warnings) == 1
    assert script in warnings[0]["message"] and text[0] in warnings[0]["message"]


def test_missing_glyphs_are_grouped_by_script(monkeypatch):
    # Coverage as if only Basic Latin to Latin Extended-B were installed.
    monkeypatch.setattr(scripts, "_coverage", lambda: ([0x20], [0x24F]))
    found = scripts.missing_glyphs("Latin é, Greek λό, Han 书书, emoji 😀, joiner \u200d\ufe0f.")
    assert found == {"Greek": ["λ", "ό"], "Han": ["书"], "Emoticons": ["😀"]}
    assert scripts.missing_glyphs("Plain Latin, naïve café.") == {}


def bboxes(path: Path, page: int | None = None) -> list[tuple[float, float, float, float, str]]:
    """Every word of the PDF as (xMin, yMin, xMax, yMax, text), from pdftotext -bbox."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    done = subprocess.run([need("pdftotext"), "-bbox", *pages, str(path), "-"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
        done.stdout,
    )
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in words]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_nothing_runs_past_the_text_block(builds, sample):
    """Long URLs, code lines and table cells wrap inside the margins."""
    words = bboxes(edition(builds[0], sample, "pdf"))
    assert words
    outside = [w for w in words if w[0] < SIDE_MARGIN - 1 or w[2] > A4_WIDTH - SIDE_MARGIN + 1]
    assert outside == []


def test_long_url_breaks_before_punctuation(builds):
    """Chicago style: after a slash or before punctuation, never inside a word."""
    url = expected(EVERY)["paragraphs"][-1].split("for example ")[1].rstrip(".")
    lines = subprocess.run([need("pdftotext"), str(edition(builds[0], EVERY, "pdf")), "-"],
                           capture_output=True, text=True, check=True).stdout.splitlines()  # fmt: skip
    start = next(i for i, line in enumerate(lines) if "https://www." in line)
    pieces = [lines[start][lines[start].index("https://") :]]
    while "".join(pieces) != url + "." and len(pieces) < 6:
        pieces.append(lines[start + len(pieces)])
    assert "".join(pieces) == url + "."
    assert len(pieces) >= 2
    for before, after in itertools.pairwise(pieces):
        assert before.endswith(("/", "-")) or after[0] in "._-#?=&%~,", (before, after)


def test_break_urls_adds_zero_width_breaks_only_to_addresses():
    page = lxml_html.fromstring(
        '<div><p><a href="https://a.org/b_c-d?e=f">https://a.org/b_c-d?e=f</a> and '
        '<a href="https://a.org/x">a named link</a></p></div>'
    )
    scripts.mark_urls(page)
    assert scripts.break_urls(page) == 5  # before . _ - ? =
    url, named = page.iter("a")
    assert "".join(url.itertext()) == "https://a.org/b_c-d?e=f"
    assert [c.tag for c in url] == ["wbr"] * 5
    assert named.get("class") is None and len(named) == 0


# -- direction ------------------------------------------------------------------------------------


def dirs(markup: str) -> list[tuple[str, str | None]]:
    page = lxml_html.fromstring(markup)
    scripts.mark_directions(page)
    return [(el.tag, el.get("dir")) for el in page.iter("p", "li", "pre", "td")]


def test_paragraph_direction_follows_its_first_strong_character():
    assert dirs(
        "<html><body><p>English</p><p>עברית נכתבת</p><p>2026 نص عربي</p>"
        "<p>English with שלום inside</p><p><code>x = 1</code> עברית</p>"
        "<pre>עברית</pre><ul><li>פריט</li></ul><table><tr><td>ספר</td></tr></table></body></html>"
    ) == [("p", None), ("p", "rtl"), ("p", "rtl"), ("p", None), ("p", "rtl"), ("pre", None),
          ("li", "rtl"), ("td", "rtl")]  # fmt: skip
    assert dirs('<html dir="rtl"><body><p>English text</p><p>עברית</p></body></html>') == [
        ("p", "ltr"), ("p", None),
    ]  # fmt: skip


def every_block_rtl_paragraphs() -> list[str]:
    return [p for p in expected(EVERY)["paragraphs"] if rtl(p[:3])]


def test_rtl_paragraphs_in_the_epub(builds):
    with zipfile.ZipFile(edition(builds[0], EVERY, "epub")) as z:
        root = etree.fromstring(z.read("EPUB/text-01.xhtml"))
    by_dir = {" ".join("".join(p.itertext()).split()): p.get("dir") for p in root.iter(f"{XHTML}p")}
    targets = every_block_rtl_paragraphs()
    assert len(targets) == 2
    for text in targets:
        assert by_dir[text] == "rtl"
    mixed = next(t for t in by_dir if t.startswith("A paragraph that starts in English"))
    assert by_dir[mixed] is None


def test_rtl_paragraphs_in_the_docx(builds):
    with zipfile.ZipFile(edition(builds[0], EVERY, "docx")) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    bidi = [
        "".join(t.text or "" for t in p.iter(f"{W}t"))
        for p in root.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}bidi") is not None
    ]
    assert bidi == every_block_rtl_paragraphs()
    styles = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in root.iter(f"{W}p")
              if p.find(f"{W}pPr/{W}bidi") is not None}  # fmt: skip
    assert styles == {"BodyText"}  # the body style survives pandoc's rtl output


def test_rtl_paragraphs_align_right_in_the_pdf(builds):
    words = bboxes(edition(builds[0], EVERY, "pdf"), page=1)
    right = A4_WIDTH - SIDE_MARGIN
    hebrew = [w for w in words if "\u0590" <= w[4][:1] <= "\u05ff"]
    rows: dict[int, list] = {}
    for word in hebrew:
        rows.setdefault(round(word[1]), []).append(word)
    line = max(rows.values(), key=len)  # the Hebrew paragraph (one line), not a quoted word
    assert len(line) >= 5
    assert max(w[2] for w in line) == pytest.approx(right, abs=2)  # flush right
    assert min(w[0] for w in line) > SIDE_MARGIN + 60 * MM  # and short: ragged on the left


# -- PDF variants -----------------------------------------------------------------------------------


def catalog_and_xmp(path: Path) -> tuple[dict, str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    return root, root["/Metadata"].get_object().get_data().decode("utf-8")


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for variant in ("pdf/ua-1", "pdf/a-3b"):
        folder = tmp_path_factory.mktemp(variant.replace("/", "-"))
        cli_build(folder, "--to", "pdf", "--pdf-variant", variant, inputs=[EVERY])
        out[variant] = edition(folder, EVERY, "pdf")
    return out


def test_pdf_ua_1_is_tagged_and_declared(variants):
    root, xmp = catalog_and_xmp(variants["pdf/ua-1"])
    assert 'pdfuaid:part="1"' in xmp
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert "<dc:title>" in xmp and "Setting Type for Many Scripts" in xmp
    assert all(embedded for _, embedded in pdffonts(variants["pdf/ua-1"]))


def test_pdf_a_3b_is_declared_with_an_output_intent(variants):
    path = variants["pdf/a-3b"]
    root, xmp = catalog_and_xmp(path)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert path.read_bytes().startswith(b"%PDF-1.7")
    assert all(embedded for _, embedded in pdffonts(path))


def test_plain_pdf_declares_no_profile(builds):
    from pypdf import PdfReader

    root = PdfReader(str(edition(builds[0], EVERY, "pdf"))).trailer["/Root"]
    assert "/OutputIntents" not in root
    if "/Metadata" in root:
        xmp = root["/Metadata"].get_object().get_data()
        assert b"pdfaid" not in xmp and b"pdfuaid" not in xmp


def test_pdf_variant_builds_are_reproducible(variants, tmp_path):
    again = cli_build(tmp_path, "--to", "pdf", "--pdf-variant", "pdf/a-3b", inputs=[EVERY])
    assert edition(again, EVERY, "pdf").read_bytes() == variants["pdf/a-3b"].read_bytes()


def test_pdf_variant_from_the_project_file(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "converter.toml").write_text('pdf-variant = "pdf/ua-1"\nformats = ["pdf"]\n')
    shutil.copy(EVERY, folder)
    shutil.copytree(EVERY.parent / "images", folder / "images")
    assert main(["convert", str(folder / EVERY.name), "-o", str(folder / "out"), "-q"]) == 0
    _, xmp = catalog_and_xmp(folder / "out" / "every-block.pdf")
    assert 'pdfuaid:part="1"' in xmp


def test_unknown_pdf_variant_is_a_usage_error(tmp_path, capsys):
    assert main(["convert", str(EVERY), "-o", str(tmp_path), "--pdf-variant", "pdf/z-9"]) == 2
    assert "--pdf-variant" in capsys.readouterr().err


# -- EPUB: cover, split, headings ----------------------------------------------------------------


def opf(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


def spine_documents(path: Path) -> list[etree._Element]:
    package = opf(path)
    items = {i.get("id"): i.get("href") for i in package.iterfind(".//opf:item", NS)}
    with zipfile.ZipFile(path) as z:
        return [
            etree.fromstring(z.read("EPUB/" + items[ref.get("idref")]))
            for ref in package.iterfind(".//opf:itemref", NS)
        ]


def nav_entries(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    return [" ".join("".join(a.itertext()).split()) for a in toc.iter(f"{XHTML}a")]


@pytest.fixture(scope="module")
def split_book(tmp_path_factory) -> Path:
    folder = cli_build(tmp_path_factory.mktemp("split"), "--to", "epub", "--split", "--cover",
                       str(EVERY.parent / "images" / "scripts.png"), inputs=[EVERY])  # fmt: skip
    return edition(folder, EVERY, "epub")


def test_cover_image_from_the_command_line(split_book):
    package = opf(split_book)
    cover = package.find(".//opf:item[@properties='cover-image']", NS)
    assert cover.get("media-type") == "image/png"
    with zipfile.ZipFile(split_book) as z:
        data = z.read("EPUB/" + cover.get("href"))
    assert data == (EVERY.parent / "images" / "scripts.png").read_bytes()


def test_split_gives_one_file_per_top_level_section(split_book, builds):
    exp = expected(EVERY)
    sections = [text for level, text in exp["headings"] if level == 2]
    with zipfile.ZipFile(split_book) as z:
        texts = sorted(n for n in z.namelist() if re.fullmatch(r"EPUB/text-\d+\.xhtml", n))
        firsts = []
        for name in texts:
            body = etree.fromstring(z.read(name)).find(f"{XHTML}body")
            h2 = body.find(f".//{XHTML}h2")
            firsts.append(" ".join("".join(h2.itertext()).split()) if h2 is not None else None)
    assert firsts == [None, *sections]  # the opening paragraph, then one file per section
    with zipfile.ZipFile(edition(builds[0], EVERY, "epub")) as z:  # short: one file by default
        assert [n for n in z.namelist() if re.fullmatch(r"EPUB/text-\d+\.xhtml", n)] == [
            "EPUB/text-01.xhtml"
        ]
    # Splitting keeps the same structure.
    assert (
        epub_structure(split_book).headings
        == epub_structure(edition(builds[0], EVERY, "epub")).headings
    )


def test_no_split_keeps_one_file(tmp_path):
    long_text = "\n\n".join(
        f"## Part {n}\n\n" + " ".join(["word"] * 400) for n in range(1, 11)
    )  # 4,000 words: split by default
    source = tmp_path / "long.md"
    source.write_text("# Long\n\n" + long_text + "\n", encoding="utf-8")
    default = cli_build(tmp_path / "auto", "--to", "epub", inputs=[source])
    forced = cli_build(tmp_path / "one", "--to", "epub", "--no-split", inputs=[source])

    def count(path: Path) -> int:
        with zipfile.ZipFile(path) as z:
            return sum(bool(re.fullmatch(r"EPUB/text-\d+\.xhtml", n)) for n in z.namelist())

    assert count(default / "long.epub") == 10
    assert count(forced / "long.epub") == 1


def test_split_book_with_cover_passes_epubcheck(split_book):
    assert [m.short for m in run_epubcheck(split_book)] == []


@pytest.mark.parametrize("book", ["default", "split"])
def test_title_is_the_only_h1_and_every_heading_is_in_the_toc(book, builds, split_book):
    path = split_book if book == "split" else edition(builds[0], EVERY, "epub")
    exp = expected(EVERY)
    h1s = [" ".join("".join(h.itertext()).split())
           for doc in spine_documents(path) for h in doc.iter(f"{XHTML}h1")]  # fmt: skip
    assert h1s == [exp["title"]]
    assert nav_entries(path) == [exp["title"], *(text for _, text in exp["headings"])]
    package = opf(path)
    marks = package.find(".//opf:meta[@property='dcterms:modified']", NS)
    assert marks.text == "2026-01-01T00:00:00Z"
    assert package.find(".//dc:identifier", NS).text.startswith("urn:uuid:")


@pytest.mark.parametrize("args", [["--cover", "missing.png"], ["--cover", str(EVERY)]])
def test_bad_cover_is_a_one_line_usage_error(args, tmp_path, capsys):
    assert main(["convert", str(EVERY), "-o", str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("converter: error: --cover ")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# -- DOCX ----------------------------------------------------------------------------------------


def docx_xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def test_docx_table_keeps_column_alignment(builds):
    root = docx_xml(edition(builds[0], EVERY, "docx"), "word/document.xml")
    table = root.find(f".//{W}tbl")
    header = table.find(f"{W}tr")
    aligns = [cell.find(f".//{W}jc").get(f"{W}val") for cell in header.iter(f"{W}tc")]
    assert aligns == ["left", "center", "left", "right"]  # |:--|:-:|:--|--:|


def test_docx_image_fits_the_text_width(builds):
    root = docx_xml(edition(builds[0], EVERY, "docx"), "word/document.xml")
    section = root.find(f".//{W}sectPr")
    page = int(section.find(f"{W}pgSz").get(f"{W}w"))
    margins = section.find(f"{W}pgMar")
    text_width = (page - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))) * 635
    extents = [int(e.get("cx")) for e in root.iter(f"{WP}extent")]
    assert extents and all(0 < cx <= text_width for cx in extents)


def test_docx_footnote_and_core_properties(builds):
    path = edition(builds[0], EVERY, "docx")
    notes = docx_xml(path, "word/footnotes.xml")
    texts = ["".join(t.text or "" for t in n.iter(f"{W}t")) for n in notes.iter(f"{W}footnote")]
    assert any("tofu" in t for t in texts)
    core = docx_xml(path, "docProps/core.xml")
    values = {etree.QName(el).localname: el.text for el in core}
    assert values["title"] == "Setting Type for Many Scripts"
    assert values["creator"] == "Mariam Haddad"
    assert values["language"] == "en"
    # The article's date (2026-03-14) is after the build: created is never after it.
    assert values["created"] == "2026-01-01T00:00:00Z"
    assert values["modified"] == "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def libreoffice_pdfs(builds, tmp_path_factory) -> Path:
    soffice = need("soffice")
    out = tmp_path_factory.mktemp("libreoffice")
    docs = [str(edition(builds[0], s, "docx")) for s in SAMPLES]
    subprocess.run(
        [soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out), *docs],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_libreoffice_opens_every_docx(libreoffice_pdfs, sample):
    printed = libreoffice_pdfs / f"{sample.stem}.pdf"
    assert printed.exists(), f"LibreOffice could not open {sample.stem}.docx"
    # poppler orders text by position; pypdf follows LibreOffice's drawing order, which puts
    # runs in other fonts (Greek, Cyrillic) after the line they sit in.
    text = subprocess.run([need("pdftotext"), str(printed), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    body = squash(text).casefold()  # the author line is in small capitals
    exp = expected(sample)
    for block in [exp["title"], *(t for _, t in exp["headings"]), *exp["paragraphs"],
                  *(i for lst in exp["lists"] for i in lst["items"])]:  # fmt: skip
        assert survives(block.casefold(), body), block[:60]


# -- reference.docx -------------------------------------------------------------------------------


def test_reference_docx_is_what_its_script_generates():
    """`make reference-docx` would change nothing: styles, numbering, page setup, footer."""
    import pypandoc

    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", ROOT / "styles" / "make_reference_docx.py"
    )
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    fresh = zipfile.ZipFile(io.BytesIO(maker.build(pypandoc.get_pandoc_path())))
    checked_in = zipfile.ZipFile(ROOT / "styles" / "reference.docx")
    assert sorted(fresh.namelist()) == sorted(checked_in.namelist())
    for part in ("word/styles.xml", "word/numbering.xml", "word/settings.xml",
                 "word/theme/theme1.xml", "word/document.xml"):  # fmt: skip
        if part in checked_in.namelist():
            assert fresh.read(part) == checked_in.read(part), part
    footers = [n for n in checked_in.namelist() if n.startswith("word/footer")]
    assert footers and all(fresh.read(n) == checked_in.read(n) for n in footers)
    assert any(b"PAGE" in checked_in.read(n) for n in footers)  # page numbers in the footer
