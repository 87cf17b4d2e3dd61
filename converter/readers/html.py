"""HTML reader: a page or fragment -> Document with a flat list of block elements.

    <html lang="en"><head><title>Story | Site</title></head>
    <body><nav>...</nav><article><div><h1>Story</h1><div>Text <b>x</b></div></div></article></body>
    ->
    meta(title="Story", language="en"); body: <h1>Story</h1><p>Text <b>x</b></p>

A full web page goes through ``extract.locate_article`` first (the article without the
navigation, sidebars, comments and banners around it, with its own headings and lists);
a fragment or small page is read whole. The page's metadata (``pagemeta``) gives the title
without its site name, author, date and language. Markup is sanitised before anything else
sees it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..document import Change, Document, new_body
from ..errors import InputError
from .apps import app_exports, drop_permalinks, header_rows
from .extract import (
    Dropped,
    Locator,
    dropped_outside,
    has_prose,
    is_hidden,
    locate_article,
    prose_text,
    where_in_page,
)
from .footnotes import canonical_footnotes
from .lazy_images import fix_lazy_images
from .markup import parse_document
from .mediawiki import mediawiki
from .pagemeta import page_metadata
from .forums import forum_posts
from .qa import answer_headings
from .recipes import recipe_cards
from .sanitise import drop_control_labels, remove_keep_tail, sanitise, styled_emphasis
from .word import word_lists, word_titles

BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table",
     "figure", "hr", "address"}
)  # fmt: skip
CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "header", "footer", "body", "picture"})

def parse_html(text: str, path: str | Path | None = None) -> etree._Element:
    """Parse HTML text into an lxml.html document root (never raises on bad markup)."""
    try:
        # libxml2, or a depth-capped builder where libxml2 would drop what nests too deep.
        root = parse_document(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}", path) from None
    return root


def _text_len(el: etree._Element) -> int:
    return len(" ".join(el.itertext()).split())


def article_container(root: etree._Element) -> etree._Element:
    """Pick the element that holds the article: the largest <article>, <main>, or <body>."""
    for xpath in ("//article", "//main", "//*[@role='main']"):
        candidates = root.xpath(xpath)
        if candidates:
            best = max(candidates, key=_text_len)
            if _text_len(best) >= 25 or xpath == "//article":
                return best
    body = root.find("body")
    return body if body is not None else root


def keep_link_targets(container: etree._Element) -> int:
    """A wrapper that an in-page link points to (a live blog's ``<div id="block-5">``, linked
    from its key events) is unwrapped by ``flatten_blocks``, its id with it: the id goes on an
    empty anchor before the wrapper's first words, which stay in a block. Returns how many."""
    targets = {href[1:] for a in container.iter("a") if (href := (a.get("href") or "").strip()).startswith("#")}
    moved = 0
    for el in list(container.iter(*CONTAINER_TAGS)):
        target = el.get("id")
        if not target or target not in targets or el is container:
            continue
        holder = next((d for d in el.iter() if isinstance(d.tag, str) and (d.text or "").strip()), None)
        if holder is None:
            continue
        anchor = lxml_html.Element("a", {"id": target})
        anchor.tail, holder.text = holder.text, None
        holder.insert(0, anchor)
        del el.attrib["id"]
        moved += 1
    return moved


