"""DOCX edition: pandoc turns the shared XHTML rendering into WordprocessingML.

    Document(meta.title="T", body=<h2>A</h2><p>x</p><ul><li>i</li></ul>)
    ->
    pandoc -f html -t docx --sandbox --reference-doc=styles/reference.docx
           --shift-heading-level-by=-1 -M title=T -M lang=... < page.xhtml
    ->
    word/document.xml   <w:p> Title "T" </w:p>               (from the title metadata)
                        <w:p> Heading1 "A" </w:p>            (body <h2> -> Heading 1)
                        <w:p> FirstParagraph "x" </w:p>
                        <w:p> ListParagraph + numPr "i" </w:p>  (pandoc's Compact -> List Paragraph)
    docProps/core.xml   dc:title, dc:creator, dc:language, dcterms:created / modified

pandoc runs once per process (``converter.pandoc_worker``: a long-lived ``pandoc lua``
fed one page after another over pipes, about 40 ms less per document than a pandoc run,
same output), or once per document with the options above when that worker cannot be used.
The worker gets the page as pandoc's own AST (``converter.writers.pandoc_ast``; pandoc skips
its HTML reader) and a skeleton of the reference with its styles cut to what pandoc looks
up; the complete styles.xml, learned once per kind and kept in the cache folder, is put back
(``converter.writers.docx_styles``). Same bytes as a pandoc run; ~17 ms less pandoc time.
It runs sandboxed (it reads nothing but the page and the reference document, fetches
nothing), so images are embedded here first: files inside the source's folder and data: URLs
become data: URLs; anything else is replaced by its alt text with a warning on the "converter"
logger. Afterwards the package is finished in Python: list paragraphs get the List Paragraph
style, right-to-left paragraphs get back the styles pandoc drops, the core properties get
their dates (created: the article's date; modified: the build), the page size follows
``config.paper``, and the zip is rewritten with a fixed entry order and timestamps, so with
``config.source_date_epoch`` set two builds are byte-identical.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import importlib.util
import io
import logging
import os
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from .. import pandoc_worker
from ..document import Document, Metadata
from ..errors import WriteError
from ..resources import ResourcePolicy, ResourceRefused, replace_with_alt
from . import docx_styles, pandoc_ast, started
from .base import Writer, within_depth
from .dates import display_date
from .html import RenderOptions, build_page, text_direction, to_xhtml
from .scripts import wrap_directed_blocks

log = logging.getLogger("converter")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
DCTERMS = "{http://purl.org/dc/terms/}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

PANDOC_TIMEOUT = 120  # seconds; a long article takes well under one
# The Document's sections start at <h2>; Word's Heading 1 is the first level below the title.
SHIFT_HEADINGS = -1
LIST_STYLE = "ListParagraph"
# Page sizes in twentieths of a point (w:pgSz), for config.paper.
PAGE_SIZES = {"a4": (11906, 16838), "letter": (12240, 15840)}
# Word shows PNG, JPEG and GIF everywhere; pandoc embeds SVG without a bitmap fallback,
# which older Word and LibreOffice do not show, so SVG is left out like remote images.
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
# The zip format cannot store times before 1980.
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)


class DocxWriter(Writer):
    """Word document through pandoc, styled by styles/reference.docx."""

    name = "docx"
    extension = ".docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def begin(self, doc: Document) -> None:
        """Send the page to this process's pandoc worker now; ``write`` collects the DOCX."""
        doc = within_depth(doc)  # as write() will hand it to write_file
        reference = self.config.style("reference.docx")
        if not reference.is_file():
            return  # write_file reports it
        tree = self.prepare_page(doc)
        page, ast = to_xhtml(tree), docx_ast(tree, doc.meta)
        request = docx_request(page, doc.meta, reference, ast=ast)
        started.begin(self.name, doc, self.config, page, request)

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the DOCX edition to ``path``."""
        reference = self.config.style("reference.docx")
        if not reference.is_file():
            raise WriteError(f"the DOCX reference document {reference} is missing", doc.source)
        built = self.build_time()
        early = started.take(self.name, doc, self.config)
        if early is not None:
            package, styles = convert_with_pandoc(early.page, doc.meta, reference, built,
                                                  doc.source, pending=early.pending)
        else:
            tree = self.prepare_page(doc)
            package, styles = convert_with_pandoc(to_xhtml(tree), doc.meta, reference, built,
                                                  doc.source, ast=docx_ast(tree, doc.meta))
        created = _created(doc.meta.date, built)
        path.write_bytes(finish_package(package, created, built, self.config.paper, styles))

    def build_time(self) -> datetime:
        """Return the build's timestamp: config.source_date_epoch, else now (UTC, seconds)."""
        epoch = self.config.source_date_epoch
        if epoch is not None:
            return datetime.fromtimestamp(epoch, UTC)
        return datetime.now(UTC).replace(microsecond=0)

    def prepare_page(self, doc: Document) -> etree._Element:
        """Return the XHTML page pandoc reads: the shared rendering with DOCX tweaks."""
        page = build_page(doc, RenderOptions(titleblock=False))
        head = page.find("head")
        if head is not None:
            # pandoc turns every <meta name> into a custom document property; the ones
            # that matter are passed with -M. <title> and author stay as the fallback for
            # values -M cannot carry (see _metadata_value).
            for meta in head.findall("meta"):
                if meta.get("name") not in (None, "author"):
                    head.remove(meta)
        article = page.find("body/article")
        if article is None:
            return page
        for h1 in article.iter("h1"):
            # With --shift-heading-level-by=-1 a stray body <h1> would become a plain
            # paragraph; the Document's sections start at <h2>, so make it one.
            h1.tag = "h2"
        for ol in article.iter("ol"):
            # pandoc numbers a nested list without a type as a., i., ...; HTML shows 1., 2.
            if not ol.get("type") and "list-style" not in (ol.get("style") or ""):
                ol.set("type", "1")
        wrap_directed_blocks(article)  # a Hebrew paragraph in an English article stays RTL
        policy = ResourcePolicy.for_document(doc, self.config)
        where = doc.source.name if doc.source is not None else (doc.meta.title or "document")
        for img in list(article.iter("img")):
            src = (img.get("src") or "").strip()
            data_url, problem = image_data_url(src, policy)
            if data_url is None:
                if src:  # an <img> without src (lazy loading) had nothing to show anyway
                    log.warning("%s: docx: image %s %s; left out", where, src[:80], problem)
                replace_with_alt(img)
            else:
                img.set("src", data_url)
        return page


