"""What the fork server of ``--jobs N`` loads once, so every worker forked from it has it.

Importing this module (``converter.forkserver.PRELOAD`` names it) imports WeasyPrint through
``import_weasyprint`` (one ldconfig listing, WeasyPrint's C declarations from the cache; a
plain ``import weasyprint`` would run ~50 library-lookup processes and leave cffi parsing
type strings with pycparser in every worker), installs the cached hyphenation patterns and
loads the language model (memory-mapped, so the workers share its pages) and Babel's date
names. Each piece is the one a worker would otherwise load for its first document; a failure
here is left for that document to report.
"""

from __future__ import annotations

import logging

log = logging.getLogger("converter")


def _preload() -> None:
    from . import warmup
    from .writers import hyphenation
    from .writers.weasyprint_loader import import_weasyprint

    def dates() -> None:  # Babel's month names, for the title block's date
        from .writers.dates import display_date

        display_date("2000-01-01", "en")

    for step in (import_weasyprint, hyphenation.install, warmup.load_language_model, dates):
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - the document that needs it reports it
            log.debug("preload: %s failed: %s", getattr(step, "__name__", step), exc)


_preload()
