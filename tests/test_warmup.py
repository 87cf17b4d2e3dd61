"""One-off loads: WeasyPrint imported without its ~50 library-lookup processes, the language
model loaded once even when a warm-up thread and the language pass both ask for it."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
import textwrap
import threading

import pytest

from converter import warmup
from converter.writers import weasyprint_loader


def ldconfig_listing() -> bytes:
    listing = weasyprint_loader._ldconfig_listing()
    if listing is None:
        pytest.skip("no /sbin/ldconfig here")
    return listing


@pytest.mark.parametrize("name", ["gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "c", "m",
                                  "libgobject-2.0-0", "gobject-2.0-0", "no-such-library-x"])
def test_listing_lookup_agrees_with_find_library_on_the_listing(name):
    listing = ldconfig_listing()
    # ctypes' own ldconfig step: the part of find_library the fast lookup reproduces.
    expected = ctypes.util._findSoname_ldconfig(name)  # type: ignore[attr-defined]
    assert weasyprint_loader.listing_lookup(listing)(name) == expected


# Prefix of a script run in a fresh interpreter: ``started`` lists the processes it starts.
POPEN_SPY = textwrap.dedent(
    """
    import subprocess, sys
    started = []
    original = subprocess.Popen.__init__
    def spy(self, args, *a, **k):
        started.append(args[0] if isinstance(args, (list, tuple)) else args)
        return original(self, args, *a, **k)
    subprocess.Popen.__init__ = spy
    """
)

SPY = POPEN_SPY + textwrap.dedent(
    """
    if sys.argv[1] == "fast":
        from converter.writers.weasyprint_loader import import_weasyprint
        import_weasyprint()
    else:
        import weasyprint
    import weasyprint.text.ffi as ffi
    print(len(started), ffi.harfbuzz_subset is not None, ffi.harfbuzz_vector is not None)
    """
)


def test_weasyprint_imports_without_processes_and_the_same_libraries():
    ldconfig_listing()

    def run(mode: str) -> tuple[int, str, str]:
        out = subprocess.run([sys.executable, "-c", SPY, mode], capture_output=True, text=True,
                             check=True).stdout.split()
        return int(out[0]), out[1], out[2]

    fast, ordinary = run("fast"), run("ordinary")
    assert fast[0] == 0  # the compiled declarations open libraries without looking them up
    assert ordinary[0] > 10  # cffi's find_library: ldconfig, gcc and ld per missing name
    assert fast[1:] == ordinary[1:]  # the optional HarfBuzz libraries are found alike


def test_failed_fast_import_falls_back_to_the_ordinary_one(monkeypatch):
    script = textwrap.dedent(
        """
        from converter.writers import weasyprint_loader
        weasyprint_loader._ldconfig_listing = lambda: b"nothing useful"
        module = weasyprint_loader.import_weasyprint()
        print(module.__name__)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    # With an empty listing only the sonames resolve (straight through dlopen) - or, if one
    # does not, the ordinary import runs. Either way WeasyPrint loads and nothing is printed.
    assert done.stdout.strip() == "weasyprint"


def test_language_model_loads_once_with_concurrent_callers(monkeypatch, tmp_path):
    import py3langid
    import py3langid.langid as langid_module

    from converter import language_model

    loads = []
    original = language_model.load

    def counting() -> None:
        loads.append(threading.current_thread().name)
        original()

    monkeypatch.setattr(langid_module, "IDENTIFIER", None)
    monkeypatch.setattr(language_model, "cache_dir", tmp_path / "cache")
    monkeypatch.setattr(language_model, "load", counting)
    monkeypatch.setattr(warmup, "_model_loaded", False)
    threads = [threading.Thread(target=warmup.load_language_model) for _ in range(4)]
    for thread in threads:
        thread.start()
    warmup.load_language_model()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert py3langid.classify("the council voted on tuesday to keep the island ferry")[0] == "en"


# -- the language model cache ------------------------------------------------------------------

SAMPLES = [
    "The council voted on Tuesday to keep the island ferry running through the decade.",
    "Le conseil municipal a voté mardi pour maintenir le ferry de l'île jusqu'en 2030.",
    "Der Gemeinderat stimmte am Dienstag dafür, die Inselfähre bis 2030 weiter zu betreiben.",
    "El ayuntamiento votó el martes mantener el ferry de la isla hasta 2030.",
    "Городской совет во вторник проголосовал за сохранение парома до 2030 года.",
]