def pandoc_arguments(meta: Metadata, reference: Path) -> list[str]:
    """Return pandoc's command-line options (without the binary) for this document."""
    args = [
        "--from=html",
        "--to=docx",
        "--sandbox",
        f"--reference-doc={reference}",
        f"--shift-heading-level-by={SHIFT_HEADINGS}",
        "--output=-",
    ]
    args.extend(f"--metadata={key}={value}" for key, value in pandoc_metadata(meta).items())
    return args


def pandoc_metadata(meta: Metadata) -> dict[str, str]:
    """Return the metadata pandoc gets (as -M key=value), in command-line order."""
    language = meta.language
    fields = {
        "title": meta.title or "Untitled",
        "subtitle": meta.subtitle,
        "author": meta.author,
        "date": display_date(meta.date, language),
        "lang": language,
        "description": meta.description,
        "dir": "rtl" if text_direction(language) == "rtl" else None,
    }
    values = {key: _metadata_value(value) for key, value in fields.items()}
    return {key: value for key, value in values.items() if value is not None}


def _metadata_value(value: str | None) -> str | None:
    """Return a value safe for pandoc's -M, or None to leave it out.

    pandoc reads -M values as YAML scalars: "true"/"false" become booleans and vanish from
    the title. Those are left to the page's <title> and author <meta>, which pandoc reads as
    text. Line breaks would end the value, so white space is collapsed.
    """
    if value is None:
        return None
    value = " ".join(value.split())
    if not value or value.lower() in ("true", "false"):
        return None
    return value


