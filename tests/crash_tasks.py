"""Batch tasks for tests/test_batch.py that misbehave on purpose, run in worker processes.

They live in their own module because worker processes import a task by its module name.
"""

from __future__ import annotations

import os

from converter.batch import Job, Outcome, run_job


def raise_for_weird(job: Job) -> Outcome:
    """run_job, except that a file called weird.md hits an unexpected exception."""
    if job.source.name == "weird.md":
        from converter import pipeline

        def broken(*args: object, **kwargs: object) -> bytes:
            raise RuntimeError("cannot handle weird.md")

        pipeline.render, real = broken, pipeline.render
        try:
            return run_job(job)
        finally:
            pipeline.render = real
    return run_job(job)


def die_for_killer(job: Job) -> Outcome:
    """run_job, except that killer.md kills its worker process outright (like a segfault)."""
    if job.source.name == "killer.md":
        os._exit(70)
    return run_job(job)


def slow_for_slowpoke(job: Job) -> Outcome:
    """run_job, except that slowpoke.md takes 8 s (a worker thread no signal can interrupt)."""
    if job.source.name == "slowpoke.md":
        import time

        time.sleep(8)
    return run_job(job)
