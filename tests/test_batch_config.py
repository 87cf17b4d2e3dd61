"""Project configuration: converter.toml beside the inputs or [tool.converter] in pyproject.toml;
flags override it; unknown keys and bad values are usage errors (exit 2) that name the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_batch import editions_in, write_articles

from converter.cli import main
from converter.config import ConfigFileError, find_config_file, load_config_file

ARTICLE = "Quiet Streets Plan Approved\nThe council approved the plan for quieter streets on Monday evening.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder (a git root) with an articles/ folder inside."""
    (tmp_path / ".git").mkdir()
    write_articles(tmp_path / "articles")
    return tmp_path


def test_converter_toml_beside_the_inputs(project, monkeypatch):
    (project / "articles" / "converter.toml").write_text(
        'formats = ["md", "html"]\noutput = "../public"\njobs = 1\n'
        '[metadata]\nauthor = "The Newsroom"\nlanguage = "en"\n', encoding="utf-8")
    (project / "articles" / "plain.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["convert", "articles", "-q", "--report", "report.json"]) == 0
    out = project / "public"
    assert "plain.md" in editions_in(out) and "plain.html" in editions_in(out)
    assert not (project / "build").exists()
    # the default fills a gap, it does not replace what the article says
    assert "author: The Newsroom" in (out / "plain.md").read_text(encoding="utf-8")
    assert "author: Marta Iglesias" in (out / "ferry.md").read_text(encoding="utf-8")
    report = json.loads((project / "report.json").read_text())
    assert report["options"]["executor"] == "in-process"

    # flags win over the file
    assert main(["convert", "articles", "--to", "md", "-o", "elsewhere", "-q"]) == 0
    assert all(name.endswith(".md") for name in editions_in(project / "elsewhere"))
    # --no-config ignores it
    assert main(["convert", "articles/plain.txt", "--no-config", "--to", "md", "-q"]) == 0
    assert "The Newsroom" not in (project / "build" / "plain.md").read_text(encoding="utf-8")


def test_pyproject_tool_table(project, monkeypatch):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.converter]\nformats = "md"\noutput = "dist"\n'
        'disable-passes = ["boilerplate.blocks"]\n', encoding="utf-8")
    monkeypatch.chdir(project / "articles")
    assert main(["convert", ".", "-q"]) == 0
    ferry = (project / "dist" / "ferry.md").read_text(encoding="utf-8")
    assert "0 Comments" in ferry  # the boilerplate pass was disabled by the file
    assert find_config_file(project / "articles") == project / "pyproject.toml"


def test_search_stops_at_the_project_root(tmp_path):
    (tmp_path / "converter.toml").write_text('formats = "md"\n', encoding="utf-8")
    inner = tmp_path / "repo" / "docs"
    inner.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert find_config_file(inner) is None
    (tmp_path / "repo" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config_file(inner) is None
    (inner / "converter.toml").write_text('paper = "letter"\n', encoding="utf-8")
    assert find_config_file(inner) == inner / "converter.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fromats = ["pdf"]\n', "unknown key 'fromats' in converter.toml; did you mean 'formats'?"),
        ('colour = "blue"\n', "unknown key 'colour' in converter.toml (known keys: "),
        ('[metadata]\nauthr = "x"\n', "unknown key 'authr' in converter.toml.metadata"),
        ("jobs = 0\n", "'jobs' must be a whole number of at least 1, not 0"),
        ("jobs = true\n", "'jobs' must be a whole number of at least 1, not True"),
        ('paper = "a5"\n', "'paper' must be one of a4, letter, not 'a5'"),
        ("strict = 1\n", "'strict' must be true or false, not 1"),
        ('formats = "pdf,odt"\n', "'formats': unknown format 'odt'"),
        ('disable-passes = ["nope"]\n', "unknown pass 'nope'"),
        ('max-size = "lots"\n', "'max-size': not a size: 'lots'"),
        ('[metadata]\ndate = "someday"\n', "'someday' is not a date"),
        ("formats = [\n", "not valid TOML"),
    ],
)
def test_bad_configuration_is_exit_2_naming_the_key(tmp_path, capsys, text, message):
    (tmp_path / ".git").mkdir()
    (tmp_path / "converter.toml").write_text(text, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["convert", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("converter: error: ") and message in err, err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_explicit_config_file_and_pyproject_errors_name_the_table(tmp_path, capsys):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.converter]\nformat = "md"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["convert", str(tmp_path / "a.txt"), "--config", str(config)]) == 2
    assert "unknown key 'format' in [tool.converter]; did you mean 'formats'?" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "a.txt"), "--config", str(tmp_path / "none.toml")]) == 2
    assert "no such configuration file" in capsys.readouterr().err


def test_paths_in_the_file_are_relative_to_it(tmp_path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "converter.toml"
    path.write_text('output = "../out"\nstyles = "house"\nunderscore_keys = 1\n', encoding="utf-8")
    with pytest.raises(ConfigFileError, match="unknown key 'underscore_keys'"):
        load_config_file(path)
    path.write_text('output = "../out"\nstyles = "house"\nmax_size = "2MB"\ntimeout = 0\n',
                    encoding="utf-8")
    settings = load_config_file(path)
    assert settings.get("output") == tmp_path / "out"
    assert settings.get("styles") == tmp_path / "sub" / "house"
    assert settings.get("max-size") == "2MB" and settings.get("timeout") is None


def test_missing_styles_folder_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["convert", str(tmp_path / "a.txt"), "--styles", str(tmp_path / "nope")]) == 2
    assert "styles folder not found" in capsys.readouterr().err
