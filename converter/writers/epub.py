"""EPUB 3 edition, built from the shared XHTML rendering and packed with ebooklib.

    Document(meta.title="T", body=<h2>A</h2><p>x</p><h2>B</h2>...)
    ->
    book.epub
      mimetype                  first entry, stored
      META-INF/container.xml
      EPUB/content.opf          dc:title/creator/language/date, urn:uuid (UUID5 of the content),
                                dcterms:modified; spine: cover, title page, nav, text
      EPUB/toc.ncx              the same table of contents for EPUB 2 readers
      EPUB/nav.xhtml            toc (every heading, nested by level) + landmarks
      EPUB/cover.xhtml          wraps images/cover.svg (typographic) or the given cover image
      EPUB/titlepage.xhtml      the title block: the book's only <h1>
      EPUB/text-01.xhtml ...    the body; one file per <h2> section when the article is long
      EPUB/css/epub.css, EPUB/images/...

Footnotes in pandoc's form become EPUB 3 footnotes: ``epub:type="noteref"`` on each reference
and an ``<aside epub:type="footnote">`` at the end of the file that first cites it, so readers
can show them as pop-ups. With ``config.source_date_epoch`` set, two builds are byte-identical.
"""

from __future__ import annotations

import copy
import hashlib
import io
import itertools
import logging
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from lxml import etree

from .. import __version__
from ..config import Config
from ..document import Document
from ..errors import WriteError
from ..readers.sanitise import unwrap
from ..resources import ResourcePolicy, ResourceRefused, short
from .base import Writer
from .html import XHTML_NS, RenderOptions, build_page, text_direction, to_xhtml

if TYPE_CHECKING:  # ebooklib is imported only when a book is written
    from ebooklib.epub import EpubBook

log = logging.getLogger("converter")

OPS_NS = "http://www.idpf.org/2007/ops"
SVG_NS = "http://www.w3.org/2000/svg"
X = f"{{{XHTML_NS}}}"
EPUB_TYPE = f"{{{OPS_NS}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

CSS_HREF = "css/epub.css"
SPLIT_WORDS = 3000  # auto mode splits a body longer than this into one file per <h2> section
# Fixed namespace for the content-derived identifier: same content, same urn:uuid.
ID_NAMESPACE = uuid.UUID("7d45a656-2ee6-413d-8fac-bc5310daf94c")

# The table of contents' heading, in the book's language (English otherwise).
CONTENTS_LABEL = {
    "en": "Contents", "fr": "Table des matières", "de": "Inhalt", "es": "Índice",
    "it": "Indice", "pt": "Sumário", "nl": "Inhoud", "sv": "Innehåll", "da": "Indhold",
    "no": "Innhold", "nb": "Innhold", "fi": "Sisällys", "pl": "Spis treści", "cs": "Obsah",
    "ru": "Содержание", "uk": "Зміст", "tr": "İçindekiler", "el": "Περιεχόμενα",
    "ar": "المحتويات", "fa": "فهرست", "he": "תוכן העניינים", "ja": "目次", "zh": "目录",
    "ko": "목차",
}  # fmt: skip

# Cover palettes (background, text, accent); one is picked from the identifier, so it is stable.
PALETTES = (
    ("#1f2a44", "#f4efe6", "#c9a227"),
    ("#3b2f2f", "#f2e8dc", "#b5651d"),
    ("#24423a", "#eef2ea", "#9fbf8f"),
    ("#4a1c2c", "#f6ecee", "#d9a5b3"),
    ("#2e3440", "#eceff4", "#88c0d0"),
    ("#f3efe6", "#1d1d1d", "#8c2f1b"),
)

_BCP47 = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
# What HTML's <time datetime> and OPF's dc:date accept (W3CDTF-like ISO 8601 forms).
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_INT = re.compile(r"^-?\d+$")
_KEPT_ROLES = frozenset({"doc-noteref", "doc-backlink", "doc-footnote", "doc-endnotes"})
_URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_HOST = re.compile(r"^[\w.@:\[\]~-]+$")
_URL_SAFE = "%:/?#[]@!$&'()*+,;=~"  # reserved characters stay; spaces etc. are encoded
_HEADINGS = frozenset(f"{X}h{n}" for n in range(1, 7))
_SAFE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@dataclass
class _Asset:
    """A file the book embeds: image, stylesheet."""

    href: str
    media_type: str
    data: bytes


@dataclass
class _Part:
    """One XHTML content file of the body."""

    href: str
    nodes: list[etree._Element]
    notes: list[etree._Element] = field(default_factory=list)


@dataclass
class _Heading:
    """A heading for the table of contents."""

    level: int
    text: str
    href: str
    children: list[_Heading] = field(default_factory=list)


