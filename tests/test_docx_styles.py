"""The style skeleton (converter.writers.docx_styles): pandoc's worker reads a reference whose
styles are names only, the complete styles.xml is learned once and spliced in. Every DOCX must
be byte-identical to the one made with the real reference; what was learned is reused, kept
across processes, relearned when damaged, and dropped when the skeleton changes more than the
styles.
"""

from __future__ import annotations

import base64
import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from test_writer_docx import ARTICLE, META, tiny_png

from converter import cache, pandoc_worker
from converter.config import Config
from converter.document import document_from_html
from converter.writers import docx_styles
from converter.writers.docx import DocxWriter, pandoc_binary

EPOCH = 1_700_000_000
STYLES = Path(__file__).resolve().parents[1] / "styles"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(autouse=True)
def fresh(monkeypatch, tmp_path):
    pandoc_worker.shutdown()
    monkeypatch.setattr(pandoc_worker, "enabled", True)
    monkeypatch.setattr(docx_styles, "enabled", True)
    monkeypatch.setattr(docx_styles, "cache_dir", tmp_path / "cache")
    docx_styles.forget()
    yield
    pandoc_worker.shutdown()
    docx_styles.forget()


def documents():
    png = base64.b64encode(tiny_png()).decode()
    return {
        "article": document_from_html(ARTICLE, **META),
        "retitled": document_from_html(ARTICLE, **{**META, "title": "Another Title"}),
        "german": document_from_html("<h2>Brücke</h2><p>Der Rat tagte.</p>",
                                     title="Die Brücke", language="de"),
        "hebrew": document_from_html("<h2>שלום</h2><p>טקסט</p><pre><code>x = 1</code></pre>",
                                     title="כותרת", language="he"),
        "chinese": document_from_html("<h2>桥梁</h2><p>市议会星期一开会。</p>", title="桥",
                                      language="zh"),
        "pictured": document_from_html(
            f'<p>Before <img src="data:image/png;base64,{png}" alt="Red"/></p>'
            "<h3>Deep</h3><h4>Deeper</h4>", title="true", author="a: b"),
        "plain": document_from_html("<p>Only a paragraph.</p>", title="Plain", language="en-GB"),
    }


def write(doc, path: Path) -> bytes:
    return DocxWriter(Config(source_date_epoch=EPOCH)).write(doc, path).read_bytes()


def conversions() -> int:
    found = pandoc_worker.shared_worker(pandoc_binary())
    assert found is not None
    return found.conversions


def cached(tmp_path: Path, pattern: str) -> list[Path]:
    return sorted((tmp_path / "cache").glob(pattern))


def test_skeleton_documents_are_identical_to_real_reference_ones(tmp_path, monkeypatch):
    docs = documents()
    with_skeleton = {name: write(doc, tmp_path / f"{name}-s.docx") for name, doc in docs.items()}
    assert docx_styles.relearned >= 1
    monkeypatch.setattr(docx_styles, "enabled", False)
    for name, doc in docs.items():
        assert write(doc, tmp_path / f"{name}-r.docx") == with_skeleton[name], name


def styles_of(package) -> etree._Element:
    with zipfile.ZipFile(package) as z:
        return etree.fromstring(z.read("word/styles.xml"))


def identities(root: etree._Element) -> list[tuple[str, str, str]]:
    return [(s.get(f"{W}type"), s.get(f"{W}styleId"), s.find(f"{W}name").get(f"{W}val"))
            for s in root.iter(f"{W}style")]


