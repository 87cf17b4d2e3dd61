"""Batch conversion: parallel workers, failures that stay with their document, the report,
incremental re-runs, --strict, timeouts, crashed workers and progress output."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import crash_tasks
import pytest
from editions import docx_structure, epub_structure, pdf_structure

import converter.batch as batch
import converter.manifest as manifest
from converter.batch import EXTENSIONS, Batch, InProcessExecutor
from converter.cli import main
from converter.config import BatchOptions, Config
from converter.executors import ProcessExecutor
from converter.manifest import MANIFEST_NAME
from converter.progress import PlainProgress, RichProgress, make_progress
from converter.report import REPORT_SCHEMA
from converter.writers import WRITERS

EPOCH = "1767225600"

TEXT = """{title}
By Marta Iglesias
The council voted on Tuesday to keep the island ferry running, ending a long dispute.
What Changes for Passengers
Timetables stay the same until the autumn, the operator said in a statement.
-
Fares are frozen until the end of 2027.
-
Monthly punctuality figures will be published.
0 Comments
"""
MARKDOWN = "#{title}\n\nWinter sowing lets you start hardy seeds outdoors in January.\n\n##What You Need\n\n-clear jugs\n-seed mix\n"
HTML = ("<html><body><nav>Home</nav><div class='entry-content'><p><strong>{title}</strong></p>"
        "<p>When the library lost a third of its budget, its staff changed how it worked.</p>"
        "<p><b>Start With the Doors</b></p><p>• a shelf of new arrivals</p>"
        "<p>• a box of seed packets</p></div></body></html>")

GOOD = {
    "ferry.txt": (TEXT, "Harbour Town Keeps Its Ferry"),
    "sowing.md": (MARKDOWN, "A Guide to Winter Sowing"),
    "library.html": (HTML, "How a Small Library Doubled Its Loans"),
    "notes.txt": (TEXT, "Night Buses Return in May"),
}


def write_articles(folder: Path) -> dict[str, str]:
    """Write the good articles; return {file name: expected title}."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (template, title) in GOOD.items():
        (folder / name).write_text(template.format(title=title), encoding="utf-8")
    return {name: title for name, (_, title) in GOOD.items()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def editions_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != MANIFEST_NAME)


def statuses(report: Path) -> dict[str, str]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return {Path(d["source"]).name: d["status"] for d in data["documents"]}


@pytest.fixture
def reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_corrupt_file_among_good_ones_parallel(tmp_path, capsys, reproducible):
    """Done-when: every good edition is written, exit 1, the report names the corrupt file."""
    src = tmp_path / "in"
    titles = write_articles(src)
    corrupt = src / "corrupt.md"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    out, report = tmp_path / "out", tmp_path / "report.json"

    code = main(["convert", str(src), "-o", str(out), "--jobs", "2", "--report", str(report)])

    assert code == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("converter: error:")]
    assert errors == [f"converter: error: {corrupt}: binary file (PNG image), not text"]
    assert "Traceback" not in captured.err
    assert "4 converted (12 editions written), 0 unchanged, 1 failed" in captured.err.splitlines()[-1]
    stems = {Path(name).stem: title for name, title in titles.items()}
    assert editions_in(out) == sorted(f"{s}{e}" for s in stems for e in (".docx", ".epub", ".pdf"))
    for stem, title in stems.items():
        assert epub_structure(out / f"{stem}.epub").title == title
        assert docx_structure(out / f"{stem}.docx").meta["title"] == title
        assert title in pdf_structure(out / f"{stem}.pdf").text
    # stdout lists exactly the files written
    assert sorted(Path(p).name for p in captured.out.split()) == editions_in(out)

    data = json.loads(report.read_text(encoding="utf-8"))
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["summary"] == {**data["summary"], "documents": 5, "ok": 4, "unchanged": 0,
                               "failed": 1, "editions_written": 12}
    by_name = {Path(d["source"]).name: d for d in data["documents"]}
    failed = by_name["corrupt.md"]
    assert failed["status"] == "failed" and failed["editions"] == []
    assert failed["error"] == "binary file (PNG image), not text"
    assert failed["error_category"] == "input"
    for name in titles:
        doc = by_name[name]
        assert doc["status"] == "ok" and doc["title"] == titles[name]
        assert [e["format"] for e in doc["editions"]] == ["pdf", "epub", "docx"]
        for edition in doc["editions"]:
            path = Path(edition["path"])
            assert edition["bytes"] == path.stat().st_size and edition["sha256"] == sha256(path)
            assert edition["written"] is True
        assert {"read", "normalise", "write_pdf", "write_epub", "write_docx", "total"} <= set(doc["seconds"])
        assert doc["worker"]["pid"] > 0 and doc["worker"]["peak_rss_bytes"] > 0
    assert [Path(d["source"]).name for d in data["documents"]] == sorted(by_name)  # input order
    assert data["options"]["executor"] == "local processes (2)"