def flatten_blocks(container: etree._Element) -> list[etree._Element]:
    """Turn nested containers (div, section, ...) into a flat list of block elements."""
    blocks: list[etree._Element] = []
    pending: list[etree._Element] = []  # the open paragraph, if loose inline content started one

    def loose_paragraph() -> etree._Element:
        if not pending:
            pending.append(lxml_html.Element("p"))
        return pending[0]

    def close() -> None:
        if pending:
            p = pending.pop()
            if p.text_content().strip() or p.find(".//img") is not None:
                blocks.append(p)

    def add_text(text: str | None) -> None:
        if text and not text.strip():
            # The space between two inline elements ("<b>Jon</b> <img>"); at a paragraph's
            # start there is nothing to keep apart.
            if not pending or not len(pending[0]):
                return
            text = " "
        if text:
            p = loose_paragraph()
            if len(p):
                p[-1].tail = (p[-1].tail or "") + text
            else:
                p.text = (p.text or "") + text

    # An explicit stack instead of recursion: pages nest thousands of divs deep. Children are
    # snapshotted because moving one into a paragraph detaches it from its parent.
    stack: list[tuple[etree._Element, list[etree._Element], int]] = [
        (container, list(container), -1)
    ]
    while stack:
        node, children, index = stack.pop()
        if index == -1:
            add_text(node.text)
        next_index = index + 1
        if next_index >= len(children):
            if node is not container:
                close()
                add_text(node.tail)
            continue
        stack.append((node, children, next_index))
        child = children[next_index]
        tag = child.tag if isinstance(child.tag, str) else ""
        if (tag in CONTAINER_TAGS and not _is_footnotes(child)) or _is_layout(child):
            close()
            stack.append((child, list(child), -1))
            continue
        tail, child.tail = child.tail, None
        if tag in BLOCK_TAGS or _is_footnotes(child):
            close()
            blocks.append(child)
        elif tag in ("li", "dt", "dd", "tr", "td", "th", "figcaption", "caption"):
            # Stray list or table parts outside their parent: keep their text as a paragraph.
            close()
            p = lxml_html.Element("p")
            p.text = child.text_content().strip()
            if p.text:
                blocks.append(p)
        elif tag:
            loose_paragraph().append(child)
        add_text(tail)
    close()
    return blocks


TABLE_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th"})
# What a data table's cell never holds, and a page laid out with a table does.
LAYOUT_CELL_CONTENT = ("p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
                       "blockquote", "pre", "form", "hr", "center")


def _is_layout(el: etree._Element) -> bool:
    """A table used for page layout (or a row or cell of one): read through it.

    Old pages put the whole article in a table cell; a data table has captions or header
    cells and only short inline content in its cells.
    """
    if el.tag not in TABLE_PARTS:
        return False
    table = el if el.tag == "table" else next(el.iterancestors("table"), None)
    if table is None:
        return True  # a stray row or cell (a locator kept only the part holding the article)
    if table.find(".//caption") is not None or table.find(".//thead") is not None:
        return False
    if table.get("role") in ("presentation", "none"):
        return True
    for cell in table.iter("td", "th"):
        if any(True for _ in cell.iterchildren(*LAYOUT_CELL_CONTENT)):
            return True
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    columns = max((len([c for c in tr if c.tag in ("td", "th")]) for tr in rows), default=0)
    return columns <= 1 and table.find(".//th") is None


def _is_footnotes(el: etree._Element) -> bool:
    return el.tag == "section" and "footnotes" in (el.get("class") or "").split()


# Removed by the sanitiser with their content (sidebars, menus): recorded when they hold prose.
SIDEBAR_TAGS = ("aside", "nav")


def dropped_sidebars(container: etree._Element) -> list[Dropped]:
    """The ``<aside>``s and ``<nav>``s inside ``container`` that hold prose (a sentence of at
    least PROSE_WORDS words outside links): the sanitiser removes them with their content,
    so a fact box or sidebar paragraph must show in the change records."""
    found = []
    for el in container.iter(*SIDEBAR_TAGS):
        if any(a.tag in SIDEBAR_TAGS for a in el.iterancestors()):
            continue  # reported with the outer one
        text = prose_text(el)
        if has_prose(text):
            found.append(Dropped(f"extract.{el.tag}", where_in_page(el), text))
    return found


Pairs = list[tuple[etree._Element, etree._Element]]


def _drop_hidden(container: etree._Element, pairs: Pairs) -> list[Dropped]:
    """Remove from the copy what a browser does not show (``hidden``, ``display: none``,
    ``visibility: hidden``, a screen-reader-only class): a hidden modal, an SEO keyword
    list. ``pairs``: each element of ``container`` with its counterpart in the deep copy
    being cleaned. Returns the removed blocks that hold prose, so a collapsed passage shows
    in the change records. (A located article has lost them already, as furniture.)"""
    found: list[Dropped] = []
    hidden = [(el, copied) for el, copied in pairs
              if isinstance(el.tag, str) and el is not container and is_hidden(el)
              and not any(is_hidden(a) for a in el.iterancestors() if a is not container)]
    total = _text_len(container)
    if total and sum(_text_len(el) for el, _ in hidden) * 2 >= total:
        return []  # most of the page is hidden until a script shows it: keep it all
    for el, copied in hidden:
        text = prose_text(el)
        if has_prose(text):
            found.append(Dropped("extract.hidden", where_in_page(el), text))
        remove_keep_tail(copied)  # the text after the hidden element stays
    return found


