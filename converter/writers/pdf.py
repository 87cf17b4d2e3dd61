"""PDF edition: WeasyPrint lays out the shared XHTML rendering with styles/pdf.css.

    Document(meta.title="T", body=<h2>A</h2><p>x<a class="footnote-ref" href="#fn1">1</a></p>
             <section class="footnotes"><ol><li id="fn1"><p>Note.</p></li></ol></section>)
    ->
    <header class="titleblock"><h1 class="title">T</h1>...</header>     (outline level 1)
    <h2>A</h2>                                                          (outline level 2)
    <p>x<span class="footnote">Note.</span></p>                         (float: footnote)
    ->
    PDF: pages of size ``config.paper``, running title and "3 / 12" from page two, outline
    from the headings, /Title /Author /Lang /CreationDate /ModDate, embedded font subsets,
    tagged (structure tree) for screen readers.

pandoc's endnotes become real page footnotes: each note's content moves to a
``<span class="footnote">`` at its reference (block children become spans, since the
footnote sits inside a paragraph) and the endnotes section goes away; notes nobody refers
to stay behind as endnotes.

The article is untrusted: WeasyPrint may load ``data:`` URLs and files inside the source's
folder (after resolving symlinks), nothing else. Images that break that rule are replaced
by their alt text before layout, and the URL fetcher refuses whatever else slips through;
both report on the "converter" logger. pdf.css is the user stylesheet (not inlined); it and
the font configuration are built once per process. With ``config.source_date_epoch`` set,
two builds are byte-identical (the /ID is a hash of the file's own content).
"""

from __future__ import annotations

import atexit
import copy
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml import html as lxml_html

from .. import resources
from ..config import Config
from ..document import Document
from ..errors import UsageError, WriteError
from ..normalise.tree import collapse_spaces
from . import hyphenation
from .base import Writer
from .html import RenderOptions, build_page
from .scripts import break_urls, warn_missing_glyphs
from .weasyprint_loader import import_weasyprint

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

log = logging.getLogger("converter")

# CSS page sizes for config.paper.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}

# Elements that cannot sit inside the <span> a footnote becomes (the HTML parser would close
# the surrounding paragraph): they are renamed to spans with a class that restores the look.
_FOOTNOTE_BLOCKS = frozenset(
    {
        *("p", "div", "section", "article", "aside", "header", "footer", "address", "details"),
        *("summary", "blockquote", "pre", "figure", "figcaption", "ul", "ol", "li", "dl", "dt"),
        *("dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"),
        *("h1", "h2", "h3", "h4", "h5", "h6"),
    }
)

# (css path, mtime, paper) -> (user stylesheet, paper stylesheet, font configuration).
# A pipeline converts documents one after another; the objects are only read while laying out.
_STYLE_CACHE: dict[tuple[str, int, str], tuple[CSS, CSS, FontConfiguration]] = {}
# Release the cached Pango objects while Python can still call into Pango: left to module
# teardown, their cffi finalizers ran g_object_unref after GLib was gone (a segfault at exit,
# exit status 139 after a run that had written PDFs).
atexit.register(_STYLE_CACHE.clear)


class PdfWriter(Writer):
    """A printed edition: WeasyPrint, styles/pdf.css, page footnotes, outline and metadata."""

    name = "pdf"
    extension = ".pdf"
    media_type = "application/pdf"

    def write_file(self, doc: Document, path: Path) -> None:
        """Lay out the document and write the PDF to ``path``."""
        import_weasyprint()
        hyphenation.install()  # Pyphen's patterns from the cache, not parsed per process
        from weasyprint import HTML

        page = build_page(doc, RenderOptions(titleblock=True))
        _set_dates(page, _timestamp(self.config.source_date_epoch))
        prepare_for_print(page)
        place_footnotes(page)
        policy = ResourcePolicy(doc, self.config)
        policy.screen(page)
        warn_missing_glyphs(page.find("body"), policy.where, "pdf")
        break_urls(page)
        markup = lxml_html.tostring(page, encoding="unicode", doctype="<!DOCTYPE html>")

        user_css, paper_css, font_config = _stylesheets(
            self.config.style("pdf.css"), self.config.paper
        )
        html = HTML(string=markup, base_url=policy.base_url, url_fetcher=policy.fetcher())
        rendered = html.render(font_config=font_config, stylesheets=[user_css, paper_css])
        # pdf_identifier=True: pydyf writes /ID as the MD5 of the file's own bytes, so it is
        # present (some validators want it) and still reproducible.
        # pdf_variant: PDF/UA-1 (accessible) or PDF/A (archival) metadata and structure.
        rendered.write_pdf(
            str(path), pdf_identifier=True, pdf_tags=True, pdf_variant=self.config.pdf_variant
        )


def _timestamp(source_date_epoch: int | None) -> datetime:
    if source_date_epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    return datetime.fromtimestamp(source_date_epoch, UTC)


