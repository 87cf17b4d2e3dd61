"""The change report: every repair names its pass, rule, place and text before and after;
optional passes run only when enabled."""

from __future__ import annotations

import json
from pathlib import Path

from converter.cli import main
from converter.normalise import OPTIONAL_PASSES, normalise, pass_names
from converter.readers import read_string

LABELLED = Path(__file__).parent / "fixtures" / "documents" / "labelled"


def _report(source: Path, tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "changes.json"
    assert main(["normalise", str(source), "-o", str(tmp_path / "out.html"), "--report", str(out),
                 *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_change_names_its_pass_rule_place_and_text(tmp_path):
    report = _report(LABELLED / "garden-mistakes.txt", tmp_path)
    changes = report["changes"]
    assert changes
    for change in changes:
        assert set(change) == {"pass", "rule", "where", "before", "after"}
        assert change["pass"] in pass_names() or change["pass"] == "read"
    by_rule = {c["rule"]: c for c in changes}
    marker = by_rule["lists.detached-marker"]
    assert marker["pass"] == "lists.markers" and marker["where"] == "line 16"
    assert "<ul>" in marker["after"]
    removed = [c for c in changes if c["rule"] == "boilerplate.block"]
    assert {c["before"] for c in removed} >= {"<p>Advertisement</p>", "<p>3 Comments</p>"}
    assert all(c["after"] == "" for c in removed)
    heading = next(c for c in changes if c["rule"] == "headings.plain-line")
    assert heading["before"] == "<p>1. Planting Too Early</p>"
    assert heading["after"] == "<h2>1. Planting Too Early</h2>"
    assert by_rule["metadata.byline"]["after"] == "Hannah Cole"


def test_french_spacing_is_reported_with_visible_spaces(tmp_path):
    report = _report(LABELLED / "tarte-tatin.txt", tmp_path)
    spacing = [c for c in report["changes"] if c["rule"] == "typography.french-spacing"]
    assert spacing and all(c["pass"] == "typography.french-spacing" for c in spacing)
    assert any("d'abord <U+202F>?" in c["after"] or "d'abord<U+202F>?" in c["after"] for c in spacing)


def test_invisible_characters_are_reported():
    doc = read_string("Bridge\u200b reopens after repairs on Monday, the city said.\n", "text")
    normalise(doc)
    invisible = [c for c in doc.changes if c.rule == "typography.invisible"]
    assert invisible and "<U+200B>" in invisible[0].before


def test_smart_quotes_are_off_unless_enabled():
    source = '# Notes\n\nIt\'s "done" -- finally, the council said on Monday evening.\n'
    assert "typography.smart-quotes" in OPTIONAL_PASSES
    plain = normalise(read_string(source, "markdown"))
    assert 'It\'s "done" -- finally' in plain.body_html()
    curly = normalise(read_string(source, "markdown"), enable=["typography.smart-quotes"])
    assert "It’s “done” – finally" in curly.body_html()
    assert any(c.pass_name == "typography.smart-quotes" for c in curly.changes)


def test_enable_pass_on_the_command_line_and_in_the_config_file(tmp_path):
    article = tmp_path / "notes.md"
    article.write_text('# Notes\n\nIt\'s "done" -- finally, the council said on Monday.\n', encoding="utf-8")
    plain, curly = tmp_path / "plain.html", tmp_path / "curly.html"
    assert main(["normalise", str(article), "-o", str(plain)]) == 0
    assert main(["normalise", str(article), "-o", str(curly), "--enable-pass", "typography.smart-quotes"]) == 0
    assert "It's \"done\" -- finally" in plain.read_text(encoding="utf-8").replace("&quot;", '"')
    assert "It’s “done” – finally" in curly.read_text(encoding="utf-8")
    (tmp_path / "converter.toml").write_text('enable-passes = ["typography.smart-quotes"]\n', encoding="utf-8")
    from_config = tmp_path / "config.html"
    assert main(["normalise", str(article), "-o", str(from_config)]) == 0
    assert "It’s “done” – finally" in from_config.read_text(encoding="utf-8")
    assert main(["normalise", str(article), "--enable-pass", "typography.no-such-pass"]) == 2


def test_language_override_reaches_the_french_spacing_pass(tmp_path):
    article = tmp_path / "note.txt"
    article.write_text("Le marché\nPourquoi maintenant? Parce que la halle ferme pour travaux au printemps.\n",
                       encoding="utf-8")
    out = tmp_path / "note.html"
    assert main(["normalise", str(article), "-o", str(out), "--lang", "fr"]) == 0
    assert "maintenant\u202f?" in out.read_text(encoding="utf-8")
