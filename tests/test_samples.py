"""The samples end to end: every edition of every sample carries the expected structure.

Expected structures live in tests/fixtures/documents/<sample stem>.json (written by hand from
the sources: what a careful editor makes of each article). These tests always run: they need
nothing outside the repository.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from converter.cli import main
from converter.normalise import normalise
from converter.readers import read_document

from editions import docx_structure, epub_structure, norm, pdf_structure
from epubcheck_util import run_epubcheck

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".md", ".html"))
EXPECTED = ROOT / "tests" / "fixtures" / "documents"
FORMATS = ("pdf", "epub", "docx")


def expected(sample: Path) -> dict:
    return json.loads((EXPECTED / f"{sample.stem}.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Drop white space and hyphens: PDF extraction breaks lines and hyphenates words."""
    return re.sub(r"[\s\-\u00ad‐]", "", text)


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def items_of(exp: dict) -> list[str]:
    return [item for lst in exp["lists"] for item in lst["items"]]


def lists_of(exp: dict) -> list[tuple[bool, int, list[str]]]:
    """Every list, outer before nested, as (ordered, start, items): Structure.lists' form."""
    return [(lst["ordered"], lst.get("start", 1), lst["items"]) for lst in exp["lists"]]


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("samples")
    assert main(["convert", *map(str, SAMPLES), "-o", str(out)]) == 0
    return {s.stem: {fmt: out / f"{s.stem}.{fmt}" for fmt in FORMATS} for s in SAMPLES}


def test_there_are_samples_for_each_kind_of_damage():
    kinds = {p.suffix for p in SAMPLES}
    assert kinds == {".txt", ".md", ".html"} and len(SAMPLES) >= 4
    for sample in SAMPLES:
        assert (EXPECTED / f"{sample.stem}.json").exists(), sample.name


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_epub_structure(sample, editions):
    exp = expected(sample)
    s = epub_structure(editions[sample.stem]["epub"])
    assert s.title == exp["title"]
    assert s.headings == [tuple(h) for h in exp["headings"]]
    assert s.lists == lists_of(exp)
    assert s.paragraphs == exp["paragraphs"]
    assert s.meta["language"] == exp["language"]
    for gone in exp["gone"]:
        assert gone not in s.text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_docx_structure(sample, editions):
    exp = expected(sample)
    s = docx_structure(editions[sample.stem]["docx"])
    assert s.title == exp["title"]
    # The title takes Word's Title style, so sections (h2) are Heading 1.
    assert s.headings == [(level - 1, text) for level, text in exp["headings"]]
    # Real Word numbering: bullets vs numbers, start numbers and nesting as in the source.
    assert s.lists == lists_of(exp)
    for paragraph in exp["paragraphs"]:
        assert paragraph in s.paragraphs
    assert s.meta["title"] == exp["title"]
    assert s.meta["creator"] == (exp["author"] or "")
    for gone in exp["gone"]:
        assert gone not in s.text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_pdf_structure(sample, editions):
    exp = expected(sample)
    s = pdf_structure(editions[sample.stem]["pdf"])
    assert s.title == exp["title"]
    assert s.headings == [tuple(h) for h in exp["headings"]]
    body = squash(s.text)
    for text in [*items_of(exp), *exp["paragraphs"]]:
        if right_to_left(text):
            # A PDF draws right-to-left runs in visual order, and text extraction returns
            # them so: each word must be there (punctuation moves to the run's visual end),
            # the runs' order cannot be read back.
            for word in text.split():
                letters = "".join(c for c in word if not unicodedata.category(c).startswith("P"))
                assert squash(letters) in body, (word, text[:60])
        else:
            assert squash(text) in body, text[:60]
    for gone in exp["gone"]:
        assert norm(gone) not in s.text
    assert s.meta["title"] == exp["title"]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_epub_passes_epubcheck(sample, editions):
    messages = run_epubcheck(editions[sample.stem]["epub"])
    assert [m for m in messages if m.level in ("ERROR", "FATAL", "WARNING")] == []


def test_clean_markdown_comes_through_unchanged(editions):
    """Nothing to repair: no pass may touch the body, and code, table and footnote survive."""
    sample = ROOT / "samples" / "clean-markdown.md"
    before = read_document(sample)
    from lxml import etree

    # Markdown's soft line breaks are spaces: joining them is reading, not repairing.
    for br in list(before.body.iter("br")):
        if br.get("data-soft"):
            parent, prev = br.getparent(), br.getprevious()
            tail = " " + (br.tail or "")
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(br)
    doc = read_document(sample)
    normalise(doc)
    repairs = [c for c in doc.changes if c.rule.split(".")[0] not in ("metadata", "paragraphs")]
    assert repairs == []
    assert [c.rule for c in doc.changes if c.rule.startswith("paragraphs.")] == ["paragraphs.unwrap"] * 4
    assert _canonical(doc.body) == _canonical(before.body)

    source = sample.read_text(encoding="utf-8")
    code = source.split("```python\n", 1)[1].split("```", 1)[0]
    s = epub_structure(editions["clean-markdown"]["epub"])
    for line in code.splitlines():
        assert norm(line) in s.text
    for cell in ("Whitespace split", "38 %", "Code and images", "1.2 ×"):
        assert cell in s.text
    assert "Studies of silent reading put adults between 200 and 260 words" in s.text
    d = docx_structure(editions["clean-markdown"]["docx"])
    assert "def reading_minutes(text: str, wpm: int = 230) -> int:" in d.text
    assert "Studies of silent reading" in " ".join(
        p.text for p in _docx_footnotes(editions["clean-markdown"]["docx"])
    )


def _canonical(body) -> bytes:
    """Serialise without white space between blocks (insignificant outside <pre>)."""
    from lxml import etree

    body = etree.fromstring(etree.tostring(body))
    for el in body.iter():
        if el.tag != "pre" and not any(a.tag == "pre" for a in el.iterancestors()):
            if el.text is not None and not el.text.strip() and len(el):
                el.text = None
            if el.tail is not None and not el.tail.strip():
                el.tail = None
    return etree.tostring(body)


def _docx_footnotes(path: Path):
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/footnotes.xml"))
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    class P:
        def __init__(self, el):
            self.text = "".join(t.text or "" for t in el.iter(f"{W}t"))

    return [P(p) for p in root.iter(f"{W}p")]


def test_images_are_embedded(editions):
    import zipfile

    png = (ROOT / "samples" / "images" / "pipeline.png").read_bytes()
    with zipfile.ZipFile(editions["clean-markdown"]["epub"]) as z:
        assert any(z.read(n) == png for n in z.namelist() if "/images/" in n)
    with zipfile.ZipFile(editions["clean-markdown"]["docx"]) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
