"""Allow-list sanitiser for untrusted HTML, applied by every reader that accepts markup.

    <p onclick="x()">Hi <script>steal()</script><a href="javascript:x()">link</a>
       <span class="c1">there</span></p>
    ->
    <p>Hi <a>link</a> there</p>

Active content (script, iframe, object, forms, event handlers, ``javascript:`` links), the
page's own CSS (``<style>``, ``<link>``, ``style=""``) and the page's ``data-*`` attributes
never reach the Document. Unknown presentational tags (span, font, center) are unwrapped so
their text is kept. Image sources that would run code (``javascript:``) or smuggle a document
(``data:text/html``) go; where an image may be loaded from is ``converter.resources``'s
decision, which names every reference it refuses.

Nesting deeper than MAX_DEPTH is flattened into the element at that depth, text kept:

    <div><div><div>... 20,000 levels ... deep text</div></div></div>
    ->
    <div><div>... MAX_DEPTH levels ... deep text</div></div>

Real articles nest a dozen levels at most; a page built to nest thousands would make every
recursive consumer downstream (WeasyPrint's layout, XML parsers' depth limits) fail.
"""

from __future__ import annotations

import re

from lxml import etree

# Removed together with everything inside them.
DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
        "embed", "applet", "form", "input", "button", "select", "textarea", "option", "svg",
        "math", "canvas", "video", "audio", "source", "track", "map", "link", "meta", "base",
        "head", "title", "dialog", "portal", "param", "nav", "aside",
    }
)  # fmt: skip

# Controls a page's software puts in its text, removed with their content: MediaWiki's
# "[edit]" / "[Bearbeiten]" link beside every section heading of a Wikipedia article.
DROP_CLASSES = frozenset({"mw-editsection"})

# Kept as elements (with only the attributes allowed below).
ALLOWED_TAGS = frozenset(
    {
        "body", "div", "section", "article", "main", "header", "footer",
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "hr", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
        "caption", "colgroup", "col", "figure", "figcaption", "img", "picture",
        "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
        "code", "kbd", "samp", "var", "q", "cite", "abbr", "time", "br", "wbr", "dfn", "address",
    }
)  # fmt: skip

# Old and foreign block elements kept as blocks: unwrapped, "<center>* * *</center>" ran into
# the paragraph after it (and became a list marker).
BLOCK_ALIASES = {"center": "div", "hgroup": "div", "details": "div", "summary": "p", "dialog": "div",
                 "listing": "pre", "xmp": "pre", "plaintext": "pre"}

