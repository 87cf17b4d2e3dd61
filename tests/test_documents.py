"""Whole documents through reader + normaliser, scored against hand-written expected structures.

tests/fixtures/documents/<stem>.json labels samples/<stem>.* and must match exactly;
tests/fixtures/documents/labelled/<name>.json labels <name>.txt|.md|.html beside it and must
score well (benchmarks/structure.py holds the extraction and the scoring, and prints pandoc's
and calibre's numbers on the same set).
"""

from __future__ import annotations

import functools
import importlib.util
import statistics
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("structure_benchmark", ROOT / "benchmarks" / "structure.py")
structure = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = structure
_spec.loader.exec_module(structure)

DOCUMENTS = structure.labelled_documents()
LABELLED = [d for d in DOCUMENTS if d[0].startswith("labelled/")]
SAMPLES = [d for d in DOCUMENTS if d[0].startswith("samples/")]

MIN_ARTICLE_SCORE = 0.9
MIN_RECALL = 0.99
MIN_MEAN_SCORE = 0.97


@functools.cache
def _result(name: str) -> tuple[dict, dict]:
    _, path, expected = next(d for d in DOCUMENTS if d[0] == name)
    found = structure.run_ours(path)
    return found, structure.score_article(expected, found)


def test_labelled_set_covers_every_input_kind():
    suffixes = [Path(name).suffix for name, _, _ in LABELLED]
    assert len(LABELLED) >= 20
    assert {".txt", ".md", ".html"} <= set(suffixes)
    languages = {expected["language"] for _, _, expected in LABELLED}
    assert {"en", "fr", "de", "es"} <= languages


@pytest.mark.parametrize("name", [d[0] for d in DOCUMENTS])
def test_article_scores(name):
    found, scores = _result(name)
    expected = next(d[2] for d in DOCUMENTS if d[0] == name)
    detail = "\n".join(structure.structure_differences(expected, found))
    assert scores["recall"] >= MIN_RECALL, f"article words lost:\n{detail}"
    assert scores["score"] >= MIN_ARTICLE_SCORE, f"{scores}\n{detail}"


def test_mean_score():
    scores = {name: _result(name)[1]["score"] for name, _, _ in DOCUMENTS}
    mean = statistics.fmean(scores.values())
    assert mean >= MIN_MEAN_SCORE, sorted(scores.items(), key=lambda kv: kv[1])[:5]


@pytest.mark.parametrize("name", [d[0] for d in SAMPLES])
def test_sample_structure_is_exact(name):
    found, _ = _result(name)
    expected = next(d[2] for d in SAMPLES if d[0] == name)
    assert structure.structure_differences(expected, found) == []


@pytest.mark.parametrize("name", [d[0] for d in DOCUMENTS])
def test_normalising_twice_changes_nothing(name):
    from converter.config import Config
    from converter.normalise import normalise
    from converter.pipeline import prepare

    path = next(d[1] for d in DOCUMENTS if d[0] == name)
    doc = prepare(path, Config())
    once, changes = doc.body_html(), len(doc.changes)
    normalise(doc)
    assert doc.body_html() == once
    assert doc.changes[changes:] == []


# --- the scorer itself must be able to fail ------------------------------------------------------

FRAGMENT = """<h2>Why</h2><p>First <em>para</em>graph.<a class="footnote-ref" href="#fn1"><sup>1</sup></a></p>
<ul><li>one<ul><li>one a</li></ul></li><li>two</li></ul><ol start="3"><li>three</li></ol>
<blockquote><p>Quoted.</p></blockquote><pre>  x = 1
</pre><table><tr><th>a</th><td>b</td></tr></table>
<section class="footnotes"><ol><li><p>Note. <a class="footnote-back" href="#r">↩︎</a></p></li></ol></section>"""


def test_structure_from_html_reads_every_kind_of_block():
    found = structure.structure_from_html(f"<div>{FRAGMENT}</div>", title="T")
    assert found["headings"] == [[2, "Why"]]
    assert found["paragraphs"] == ["First paragraph.", "Quoted."]
    assert found["lists"] == [
        {"ordered": False, "start": 1, "items": ["one", "two"]},
        {"ordered": False, "start": 1, "items": ["one a"]},
        {"ordered": True, "start": 3, "items": ["three"]},
    ]
    assert found["code"] == ["  x = 1"]
    assert found["tables"] == [[["a", "b"]]]
    assert found["quotes"] == ["Quoted."]
    assert found["footnotes"] == ["Note."]


def test_score_drops_for_a_flattened_article():
    name, path, expected = next(d for d in LABELLED if d[2]["headings"] and d[2]["lists"])
    flat = {"title": None, "author": None, "date": None, "language": None, "headings": [],
            "lists": [], "paragraphs": [Path(path).read_text(encoding="utf-8")],
            "code": [], "tables": [], "quotes": [], "footnotes": []}
    scores = structure.score_article(expected, flat)
    assert scores["score"] < 0.5
    assert scores["headings"] == scores["list_items"] == scores["title"] == 0.0
    assert structure.structure_differences(expected, flat)


# --- real pages: ../shared/corpus (skipped when absent) --------------------------------------------

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_real_pages_normalise_without_error_and_idempotently():
    from converter.config import Config
    from converter.errors import ConverterError
    from converter.normalise import normalise
    from converter.pipeline import prepare

    pages = sorted(CORPUS.glob("readability/*/source.html")) + sorted(CORPUS.glob("cleaneval-sample/*/input/*.html"))
    assert pages
    unstable = []
    for page in pages:
        try:
            doc = prepare(page, Config())
        except ConverterError:
            continue  # a page with no text is refused with a one-line error, as it should be
        once = doc.body_html()
        normalise(doc)
        if doc.body_html() != once:
            unstable.append(page.relative_to(CORPUS).as_posix())
    assert unstable == []