@pytest.fixture
def fresh_model(monkeypatch, tmp_path):
    """py3langid without a loaded identifier, converter's cache in a temporary folder."""
    import py3langid.langid as langid_module

    from converter import language_model

    monkeypatch.setattr(langid_module, "IDENTIFIER", None)
    monkeypatch.setattr(language_model, "cache_dir", tmp_path / "cache")
    monkeypatch.setattr(warmup, "_model_loaded", False)
    return langid_module


def identifier_state(identifier) -> tuple:
    import numpy as np

    return (np.asarray(identifier.nb_ptc).tobytes(), np.asarray(identifier.nb_pc).tobytes(),
            list(identifier.nb_classes), identifier.tk_nextmove.tobytes(),
            identifier.tk_row.tobytes(), list(identifier.tk_output),
            memoryview(identifier.tk_nextmove).format, identifier.tk_row.typecode)


def test_cached_model_is_the_model_py3langid_loads(fresh_model, tmp_path, monkeypatch):
    from py3langid import modelio

    from converter import language_model

    language_model.load()  # miss: py3langid's loader, then the cache is written
    first = fresh_model.IDENTIFIER
    cached = list((tmp_path / "cache").iterdir())
    assert len(cached) == 1 and cached[0].name.startswith("py3langid-")
    answers = [first.classify(text) for text in SAMPLES]
    assert [a[0] for a in answers] == ["en", "fr", "de", "es", "ru"]

    monkeypatch.setattr(fresh_model, "IDENTIFIER", None)
    monkeypatch.setattr(modelio, "load_model", lambda path: pytest.fail("cache not used"))
    language_model.load()  # hit
    second = fresh_model.IDENTIFIER
    assert second is not first
    assert identifier_state(second) == identifier_state(first)
    assert [second.classify(text) for text in SAMPLES] == answers
    assert isinstance(second.tk_nextmove, memoryview)  # mapped, not copied into the process


def test_damaged_cache_is_rebuilt(fresh_model, tmp_path):
    from converter import language_model

    language_model.load()
    folder = next((tmp_path / "cache").iterdir())
    (folder / "nextmove.npy").write_bytes(b"not an array")
    fresh_model.IDENTIFIER = None
    language_model.load()
    assert fresh_model.IDENTIFIER.classify(SAMPLES[1])[0] == "fr"
    assert (folder / "nextmove.npy").stat().st_size > 1_000_000  # written again


def test_reinstalled_model_gets_a_new_cache_and_the_old_one_goes(fresh_model, tmp_path):
    import os

    from converter import language_model

    language_model.load()
    old = next((tmp_path / "cache").iterdir())
    model = language_model._model_path(fresh_model)
    stat = model.stat()
    fresh_model.IDENTIFIER = None
    try:  # as a reinstall of the same file would: a new modification time
        os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        language_model.load()
        folders = list((tmp_path / "cache").iterdir())
        assert len(folders) == 1 and folders[0] != old
        assert folders[0].name == language_model._key(model)
    finally:
        os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fresh_model.IDENTIFIER.classify(SAMPLES[0])[0] == "en"


def test_unwritable_cache_falls_back_to_py3langid(fresh_model, tmp_path, monkeypatch):
    from converter import language_model

    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setattr(language_model, "cache_dir", blocked / "cache")
    language_model.load()
    assert fresh_model.IDENTIFIER.classify(SAMPLES[2])[0] == "de"


# -- WeasyPrint's C declarations, compiled once ---------------------------------------------

RENDER = textwrap.dedent(
    """
    import hashlib, sys
    from pathlib import Path
    from converter.writers import weasyprint_loader
    weasyprint_loader.cache_dir = Path(sys.argv[2])
    weasyprint_loader.compiled_ffi = sys.argv[1] == "compiled"
    from converter import pipeline
    from converter.config import Config
    config = Config(source_date_epoch=1700000000)
    doc = pipeline.prepare(sys.argv[3], config)
    pdf = pipeline.render(doc, "pdf", config)
    import weasyprint.text.ffi as ffi, weasyprint.pdf.fonts as fonts
    print(type(ffi.ffi).__module__, fonts.ffi is ffi.ffi, hashlib.sha256(pdf).hexdigest())
    """
)