def pandoc_binary() -> str:
    """Return the path of the pandoc binary that pypandoc-binary ships."""
    # The bundled binary directly: pypandoc's own search runs every pandoc it can find
    # (about six processes) and prefers the newest, which may not be the tested one. Found
    # without importing pypandoc (its import costs ~15 ms of every process's start-up).
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or spec.origin is None:  # pragma: no cover - a dependency of the package
        raise WriteError("pypandoc is not installed (pip install pypandoc-binary)")
    bundled = Path(spec.origin).parent / "files" / "pandoc"
    if os.access(bundled, os.X_OK):
        return str(bundled)
    import pypandoc

    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:
        raise WriteError(f"pandoc is not available: {exc}") from exc


def docx_ast(page: etree._Element, meta: Metadata) -> str | None:
    """Return the page as pandoc's JSON with the worker's steps after reading applied
    (pandoc_worker.prepare_ast), or None when pandoc_ast does not model the page."""
    doc = pandoc_ast.page_to_ast(page)
    if doc is None:
        return None
    pandoc_worker.prepare_ast(doc, pandoc_metadata(meta), SHIFT_HEADINGS, binary=True)
    return pandoc_ast.encode(doc)


def docx_request(page: bytes, meta: Metadata, reference: Path, *, ast: str | None = None,
                 skeleton: bool = True) -> pandoc_worker.PandocRequest:
    """Return the worker request that does what ``pandoc_arguments`` asks of a pandoc run:
    with the page's AST from ``docx_ast`` when there is one (pandoc then skips its HTML
    reader and the steps after it) and the reference's style skeleton (converter.writers.docx_styles)
    unless ``skeleton`` is false."""
    return pandoc_worker.PandocRequest(
        text=page.decode("utf-8"),
        to="docx",
        metadata=pandoc_metadata(meta),
        shift_heading_level_by=SHIFT_HEADINGS,
        reference_doc=docx_styles.worker_reference(reference) if skeleton else reference,
        ast=ast,
        ast_pandoc=pandoc_ast.PANDOC_VERSION if ast is not None else None,
        ast_prepared=ast is not None,  # docx_ast prepared it
    )


def convert_with_pandoc(
    page: bytes, meta: Metadata, reference: Path, built: datetime, source: Path | None = None,
    pending: pandoc_worker.Pending | None = None, ast: str | None = None,
) -> tuple[bytes, bytes | None]:
    """Return (the DOCX pandoc makes of ``page``, the styles.xml to put in it or None).

    Through this process's pandoc worker (the request already sent when ``pending`` is
    given), or with one pandoc run when the worker cannot be used (the output is the same).
    A worker conversion made with the reference's style skeleton gets the complete
    styles.xml learned for it; the first one of its kind is converted again with the real
    reference, which teaches it (converter.writers.docx_styles).
    """
    worker = pandoc_worker.shared_worker(pandoc_binary()) if pending is None else pending.worker
    if worker is not None and (worker.usable or pending is not None):
        try:
            request = (pending.request if pending is not None
                       else docx_request(page, meta, reference, ast=ast))
            package, messages = _worker_docx(worker, request, source, pending)
            log_pandoc_messages(messages, source)
            if request.reference_doc == reference:
                return package, None
            styles = docx_styles.complete_styles(reference, package)
            if styles is not None:
                return package, styles
            # The first document of its kind: again with the real reference, which teaches
            # docx_styles the complete styles.xml (and checks nothing else changed).
            full, _ = _worker_docx(worker, dataclasses.replace(request, reference_doc=reference),
                                   source)
            docx_styles.learn(reference, package, full)
            return full, None
        except pandoc_worker.PandocUnavailable as exc:
            log.debug("docx: pandoc worker unavailable, running pandoc once: %s", exc)
    return run_pandoc(page, pandoc_arguments(meta, reference), built, source), None


@contextlib.contextmanager
def _pandoc_errors(source: Path | None) -> Iterator[None]:
    """Turn the worker's refusals (pandoc failed, took too long) into WriteError."""
    try:
        yield
    except pandoc_worker.PandocFailed as exc:
        raise WriteError(f"pandoc failed: {exc}", source) from exc
    except pandoc_worker.PandocTimeout as exc:
        raise WriteError(f"pandoc took longer than {PANDOC_TIMEOUT} s", source) from exc


