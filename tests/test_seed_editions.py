"""The article that started the project, end to end: PDF, EPUB and DOCX all get it right.

Expected structure comes from ../shared/seed/README.md: title, five second-level headings,
one bullet list of two items, sixteen paragraphs word for word, no "0 Comments".
Skipped when ../shared is absent (the samples' own end-to-end tests always run).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from converter.cli import main

from editions import docx_structure, epub_structure, norm, pdf_structure
from epubcheck_util import run_epubcheck

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_cceb5354c87311f0.txt"
pytestmark = pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not present")

HEADINGS = [
    "A Predictable Retreat?",
    "What Did the Trump-Putin Call Achieve?",
    "Trump’s Reset Gamble",
    "European Concerns and Global Ramifications",
    "Final Thought: A Pyrrhic Victory?",
]


def _expected():
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    title = lines[0]
    dash_positions = [i for i, line in enumerate(lines) if line == "-"]
    items = [lines[i + 1] for i in dash_positions]
    paragraphs = [
        line for i, line in enumerate(lines[1:], start=1)
        if line not in HEADINGS and line != "-" and line not in items and line != "0 Comments"
    ]
    return title, items, paragraphs


def squash(text: str) -> str:
    """Drop white space and hyphens: PDF extraction breaks lines and hyphenates words."""
    return re.sub(r"[\s\-\u00ad‐]", "", text)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    assert main(["convert", str(SEED), "-o", str(out)]) == 0
    stem = SEED.stem
    return {fmt: out / f"{stem}.{fmt}" for fmt in ("pdf", "epub", "docx")}


def test_expectation_matches_the_readme():
    title, items, paragraphs = _expected()
    assert title.startswith("Trump’s Ukraine Pivot")
    assert len(items) == 2 and len(paragraphs) == 16


def test_epub(editions):
    title, items, paragraphs = _expected()
    s = epub_structure(editions["epub"])
    assert s.title == title
    assert s.headings == [(2, h) for h in HEADINGS]
    assert s.items == items and s.ordered == [False]
    assert s.paragraphs == paragraphs
    assert "0 Comments" not in s.text
    assert s.meta["title"] == title and s.meta["language"] == "en"


def test_epub_passes_epubcheck(editions):
    errors = [m for m in run_epubcheck(editions["epub"]) if m.level in ("ERROR", "FATAL")]
    assert errors == []


def test_docx(editions):
    title, items, paragraphs = _expected()
    s = docx_structure(editions["docx"])
    assert s.title == title
    assert s.headings == [(1, h) for h in HEADINGS]  # one level below the Title style
    assert s.items == items and s.ordered == [False]
    assert s.paragraphs == paragraphs
    assert "0 Comments" not in s.text
    assert s.meta["title"] == title and s.meta["language"].startswith("en")


def test_pdf(editions):
    title, items, paragraphs = _expected()
    s = pdf_structure(editions["pdf"])
    assert s.title == title
    assert s.headings == [(2, h) for h in HEADINGS]
    body = squash(s.text)
    for text in [*items, *paragraphs]:
        assert squash(text) in body, text[:60]
    assert "0Comments" not in body
    assert s.meta["title"] == title
    assert norm(s.meta.get("language", "")).startswith("en")
