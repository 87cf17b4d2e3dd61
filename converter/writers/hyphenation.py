"""Pyphen's hyphenation patterns, parsed once per machine instead of once per process.

    install()    # before WeasyPrint lays out a document with ``hyphens: auto``

WeasyPrint hyphenates through Pyphen, which parses a ``hyph_*.dic`` file line by line the
first time a process meets a language: 0.11 s for English (14,000 patterns), a third of a
short article's PDF. Here the parsed patterns are stored as JSON under ~/.cache/converter,
keyed by the file's name and SHA-256 and Pyphen's version, and later processes read them back
(0.013 s) into the very structure Pyphen builds (the tests compare both). Dictionaries whose
patterns carry Pyphen's non-standard alternatives (objects, not numbers) are not cached;
anything unexpected (no home folder, a damaged cache, a read-only disk) falls back to
Pyphen's own parser. Hyphenation is unchanged: only where the patterns come from differs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import cache
from ..fileio import write_atomic

log = logging.getLogger("converter")

# Where parsed patterns are kept; None means cache.root() (tests point it elsewhere).
cache_dir: Path | None = None

_lock = threading.Lock()
_installed = False


def install() -> None:
    """Make Pyphen read its parsed patterns from the cache (once per process)."""
    global _installed
    with _lock:
        if _installed:
            return
        import pyphen

        parse = pyphen.HyphDict

        def cached_hyph_dict(path: Any) -> Any:
            try:
                return load(Path(path), parse)
            except Exception as exc:  # noqa: BLE001 - Pyphen's own parser is always there
                log.debug("hyphenation patterns %s not cached: %s", path, exc)
                return parse(path)

        # Pyphen looks HyphDict up by name when a Pyphen object meets a new dictionary.
        pyphen.HyphDict = cached_hyph_dict
        _installed = True


def load(path: Path, parse: Any) -> Any:
    """Return Pyphen's HyphDict (``parse``) for ``path``: from the cache, or parsed and cached."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    root = cache.root(cache_dir)
    name = f"pyphen-{metadata.version('pyphen')}-{path.stem}-{digest}.json"
    cached = root / name if root is not None else None
    if cached is not None and cached.is_file():
        try:
            return _from_json(cached.read_text(encoding="utf-8"), parse)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.debug("hyphenation cache %s unreadable (%s); rebuilding", cached, exc)
    hd = parse(path)
    plain = all(type(v) is int for _, values in hd.patterns.values() for v in values)
    if cached is not None and plain and isinstance(hd, parse):
        _store(cached, {"patterns": {k: [start, list(values)]
                                     for k, (start, values) in hd.patterns.items()},
                        "maxlen": hd.maxlen})
    return hd


def _from_json(text: str, parse: Any) -> Any:
    stored = json.loads(text)
    # One comprehension, then the types checked in bulk: half the time of checking each
    # pattern in a loop (29 -> 14 ms for English, paid by every process's first PDF).
    patterns: dict[str, tuple[int, tuple[int, ...]]] = {
        key: (start, tuple(values)) for key, (start, values) in stored["patterns"].items()}
    if ({type(start) for start, _ in patterns.values()} != {int}
            or not set(map(type, itertools.chain.from_iterable(v for _, v in patterns.values()))) <= {int}):
        raise ValueError("unexpected pattern")
    maxlen = stored["maxlen"]
    if type(maxlen) is not int or not patterns or maxlen != max(map(len, patterns)):
        raise ValueError("inconsistent patterns")
    hd = parse.__new__(parse)  # what HyphDict.__init__ leaves behind, without the parsing
    hd.patterns, hd.cache, hd.maxlen = patterns, {}, maxlen
    return hd


def _store(path: Path, value: dict[str, Any]) -> None:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:  # atomic: concurrent processes never read half a file
        write_atomic(path, text.encode("utf-8"), mode=0o600)
    except OSError as exc:
        log.debug("hyphenation patterns not cached: %s", exc)
