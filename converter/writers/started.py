"""Editions whose pandoc conversion was sent ahead (``Writer.begin``), waiting for ``write``.

    DocxWriter(config).begin(doc)       # the page goes to the pandoc worker now
    PdfWriter(config).write(doc, ...)   # meanwhile pandoc converts in its own process
    DocxWriter(config).write(doc, ...)  # collects pandoc's reply instead of asking again

One slot per format and thread: a ``begin`` replaces what an earlier one left (its reply is
read and dropped by the worker when the next one is wanted). ``take`` hands the request back
only for the very Document and Config it was made from, so a ``write`` of anything else
converts afresh; anything that goes wrong sending leaves the slot empty and ``write`` does
the whole conversion itself, as without ``begin``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .. import pandoc_worker
from ..config import Config
from ..document import Document


@dataclass
class Started:
    """One request sent ahead: what it was made from, and the reply to collect."""

    doc: Document
    config: Config
    page: bytes
    pending: pandoc_worker.Pending


_slots: dict[tuple[str, int], Started] = {}
_lock = threading.Lock()


def begin(fmt: str, doc: Document, config: Config, page: bytes,
          request: pandoc_worker.PandocRequest) -> None:
    """Send ``request`` to this process's pandoc worker and keep it for ``take``."""
    from .docx import pandoc_binary

    key = (fmt, threading.get_ident())
    with _lock:
        _slots.pop(key, None)
    try:
        worker = pandoc_worker.shared_worker(pandoc_binary())
        if worker is None or not worker.usable:
            return
        pending = worker.submit(request)
    except (pandoc_worker.PandocUnavailable, pandoc_worker.PandocFailed,
            pandoc_worker.PandocTimeout):
        return  # write() converts by itself and reports what is wrong
    with _lock:
        _slots[key] = Started(doc, config, page, pending)


def take(fmt: str, doc: Document, config: Config) -> Started | None:
    """Return (and forget) the request sent ahead for this ``doc`` and ``config``, if any."""
    with _lock:
        early = _slots.pop((fmt, threading.get_ident()), None)
    if early is None or early.doc is not doc or early.config is not config:
        return None
    return early