class EpubWriter(Writer):
    """EPUB 3 with nav, NCX, landmarks, a title page and a cover; passes EPUBCheck."""

    name = "epub"
    extension = ".epub"
    media_type = "application/epub+zip"

    def __init__(
        self,
        config: Config | None = None,
        *,
        split_sections: bool | None = None,
        cover: Path | None = None,
    ) -> None:
        super().__init__(config)
        # Arguments win over the Config (--split/--no-split, --cover); None: split when the
        # body is long, draw a typographic cover.
        if split_sections is None:
            split_sections = self.config.split_sections
        if cover is None:
            cover = self.config.cover
        self.split_sections = split_sections
        self.cover = Path(cover) if cover is not None else None

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the EPUB to ``path``."""
        when = _timestamp(self.config.source_date_epoch)
        book = _BookBuilder(doc, self.config, when, self.split_sections, self.cover).build()
        path.write_bytes(_normalise_zip(book, when))


def cover_media_type(data: bytes) -> str | None:
    """Return the media type of a cover image the book can embed, None if it cannot."""
    return _sniff_image(data)


def language_tag(language: str | None) -> str:
    """Return a well-formed BCP 47 tag for dc:language and xml:lang ("und" when unknown)."""
    tag = (language or "").strip().replace("_", "-")
    return tag if _BCP47.match(tag) else "und"


def book_identifier(doc: Document) -> str:
    """Return a urn:uuid derived from title, author and body text: rebuilding keeps the id."""
    text = " ".join("".join(doc.body.itertext()).split())
    key = "\x1f".join((doc.meta.title or "", doc.meta.author or "", text))
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def word_count(body: etree._Element) -> int:
    """Count words; CJK characters count one each since those scripts put no spaces between."""
    text = "".join(body.itertext())
    return len(text.split()) + len(_CJK.findall(text))


def _timestamp(source_date_epoch: int | None) -> datetime:
    if source_date_epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    return datetime.fromtimestamp(source_date_epoch, UTC)


class _BookBuilder:
    """Turns one Document into an ebooklib EpubBook; single use."""

    def __init__(
        self,
        doc: Document,
        config: Config,
        when: datetime,
        split: bool | None,
        cover: Path | None,
    ) -> None:
        self.doc = doc
        self.config = config
        self.when = when
        self.split = split
        self.cover_path = cover
        self.lang = language_tag(doc.meta.language)
        self.rtl = text_direction(self.lang) == "rtl"
        self.title = " ".join((doc.meta.title or "").split()) or "Untitled"
        self.identifier = book_identifier(doc)
        self.assets: list[_Asset] = []
        self._images: dict[str, str] = {}  # file or data key -> href in the book
        self._by_src: dict[str, str | None] = {}  # src as written -> href, None if refused
        self._remote: list[str] = []
        self._policy = ResourcePolicy.for_document(doc, config)

    # -- assembling -------------------------------------------------------------------------

    def build(self) -> EpubBook:
        """Return the EpubBook ready to be written."""
        page = etree.fromstring(
            to_xhtml(build_page(self.doc, RenderOptions(titleblock=True, css_href=CSS_HREF))),
            etree.XMLParser(resolve_entities=False, no_network=True),
        )
        head = page.find(f"{X}head")
        article = page.find(f"{X}body/{X}article")
        header = article.find(f"{X}header")
        if header is not None:
            article.remove(header)
        self._clean(article)
        if header is not None:
            self._clean(header)
        if self._remote:
            shown = ", ".join(src[:80] for src in self._remote[:3])
            more = f" and {len(self._remote) - 3} more" if len(self._remote) > 3 else ""
            self._warn("left out %d web images (%s%s): a book never loads from the network",
                       len(self._remote), shown, more)  # fmt: skip
        repair_content_model(article)
        self._assign_ids(article)
        notes = self._take_footnotes(article)
        parts = self._split(article)
        self._place_notes(parts, notes)

        files = {p.href: self._content_file(head, article, p) for p in parts}
        files["titlepage.xhtml"] = self._titlepage(head, header)
        self._resolve_links(files)
        toc = self._toc(files, [p.href for p in parts])
        return self._package(head, files, [p.href for p in parts], toc)

    def _package(
        self,
        head: etree._Element | None,
        files: dict[str, etree._Element],
        texts: list[str],
        toc: list[_Heading],
    ) -> EpubBook:
        """Put the files, metadata, spine, NCX and guide into an ebooklib book."""
        from ebooklib import epub

        book = epub.EpubBook()
        book.set_identifier(self.identifier)
        book.set_title(self.title)
        book.set_language(self.lang)
        if self.rtl:
            book.set_direction("rtl")
        if self.doc.meta.author:
            book.add_author(self.doc.meta.author)
        date = _opf_date(self.doc.meta.date)
        if date:
            book.add_metadata("DC", "date", date)
        if self.doc.meta.description:
            book.add_metadata("DC", "description", self.doc.meta.description)
        book.set_unique_metadata(
            "OPF", "generator", "", {"name": "generator", "content": f"converter {__version__}"}
        )

        cover = self._cover_asset()
        cover_item = epub.EpubCover(file_name=cover.href)
        cover_item.media_type = cover.media_type
        cover_item.content = cover.data
        book.add_item(cover_item)
        # EPUB 2 readers find the cover image through this meta.
        book.add_metadata(None, "meta", "", {"name": "cover", "content": cover_item.id})

        def document(uid: str, href: str, data: bytes, props: tuple[str, ...] = ()):
            item = epub.EpubItem(
                uid=uid, file_name=href, media_type="application/xhtml+xml", content=data
            )
            item.properties = list(props)
            return book.add_item(item)

        cover_page = document("cover", "cover.xhtml", self._cover_page(head, cover.href))
        title_page = document("titlepage", "titlepage.xhtml", _serialise(files["titlepage.xhtml"]))
        nav = document("nav", "nav.xhtml", self._nav(head, toc, texts[0]), ("nav",))
        chapters = [
            document(href.removesuffix(".xhtml"), href, _serialise(files[href])) for href in texts
        ]
        book.add_item(epub.EpubNcx())
        css = self._stylesheet()
        book.add_item(
            epub.EpubItem(uid="css", file_name=css.href, media_type="text/css", content=css.data)
        )
        for n, asset in enumerate(self.assets, start=1):
            book.add_item(
                epub.EpubItem(
                    uid=f"img-{n:03d}",
                    file_name=asset.href,
                    media_type=asset.media_type,
                    content=asset.data,
                )
            )

        # A one-file article needs no contents page in the reading order; a long one does.
        book.spine = [cover_page, title_page, (nav, "yes" if len(texts) > 1 else "no"), *chapters]
        book.toc = _ncx_entries(toc)
        book.guide = [
            {"href": "cover.xhtml", "title": "Cover", "type": "cover"},
            {"href": "titlepage.xhtml", "title": "Title page", "type": "title-page"},
            {"href": "nav.xhtml", "title": self._contents_label(), "type": "toc"},
            {"href": texts[0], "title": "Start", "type": "text"},
        ]
        return book

    # -- body clean-up ----------------------------------------------------------------------

    def _clean(self, root: etree._Element) -> None:
        """Embed local images and drop attribute values EPUBCheck's HTML schema rejects."""
        for el in list(root.iter(f"{X}picture")):
            unwrap(el)  # <picture> without its <source>s is only a wrapper round the <img>
        for img in list(root.iter(f"{X}img")):
            self._embed_image(img)
        for el in list(root.iter()):
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.replace(X, "")
            for name, value in list(el.attrib.items()):
                if not _valid_attribute(tag, name, value):
                    del el.attrib[name]
            if tag in ("td", "th") and el.get("align"):
                align = el.attrib.pop("align").lower()
                if align in ("left", "right", "center", "justify"):
                    _add_class(el, f"align-{align}")
            if tag == "a" and el.get("href") is not None:
                href = _clean_href(el.get("href", ""))
                if href is None:
                    del el.attrib["href"]
                else:
                    el.set("href", href)
            if (
                tag == "time"
                and el.get("datetime") is not None
                and not _valid_date(el.get("datetime", ""))
            ):
                unwrap(el)

    def _embed_image(self, img: etree._Element) -> None:
        src = (img.get("src") or "").strip()
        if src not in self._by_src:  # each refusal is logged once
            self._by_src[src] = self._load_image(src) if src else None
        href = self._by_src[src]
        if href is None:
            _replace_with_alt(img)
            return
        img.set("src", href)
        if img.get("alt") is None:
            img.set("alt", "")

    def _load_image(self, src: str) -> str | None:
        """Add the image to the book's assets and return its href, or None if refused."""
        found = self._image_data(src)
        if found is None:
            return None
        key, data = found
        media_type = _sniff_image(data)
        if media_type is None:
            self._warn("left out image %s: not a PNG, JPEG, GIF, WebP or self-contained SVG", src)
            return None
        href = self._images.get(key)
        if href is None:
            href = f"images/img-{len(self._images) + 1:03d}{_EXTENSIONS[media_type]}"
            self._images[key] = href
            self.assets.append(_Asset(href, media_type, data))
        return href

    def _image_data(self, src: str) -> tuple[str, bytes] | None:
        """Return (key, bytes) for an image converter.resources lets load, else warn.

        Nothing is read from outside the source's folder or fetched from the network (unless
        ``config.allow_remote``); reads are capped and must be images.
        """
        try:
            resource = self._policy.read(src)
        except ResourceRefused as refused:
            if refused.code == "resources.remote":
                self._remote.append(src)  # scraped pages have dozens: one warning per book
            else:
                self._warn("left out image %s: %s", short(src, 80), refused.reason)
            return None
        if resource.url.startswith("data:"):
            return f"data:{hashlib.sha256(resource.data).hexdigest()}", resource.data
        return resource.url, resource.data

    def _warn(self, message: str, *args: object) -> None:
        where = self.doc.source.name if self.doc.source else self.title
        log.warning("%s: epub: " + message, where, *args)

    # -- footnotes, ids, splitting ----------------------------------------------------------

    def _take_footnotes(self, article: etree._Element) -> dict[str, etree._Element]:
        """Remove pandoc's endnotes section; return id -> <aside epub:type="footnote">."""
        notes: dict[str, etree._Element] = {}
        for section in [el for el in article if "footnotes" in (el.get("class") or "").split()]:
            for ol in section.findall(f"{X}ol"):  # not lists inside the notes
                start = int(ol.get("start", "1")) if _INT.match(ol.get("start", "1")) else 1
                for number, li in enumerate(ol.findall(f"{X}li"), start=start):
                    if li.get("id"):
                        notes[li.get("id", "")] = _aside(li, number)
            article.remove(section)
        for ref in article.iter(f"{X}a"):
            if "footnote-ref" in (ref.get("class") or "").split():
                ref.set(EPUB_TYPE, "noteref")
        return notes

    def _assign_ids(self, article: etree._Element) -> None:
        """Make ids unique and URL-safe, give every heading one (for the TOC), and keep
        ``#id`` links pointing at renamed ids."""
        seen: set[str] = set()
        renamed: dict[str, str] = {}

        def unique(base: str) -> str:
            ident, k = base, 2
            while ident in seen:
                ident, k = f"{base}-{k}", k + 1
            seen.add(ident)
            return ident

        elements = [e for e in article.iter() if isinstance(e.tag, str)]
        for el in elements:  # safe ids first, so renamed ones never take their names
            ident = el.get("id")
            if ident is not None and _SAFE_ID.match(ident) and ident not in seen:
                seen.add(ident)
            elif ident is not None:
                del el.attrib["id"]
                # A later duplicate is dropped (links go to the first); an unsafe id (spaces,
                # "%", non-ASCII: scraped heading anchors) gets a slug of itself.
                if not _SAFE_ID.match(ident):
                    new = unique(_slug(unquote(ident)) or "id")
                    el.set("id", new)
                    renamed.setdefault(ident, new)
                    renamed.setdefault(unquote(ident), new)
        for n, el in enumerate((e for e in elements if e.tag in _HEADINGS), start=1):
            if not el.get("id"):
                el.set("id", unique(_slug(_heading_text(el)) or f"section-{n}"))
        for a in article.iter(f"{X}a"):
            href = a.get("href") or ""
            if href.startswith("#") and href[1:] in renamed:
                a.set("href", "#" + renamed[href[1:]])

    def _split(self, article: etree._Element) -> list[_Part]:
        """Cut the body into content files: one, or one per top-level <h2> section."""
        nodes = list(article)
        split = self.split
        if split is None:
            split = word_count(article) > SPLIT_WORDS
        if not split or not any(n.tag == f"{X}h2" for n in nodes):
            return [_Part("text-01.xhtml", nodes)]
        chunks: list[list[etree._Element]] = [[]]
        for node in nodes:
            if node.tag == f"{X}h2" and chunks[-1]:
                chunks.append([])
            chunks[-1].append(node)
        return [_Part(f"text-{n:02d}.xhtml", c) for n, c in enumerate(chunks, start=1)]

    def _place_notes(self, parts: list[_Part], notes: dict[str, etree._Element]) -> None:
        """Put each note at the end of the file that first cites it (pop-up footnotes)."""
        placed: set[str] = set()
        for part in parts:
            for node in part.nodes:
                for ref in node.iter(f"{X}a"):
                    target = (ref.get("href") or "").lstrip("#")
                    if ref.get(EPUB_TYPE) == "noteref" and target in notes and target not in placed:
                        placed.add(target)
                        part.notes.append(notes[target])
        parts[-1].notes.extend(note for key, note in notes.items() if key not in placed)

    # -- files ------------------------------------------------------------------------------

    def _root(self, head: etree._Element | None, title: str) -> etree._Element:
        """Return an ``<html>`` with the page's head (stylesheet, metadata) and ``title``."""
        root = etree.Element(f"{X}html", nsmap={None: XHTML_NS, "epub": OPS_NS})
        root.set("lang", self.lang)
        root.set(XML_LANG, self.lang)
        if self.rtl:
            root.set("dir", "rtl")
        new_head = etree.SubElement(root, f"{X}head")
        for child in head if head is not None else ():
            if child.tag == f"{X}title":
                etree.SubElement(new_head, f"{X}title").text = title
            else:
                new_head.append(_copy(child))
        if new_head.find(f"{X}title") is None:
            etree.SubElement(new_head, f"{X}title").text = title
        return root

    def _content_file(
        self, head: etree._Element | None, article: etree._Element, part: _Part
    ) -> etree._Element:
        first = part.nodes[0] if part.nodes else None
        starts_section = first is not None and first.tag == f"{X}h2"
        title = _heading_text(first) if starts_section and first is not None else self.title
        root = self._root(head, title or self.title)
        body = etree.SubElement(root, f"{X}body", {EPUB_TYPE: "bodymatter"})
        wrapper = etree.SubElement(body, f"{X}article", dict(article.attrib))
        if starts_section:
            wrapper.set(EPUB_TYPE, "chapter")
        for node in part.nodes:
            wrapper.append(node)
        if part.notes:
            section = etree.SubElement(
                wrapper, f"{X}section", {"class": "footnotes", EPUB_TYPE: "footnotes"}
            )
            etree.SubElement(section, f"{X}hr")
            section.extend(part.notes)
        return root

    def _titlepage(
        self, head: etree._Element | None, header: etree._Element | None
    ) -> etree._Element:
        root = self._root(head, self.title)
        body = etree.SubElement(root, f"{X}body", {EPUB_TYPE: "frontmatter"})
        section = etree.SubElement(
            body, f"{X}section", {"class": "titlepage", EPUB_TYPE: "titlepage"}
        )
        if header is None:  # build_page always writes one; stay valid if that changes
            header = etree.Element(f"{X}header", {"class": "titleblock"})
            etree.SubElement(header, f"{X}h1", {"class": "title"}).text = self.title
        section.append(header)
        return root

    def _cover_page(self, head: etree._Element | None, image_href: str) -> bytes:
        root = self._root(head, self.title)
        body = etree.SubElement(root, f"{X}body", {"class": "cover", EPUB_TYPE: "cover"})
        div = etree.SubElement(body, f"{X}div", {"class": "cover"})
        alt = self.title + (f" — {self.doc.meta.author}" if self.doc.meta.author else "")
        etree.SubElement(div, f"{X}img", {"src": image_href, "alt": alt})
        return _serialise(root)

    def _nav(self, head: etree._Element | None, toc: list[_Heading], first_text: str) -> bytes:
        label = self._contents_label()
        root = self._root(head, label)
        body = etree.SubElement(root, f"{X}body", {EPUB_TYPE: "frontmatter"})
        nav = etree.SubElement(body, f"{X}nav", {EPUB_TYPE: "toc", "id": "toc", "role": "doc-toc"})
        etree.SubElement(nav, f"{X}h2").text = label
        _nav_list(nav, toc)
        marks = etree.SubElement(
            body, f"{X}nav", {EPUB_TYPE: "landmarks", "id": "landmarks", "hidden": "hidden"}
        )
        etree.SubElement(marks, f"{X}h2").text = "Landmarks"
        ol = etree.SubElement(marks, f"{X}ol")
        for kind, href, text in (
            ("cover", "cover.xhtml", "Cover"),
            ("titlepage", "titlepage.xhtml", "Title page"),
            ("toc", "nav.xhtml#toc", label),
            ("bodymatter", first_text, "Start"),
        ):
            a = etree.SubElement(
                etree.SubElement(ol, f"{X}li"), f"{X}a", {EPUB_TYPE: kind, "href": href}
            )
            a.text = text
        return _serialise(root)

    def _contents_label(self) -> str:
        return CONTENTS_LABEL.get(self.lang.split("-")[0].lower(), CONTENTS_LABEL["en"])

    def _resolve_links(self, files: dict[str, etree._Element]) -> None:
        """Point every ``#id`` link at the file that now holds the id; drop dangling ones."""
        where = {
            el.get("id"): href
            for href, root in files.items()
            for el in root.iter()
            if isinstance(el.tag, str) and el.get("id")
        }
        for href, root in files.items():
            for a in root.iter(f"{X}a"):
                link = a.get("href")
                if link is None or not link.startswith("#"):
                    continue
                target = unquote(link[1:])
                if target not in where:
                    for name in ("href", EPUB_TYPE, "role"):
                        a.attrib.pop(name, None)
                elif where[target] != href:
                    a.set("href", f"{where[target]}{link}")

    def _toc(self, files: dict[str, etree._Element], order: list[str]) -> list[_Heading]:
        """Return the TOC tree: the title, then every body heading nested by level."""
        top = [_Heading(1, self.title, "titlepage.xhtml")]
        stack: list[_Heading] = []
        for href in order:
            for el in files[href].iter(*_HEADINGS):
                level = int(el.tag[-1])
                text = _heading_text(el) or el.get("id", "")
                entry = _Heading(level, text, f"{href}#{el.get('id')}")
                while stack and stack[-1].level >= level:
                    stack.pop()
                (stack[-1].children if stack else top).append(entry)
                stack.append(entry)
        return top

    # -- assets -----------------------------------------------------------------------------

    def _stylesheet(self) -> _Asset:
        path = self.config.style("epub.css")
        data = path.read_bytes() if path.is_file() else b"/* styles/epub.css is missing */\n"
        return _Asset(CSS_HREF, "text/css", data)

    def _cover_asset(self) -> _Asset:
        if self.cover_path is None:
            svg = cover_svg(self.title, self.doc.meta.author, self.lang, self.identifier)
            return _Asset("images/cover.svg", "image/svg+xml", svg)
        try:
            data = self.cover_path.read_bytes()
        except OSError as exc:
            raise WriteError(
                f"cannot read the cover image: {exc.strerror}", self.cover_path
            ) from exc
        media_type = _sniff_image(data)
        if media_type is None:
            raise WriteError(
                "the cover is not a PNG, JPEG, GIF, WebP or SVG image", self.cover_path
            )
        return _Asset(f"images/cover{_EXTENSIONS[media_type]}", media_type, data)


