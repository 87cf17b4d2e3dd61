"""The CLI contract: commands, outputs, one-line errors, exit codes, batches that keep going."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from converter.cli import main
from converter.manifest import MANIFEST_NAME
from converter.normalise import pass_names

ARTICLE = """Bridge Reopens After Repairs
The bridge will reopen on Monday after three weeks of repairs, the city said in a statement.
What Happens Next?
Engineers will inspect the bearings again in spring, and the council will vote on the budget.
0 Comments
"""


def editions(folder: Path) -> list[str]:
    """The files a run left in ``folder``, without the hidden incremental-build manifest."""
    return sorted(p.name for p in folder.iterdir() if p.name != MANIFEST_NAME)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "bridge.txt"
    path.parent.mkdir()
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_passes_lists_every_pass_in_order(capsys):
    assert main(["passes"]) == 0
    out = capsys.readouterr().out
    positions = [out.index(name) for name in pass_names()]
    assert positions == sorted(positions)


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert "converter" in capsys.readouterr().out
    assert main(["--help"]) == 0
    assert "convert" in capsys.readouterr().out
    assert main([]) == 2


def test_normalise_to_stdout_html(article, capsys):
    assert main(["normalise", str(article)]) == 0
    out = capsys.readouterr().out
    assert "<title>Bridge Reopens After Repairs</title>" in out
    assert '<h1 class="title">Bridge Reopens After Repairs</h1>' in out
    assert "<h2>What Happens Next?</h2>" in out
    assert "0 Comments" not in out


def test_normalise_to_markdown_file_and_report(article, tmp_path, capsys):
    out_file = tmp_path / "out.md"
    report = tmp_path / "changes.json"
    assert main(["normalise", str(article), "--to", "md", "-o", str(out_file), "--report", str(report)]) == 0
    md = out_file.read_text(encoding="utf-8")
    assert "title: Bridge Reopens After Repairs" in md
    assert "## What Happens Next?" in md
    rules = {c["rule"] for c in json.loads(report.read_text())["changes"]}
    assert {"boilerplate.block", "headings.plain-line", "metadata.title"} <= rules


def test_convert_writes_outdir_stem_ext(article, tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(article), "--to", "html,md", "-o", str(out)]) == 0
    assert editions(out) == ["bridge.html", "bridge.md"]


def test_convert_directory_recurses_and_same_stems_do_not_collide(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(ARTICLE)
    (src / "a.md").write_text("# A\n\nSome text here for the article body.\n")
    (src / "sub" / "b.html").write_text("<p>Some text here for the article body.</p>")
    (src / "notes.rtf").write_text("ignored")
    out = tmp_path / "out"
    assert main(["convert", str(src), "--to", "html", "-o", str(out)]) == 0
    assert editions(out) == ["a.md.html", "a.txt.html", "b.html"]


def test_overrides_win(article, tmp_path, capsys):
    assert main(["normalise", str(article), "--title", "Other", "--author", "Ana Ruiz",
                 "--date", "2025-01-31", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "<title>Other</title>" in out and 'content="Ana Ruiz"' in out
    assert 'lang="fr"' in out and "2025-01-31" in out


def test_bad_date_override_is_a_usage_error(article, capsys):
    assert main(["normalise", str(article), "--date", "someday"]) == 2
    assert capsys.readouterr().err.startswith("converter: error:")


def test_unknown_format_and_pass_are_usage_errors(article, capsys):
    assert main(["convert", str(article), "--to", "pdf,odt"]) == 2
    assert "odt" in capsys.readouterr().err
    assert main(["convert", str(article), "--disable-pass", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown pass 'nope'" in err


def test_disable_pass_changes_the_result(article, capsys):
    assert main(["normalise", str(article), "--disable-pass", "boilerplate.blocks"]) == 0
    assert "0 Comments" in capsys.readouterr().out


def test_batch_keeps_going_and_reports_failures(article, tmp_path, capsys):
    bad = article.parent / "broken.txt"
    bad.write_bytes(b"%PDF-1.7 not really text")
    empty = article.parent / "empty.md"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    code = main(["convert", str(article.parent), "--to", "html", "-o", str(out), "--report", str(report)])
    assert code == 1
    err = capsys.readouterr().err
    error_lines = [line for line in err.splitlines() if line.startswith("converter: error:")]
    assert len(error_lines) == 2
    assert any(f"{bad}: binary file (PDF document)" in line for line in error_lines)
    assert any(f"{empty}: empty file" in line for line in error_lines)
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "bridge.html"]  # nothing half-written
    data = json.loads(report.read_text())
    statuses = {Path(d["source"]).name: d["status"] for d in data["documents"]}
    assert statuses == {"bridge.txt": "ok", "broken.txt": "failed", "empty.md": "failed"}
    ok = next(d for d in data["documents"] if d["status"] == "ok")
    assert ok["editions"][0]["bytes"] > 0 and len(ok["editions"][0]["sha256"]) == 64


def test_missing_input_is_one_line_exit_1(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"converter: error: {tmp_path / 'nope.txt'}: no such file" in err


def test_unwritable_output_folder_is_one_line(article, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["convert", str(article), "--to", "html", "-o", str(blocker / "out")]) == 1
    err = capsys.readouterr().err
    assert "converter: error:" in err and "Traceback" not in err


def test_output_that_is_not_a_folder_is_a_usage_error(article, tmp_path, capsys):
    """-o naming a file or device (``-o /dev/null``) is refused before any work: exit 2, one
    line, and the file is left alone."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["convert", str(article), "--to", "html", "-o", str(blocker)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"converter: error: -o {blocker}: not a folder (convert writes one file per "
                   "edition into the output folder)"]
    assert blocker.read_text() == "x"