def _worker_docx(worker: pandoc_worker.PandocWorker, request: pandoc_worker.PandocRequest,
                 source: Path | None, pending: pandoc_worker.Pending | None = None,
                 ) -> tuple[bytes, list[str]]:
    """Send ``request`` (unless ``pending`` was sent already) and collect the reply:
    (the DOCX, pandoc's warnings); WriteError when pandoc failed."""
    with _pandoc_errors(source):
        package, messages = (pending or worker.submit(request)).result()
    if not package.startswith(b"PK"):
        raise WriteError("pandoc failed: its output is not a DOCX package", source)
    return package, messages


def log_pandoc_messages(messages: list[str], source: Path | None) -> None:
    """Report pandoc's warnings on the "converter" logger."""
    where = source.name if source is not None else "document"
    for message in messages:
        # pandoc lacks translations for some languages (e.g. "zh"); the terms label only an
        # abstract and numbered captions, which this rendering never produces.
        level = logging.DEBUG if "translation" in message.lower() else logging.WARNING
        log.log(level, "%s: docx: pandoc: %s", where, message)


def run_pandoc(page: bytes, args: list[str], built: datetime, source: Path | None = None) -> bytes:
    """Run pandoc on the XHTML ``page`` and return the DOCX bytes it writes to stdout."""
    # A fixed environment: pandoc sees no user data directory, locale or settings of the
    # caller's shell, and SOURCE_DATE_EPOCH pins any timestamp it would take from the clock.
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": str(int(built.timestamp()))}
    try:
        proc = subprocess.run(
            [pandoc_binary(), *args],
            input=page,
            capture_output=True,
            env=env,
            timeout=PANDOC_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise WriteError(f"pandoc took longer than {PANDOC_TIMEOUT} s", source) from exc
    except OSError as exc:
        raise WriteError(f"cannot run pandoc: {exc.strerror or exc}", source) from exc
    messages = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0 or not proc.stdout.startswith(b"PK"):
        last = messages.splitlines()[-1] if messages else f"exit status {proc.returncode}"
        raise WriteError(f"pandoc failed: {last}", source)
    log_pandoc_messages(pandoc_messages(messages), source)
    return proc.stdout


def pandoc_messages(stderr: str) -> list[str]:
    """Split pandoc's stderr into messages; indented lines continue the one before."""
    messages: list[str] = []
    for line in stderr.splitlines():
        if line[:1].isspace() and messages:
            messages[-1] += " " + line.strip()
        elif line.strip():
            messages.append(line.strip())
    return messages


def image_data_url(src: str, policy: ResourcePolicy) -> tuple[str | None, str]:
    """Return (data: URL, "") for an image Word can show, else (None, why it cannot).

    converter.resources decides what may be read (files inside the source's folder, data:
    URLs, the network only when allowed), with its size and time limits.
    """
    if not src:
        return None, "has no source"
    try:
        data = policy.read(src).data
    except ResourceRefused as refused:
        return None, refused.reason
    media_type = next((t for magic, t in IMAGE_TYPES.items() if data.startswith(magic)), None)
    if media_type is None:
        return None, "is not a PNG, JPEG or GIF image"
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}", ""


def _created(date: str | None, built: datetime) -> datetime:
    """The article's own date when it has one (never after the build), else the build time."""
    parsed = parse_iso_date(date) if date else None
    return min(parsed, built) if parsed is not None else built


def parse_iso_date(text: str) -> datetime | None:
    """Parse an ISO 8601 date or date-time ("2024", "2024-05", "2024-05-01T10:00Z") as UTC."""
    text = text.strip()
    partial = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", text)
    try:
        if partial:
            value = datetime(int(partial.group(1)), int(partial.group(2) or 1), 1)
        else:
            value = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# -- finishing the package ----------------------------------------------------------------


def finish_package(data: bytes, created: datetime, modified: datetime, paper: str,
                   styles: bytes | None = None) -> bytes:
    """Apply the post-processing pandoc cannot do and rewrite the zip reproducibly;
    ``styles`` replaces word/styles.xml (pandoc's, made with the style skeleton)."""
    rewrite = {
        "word/document.xml": lambda xml: _page_size(_rtl_styles(_list_paragraphs(xml)), paper),
        "word/footnotes.xml": _list_paragraphs,
        "docProps/core.xml": lambda xml: _core_dates(xml, created, modified),
    }
    if styles is not None:
        rewrite[docx_styles.STYLES] = lambda _: styles
    return normalise_zip(data, rewrite, modified)