# -- HTML content model ---------------------------------------------------------------------

_INLINE = frozenset(
    {
        "em", "strong", "b", "i", "u", "s", "small", "mark", "sub", "sup", "code", "kbd",
        "samp", "var", "q", "cite", "abbr", "dfn", "time", "span", "bdi", "bdo", "data",
    }
)  # fmt: skip
# Elements whose content must be phrasing (inline) content.
_PHRASING_ONLY = _INLINE | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
# Elements allowed inside phrasing content (a, ins and del take their parent's model).
_PHRASING = _INLINE | {"a", "ins", "del", "br", "wbr", "img", "picture"}
_TABLE_PARTS = frozenset({"caption", "colgroup", "thead", "tbody", "tfoot", "tr"})
# Where each table part may stand.
_TABLE_PARENTS = {
    "caption": {"table"}, "colgroup": {"table"}, "thead": {"table"}, "tbody": {"table"},
    "tfoot": {"table"}, "tr": {"table", "thead", "tbody", "tfoot"}, "td": {"tr"}, "th": {"tr"},
    "col": {"colgroup", "table"},
}  # fmt: skip


def repair_content_model(root: etree._Element) -> None:
    """Make the nesting valid HTML, keeping every word.

    Scraped pages nest freely and the readers keep what they find, e.g.
    ``<p><a><h4>Headline</h4></a></p>``, ``<ul><h3>More</h3><li>…</li></ul>``,
    ``<table><td>…</td></table>``; EPUBCheck rejects all of them. Blocks inside inline
    content are unwrapped, strays in lists and tables are wrapped in ``li``/``tr``/``td``.
    """
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        name = _local(el)
        ancestors = [_local(a) for a in el.iterancestors() if isinstance(a.tag, str)]
        if name == "a" and "a" in ancestors:
            unwrap(el)  # links cannot nest
        elif name not in _PHRASING and any(a in _PHRASING_ONLY for a in ancestors):
            el.tail = " " + (el.tail or "")  # the block boundary becomes a space
            el.text = " " + (el.text or "")
            if el.get("id"):  # a link may point here
                el.tag = f"{X}span"
                for attr in [a for a in el.attrib if a != "id"]:
                    del el.attrib[attr]
            else:
                unwrap(el)
        elif name == "main" or (
            name in ("header", "footer") and {"header", "footer"} & set(ancestors)
        ):
            el.tag = f"{X}div"
    for el in list(root.iter(f"{X}ul", f"{X}ol")):
        _wrap_strays(el, {"li"}, "li", join_previous=True)
    for el in list(root.iter(f"{X}dl")):
        _wrap_strays(el, {"dt", "dd"}, "dd")
        terms = "".join("t" if _local(c) == "dt" else "d" for c in el if isinstance(c.tag, str))
        if not re.fullmatch(r"(t+d+)+", terms):
            # Terms without definitions (scraped "dl" used for layout): plain blocks instead.
            for child in [el, *el]:
                if isinstance(child.tag, str):
                    child.tag = f"{X}div"
    for el in list(root.iter(f"{X}li", f"{X}dt", f"{X}dd")):
        parent = _local(el.getparent())
        if parent not in ("ul", "ol", "dl") or (parent == "dl") != (_local(el) != "li"):
            el.tag = f"{X}div"
    for table in list(root.iter(f"{X}table")):
        _repair_table(table)
    for el in list(root.iter(*(f"{X}{t}" for t in _TABLE_PARENTS))):
        if _local(el.getparent()) not in _TABLE_PARENTS[_local(el)]:  # e.g. a tbody in a caption
            if _local(el) in ("td", "th", "caption"):
                el.tag = f"{X}div"
            else:
                unwrap(el)
    for caption in list(root.iter(f"{X}figcaption")):
        figure = caption.getparent()
        siblings = [c for c in figure if isinstance(c.tag, str)]
        first_caption = next(c for c in siblings if _local(c) == "figcaption")
        at_an_end = caption in (siblings[0], siblings[-1])
        if _local(figure) != "figure" or caption is not first_caption or not at_an_end:
            caption.tag = f"{X}div"