def test_compiled_declarations_render_the_same_pdf(tmp_path):
    ldconfig_listing()
    article = tmp_path / "a.md"
    article.write_text("# Title\n\nSome *text* with **bold**, `code` and é ü ß.\n\n- one\n- two\n",
                       encoding="utf-8")
    cache = tmp_path / "cache"

    def run(mode: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", RENDER, mode, str(cache), str(article)],
                              capture_output=True, text=True, check=True).stdout.split()

    first, again, ordinary = run("compiled"), run("compiled"), run("ordinary")
    assert first[:2] == ["_cffi_backend", "True"]  # the backend FFI, in every module
    assert ordinary[0] == "cffi.api"
    assert len(list(cache.glob("weasyprint-ffi-*.py"))) == 1  # stored by the first run
    assert first[2] == again[2] == ordinary[2]  # from the cache too: the same PDF


def test_compiled_declarations_match_the_parsed_ones(tmp_path, monkeypatch):
    import cffi

    source = "typedef unsigned int hb_codepoint_t; typedef struct { int x, y; } P; " \
             "enum { FLAG_A = 1, FLAG_B = 4 }; int abs(int);"
    monkeypatch.setattr(weasyprint_loader, "cache_dir", tmp_path)
    compiled = weasyprint_loader.compile_declarations(source)
    parsed = cffi.FFI()
    parsed.cdef(source)
    for ctype in ("hb_codepoint_t[7]", "P *", "P[3]"):
        assert compiled.sizeof(ctype) == parsed.sizeof(ctype)
    values = compiled.new("hb_codepoint_t[3]", [1, 2, 3])
    assert list(values) == [1, 2, 3]
    libc = compiled.dlopen(None)
    assert (libc.FLAG_A, libc.FLAG_B, libc.abs(-5)) == (1, 4, 5)


def test_damaged_or_executable_declaration_cache_is_rebuilt(tmp_path, monkeypatch):
    source = "typedef unsigned int hb_codepoint_t;"
    monkeypatch.setattr(weasyprint_loader, "cache_dir", tmp_path)
    weasyprint_loader.compile_declarations(source)
    (stored,) = tmp_path.glob("weasyprint-ffi-*.py")
    marker = tmp_path / "ran"
    # Code in the cache is never run: only literal arguments are read.
    stored.write_text(f"import _cffi_backend\nffi = _cffi_backend.FFI('x', _types="
                      f"open({str(marker)!r}, 'w').write('x'))\n", encoding="utf-8")
    ffi = weasyprint_loader.compile_declarations(source)
    assert not marker.exists()
    assert ffi.sizeof("hb_codepoint_t") == 4
    assert "open(" not in stored.read_text(encoding="utf-8")  # rebuilt


