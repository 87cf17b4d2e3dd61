"""read -> normalise -> write, for one input. Pure: never prints, never reads the environment.

``convert`` is the library's one-call API (it writes the editions itself). The batch runner
(``converter.batch``) uses the same stages, ``read_source``, ``repair`` and ``render``, in
worker processes that hand edition bytes back to the caller.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import itertools
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, MetadataOverrides
from .document import Document
from .errors import ConverterError, UnsupportedInputError, UsageError
from .fileio import write_atomic  # noqa: F401 - callers import it from here
from .normalise import normalise
from .normalise.metadata import parse_date
from .readers import READERS, read_bytes
from .readers.encoding import decode_bytes
from .resources import ResourcePolicy, screen_document
from .writers import get_writer

# Loggers whose warnings belong to the document being converted.
WARNING_LOGGERS = ("converter",)


@dataclass
class Edition:
    """One file written for a document (``written`` is False when reused from a past run)."""

    format: str
    path: Path
    bytes: int
    sha256: str
    written: bool = True

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {"format": self.format, "path": str(self.path), "bytes": self.bytes,
                "sha256": self.sha256, "written": self.written}


@dataclass
class Result:
    """What happened to one input: its editions, changes, warnings, timings or its error."""

    source: Path
    status: str = "ok"  # "ok", "unchanged" or "failed"
    editions: list[Edition] = field(default_factory=list)
    document: Document | None = None
    error: str | None = None
    error_category: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    title: str | None = None
    changes: list[dict[str, str]] = field(default_factory=list)
    # {"code": "pdf.image-refused", "stage": "write_pdf", "message": "..."}
    warnings: list[dict[str, str]] = field(default_factory=list)
    worker: dict[str, Any] | None = None
    traceback: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (the report's per-document entry)."""
        doc = self.document
        return {
            "source": str(self.source),
            "status": self.status,
            "error": self.error,
            "error_category": self.error_category,
            "title": self.title if self.title is not None else (doc.meta.title if doc else None),
            "editions": [e.as_dict() for e in self.editions],
            "warnings": list(self.warnings),
            "changes": self.changes or ([c.as_dict() for c in doc.changes] if doc else []),
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
            "worker": self.worker,
        }


def _apply(meta_values: MetadataOverrides, doc: Document, *, only_missing: bool) -> None:
    for name in ("title", "author", "date", "language"):
        value = getattr(meta_values, name)
        if not value or (only_missing and getattr(doc.meta, name)):
            continue
        if name == "date":
            date = parse_date(value)
            if date is None:
                raise UsageError(f"--date {value!r} is not a date (use YYYY-MM-DD)")
            value = date
        setattr(doc.meta, name, value)


def apply_overrides(doc: Document, config: Config) -> None:
    """Let command-line metadata win over what the normaliser found; defaults fill the gaps."""
    _apply(config.overrides, doc, only_missing=False)
    _apply(config.defaults, doc, only_missing=True)


def check_supported(source: Path) -> None:
    """Raise UnsupportedInputError unless a reader handles the file's extension."""
    if source.suffix.lower() not in READERS:
        kinds = ", ".join(sorted(READERS))
        raise UnsupportedInputError(
            f"unsupported file type {source.suffix or '(none)'!r} (use {kinds})", source
        )


def read_source(source: Path, config: Config, data: bytes | None = None) -> Document:
    """Read ``source`` (or its already-read ``data``) with the reader for its extension."""
    check_supported(source)
    reader = READERS[source.suffix.lower()]
    if data is None:
        data = read_bytes(source, config.max_bytes)
    return reader(decode_bytes(data, source), source)


def repair(doc: Document, config: Config) -> None:
    """Run the normaliser passes and apply the metadata overrides and defaults."""
    # Before anything else sees it: images the article may not load become their alt text.
    screen_document(doc, ResourcePolicy.for_document(doc, config))
    if config.overrides.language:
        doc.meta.language = config.overrides.language  # French spacing needs it during the passes
    normalise(doc, disable=config.disabled_passes, enable=config.enabled_passes)
    apply_overrides(doc, config)


def prepare(path: str | Path, config: Config | None = None) -> Document:
    """Read ``path`` and return the normalised Document."""
    config = config or Config()
    doc = read_source(Path(path), config)
    repair(doc, config)
    return doc