def _repair_table(table: etree._Element) -> None:
    captions = [c for c in table if _local(c) == "caption"]
    for extra in captions[1:]:
        extra.tag = f"{X}div"  # one caption per table; the others become rows below
    if captions:
        table.insert(0, captions[0])  # and it comes first
    _wrap_strays(table, _TABLE_PARTS, "tr")
    if any(_local(c) == "tbody" for c in table):
        _wrap_strays(table, _TABLE_PARTS - {"tr"}, "tbody")  # rows beside a tbody join one
    for section in table:
        if isinstance(section.tag, str) and _local(section) in ("thead", "tbody", "tfoot"):
            _wrap_strays(section, {"tr"}, "tr")
    for row in list(table.iter(f"{X}tr")):
        if row.getparent() is table or row.getparent().getparent() is table:
            _wrap_strays(row, {"td", "th"}, "td")


def _wrap_strays(
    parent: etree._Element,
    allowed: set[str] | frozenset[str],
    wrapper: str,
    join_previous: bool = False,
) -> None:
    """Wrap each run of children (and text) that ``parent`` may not hold in a ``wrapper``,
    or with ``join_previous`` append it to the allowed child before it (a list nested
    directly in a list belongs to the item above it)."""
    current: etree._Element | None = None

    def start(index: int, text: str | None = None) -> etree._Element:
        el = etree.Element(f"{X}{wrapper}")
        el.text = text
        parent.insert(index, el)
        return el

    if (parent.text or "").strip():
        current = start(0, parent.text)
        parent.text = None
    for child in list(parent):
        if not isinstance(child.tag, str):
            continue
        if _local(child) in allowed:
            current = child if join_previous else None
            if (child.tail or "").strip():
                if join_previous:
                    _append_text(child, child.tail)
                else:
                    current = start(parent.index(child) + 1, child.tail)
                child.tail = None
            continue
        if current is None:
            current = start(parent.index(child))
        current.append(child)  # the child's tail text moves with it


