"""`converter check`: EPUBCheck on EPUBs, structure checks on PDF and DOCX, exit codes 0/1/2."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from epubcheck_util import epubcheck_available
from test_batch import write_articles

from converter.check import check_docx, check_pdf
from converter.cli import main

needs_epubcheck = pytest.mark.skipif(not epubcheck_available(),
                                     reason="EPUBCheck needs the epubcheck package and Java")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Editions of two articles (PDF, EPUB, DOCX), made once for the module."""
    root = tmp_path_factory.mktemp("check")
    src = root / "in"
    write_articles(src)
    for name in ("library.html", "notes.txt"):
        (src / name).unlink()
    assert main(["convert", str(src), "-o", str(root / "build"), "-q", "-j", "2"]) == 0
    return root / "build"


def copy_of(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "build"
    target.mkdir()
    for path in built.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


@needs_epubcheck
def test_good_editions_pass(built, capsys):
    assert main(["check", str(built)]) == 0
    out, err = capsys.readouterr()
    assert sorted(line.split()[0] for line in out.splitlines()) == ["ok"] * 6
    assert err.strip().splitlines()[-1] == "converter: 6 valid, 0 invalid"


@needs_epubcheck
def test_broken_editions_fail_with_one_line_each(built, tmp_path, capsys):
    build = copy_of(built, tmp_path)
    pdf = build / "ferry.pdf"
    pdf.write_bytes(pdf.read_bytes()[: len(pdf.read_bytes()) // 3])
    docx = build / "ferry.docx"
    with zipfile.ZipFile(docx) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:-40]
    with zipfile.ZipFile(docx, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    epub = build / "sowing.epub"
    with zipfile.ZipFile(epub) as z:
        members = {n: z.read(n) for n in z.namelist()}
    opf = next(n for n in members if n.endswith(".opf"))
    members[opf] = members[opf].replace(b"<dc:title", b"<dc:titel", 1).replace(
        b"</dc:title>", b"</dc:titel>", 1)
    with zipfile.ZipFile(epub, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), members.pop("mimetype"))
        for name, data in members.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)

    assert main(["check", str(build)]) == 1
    out, err = capsys.readouterr()
    invalid = sorted(Path(line.split()[1]).name for line in out.splitlines()
                     if line.startswith("invalid"))
    assert invalid == ["ferry.docx", "ferry.pdf", "sowing.epub"]
    errors = [line for line in err.splitlines() if line.startswith("converter: error:")]
    assert any(f"{docx}: word/document.xml does not parse" in line for line in errors)
    assert any(line.startswith(f"converter: error: {pdf}: not a readable PDF")
               or f"{pdf}: PDF has" in line for line in errors)
    assert any(f"{epub}: EPUBCheck" in line for line in errors)
    assert err.strip().splitlines()[-1] == "converter: 3 valid, 3 invalid"


def test_pdf_and_docx_structure_checks(built, tmp_path):
    assert check_pdf(built / "ferry.pdf").ok and check_docx(built / "ferry.docx").ok
    blank = tmp_path / "blank.pdf"
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with blank.open("wb") as fh:
        writer.write(fh)
    assert check_pdf(blank).errors == ["PDF has 1 pages but no extractable text"]
    not_zip = tmp_path / "x.docx"
    not_zip.write_text("hello")
    assert check_docx(not_zip).errors[0].startswith("not a DOCX (ZIP) package")
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    assert check_docx(empty).errors == ["DOCX package has no word/document.xml"]


def test_usage_errors(tmp_path, capsys, monkeypatch, built):
    assert main(["check", str(tmp_path)]) == 2
    assert "no editions found" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "epubcheck", None)  # as if the extra were not installed
    assert main(["check", str(built)]) == 2
    err = capsys.readouterr().err
    assert "checking EPUB needs EPUBCheck: pip install 'converter[check]'" in err
    # PDF and DOCX alone do not need it
    assert main(["check", str(built / "ferry.pdf"), str(built / "ferry.docx")]) == 0
    # a missing file is an invalid result, not a crash
    assert main(["check", str(built / "ferry.pdf"), str(tmp_path / "gone.pdf")]) == 1
    assert f"{tmp_path / 'gone.pdf'}: no such file" in capsys.readouterr().err