# What plays in a page but not on paper or in an e-book reader: the sanitiser removes it.
PLAYERS = ("iframe", "video", "audio", "embed", "object")


def _drop_player_figures(pairs: Pairs) -> list[Dropped]:
    """Remove from the copy (``pairs`` as for ``_drop_hidden``) each ``<figure>`` that holds
    a player (a video's iframe, a ``<video>``) and no picture: its caption would describe
    what no edition shows (BBC's video captions, "Mr Obama told the BBC that..."). Returns
    them for the change records, caption text and all."""
    found: list[Dropped] = []
    for el, copied in pairs:
        if el.tag != "figure" or next(el.iter(*PLAYERS), None) is None:
            continue
        if next(el.iter("img", "picture"), None) is not None or copied.getparent() is None:
            continue
        if any(a.tag == "figure" for a in el.iterancestors()):
            continue  # judged with the outer figure
        text = " ".join(" ".join(copied.itertext()).split())
        if text:
            found.append(Dropped("extract.player", where_in_page(el), text))
        remove_keep_tail(copied)
    return found


# What a figure may show that an edition shows too: pictures, drawings, tables, text blocks.
SHOWN_IN_FIGURES = ("img", "picture", "svg", "canvas", "math", "table", "pre", "blockquote", "p",
                    "ul", "ol", "dl", "iframe", "video", "audio", "embed", "object")
# A legend's labels: each a word or two, a few of them.
LEGEND_LABEL_WORDS = 2
LEGEND_MIN_LABELS = 3
LEGEND_MAX_WORDS = 12


def _drop_legend_figures(pairs: Pairs) -> list[Dropped]:
    """Remove from the copy (``pairs`` as for ``_drop_hidden``) each ``<figure>`` that is only
    the labels of a graphic drawn with styled boxes: nothing an edition shows (no picture,
    table or text block), three labels or more of a word or two each, and at most a short
    caption (Engadget's rating key: "Poor", "Uninspiring", "Good", "Excellent", captioned
    "Key", whose bars are empty coloured divs), or, its labels gone, the short caption alone
    (three words at most: "Key", "Figure 1"). Returns them for the change records."""
    found: list[Dropped] = []
    for el, copied in pairs:
        if el.tag != "figure" or copied.getparent() is None or next(el.iter(*SHOWN_IN_FIGURES), None) is not None:
            continue
        labels = [" ".join(inner.text.split()) for inner in el.iter()
                  if isinstance(inner.tag, str) and inner.text and inner.text.strip()
                  and not any(a.tag == "figcaption" for a in (inner, *inner.iterancestors()))]
        captions = [" ".join(" ".join(c.itertext()).split()) for c in el.iter("figcaption")]
        if labels and (len(labels) < LEGEND_MIN_LABELS
                       or any(len(label.split()) > LEGEND_LABEL_WORDS for label in labels)):
            continue
        if not labels and not (captions and sum(len(c.split()) for c in captions) <= LEGEND_LABEL_WORDS + 1):
            continue  # nothing at all (left to the sanitiser), or a caption that says something
        if sum(len(t.split()) for t in labels + captions) > LEGEND_MAX_WORDS:
            continue
        found.append(Dropped("extract.legend", where_in_page(el), " ".join(labels + captions)))
        remove_keep_tail(copied)
    return found


def page_address(root: etree._Element) -> str | None:
    """The web address the page says it has: ``<base href>``, else its canonical link, else
    ``og:url``; http(s) only."""
    candidates = [
        *root.xpath("//head/base/@href"),
        *root.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"),
        *root.xpath("//meta[@property='og:url']/@content"),
    ]
    for value in candidates:
        value = str(value).strip()
        if urlsplit(value).scheme.lower() in ("http", "https") and urlsplit(value).netloc:
            return value
    return None


