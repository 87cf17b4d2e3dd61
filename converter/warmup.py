"""Load py3langid's language model once per process, whichever thread asks first.

    load_language_model()    # what the language pass calls; waits if another thread loads it

The model costs about 0.5 s of CPU the first time on a machine (most of it LZMA
decompression) and 0.05 s from converter.language_model's cache. The fork server of a
``--jobs N`` run loads it once (converter.preload), so every worker starts with it.
"""

from __future__ import annotations

import threading

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
