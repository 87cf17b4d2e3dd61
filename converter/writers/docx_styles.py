"""Styles once per machine: pandoc's DOCX writer gets a reference whose styles are names only.

pandoc's DOCX writer parses the reference document's styles (styles.xml, 52 styles here),
merges in what the document needs (highlighting token styles, the document's language) and
serialises the result for every document: about 8 ms of its ~22 ms per 400-word article,
none of which depends on the article but for those few inputs. In a batch that time is spent
in the pandoc process beside the converter, so it is what caps the --jobs 2 speed-up on two
cores.

So the pandoc worker is given a *skeleton* of the reference, with the sample body of
document.xml left out (pandoc reads only the section properties from it) and the styles cut
down. What the writer consults in the styles is their names: which style id a "Heading 1"
has (a name it does not find gets the name without spaces as its id) and whether a style
exists. Two skeletons keep that:

- *names*: every style keeps its identity (type, id, name) and loses its formatting;
- *lean*: only the styles whose id is not their name without spaces stay (as names); the
  rest go, since pandoc gives them the same id by default. Dropping them saves another ~3 ms
  per document, but a reference whose style names differ in case from the ones pandoc asks
  for would come out differently, so the lean skeleton is used only after a probe document
  with every kind of block and inline the DOCX page has comes out of it exactly as out of
  the names skeleton (once per reference and pandoc binary; the verdict is the file's name).

Either way pandoc writes the same document.xml, numbering, footnotes, ... and a styles.xml
that differs only in the styles it lists and their formatting. That skeleton styles.xml identifies what pandoc merged in; the complete
styles.xml for it is the one pandoc writes with the real reference, learned once (the first
document with that skeleton result is converted a second time with the real reference) and
kept in the cache folder, keyed by the reference's bytes, the pandoc binary and the skeleton
styles.xml. Later documents get it spliced into their package.

The second conversion is also the check: if any part other than styles.xml (and the
core-properties dates) differs between the two, the skeleton is not used again for that
reference (a reference whose style ids do not follow from their names and that pandoc
treats differently would show up here), in this process and later ones.

    worker_reference(reference)          -> the skeleton's path (or ``reference``)
    complete_styles(reference, package)  -> styles.xml to splice in, or None: learn()
    learn(reference, skeleton, full)     -> compares, remembers, returns True if usable
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import threading
import time
import zipfile
from pathlib import Path

from lxml import etree

from .. import cache
from ..fileio import write_atomic

log = logging.getLogger("converter")

# Where skeletons and learned styles are kept; None means cache.root() (tests point it
# elsewhere). Without a cache folder the real reference is used.
cache_dir: Path | None = None
# Off: every document is converted with the real reference (tests compare both ways).
enabled = True
# Skeletons and learned styles not used for this long are removed when a new one is written
# (a reference.docx edited or a pandoc upgraded leaves its old ones behind). Each process
# marks what it uses (mtime) the first time it uses it.
CACHE_MAX_AGE = 30 * 24 * 3600

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
STYLES = "word/styles.xml"
DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
# What a style keeps in the skeleton: its name (type, id and the default/custom flags are
# attributes, kept too).
KEEP = (f"{W}name",)
_CORE_DATES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")

_lock = threading.Lock()
# reference path -> (stat key, reference digest, skeleton path or None)
_skeletons: dict[str, tuple[tuple[int, int], str, Path | None]] = {}
_styles: dict[str, bytes] = {}
_unsafe: set[str] = set()
_pandoc_id: str | None = None
# Documents converted a second time (with the real reference) to learn their styles, and
# conversions of the probe document (two per probe).
relearned = 0
probes = 0


def worker_reference(reference: Path) -> Path:
    """Return the reference the pandoc worker should read: the skeleton when there is one."""
    if not enabled:
        return reference
    try:
        found = _skeleton(reference)
    except Exception as exc:  # noqa: BLE001 - without a skeleton the real reference does
        log.debug("docx: no style skeleton for %s: %s", reference, exc)
        return reference
    return found if found is not None else reference


def complete_styles(reference: Path, package: bytes) -> bytes | None:
    """Return the styles.xml the real reference gives ``package`` (pandoc's output with the
    skeleton), or None when it is not known yet (convert with ``reference`` and ``learn``)."""
    key = _styles_key(reference, package)
    if key is None:
        return None
    with _lock:
        known = _styles.get(key)
    if known is not None:
        return known
    root = cache.root(cache_dir)
    if root is None:
        return None
    path = root / f"docx-styles-{key}.xml"
    try:
        data = path.read_bytes()
        etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    except (OSError, etree.XMLSyntaxError, ValueError) as exc:
        if path.exists():
            log.debug("docx: learned styles %s unreadable (%s); learning again", path, exc)
        return None
    _used(path)
    with _lock:
        _styles[key] = data
    return data


def learn(reference: Path, skeleton_package: bytes, full_package: bytes) -> bool:
    """Remember the styles.xml of ``full_package`` (pandoc's output with the real reference)
    for ``skeleton_package`` (the same document with the skeleton), after checking that the
    skeleton changed nothing else. Return whether the skeleton stays in use."""
    global relearned
    relearned += 1
    digest = _reference_digest(reference)
    key = _styles_key(reference, skeleton_package)
    if digest is None or key is None:
        return False
    try:
        same, styles = _same_but_styles(skeleton_package, full_package)
    except (zipfile.BadZipFile, KeyError) as exc:
        log.debug("docx: cannot compare skeleton and full output: %s", exc)
        same, styles = False, b""
    if not same:
        log.debug("docx: the style skeleton of %s changes more than styles.xml; not used", reference)
        with _lock:
            _unsafe.add(digest)
        _keep(f"docx-skeleton-{digest}.unsafe", b"")
        return False
    with _lock:
        _styles[key] = styles
    _keep(f"docx-styles-{key}.xml", styles)
    return True


def _keep(name: str, data: bytes) -> None:
    """Write ``name`` into the cache folder if there is one; a failure only costs the cache."""
    root = cache.root(cache_dir)
    if root is None:
        return
    try:
        write_atomic(root / name, data, mode=0o600)
    except OSError as exc:
        log.debug("docx: %s not cached: %s", name, exc)
    prune(root)


def _used(path: Path) -> None:
    """Mark a cache entry as in use (its mtime), so that prune() keeps it."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune(root: Path) -> None:
    """Remove the skeletons, learned styles and markers in ``root`` unused for CACHE_MAX_AGE."""
    limit = time.time() - CACHE_MAX_AGE
    for entry in [*root.glob("docx-skeleton-*"), *root.glob("docx-styles-*")]:
        try:
            if entry.is_file() and entry.stat().st_mtime < limit:
                entry.unlink()
        except OSError:
            pass


def forget() -> None:
    """Drop what this process remembers (the cache folder stays); for tests."""
    global _pandoc_id, relearned, probes
    relearned = probes = 0
    with _lock:
        _skeletons.clear()
        _styles.clear()
        _unsafe.clear()
        _pandoc_id = None


# -- the skeleton ---------------------------------------------------------------------------


def _skeleton(reference: Path) -> Path | None:
    """Return the skeleton of ``reference`` to give pandoc (made and probed the first time),
    or None when the real reference must be used."""
    st = os.stat(reference)
    stamp = (st.st_size, st.st_mtime_ns)
    name = str(reference)
    with _lock:
        known = _skeletons.get(name)
    if known is not None and known[0] == stamp:
        _, digest, path = known
        if digest in _unsafe:
            return None
        if path is None or path.is_file():  # a cleaned cache folder gets it back
            return path
    data = reference.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    root = cache.root(cache_dir)
    path: Path | None = None
    if root is not None and not (root / f"docx-skeleton-{digest}.unsafe").exists():
        base = f"docx-skeleton-{digest}-{_short(_pandoc_identity())}"
        lean, names = root / f"{base}-lean.docx", root / f"{base}-names.docx"
        if lean.is_file():
            path = lean
        elif names.is_file():
            path = names
        else:
            path = _probe(reference, data, lean, names)
            prune(root)
        _used(path)
    with _lock:
        _skeletons[name] = (stamp, digest, path)
        if path is None:
            _unsafe.add(digest)
    return path


def _short(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _probe(reference: Path, data: bytes, lean: Path, names: Path) -> Path:
    """Write the names skeleton; try the lean one on the probe document and keep it (as
    ``lean``) when its DOCX has every part but styles.xml the names skeleton gives."""
    write_atomic(names, skeleton_of(data), mode=0o600)
    trial = lean.with_name(lean.name + ".probe")
    try:
        write_atomic(trial, skeleton_of(data, lean=True), mode=0o600)
        packages = [_probe_package(reference, skeleton) for skeleton in (trial, names)]
        same, _ = _same_but_styles(*packages)
        if same:
            os.replace(trial, lean)
            return lean
        log.debug("docx: the lean style skeleton of %s changes the probe; names kept", reference)
    except Exception as exc:  # noqa: BLE001 - any failure here only means: no lean skeleton
        log.debug("docx: lean style skeleton of %s not probed: %s", reference, exc)
    try:
        trial.unlink()
    except OSError:
        pass
    return names


# Every kind of block and inline the DOCX page can hold, for _probe.
PROBE = """
<p>First paragraph with <em>emphasis</em>, <strong>strong</strong>, <code>code</code>,
<a href="https://example.org/">a link</a>, H<sub>2</sub>O, x<sup>2</sup>, <s>struck</s>
<span lang="de">Wort</span> and a note<a href="#fn1" class="footnote-ref" id="fnref1"
role="doc-noteref"><sup>1</sup></a>.</p>
<p>Body paragraph.</p>
<h2>Heading</h2><h3>Sub</h3><h4>Subsub</h4><h5>Five</h5><h6>Six</h6>
<ul><li>Item<ul><li>Nested</li></ul></li><li><p>Para item</p><p>Second</p></li></ul>
<ol start="3"><li>Three</li><li>Four</li></ol>
<blockquote><p>Quoted.</p></blockquote>
<pre><code class="language-python">def f(x):
    return "s" + str(1)  # c</code></pre>
<pre><code>plain code</code></pre>
<table><caption>Caption</caption><thead><tr><th>A</th><th>B</th></tr></thead>
<tbody><tr><td>1</td><td>2</td></tr></tbody></table>
<figure><img src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
alt="Dot"/><figcaption>Figure caption</figcaption></figure>
<dl><dt>Term</dt><dd>Definition</dd></dl>
<hr/>
<p dir="rtl" lang="he">שלום</p>
<section id="footnotes" class="footnotes" role="doc-endnotes"><hr/><ol>
<li id="fn1"><p>Note text.</p><blockquote><p>Quoted in a note.</p></blockquote>
<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></li></ol></section>
"""


def _probe_package(reference: Path, skeleton: Path) -> bytes:
    """Convert the probe document with ``skeleton`` through this process's pandoc worker."""
    global probes
    from .. import pandoc_worker
    from ..config import Config
    from ..document import document_from_html
    from .docx import DocxWriter, docx_ast, docx_request, pandoc_binary
    from .html import to_xhtml

    worker = pandoc_worker.shared_worker(pandoc_binary())
    if worker is None or not worker.usable:
        raise pandoc_worker.PandocUnavailable("no pandoc worker")
    doc = document_from_html(PROBE, title="Probe", author="A. Author", date="2024-05-01",
                             language="en")
    page = DocxWriter(Config()).prepare_page(doc)
    request = docx_request(to_xhtml(page), doc.meta, skeleton, ast=docx_ast(page, doc.meta),
                           skeleton=False)
    probes += 1
    return worker.convert(request)[0]


def skeleton_of(reference: bytes, lean: bool = False) -> bytes:
    """Return the reference package with no sample body and name-only styles (``lean``:
    only the styles whose id is not their name without spaces)."""
    parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(reference)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == STYLES:
                root = etree.fromstring(data, parser)
                for style in list(root.iter(f"{W}style")):
                    name = style.find(f"{W}name")
                    label = name.get(f"{W}val") if name is not None else None
                    if lean and label is not None and (
                            "".join(label.split()) == style.get(f"{W}styleId")):
                        style.getparent().remove(style)
                        continue
                    for child in list(style):
                        if child.tag not in KEEP:
                            style.remove(child)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            elif info.filename == DOCUMENT:
                data = _without_body(data, parser)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _without_body(data: bytes, parser: etree.XMLParser) -> bytes:
    """Keep only the body's section properties, when there is exactly one (pandoc reads the
    first w:sectPr it finds; with section breaks inside the body the part stays whole)."""
    root = etree.fromstring(data, parser)
    body = root.find(f"{W}body")
    sections = list(root.iter(f"{W}sectPr"))
    if body is None or len(sections) != 1 or sections[0].getparent() is not body:
        return data
    for child in list(body):
        if child is not sections[0]:
            body.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- keys and comparison --------------------------------------------------------------------


def _reference_digest(reference: Path) -> str | None:
    with _lock:
        known = _skeletons.get(str(reference))
    if known is None or known[1] in _unsafe:
        return None
    return known[1]


def _pandoc_identity() -> str:
    """The pandoc binary, as its path, size and modification time (learned styles are its)."""
    global _pandoc_id
    if _pandoc_id is None:
        from .docx import pandoc_binary

        binary = pandoc_binary()
        st = os.stat(binary)
        _pandoc_id = f"{binary}\0{st.st_size}\0{st.st_mtime_ns}"
    return _pandoc_id


def _styles_key(reference: Path, package: bytes) -> str | None:
    digest = _reference_digest(reference)
    if digest is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as z:
            styles = z.read(STYLES)
        identity = _pandoc_identity()
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        log.debug("docx: no styles key: %s", exc)
        return None
    h = hashlib.sha256()
    for part in (digest.encode(), identity.encode(), styles):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()[:32]


def _same_but_styles(skeleton: bytes, full: bytes) -> tuple[bool, bytes]:
    """Whether the two packages differ only in styles.xml (and the core dates); and the
    full package's styles.xml."""
    with zipfile.ZipFile(io.BytesIO(skeleton)) as a, zipfile.ZipFile(io.BytesIO(full)) as b:
        if a.namelist() != b.namelist():
            return False, b""
        for name in a.namelist():
            if name == STYLES:
                continue
            left, right = a.read(name), b.read(name)
            if name == CORE:
                left, right = _CORE_DATES.sub(b"", left), _CORE_DATES.sub(b"", right)
            if left != right:
                return False, b""
        return True, b.read(STYLES)
