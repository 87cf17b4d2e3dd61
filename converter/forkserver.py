"""The fork server local batch workers come from, and starting it early.

    PRELOAD        # what the fork server imports once; every worker starts with it loaded
    start_early()  # begin that import now, in its own process, while the caller goes on

A ``--jobs 2`` run spends its first ~0.55 s in the fork server importing WeasyPrint, the
normaliser and the writers before any worker can start. Started as soon as the command line
says a batch will need workers (rather than when the first job is handed out, after the
caller's own imports and the manifest check), that import overlaps the caller's: the first
documents finish ~0.15 s sooner. This module imports nothing heavy itself.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.forkserver
import os

# converter.preload imports WeasyPrint the fast way (a plain "weasyprint" here ran ~50
# library-lookup processes and left cffi parsing type strings in every worker) and loads the
# hyphenation patterns and the language model.
PRELOAD = ["converter.batch", "converter.pipeline", "converter.writers", "converter.preload"]


# Python's cyclic garbage collector runs a young-generation pass every 700 net allocations;
# importing WeasyPrint and laying out pages allocate millions of objects, few of them in
# cycles. Every 10,000 instead: 1.3% fewer instructions for ten articles x three editions
# (callgrind, 9.40 G -> 9.27 G), 3% for one article; cycles are still collected. Set by
# converter.cli.main and in every batch worker (forked from a fresh interpreter).
GC_THRESHOLDS = (10_000, 10, 10)


def tune_gc() -> None:
    """Set this process's garbage-collector thresholds (GC_THRESHOLDS)."""
    gc.set_threshold(*GC_THRESHOLDS)


def available_cores() -> int:
    """Return the number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def context() -> multiprocessing.context.ForkServerContext:
    """Return the forkserver context, with converter's modules preloaded in the server."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_early() -> None:
    """Start the fork server now (it is shared by every pool of this process)."""
    context()
    multiprocessing.forkserver.ensure_running()