def _append_text(el: etree._Element, text: str) -> None:
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def _local(el: etree._Element | None) -> str:
    return etree.QName(el).localname if el is not None and isinstance(el.tag, str) else ""


# -- the typographic cover ------------------------------------------------------------------

COVER_WIDTH, COVER_HEIGHT = 1200, 1800
_COVER_FONT = "Georgia, 'Palatino Linotype', 'Book Antiqua', 'DejaVu Serif', serif"


def cover_svg(title: str, author: str | None, language: str, seed: str) -> bytes:
    """Return an SVG cover (2:3) with the title and author set in a serif face."""
    digest = uuid.uuid5(ID_NAMESPACE, seed).int
    background, ink, accent = PALETTES[digest % len(PALETTES)]
    width, height = COVER_WIDTH, COVER_HEIGHT
    root = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    for key, value in (
        ("version", "1.1"),
        ("width", str(width)),
        ("height", str(height)),
        ("viewBox", f"0 0 {width} {height}"),
        ("preserveAspectRatio", "xMidYMid meet"),
    ):
        root.set(key, value)
    root.set(XML_LANG, language)
    etree.SubElement(root, f"{{{SVG_NS}}}title").text = title + (f" — {author}" if author else "")

    def shape(tag: str, **attrib: str) -> etree._Element:
        return etree.SubElement(
            root, f"{{{SVG_NS}}}{tag}", {k.replace("_", "-"): v for k, v in attrib.items()}
        )

    shape("rect", x="0", y="0", width=str(width), height=str(height), fill=background)
    shape(
        "rect",
        x="60",
        y="60",
        width=str(width - 120),
        height=str(height - 120),
        fill="none",
        stroke=accent,
        stroke_width="4",
    )

    def centred_lines(lines: list[str], y: int, size: int, leading: int, **extra: str) -> int:
        """Set ``lines`` centred, the first baseline at ``y``; return the y after the last."""
        for line in lines:
            shape(
                "text",
                x=str(width // 2),
                y=str(y),
                fill=ink,
                font_family=_COVER_FONT,
                font_size=str(size),
                text_anchor="middle",
                **extra,
            ).text = line
            y += leading
        return y

    size, lines = _fit(title, width - 300, sizes=range(128, 55, -8), max_lines=6)
    leading = round(size * 1.18)
    block = leading * (len(lines) - 1)
    y = centred_lines(lines, round(height * 0.40 - block / 2), size, leading)
    rule_y = y - leading + round(size * 0.9)
    shape("rect", x=str(width // 2 - 120), y=str(rule_y), width="240", height="6", fill=accent)
    if author:
        author_size, author_lines = _fit(author, width - 300, sizes=(60, 52, 44), max_lines=2)
        author_y, author_leading = round(height * 0.80), round(author_size * 1.25)
        centred_lines(author_lines, author_y, author_size, author_leading, letter_spacing="2")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _fit(text: str, width: int, sizes: Iterable[int], max_lines: int) -> tuple[int, list[str]]:
    """Pick the largest font size whose wrap fits ``max_lines``, without cutting a word if
    any size allows it; truncate with an ellipsis when none fits."""
    sizes = list(sizes)
    for may_cut in (False, True):
        for size in sizes:
            lines, cut = _wrap(text, width / size)
            if len(lines) <= max_lines and (may_cut or not cut):
                return size, lines
    kept = lines[:max_lines]
    kept[-1] = kept[-1].rstrip() + "…"
    return sizes[-1], kept


def _wrap(text: str, em_width: float) -> tuple[list[str], bool]:
    """Wrap ``text`` into lines of at most ``em_width`` ems; also say whether a word was cut."""
    lines: list[str] = []
    line = ""
    cut = False
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _ems(candidate) <= em_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        # Scripts without spaces (CJK) and very long words are cut anywhere.
        for char in word:
            if _ems(line + char) > em_width and line:
                lines.append(line)
                line = ""
                cut = True
            line += char
    if line:
        lines.append(line)
    return lines or [""], cut


def _ems(text: str) -> float:
    """Estimated width in ems; generous, since an overestimate only makes the type smaller."""
    return sum(_em(c) for c in text)


def _em(char: str) -> float:
    if unicodedata.east_asian_width(char) in "WF":
        return 1.05
    if char in "MWmw@":
        return 0.95
    if char.isspace():
        return 0.3
    if char.isupper():
        return 0.75
    if "\u0590" <= char <= "\u06ff":  # Hebrew and Arabic letters are narrow
        return 0.45
    return 0.58


# -- helpers --------------------------------------------------------------------------------

_EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "image/svg+xml": ".svg",
}  # fmt: skip


def _sniff_image(data: bytes) -> str | None:
    """Return the media type from the file's first bytes; SVG only without active content."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if b"<svg" in data[:4096]:
        return "image/svg+xml" if _safe_svg(data) else None
    return None


def _safe_svg(data: bytes) -> bool:
    """An SVG with scripts, foreign HTML or references to other files would need more than
    embedding (and EPUBCheck flags it), so only self-contained drawings are accepted."""
    try:
        root = etree.fromstring(
            data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )
    except etree.XMLSyntaxError:
        return False
    if root.tag != f"{{{SVG_NS}}}svg":
        return False
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).localname in ("script", "foreignObject", "use", "image", "a"):
            return False
        for name, value in el.attrib.items():
            local = etree.QName(name).localname.lower()
            if local.startswith("on") or (local == "href" and not value.startswith("#")):
                return False
            if "url(" in value and "url(#" not in value.replace(" ", ""):
                return False
    return True


def _valid_attribute(tag: str, name: str, value: str) -> bool:
    """False for attribute values the HTML schema rejects (scraped markup is lax)."""
    if name in ("start", "value"):
        return bool(_INT.match(value))
    if name in ("colspan", "rowspan", "span", "width", "height"):
        return value.isdigit() and (int(value) > 0 or name in ("width", "height"))
    if name == "type" and tag == "ol":
        return value in ("1", "a", "A", "i", "I")
    if name == "dir":
        return value in ("ltr", "rtl", "auto")
    if name == "lang":
        return bool(_BCP47.match(value))
    if name == "role":
        return value in _KEPT_ROLES
    if name == "headers":
        return False  # points at cell ids that scraped tables rarely keep
    if name == "cite":
        return urlsplit(value).scheme in ("http", "https")
    return True


def _clean_href(href: str) -> str | None:
    """Return a link the book can keep (fragment, web or mail address), percent-encoded;
    None for links to pages of the source site, which lead nowhere in a book."""
    href = href.strip()
    if href.startswith("#"):
        return href
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme not in _URL_SCHEMES:
        return None
    if scheme != "mailto" and not _HOST.match(parts.netloc):
        return None  # e.g. "http:// http://example.org/" from a careless author
    path, query, fragment = (quote(x, safe=_URL_SAFE) for x in parts[2:])
    return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))


def _valid_date(value: str) -> bool:
    """True for the ISO 8601 forms HTML's <time> and OPF's dc:date both accept."""
    try:
        if _DATETIME.match(value):
            datetime.fromisoformat(value)
        elif _DATE.match(value):
            datetime.fromisoformat((value + "-01-01")[:10])
        else:
            return False
    except ValueError:  # 2024-13-45
        return False
    return True


def _opf_date(value: str | None) -> str | None:
    """dc:date as W3CDTF; a date-time with an offset keeps only its date."""
    if not value:
        return None
    value = value.strip()
    if not _valid_date(value):
        return None
    return value if _DATE.match(value) else value[:10]


def _heading_text(el: etree._Element) -> str:
    """A heading's text without its footnote reference numbers."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and "footnote-ref" not in (child.get("class") or ""):
            parts.append(_heading_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:48].strip("-")
    return f"h-{slug}" if slug[:1].isdigit() else slug


def _aside(li: etree._Element, number: int) -> etree._Element:
    """Turn a pandoc note ``<li id="fn1">`` into ``<aside epub:type="footnote">``."""
    aside = etree.Element(
        f"{X}aside",
        {
            "id": li.get("id", ""),
            "class": "footnote",
            EPUB_TYPE: "footnote",
            "role": "doc-footnote",
        },
    )
    aside.text = li.text
    aside.extend(list(li))
    label = etree.Element(f"{X}span", {"class": "footnote-label"})
    label.text = f"{number}."
    label.tail = " "
    first = aside[0] if len(aside) and not (aside.text or "").strip() else None
    if first is not None and first.tag == f"{X}p":
        label.tail += first.text or ""
        first.text = None
        first.insert(0, label)
    else:
        label.tail += aside.text or ""
        aside.text = None
        aside.insert(0, label)
    return aside


def _replace_with_alt(img: etree._Element) -> None:
    """Drop an image the book cannot embed, keeping its alt text when it has one."""
    alt = (img.get("alt") or "").strip()
    parent = img.getparent()
    if parent is None:
        return
    if alt:
        span = etree.Element(f"{X}span", {"class": "image-alt"})
        span.text = alt
        span.tail = img.tail
        parent.replace(img, span)
    else:
        _remove_keep_tail(img)


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _add_class(el: etree._Element, name: str) -> None:
    classes = (el.get("class") or "").split()
    if name not in classes:
        el.set("class", " ".join([*classes, name]))


def _copy(el: etree._Element) -> etree._Element:
    return copy.deepcopy(el)


def _nav_list(parent: etree._Element, entries: list[_Heading]) -> None:
    ol = etree.SubElement(parent, f"{X}ol")
    for entry in entries:
        li = etree.SubElement(ol, f"{X}li")
        etree.SubElement(li, f"{X}a", {"href": entry.href}).text = entry.text
        if entry.children:
            _nav_list(li, entry.children)


def _ncx_entries(entries: list[_Heading], counter: Iterator[int] | None = None) -> list:
    """ebooklib's TOC form: a Link per entry, (Link, children) when it has children."""
    from ebooklib import epub

    counter = counter or itertools.count(1)
    out: list = []
    for entry in entries:
        link = epub.Link(entry.href, entry.text, f"navpoint-{next(counter)}")
        out.append((link, _ncx_entries(entry.children, counter)) if entry.children else link)
    return out


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def _normalise_zip(book: EpubBook, when: datetime) -> bytes:
    """Write ``book`` with ebooklib, then repack it with fixed entry dates and attributes.

    ebooklib stamps every zip entry with the current time; the repack gives each entry the
    edition's timestamp, keeps ``mimetype`` first and stored, and so makes builds
    reproducible.
    """
    from ebooklib import epub

    raw = io.BytesIO()
    epub.write_epub(
        raw,
        book,
        {"mtime": when, "raise_exceptions": True, "play_order": {"enabled": True, "start_from": 1}},
    )
    date_time = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        names.sort(key=lambda n: n != "mimetype")  # stable: only moves mimetype to the front
        for name in names:
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name), compresslevel=None if stored else 9)
    return out.getvalue()
