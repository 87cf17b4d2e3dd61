"""Read the structure back out of written editions: EPUB XHTML, DOCX paragraphs, PDF outline.

Every writer test and end-to-end test compares these structures, never bytes.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def norm(text: str) -> str:
    """Collapse white space (PDF text extraction and XML pretty-printing add their own)."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Structure:
    """What a reader of the edition sees: title, headings with levels, list items, paragraphs."""

    title: str | None = None
    headings: list[tuple[int, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    ordered: list[bool] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    # Every list, an outer list before the lists nested in it: (ordered, start, item texts),
    # the form of the expected-structure JSON files.
    lists: list[tuple[bool, int, list[str]]] = field(default_factory=list)
    text: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def _own_text(el: etree._Element) -> str:
    """An element's text without nested lists (for list items)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in (f"{XHTML}ul", f"{XHTML}ol"):
            parts.append(child.tail or "")
            continue
        parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return norm("".join(parts))


EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _is_noteref(el: etree._Element) -> bool:
    return "footnote-ref" in (el.get("class") or "") or "noteref" in (el.get(EPUB_TYPE) or "")


def _in_notes(el: etree._Element) -> bool:
    """True inside a footnote (aside) or the endnotes section."""
    for a in el.iterancestors():
        if a.tag == f"{XHTML}aside" or "footnotes" in (a.get("class") or "").split():
            return True
        if any(t in (a.get(EPUB_TYPE) or "") for t in ("footnote", "endnotes", "rearnote")):
            return True
    return False


def _text(el: etree._Element) -> str:
    """Text as a reader sees it in the body, without footnote reference marks."""
    parts = [el.text or ""]
    for child in el:
        if not (isinstance(child.tag, str) and _is_noteref(child)):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return norm("".join(parts))


def epub_structure(path: Path) -> Structure:
    """Walk the spine's XHTML documents in order (skipping cover, title page and nav)."""
    out = Structure()
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(z.read(opf_path))
        base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
        manifest = {i.get("id"): i for i in opf.iter("{*}item")}
        for key in ("title", "creator", "language", "date", "identifier"):
            el = opf.find(f".//{{http://purl.org/dc/elements/1.1/}}{key}")
            if el is not None and el.text:
                out.meta[key] = el.text.strip()
        texts = []
        for ref in opf.iter("{*}itemref"):
            item = manifest[ref.get("idref")]
            props = item.get("properties") or ""
            if "nav" in props or "svg" in props:
                continue
            doc = etree.fromstring(z.read(base + item.get("href")))
            body = doc.find(f"{XHTML}body")
            for el in body.iter():
                tag = el.tag.replace(XHTML, "") if isinstance(el.tag, str) else ""
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "p") and _in_notes(el):
                    continue  # footnotes are checked on their own, not as body structure
                if tag == "h1":
                    out.title = out.title or _text(el)
                elif tag in ("h2", "h3", "h4", "h5", "h6"):
                    out.headings.append((int(tag[1]), _text(el)))
                elif tag == "li":
                    out.items.append(_own_text(el))
                elif tag in ("ul", "ol"):
                    out.ordered.append(tag == "ol")
                    start = el.get("start", "1") if tag == "ol" else "1"
                    items = [_own_text(li) for li in el if li.tag == f"{XHTML}li"]
                    out.lists.append((tag == "ol", int(start), items))
                elif tag == "p" and not any(a.tag in (f"{XHTML}li", f"{XHTML}header") or
                                            "titlepage" in (a.get("class") or "")
                                            for a in el.iterancestors()):
                    out.paragraphs.append(_text(el))
            texts.append(norm("".join(body.itertext())))
        out.text = " ".join(texts)
    return out


def docx_structure(path: Path) -> Structure:
    """Read paragraph styles: Title, Heading N, numbered/bulleted list paragraphs, body text."""
    from docx import Document as Docx

    out = Structure()
    doc = Docx(str(path))
    numbering = _docx_num_formats(path)
    starts = _docx_num_starts(path)
    lists: dict[str, tuple[bool, int, list[str]]] = {}  # numId -> list, in order of appearance
    last_num: str | None = None
    texts = []
    for p in doc.paragraphs:
        text = norm(p.text)
        texts.append(text)
        style = p.style.name if p.style is not None else ""
        num_pr = p._p.find(f"{W}pPr/{W}numPr")
        if style == "Title":
            out.title = text
        elif style.startswith("Heading ") and style[8:].isdigit():
            out.headings.append((int(style[8:]), text))
        elif num_pr is not None:
            num_id = num_pr.find(f"{W}numId").get(f"{W}val")
            ilvl = num_pr.find(f"{W}ilvl")
            level = ilvl.get(f"{W}val") if ilvl is not None else "0"
            out.items.append(text)
            if num_id not in lists:
                ordered = numbering.get((num_id, level), "bullet") != "bullet"
                lists[num_id] = (ordered, starts.get((num_id, level), 1) if ordered else 1, [])
            lists[num_id][2].append(text)
            if num_id != last_num and level == "0":
                out.ordered.append(numbering.get((num_id, level), "bullet") != "bullet")
            last_num = num_id
            continue
        elif text and style not in ("Author", "Date", "Subtitle"):
            out.paragraphs.append(text)
        last_num = None
    out.text = " ".join(texts)
    out.lists = list(lists.values())
    core = doc.core_properties
    out.meta = {"title": core.title or "", "creator": core.author or "", "language": core.language or ""}
    return out


def _docx_num_formats(path: Path) -> dict[tuple[str, str], str]:
    """Map (numId, ilvl) to the numFmt ("bullet", "decimal", ...) through numbering.xml."""
    with zipfile.ZipFile(path) as z:
        if "word/numbering.xml" not in z.namelist():
            return {}
        root = etree.fromstring(z.read("word/numbering.xml"))
    abstract: dict[str, dict[str, str]] = {}
    for a in root.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in a.iter(f"{W}lvl"):
            fmt = lvl.find(f"{W}numFmt")
            levels[lvl.get(f"{W}ilvl")] = fmt.get(f"{W}val") if fmt is not None else "decimal"
        abstract[a.get(f"{W}abstractNumId")] = levels
    result = {}
    for num in root.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId").get(f"{W}val")
        for level, fmt in abstract.get(ref, {}).items():
            result[(num.get(f"{W}numId"), level)] = fmt
    return result


def _docx_num_starts(path: Path) -> dict[tuple[str, str], int]:
    """Map (numId, ilvl) to the number the list starts at (startOverride, else w:start)."""
    with zipfile.ZipFile(path) as z:
        if "word/numbering.xml" not in z.namelist():
            return {}
        root = etree.fromstring(z.read("word/numbering.xml"))
    abstract: dict[str, dict[str, int]] = {}
    for a in root.iter(f"{W}abstractNum"):
        abstract[a.get(f"{W}abstractNumId")] = {
            lvl.get(f"{W}ilvl"): int(lvl.find(f"{W}start").get(f"{W}val"))
            for lvl in a.iter(f"{W}lvl")
            if lvl.find(f"{W}start") is not None
        }
    result = {}
    for num in root.iter(f"{W}num"):
        levels = dict(abstract.get(num.find(f"{W}abstractNumId").get(f"{W}val"), {}))
        for override in num.iter(f"{W}lvlOverride"):
            start = override.find(f"{W}startOverride")
            if start is not None:
                levels[override.get(f"{W}ilvl")] = int(start.get(f"{W}val"))
        for level, start in levels.items():
            result[(num.get(f"{W}numId"), level)] = start
    return result


def pdf_structure(path: Path) -> Structure:
    """Outline entries become headings (level 1 is the title); text from every page."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    out = Structure()

    def walk(entries, level):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                title = norm(entry.title)
                if level == 1 and out.title is None:
                    out.title = title
                else:
                    out.headings.append((level, title))

    walk(reader.outline, 1)
    out.text = norm(" ".join(page.extract_text() or "" for page in reader.pages))
    info = reader.metadata or {}
    out.meta = {"title": str(info.get("/Title", "")), "creator": str(info.get("/Author", ""))}
    lang = reader.trailer["/Root"].get("/Lang")
    if lang:
        out.meta["language"] = str(lang)
    return out