def _parse_xml(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _list_paragraphs(xml: bytes) -> bytes:
    """Give every numbered paragraph (w:numPr) the List Paragraph style."""
    root = _parse_xml(xml)
    changed = False
    for num_pr in root.iter(f"{W}numPr"):
        ppr = num_pr.getparent()
        paragraph = ppr.getparent() if ppr is not None else None
        if ppr is None or paragraph is None or paragraph.tag != f"{W}p":
            continue  # a numPr inside a style or numbering definition, not a paragraph
        style = ppr.find(f"{W}pStyle")
        if style is None:
            style = etree.Element(f"{W}pStyle")
            ppr.insert(0, style)  # pStyle comes first in CT_PPr
        style.set(f"{W}val", LIST_STYLE)
        changed = True
    return _serialise(root) if changed else xml


def _rtl_styles(xml: bytes) -> bytes:
    """Repair what pandoc's right-to-left output (-M dir=rtl) loses or overdoes.

    pandoc drops the First Paragraph / Body Text style from body paragraphs that carry
    w:bidi, leaving them in Normal (no indent, no spacing); they get it back, First Paragraph
    after anything but running text. Code stays left-to-right.
    """
    root = _parse_xml(xml)
    body = root.find(f"{W}body")
    if body is None or root.find(f".//{W}bidi") is None:
        return xml
    previous: str | None = None
    for child in body:
        if child.tag == f"{W}tbl":
            previous = "table"
        if child.tag != f"{W}p":
            continue
        ppr = child.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        name = style.get(f"{W}val") if style is not None else None
        if ppr is not None and name is None and ppr.find(f"{W}bidi") is not None:
            name = "BodyText" if previous in ("BodyText", "FirstParagraph") else "FirstParagraph"
            style = etree.Element(f"{W}pStyle", {f"{W}val": name})
            ppr.insert(0, style)
        previous = name
    code_style = f"{W}pPr/{W}pStyle[@{W}val='SourceCode']"
    code = [p for p in root.iter(f"{W}p") if p.find(code_style) is not None]
    for paragraph in code:
        for el in [*paragraph.iter(f"{W}bidi"), *paragraph.iter(f"{W}rtl")]:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
    return _serialise(root)


def _page_size(xml: bytes, paper: str) -> bytes:
    """Set the page size of every section to ``paper`` (the reference document is A4)."""
    size = PAGE_SIZES.get(paper.lower())
    if size is None:
        return xml
    root = _parse_xml(xml)
    for pg_sz in root.iter(f"{W}pgSz"):
        pg_sz.set(f"{W}w", str(size[0]))
        pg_sz.set(f"{W}h", str(size[1]))
    return _serialise(root)


def _w3cdtf(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _core_dates(xml: bytes, created: datetime, modified: datetime) -> bytes:
    """Stamp dcterms:created and dcterms:modified (pandoc's sandbox writes 1970)."""
    root = _parse_xml(xml)
    for name, value in (("created", created), ("modified", modified)):
        el = root.find(f"{DCTERMS}{name}")
        if el is None:
            el = etree.SubElement(root, f"{DCTERMS}{name}")
        el.set(XSI_TYPE, "dcterms:W3CDTF")
        el.text = _w3cdtf(value)
    return _serialise(root)


def normalise_zip(
    data: bytes, rewrite: dict[str, Callable[[bytes], bytes]], stamp: datetime
) -> bytes:
    """Rewrite the package: [Content_Types].xml first, then sorted names, one timestamp."""
    stamp = max(stamp.astimezone(UTC), ZIP_EPOCH)
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for name in first + sorted(n for n in names if n not in first):
                blob = src.read(name)
                if name in rewrite:
                    blob = rewrite[name](blob)
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, whatever machine builds it
                info.external_attr = 0o644 << 16
                dst.writestr(info, blob, compresslevel=9)
    return out.getvalue()