def test_the_worker_really_reads_a_lean_skeleton_after_the_probe(tmp_path):
    write(documents()["article"], tmp_path / "a.docx")
    assert docx_styles.probes == 2
    (lean,) = cached(tmp_path, "docx-skeleton-*-lean.docx")
    (names,) = cached(tmp_path, "docx-skeleton-*-names.docx")
    real = identities(styles_of(STYLES / "reference.docx"))
    assert identities(styles_of(names)) == real and len(real) > 40
    assert all(len(s) == 1 for s in styles_of(names).iter(f"{W}style"))  # the name only
    kept = identities(styles_of(lean))
    # Lean: only the styles pandoc could not find by their name without spaces.
    assert kept == [i for i in real if "".join(i[2].split()) != i[1]] and len(kept) < len(real)
    with zipfile.ZipFile(lean) as z, zipfile.ZipFile(STYLES / "reference.docx") as ref:
        assert z.namelist() == ref.namelist()
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    assert [c.tag for c in body] == [f"{W}sectPr"]
    docx_styles.forget()  # a later process trusts the verdict: no probe
    write(documents()["retitled"], tmp_path / "b.docx")
    assert docx_styles.probes == 0


def test_a_reference_the_lean_skeleton_would_change_keeps_the_names(tmp_path, monkeypatch):
    # A heading style named in lower case with a lower-case id: its id is its name without
    # spaces, so the lean skeleton drops it, and pandoc (asking for "Heading 1") would then
    # use "Heading1" where the reference says "heading1". The probe sees that.
    reference = tmp_path / "styles" / "reference.docx"
    reference.parent.mkdir()
    out = io.BytesIO()
    with zipfile.ZipFile(STYLES / "reference.docx") as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "word/styles.xml":
                root = etree.fromstring(part)
                for style in root.iter(f"{W}style"):
                    if style.get(f"{W}styleId") == "Heading1":
                        style.set(f"{W}styleId", "heading1")
                        style.find(f"{W}name").set(f"{W}val", "heading 1")
                part = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dst.writestr(info, part)
    reference.write_bytes(out.getvalue())
    config = Config(source_date_epoch=EPOCH, styles_dir=reference.parent)
    doc = documents()["article"]
    made = DocxWriter(config).write(doc, tmp_path / "a.docx").read_bytes()
    assert docx_styles.probes == 2
    assert cached(tmp_path, "docx-skeleton-*-names.docx")
    assert not cached(tmp_path, "docx-skeleton-*-lean.docx*")
    assert b'w:val="heading1"' in zipfile.ZipFile(io.BytesIO(made)).read("word/document.xml")
    monkeypatch.setattr(docx_styles, "enabled", False)
    assert DocxWriter(config).write(doc, tmp_path / "b.docx").read_bytes() == made


def test_styles_are_learned_once_per_kind_and_kept_across_processes(tmp_path):
    docs = documents()
    before = conversions() if pandoc_worker.shared_worker(pandoc_binary()) else 0
    write(docs["article"], tmp_path / "1.docx")
    assert docx_styles.relearned == 1 and conversions() == before + 2 + docx_styles.probes
    write(docs["retitled"], tmp_path / "2.docx")  # same language, same styles
    write(docs["plain"], tmp_path / "3.docx")
    assert docx_styles.relearned == 1 and conversions() == before + 4 + docx_styles.probes
    write(docs["german"], tmp_path / "4.docx")  # w:lang differs: another styles.xml
    assert docx_styles.relearned == 2
    assert len(cached(tmp_path, "docx-styles-*.xml")) == 2
    docx_styles.forget()  # a new process: memory empty, the cache folder remembers
    write(docs["german"], tmp_path / "5.docx")
    write(docs["article"], tmp_path / "6.docx")
    assert docx_styles.relearned == 0
    assert (tmp_path / "5.docx").read_bytes() == (tmp_path / "4.docx").read_bytes()


def test_damaged_learned_styles_are_learned_again(tmp_path, monkeypatch):
    doc = documents()["article"]
    good = write(doc, tmp_path / "good.docx")
    (learned,) = cached(tmp_path, "docx-styles-*.xml")
    learned.write_bytes(b"<w:styles")  # truncated
    docx_styles.forget()
    assert write(doc, tmp_path / "again.docx") == good
    assert docx_styles.relearned == 1
    etree.fromstring(learned.read_bytes())  # rewritten whole