def test_parallel_and_serial_runs_write_identical_editions(tmp_path, reproducible):
    src = tmp_path / "in"
    write_articles(src)
    for jobs in ("1", "2"):
        assert main(["convert", str(src), "--to", "pdf,epub", "-o", str(tmp_path / jobs),
                     "--jobs", jobs, "-q"]) == 0
    names = editions_in(tmp_path / "1")
    assert names == editions_in(tmp_path / "2") and len(names) == 8
    assert all(sha256(tmp_path / "1" / n) == sha256(tmp_path / "2" / n) for n in names)


def run(src: Path, out: Path, *extra: str, formats: str = "html,md") -> dict[str, str]:
    report = out.parent / "report.json"
    assert main(["convert", str(src), "--to", formats, "-o", str(out), "--jobs", "1", "-q",
                 "--report", str(report), *extra]) == 0
    return statuses(report)


def written(report: Path) -> dict[str, list[str]]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return {Path(d["source"]).name: [e["format"] for e in d["editions"] if e["written"]]
            for d in data["documents"]}


def test_unchanged_run_writes_nothing_and_changes_rebuild(tmp_path, reproducible):
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src)
    assert set(run(src, out).values()) == {"ok"}
    stamps = {n: (out / n).stat().st_mtime_ns for n in editions_in(out)}

    assert set(run(src, out).values()) == {"unchanged"}
    assert {n: (out / n).stat().st_mtime_ns for n in editions_in(out)} == stamps
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["summary"]["editions_written"] == 0
    ferry = next(d for d in data["documents"] if d["source"].endswith("ferry.txt"))
    assert ferry["title"] == GOOD["ferry.txt"][1]
    assert all(not e["written"] and len(e["sha256"]) == 64 for e in ferry["editions"])

    # one source changes: only it is rebuilt
    (src / "sowing.md").write_text(MARKDOWN.format(title="Sowing, Revised"), encoding="utf-8")
    result = run(src, out)
    assert result.pop("sowing.md") == "ok" and set(result.values()) == {"unchanged"}
    assert "Sowing, Revised" in (out / "sowing.html").read_text(encoding="utf-8")

    # an edition deleted or edited by hand is rebuilt
    (out / "ferry.md").unlink()
    (out / "library.html").write_text("tampered", encoding="utf-8")
    run(src, out)
    assert written(tmp_path / "report.json") == {
        "ferry.txt": ["md"], "library.html": ["html"], "notes.txt": [], "sowing.md": []}
    assert "tampered" not in (out / "library.html").read_text(encoding="utf-8")

    # --force rebuilds everything
    assert set(run(src, out, "--force").values()) == {"ok"}
    assert all(len(v) == 2 for v in written(tmp_path / "report.json").values())


def test_options_styles_and_converter_version_are_inputs(tmp_path, monkeypatch, reproducible):
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src)
    styles = tmp_path / "styles"
    shutil.copytree(Config().styles_dir, styles)
    run(src, out, "--styles", str(styles), formats="epub,md")

    # a style file only the EPUB writer reads: EPUBs are rebuilt, Markdown is not
    with (styles / "epub.css").open("a", encoding="utf-8") as fh:
        fh.write("\np { color: black; }\n")
    run(src, out, "--styles", str(styles), formats="epub,md")
    assert set(map(tuple, written(tmp_path / "report.json").values())) == {("epub",)}

    # an option that changes content rebuilds every edition
    run(src, out, "--styles", str(styles), "--author", "Someone Else", formats="epub,md")
    assert set(map(tuple, written(tmp_path / "report.json").values())) == {("epub", "md")}
    assert "Someone Else" in (out / "ferry.md").read_text(encoding="utf-8")

    # a different converter build rebuilds everything too
    for module, name in ((manifest, "fingerprint"), (batch, "fingerprint"),
                         (batch, "refresh_fingerprint")):
        monkeypatch.setattr(module, name, lambda: "another-build")
    statuses_now = run(src, out, "--styles", str(styles), "--author", "Someone Else", formats="epub,md")
    assert set(statuses_now.values()) == {"ok"}


