"""The incremental-build manifest: which inputs made each edition in an output folder.

    build/.converter-manifest.json
    {"schema": 1, "editions": {"bridge.pdf": {"source": "in/bridge.txt", "key": "9f2c…",
      "bytes": 48213, "sha256": "…", "mtime_ns": 1732540000000000000,
      "warnings": [...], "document_warnings": [...], "title": "…"}}}

An edition is rebuilt only when its *key* changes. The key is a SHA-256 over everything
that decides the edition's bytes: the source bytes and file name, the format, the
run options (``Config`` minus where files go; a file option such as the cover counts with
its bytes), the style files the format's writer reads, and the converter's fingerprint
(its version, a hash of its own code, and the versions of the libraries that lay the
editions out). The image files beside the source that an edition embeds are recorded with
their SHA-256 ("depends") and checked too. An edition whose file was deleted or touched
since (size or mtime differ) is rebuilt. ``--force`` ignores the manifest. Remote images
(``--allow-remote``) are not tracked: use ``--force`` when they change.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .fileio import write_atomic

MANIFEST_NAME = ".converter-manifest.json"
MANIFEST_SCHEMA = 1

# The files in the styles folder each writer reads. tests/test_batch_manifest.py checks this
# against the writers' own ``config.style("...")`` calls, so a new style file cannot be missed.
STYLES_USED: dict[str, tuple[str, ...]] = {
    "pdf": ("pdf.css",),
    "epub": ("epub.css",),
    "docx": ("reference.docx",),
    "html": ("epub.css",),
    "md": (),
}

# Config fields that say where things go or how the run behaves, not what an edition holds.
_NOT_CONTENT = frozenset({"formats", "output_dir", "styles_dir", "debug", "max_bytes"})

# Libraries whose version can change an edition's bytes.
_LIBRARIES = ("weasyprint", "pydyf", "ebooklib", "pypandoc-binary", "lxml", "beautifulsoup4",
              "markdown-it-py", "mdit-py-plugins", "ftfy", "py3langid", "fonttools")


@functools.cache
def fingerprint() -> str:
    """Return a hash of the converter's version, its code and its layout libraries' versions."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}".encode())
    return digest.hexdigest()[:32]


def refresh_fingerprint() -> str:
    """Recompute the fingerprint: the package's files may have changed since it was cached."""
    fingerprint.cache_clear()
    return fingerprint()


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def options_key(config: Config) -> dict[str, Any]:
    """Return the options that shape an edition's content (every Config field that does).

    A field naming a file (an EPUB cover image) counts with the file's bytes.
    """
    key: dict[str, Any] = {}
    for f in dataclasses.fields(config):
        if f.name in _NOT_CONTENT:
            continue
        value = getattr(config, f.name)
        key[f.name] = _jsonable(value)
        if isinstance(value, Path):
            try:
                key[f.name] += "#" + hashlib.sha256(value.read_bytes()).hexdigest()
            except OSError:
                pass
    return key


def styles_hash(config: Config, fmt: str) -> str:
    """Hash the style files the ``fmt`` writer reads (all of the folder for unknown formats)."""
    digest = hashlib.sha256()
    names = STYLES_USED.get(fmt)
    folder = config.styles_dir
    paths = ([folder / n for n in names] if names is not None
             else sorted(p for p in folder.rglob("*") if p.is_file()))
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"(missing)")
    return digest.hexdigest()


class KeyMaker:
    """Computes edition keys for one run (options, styles and fingerprint hashed once)."""

    def __init__(self, config: Config) -> None:
        base = json.dumps({"converter": fingerprint(), "options": options_key(config)},
                          sort_keys=True)
        self._base = {fmt: f"{base}|{fmt}|{styles_hash(config, fmt)}" for fmt in config.formats}

    def key(self, fmt: str, source: Path, source_sha256: str) -> str:
        """Return the key of the ``fmt`` edition made from a source with this content."""
        # The file name counts: the extension picks the reader, the stem the fallback title.
        text = f"{self._base[fmt]}|{source.name}|{source_sha256}"
        return hashlib.sha256(text.encode()).hexdigest()


class Manifest:
    """The output folder's record of what made each edition; loaded and saved by the batch."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_NAME
        self.editions: dict[str, dict[str, Any]] = {}
        self.dirty = False

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Read the manifest; a missing, unreadable or foreign one counts as empty."""
        manifest = cls(folder)
        try:
            data = json.loads(manifest.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return manifest
        if isinstance(data, dict) and data.get("schema") == MANIFEST_SCHEMA:
            editions = data.get("editions")
            if isinstance(editions, dict):
                manifest.editions = editions
        return manifest

    def current(self, name: str, key: str) -> dict[str, Any] | None:
        """Return the entry for edition file ``name`` if it was made with ``key`` and is intact."""
        entry = self.editions.get(name)
        if not entry or entry.get("key") != key:
            return None
        try:
            stat = (self.path.parent / name).stat()
        except OSError:
            return None
        if stat.st_size != entry.get("bytes") or stat.st_mtime_ns != entry.get("mtime_ns"):
            return None
        return entry

    def record(self, name: str, entry: dict[str, Any]) -> None:
        """Remember how edition file ``name`` was made (call after it was written)."""
        stat = (self.path.parent / name).stat()
        entry = {**entry, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        self.editions[name] = entry
        self.dirty = True

    def forget(self, name: str) -> None:
        """Drop edition file ``name`` so the next run rebuilds it."""
        if self.editions.pop(name, None) is not None:
            self.dirty = True

    def save(self) -> bool:
        """Write the manifest atomically when something changed; False if it cannot be written.

        An unwritable output folder has already failed every document that needed it, and
        a manifest that is not saved only costs a rebuild next time.
        """
        if not self.dirty:
            return True
        payload = {"schema": MANIFEST_SCHEMA, "editions": dict(sorted(self.editions.items()))}
        text = json.dumps(payload, indent=1, ensure_ascii=False) + "\n"
        try:
            write_atomic(self.path, text.encode("utf-8"))
        except OSError:
            return False
        self.dirty = False
        return True
