"""read -> normalise -> write, for one input. Pure: never prints, never reads the environment."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .document import Document
from .errors import ConverterError, UsageError
from .normalise import normalise
from .normalise.metadata import parse_date
from .readers import read_document
from .writers import get_writer


@dataclass
class Edition:
    """One file written for a document."""

    format: str
    path: Path
    bytes: int
    sha256: str

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {"format": self.format, "path": str(self.path), "bytes": self.bytes, "sha256": self.sha256}


@dataclass
class Result:
    """What happened to one input: its editions, changes, warnings, timings or its error."""

    source: Path
    status: str = "ok"  # "ok" or "failed"
    editions: list[Edition] = field(default_factory=list)
    document: Document | None = None
    error: str | None = None
    error_category: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (the report's per-document entry)."""
        doc = self.document
        return {
            "source": str(self.source),
            "status": self.status,
            "error": self.error,
            "error_category": self.error_category,
            "title": doc.meta.title if doc else None,
            "editions": [e.as_dict() for e in self.editions],
            "changes": [c.as_dict() for c in doc.changes] if doc else [],
            "warnings": list(doc.warnings) if doc else [],
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }


def apply_overrides(doc: Document, config: Config) -> None:
    """Let command-line metadata win over what the normaliser found."""
    over = config.overrides
    if over.title:
        doc.meta.title = over.title
    if over.author:
        doc.meta.author = over.author
    if over.date:
        date = parse_date(over.date)
        if date is None:
            raise UsageError(f"--date {over.date!r} is not a date (use YYYY-MM-DD)")
        doc.meta.date = date
    if over.language:
        doc.meta.language = over.language


def prepare(path: str | Path, config: Config | None = None) -> Document:
    """Read ``path`` and return the normalised Document."""
    config = config or Config()
    doc = read_document(Path(path), config.max_bytes)
    normalise(doc, disable=config.disabled_passes)
    apply_overrides(doc, config)
    return doc


def output_path(source: Path, fmt: str, config: Config, stem: str | None = None) -> Path:
    """Return where the ``fmt`` edition of ``source`` goes: OUTDIR/<stem>.<ext>."""
    writer_cls = get_writer(fmt, config).__class__
    return config.output_dir / f"{stem or source.stem}{writer_cls.extension}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def convert(source: str | Path, config: Config | None = None, stem: str | None = None) -> Result:
    """Convert one input into every format in ``config.formats``; errors land in the Result."""
    config = config or Config()
    source = Path(source)
    result = Result(source=source)
    try:
        started = time.perf_counter()
        doc = read_document(source, config.max_bytes)
        result.seconds["read"] = time.perf_counter() - started
        started = time.perf_counter()
        normalise(doc, disable=config.disabled_passes)
        apply_overrides(doc, config)
        result.seconds["normalise"] = time.perf_counter() - started
        result.document = doc
        for fmt in config.formats:
            writer = get_writer(fmt, config)
            target = output_path(source, fmt, config, stem)
            started = time.perf_counter()
            try:
                writer.write(doc, target)
            except ConverterError:
                raise
            except OSError as exc:
                raise ConverterError(
                    f"cannot write {target}: {exc.strerror or exc}", source
                ) from exc
            result.seconds[f"write_{fmt}"] = time.perf_counter() - started
            result.editions.append(Edition(fmt, target, target.stat().st_size, _sha256(target)))
    except ConverterError as exc:
        result.status = "failed"
        result.error = exc.message
        result.error_category = exc.category
    return result
