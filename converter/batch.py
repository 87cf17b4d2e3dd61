"""Batch conversion: plan the work, run one task per document on workers, write and report.

    inputs ──plan──> unchanged (manifest) ─────────────────────────────┐
                 └─> Job(source bytes, formats to build, Config) ─> executor ─> Outcome
                                                                       │
    caller: write each edition atomically, update the manifest, Result ┴─> Report

A worker (a local process or a Dask worker) never touches the output folder: ``run_job``
reads the source bytes it was handed, repairs the document and returns each edition's
bytes. The caller writes them with the same temp-file-and-rename step the writers use, so
local and cluster runs write and report identically. Library code: it never prints;
progress goes through the ``on_result`` callback.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .config import BatchOptions, Config
from .errors import ConverterError, InputError
from .manifest import KeyMaker, Manifest, fingerprint, refresh_fingerprint
from .pipeline import (
    Edition,
    Result,
    capture_warnings,
    check_supported,
    read_source,
    repair,
    write_atomic,
)
from .readers import read_bytes
from .report import Report

# File extension of each format's edition, without importing the writers (and WeasyPrint)
# in the caller: an unchanged run must stay cheap. tests/test_batch.py checks it against WRITERS.
EXTENSIONS = {"pdf": ".pdf", "epub": ".epub", "docx": ".docx", "html": ".html", "md": ".md"}


@dataclass(frozen=True)
class Job:
    """One document's work, as shipped to a worker: everything it needs, nothing to look up."""

    index: int
    source: Path
    data: bytes
    stem: str
    formats: tuple[str, ...]
    config: Config
    fingerprint: str | None  # checked on workers that may run another install (Dask)
    timeout: float | None = None


@dataclass
class Outcome:
    """What a worker sends back for one Job: edition bytes or the error, plus what it saw."""

    index: int
    status: str = "ok"  # "ok" or "failed"
    editions: list[tuple[str, bytes]] = field(default_factory=list)
    error: str | None = None
    error_category: str | None = None
    title: str | None = None
    changes: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    worker: dict[str, Any] = field(default_factory=dict)
    traceback: str | None = None
    # Files beside the source that the editions embed (images), relative to its folder.
    dependencies: list[str] = field(default_factory=list)
    # http(s) images the editions may embed (--allow-remote only): their bytes can change
    # without anything here changing, so such editions are rebuilt on every run.
    remote: list[str] = field(default_factory=list)


def local_files(doc: Any, source: Path) -> list[str]:
    """The files inside the source's folder that the document's images point at."""
    folder = source.absolute().parent.resolve()
    found: dict[str, None] = {}
    for img in doc.body.iter("img"):
        parts = urlsplit((img.get("src") or "").strip())
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        try:
            path = (folder / unquote(parts.path)).resolve()
        except (OSError, RuntimeError):
            continue
        if path.is_relative_to(folder) and path.is_file():
            found[path.relative_to(folder).as_posix()] = None
    return list(found)


def remote_images(doc: Any) -> list[str]:
    """The http(s) addresses the document's images point at (protocol-relative included)."""
    found: dict[str, None] = {}
    for img in doc.body.iter("img"):
        src = (img.get("src") or "").strip()
        parts = urlsplit(src)
        if parts.scheme.lower() in ("http", "https") or (not parts.scheme and parts.netloc):
            found[src] = None
    return list(found)


class DocumentTimeout(Exception):
    """Raised inside a worker when one document takes longer than ``--timeout``."""


@dataclass
class _Alarm:
    """A per-document time limit, where signals can deliver it (a process's main thread)."""

    seconds: float | None
    _previous: Any = None
    _armed: bool = False

    def __enter__(self) -> _Alarm:
        if self.seconds and threading.current_thread() is threading.main_thread():
            def expire(signum: int, frame: object) -> None:
                raise DocumentTimeout

            self._previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self._armed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)


def _reset_after_interruption() -> None:
    """Drop per-process helpers a timeout may have interrupted mid-conversation."""
    try:
        from . import pandoc_worker
    except ImportError:  # pragma: no cover - the per-process pandoc is an optimisation
        return
    pandoc_worker.shutdown()  # the next document starts a fresh one


