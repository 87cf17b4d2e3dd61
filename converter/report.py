"""The batch Report: per-document results, a summary line, the exit code, and JSON output."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import ExitStatus
from .pipeline import Result

REPORT_SCHEMA_VERSION = 1


@dataclass
class Report:
    """Collects results as a batch runs; the exit code comes from here."""

    results: list[Result] = field(default_factory=list)
    internal_errors: int = 0

    def add(self, result: Result) -> None:
        """Record one document's result."""
        self.results.append(result)

    @property
    def failed(self) -> list[Result]:
        """Results whose document could not be converted."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_status(self) -> ExitStatus:
        """0 when every document converted, 1 when any failed."""
        return ExitStatus.FAILED if self.failed else ExitStatus.OK

    def summary(self) -> str:
        """One line: how many converted and failed."""
        ok = len(self.results) - len(self.failed)
        editions = sum(len(r.editions) for r in self.results)
        text = f"{ok} converted ({editions} editions), {len(self.failed)} failed"
        return text

    def as_dict(self) -> dict[str, object]:
        """Return the JSON-ready report."""
        return {
            "schema": REPORT_SCHEMA_VERSION,
            "converter": __version__,
            "summary": {
                "documents": len(self.results),
                "ok": len(self.results) - len(self.failed),
                "failed": len(self.failed),
            },
            "documents": [r.as_dict() for r in self.results],
        }

    def write_json(self, path: Path) -> None:
        """Write the report as JSON (atomically)."""
        tmp = path.with_name(f".{path.name}.part")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)