def _resolve_site_paths(root: etree._Element, source: Path | None = None) -> list[Change]:
    """Image and link addresses that start at the site's root ("/photo/2018/08/25/x.jpg") are web
    addresses, never files beside a saved page, and so is a relative one ("images/x.jpg")
    with no such file beside the page (a page downloaded without its pictures; one that climbs
    out of the folder, "../x.jpg", stays a path, refused as outside it): with the
    page's own address known they become full addresses (loaded only with --allow-remote,
    like any web image); without it they stay as they are and are left out."""
    address = page_address(root)
    if address is None:
        return []
    folder = source.absolute().parent if source is not None else None
    # (A protocol-relative picture, "//upload.wikimedia.org/…", is the resource policy's to
    # name; a protocol-relative link takes the page's scheme.)
    resolved = {"img": 0, "a": 0}
    for tag, attr, left in (("img", "src", ("//", "\\")), ("a", "href", ("#", "\\"))):
        for el in root.iter(tag):
            value = (el.get(attr) or "").strip()
            parts = urlsplit(value)
            if not value or parts.scheme or value.startswith(left):
                continue
            if not value.startswith("/") and (_climbs(parts.path) or (folder is not None and _exists(folder, parts.path))):
                continue  # a file beside the page (a page saved with it), or a path out of its folder
            el.set(attr, urljoin(address, value))
            resolved[tag] += 1
    changes = []
    if resolved["img"]:
        changes.append(Change("images.site-address", "document",
                              f"{resolved['img']} image address(es) not beside the page", f"resolved against {address}"))
    if resolved["a"]:
        # "/wiki/Essex" in a saved Wikipedia page: a dead link in the PDF and the EPUB, and
        # Readability.js makes them absolute too.
        changes.append(Change("links.site-address", "document",
                              f"{resolved['a']} link address(es) not beside the page", f"resolved against {address}"))
    return changes


def _climbs(path: str) -> bool:
    """Whether a relative ``path`` from a page climbs out of the page's folder ("../x")."""
    return ".." in Path(unquote(path)).parts


def _exists(folder: Path, path: str) -> bool:
    """Whether ``path`` (relative, not climbing) names a file in ``folder``."""
    try:
        return (folder / unquote(path)).is_file()
    except (OSError, ValueError):
        return False


def _adopt_stray_captions(root: etree._Element) -> None:
    """A <figcaption> written after its <figure> instead of inside it (eHow's step photos)
    goes into that figure, when the figure has no caption of its own: it is the picture's
    caption, not a paragraph of the text. So does a list of one item right after a figure
    that says what the figure's picture's alt text says (a tidied Guardian page's caption)."""
    for listed in list(root.iter("ul", "ol")):
        _adopt_listed_caption(listed)
    for caption in list(root.iter("figcaption")):
        parent = caption.getparent()
        if parent is None or parent.tag == "figure":
            continue
        figure = caption.getprevious()
        while figure is not None and not isinstance(figure.tag, str):
            figure = figure.getprevious()
        if figure is None or figure.tag != "figure" or figure.find(".//figcaption") is not None:
            continue
        if (figure.tail or "").strip():
            continue  # text stands between them: leave the page as it is
        tail, caption.tail = caption.tail, None
        figure.append(caption)
        figure.tail = (figure.tail or "") + (tail or "")


def _adopt_listed_caption(listed: etree._Element) -> None:
    """``<figure><img alt="A."></figure><ul><li><p>A</p></li></ul>``: the item becomes the
    figure's <figcaption> (see _adopt_stray_captions)."""
    from ..resources import says_the_same

    items = [c for c in listed if isinstance(c.tag, str)]
    figure = listed.getprevious()
    while figure is not None and not isinstance(figure.tag, str):
        figure = figure.getprevious()
    if (len(items) != 1 or items[0].tag != "li" or figure is None or figure.tag != "figure"
            or figure.find(".//figcaption") is not None or (figure.tail or "").strip()):
        return
    item = items[0]
    said = "".join(item.itertext())
    if not any(says_the_same(img.get("alt") or "", said) for img in figure.iter("img")):
        return
    inner = [c for c in item if isinstance(c.tag, str)]
    source = inner[0] if len(inner) == 1 and inner[0].tag == "p" and not (item.text or "").strip() else item
    caption = figure.makeelement("figcaption", {})
    caption.text = source.text
    for child in list(source):
        caption.append(child)
    figure.append(caption)
    figure.tail = (figure.tail or "") + (listed.tail or "")
    listed.getparent().remove(listed)


HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _lift_blocks_out_of_headings(root: etree._Element) -> None:
    """A block inside a heading that has words of its own before it is a widget the page
    floats beside the heading ("Engadget Score" and its rating key "Poor Uninspiring Good
    Excellent"): it moves out after the heading, text and all, so that the heading says
    only its own words. (A heading whose words are all inside a div keeps them.)"""
    for heading in list(root.iter(*HEADING_TAGS)):
        before = heading.text or ""
        for child in list(heading):
            if not isinstance(child.tag, str):
                continue
            if child.tag in BLOCK_TAGS or child.tag in CONTAINER_TAGS:
                if not before.strip():
                    break
                rest = list(heading)[list(heading).index(child):]
                anchor = heading
                for moved in rest:
                    anchor.addnext(moved)
                    anchor = moved
                # (The heading's own tail stood after all of it: it follows what moved.)
                anchor.tail, heading.tail = " ".join(t for t in (anchor.tail, heading.tail) if t) or None, None
                break
            before += "".join(child.itertext()) + (child.tail or "")


def _links_into_blocks(root: etree._Element) -> None:
    """A link around one block and nothing else (``<a href=g><h6>Gallery</h6></a>``, HTML5
    allows it) goes inside the block: ``<h6><a href=g>Gallery</a></h6>``. Left around it, the
    block came out of the link when the page was flattened, and the link stood empty."""
    for a in list(root.iter("a")):
        blocks = [c for c in a if isinstance(c.tag, str)]
        if (len(blocks) != 1 or blocks[0].tag not in ("p", *HEADING_TAGS) or (a.text or "").strip()
                or (blocks[0].tail or "").strip() or a.getparent() is None):
            continue
        block = blocks[0]
        inner = block.makeelement("a", dict(a.attrib))
        inner.text, block.text = block.text, None
        for child in list(block):
            inner.append(child)
        block.append(inner)
        block.tail, a.tail = a.tail, None
        a.addprevious(block)
        a.getparent().remove(a)


# Blocks whose line breaks at their very start or end are stray: "<h3><br>ABSTRACT</h3>",
# "<p><br><b>INTRODUCTION</b></p>" (an old page's spacing), "<p>Thanks.<br></p>".
EDGE_TRIMMED = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "figcaption", "address",
                "td", "th", "caption")


def trim_edge_breaks(root: etree._Element) -> None:
    """Remove the ``<br>``s before a block's first text (or image) and after its last."""
    for block in list(root.iter(*EDGE_TRIMMED)):
        if next(block.iter("br"), None) is None:
            continue
        events: list[tuple[str, etree._Element | None]] = []  # in reading order
        stack: list[tuple[etree._Element, bool]] = [(block, False)]
        while stack:
            el, closing = stack.pop()
            if closing:
                if el is not block and (el.tail or "").strip():
                    events.append(("content", None))
                continue
            if el is not block and isinstance(el.tag, str) and el.tag == "br":
                events.append(("br", el))
                stack.append((el, True))
                continue
            if el is not block and (not isinstance(el.tag, str) or el.tag == "img"
                                    or el.tag in BLOCK_TAGS or el.tag in EDGE_TRIMMED):
                events.append(("content", None))  # an image, or a nested block: judged itself
                stack.append((el, True))
                continue
            if (el.text or "").strip():
                events.append(("content", None))
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        content = [i for i, (kind, _) in enumerate(events) if kind == "content"]
        first, last = (content[0], content[-1]) if content else (len(events), -1)
        leading = False
        for i, (kind, br) in enumerate(events):
            if kind == "br" and br is not None and (i < first or i > last):
                br.tail = (br.tail or "").lstrip() or None  # (the spacing goes with the break)
                remove_keep_tail(br)
                leading = leading or i < first
        if leading and block.text:
            block.text = block.text.lstrip() or None  # "<p>&nbsp;<br>BAAR": the space too