def test_styles_used_table_matches_the_writers():
    """Every style file a writer reads is part of its editions' key."""
    import re

    for name, cls in WRITERS.items():
        module = Path(__import__(cls.__module__, fromlist=["x"]).__file__)
        used = set(re.findall(r"""style\(\s*["']([^"']+)["']""", module.read_text(encoding="utf-8")))
        assert used <= set(manifest.STYLES_USED[name]), (name, used)
    assert {n: c.extension for n, c in WRITERS.items()} == EXTENSIONS


IMAGE_OUTSIDE = "# Gallery Notes\n\nThe exhibition opens on Friday with new paintings.\n\n![a map](../secret.png)\n"


def test_strict_turns_warnings_into_failures(tmp_path, capsys):
    src = tmp_path / "in"
    write_articles(src)
    (src / "gallery.md").write_text(IMAGE_OUTSIDE, encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(b"not for the article")
    report = tmp_path / "report.json"

    assert main(["convert", str(src), "--to", "epub,md", "-o", str(tmp_path / "lax"), "-j", "1",
                 "--report", str(report)]) == 0
    gallery = next(d for d in json.loads(report.read_text())["documents"]
                   if d["source"].endswith("gallery.md"))
    assert gallery["status"] == "ok"
    assert gallery["warnings"]
    for warning in gallery["warnings"]:
        assert "." in warning["code"] and " " not in warning["code"]
        assert "secret.png" in warning["message"]
    warned = [line for line in capsys.readouterr().err.splitlines()
              if line.startswith(f"converter: warning: {src / 'gallery.md'}: ")]
    assert warned and all("secret.png" in line for line in warned)
    first_code = gallery["warnings"][0]["code"]

    strict = tmp_path / "strict"
    assert main(["convert", str(src), "--to", "epub,md", "-o", str(strict), "-j", "1",
                 "--strict", "--report", str(report)]) == 1
    data = json.loads(report.read_text())
    gallery = next(d for d in data["documents"] if d["source"].endswith("gallery.md"))
    assert gallery["status"] == "failed" and gallery["error_category"] == "strict"
    assert gallery["error"].startswith(f"warning treated as error (--strict): {first_code}: ")
    assert not (strict / "gallery.epub").exists() and not (strict / "gallery.md").exists()
    assert len(editions_in(strict)) == 8  # the other four documents
    # the next strict run fails it again, without pretending it is up to date
    assert main(["convert", str(src), "--to", "epub,md", "-o", str(strict), "-j", "1",
                 "--strict", "-q"]) == 1
    # a lax run's editions are reused by a strict run only if they had no warnings
    assert main(["convert", str(src), "--to", "epub,md", "-o", str(tmp_path / "lax"), "-j", "1",
                 "--strict", "--report", str(report), "-q"]) == 1
    assert statuses(report)["gallery.md"] == "failed"


def test_a_slow_document_times_out_and_the_others_finish(tmp_path, monkeypatch, capsys):
    import time

    from converter import pipeline

    real_render = pipeline.render

    def slow_for_one(doc, fmt, config, name="edition"):
        if name == "notes":
            time.sleep(30)
        return real_render(doc, fmt, config, name)

    monkeypatch.setattr(pipeline, "render", slow_for_one)
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src)
    report = tmp_path / "report.json"
    started = time.monotonic()
    assert main(["convert", str(src), "--to", "md", "-o", str(out), "-j", "1", "--timeout", "5",
                 "--report", str(report)]) == 1
    assert time.monotonic() - started < 25
    assert statuses(report) == {"ferry.txt": "ok", "library.html": "ok", "notes.txt": "failed",
                                "sowing.md": "ok"}
    assert "notes.txt: took longer than 5 s (raise it with --timeout)" in capsys.readouterr().err


def test_internal_error_in_a_worker_is_one_line(tmp_path, capsys):
    """An unexpected exception in one document is reported, with the traceback under --debug."""
    src = tmp_path / "in"
    write_articles(src)
    (src / "weird.md").write_text("# T\n\ntext\n", encoding="utf-8")
    options = BatchOptions(jobs=2)
    config = Config(formats=("md",), output_dir=tmp_path / "out")
    result = Batch(config, options, ProcessExecutor(2, task=crash_tasks.raise_for_weird)).run(
        sorted(src.iterdir()))
    by_name = {r.source.name: r for r in result.report.results}
    assert by_name["weird.md"].status == "failed"
    assert by_name["weird.md"].error == "internal error: RuntimeError: cannot handle weird.md"
    assert "Traceback" in by_name["weird.md"].traceback
    assert sum(r.status == "ok" for r in by_name.values()) == 4