def test_unwritable_declaration_cache_still_compiles(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(weasyprint_loader, "cache_dir", blocked / "cache")
    ffi = weasyprint_loader.compile_declarations("typedef unsigned int hb_codepoint_t;")
    assert ffi.sizeof("hb_codepoint_t[5]") == 20


# -- Pyphen's patterns, parsed once -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_cached_hyphenation_patterns_are_the_ones_pyphen_parses(tmp_path, monkeypatch, lang):
    import pyphen

    from converter.writers import hyphenation

    monkeypatch.setattr(hyphenation, "cache_dir", tmp_path)
    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    parse = pyphen.Pyphen(lang=lang).hd.__class__  # the class, even once install() ran
    parsed = parse(path)
    first = hyphenation.load(path, parse)  # miss: parsed, then stored
    assert len(list(tmp_path.glob("pyphen-*.json"))) == 1
    cached = hyphenation.load(path, parse)  # hit
    for hd in (first, cached):
        assert type(hd) is parse
        assert (hd.patterns, hd.maxlen) == (parsed.patterns, parsed.maxlen)
    words = ["hyphenation", "extraordinary", "Donaudampfschiffahrt", "anticonstitutionnellement"]
    assert [cached.positions(w) for w in words] == [parsed.positions(w) for w in words]


def test_damaged_hyphenation_cache_is_rebuilt(tmp_path, monkeypatch):
    import pyphen

    from converter.writers import hyphenation

    monkeypatch.setattr(hyphenation, "cache_dir", tmp_path)
    parse = pyphen.Pyphen(lang="en").hd.__class__
    path = pyphen.LANGUAGES[pyphen.language_fallback("en")]
    hyphenation.load(path, parse)
    (stored,) = tmp_path.glob("pyphen-*.json")
    stored.write_text('{"patterns": {"ab": [0, ["x"]]}, "maxlen": 2}', encoding="utf-8")
    hd = hyphenation.load(path, parse)
    assert hd.patterns == parse(path).patterns
    assert '"x"' not in stored.read_text(encoding="utf-8")


def test_without_compiled_declarations_lookups_take_one_ldconfig_run():
    ldconfig_listing()
    script = SPY.replace('if sys.argv[1] == "fast":', 'if sys.argv[1] == "fast":\n'
                         '    from converter.writers import weasyprint_loader\n'
                         '    weasyprint_loader.compiled_ffi = False')
    out = subprocess.run([sys.executable, "-c", script, "fast"], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "1"  # one ldconfig -p, not ~50 processes


def test_fork_server_preload_loads_what_a_worker_needs():
    from converter import forkserver

    assert "converter.preload" in forkserver.PRELOAD and "weasyprint" not in forkserver.PRELOAD
    script = POPEN_SPY + textwrap.dedent(
        """
        import converter.preload
        import pyphen, py3langid.langid as langid, weasyprint.text.ffi as ffi
        from converter.writers import hyphenation
        print(len(started), type(ffi.ffi).__module__, hyphenation._installed,
              langid.IDENTIFIER is not None)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "_cffi_backend", "True", "True"]


LAZY_SUBSET = """
import sys
from converter.writers import weasyprint_loader
weasyprint_loader.import_weasyprint()
import weasyprint.pdf.fonts as fonts
before = "fontTools.subset.cff" in sys.modules  # imported by fontTools.subset's own code
options = fonts.subset.Options()  # the fallback path's first use runs the module
after = "fontTools.subset.cff" in sys.modules
print(before, after, type(options).__module__)
"""


def test_fonttools_subsetter_runs_only_when_weasyprint_uses_it():
    out = subprocess.run([sys.executable, "-c", LAZY_SUBSET], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True", "fontTools.subset"]


def test_pydyf_streams_compress_at_zlib_default_level():
    import zlib

    weasyprint_loader.import_weasyprint()
    import pydyf

    data = b"BT /F1 12 Tf 72 712 Td (converter) Tj ET\n" * 500 + bytes(range(256)) * 40

    def deflate(make) -> bytes:
        compressor = make()
        return compressor.compress(data) + compressor.flush()

    assert isinstance(pydyf.zlib, weasyprint_loader._ZlibAtDefaultLevel)
    level9 = deflate(lambda: pydyf.zlib.compressobj(level=9))
    assert level9 == deflate(lambda: zlib.compressobj(weasyprint_loader.STREAM_LEVEL))
    assert level9 != deflate(lambda: zlib.compressobj(9))  # the level really changed
    assert deflate(lambda: pydyf.zlib.compressobj(1)) == deflate(lambda: zlib.compressobj(1))
    assert zlib.decompress(level9) == data
    # what pydyf writes with it still inflates to the stream's content
    stream = pydyf.Stream([b"0 0 m 10 10 l S"], compress=True)
    body = stream.data.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    assert zlib.decompress(body) == b"0 0 m 10 10 l S"


def test_cache_root_follows_xdg_cache_home(monkeypatch, tmp_path):
    from converter import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.root() == tmp_path / "xdg" / "converter"
    assert cache.root(tmp_path / "mine") == tmp_path / "mine"  # a module's cache_dir wins
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.root() == tmp_path / "home" / ".cache" / "converter"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.root() == tmp_path / "home" / ".cache" / "converter"


def test_every_cache_goes_to_the_one_cache_folder(monkeypatch, tmp_path):
    """The language model, the compiled declarations and the hyphenation patterns are all
    stored under cache.root(), i.e. under $XDG_CACHE_HOME/converter when it is set."""
    script = textwrap.dedent(
        """
        from converter import language_model
        from converter.writers import hyphenation, weasyprint_loader
        weasyprint_loader.import_weasyprint()
        hyphenation.install()
        language_model.load()
        import pyphen
        pyphen.Pyphen(lang="en_GB").inserted("hyphenation")
        """
    )
    env = {**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True)
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "converter").iterdir())
    assert names == ["py3langid", "pyphen", "weasyprint"]


def test_pydyf_level_also_when_weasyprint_was_imported_first():
    """A program that imported WeasyPrint itself gets the PDFs a converter process writes."""
    script = textwrap.dedent(
        """
        import weasyprint, pydyf
        from converter.writers import weasyprint_loader
        before = type(pydyf.zlib).__name__
        weasyprint_loader.import_weasyprint()
        print(before, type(pydyf.zlib).__name__)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["module", "_ZlibAtDefaultLevel"]