def body_from_markup(container: etree._Element,
                     dropped: list[Dropped] | None = None) -> etree._Element:
    """Sanitise a copy of ``container`` and return a ``<body>`` holding its flat blocks;
    the sidebars with prose the sanitiser removes, and the hidden blocks with prose, are added
    to ``dropped`` when given."""
    from ..normalise.hygiene import remove_empty_links  # (the normaliser's rule, shared)

    if dropped is not None:
        dropped.extend(dropped_sidebars(container))
    work = copy.deepcopy(container)
    pairs = list(zip(container.iter(), work.iter(), strict=True))
    hidden = _drop_hidden(container, pairs) + _drop_player_figures(pairs) + _drop_legend_figures(pairs)
    if dropped is not None:
        dropped.extend(hidden)
    mediawiki(work)  # before the footnotes: a wiki's edit links, screen-only boxes, infobox
    canonical_footnotes(work)  # before the sanitiser drops the anchors' names and classes
    word_titles(work)
    word_lists(work)  # before the sanitiser drops the styles that say level and list
    app_exports(work)  # Notion's and Confluence's lists, panels, boxes; code languages; header rows
    _links_into_blocks(work)
    sanitise(work)
    _lift_blocks_out_of_headings(work)
    trim_edge_breaks(work)
    remove_empty_links(work)  # a heading's permalink whose icon the sanitiser removed
    keep_link_targets(work)
    body = new_body()
    for block in flatten_blocks(work):
        body.append(block)
    header_rows(body)
    return body


# How far into the article the subtitle's block is looked for.
SUBTITLE_SEARCH_BLOCKS = 4


def read_html(text: str, source: Path | None = None, locator: Locator | None = None) -> Document:
    """Read an HTML page or fragment: locate the article, keep its own structure.

    ``locator`` replaces readability-lxml as the article locator (the benchmark compares).
    """
    from ..normalise.boilerplate import is_boilerplate  # phrase data shared with the normaliser
    from ..normalise.tree import short

    root = parse_html(text, source)
    styled_emphasis(root)  # before the page's <style> goes with its head
    _adopt_stray_captions(root)
    _lift_blocks_out_of_headings(root)
    drop_control_labels(root)
    drop_permalinks(root)  # before the headline is read: "Installing the logger¶"
    answer_headings(root)  # before the locator drops the signatures that say who answered
    thread = forum_posts(root)  # (a thread's posts: before the locator keeps one)
    recipe_cards(root)  # before the locator drops a recipe card's row of times and servings
    lazy = fix_lazy_images(root)
    lazy += _resolve_site_paths(root, source)
    meta = page_metadata(root)
    if thread.poster and not meta.author:
        meta.author = thread.poster  # who started the thread
    if thread.date and not meta.date:
        meta.date = thread.date
    if thread.subject and meta.title and thread.subject != meta.title and thread.subject.startswith(meta.title):
        meta.title = thread.subject  # the <title> cut at its " - " ("… remover - what am I doing wrong?")
    dropped: list[Dropped] = []
    container = locate_article(root, is_boilerplate, locator, dropped)
    if container is None:
        container = article_container(root)
        dropped = dropped_outside(root, container)
    body = body_from_markup(container, dropped)
    if not len(body):
        raise InputError("no text found in the HTML", source)
    doc = Document(meta=meta, body=body, kind="html", source=source)
    doc.changes.extend(lazy)
    if meta.subtitle:
        # The subtitle kept as the article's first blocks would print twice, or as a section.
        for block in list(body)[:SUBTITLE_SEARCH_BLOCKS]:
            if " ".join(block.text_content().split()) == meta.subtitle:
                doc.changes.append(Change("metadata.subtitle", "document", short(block), meta.subtitle))
                body.remove(block)
                break
    # The prose the page had and the article leaves out, so that a lost paragraph shows.
    doc.changes.extend(Change(d.rule, d.where, short(d.text), "") for d in dropped)
    if meta.title:
        # The page's own title metadata is settled here; the title pass must not cut it again.
        title_el = root.find(".//title")
        raw = " ".join(title_el.text_content().split()) if title_el is not None else ""
        doc.changes.append(Change("metadata.title-from-page", "document", raw, meta.title))
    return doc
