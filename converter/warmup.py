"""Start a run's one-off loads side by side instead of one after another.

    warm_up(config)          # once, in the process that converts, before the first document
    ...
    load_language_model()    # what the language pass calls; waits if warm_up is loading it

The first document of a process pays for three loads that later ones do not:
py3langid's language model (about 0.5 s of CPU the first time on a machine, most of it LZMA
decompression, which runs without the GIL; 0.05 s from converter.language_model's cache), WeasyPrint's import and the parsing of pdf.css (about 0.6 s, all Python),
and pandoc's start. One after another they cost the first document over a second; here the
language model loads in a thread while the calling thread imports WeasyPrint and parses the
stylesheet, and pandoc starts in its own process, so on a machine with a spare core most
of the model's load is hidden. Nothing here changes any output: each load is the one the
pipeline would otherwise do on first use.
"""

from __future__ import annotations

import logging
import threading

from .config import Config

log = logging.getLogger("converter")

_model_lock = threading.Lock()
_model_loaded = False


def load_language_model() -> None:
    """Load py3langid's bundled model once per process (waits while another thread loads it)."""
    global _model_loaded
    if _model_loaded:
        return
    with _model_lock:
        if not _model_loaded:
            from . import language_model

            language_model.load()  # fills py3langid's module-level identifier
            _model_loaded = True


def warm_up(config: Config) -> threading.Thread:
    """Load the language model in a thread; import WeasyPrint and start pandoc meanwhile.

    Returns the model thread (joining it is never required: the language pass waits for
    the model by itself). Failures are left for the document that needs the piece to report.
    """
    thread = threading.Thread(target=_quietly, args=(load_language_model,),
                              name="converter-language-model", daemon=True)
    thread.start()
    formats = set(config.formats)
    if "pdf" in formats:
        _quietly(_prepare_pdf, config)
    if formats & {"docx", "md"}:
        _quietly(_start_pandoc)
    return thread


def _prepare_pdf(config: Config) -> None:
    from .writers.pdf import _stylesheets

    _stylesheets(config.style("pdf.css"), config.paper)


def _start_pandoc() -> None:
    from . import pandoc_worker
    from .writers.docx import pandoc_binary

    worker = pandoc_worker.shared_worker(pandoc_binary())
    if worker is not None and worker.usable:
        worker.ensure_started()


def _quietly(function, *args) -> None:  # type: ignore[no-untyped-def]
    try:
        function(*args)
    except Exception as exc:  # noqa: BLE001 - the document that needs it reports the problem
        log.debug("warm-up: %s failed: %s", getattr(function, "__name__", function), exc)