def worker_info() -> dict[str, Any]:
    """Where a task ran and the worker process's peak memory so far."""
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"host": socket.gethostname(), "pid": os.getpid(), "peak_rss_bytes": peak_kib * 1024}


def run_job(job: Job) -> Outcome:
    """Convert one document into edition bytes. Runs on a worker; never raises."""
    from . import pipeline  # module attribute look-ups, so tests can patch a stage

    outcome = Outcome(index=job.index)
    started_all, cpu_started = time.perf_counter(), time.process_time()
    with capture_warnings(job.source) as warnings:
        try:
            if job.fingerprint is not None and job.fingerprint != fingerprint():
                raise ConverterError(
                    "this worker runs a different converter build than the caller "
                    "(install the same version on every worker)", job.source
                )
            with _Alarm(job.timeout):
                started = time.perf_counter()
                doc = read_source(job.source, job.config, job.data)
                outcome.seconds["read"] = time.perf_counter() - started
                warnings.stage = "normalise"
                started = time.perf_counter()
                repair(doc, job.config)
                warnings.add_document_warnings(doc)
                outcome.seconds["normalise"] = time.perf_counter() - started
                outcome.title = doc.meta.title
                outcome.changes = [c.as_dict() for c in doc.changes]
                outcome.dependencies = local_files(doc, job.source)
                if job.config.allow_remote:
                    outcome.remote = remote_images(doc)
                for fmt in job.formats:  # pandoc's part starts now and runs beside the rest
                    warnings.stage = f"write_{fmt}"
                    started = time.perf_counter()
                    pipeline.begin(doc, fmt, job.config)
                    outcome.seconds[f"write_{fmt}"] = time.perf_counter() - started
                for fmt in job.formats:
                    warnings.stage = f"write_{fmt}"
                    started = time.perf_counter()
                    data = pipeline.render(doc, fmt, job.config, job.stem)
                    outcome.seconds[f"write_{fmt}"] += time.perf_counter() - started
                    outcome.editions.append((fmt, data))
        except ConverterError as exc:
            outcome.status, outcome.error, outcome.error_category = "failed", exc.message, exc.category
        except DocumentTimeout:
            outcome.status, outcome.error_category = "failed", "timeout"
            outcome.error = f"took longer than {job.timeout:g} s (raise it with --timeout)"
            _reset_after_interruption()
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
            outcome.status, outcome.error_category = "failed", "internal"
            outcome.error = f"internal error: {type(exc).__name__}: {exc}"
            outcome.traceback = "".join(traceback.format_exception(exc))
        if outcome.status == "failed":
            outcome.editions = []
    outcome.warnings = warnings.items
    outcome.seconds["total"] = time.perf_counter() - started_all
    outcome.seconds["cpu"] = time.process_time() - cpu_started  # this process only, not pandoc
    outcome.worker = worker_info()
    return outcome


# ----------------------------------------------------------------------------------------
# The caller's side


def output_stems(paths: Sequence[Path]) -> dict[Path, str]:
    """Output stems: the input's stem; its name when two inputs share a stem (a.md, a.txt);
    its folders too when two share a name (2024/05/story.html, 2024/06/story.html)."""
    def unique(candidates: dict[Path, str]) -> set[Path]:
        counts: dict[str, int] = {}
        for stem in candidates.values():
            counts[stem] = counts.get(stem, 0) + 1
        return {p for p, stem in candidates.items() if counts[stem] == 1}

    stems = {p: p.stem for p in paths}
    clashing = set(paths) - unique(stems)
    stems.update({p: p.name for p in clashing})
    clashing -= unique(stems)
    if clashing:
        base = Path(os.path.commonpath([p.resolve().parent for p in clashing]))
        for p in clashing:
            stems[p] = "_".join(p.resolve().relative_to(base).parts)
    return stems


