"""--executor dask: a real scheduler and worker processes on loopback convert a batch; the
caller writes the same editions and report a local run writes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_batch import EPOCH, editions_in, sha256, write_articles

from converter.cli import main

distributed = pytest.importorskip("distributed", reason="the dask extra is part of dev")


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster: scheduler plus two single-threaded worker processes, on 127.0.0.1."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", silence_logs=40) as local:
        yield local.scheduler_address


def corrupt_folder(root: Path) -> Path:
    src = root / "in"
    write_articles(src)
    (src / "corrupt.txt").write_bytes(b"PK\x03\x04" + os.urandom(512))
    return src


def test_dask_cluster_writes_the_same_editions_as_a_local_run(cluster, tmp_path, monkeypatch, capsys):
    """Done-when: the folder with a corrupt file converts through Dask with identical editions."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    src = corrupt_folder(tmp_path)
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main(["convert", str(src), "-o", str(local), "-j", "2", "-q",
                 "--report", str(tmp_path / "local.json")]) == 1
    capsys.readouterr()
    code = main(["convert", str(src), "-o", str(remote), "--executor", "dask",
                 "--scheduler", cluster, "--report", str(tmp_path / "dask.json")])
    assert code == 1
    err = capsys.readouterr().err
    assert [l for l in err.splitlines() if l.startswith("converter: error:")] == [
        f"converter: error: {src / 'corrupt.txt'}: binary file (ZIP archive (DOCX, EPUB, ...)), not text"]

    names = editions_in(local)
    assert len(names) == 12 and editions_in(remote) == names
    assert all(sha256(local / n) == sha256(remote / n) for n in names)

    local_report = json.loads((tmp_path / "local.json").read_text())
    dask_report = json.loads((tmp_path / "dask.json").read_text())
    assert dask_report["options"]["executor"].startswith(f"dask ({cluster}")
    assert dask_report["summary"]["failed"] == 1 and dask_report["summary"]["ok"] == 4

    def digests(report: dict) -> dict[str, object]:
        return {d["source"]: (d["status"], [(e["format"], e["sha256"]) for e in d["editions"]])
                for d in report["documents"]}

    assert digests(dask_report) == digests(local_report)
    # the work ran in the cluster's worker processes, not in the caller
    pids = {d["worker"]["pid"] for d in dask_report["documents"] if d["worker"]}
    assert pids and os.getpid() not in pids

    # incremental on the caller's side: a re-run through the cluster reuses everything
    assert main(["convert", str(src), "-o", str(remote), "--executor", "dask", "--scheduler",
                 cluster, "-q", "--report", str(tmp_path / "again.json")]) == 1
    again = json.loads((tmp_path / "again.json").read_text())["summary"]
    assert (again["unchanged"], again["failed"], again["editions_written"]) == (4, 1, 0)


