"""BBCode, the markup of forum editors (phpBB, vBulletin, SMF, MyBB), read as the structure it
means when text copied out of a post's editor still holds it.

    [b]What we did this month[/b]             ->  <p><b>What we did this month</b></p>
    [list]                                        <ul><li>Lifted the old leaf out</li>
    [*]Lifted the old leaf out                        <li>Cut the heel post</li></ul>
    [*]Cut the heel post
    [/list]
    [quote="sluice_sally"]Green?[/quote]      ->  <p>sluice_sally wrote:</p>
                                                  <blockquote><p>Green?</p></blockquote>
    [url=https://example.org/]the page[/url]  ->  <a href="https://example.org/">the page</a>
    [code]make export[/code]                  ->  <pre><code>make export</code></pre>

Pasting a post's source into a text file keeps the tags, and every other tool prints them
("[list][*]Lifted…"). Only tags that open and close are read: a lone "[b]", or an "[i]" in
"a[i] = 0" with no "[/i]", stays text. Lists, quotations and code are blocks, found in the
whole text (a quotation may hold blank lines); the inline tags are read in each block the
plain-text reader builds, on one line: a "[b]" that closes on a later line stays text.
Formatting without meaning in an edition (colour, size, font, alignment, spoilers) goes
and leaves its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from .sanitise import SAFE_URL, _clean_img_url, _clean_url

# Lists and quotations inside one another deeper than this stay text (a post quoting a post
# quoting a post… is rarely deeper than four).
MAX_DEPTH = 12
# The block tags, opening ("[list=1]", '[quote="ann" post_id=12]') or closing ("[/list]").
# (SMF writes a quotation's poster after a space: "[quote author=ann link=… date=…]".)
BLOCK_TAG = re.compile(r"\[(/?)(list|quote|code)(?:[= ]([^\]\n]{0,200}))?\]", re.IGNORECASE)
# A list's items ("[*]"; phpBB also closes them: "[/*]"), and the tags of a list inside it,
# whose items are its own.
ITEM_OR_LIST_TAG = re.compile(r"\[/?\*\]|\[(/?)list\b[^\]\n]{0,200}\]", re.IGNORECASE)
# A rule on a line of its own.
RULE_LINE = re.compile(r"^[ \t]*\[hr\][ \t]*$", re.IGNORECASE | re.MULTILINE)
# Inline tags: "[b]", "[/b]", "[url=https://…]", "[color=#c00]".
INLINE_TAG = re.compile(r"\[(/?)([a-z]{1,9}|h[1-6])(?:=([^\]\n]{0,500}))?\]", re.IGNORECASE)
# A picture: "[img]https://…/gate.jpg[/img]" (vBulletin and MyBB write a size: "[img=640x480]").
IMAGE_TAG = re.compile(r"\[img(?:=[^\]\n]{0,100})?\]([^\[\]\s]{1,2000})\[/img\]", re.IGNORECASE)

# Inline tags read as an element of the Document.
ELEMENTS = {"b": "b", "i": "i", "u": "u", "s": "s", "strike": "s", "del": "s", "sup": "sup",
            "sub": "sub", "url": "a", "email": "a", "em": "em", "strong": "strong", "tt": "code",
            "icode": "code", "mark": "mark", "highlight": "mark"}
# Inline tags that go and leave their text: how a post looked, not what it says.
UNWRAPPED = frozenset({"color", "colour", "size", "font", "center", "left", "right", "justify",
                       "align", "indent", "spoiler", "noparse", "glow", "shadow", "php", "sigpic"})
# A numbered list's kinds: "[list=1]", "[list=a]", "[list=I]".
LIST_TYPES = frozenset({"1", "a", "A", "i", "I"})
# The poster a quotation names: '"ann"', 'ann post_id=12 time=…' (phpBB 3.2), 'ann;12345'
# (vBulletin), 'author=ann link=… date=…' (SMF).
QUOTE_NAME = re.compile(r'^\s*+(?:author=)?(?:"([^"]{1,80})"|\'([^\']{1,80})\'|(\S[^;\]"]{0,79}?))'
                        r"(?=\s*+$|\s*+;|\s++(?:post_id|time|user_id|link|date)=)", re.IGNORECASE)


@dataclass
class Block:
    """A block tag and what it holds: a list, a quotation or code."""

    kind: str  # "list", "quote", "code"
    value: str | None  # what follows "=": the list's type, the poster, the language
    inner: str
    first_line: int


def has_block_tags(text: str) -> bool:
    return "[" in text and (BLOCK_TAG.search(text) is not None or RULE_LINE.search(text) is not None)


class _Lines:
    """Line numbers of offsets in a text, counted from the last offset asked (in order)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text, self.pos, self.line = text, 0, first_line

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def split_blocks(text: str, first_line: int = 1) -> Iterator[str | Block]:
    """The text's runs of plain text and its outermost blocks, in order. A block opens and
    closes with the same tag; inside code nothing else is read."""
    pos = 0  # the start of the text not yet given
    lines = _Lines(text, first_line)
    stack: list[re.Match[str]] = []
    open_count: dict[str, int] = {}  # (a closing tag with no opening one must not search)
    for m in BLOCK_TAG.finditer(text):
        name = m.group(2).lower()
        if stack and stack[0].group(2).lower() == "code" and not (m.group(1) and name == "code"):
            continue
        if not m.group(1):
            if name == "code" and stack:
                continue  # code inside a quotation is read with the quotation
            stack.append(m)
            open_count[name] = open_count.get(name, 0) + 1
            continue
        if not open_count.get(name):
            continue
        depth = next(k for k in range(len(stack) - 1, -1, -1) if stack[k].group(2).lower() == name)
        opening = stack[depth]
        for gone in stack[depth:]:
            open_count[gone.group(2).lower()] -= 1
        del stack[depth:]
        if stack:
            continue
        if opening.start() > pos:
            yield from _rules(text[pos:opening.start()], lines.at(pos))
        yield Block(name, opening.group(3), text[opening.end():m.start()], lines.at(opening.start()))
        pos = m.end()
    if pos < len(text):
        yield from _rules(text[pos:], lines.at(pos))


