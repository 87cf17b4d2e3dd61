"""Clean Markdown (GitHub-flavoured, YAML front matter for the metadata) through pandoc.

    Document(title="T", body=<h2>Section</h2><ul><li>a</li></ul>)
    ->
    ---
    title: T
    ---

    ## Section

    - a
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .. import pandoc_worker
from ..document import Document
from ..errors import WriteError
from ..readers.sanitise import unwrap
from . import started
from .base import Writer, within_depth
from .html import RenderOptions, build_page, to_xhtml


def front_matter(doc: Document) -> str:
    """Return the metadata as a YAML front-matter block (empty when there is none)."""
    fields = {
        "title": doc.meta.title,
        "subtitle": doc.meta.subtitle,
        "author": doc.meta.author,
        "date": doc.meta.date,
        "lang": doc.meta.language,
    }
    present = {k: v for k, v in fields.items() if v}
    if not present:
        return ""
    import yaml  # only the Markdown edition needs it (~20 ms to import)

    dumped = yaml.safe_dump(present, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n"


def render_markdown(doc: Document, early: started.Started | None = None) -> str:
    """Render the body as GitHub-flavoured Markdown with front matter (collecting the
    pandoc request ``MarkdownWriter.begin`` sent, when given)."""
    if early is not None:
        body = to_gfm(early.page.decode("utf-8"), early.pending)
    else:
        body = to_gfm(markdown_page(doc))
    return front_matter(doc) + escape_after_breaks(body.strip()) + "\n"


# A line that opens a block in CommonMark: a bullet, a number, a heading, a quotation.
_BLOCK_START = re.compile(r"^(?P<indent> {0,3})(?:(?P<mark>[-+*]|#{1,6}|>)(?=[ \t]|$)|(?P<num>\d{1,9})(?P<end>[.)])(?=[ \t]|$))")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def escape_after_breaks(markdown: str) -> str:
    """Escape a block marker that opens a line after a hard line break ("\\" at the end of the
    line above): pandoc writes a verse line "- And on the night…" as it is, and a CommonMark
    reader then starts a list there, which can interrupt a paragraph. Fenced code is left
    alone (a shell line may end in "\\")."""
    lines = markdown.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        if i == 0 or not lines[i - 1].endswith("\\") or lines[i - 1].endswith("\\\\"):
            continue
        m = _BLOCK_START.match(line)
        if m is None:
            continue
        if m.group("mark"):
            at = m.start("mark")
            lines[i] = line[:at] + "\\" + line[at:]
        else:
            at = m.start("end")
            lines[i] = line[:at] + "\\" + line[at:]
    return "\n".join(lines)


def markdown_page(doc: Document) -> str:
    """Return the XHTML pandoc turns into the Markdown body."""
    page = build_page(doc, RenderOptions(titleblock=False))
    _unwrap_undirected(page, "div")
    _plain_images(page)
    _plain_links(page)
    _plain_figures(page)
    _refused_figures(page)
    _emphasised_alt_text(page)
    _flat_figures(page)
    _unwrap_undirected(page, "span")  # after the alt-text spans became emphasis
    _plain_blocks(page)
    _definition_paragraphs(page)
    return to_xhtml(page).decode("utf-8")


_DEFINITION_BLOCKS = frozenset({"p", "div", "ul", "ol", "table", "blockquote", "pre", "figure", "dl",
                                "h1", "h2", "h3", "h4", "h5", "h6"})


def _definition_paragraphs(page: etree._Element) -> None:
    """A definition list as a term in bold over its definition's paragraphs: GFM has no
    definition lists, and pandoc ran each term into its definition as one paragraph ("Are
    helmets included?  " / "Yes. Every loan…"), an FAQ's question into its answer."""
    body = page.find("body")
    if body is None:
        return
    for dl in [el for el in body.iter("dl")][::-1]:  # (innermost first)
        blocks: list[etree._Element] = []
        for child in dl:
            if child.tag == "dt":
                p = etree.Element("p")
                strong = etree.SubElement(p, "strong")
                strong.text = child.text
                for grand in list(child):
                    strong.append(grand)
                blocks.append(p)
            elif child.tag == "dd":
                if any(isinstance(c.tag, str) and c.tag in _DEFINITION_BLOCKS for c in child):
                    blocks.extend(_blocks_of(child))
                else:
                    child.tag = "p"
                    child.attrib.clear()
                    blocks.append(child)
        parent = dl.getparent()
        at = parent.index(dl)
        for block in blocks:
            block.tail = None
        parent[at:at + 1] = blocks
        if blocks:
            blocks[-1].tail = dl.tail


def _blocks_of(dd: etree._Element) -> list[etree._Element]:
    """A definition's content as blocks: loose text and inline elements in paragraphs."""
    out: list[etree._Element] = []
    loose: etree._Element | None = None

    def paragraph() -> etree._Element:
        nonlocal loose
        if loose is None:
            loose = etree.Element("p")
            out.append(loose)
        return loose

    if (dd.text or "").strip():
        paragraph().text = dd.text
    for child in list(dd):
        tail = child.tail
        child.tail = None
        if isinstance(child.tag, str) and child.tag in _DEFINITION_BLOCKS:
            out.append(child)
            loose = None
        else:
            paragraph().append(child)
        if (tail or "").strip():
            p = paragraph()
            if len(p):
                p[-1].tail = (p[-1].tail or "") + tail
            else:
                p.text = (p.text or "") + tail
    return out


def gfm_request(xhtml: str) -> pandoc_worker.PandocRequest:
    """Return the worker request for ``pandoc -f html -t gfm --wrap=none``."""
    return pandoc_worker.PandocRequest(text=xhtml, to="gfm", wrap="none")


def to_gfm(xhtml: str, pending: pandoc_worker.Pending | None = None) -> str:
    """Convert XHTML to GitHub-flavoured Markdown with pandoc (--wrap=none, sandboxed).

    Through this process's long-lived pandoc worker (no process start per document; the
    request already sent when ``pending`` is given), or with one pandoc run when the worker
    cannot be used; both give the same text.
    """
    from .docx import pandoc_binary

    worker = pandoc_worker.shared_worker(pandoc_binary()) if pending is None else pending.worker
    if worker is not None and (worker.usable or pending is not None):
        try:
            if pending is None:
                pending = worker.submit(gfm_request(xhtml))
            out, _ = pending.result()
            return out.decode("utf-8")
        except pandoc_worker.PandocUnavailable:
            pass
        except pandoc_worker.PandocFailed as exc:
            raise WriteError(f"pandoc failed: {exc}") from exc
        except pandoc_worker.PandocTimeout as exc:
            raise WriteError("pandoc took too long") from exc
    import pypandoc

    return pypandoc.convert_text(
        xhtml, to="gfm", format="html", extra_args=["--wrap=none", "--sandbox"]
    )


def _unwrap_undirected(page: etree._Element, tag: str) -> None:
    """GFM has no ``<div>`` or ``<span>``: pandoc keeps one with an id or a class as raw HTML
    (a WordPress ``<div id="attachment_995">`` around an image and its caption; Medium's
    ``<span id>`` on every paragraph), so its content stays and the wrapper goes. One that
    sets the direction stays: raw ``dir="rtl"`` is the only way GFM shows a right-to-left
    block the right way round."""
    body = page.find("body")
    if body is None:
        return
    for element in list(body.iter(tag)):
        if element.get("dir") is None and element.getparent() is not None:
            unwrap(element)


# What a Markdown image can say: its address, alt text and title.
_IMAGE_ATTRS = frozenset({"src", "alt", "title"})


def _plain_images(page: etree._Element) -> None:
    """Images as Markdown images: a ``width``/``height`` (old pages size every picture) made
    pandoc keep ``<img src width height>`` as raw HTML."""
    body = page.find("body")
    if body is None:
        return
    for img in body.iter("img"):
        for name in list(img.attrib):
            if name not in _IMAGE_ATTRS:
                del img.attrib[name]


# What a Markdown link can say: its address and title. The footnotes' links keep their role
# (pandoc turns them into Markdown footnotes by it) and an anchor keeps its id.
_LINK_ATTRS = frozenset({"href", "title", "id"})
_NOTE_ROLES = frozenset({"doc-noteref", "doc-backlink"})


def _plain_links(page: etree._Element) -> None:
    """Links as Markdown links: any attribute beyond the address and title made pandoc keep
    the link as raw HTML (``class="url"``, the print editions' cue to break a long address
    anywhere; a page's own ``role=""`` on CNBC's quote links or ``role="button"``); a link
    without an address (the sanitiser drops ``about:``/``javascript:`` ones) became a raw
    ``<span class="url">``; such a link is its text."""
    body = page.find("body")
    if body is None:
        return
    for a in list(body.iter("a")):
        for name in list(a.attrib):
            if name not in _LINK_ATTRS and not (name == "role" and a.get(name) in _NOTE_ROLES):
                del a.attrib[name]
        if not a.get("href") and not a.get("id") and a.getparent() is not None:
            unwrap(a)


def _plain_figures(page: etree._Element) -> None:
    """A figure captioned by its image's alt text goes back to Markdown's ``![alt](src)``.

    GFM has no figures, so pandoc would otherwise keep the figure as raw HTML.
    """
    for figure in list(page.iter("figure")):
        children = list(figure)
        if [c.tag for c in children] != ["img", "figcaption"]:
            continue
        img, caption = children
        if "".join(caption.itertext()).strip() == (img.get("alt") or "").strip():
            figure.tag = "p"
            figure.remove(caption)


def _is_alt_text(element: etree._Element) -> bool:
    """A left-out picture's alt text (``<span class="image-alt">``), or the caption that
    stands for it (``<figcaption class="image-alt">``, converter.resources)."""
    return element.tag in ("span", "figcaption") and "image-alt" in (element.get("class") or "").split()


def _emphasise(block: etree._Element) -> None:
    """Wrap the content of ``block`` in one ``<em>``."""
    em = block.makeelement("em", {})
    em.text, block.text = block.text, None
    for child in list(block):
        em.append(child)
    block.append(em)


def _refused_figures(page: etree._Element) -> None:
    """A figure whose image was refused becomes paragraphs: the alt text, then the caption.

    ``<figure><span class="image-alt">A</span><figcaption>A</figcaption></figure>`` is one
    paragraph ``*A*`` (a Markdown image's caption is its alt text); a caption that says more
    follows in its own paragraph; a figure left with its caption only is that paragraph,
    emphasised when it stands for the picture (``<figcaption class="image-alt">``: the alt
    text repeated it, converter.resources).
    Otherwise pandoc would keep the figure as raw HTML.
    """
    for figure in list(page.iter("figure")):
        children = list(figure)
        if not children or children[-1].tag != "figcaption" or (figure.text or "").strip():
            continue
        *alts, caption = children
        if not all(_is_alt_text(alt) and not (alt.tail or "").strip() for alt in alts):
            continue
        alt_text = " ".join(" ".join("".join(alt.itertext()).split()) for alt in alts)
        caption_text = " ".join("".join(caption.itertext()).split())
        stands_for_picture = _is_alt_text(caption)
        caption.tag = "p"
        caption.attrib.clear()
        if not alts:
            if stands_for_picture:  # the alt text it repeated was not shown: it is the picture's
                _emphasise(caption)
            caption.tail = figure.tail
            figure.addprevious(caption)
            figure.getparent().remove(figure)
            continue
        figure.tag = "p"
        figure.attrib.clear()
        figure.remove(caption)
        if caption_text and caption_text != alt_text:
            caption.tail = figure.tail
            figure.tail = None
            figure.addnext(caption)


def _flat_figures(page: etree._Element) -> None:
    """Any figure the two rules above left (an image inside a link, several images, a
    figure of figures) becomes its content followed by its caption as a paragraph: GFM has no
    figures, and pandoc would keep the whole figure, Markdown inside it included, as raw
    HTML."""
    body = page.find("body")
    if body is None:
        return
    for figure in reversed(list(body.iter("figure"))):  # inner figures first
        for caption in figure.findall("figcaption"):
            caption.tag = "p"
            caption.attrib.clear()
        if figure.getparent() is not None:
            unwrap(figure)


# Elements GFM cannot write: pandoc keeps them as raw HTML, so their content stands alone.
_UNWRAPPED = ("section", "u", "small", "mark", "ins", "abbr", "dfn")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def _in_footnotes(element: etree._Element) -> bool:
    return any(a.tag == "section" and ("footnotes" in (a.get("class") or "").split()
                                       or a.get("role") == "doc-endnotes")
               for a in element.iterancestors())


def _plain_blocks(page: etree._Element) -> None:
    """What else would come out as raw HTML: an ``id`` on a list item or paragraph (pandoc
    wraps the item in ``<span id>``), a ``<section>`` (a ``<div class="section">``),
    underline, small print, abbreviations and definitions. Headings keep their ids (GFM makes its own anchors) and the
    footnotes keep theirs (pandoc turns them into Markdown footnotes by them)."""
    body = page.find("body")
    if body is None:
        return
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        notes = element.tag == "section" and (
            "footnotes" in (element.get("class") or "").split()
            or element.get("role") == "doc-endnotes")
        if notes or _in_footnotes(element):
            continue
        if element.tag in _UNWRAPPED:
            unwrap(element)
        elif element.get("id") is not None and element.tag not in _HEADINGS and not (
                element.tag == "a" and element.get("role") in ("doc-noteref", "doc-backlink")):
            del element.attrib["id"]


def _emphasised_alt_text(page: etree._Element) -> None:
    """The alt text standing in for a refused image becomes emphasis: ``*alt*``.

    converter.resources leaves ``<span class="image-alt">`` where an image could not be
    loaded; GFM has no spans with classes, so pandoc would keep it as raw HTML. In italics,
    as the EPUB shows it; inside text that is emphasised already it is plain text.
    """
    for span in list(page.iter("span")):
        if not _is_alt_text(span):
            continue
        if any(ancestor.tag in ("em", "i") for ancestor in span.iterancestors()):
            unwrap(span)
        else:
            span.tag = "em"
            span.attrib.clear()


class MarkdownWriter(Writer):
    """Markdown edition."""

    name = "md"
    extension = ".md"
    media_type = "text/markdown"

    def begin(self, doc: Document) -> None:
        """Send the page to this process's pandoc worker now; ``write`` collects it."""
        doc = within_depth(doc)  # as write() will hand it to write_file
        xhtml = markdown_page(doc)
        started.begin(self.name, doc, self.config, xhtml.encode("utf-8"), gfm_request(xhtml))

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the Markdown file."""
        early = started.take(self.name, doc, self.config)
        path.write_text(render_markdown(doc, early), encoding="utf-8")