def test_a_slow_document_times_out_on_the_cluster_and_the_others_finish(
        cluster, tmp_path, monkeypatch, capsys):
    """--timeout through Dask: the caller gives up on the slow document (its worker thread
    cannot be interrupted) and the rest of the batch is converted on the other worker."""
    import crash_tasks

    from converter import executors

    monkeypatch.setattr(executors, "run_job", crash_tasks.slow_for_slowpoke)
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src)
    (src / "slowpoke.md").write_text("# Slow\n\nIt takes its time.\n", encoding="utf-8")
    report = tmp_path / "report.json"
    started = time.monotonic()
    assert main(["convert", str(src), "--to", "md", "-o", str(out), "--executor", "dask",
                 "--scheduler", cluster, "--timeout", "2", "--report", str(report)]) == 1
    assert time.monotonic() - started < 7.5  # did not wait for the 8 s document
    docs = {Path(d["source"]).name: d for d in json.loads(report.read_text())["documents"]}
    assert {name: d["status"] for name, d in docs.items()} == {
        "ferry.txt": "ok", "library.html": "ok", "notes.txt": "ok", "sowing.md": "ok",
        "slowpoke.md": "failed"}
    assert docs["slowpoke.md"]["error_category"] == "timeout"
    assert "slowpoke.md: took longer than 2 s (raise it with --timeout)" in capsys.readouterr().err
    assert not (out / "slowpoke.md").exists()
    time.sleep(8)  # let the worker thread finish before the cluster serves the next test


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    src = tmp_path / "in"
    write_articles(src)
    code = main(["convert", str(src), "-o", str(tmp_path / "out"), "--executor", "dask",
                 "--scheduler", f"tcp://127.0.0.1:{port}", "--to", "md"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_dask_executor_needs_a_scheduler(tmp_path, capsys):
    src = tmp_path / "in"
    write_articles(src)
    assert main(["convert", str(src), "--executor", "dask", "-o", str(tmp_path / "o")]) == 2
    assert "--executor dask needs --scheduler ADDRESS" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("dask", path=str(Path(sys.executable).parent)) is None,
                    reason="the dask command comes with the dask extra")
def test_dask_scheduler_and_worker_commands(tmp_path, monkeypatch, capsys):
    """The way a multi-node cluster is started: `dask scheduler` and `dask worker` commands."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    bin_dir = Path(sys.executable).parent
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = [subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=(logs / "scheduler").open("w"))]
    try:
        procs.append(subprocess.Popen(
            [str(bin_dir / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(tmp_path / "w")],
            stdout=subprocess.DEVNULL, stderr=(logs / "worker").open("w")))
        from distributed import Client

        deadline = time.monotonic() + 60
        with Client(address, timeout=60) as client:
            while not client.nthreads() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert client.nthreads(), (logs / "worker").read_text()[-2000:]
        src = corrupt_folder(tmp_path)
        out = tmp_path / "out"
        assert main(["convert", str(src), "--to", "epub,md", "-o", str(out), "--executor", "dask",
                     "--scheduler", address, "-q"]) == 1
        assert out.is_dir() and len(editions_in(out)) == 8, capsys.readouterr().err
        local = tmp_path / "local"
        assert main(["convert", str(src), "--to", "epub,md", "-o", str(local), "-j", "1", "-q"]) == 1
        assert all(sha256(local / n) == sha256(out / n) for n in editions_in(out))
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_scheduler_without_workers_is_a_usage_error(tmp_path):
    from distributed import LocalCluster

    from converter.errors import UsageError
    from converter.executors import DaskExecutor

    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
                      silence_logs=40) as empty:
        with pytest.raises(UsageError, match="has no workers"):
            DaskExecutor(empty.scheduler_address, wait_for_workers=1)


def test_a_worker_with_another_build_refuses_the_job(tmp_path):
    """Jobs for remote workers carry the caller's build fingerprint; a mismatch fails the
    document with a message instead of writing editions another version made."""
    from dataclasses import replace

    from converter.batch import Job, run_job
    from converter.config import Config

    src = tmp_path / "a.md"
    src.write_text("# A\n\nText of the article.\n", encoding="utf-8")
    job = Job(index=0, source=src, data=src.read_bytes(), stem="a", formats=("md",),
              config=Config(), fingerprint="0" * 32)
    outcome = run_job(job)
    assert outcome.status == "failed" and "different converter build" in outcome.error
    assert run_job(replace(job, fingerprint=None)).status == "ok"


def test_a_document_queued_behind_a_slow_one_is_not_timed_out(tmp_path, monkeypatch):
    """One worker thread: every job waits behind slowpoke's 8 s. Only slowpoke runs out of
    time; the others' clocks start when they run, and they are converted."""
    import crash_tasks
    from distributed import LocalCluster

    from converter import executors

    monkeypatch.setattr(executors, "run_job", crash_tasks.slow_for_slowpoke)
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a-first.md").write_text("# First\n\nBefore the slow one.\n", encoding="utf-8")
    (src / "slowpoke.md").write_text("# Slow\n\nIt takes its time.\n", encoding="utf-8")
    (src / "z-after.md").write_text("# After\n\nQueued behind the slow one.\n", encoding="utf-8")
    report = tmp_path / "report.json"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", silence_logs=40) as one:
        code = main(["convert", str(src), "--to", "md", "-o", str(out), "--executor", "dask",
                     "--scheduler", one.scheduler_address, "--timeout", "2", "-q",
                     "--report", str(report)])
    assert code == 1
    docs = {Path(d["source"]).name: d for d in json.loads(report.read_text())["documents"]}
    assert docs["slowpoke.md"]["status"] == "failed"
    assert docs["slowpoke.md"]["error_category"] == "timeout"
    assert docs["z-after.md"]["status"] == "ok" and (out / "z-after.md").exists()
    assert docs["a-first.md"]["status"] == "ok"


def test_documents_queued_behind_a_hung_one_move_to_the_other_worker(
        cluster, tmp_path, monkeypatch, capsys):
    """A worker busy with a document that hangs (8 s here, against --timeout 2) holds the
    documents Dask queued behind it: they are sent again to the other worker, so the batch
    ends without waiting for the hung one (which a real hang would make forever)."""
    import crash_tasks

    from converter import executors

    monkeypatch.setattr(executors, "run_job", crash_tasks.slow_for_slowpoke)
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "slowpoke.md").write_text("# Slow\n\nIt takes its time.\n", encoding="utf-8")
    for n in range(8):  # after slowpoke.md in input order, so some queue behind it
        (src / f"t{n}.md").write_text(f"# Note {n}\n\nThe ferry ran {n} times today.\n", encoding="utf-8")
    report = tmp_path / "report.json"
    started = time.monotonic()
    assert main(["convert", str(src), "--to", "md", "-o", str(out), "--executor", "dask",
                 "--scheduler", cluster, "--timeout", "2", "--report", str(report), "-q"]) == 1
    assert time.monotonic() - started < 7.5  # did not wait for the 8 s document
    statuses = {Path(d["source"]).name: d["status"] for d in json.loads(report.read_text())["documents"]}
    assert statuses.pop("slowpoke.md") == "failed"
    assert set(statuses.values()) == {"ok"} and len(statuses) == 8