def test_a_worker_that_dies_takes_only_its_document(tmp_path):
    src = tmp_path / "in"
    write_articles(src)
    (src / "killer.md").write_text("# Killer\n\nThis one crashes its worker.\n", encoding="utf-8")
    config = Config(formats=("md",), output_dir=tmp_path / "out")
    result = Batch(config, BatchOptions(jobs=2), ProcessExecutor(2, task=crash_tasks.die_for_killer)).run(
        sorted(src.iterdir()))
    by_name = {r.source.name: r for r in result.report.results}
    assert by_name.pop("killer.md").error.startswith("the worker process died")
    assert {r.status for r in by_name.values()} == {"ok"}
    assert editions_in(tmp_path / "out") == ["ferry.md", "library.md", "notes.md", "sowing.md"]


def test_plain_progress_records_when_not_a_terminal(tmp_path, capsys):
    src = tmp_path / "in"
    write_articles(src)
    assert main(["convert", str(src), "--to", "md", "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    records = [line for line in err if line.startswith("converter: [")]
    assert len(records) == 4
    assert records[0].startswith("converter: [1/4] ok        ") and "(1 written, " in records[0]
    assert "[eta " in records[0] and "[eta" not in records[-1]
    assert err[-1].startswith("converter: 4 converted (4 editions written), 0 unchanged, 0 failed in ")
    assert main(["convert", str(src), "--to", "md", "-o", str(tmp_path / "out"), "-j", "1", "-q"]) == 0
    quiet = capsys.readouterr()
    assert quiet.out == "" and not any(l.startswith("converter: [") for l in quiet.err.splitlines())


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(tmp_path):
    src = tmp_path / "in"
    write_articles(src)
    (src / "bad.txt").write_bytes(b"")
    stream = FakeTerminal()
    progress = make_progress(stream=stream)
    assert isinstance(progress, RichProgress)
    assert isinstance(make_progress(stream=io.StringIO()), PlainProgress)
    config = Config(formats=("md",), output_dir=tmp_path / "out")
    with progress:
        progress.start(5)
        Batch(config, BatchOptions(), InProcessExecutor(), on_result=progress.result).run(
            sorted(src.iterdir()))
    shown = stream.getvalue()
    assert "5/5" in shown and "4 ok" in shown and "1 failed" in shown
    assert f"failed {src / 'bad.txt'}: empty file" in shown


def test_report_schema_command(capsys):
    assert main(["report-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["documents"]["items"]["properties"]["status"]["enum"] == [
        "ok", "unchanged", "failed"]


def test_jobs_must_be_positive(tmp_path, capsys):
    assert main(["convert", str(tmp_path), "--jobs", "0"]) == 2
    assert "not a number of workers" in capsys.readouterr().err


def test_manifest_survives_an_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    src = tmp_path / "in"
    write_articles(src)
    assert main(["convert", str(src), "--to", "md", "-o", str(blocker / "out"), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert err.count("converter: error:") == 4 and "Traceback" not in err
    assert "cannot write" in err


def test_output_names_never_collide(tmp_path):
    from converter.batch import output_stems

    paths = [tmp_path / "a.txt", tmp_path / "a.md", tmp_path / "b.html",
             tmp_path / "2024" / "05" / "story.html", tmp_path / "2024" / "06" / "story.html"]
    assert output_stems(paths) == {
        paths[0]: "a.txt", paths[1]: "a.md", paths[2]: "b",
        paths[3]: "05_story.html", paths[4]: "06_story.html"}


def test_ctrl_c_stops_workers_keeps_finished_editions(tmp_path):
    """Ctrl-C (SIGINT to the process group): exit 130 at once, no half-written file, and the
    editions finished so far are in the manifest, so the next run does not redo them."""
    import signal
    import subprocess
    import sys
    import time

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for index in range(40):
        (src / f"a{index:02d}.txt").write_text(TEXT.format(title=f"Story Number {index}"),
                                               encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "converter", "convert", str(src), "-o", str(out), "--to", "pdf,md",
         "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
        # a test runner started in the background ignores SIGINT, and children inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("converter: [ 3/40]"):
            break
    os.killpg(proc.pid, signal.SIGINT)
    started = time.monotonic()
    assert proc.wait(timeout=30) == 130
    assert time.monotonic() - started < 10
    assert "converter: error: interrupted" in proc.stderr.read()
    names = os.listdir(out)
    assert not [n for n in names if n.endswith(".part")]
    recorded = json.loads((out / MANIFEST_NAME).read_text())["editions"]
    assert 6 <= len(recorded) < 80 and set(recorded) <= set(names)
    assert all((out / n).stat().st_size == e["bytes"] for n, e in recorded.items())


def test_a_timeout_inside_pandoc_leaves_the_next_document_correct(tmp_path, monkeypatch):
    """The per-process pandoc is restarted after a timeout cuts a conversation short, so the
    next document's DOCX is its own (not the reply meant for the interrupted one)."""
    import time

    from converter import pandoc_worker

    real_read_line = pandoc_worker.PandocWorker._read_line

    def stall_once(self, deadline):
        if not getattr(stall_once, "done", False):
            stall_once.done = True
            time.sleep(30)  # the alarm fires here: request sent, reply not yet read
        return real_read_line(self, deadline)

    monkeypatch.setattr(pandoc_worker.PandocWorker, "_read_line", stall_once)
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src)
    report = tmp_path / "report.json"
    assert main(["convert", str(src), "--to", "docx", "-o", str(out), "-j", "1", "--timeout", "4",
                 "--report", str(report), "-q"]) == 1
    result = statuses(report)
    assert sorted(result.values()) == ["failed", "ok", "ok", "ok"]
    for name, status in result.items():
        if status == "ok":
            stem = Path(name).stem
            assert docx_structure(out / f"{stem}.docx").meta["title"] == GOOD[name][1]


def png(colour: int) -> bytes:
    """A 1x1 grey PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes([0, colour]))) + chunk(b"IEND", b""))


def test_an_image_beside_the_article_is_an_input_too(tmp_path, reproducible):
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "images").mkdir(parents=True)
    (src / "images" / "map.png").write_bytes(png(10))
    (src / "photo.md").write_text("# Photo Story\n\nThe new map of the harbour.\n\n"
                                  "![The harbour](images/map.png)\n", encoding="utf-8")
    (src / "plain.txt").write_text(TEXT.format(title="Plain Story"), encoding="utf-8")
    assert set(run(src, out, formats="epub").values()) == {"ok"}
    import zipfile

    def embedded(epub: Path) -> list[bytes]:
        with zipfile.ZipFile(epub) as z:
            return [z.read(n) for n in z.namelist() if n.endswith(".png")]

    assert png(10) in embedded(out / "photo.epub")
    assert set(run(src, out, formats="epub").values()) == {"unchanged"}
    (src / "images" / "map.png").write_bytes(png(200))
    assert run(src, out, formats="epub") == {"photo.md": "ok", "plain.txt": "unchanged"}
    assert png(200) in embedded(out / "photo.epub")


def test_editions_in_the_output_folder_are_not_inputs(tmp_path, monkeypatch):
    write_articles(tmp_path)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert main(["convert", ".", "--to", "html,md", "-j", "1", "-q",
                     "--report", "report.json"]) == 0
        assert len(statuses(tmp_path / "report.json")) == 4
    assert main(["convert", "**/*.html", "--to", "md", "-o", "build", "-j", "1", "-q",
                 "--report", "report.json"]) == 0
    assert list(statuses(tmp_path / "report.json")) == ["library.html"]


def test_an_unwritable_report_is_reported(tmp_path, capsys):
    src = tmp_path / "in"
    write_articles(src)
    (tmp_path / "report.json").mkdir()  # a folder where the report file should go
    assert main(["convert", str(src), "--to", "md", "-o", str(tmp_path / "out"), "-j", "1", "-q",
                 "--report", str(tmp_path / "report.json")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'report.json'}: cannot write the report" in err and "Traceback" not in err
    assert len(editions_in(tmp_path / "out")) == 4


def test_an_unsupported_file_named_on_the_command_line_fails_alone(tmp_path, capsys):
    write_articles(tmp_path)
    (tmp_path / "notes.rtf").write_text("{\\rtf1 hello}", encoding="utf-8")
    assert main(["convert", str(tmp_path / "notes.rtf"), str(tmp_path / "ferry.txt"), "--to", "md",
                 "-o", str(tmp_path / "out"), "-j", "1", "-q"]) == 1
    assert f"{tmp_path / 'notes.rtf'}: unsupported file type '.rtf'" in capsys.readouterr().err
    assert editions_in(tmp_path / "out") == ["ferry.md"]


def test_a_file_option_counts_with_its_bytes(tmp_path, reproducible):
    """--cover names a file: replacing the image (same path) rebuilds the EPUBs."""
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src)
    cover = tmp_path / "cover.png"
    cover.write_bytes(png(30))
    assert set(run(src, out, "--cover", str(cover), formats="epub").values()) == {"ok"}
    assert set(run(src, out, "--cover", str(cover), formats="epub").values()) == {"unchanged"}
    cover.write_bytes(png(220))
    assert set(run(src, out, "--cover", str(cover), formats="epub").values()) == {"ok"}