def test_internal_errors_are_one_line_unless_debug(article, capsys, monkeypatch):
    import converter.pipeline as pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(pipeline, "normalise", boom)
    assert main(["convert", str(article), "--to", "html", "-o", "/tmp/unused"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err and "Traceback" not in err
    assert main(["convert", str(article), "--to", "html", "-o", "/tmp/unused", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_python_dash_m_and_console_script(article):
    for cmd in ([sys.executable, "-m", "converter"], [str(Path(sys.executable).parent / "converter")]):
        proc = subprocess.run([*cmd, "normalise", str(article), "--to", "md"],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert "## What Happens Next?" in proc.stdout


def _read_fifo(path: Path, into: list[bytes]) -> "threading.Thread":
    import threading

    def read() -> None:
        with open(path, "rb") as fh:
            into.append(fh.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_outputs_to_a_pipe_or_device_are_written_into_not_replaced(article, tmp_path):
    """-o /dev/stdout, /dev/null or a named pipe: the bytes go into it and it stays what it
    was (renaming a temporary file over it, as for a regular file, once replaced the
    machine's /dev/null with a file when run as root)."""
    import os
    import stat

    edition, report = tmp_path / "edition.fifo", tmp_path / "report.fifo"
    os.mkfifo(edition)
    os.mkfifo(report)
    got_edition: list[bytes] = []
    got_report: list[bytes] = []
    readers = [_read_fifo(edition, got_edition), _read_fifo(report, got_report)]
    assert main(["normalise", str(article), "--to", "md", "-o", str(edition),
                 "--report", str(report)]) == 0
    for thread in readers:
        thread.join(timeout=30)
    assert got_edition and got_edition[0].startswith(b"---\ntitle:")
    assert json.loads(got_report[0])["changes"]
    assert stat.S_ISFIFO(os.stat(edition).st_mode) and stat.S_ISFIFO(os.stat(report).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition.fifo", "in", "report.fifo"]

    # the batch report too, and a binary edition through the writer's own path
    got_report.clear()
    reader = _read_fifo(report, got_report)
    assert main(["convert", str(article), "--to", "epub", "-o", str(tmp_path / "out"), "-q",
                 "--report", str(report)]) == 0
    reader.join(timeout=30)
    assert json.loads(got_report[0])["summary"]["ok"] == 1
    assert stat.S_ISFIFO(os.stat(report).st_mode)

    got_edition.clear()
    reader = _read_fifo(edition, got_edition)
    from converter import pipeline
    from converter.config import Config
    from converter.writers import get_writer

    doc = pipeline.prepare(article, Config())
    get_writer("epub").write(doc, edition)
    reader.join(timeout=30)
    assert got_edition[0][:4] == b"PK\x03\x04"
    assert stat.S_ISFIFO(os.stat(edition).st_mode)
