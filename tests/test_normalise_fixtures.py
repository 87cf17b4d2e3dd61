"""Every normaliser pass against its fixture file; every case also checked for idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.normalise import normalise, pass_names
from converter.readers import read_string

from fixture_format import read_cases, render

FIXTURES = Path(__file__).parent / "fixtures" / "normalise"


def _cases():
    for path in sorted(FIXTURES.glob("*.txt")):
        for case in read_cases(path):
            yield pytest.param(path.stem, case, id=f"{path.stem}:{case.line}:{case.title[:40]}")


CASES = list(_cases())


def test_every_pass_has_a_fixture_file():
    missing = [n for n in pass_names() if not (FIXTURES / f"{n}.txt").exists()]
    assert not missing, f"passes without fixtures: {missing}"


@pytest.mark.parametrize(("pass_name", "case"), CASES)
def test_pass_fixture(pass_name, case):
    doc = read_string(case.source, case.kind)
    normalise(doc, until=pass_name)
    fields = ("title", "subtitle", "author", "date") + (("language",) if pass_name == "metadata.language" else ())
    assert render(doc, fields) == case.expected


@pytest.mark.parametrize(("pass_name", "case"), CASES)
def test_whole_chain_is_idempotent(pass_name, case):
    doc = read_string(case.source, case.kind)
    normalise(doc)
    once = render(doc)
    changes = len(doc.changes)
    normalise(doc)
    assert render(doc) == once
    assert doc.changes[changes:] == [], "a second run changed the document again"
