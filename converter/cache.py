"""The folder where converter keeps what it works out once per machine.

    cache.root()            # $XDG_CACHE_HOME/converter, else ~/.cache/converter
    cache.root(override)    # a module's own ``cache_dir`` when set (tests point it elsewhere)

Three things live there, each written atomically and keyed by what it was made from, so a
stale or damaged entry is rebuilt rather than trusted: py3langid's unpacked language model
(converter/language_model.py), WeasyPrint's compiled C declarations
(converter/writers/weasyprint_loader.py) and Pyphen's parsed hyphenation patterns
(converter/writers/hyphenation.py). ``None`` (no home folder) means: do without a cache.
"""

from __future__ import annotations

import os
from pathlib import Path


def root(override: Path | None = None) -> Path | None:
    """Return the cache folder (which may not exist yet), or None when there is none."""
    if override is not None:
        return override
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / "converter"
    try:
        return Path.home() / ".cache" / "converter"
    except RuntimeError:  # no home folder
        return None