def _set_dates(page: etree._Element, stamp: datetime) -> None:
    """Add the meta elements WeasyPrint turns into /CreationDate and /ModDate."""
    head = page.find("head")
    assert head is not None
    value = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("dcterms.created", "dcterms.modified"):
        etree.SubElement(head, "meta", name=name, content=value)


def prepare_for_print(page: etree._Element) -> None:
    """Let pdf.css alone decide the look, and keep list numbering WeasyPrint would lose."""
    body = page.find("body")
    assert body is not None
    seen: set[str] = set()
    for el in body.iter():
        # Inline styles are the article's, not ours; readers drop them, other callers may not.
        if "style" in el.attrib:
            del el.attrib["style"]
        # A repeated id makes WeasyPrint warn and links ambiguous; the first one wins.
        ident = el.get("id")
        if ident is not None:
            if ident in seen:
                del el.attrib["id"]
            seen.add(ident)
    # WeasyPrint reads <ol start> and <li value> only as presentational hints, which would
    # also let width, height and align attributes in; say the same in CSS instead.
    for ol in body.iter("ol"):
        start = _integer(ol.get("start"))
        if start is not None:
            ol.set("style", f"counter-reset: list-item {start}; counter-increment: list-item -1")
    for li in body.iter("li"):
        value = _integer(li.get("value"))
        if value is not None:
            li.set("style", f"counter-reset: list-item {value}; counter-increment: none")