GLOBAL_ATTRS = frozenset({"id", "lang", "dir", "title", "role"})
TAG_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "headers", "align"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "align"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "abbr": frozenset({"title"}),
}
# Classes that carry meaning in our Document model (footnotes, code languages); all others go.
KEPT_CLASS = re.compile(r"^(footnote-ref|footnote-back|footnotes|language-[\w+#.-]+)$")
SAFE_URL = re.compile(r"^(https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
# Image sources that run code or carry a document, not an image; every other source is kept
# for converter.resources to allow or refuse by name.
ACTIVE_IMG_URL = re.compile(
    r"^(?:(?:java|vb|live)script:|data:(?!image/(?:png|jpeg|gif|webp)[;,]))", re.IGNORECASE
)
MAX_DEPTH = 48
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")


def _clean_url(value: str, pattern: re.Pattern[str]) -> str | None:
    """Return the URL if its scheme is safe; browsers ignore embedded white space, so do we."""
    compact = _URL_JUNK.sub("", value)
    return value.strip() if pattern.match(compact) else None


def _clean_img_url(value: str) -> str | None:
    """Return the image source unless it is active content (white space ignored, as above)."""
    compact = _URL_JUNK.sub("", value)
    return None if ACTIVE_IMG_URL.match(compact) else value.strip()


FORM_CONTROLS = ("input", "select", "textarea", "button")


def _names_a_control(label: etree._Element) -> bool:
    """True for a ``<label>`` that names a form control (one it points to with ``for``, holds,
    or sits beside): video.js's caption settings ("Foreground", "Font Size") beside their
    ``<select>``. A label beside links ("Tags:" before a site's tag links) is text."""
    parent = label.getparent()
    return (label.get("for") is not None or next(label.iter(*FORM_CONTROLS), None) is not None
            or (parent is not None and next(parent.iter(*FORM_CONTROLS), None) is not None))


def drop_control_labels(root: etree._Element) -> None:
    """Remove every ``<label>`` that names a form control (see ``_names_a_control``), and the
    field names a page hides with its style sheet. The HTML reader does it to the whole page
    before the article is located, since locating drops the controls that show what a label
    is."""
    for label in [el for el in root.iter("label") if _names_a_control(el)]:
        remove_keep_tail(label)
    # arXiv's field names before its title, authors and abstract ("Title:", "Abstract:"), which
    # its style sheet hides: the words ran into the title ("Title:Sparse MoE Adapters").
    for el in [el for el in root.iter("span") if "descriptor" in (el.get("class") or "").split()
               and len("".join(el.itertext()).split()) <= 2 and "".join(el.itertext()).strip().endswith(":")]:
        remove_keep_tail(el)


# Where a share button sends the reader: a network's "share this page" address.
SHARE_ENDPOINT = re.compile(
    r"^(?:https?:)?//(?:[\w-]+\.)*(?:facebook\.com/sharer|twitter\.com/(?:intent/tweet|share)|"
    r"x\.com/intent/(?:tweet|post)|pinterest\.[a-z.]+/pin/create|linkedin\.com/(?:shareArticle|sharing)|"
    r"reddit\.com/submit|api\.whatsapp\.com/send|wa\.me/|t\.me/share|bsky\.app/intent/compose)",
    re.IGNORECASE,
)
# Words of a share button's label at most ("Pin", "Share on Facebook", "Tweet this").
SHARE_BUTTON_MAX_WORDS = 4


def _is_share_button(el: etree._Element) -> bool:
    """True for an element whose address is a network's share address and whose label is a
    few words (the "Pin" button a sharing plugin lays over each picture): furniture."""
    href = (el.get("href") or "").strip()
    return bool(href) and bool(SHARE_ENDPOINT.match(href)) and len(" ".join(el.itertext()).split()) <= SHARE_BUTTON_MAX_WORDS


def sanitise(root: etree._Element) -> None:
    """Remove active content and foreign styling from ``root`` in place."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        remove_keep_tail(el)
    drop_control_labels(root)
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str):
            continue
        if el.getparent() is None and el is not root:  # already removed with an ancestor
            continue
        tag = el.tag.lower()
        if (tag in DROP_WITH_CONTENT or not DROP_CLASSES.isdisjoint((el.get("class") or "").split())
                or _is_share_button(el)):
            remove_keep_tail(el)
            continue
        if tag == "summary":
            tag = _summary(el)
        elif tag in BLOCK_ALIASES:
            el.tag = tag = BLOCK_ALIASES[tag]  # a block by another name stays a block
        if tag not in ALLOWED_TAGS:
            el.drop_tag() if hasattr(el, "drop_tag") else unwrap(el)
            continue
        _clean_attributes(el, tag)
    _clean_attributes(root, root.tag if isinstance(root.tag, str) else "")
    limit_depth(root, MAX_DEPTH)


def _summary(el: etree._Element) -> str:
    """A ``<details>`` box's ``<summary>`` (an FAQ's question over its answer, a README's
    "Configuring rules" over the rules) as a paragraph in bold, which the heading pass reads as
    the heading over the box's text, when the box holds text; one that holds blocks
    (``<summary><h3>…</h3>``) is a wrapper. Returns the new tag."""
    if any(isinstance(c.tag, str) and c.tag.lower() in _SUMMARY_BLOCKS for c in el.iter()):
        el.tag = "div"
        return "div"
    el.tag = "p"
    box = el.getparent()
    prose = box is not None and any(isinstance(c.tag, str) and c.tag.lower() in _SUMMARY_PROSE
                                    for c in box.iter() if c is not el and el not in c.iterancestors())
    if prose and "".join(el.itertext()).strip() and not (len(el) == 1 and el[0].tag in ("b", "strong")
                                               and not (el.text or "").strip() and not (el[0].tail or "").strip()):
        strong = etree.SubElement(el, "strong")
        strong.text, el.text = el.text, None
        for child in list(el)[:-1]:
            strong.append(child)
    return "p"


_SUMMARY_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote"})
# What a box holds under its summary when the summary heads text (an answer, a note): a box
# of links ("Table of Contents" over a list) keeps its summary a plain line.
_SUMMARY_PROSE = frozenset({"p", "pre", "table", "blockquote", "dl"})


# Elements kept when a too-deep subtree is flattened: they hold content, not structure.
_FLAT_KEEP = frozenset({"img", "br"})
# Ending one of these starts a new line in the flattened text, so words never run together.
_FLAT_BREAK = frozenset(
    {"p", "div", "li", "dt", "dd", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
     "h6", "section", "article", "header", "footer", "figure", "figcaption", "table", "ul",
     "ol", "dl", "caption", "address", "main"}
)  # fmt: skip


def limit_depth(root: etree._Element, max_depth: int = MAX_DEPTH) -> int:
    """Flatten every subtree below ``max_depth`` levels into its element there; return how many.

    Iterative (no recursion, whatever the depth) and linear: each node is visited once.
    """
    flattened = 0
    stack: list[tuple[etree._Element, int]] = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        if depth >= max_depth:
            if len(el):
                _flatten(el)
                flattened += 1
            continue
        stack.extend((child, depth + 1) for child in el if isinstance(child.tag, str))
    return flattened


def _flatten(el: etree._Element) -> None:
    """Replace ``el``'s descendants by their text, line breaks between blocks, images kept."""
    runs: list[list[str]] = [[el.text or ""]]  # runs[i + 1] is the text after kept[i]
    kept: list[etree._Element] = []
    pending_break = False

    def add_text(text: str | None) -> None:
        nonlocal pending_break
        if not text:
            return
        if pending_break and text.strip():
            pending_break = False
            if any(r.strip() for r in runs[-1]) or kept:
                add(el.makeelement("br", {}))
        runs[-1].append(text)

    def add(node: etree._Element) -> None:
        kept.append(node)
        runs.append([])

    for event, node in etree.iterwalk(el, events=("start", "end")):
        if node is el or not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        if event == "start":
            if tag in _FLAT_BREAK:
                pending_break = True
            elif tag in _FLAT_KEEP:
                pending_break = False
                add(node.makeelement(node.tag, dict(node.attrib)))
            add_text(node.text)
        else:
            if tag in _FLAT_BREAK:
                pending_break = True
            add_text(node.tail)
    for child in list(el):
        el.remove(child)
    el.text = "".join(runs[0]) or None
    for node, run in zip(kept, runs[1:], strict=True):
        node.tail = "".join(run) or None
        el.append(node)