def _rules(text: str, first_line: int) -> Iterator[str | Block]:
    """Plain text, with an "[hr]" line as a rule between its parts."""
    pos = 0
    lines = _Lines(text, first_line)
    for m in RULE_LINE.finditer(text):
        yield text[pos:m.start()]
        yield Block("hr", None, "", lines.at(m.start()))
        pos = m.end()
    yield text[pos:]


def quote_poster(value: str | None) -> str | None:
    """The poster a quotation's tag names, without the post's number and time."""
    m = QUOTE_NAME.match(value or "")
    if not m:
        return None
    return (m.group(1) or m.group(2) or m.group(3) or "").strip() or None


def list_element(block: Block, read_item: Callable[[str, etree._Element], None]) -> etree._Element:
    """A "[list]" block as a ``<ul>`` (or ``<ol>``), each "[*]" an item that ``read_item``
    fills from its text. Text before the first item is an item too (nothing is lost)."""
    kind = (block.value or "").strip().strip("\"'")
    el = lxml_html.Element("ol" if kind in LIST_TYPES else "ul", {"data-line": str(block.first_line)})
    if kind in LIST_TYPES and kind != "1":
        el.set("type", kind)
    for part in _items(block.inner):
        if part.strip():
            read_item(part.strip(), etree.SubElement(el, "li"))
    return el


def _items(inner: str) -> list[str]:
    """A list's text cut at its own "[*]" marks (a nested list's stay with their item)."""
    parts: list[str] = []
    depth, pos = 0, 0
    for m in ITEM_OR_LIST_TAG.finditer(inner):
        if m.group(0) in ("[*]", "[/*]"):
            if depth == 0:
                parts.append(inner[pos:m.start()])
                pos = m.end()
        else:
            depth += -1 if m.group(1) else 1
    parts.append(inner[pos:])
    return parts


def code_element(block: Block) -> etree._Element:
    pre = lxml_html.Element("pre", {"data-line": str(block.first_line)})
    code = etree.SubElement(pre, "code")
    language = (block.value or "").strip().strip("\"'").lower()
    if re.fullmatch(r"[\w+#.-]{1,20}", language):
        code.set("class", f"language-{language}")
    code.text = block.inner.strip("\n")
    return pre


# --- inline tags --------------------------------------------------------------------------


@dataclass
class _Tag:
    match: re.Match[str]
    name: str
    closing: bool
    piece: int  # which line of the block it is on
    partner: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        """What pairs it: its name, and its line unless it only goes."""
        return self.name, -1 if self.name in UNWRAPPED else self.piece


