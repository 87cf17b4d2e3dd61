"""Batch progress on stderr: a rich progress bar on a terminal, one plain line per document
in CI logs (``converter: [12/200] ok samples/a.txt (3 written, 0.41 s, eta 1m05s)``)."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from .pipeline import Result

PROG = "converter"


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def describe(result: Result) -> str:
    """One line about a finished document (without the counter)."""
    if result.status == "failed":
        return f"failed    {result.source}: {result.error}"
    if result.status == "unchanged":
        return f"unchanged {result.source}"
    written = sum(1 for e in result.editions if e.written)
    took = result.seconds.get("total")
    timing = f", {took:.2f} s" if took is not None else ""
    return f"ok        {result.source} ({written} written{timing})"


class Progress:
    """Shows how a batch goes; the base class shows nothing (``--quiet``)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.counts = {"ok": 0, "unchanged": 0, "failed": 0}

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, total: int) -> None:
        """Begin a batch of ``total`` documents."""
        self.started = time.monotonic()

    def result(self, result: Result, done: int, total: int) -> None:
        """A document finished."""
        self.counts[result.status] = self.counts.get(result.status, 0) + 1

    def note(self, line: str, style: str | None = None) -> None:
        """Print a line (a warning, an error) without breaking the display."""
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """The batch is over."""

    def eta(self, done: int, total: int) -> float | None:
        """Seconds left at the average pace so far."""
        if not done or done >= total:
            return None
        return (time.monotonic() - self.started) / done * (total - done)


class PlainProgress(Progress):
    """One line per document, for logs that are not a terminal."""

    def result(self, result: Result, done: int, total: int) -> None:
        super().result(result, done, total)
        eta = self.eta(done, total)
        tail = f" [eta {_duration(eta)}]" if eta is not None else ""
        width = len(str(total))
        self.note(f"{PROG}: [{done:>{width}}/{total}] {describe(result)}{tail}")


class RichProgress(Progress):
    """A progress bar with counts and an ETA (stderr is a terminal)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as Bar,
        )

        self.console = Console(file=self.stream)
        self.bar = Bar(
            TextColumn("converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[green]{task.fields[ok]} ok[/] · {task.fields[unchanged]} unchanged · "
                       "[red]{task.fields[failed]} failed[/]"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self.console,
            # Written files go to stdout: through the bar when both share the terminal, but
            # straight to a pipe or file when stdout is redirected.
            redirect_stdout=sys.stdout.isatty(),
            redirect_stderr=False,
        )
        self.task: Any = None

    def start(self, total: int) -> None:
        super().start(total)
        self.bar.start()
        self.task = self.bar.add_task("convert", total=total, ok=0, unchanged=0, failed=0)

    def result(self, result: Result, done: int, total: int) -> None:
        super().result(result, done, total)
        if result.status == "failed":
            self.note(f"failed {result.source}: {result.error}", style="red")
        self.bar.update(self.task, completed=done, ok=self.counts["ok"],
                        unchanged=self.counts["unchanged"], failed=self.counts["failed"])

    def note(self, line: str, style: str | None = None) -> None:
        from rich.text import Text

        self.console.print(Text(line, style=style or ""), highlight=False, soft_wrap=True)

    def close(self) -> None:
        self.bar.stop()


def make_progress(quiet: bool = False, stream: IO[str] | None = None) -> Progress:
    """Rich bar on a terminal, plain lines otherwise, nothing with ``quiet``."""
    stream = stream or sys.stderr
    if quiet:
        return Progress(stream)
    if stream.isatty():
        return RichProgress(stream)
    return PlainProgress(stream)