class Executor:
    """Runs Jobs somewhere and yields (Job, Outcome) pairs as they finish."""

    name = "executor"
    # True when workers run their own install of converter (another machine): each job then
    # carries the caller's build fingerprint and a worker with another build refuses it.
    remote = False

    def run(self, jobs: Iterator[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Run every job; yield each with its outcome in completion order."""
        raise NotImplementedError

    def close(self) -> None:
        """Release workers (also called after Ctrl-C)."""

    def describe(self) -> str:
        """A few words for the report: where the work ran."""
        return self.name


class InProcessExecutor(Executor):
    """Runs jobs one after another in this process (``--jobs 1``, or a single document)."""

    name = "in-process"

    def run(self, jobs: Iterator[Job]) -> Iterator[tuple[Job, Outcome]]:
        for job in jobs:
            yield job, run_job(job)


@dataclass
class BatchResult:
    """The finished batch: the report plus what the CLI prints at the end."""

    report: Report
    seconds: float


ResultCallback = Callable[[Result, int, int], None]


class Batch:
    """Converts many inputs: incremental, parallel through an Executor, failures isolated."""

    def __init__(
        self,
        config: Config,
        options: BatchOptions,
        executor: Executor,
        on_result: ResultCallback | None = None,
    ) -> None:
        self.config = config
        self.options = options
        self.executor = executor
        self.on_result = on_result
        self.manifest = Manifest(config.output_dir) if options.force else Manifest.load(config.output_dir)
        self.fingerprint = refresh_fingerprint()
        self.keys = KeyMaker(config)
        self._results: dict[int, Result] = {}
        self._pending: dict[int, dict[str, Any]] = {}
        self._total = 0

    # -- planning ------------------------------------------------------------------------

    def _plan(self, index: int, source: Path, stem: str) -> Job | Result:
        """Return a Job, or a finished Result (unchanged, or unreadable input)."""
        config = self.config
        try:
            check_supported(source)
            data = read_bytes(source, config.max_bytes)
        except ConverterError as exc:
            return Result(source=source, status="failed", error=exc.message,
                          error_category=exc.category)
        digest = hashlib.sha256(data).hexdigest()
        keys = {fmt: self.keys.key(fmt, source, digest) for fmt in config.formats}
        reused: dict[str, dict[str, Any]] = {}
        if not self.options.force:
            hashed: dict[str, str | None] = {}
            for fmt, key in keys.items():
                entry = self.manifest.current(self._name(stem, fmt), key)
                if entry is not None and self._dependencies_unchanged(source, entry, hashed):
                    reused[fmt] = entry
        todo = tuple(fmt for fmt in config.formats if fmt not in reused)
        self._pending[index] = {"keys": keys, "reused": reused, "stem": stem}
        if not todo:
            return self._unchanged(index, source)
        return Job(index=index, source=source, data=data, stem=stem, formats=todo,
                   config=config, fingerprint=self.fingerprint if self.executor.remote else None,
                   timeout=self.options.timeout)

    @staticmethod
    def _dependencies_unchanged(source: Path, entry: dict[str, Any],
                                hashed: dict[str, str | None]) -> bool:
        """True when every image file the edition embeds still has the bytes it had (an
        edition with remote images cannot tell without fetching them: it is rebuilt)."""
        if entry.get("remote"):
            return False
        for name, digest in (entry.get("depends") or {}).items():
            if name not in hashed:
                hashed[name] = _file_sha256(source.parent / name)
            if hashed[name] != digest:
                return False
        return True

    def _name(self, stem: str, fmt: str) -> str:
        return f"{stem}{EXTENSIONS.get(fmt) or _extension(fmt)}"

    def _reused_editions(self, plan: dict[str, Any]) -> list[Edition]:
        return [
            Edition(fmt, self.config.output_dir / self._name(plan["stem"], fmt), entry["bytes"],
                    entry["sha256"], written=False)
            for fmt, entry in plan["reused"].items()
        ]

    def _unchanged(self, index: int, source: Path) -> Result:
        plan = self._pending.pop(index)
        entries = list(plan["reused"].values())
        result = Result(source=source, status="unchanged", title=entries[0].get("title"),
                        editions=self._reused_editions(plan))
        result.warnings = list(entries[0].get("document_warnings", []))
        for entry in entries:
            result.warnings.extend(entry.get("warnings", []))
        return self._strict(result)

    def _strict(self, result: Result) -> Result:
        """With --strict, a document with warnings fails (and nothing new is written)."""
        if self.options.strict and result.warnings and result.status != "failed":
            first = result.warnings[0]
            more = f" and {len(result.warnings) - 1} more" if len(result.warnings) > 1 else ""
            result.status = "failed"
            result.error_category = "strict"
            result.error = f"warning treated as error (--strict): {first['code']}: {first['message']}{more}"
            result.editions = []
        return result

    # -- collecting ----------------------------------------------------------------------

    def _collect(self, job: Job, outcome: Outcome) -> Result:
        """Turn a worker's Outcome into a Result: write the editions, update the manifest."""
        plan = self._pending.pop(job.index)
        result = Result(source=job.source, status=outcome.status, error=outcome.error,
                        error_category=outcome.error_category, title=outcome.title,
                        changes=outcome.changes, seconds=dict(outcome.seconds),
                        worker=outcome.worker, traceback=outcome.traceback)
        doc_warnings = [w for w in outcome.warnings if not w["stage"].startswith("write_")]
        result.warnings = list(outcome.warnings)
        for entry in plan["reused"].values():
            result.warnings.extend(entry.get("warnings", []))
        if result.status == "failed":
            self._forget(plan, job.formats)
            return result
        result.editions = self._reused_editions(plan)
        self._strict(result)
        if result.status == "failed":
            self._forget(plan, job.formats)
            return result
        started = time.perf_counter()
        depends = {name: _file_sha256(job.source.parent / name) for name in outcome.dependencies}
        for fmt, data in outcome.editions:
            name = self._name(job.stem, fmt)
            target = self.config.output_dir / name
            try:
                write_atomic(target, data)
            except OSError as exc:
                result.status, result.error_category = "failed", "write"
                result.error = f"cannot write {target}: {exc.strerror or exc}"
                self._forget(plan, job.formats)
                return result
            digest = hashlib.sha256(data).hexdigest()
            result.editions.append(Edition(fmt, target, len(data), digest))
            self.manifest.record(name, {
                "source": str(job.source), "key": plan["keys"][fmt], "sha256": digest,
                "title": outcome.title, "document_warnings": doc_warnings, "depends": depends,
                "remote": outcome.remote,
                "warnings": [w for w in outcome.warnings if w["stage"] == f"write_{fmt}"],
            })
        result.seconds["save"] = time.perf_counter() - started
        order = {fmt: i for i, fmt in enumerate(self.config.formats)}
        result.editions.sort(key=lambda e: order.get(e.format, 99))
        return result

    def _forget(self, plan: dict[str, Any], formats: Sequence[str]) -> None:
        for fmt in formats:
            self.manifest.forget(self._name(plan["stem"], fmt))

    def _finish(self, index: int, result: Result) -> None:
        self._results[index] = result
        if self.on_result:
            self.on_result(result, len(self._results), self._total)

    # -- running -------------------------------------------------------------------------

    def run(self, inputs: Sequence[Path]) -> BatchResult:
        """Convert every input and return the report (results in input order)."""
        started = time.perf_counter()
        self._total = len(inputs)
        stems = output_stems(inputs)

        def jobs() -> Iterator[Job]:
            for index, source in enumerate(inputs):
                planned = self._plan(index, source, stems[source])
                if isinstance(planned, Result):
                    self._finish(index, planned)
                else:
                    yield planned

        try:
            for job, outcome in self.executor.run(jobs()):
                self._finish(job.index, self._collect(job, outcome))
        finally:
            self.executor.close()
            self.manifest.save()
        report = Report(results=[self._results[i] for i in sorted(self._results)])
        report.options = {
            "formats": list(self.config.formats),
            "output": str(self.config.output_dir),
            "executor": self.executor.describe(),
            "strict": self.options.strict,
            "force": self.options.force,
        }
        elapsed = time.perf_counter() - started
        report.seconds = elapsed
        return BatchResult(report=report, seconds=elapsed)


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _extension(fmt: str) -> str:
    from .writers import WRITERS

    return WRITERS[fmt].extension


__all__ = ["Batch", "BatchResult", "Executor", "InProcessExecutor", "InputError", "Job",
           "Outcome", "output_stems", "run_job"]