def read_inline(el: etree._Element) -> int:
    """Read the inline tags in ``el`` (its text, and the tails of the line breaks that are its
    only children) as elements; returns how many pairs were read."""
    if any(child.tag != "br" for child in el) or "[" not in "".join(el.itertext()):
        return 0
    pieces: list[str | etree._Element] = [el.text or ""]
    for br in list(el):
        pieces.extend([br, br.tail or ""])
        br.tail = None
        el.remove(br)
    tokens: list[str | _Tag | etree._Element] = []
    for number, piece in enumerate(pieces):
        if not isinstance(piece, str):
            tokens.append(piece)
            continue
        pos = 0
        for m in INLINE_TAG.finditer(piece):
            name = m.group(2).lower()
            if name not in ELEMENTS and name not in UNWRAPPED:
                continue
            tokens.append(piece[pos:m.start()])
            tokens.append(_Tag(m, name, bool(m.group(1)), number))
            pos = m.end()
        tokens.append(piece[pos:])
    pairs = _pair(tokens)
    el.text = None
    _build(el, tokens)
    return pairs


def _pair(tokens: list) -> int:
    """Pair each closing tag with the nearest open one of its name: on the same line for a tag
    that becomes an element, anywhere in the block for one that only goes."""
    stack: list[int] = []
    open_count: dict[tuple[str, int], int] = {}  # (a closing tag with no partner must not search)
    pairs = 0
    for k, token in enumerate(tokens):
        if not isinstance(token, _Tag):
            continue
        if not token.closing:
            stack.append(k)
            open_count[token.key] = open_count.get(token.key, 0) + 1
            continue
        if not open_count.get(token.key):
            continue
        depth = next(d for d in range(len(stack) - 1, -1, -1) if tokens[stack[d]].key == token.key)
        opening = tokens[stack[depth]]
        opening.partner, token.partner = k, stack[depth]
        for gone in stack[depth:]:
            open_count[tokens[gone].key] -= 1
        del stack[depth:]
        pairs += 1
    return pairs


class _Builder:
    """Builds an element's content in order; text is gathered and set once per place (adding
    to ``.text`` piece by piece copied it every time: quadratic on a run of literal tags)."""

    def __init__(self, root: etree._Element) -> None:
        self.stack = [root]  # where text goes: the innermost open element
        self.pending: list[str] = []

    def text(self, text: str) -> None:
        self.pending.append(text)

    def flush(self) -> None:
        if not self.pending:
            return
        text, self.pending = "".join(self.pending), []
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def append(self, child: etree._Element) -> None:
        self.flush()
        self.stack[-1].append(child)

    def open(self, child: etree._Element) -> None:
        self.append(child)
        self.stack.append(child)

    def close(self) -> etree._Element:
        self.flush()
        return self.stack.pop()


def _build(el: etree._Element, tokens: list) -> None:
    out = _Builder(el)
    opened: list[etree._Element | None] = []  # per open pair, its element (None: unwrapped)
    for token in tokens:
        if isinstance(token, str):
            _append_addresses(out, token)
        elif not isinstance(token, _Tag):
            out.append(token)  # a line break
        elif token.partner is None:
            out.text(token.match.group(0))
        elif token.closing:
            if opened.pop() is not None:
                _address_from_text(out.close(), token.name)
        else:
            child = _inline_element(token)
            opened.append(child)
            if child is not None:
                out.open(child)
    out.flush()


def _inline_element(tag: _Tag) -> etree._Element | None:
    if tag.name in UNWRAPPED:
        return None
    child = lxml_html.Element(ELEMENTS[tag.name])
    if child.tag == "a":
        value = (tag.match.group(3) or "").strip().strip("\"'")
        if tag.name == "email" and value:
            value = "mailto:" + value
        href = _clean_url(value, SAFE_URL) if value else None
        if href:
            child.set("href", href)
        elif not value:
            child.set("data-address", "text")  # "[url]https://…[/url]": its text is its address
    return child


def _address_from_text(link: etree._Element, name: str) -> None:
    """A link written "[url]https://…[/url]" or "[email]ann@example.org[/email]" links to its
    text (when it is one safe address)."""
    text = "".join(link.itertext()).strip()
    if link.attrib.pop("data-address", None) is None or not text or len(text.split()) != 1:
        return
    href = _clean_url(("mailto:" if name == "email" else "") + text, SAFE_URL)
    if href:
        link.set("href", href)


def _append_addresses(out: _Builder, text: str) -> None:
    """Text, with its "[img]…[/img]" as an image (an active source stays text)."""
    pos = 0
    for m in IMAGE_TAG.finditer(text):
        src = _clean_img_url(m.group(1))
        if not src:
            continue
        child = lxml_html.Element("img", {"src": src, "alt": ""})
        out.text(text[pos:m.start()])
        out.append(child)
        pos = m.end()
    out.text(text[pos:])
