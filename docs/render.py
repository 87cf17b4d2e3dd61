"""Render one page of each edition of samples/every-block.md as a PNG for the README.

    .venv/bin/python docs/render.py          # or: make docs
    ->
    docs/edition-pdf.png    page 1 of the PDF (WeasyPrint, styles/pdf.css), pdftoppm
    docs/edition-epub.png   the first text page of the EPUB as an e-reader shows it: its XHTML
                            laid out by WeasyPrint with the book's own epub.css on a 100 x 150 mm
                            screen, pdftoppm
    docs/edition-docx.png   page 1 of the DOCX as LibreOffice prints it (soffice --convert-to
                            pdf), pdftoppm

The editions are built with a fixed SOURCE_DATE_EPOCH, so rerunning on the same machine gives
the same pictures. The PNGs are reduced to a small palette to stay well under 150 KB each.
Needs poppler-utils (pdftoppm) and LibreOffice (.ci/system-deps --test installs them).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter.config import Config
from converter.pipeline import convert

SAMPLE = ROOT / "samples" / "every-block.md"
OUT = ROOT / "docs"
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
DPI = 72
COLOURS = 48  # palette size: text in grey levels plus the figure's and links' colours
# An e-reader screen (about 6 inches, 2:3) for the EPUB page; the reader's margins.
EREADER_CSS = "@page { size: 100mm 150mm; margin: 7mm 6mm; } html { font-size: 10pt; }"


def build_editions(folder: Path) -> dict[str, Path]:
    """Convert the sample into ``folder`` and return {format: path}."""
    config = Config(output_dir=folder, source_date_epoch=EPOCH, formats=("pdf", "epub", "docx"))
    result = convert(SAMPLE, config)
    if result.status != "ok":
        raise SystemExit(f"render: {SAMPLE.name}: {result.error}")
    for warning in result.warnings:
        print(f"render: warning: {warning['message']}", file=sys.stderr)
    return {e.format: e.path for e in result.editions}


def page_png(pdf: Path, page: int, target: Path, dpi: int = DPI) -> None:
    """Render one page of ``pdf`` to ``target`` and shrink it to a palette PNG."""
    from PIL import Image

    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    with Image.open(target) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
        small.save(target, optimize=True)


def epub_page_pdf(epub: Path, folder: Path) -> Path:
    """Lay out the EPUB's first text file as a reading system would and return a PDF."""
    from weasyprint import CSS, HTML

    unpacked = folder / "epub"
    with zipfile.ZipFile(epub) as z:
        z.extractall(unpacked)
    text = min((unpacked / "EPUB").glob("text-*.xhtml"))
    target = folder / "epub-page.pdf"
    # Presentational hints: reading systems honour <ol start>, as browsers do.
    HTML(filename=str(text)).write_pdf(
        str(target), stylesheets=[CSS(string=EREADER_CSS)], presentational_hints=True
    )
    return target


def docx_pdf(docx: Path, folder: Path) -> Path:
    """Print the DOCX with LibreOffice and return the PDF."""
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(docx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return folder / "lo" / f"{docx.stem}.pdf"


def main(argv: list[str] | None = None) -> int:
    """Build the editions and write the three PNGs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=OUT, help="folder for the PNGs")
    args = parser.parse_args(argv)
    missing = [tool for tool in ("pdftoppm", "soffice") if shutil.which(tool) is None]
    if missing:
        print(f"render: missing {', '.join(missing)} (run .ci/system-deps --test)", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="converter-docs-") as tmp:
        folder = Path(tmp)
        editions = build_editions(folder / "build")
        pages = {
            "pdf": (editions["pdf"], 1),
            "epub": (epub_page_pdf(editions["epub"], folder), 1),
            "docx": (docx_pdf(editions["docx"], folder), 1),
        }
        for fmt, (pdf, page) in pages.items():
            target = args.output / f"edition-{fmt}.png"
            page_png(pdf, page, target, dpi=DPI if fmt != "epub" else 110)
            print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
