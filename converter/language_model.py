"""py3langid's language model, unpacked once per machine instead of once per process.

    load()   # py3langid.classify() is ready; ~0.05 s from the cache, ~0.5 s without it

py3langid ships its model as an xz-compressed npz (4.5 MB -> 68 MB); every process that
identifies a language decompresses it, about 0.45 s of CPU, a tenth of converting ten short
articles. The first process stores the unpacked arrays as plain .npy files under
``cache_dir`` (converter/cache.py: ~/.cache/converter by default, beside fontconfig's cache); later ones load
them directly, memory-mapping the probability table and the DFA's transition table (39 MB
that py3langid copies into an array.array per process) so only the rows a text needs are
read, from pages the processes share. The arrays hold exactly what py3langid's loader returns,
in the same Python types or (the transition table) a memoryview that indexes to the same
ints, so classification is unchanged (the tests compare both). The cache is keyed by
py3langid's version and the model file's size and modification time (hashing the 4.5 MB
file took 15 ms of every process's start-up; a reinstall gives it a new time and so a new
folder, and the folders of other keys are removed once the new one is in place); it is
written to a temporary folder and
renamed into place, so concurrent processes never see half a cache. Anything unexpected (no
home folder, a read-only disk, another py3langid layout) falls back to py3langid's own loader.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from . import cache

log = logging.getLogger("converter")

# Where unpacked models are kept; None means cache.root() (tests point it elsewhere).
cache_dir: Path | None = None

_ARRAYS = ("ptc", "pc", "classes", "nextmove", "row", "out")


def _model_path(langid: Any) -> Path:
    path = Path(langid.MODEL_FILE)
    return path if path.is_absolute() else Path(langid.MODEL_DIR) / path


_PREFIX = "py3langid-"


def _key(model: Path) -> str:
    stat = model.stat()
    return f"{_PREFIX}{metadata.version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}"


def _prune(folder: Path) -> None:
    """Remove the caches of other model files or versions beside ``folder``."""
    for other in folder.parent.glob(f"{_PREFIX}*"):
        if other != folder and other.is_dir() and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)


def load() -> None:
    """Make py3langid's module-level identifier ready, from the cache when possible."""
    import py3langid.langid as langid

    if langid.IDENTIFIER is not None:
        return
    try:
        from py3langid import modelio

        model = _model_path(langid)
        root = cache.root(cache_dir)
        folder = root / _key(model) if root is not None else None
    except (ImportError, AttributeError, OSError, metadata.PackageNotFoundError) as exc:
        log.debug("language model cache unavailable: %s", exc)
        langid.classify("")  # py3langid's own loader
        return
    if folder is not None and folder.is_dir():
        try:
            langid.IDENTIFIER = _identifier(langid, modelio, folder)
            return
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.debug("language model cache %s unreadable (%s); rebuilding", folder, exc)
            shutil.rmtree(folder, ignore_errors=True)
    parts = modelio.load_model(model)
    langid.IDENTIFIER = _build(langid, *parts)
    if folder is not None:
        _store(folder, parts)


def _build(langid: Any, ptc: Any, pc: Any, classes: list[str], nextmove: Any, row: Any,
           output: list[int]) -> Any:
    import numpy as np

    # As LanguageIdentifier.from_model_file builds it (norm_probs off, all languages).
    return langid.LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                                     tk_row=row)


def _identifier(langid: Any, modelio: Any, folder: Path) -> Any:
    import numpy as np

    arrays = {name: folder / f"{name}.npy" for name in _ARRAYS}
    ptc = np.load(arrays["ptc"], mmap_mode="r", allow_pickle=False)
    pc = np.load(arrays["pc"], allow_pickle=False)
    classes = np.load(arrays["classes"], allow_pickle=False).tolist()
    nextmove = _mapped_table(np.load(arrays["nextmove"], mmap_mode="r", allow_pickle=False))
    row = modelio._to_array(np.load(arrays["row"], allow_pickle=False))
    output = np.load(arrays["out"], allow_pickle=False).tolist()
    if ptc.ndim != 2 or not ptc.shape[1] == len(pc) == len(classes) or len(row) != len(output):
        raise ValueError("inconsistent model arrays")
    return _build(langid, ptc, pc, classes, nextmove, row, output)


_DTYPES = {"H": "uint16", "I": "uint32", "L": "uint64"}


def _mapped_table(array: Any) -> memoryview:
    """Return the DFA's transition table as a memoryview of the memory-mapped file.

    py3langid keeps it as an ``array.array`` (39 MB copied into every process); its only
    use is ``nextmove[i]``, which a memoryview of the same typecode answers with the same
    Python int, while the pages stay in the shared page cache and only the states a text
    visits are read.
    """
    typecode = {dtype: code for code, dtype in _DTYPES.items()}.get(str(array.dtype))
    if typecode is None or array.ndim != 1 or not array.dtype.isnative:
        raise ValueError(f"unexpected transition table {array.dtype} x {array.ndim}")
    return memoryview(array).cast("B").cast(typecode)


def _store(folder: Path, parts: tuple[Any, ...]) -> None:
    import numpy as np

    ptc, pc, classes, nextmove, row, output = parts
    values = {
        "ptc": np.asarray(ptc),
        "pc": np.asarray(pc),
        "classes": np.array(classes),
        "nextmove": np.frombuffer(nextmove, dtype=_DTYPES[nextmove.typecode]),
        "row": np.frombuffer(row, dtype=_DTYPES[row.typecode]),
        "out": np.asarray(output, dtype=np.int64),
    }
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    except OSError as exc:
        log.debug("language model not cached: %s", exc)
        return
    try:
        for name, value in values.items():
            np.save(staging / f"{name}.npy", value, allow_pickle=False)
        os.rename(staging, folder)  # atomic; fails if another process got there first
        _prune(folder)
    except OSError as exc:
        log.debug("language model not cached: %s", exc)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