def _integer(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


# -- footnotes ----------------------------------------------------------------------------------


def _classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


def place_footnotes(page: etree._Element) -> None:
    """Move each pandoc endnote to a ``<span class="footnote">`` at its reference.

    The endnotes section is removed once it is empty; notes without a reference stay in it.
    """
    sections = [
        el
        for el in page.iter("section")
        if "footnotes" in _classes(el) or el.get("role") == "doc-endnotes"
    ]
    notes: dict[str, etree._Element] = {}
    for section in sections:
        for li in section.iter("li"):
            if li.get("id"):
                notes.setdefault(li.get("id", ""), li)
    inside_notes = {el for section in sections for el in section.iter("a")}
    refs = [
        a
        for a in page.iter("a")
        if ("footnote-ref" in _classes(a) or a.get("role") == "doc-noteref")
        and a not in inside_notes  # a note referring to a note stays a plain link
    ]
    for ref in refs:
        target = (ref.get("href") or "").removeprefix("#")
        note = notes.pop(target, None)
        if note is None:
            # A second reference to a note already placed, or one whose note is missing:
            # keep the number, drop the dead link.
            _replace(ref, _mark(" ".join(ref.text_content().split())))
            continue
        _replace(ref, _footnote(note))
        parent = note.getparent()
        assert parent is not None
        parent.remove(note)
    for section in sections:
        parent = section.getparent()
        if parent is not None and not any(True for _ in section.iter("li")):
            parent.remove(section)
    _label_headings(page)


def _mark(label: str | None) -> etree._Element:
    sup = lxml_html.Element("sup")
    sup.text = label or ""
    return sup


def _footnote(note: etree._Element) -> etree._Element:
    """Return the note's content as an inline ``<span class="footnote">``."""
    span = lxml_html.Element("span", {"class": "footnote"})
    span.text = note.text
    for child in list(note):
        span.append(child)  # moves it out of the note
    for a in [a for a in span.iter("a") if _is_backlink(a)]:
        _remove(a)
    # A source's line breaks inside the note's blocks made WeasyPrint stop on an assertion
    # ("Got ' \n' between two lines") once those blocks became inline spans.
    collapse_spaces(span)
    first = True
    for el in list(span.iter()):
        if el is span or el.tag not in _FOOTNOTE_BLOCKS:
            continue
        if first and el.tag == "p" and el.getparent() is span:
            # The first paragraph runs on after the footnote marker.
            el.tag = "span"
            first = False
            continue
        first = False
        if el.tag in ("ul", "ol", "pre"):
            kind = el.tag
        elif el.tag in ("li", "dt", "dd"):
            kind = "item"
        else:
            kind = "block"
        el.set("class", " ".join([f"fn-{kind}", *_classes(el)]))
        el.tag = "span"
    return span


def _is_backlink(a: etree._Element) -> bool:
    return "footnote-back" in _classes(a) or a.get("role") == "doc-backlink"


def _label_headings(page: etree._Element) -> None:
    """Give headings holding a footnote an outline label without the note's call number."""
    for heading in page.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        notes = [el for el in heading.iter("span") if "footnote" in _classes(el)]
        if not notes:
            continue
        clone = copy.deepcopy(heading)
        for note in [el for el in clone.iter("span") if "footnote" in _classes(el)]:
            _remove(note)
        heading.set("data-bookmark", " ".join(clone.text_content().split()))


def _replace(old: etree._Element, new: etree._Element) -> None:
    new.tail = old.tail
    parent = old.getparent()
    assert parent is not None
    parent.replace(old, new)


def _remove(el: etree._Element) -> None:
    """Remove ``el`` with its content, keep its tail and trim the space left at the end."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    at_end = el.getnext() is None
    if prev is not None:
        prev.tail = ((prev.tail or "") + tail) or None
    else:
        parent.text = ((parent.text or "") + tail) or None
    parent.remove(el)
    if at_end and not tail.strip():
        # pandoc puts a space before the back-link: "Text. <a>↩︎</a>".
        if prev is not None and prev.tail:
            prev.tail = prev.tail.rstrip() or None
        elif prev is None and parent.text:
            parent.text = parent.text.rstrip() or None


# -- what WeasyPrint may load -------------------------------------------------------------------


class ResourcePolicy(resources.ResourcePolicy):
    """converter.resources' policy, applied to the page before layout and to every load.

    Each image is loaded once, while the page is screened (so one that cannot be loaded
    becomes its alt text before layout); WeasyPrint's fetcher then serves it from memory and
    refuses anything else.
    """

    def __init__(self, doc: Document, config: Config | None = None) -> None:
        rules = resources.ResourcePolicy.for_document(doc, config)
        super().__init__(doc.source, allow_remote=rules.allow_remote, timeout=rules.timeout,
                         max_bytes=rules.max_bytes)
        self.where = doc.source.name if doc.source is not None else (doc.meta.title or "document")
        self._loaded: dict[str, resources.Resource] = {}

    def screen(self, page: etree._Element) -> None:
        """Load every image now; replace those that cannot be loaded by their alt text."""
        for img in list(page.iter("img")):
            src = (img.get("src") or "").strip()
            try:
                if not src:
                    raise resources.ResourceRefused(src, "resources.missing", "has no source")
                resource = self.read(src)
            except resources.ResourceRefused as refused:
                self.warn("image %s %s; replaced by its alt text", resources.short(src),
                          refused.reason, code=refused.code)
                alt = " ".join((img.get("alt") or "").split())
                if alt:
                    stand_in = lxml_html.Element("span", {"class": "image-missing"})
                    stand_in.text = alt
                    _replace(img, stand_in)
                else:
                    _remove(img)
                continue
            self._loaded[resource.url] = resource
        for a in page.iter("a"):
            # WeasyPrint embeds rel="attachment" targets into the PDF; an article gets no say.
            if "attachment" in (a.get("rel") or "").lower().split():
                del a.attrib["rel"]

    def read(self, url: str, *, image: bool = True) -> resources.Resource:
        """Return the resource loaded while screening, else load it under the policy."""
        target = self.check(url)
        cached = self._loaded.get(target)
        return cached if cached is not None else super().read(url, image=image)

    def fetcher(self) -> Any:
        """Return a WeasyPrint URL fetcher that applies this policy to every load."""

        def refused(error: resources.ResourceRefused) -> None:
            self.warn("reference %s %s; not loaded", resources.short(error.url), error.reason,
                      code=error.code)

        return self.weasyprint_fetcher(on_refused=refused)

    def warn(self, message: str, *args: object, code: str = "pdf.warning") -> None:
        """Report a refused reference on the converter logger."""
        log.warning("%s: pdf: " + message, self.where, *args, extra={"code": code})


# -- stylesheets, parsed once per process --------------------------------------------------------


def _stylesheets(css_path: Path, paper: str) -> tuple[CSS, CSS, FontConfiguration]:
    """Return (pdf.css, the paper-size override, font configuration), cached per process.

    A batch run converts hundreds of articles; parsing pdf.css and setting up fontconfig each
    time would add about a quarter to each one. Keyed by mtime so an edited stylesheet is seen.
    """
    import_weasyprint()
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    size = PAPER_SIZES.get(paper.lower())
    if size is None:
        choices = ", ".join(PAPER_SIZES)
        raise UsageError(f"unknown paper size {paper!r} (choose from {choices})")
    resolved = css_path.resolve()
    try:
        key = (str(resolved), resolved.stat().st_mtime_ns, size)
    except OSError as exc:
        raise WriteError(f"PDF stylesheet {css_path} cannot be read: {exc.strerror}") from None
    cached = _STYLE_CACHE.get(key)
    if cached is None:
        font_config = FontConfiguration()
        # pdf.css may come from a styles folder a converter.toml beside the inputs names:
        # its fonts and imports load from that folder only, never from the network.
        fetcher = resources.ResourcePolicy(resolved).weasyprint_fetcher(image=False)
        user = CSS(filename=str(resolved), font_config=font_config, url_fetcher=fetcher)
        override = CSS(string=f"@page {{ size: {size}; }}", font_config=font_config)
        cached = _STYLE_CACHE[key] = (user, override, font_config)
    return cached
