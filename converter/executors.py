"""Where batch Jobs run: local worker processes, or a Dask distributed cluster.

Both run ``converter.batch.run_job`` and hand its Outcome (edition bytes, warnings, timings)
back to the caller, which writes every file; so both produce the same editions and report.

Local workers are started once (with the converter and WeasyPrint already imported by the
fork server) and reused for every document, so per-process caches (fonts, stylesheets, a
pandoc server) are paid once per worker. At most two jobs per worker are in flight, so a
batch of 100,000 articles never holds more than a few sources in memory. A worker that
dies (a crash in a native library, the OOM killer) takes only its own document down: the
jobs that were in flight are retried one at a time in a fresh worker, and the one that
kills it again is reported as failed.
"""

from __future__ import annotations

import itertools
import logging
import queue
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .batch import Executor, InProcessExecutor, Job, Outcome, run_job
from .errors import UsageError
from .forkserver import context, tune_gc

log = logging.getLogger("converter")


def _init_worker(scratch: str | None = None) -> None:
    """Run once in each worker process: Ctrl-C is the caller's to handle; the garbage
    collector tuned as in a --jobs 1 run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tune_gc()
    if scratch:
        # Temporary files go into a folder the caller removes once the workers are stopped:
        # Ctrl-C terminates them mid-render, before they could clean up after themselves.
        tempfile.tempdir = scratch


def _failed(job: Job, message: str, category: str = "worker") -> Outcome:
    return Outcome(index=job.index, status="failed", error=message, error_category=category)


class ProcessExecutor(Executor):
    """Runs jobs on N local worker processes (``--jobs N``)."""

    name = "local processes"

    def __init__(self, jobs: int, task: Callable[[Job], Outcome] = run_job) -> None:
        self.jobs = max(1, jobs)
        self.task = task  # a module-level function (workers import it by name)
        self._pool: ProcessPoolExecutor | None = None
        self._scratch: str | None = None
        self._context = context()

    def describe(self) -> str:
        return f"local processes ({self.jobs})"

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        self._scratch = tempfile.mkdtemp(prefix="converter-workers-")
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=self._context,
                                         initializer=_init_worker, initargs=(self._scratch,))
        return self._pool

    def run(self, jobs: Iterator[Job]) -> Iterator[tuple[Job, Outcome]]:
        # Most documents of a re-run are unchanged: start workers only for two jobs or more.
        first, second = next(jobs, None), next(jobs, None)
        if first is None:
            return
        if second is None:
            yield first, self.task(first)
            return
        jobs = itertools.chain((first, second), jobs)
        pool = self._new_pool(self.jobs)
        inflight: dict[Future[Outcome], Job] = {}
        exhausted = False
        while True:
            while not exhausted and len(inflight) < 2 * self.jobs:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    break
                inflight[pool.submit(self.task, job)] = job
            if not inflight:
                return
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            suspects: list[Job] = []
            for future in done:
                job = inflight.pop(future)
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    suspects.append(job)
                except Exception as exc:  # noqa: BLE001 - e.g. an Outcome that cannot be pickled
                    yield job, _failed(job, f"worker error: {type(exc).__name__}: {exc}")
            if suspects:
                # The pool is gone, and with it every job still in flight.
                suspects.extend(inflight.values())
                inflight.clear()
                self._shutdown()
                yield from self._isolate(sorted(suspects, key=lambda j: j.index))
                pool = self._new_pool(self.jobs)

    def _isolate(self, suspects: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Retry the jobs a dead worker took down, one at a time, to find the one that kills."""
        pool = self._new_pool(1)
        for job in suspects:
            try:
                yield job, pool.submit(self.task, job).result()
            except BrokenProcessPool:
                yield job, _failed(job, "the worker process died converting this document "
                                        "(crashed or killed for using too much memory)")
                self._shutdown()
                pool = self._new_pool(1)
        self._shutdown()

    def _shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes: dict[Any, Any] = dict(getattr(pool, "_processes", None) or {})
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes.values():
            if process.is_alive():
                process.terminate()
        for process in processes.values():
            process.join(timeout=5)
        scratch, self._scratch = self._scratch, None
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)

    def close(self) -> None:
        self._shutdown()