def test_a_cleaned_cache_folder_mid_run_is_rebuilt(tmp_path):
    docs = documents()
    write(docs["article"], tmp_path / "a.docx")
    for path in (tmp_path / "cache").iterdir():
        path.unlink()
    write(docs["retitled"], tmp_path / "b.docx")
    assert cached(tmp_path, "docx-skeleton-*-lean.docx")


def test_entries_unused_for_a_month_go_when_a_new_one_is_written(tmp_path):
    """An edited reference.docx or another pandoc leaves skeletons and styles behind: they go
    once unused for CACHE_MAX_AGE; what a run uses is marked used and stays."""
    docs = documents()
    write(docs["article"], tmp_path / "a.docx")  # learns the styles of this kind
    # What a run uses: the lean skeleton and the learned styles (the names form, kept for
    # when the lean one is missing, is not used while it is there).
    in_use = [*cached(tmp_path, "docx-skeleton-*-lean.docx"), *cached(tmp_path, "docx-styles-*.xml")]
    assert len(in_use) == 2
    month_ago = time.time() - docx_styles.CACHE_MAX_AGE - 3600
    stale = [tmp_path / "cache" / name for name in (
        "docx-skeleton-0123456789abcdef-deadbeef-lean.docx", "docx-skeleton-0123456789abcdef.unsafe",
        "docx-styles-00000000000000000000000000000000.xml")]
    other = tmp_path / "cache" / "pyphen-0.18.1-hyph_en_GB-x.json"  # not ours to prune
    for path in [*stale, other]:
        path.write_bytes(b"old")
        os.utime(path, (month_ago, month_ago))
    for path in in_use:  # as if last used a month ago by an earlier run
        os.utime(path, (month_ago, month_ago))
    docx_styles.forget()  # a new process: it uses the skeleton and the styles from disk ...
    write(docs["retitled"], tmp_path / "b.docx")
    write(docs["german"], tmp_path / "c.docx")  # ... and learns a new kind: a write prunes
    assert docx_styles.relearned == 1
    assert not any(path.exists() for path in stale) and other.exists()
    assert [path.name for path in in_use if not path.exists()] == []


def test_without_a_cache_folder_the_real_reference_is_used(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "root", lambda override=None: None)
    doc = documents()["article"]
    first = write(doc, tmp_path / "a.docx")
    assert docx_styles.relearned == 0
    monkeypatch.setattr(docx_styles, "enabled", False)
    assert write(doc, tmp_path / "b.docx") == first


def test_a_skeleton_that_changes_more_than_the_styles_is_dropped(tmp_path, monkeypatch):
    real_skeleton = docx_styles.skeleton_of

    def letter_sized(reference: bytes, lean: bool = False) -> bytes:
        # A skeleton whose section properties differ: pandoc copies them into document.xml.
        data = real_skeleton(reference, lean=lean)
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                part = src.read(info.filename)
                if info.filename == "word/document.xml":
                    part = part.replace(b'w:w="11906"', b'w:w="12240"')
                dst.writestr(info, part)
        return out.getvalue()

    monkeypatch.setattr(docx_styles, "skeleton_of", letter_sized)
    docs = documents()
    monkeypatch.setattr(docx_styles, "enabled", False)
    expected = {n: write(docs[n], tmp_path / f"{n}-r.docx") for n in ("article", "german")}
    monkeypatch.setattr(docx_styles, "enabled", True)
    assert write(docs["article"], tmp_path / "a.docx") == expected["article"]
    assert docx_styles.relearned == 1
    assert cached(tmp_path, "docx-skeleton-*.unsafe")
    assert not cached(tmp_path, "docx-styles-*.xml")
    before = conversions()
    assert write(docs["german"], tmp_path / "g.docx") == expected["german"]
    assert conversions() == before + 1 and docx_styles.relearned == 1  # real reference only
    docx_styles.forget()  # later processes do not try again either
    assert write(docs["german"], tmp_path / "g2.docx") == expected["german"]
    assert docx_styles.relearned == 0