def _clean_attributes(el: etree._Element, tag: str) -> None:
    allowed = GLOBAL_ATTRS | TAG_ATTRS.get(tag, frozenset())
    for name in list(el.attrib):
        value = el.attrib[name]
        low = name.lower()
        if low == "class":
            kept = [c for c in value.split() if KEPT_CLASS.match(c)]
            if kept:
                el.set("class", " ".join(kept))
            else:
                del el.attrib[name]
        elif low not in allowed:
            del el.attrib[name]
        elif low == "href":
            url = _clean_url(value, SAFE_URL)
            if url is None:
                del el.attrib[name]
            else:
                el.set(name, url)
        elif low == "src":
            url = _clean_img_url(value)
            if url is None:
                del el.attrib[name]
            else:
                el.set(name, url)


def remove_keep_tail(el: etree._Element) -> None:
    """Take ``el`` out of its parent; the text after it stays."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def unwrap(el: etree._Element) -> None:
    """Replace ``el`` by its children and text (drop_tag for non-lxml.html elements)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    prev = el.getprevious()
    if el.text:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.text
        else:
            parent.text = (parent.text or "") + el.text
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    last = children[-1] if children else prev
    if el.tail:
        if last is not None:
            last.tail = (last.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# --- emphasis written as CSS ----------------------------------------------------------------
# Google Docs writes bold and italic as styles, never as <b>/<i>: its "Download as web page"
# as classes of a <style> rule (".c4{font-weight:700}"), its clipboard as style="" on each
# span, inside a <b style="font-weight:normal"> around the whole paste. The sanitiser drops
# styles, so the emphasis is turned into <strong>/<em> first.
_CLASS_RULE = re.compile(r"\.(-?[_a-zA-Z][\w-]{0,63})\s*\{([^{}]*)\}")
_WEIGHT = re.compile(r"(?:^|;)\s*font-weight\s*:\s*(\w+)", re.IGNORECASE)
_STYLE = re.compile(r"(?:^|;)\s*font-style\s*:\s*(\w+)", re.IGNORECASE)
STYLED_TAGS = frozenset({"span", "font"})


def _emphasis(declarations: str) -> tuple[bool | None, bool | None]:
    """(bold, italic) a declaration block says; None where it says nothing."""
    weight = _WEIGHT.search(declarations)
    style = _STYLE.search(declarations)
    bold = None
    if weight:
        value = weight.group(1).lower()
        bold = value in ("bold", "bolder") or (value.isdigit() and int(value) >= 600)
    italic = style.group(1).lower() in ("italic", "oblique") if style else None
    return bold, italic


def _class_emphasis(root: etree._Element) -> dict[str, tuple[bool | None, bool | None]]:
    """Emphasis of the single-class rules in the page's own <style> elements."""
    found: dict[str, tuple[bool | None, bool | None]] = {}
    for style in root.iter("style"):
        for match in _CLASS_RULE.finditer(style.text or ""):
            bold, italic = _emphasis(match.group(2))
            if bold or italic:
                found[match.group(1)] = (bold, italic)
    return found


def _text_after(el: etree._Element) -> str:
    """The text right after ``el``, through the inline elements it ends
    (``<span class="drop-cap"><span class="inner">W</span></span>hale``: "hale")."""
    while not el.tail:
        parent = el.getparent()
        if parent is None or parent[-1] is not el or parent.tag not in _INLINE_WRAPPERS:
            return ""
        el = parent
    return el.tail


_INLINE_WRAPPERS = frozenset({"span", "font", "a", "b", "i", "em", "strong", "u", "small"})


def styled_emphasis(root: etree._Element) -> int:
    """Turn bold and italic given by CSS into <strong> and <em>; return how many elements.

        <span style="font-weight:700">1 December</span>  ->  <strong>1 December</strong>
        <b style="font-weight:normal">...</b>             ->  ... (not bold)
    """
    classes = _class_emphasis(root)
    changed = 0
    for el in list(root.iter(*STYLED_TAGS, "b", "strong")):
        bold: bool | None = None
        italic: bool | None = None
        for name in (el.get("class") or "").split():
            b, i = classes.get(name, (None, None))
            bold, italic = (b if b is not None else bold), (i if i is not None else italic)
        b, i = _emphasis(el.get("style") or "")
        bold, italic = (b if b is not None else bold), (i if i is not None else italic)
        if el.tag in ("b", "strong"):
            if bold is False:  # Google Docs' paste wrapper
                unwrap(el)
                changed += 1
            continue
        text = "".join(el.itertext())
        if not (bold or italic) or not text.strip():
            continue
        if text[-1:].isalnum() and _text_after(el)[:1].isalnum():
            continue  # part of a word: a drop cap's "H" of "Hong Kong", not emphasis
        el.tag = "strong" if bold else "em"
        for attr in ("style", "class"):
            el.attrib.pop(attr, None)
        if bold and italic:
            inner = etree.SubElement(el, "em")
            inner.text, el.text = el.text, None
            for child in list(el):
                if child is not inner:
                    inner.append(child)
        changed += 1
    return changed