def output_path(source: Path, fmt: str, config: Config, stem: str | None = None) -> Path:
    """Return where the ``fmt`` edition of ``source`` goes: OUTDIR/<stem>.<ext>."""
    writer_cls = get_writer(fmt, config).__class__
    return config.output_dir / f"{stem or source.stem}{writer_cls.extension}"


def begin(doc: Document, fmt: str, config: Config) -> None:
    """Start what another process can do for the ``fmt`` edition (pandoc's conversion for
    DOCX and Markdown), so it runs while the other editions render; ``render`` collects it."""
    get_writer(fmt, config).begin(doc)


def render(doc: Document, fmt: str, config: Config, name: str = "edition") -> bytes:
    """Return the bytes of the ``fmt`` edition of ``doc`` (written in a private temp folder)."""
    writer = get_writer(fmt, config)
    target = _scratch_folder() / f"{next(_scratch_names)}-{name}{writer.extension}"
    try:
        return writer.write(doc, target).read_bytes()
    finally:
        target.unlink(missing_ok=True)


# One private temp folder per process for render(), removed at exit: a folder per edition
# cost a directory removal each, 3-7 ms on an ext4 disk mounted with discard (0.1-0.2 s
# for ten articles' thirty editions).
_scratch: tuple[int, Path] | None = None
_scratch_lock = threading.Lock()
_scratch_names = itertools.count()


def _scratch_folder() -> Path:
    global _scratch
    with _scratch_lock:
        if _scratch is None or _scratch[0] != os.getpid() or not _scratch[1].is_dir():
            folder = Path(tempfile.mkdtemp(prefix="converter-"))
            _scratch = (os.getpid(), folder)
            atexit.register(_remove_scratch, os.getpid(), folder)
        return _scratch[1]


def _remove_scratch(pid: int, folder: Path) -> None:
    if os.getpid() == pid:  # not in a forked child that inherited the exit handler
        shutil.rmtree(folder, ignore_errors=True)


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class WarningLog:
    """Collects the warnings logged while one document is converted, with the stage."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.stage = "read"
        self.items: list[dict[str, str]] = []

    def add(self, code: str, message: str) -> None:
        """Record one warning for the current stage."""
        for prefix in (f"{self.source}: ", f"{self.source.name}: "):  # the writers' "where"
            if message.startswith(prefix):
                message = message[len(prefix):]
                break
        self.items.append({"code": code, "stage": self.stage, "message": message})

    def add_document_warnings(self, doc: Document) -> None:
        """Take the warnings the readers and passes left on the Document."""
        for text in doc.warnings:
            code, sep, rest = text.partition(": ")
            if sep and " " not in code and "." in code:
                self.add(code, rest)
            else:
                self.add(f"{self.stage}.warning", text)


class _Capture(logging.Handler):
    """Routes warnings logged on this thread into a WarningLog (other threads: untouched)."""

    def __init__(self, log: WarningLog) -> None:
        super().__init__(logging.WARNING)
        self.log = log
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        stage = self.log.stage
        fmt = stage.removeprefix("write_")
        code = getattr(record, "code", None) or f"{fmt}.warning"
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not fail the document
            message = str(record.msg)
        self.log.add(code, message)


@contextlib.contextmanager
def capture_warnings(source: Path) -> Iterator[WarningLog]:
    """Collect the "converter" logger's warnings for one document instead of printing them."""
    log = WarningLog(source)
    handler = _Capture(log)
    loggers = [logging.getLogger(name) for name in WARNING_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield log
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def convert(source: str | Path, config: Config | None = None, stem: str | None = None) -> Result:
    """Convert one input into every format in ``config.formats``; errors land in the Result."""
    config = config or Config()
    source = Path(source)
    result = Result(source=source)
    with capture_warnings(source) as warnings:
        try:
            started = time.perf_counter()
            doc = read_source(source, config)
            result.seconds["read"] = time.perf_counter() - started
            warnings.stage = "normalise"
            started = time.perf_counter()
            repair(doc, config)
            warnings.add_document_warnings(doc)
            result.seconds["normalise"] = time.perf_counter() - started
            result.document = doc
            result.title = doc.meta.title
            for fmt in config.formats:
                writer = get_writer(fmt, config)
                target = output_path(source, fmt, config, stem)
                warnings.stage = f"write_{fmt}"
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
                result.editions.append(
                    Edition(fmt, target, target.stat().st_size, sha256_file(target))
                )
        except ConverterError as exc:
            result.status = "failed"
            result.error = exc.message
            result.error_category = exc.category
    result.warnings = warnings.items
    return result
