"""The benchmark's generated articles: deterministic, about the asked length, in each shape,
and what the converter reads them as (a title, sections, a list)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from articles import BUILTIN_TEXT, make_article  # noqa: E402

from converter.config import Config  # noqa: E402
from converter.pipeline import prepare  # noqa: E402


@pytest.mark.parametrize("kind", ["txt", "md", "html"])
def test_same_arguments_same_article(kind):
    assert make_article(kind, 1500, 4, BUILTIN_TEXT) == make_article(kind, 1500, 4, BUILTIN_TEXT)
    assert make_article(kind, 1500, 4, BUILTIN_TEXT) != make_article(kind, 1500, 5, BUILTIN_TEXT)


@pytest.mark.parametrize("words", [700, 5000, 20000])
def test_length_is_about_what_was_asked(words):
    text = make_article("txt", words, 1, BUILTIN_TEXT)
    assert words <= len(text.split()) <= words * 1.1 + 150


@pytest.mark.parametrize("kind", ["txt", "md", "html"])
def test_the_converter_finds_title_sections_and_lists(kind, tmp_path):
    source = tmp_path / f"a.{kind}"
    source.write_text(make_article(kind, 3000, 2, BUILTIN_TEXT), encoding="utf-8")
    doc = prepare(source, Config())
    assert doc.meta.title and doc.meta.title != "a"
    assert len(doc.body.findall(".//h2")) >= 3
    assert doc.body.findall(".//li")
    assert len(" ".join(doc.body.itertext()).split()) > 2500
