"""The batch Report: per-document results, a summary line, the exit code, and JSON output.

``converter convert --report FILE.json`` writes (schema 2, described by ``REPORT_SCHEMA``)::

    {
      "schema": 2,
      "converter": "0.1.0",
      "options": {"formats": ["pdf", "epub", "docx"], "output": "build",
                  "executor": "local processes (2)", "strict": false, "force": false},
      "summary": {"documents": 3, "ok": 1, "unchanged": 1, "failed": 1,
                  "editions_written": 3, "warnings": 0, "seconds": 4.2},
      "documents": [
        {"source": "samples/a.txt", "status": "ok", "title": "Bridge Reopens",
         "editions": [{"format": "pdf", "path": "build/a.pdf", "bytes": 48213,
                       "sha256": "…", "written": true}, …],
         "warnings": [{"code": "pdf.warning", "stage": "write_pdf", "message": "…"}],
         "changes": [{"rule": "lists.detached-marker", "where": "line 4", "before": "…", "after": "…"}],
         "error": null, "error_category": null,
         "seconds": {"read": 0.001, "normalise": 0.02, "write_pdf": 0.3, "write_epub": 0.01,
                     "write_docx": 0.05, "save": 0.001, "total": 0.4},
         "worker": {"host": "build-1", "pid": 4242, "peak_rss_bytes": 152043520}},
        {"source": "samples/b.txt", "status": "unchanged", "editions": [… "written": false …], …},
        {"source": "samples/c.txt", "status": "failed", "editions": [],
         "error": "binary file (PDF document), not text", "error_category": "input", …}
      ]
    }

Documents appear in input order. ``status`` is ``ok`` (editions written), ``unchanged`` (every
edition was already up to date, nothing written) or ``failed`` (``error`` says why, in one
line; nothing of that document was written by this run).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ExitStatus
from .pipeline import Result

REPORT_SCHEMA_VERSION = 2
STATUSES = ("ok", "unchanged", "failed")

_NULLABLE_STRING = {"type": ["string", "null"]}
_WARNING = {
    "type": "object",
    "required": ["code", "stage", "message"],
    "properties": {
        "code": {"type": "string", "description": "dotted rule code, e.g. pdf.warning"},
        "stage": {"type": "string", "description": "read, normalise or write_<format>"},
        "message": {"type": "string"},
    },
}
_EDITION = {
    "type": "object",
    "required": ["format", "path", "bytes", "sha256", "written"],
    "properties": {
        "format": {"type": "string"},
        "path": {"type": "string"},
        "bytes": {"type": "integer", "minimum": 0},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "written": {"type": "boolean", "description": "false when reused from an earlier run"},
    },
}

# JSON Schema (draft 2020-12) of the report; `converter report-schema` prints it.
REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "converter batch report",
    "type": "object",
    "required": ["schema", "converter", "options", "summary", "documents"],
    "properties": {
        "schema": {"const": REPORT_SCHEMA_VERSION},
        "converter": {"type": "string"},
        "options": {"type": "object"},
        "summary": {
            "type": "object",
            "required": ["documents", "ok", "unchanged", "failed", "editions_written", "warnings",
                         "seconds"],
            "properties": {k: {"type": "integer", "minimum": 0} for k in
                           ("documents", "ok", "unchanged", "failed", "editions_written", "warnings")}
            | {"seconds": {"type": "number", "minimum": 0}},
        },
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "status", "editions", "warnings", "error", "seconds"],
                "properties": {
                    "source": {"type": "string"},
                    "status": {"enum": list(STATUSES)},
                    "title": _NULLABLE_STRING,
                    "editions": {"type": "array", "items": _EDITION},
                    "warnings": {"type": "array", "items": _WARNING},
                    "changes": {"type": "array", "items": {"type": "object"}},
                    "error": _NULLABLE_STRING,
                    "error_category": _NULLABLE_STRING,
                    "seconds": {"type": "object", "additionalProperties": {"type": "number"}},
                    "worker": {"type": ["object", "null"]},
                },
            },
        },
    },
}


@dataclass
class Report:
    """Collects results as a batch runs; the exit code comes from here."""

    results: list[Result] = field(default_factory=list)
    internal_errors: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, result: Result) -> None:
        """Record one document's result."""
        self.results.append(result)

    def _with(self, status: str) -> list[Result]:
        return [r for r in self.results if r.status == status]

    @property
    def failed(self) -> list[Result]:
        """Results whose document could not be converted."""
        return self._with("failed")

    @property
    def unchanged(self) -> list[Result]:
        """Results whose editions were all up to date already."""
        return self._with("unchanged")

    @property
    def converted(self) -> list[Result]:
        """Results with editions written by this run."""
        return self._with("ok")

    @property
    def editions_written(self) -> int:
        """How many edition files this run wrote."""
        return sum(1 for r in self.results for e in r.editions if e.written)

    @property
    def exit_status(self) -> ExitStatus:
        """0 when every document converted (or was up to date), 1 when any failed."""
        return ExitStatus.FAILED if self.failed else ExitStatus.OK

    def summary(self) -> str:
        """One line: how many converted, unchanged and failed."""
        text = (f"{len(self.converted)} converted ({self.editions_written} editions written), "
                f"{len(self.unchanged)} unchanged, {len(self.failed)} failed")
        if self.seconds:
            text += f" in {self.seconds:.1f} s"
        return text

    def as_dict(self) -> dict[str, object]:
        """Return the JSON-ready report."""
        return {
            "schema": REPORT_SCHEMA_VERSION,
            "converter": __version__,
            "options": self.options,
            "summary": {
                "documents": len(self.results),
                "ok": len(self.converted),
                "unchanged": len(self.unchanged),
                "failed": len(self.failed),
                "editions_written": self.editions_written,
                "warnings": sum(len(r.warnings) for r in self.results),
                "seconds": round(self.seconds, 3),
            },
            "documents": [r.as_dict() for r in self.results],
        }

    def write_json(self, path: Path) -> None:
        """Write the report as JSON (atomically)."""
        from .fileio import write_atomic

        text = json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"
        write_atomic(Path(path), text.encode("utf-8"))