class DaskExecutor(Executor):
    """Runs jobs on a Dask distributed cluster (``--executor dask --scheduler ADDRESS``)."""

    name = "dask"
    remote = True

    def __init__(self, address: str, connect_timeout: float = 10.0,
                 wait_for_workers: float = 60.0,
                 task: Callable[[Job], Outcome] | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError(
                "--executor dask needs Dask: pip install 'converter[dask]'"
            ) from None
        self.address = address
        self.task = task or run_job  # a module-level function (workers import it by name)
        try:
            self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        try:
            self.client.wait_for_workers(1, timeout=wait_for_workers)
        except TimeoutError:
            self.client.close()
            raise UsageError(f"the Dask scheduler at {address} has no workers "
                             f"(waited {wait_for_workers:g} s)") from None
        self.threads = max(1, sum(self.client.nthreads().values()))

    def describe(self) -> str:
        return f"dask ({self.address}, {self.threads} worker threads)"

    def run(self, jobs: Iterator[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Submit jobs (at most two per worker thread in flight) and yield their outcomes.

        --timeout: a task runs in a Dask worker's thread, where no signal can interrupt it,
        so the caller keeps the clock. A job's clock starts when it may run, i.e. when it is
        among the first N in flight (N = the cluster's worker threads; the others queue
        behind them); one still unfinished ``timeout`` seconds later is failed as a local
        run fails it, and its future cancelled, unless the workers say it is not executing
        yet (Dask queued it on a worker behind a slow document): then it is sent again, to
        the other workers, and its clock starts afresh; on a one-worker cluster its clock
        stops until a poll of the workers (every tenth of the timeout, at most every second)
        finds it running. Dask cannot stop a running task: the worker
        thread finishes (or stays stuck in) that document in the background, so a cluster
        with hung documents should restart its workers (``dask worker --lifetime``).
        """
        limit = max(4, 2 * self.threads)
        finished: queue.SimpleQueue[Any] = queue.SimpleQueue()  # keys, from Dask's threads
        inflight: dict[Any, tuple[Job, Any]] = {}  # key -> (job, future), in submission order
        started: dict[Any, float] = {}  # key -> when its clock started
        # Jobs whose time ran out while no worker was executing them (queued behind a slow
        # document): no clock until a poll of the workers finds them running.
        queued: set[Any] = set()
        poll_at = 0.0

        def send(job: Job, **placement: Any) -> None:
            future = self.client.submit(self.task, job, pure=False, **placement)
            inflight[future.key] = (job, future)
            future.add_done_callback(lambda done: finished.put(done.key))

        def submit(count: int) -> None:
            for job in itertools.islice(jobs, count):
                send(job)

        def move(keys: list[Any]) -> list[Any]:
            """Send again, to another worker, the jobs queued on a worker that a slow document
            keeps busy; return the keys that could not be moved (one worker only)."""
            holders = self._holders(keys)
            workers = self._workers()
            stuck = []
            for key in keys:
                others = [w for w in workers if w != holders.get(key)]
                if key not in holders or not others:
                    stuck.append(key)
                    continue
                job, future = inflight.pop(key)
                started.pop(key, None)
                future.cancel()
                future.release()
                send(job, workers=others, allow_other_workers=True)
            return stuck

        def start_clocks() -> None:
            now = time.monotonic()
            for key in itertools.islice(inflight, self.threads):
                if key not in queued:
                    started.setdefault(key, now)

        def deadline() -> float | None:
            ends = [started[k] + job.timeout for k, (job, _f) in inflight.items()
                    if k in started and job.timeout]
            if queued:
                ends.append(poll_at)
            return min(ends) if ends else None

        submit(limit)
        while inflight:
            start_clocks()
            end = deadline()
            wait_for = None if end is None else max(0.05, end - time.monotonic())
            ready: set[Any] = set()
            try:
                ready.add(finished.get(timeout=wait_for))
                while True:
                    ready.add(finished.get_nowait())
            except queue.Empty:
                pass
            now = time.monotonic()
            queued -= ready
            expired = [key for key, (job, _f) in inflight.items() if key not in ready
                       and job.timeout and key in started and now - started[key] >= job.timeout]
            if expired or (queued and now >= poll_at):
                running = self._executing(expired + list(queued))
                if running is not None:
                    # Not started yet: queued on a worker behind a slow document. It goes to
                    # another worker; with none, it waits there without a clock until it runs.
                    for key in move([key for key in expired if key not in running]):
                        del started[key]
                        queued.add(key)
                    for key in list(queued):
                        if key in running:
                            queued.discard(key)
                            started[key] = now
                    # Queued jobs all have a timeout (theirs ran out): poll at a tenth of it.
                    poll_at = now + min([1.0] + [inflight[k][0].timeout / 10 for k in queued])
                else:
                    for key in list(queued):  # the workers cannot be asked: count from now
                        queued.discard(key)
                        started[key] = now
            for key in list(inflight):
                job, future = inflight[key]
                if key in ready:
                    try:
                        outcome = future.result()
                    except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection, ...
                        outcome = _failed(job, f"dask: {type(exc).__name__}: {exc}")
                elif job.timeout and key in started and now - started[key] >= job.timeout:
                    future.cancel()
                    outcome = _failed(job, f"took longer than {job.timeout:g} s (raise it with "
                                           "--timeout)", category="timeout")
                else:
                    continue
                del inflight[key]
                started.pop(key, None)
                queued.discard(key)
                future.release()
                yield job, outcome
            submit(limit - len(inflight))

    def _holders(self, keys: list[Any]) -> dict[Any, str]:
        """Return the worker each of ``keys`` is assigned to, as far as the scheduler says."""
        try:
            return self.client.run_on_scheduler(_assigned_workers, keys)
        except Exception as exc:  # noqa: BLE001 - a scheduler that will not say
            log.debug("dask: cannot ask the scheduler where jobs wait: %s", exc)
            return {}

    def _workers(self) -> list[str]:
        try:
            return list(self.client.scheduler_info().get("workers", {}))
        except Exception:  # noqa: BLE001
            return []

    def _executing(self, keys: list[Any]) -> set[Any] | None:
        """Return which of ``keys`` a worker is running now; None when they cannot be asked
        (then every expired job counts as running, as before)."""
        try:
            answers = self.client.run(_executing_keys, keys)
        except Exception as exc:  # noqa: BLE001 - a worker gone or not answering
            log.debug("dask: cannot ask the workers what they run: %s", exc)
            return None
        return {key for found in answers.values() for key in found}

    def close(self) -> None:
        self.client.close()


def _assigned_workers(keys: list[Any], dask_scheduler: Any = None) -> dict[Any, str]:
    """On the Dask scheduler: the address of the worker each of ``keys`` is assigned to."""
    tasks = getattr(dask_scheduler, "tasks", {}) or {}
    out = {}
    for key in keys:
        worker = getattr(tasks.get(key), "processing_on", None)
        if worker is not None:
            out[key] = worker.address
    return out


def _executing_keys(keys: list[Any], dask_worker: Any = None) -> list[Any]:
    """On a Dask worker: the keys among ``keys`` it is executing (not merely holding)."""
    state = getattr(dask_worker, "state", dask_worker)
    tasks = getattr(state, "tasks", {}) or {}
    return [key for key in keys
            if getattr(tasks.get(key), "state", None) in ("executing", "long-running")]


def make_executor(kind: str, jobs: int, scheduler: str | None, todo_hint: int | None = None) -> Executor:
    """Return the executor for ``--executor`` (local: in-process when one worker is enough)."""
    if kind == "dask":
        if not scheduler:
            raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskExecutor(scheduler)
    if kind != "local":
        raise UsageError(f"unknown executor {kind!r} (choose from local, dask)")
    workers = jobs if todo_hint is None else min(jobs, todo_hint)
    return InProcessExecutor() if workers <= 1 else ProcessExecutor(workers)
