"""The fork server of a --jobs batch starts as soon as the command line shows workers will be
wanted (converter.forkserver.start_early), and not for runs that will not use them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from converter import cli, forkserver

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def started(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(forkserver, "start_early", lambda: calls.append("early"))
    return calls


def run(args, monkeypatch, tmp_path):
    # The batch itself is not what is tested: stop once the options are worked out.
    monkeypatch.setattr(cli, "run_batch", lambda inputs, *a, **k: len(inputs) and 0)
    return cli.main(["convert", *args, "--no-config", "-q"])


def test_started_early_for_a_folder_with_two_jobs(started, monkeypatch, tmp_path):
    run([str(SAMPLES), "-o", str(tmp_path / "out"), "--jobs", "2"], monkeypatch, tmp_path)
    assert started == ["early"]


def test_started_before_the_writers_are_imported(tmp_path):
    # The fork server's import of WeasyPrint and the writers runs while this process does
    # its own; had parsing --to imported the writers first, the two would run one after the
    # other. A fresh interpreter, as the command line is.
    code = (
        "import sys\n"
        "from converter import cli, forkserver\n"
        "seen = []\n"
        "forkserver.start_early = lambda: seen.append(sorted(m for m in sys.modules\n"
        "    if m.startswith(('converter.writers', 'weasyprint', 'converter.normalise'))))\n"
        "cli.run_batch = lambda inputs, *a, **k: 0\n"
        f"cli.main(['convert', {str(SAMPLES)!r}, '-o', {str(tmp_path / 'out')!r}, '--jobs', '2',\n"
        "          '--to', 'pdf,epub,docx', '--no-config', '-q'])\n"
        "print(seen)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == "[[]]", done.stdout + done.stderr


def test_format_names_are_the_writers():
    from converter.config import FORMATS
    from converter.writers import WRITERS

    assert sorted(FORMATS) == sorted(WRITERS)


@pytest.mark.parametrize("args", [
    ["--jobs", "1"],
    ["--jobs", "2", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"],
])
def test_not_started_without_local_workers(args, started, monkeypatch, tmp_path):
    run([str(SAMPLES), "-o", str(tmp_path / "out"), *args], monkeypatch, tmp_path)
    assert started == []


def test_not_started_for_one_file(started, monkeypatch, tmp_path):
    run([str(SAMPLES / "every-block.md"), "-o", str(tmp_path / "out"), "--jobs", "2"],
        monkeypatch, tmp_path)
    assert started == []


def test_not_started_for_a_re_run_unless_forced(started, monkeypatch, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".converter-manifest.json").write_text("{}")
    run([str(SAMPLES), "-o", str(out), "--jobs", "2"], monkeypatch, tmp_path)
    assert started == []
    run([str(SAMPLES), "-o", str(out), "--jobs", "2", "--force"], monkeypatch, tmp_path)
    assert started == ["early"]


def test_the_pool_uses_the_early_server_and_its_preload(tmp_path):
    # A real early start, then a real two-worker batch on the same fork server.
    forkserver.start_early()
    code = cli.main(["convert", str(SAMPLES / "every-block.md"), str(SAMPLES / "clean-markdown.md"),
                     "--to", "html", "-o", str(tmp_path / "out"), "--jobs", "2", "--no-config",
                     "-q"])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == [
        "clean-markdown.html", "every-block.html"]


def _worker_gc(_job):
    import gc
    return gc.get_threshold()


def test_batch_workers_collect_garbage_as_a_jobs_1_run():
    from converter import executors

    pool = executors.ProcessExecutor(2)._new_pool(2)
    try:
        assert pool.submit(_worker_gc, None).result() == forkserver.GC_THRESHOLDS
    finally:
        pool.shutdown()
