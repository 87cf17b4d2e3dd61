"""The DOCX page as pandoc's own JSON AST, so pandoc skips its HTML reader.

    page_to_json(DocxWriter().prepare_page(doc))
    ->
    '{"pandoc-api-version":[1,23,1,1],"meta":{"title":...},"blocks":[{"t":"Header",...}]}'

pandoc spends about 5.5 ms reading a 400-word page as HTML and about 1 ms reading the same
document as JSON. The JSON built here is what pandoc 3.9's HTML reader makes of
``to_xhtml(page)`` (``pandoc.read(text, 'html', {standalone = true})``): the same blocks,
inlines, header identifiers and metadata, node for node; tests/test_pandoc_ast.py checks
that through the bundled pandoc on every sample, fixture, benchmark article and corpus page.

It models only the markup the page builder emits, following the HTML reader's rules:

* text splits into ``Str`` at ASCII white space; a run with a line feed is a ``SoftBreak``,
  else a ``Space`` (a no-break space is part of the word); adjacent inlines merge as
  pandoc's builder merges them (``Str``+``Str``, ``Space``+``SoftBreak``, ``Emph``+``Emph``);
* em/i, strong/b, sup, sub, u/ins, s/del/strike, small and links move leading and trailing
  spaces outside themselves; spans keep them; paragraphs, headings and captions are trimmed;
* a list item, definition, block quote and the document body turn their ``Plain`` blocks
  into ``Para`` when any of their blocks is paragraph-like (pandoc's ``fixPlains``);
* headings get pandoc's auto identifiers (unique among headings only);
* the page's footnotes (``a[role=doc-noteref]`` and ``section[role=doc-endnotes]``)
  become ``Note`` inlines.

Anything else (an element or attribute not listed here, an unusual shape) makes
``page_to_json`` return None, and the caller sends the HTML as before: correctness never
depends on what is covered. One pass over the tree, no quadratic work.
"""

from __future__ import annotations

import json
import re
import unicodedata

from lxml import etree

API_VERSION = [1, 23, 1, 1]  # what pandoc 3.9's JSON writer says
# The pandoc whose HTML reader this mirrors (checked by the tests): another version may read
# the page differently, so the worker uses the JSON only when it is this one.
PANDOC_VERSION = "3.9"


# The tree holds no cycles (shared Space/SoftBreak dicts are repeats, not cycles): the
# check costs a quarter of the encoding time.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


class Unsupported(Exception):
    """The page has something this module does not model exactly."""


# -- inlines ----------------------------------------------------------------------------------

_SPACE = {"t": "Space"}
_SOFT = {"t": "SoftBreak"}
_LINE = {"t": "LineBreak"}
# The HTML reader's white space: ASCII only (U+00A0 and other Unicode spaces are letters).
_WS_RUN = re.compile(r"[ \t\n\f]+|[^ \t\n\f]+")
_WS = " \t\n\f"
# Characters the reader treats specially (C1 controls are remapped as windows-1252; CR is
# filtered before parsing): pages with them go the HTML way.
_BAD_TEXT = re.compile("[\r\x80-\x9f]")
# Inline wrappers whose content the reader trims into the surrounding text (extractSpaces).
_WRAPPERS = {
    "em": "Emph", "i": "Emph", "strong": "Strong", "b": "Strong",
    "sup": "Superscript", "sub": "Subscript", "u": "Underline", "ins": "Underline",
    "s": "Strikeout", "del": "Strikeout", "strike": "Strikeout",
}  # fmt: skip
_MERGING = frozenset({"Emph", "Strong", "Underline", "Superscript", "Subscript", "Strikeout"})
_SPACES = ("Space", "SoftBreak")
# Inline elements shown as their content alone.
_TRANSPARENT = frozenset({"cite", "time", "picture"})
# Inline elements that become a Span classed with their own name.
_SPAN_LIKE = frozenset({"kbd", "abbr", "mark", "dfn"})
# Attributes the reader ignores on wrapper and transparent elements (checked against pandoc);
# any other attribute there leaves the page to pandoc.
_IGNORED_ATTRS = frozenset({"id", "title", "datetime", "class", "lang", "dir"})
_URL_ESCAPE = frozenset(' \t\n\f<>|"{}[]^`')


def _append(out: list[dict], item: dict) -> None:
    """Append ``item`` as pandoc's Inlines monoid does (merging with the last inline)."""
    if out:
        last = out[-1]
        lt, it = last["t"], item["t"]
        if lt == "Str" and it == "Str":
            out[-1] = {"t": "Str", "c": last["c"] + item["c"]}
            return
        if lt in _SPACES and it in _SPACES:
            if it == "SoftBreak":
                out[-1] = _SOFT
            return
        if (lt in _SPACES and it == "LineBreak") or (lt == "LineBreak" and it in _SPACES):
            out[-1] = _LINE
            return
        if lt == it and lt in _MERGING:
            out[-1] = {"t": lt, "c": last["c"] + item["c"]}
            return
    out.append(item)


def _extend(out: list[dict], items: list[dict]) -> None:
    for item in items:
        _append(out, item)


def _text(out: list[dict], text: str | None) -> None:
    if not text:
        return
    if _BAD_TEXT.search(text):
        raise Unsupported("CR or C1 control character in text")
    # Runs alternate between words and white space, so only the first can merge with what
    # came before; the rest are appended as they are.
    runs = _WS_RUN.findall(text)
    tokens = [
        {"t": "Str", "c": run} if run[0] not in _WS else (_SOFT if "\n" in run else _SPACE)
        for run in runs
    ]
    _append(out, tokens[0])
    out.extend(tokens[1:])


def _builder_text(text: str) -> list[dict]:
    """pandoc's Builder.text (metadata values): like reader text, CR counts as a space."""
    out: list[dict] = []
    for run in re.findall(r"[ \t\r\n]+|[^ \t\r\n]+", text):
        if run[0] in " \t\r\n":
            out.append(_SOFT if ("\n" in run or "\r" in run) else _SPACE)
        else:
            out.append({"t": "Str", "c": run})
    return out


def _flush_plain(run: list[dict], out: list[dict]) -> None:
    """Close an inline run among blocks: its trimmed inlines as a Plain, if any."""
    trimmed = _trim(run)
    if trimmed:
        out.append({"t": "Plain", "c": trimmed})
    run.clear()


def _trim(items: list[dict]) -> list[dict]:
    start, end = 0, len(items)
    while start < end and items[start]["t"] in _SPACES:
        start += 1
    while end > start and items[end - 1]["t"] in _SPACES:
        end -= 1
    return items[start:end]


def _extract_spaces(out: list[dict], content: list[dict], make) -> None:
    """Append make(trimmed content), with its outer spaces moved outside (extractSpaces)."""
    if content and content[0]["t"] in _SPACES:
        _append(out, content[0])
    _append(out, make(_trim(content)))
    if content and content[-1]["t"] in _SPACES:
        _append(out, content[-1])


def _attr(el: etree._Element) -> list:
    """pandoc's toAttr: id, class words, the other attributes in document order."""
    ident = ""
    classes: list[str] = []
    kvs: list[list[str]] = []
    for key, value in el.attrib.items():
        if key.startswith(("{", "data-")) or key == "style":
            raise Unsupported(f"attribute {key}")
        if key == "id":
            ident = value
        elif key == "class":
            classes = value.split()
        else:
            kvs.append([key, value])
    return [ident, classes, kvs]


def _escape_uri(url: str) -> str:
    out = []
    for char in url:
        if char in _URL_ESCAPE:
            out.append("".join(f"%{b:02X}" for b in char.encode()))
        elif char > "\x7f" and (char.isspace() or unicodedata.category(char) == "Zs"):
            raise Unsupported("non-ASCII space in a URL")
        else:
            out.append(char)
    return "".join(out)


def _only_attrs(el: etree._Element, allowed: frozenset[str] | tuple[str, ...]) -> None:
    for key in el.attrib:
        if key not in allowed:
            raise Unsupported(f"<{el.tag} {key}>")


def _collapse_code(text: str) -> str:
    return re.sub(r"[ \t\n\f]+", " ", text)


class _Builder:
    def __init__(self) -> None:
        self.header_ids: set[str] = set()
        self.notes: dict[str, list[dict]] = {}
        self.note_refs: list[tuple[dict, str]] = []
        self.in_note = False

    # -- inline content ------------------------------------------------------------------

    def inlines(self, el: etree._Element) -> list[dict]:
        """The inlines of ``el``'s content (its text and children, not its tail)."""
        out: list[dict] = []
        _text(out, el.text)
        for child in el:
            self.inline(out, child)
            _text(out, child.tail)
        return out

    def inline(self, out: list[dict], el: etree._Element) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            raise Unsupported("comment or processing instruction")
        kind = _WRAPPERS.get(tag)
        if kind is not None:
            _only_attrs(el, _IGNORED_ATTRS)
            _extract_spaces(out, self.inlines(el), lambda c: {"t": kind, "c": c})
        elif tag == "a":
            self.link(out, el)
        elif tag == "span":
            classes = (el.get("class") or "").split()
            if {"smallcaps", "underline", "strikeout", "mark"} & set(classes) or el.get("style"):
                raise Unsupported("span with a special class")
            _append(out, {"t": "Span", "c": [_attr(el), self.inlines(el)]})
        elif tag == "br":
            _only_attrs(el, ())
            if len(el) or el.text:
                raise Unsupported("br with content")
            _append(out, _LINE)
        elif tag == "code":
            if len(el):
                raise Unsupported("code with elements")
            _append(out, {"t": "Code", "c": [_attr(el), _collapse_code(el.text or "")]})
        elif tag == "img":
            self.image(out, el)
        elif tag == "small":
            _only_attrs(el, _IGNORED_ATTRS)
            _extract_spaces(
                out, self.inlines(el), lambda c: {"t": "Span", "c": [["", ["small"], []], c]}
            )
        elif tag in _TRANSPARENT:
            _only_attrs(el, _IGNORED_ATTRS)
            _extend(out, self.inlines(el))
        elif tag in _SPAN_LIKE:
            attr = _attr(el)
            attr[1] = [tag, *attr[1]]
            _append(out, {"t": "Span", "c": [attr, self.inlines(el)]})
        else:
            raise Unsupported(f"inline <{tag}>")

    def link(self, out: list[dict], el: etree._Element) -> None:
        role = el.get("role")
        if role == "doc-noteref":
            href = el.get("href") or ""
            if not href.startswith("#") or self.in_note:
                raise Unsupported("footnote reference shape")
            note = {"t": "Note", "c": []}
            self.note_refs.append((note, href[1:]))
            _append(out, note)
            return
        if role == "doc-backlink" and self.in_note:
            return
        ident = el.get("id")
        if ident is None:
            ident = el.get("name") or ""
        classes = (el.get("class") or "").split()
        kvs = [
            [k, v]
            for k, v in el.attrib.items()
            if k not in ("id", "name", "class", "href", "title")
        ]
        for key, _ in kvs:
            if key.startswith(("data-", "{")) or key == "style":
                raise Unsupported(f"link attribute {key}")
        content = self.inlines(el)
        href = el.get("href")
        if href is None:
            _extract_spaces(out, content, lambda c: {"t": "Span", "c": [[ident, classes, kvs], c]})
            return
        target = [_escape_uri(href), el.get("title") or ""]
        _extract_spaces(
            out, content, lambda c: {"t": "Link", "c": [[ident, classes, kvs], c, target]}
        )

    def image(self, out: list[dict], el: etree._Element) -> None:
        _only_attrs(el, ("src", "alt", "title", "id", "class", "width", "height"))
        src = el.get("src")
        if src is None or len(el) or el.text:
            raise Unsupported("image shape")
        kvs = [[k, el.get(k)] for k in ("width", "height") if el.get(k)]
        attr = [el.get("id") or "", (el.get("class") or "").split(), kvs]
        alt = _builder_text(el.get("alt") or "")
        _append(out, {"t": "Image", "c": [attr, alt, [_escape_uri(src), el.get("title") or ""]]})

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, el: etree._Element) -> list[dict]:
        """The blocks of ``el``'s content: block children, inline runs as Plain."""
        out: list[dict] = []
        run: list[dict] = []

        _text(run, el.text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag in _BLOCK_TAGS:
                _flush_plain(run, out)
                self.block(out, child)
            else:
                self.inline(run, child)
            _text(run, child.tail)
        _flush_plain(run, out)
        return out

    def block(self, out: list[dict], el: etree._Element) -> None:
        tag = el.tag
        if tag == "p":
            _only_attrs(el, ("id", "lang", "dir", "class"))
            content = _trim(self.inlines(el))
            if content:
                out.append({"t": "Para", "c": content})
        elif tag in _HEADINGS:
            self.header(out, el)
        elif tag == "ul":
            _only_attrs(el, ("id",))
            out.append({"t": "BulletList", "c": self.items(el)})
        elif tag == "ol":
            self.ordered(out, el)
        elif tag == "dl":
            self.definitions(out, el)
        elif tag == "blockquote":
            _only_attrs(el, ("id", "lang", "dir", "class"))
            out.append({"t": "BlockQuote", "c": _fix_plains(self.blocks(el), False)})
        elif tag == "pre":
            self.code_block(out, el)
        elif tag == "hr":
            _only_attrs(el, ())
            if len(el) or (el.text or "").strip(_WS):
                raise Unsupported("hr with content")
            out.append({"t": "HorizontalRule"})
        elif tag == "div":
            out.append({"t": "Div", "c": [_attr(el), self.blocks(el)]})
        elif tag == "figure":
            self.figure(out, el)
        elif tag == "section":
            self.footnotes(el)
        elif tag == "address":
            _only_attrs(el, ("id",))
            if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
                raise Unsupported("address with blocks")
            content = _trim(self.inlines(el))
            if content:
                out.append({"t": "Plain", "c": content})
        elif tag == "table":
            self.table(out, el)
        else:
            raise Unsupported(f"block <{tag}>")

    def header(self, out: list[dict], el: etree._Element) -> None:
        level = int(el.tag[1])
        attr = _attr(el)
        if "title" in attr[1] and el.tag == "h1":
            raise Unsupported("h1.title")
        content = _trim(self.inlines(el))
        if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
            raise Unsupported("block inside a heading")
        if attr[0]:
            self.header_ids.add(attr[0])
        else:
            attr[0] = self.unique_ident(content)
        out.append({"t": "Header", "c": [level, attr, content]})

    def unique_ident(self, content: list[dict]) -> str:
        base = _identifier(_stringify(content)) or "section"
        ident = base
        number = 0
        while ident in self.header_ids:
            number += 1
            ident = f"{base}-{number}"
        self.header_ids.add(ident)
        return ident

    def items(self, el: etree._Element) -> list[list[dict]]:
        items = []
        if (el.text or "").strip(_WS):
            raise Unsupported("text between list items")
        for li in el:
            if li.tag != "li" or (li.tail or "").strip(_WS):
                raise Unsupported("list child that is not an item")
            _only_attrs(li, ("id", "value"))
            blocks = self.blocks(li)
            ident = li.get("id")
            if ident is not None:
                if blocks and blocks[0]["t"] == "Plain":
                    first = {"t": "Plain", "c": [{"t": "Span", "c": [[ident, [], []], blocks[0]["c"]]}]}
                    blocks = [first, *blocks[1:]]
                else:
                    blocks = [{"t": "Div", "c": [[ident, [], []], blocks]}]
            items.append(_fix_plains(blocks, True))
        return items

    def ordered(self, out: list[dict], el: etree._Element) -> None:
        _only_attrs(el, ("id", "start", "type"))
        start_text = el.get("start", "1")
        if not re.fullmatch(r"[0-9]{1,9}", start_text):
            raise Unsupported("ol start")
        style = {"i": "LowerRoman", "I": "UpperRoman", "a": "LowerAlpha", "A": "UpperAlpha",
                 "1": "Decimal"}.get(el.get("type", ""), "DefaultStyle")  # fmt: skip
        attrs = [int(start_text), {"t": style}, {"t": "DefaultDelim"}]
        out.append({"t": "OrderedList", "c": [attrs, self.items(el)]})

    def definitions(self, out: list[dict], el: etree._Element) -> None:
        _only_attrs(el, ())
        if (el.text or "").strip(_WS):
            raise Unsupported("text in dl")
        children = list(el)
        items = []
        i = 0
        while i < len(children):
            terms = []
            while i < len(children) and children[i].tag == "dt":
                terms.append(children[i])
                i += 1
            defs = []
            while i < len(children) and children[i].tag == "dd":
                defs.append(children[i])
                i += 1
            if not terms or not defs:
                raise Unsupported("dl shape")
            term: list[dict] = []
            for index, dt in enumerate(terms):
                _only_attrs(dt, ())
                if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in dt):
                    raise Unsupported("block in dt")
                if index:
                    _append(term, _LINE)
                _extend(term, _trim(self.inlines(dt)))
            definitions = []
            for dd in defs:
                _only_attrs(dd, ())
                definitions.append(_fix_plains(self.blocks(dd), True))
            items.append([term, definitions])
        for child in children:
            if (child.tail or "").strip(_WS):
                raise Unsupported("text in dl")
        out.append({"t": "DefinitionList", "c": items})

    def code_block(self, out: list[dict], el: etree._Element) -> None:
        # pandoc keeps the text of every element inside <pre> (a <br> is a line feed) and
        # takes the classes of a leading <code> ("language-" dropped) when <pre> has none.
        parts: list[str] = []

        def walk(node: etree._Element) -> None:
            if node.text:
                parts.append(node.text)
            for child in node:
                if not isinstance(child.tag, str) or child.tag not in _PRE_INLINE:
                    raise Unsupported("markup in pre")
                if child.tag == "br":
                    if len(child) or child.text:
                        raise Unsupported("br with content")
                    parts.append("\n")
                else:
                    walk(child)
                if child.tail:
                    parts.append(child.tail)

        walk(el)
        text = "".join(parts)
        if _BAD_TEXT.search(text):
            raise Unsupported("CR or C1 control in pre")
        first = el[0] if len(el) and not el.text else None
        if el.attrib:
            attr = _attr(el)
        elif first is not None and first.tag == "code":
            _only_attrs(first, ("class",))
            attr = ["", [c.removeprefix("language-") for c in first.get("class", "").split()], []]
        else:
            attr = ["", [], []]
        for code in el.iter("code"):
            if code is not first and code.attrib:
                raise Unsupported("code with attributes in pre")
        out.append({"t": "CodeBlock", "c": [attr, text.removesuffix("\n")]})

    def figure(self, out: list[dict], el: etree._Element) -> None:
        attr = _attr(el)
        caption: list[dict] | None = None
        blocks: list[dict] = []
        run: list[dict] = []

        _text(run, el.text)
        for child in el:
            if child.tag == "figcaption":
                _flush_plain(run, blocks)
                if caption is None:
                    caption = self.blocks(child)
                else:
                    raise Unsupported("two captions")
            elif isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                _flush_plain(run, blocks)
                self.block(blocks, child)
            else:
                self.inline(run, child)
            _text(run, child.tail)
        _flush_plain(run, blocks)
        out.append({"t": "Figure", "c": [attr, [None, caption or []], blocks]})

    def footnotes(self, el: etree._Element) -> None:
        if el.get("role") != "doc-endnotes" or self.in_note:
            raise Unsupported("section")
        children = [c for c in el if isinstance(c.tag, str)]
        if len(children) != len(el) or (el.text or "").strip(_WS):
            raise Unsupported("footnote section shape")
        if children and children[0].tag == "hr":
            children = children[1:]
        if len(children) != 1 or children[0].tag != "ol" or set(children[0].attrib) - {"type"}:
            raise Unsupported("footnote section shape")
        self.in_note = True
        try:
            for li in children[0]:
                if li.tag != "li" or set(li.attrib) != {"id"}:
                    raise Unsupported("footnote item shape")
                self.notes[li.get("id")] = self.blocks(li)
        finally:
            self.in_note = False

    def table(self, out: list[dict], el: etree._Element) -> None:
        """pandoc's HTML table reader: caption, head (thead, else a leading all-<th> row),
        bodies (leading all-<th> rows are the body's head rows), spans, alignments."""
        attr = _attr(el)
        if (el.text or "").strip(_WS):
            raise Unsupported("text in table")
        children = list(el)
        for child in children:
            if not isinstance(child.tag, str) or (child.tail or "").strip(_WS):
                raise Unsupported("text or comment in table")
        caption: list[dict] = []
        if children and children[0].tag == "caption":
            _only_attrs(children[0], ())
            caption = self.blocks(children[0])
            children = children[1:]
        # Column groups that set no width (Confluence's "<colgroup><col/><col/></colgroup>")
        # give pandoc's reader nothing: every column keeps its default width.
        while children and children[0].tag in ("colgroup", "col"):
            group = children.pop(0)
            cols = [group] if group.tag == "col" else list(group)
            if group.attrib or (group.text or "").strip(_WS) or any(
                    not isinstance(c.tag, str) or c.tag != "col" or c.attrib or len(c) or (c.tail or "").strip(_WS)
                    for c in cols if c is not group):
                raise Unsupported("column widths")
        head_attr: list = ["", [], []]
        head_rows: list[list] = []
        if children and children[0].tag == "thead":
            thead = children.pop(0)
            head_attr = _attr(thead)
            head_rows = [self.row(tr)[1] for tr in self.rows_of(thead)]
        elif children and children[0].tag == "tr" and self.all_th(children[0]):
            head_rows = [self.row(children.pop(0))[1]]
        bodies: list[list] = []
        loose: list[etree._Element] = []

        def body(rows: list[etree._Element], body_attr: list) -> None:
            heads = []
            index = 0
            while index < len(rows) and self.all_th(rows[index]):
                heads.append(self.row(rows[index])[1])
                index += 1
            if index == len(rows):
                raise Unsupported("table body without a data row")
            row_heads = 0
            plain = []
            for tr in rows[index:]:
                count, row = self.row(tr)
                row_heads = max(row_heads, count)
                plain.append(row)
            bodies.append([body_attr, row_heads, heads, plain])

        for child in children:
            if child.tag == "tr":
                loose.append(child)
                continue
            if loose:
                body(loose, ["", [], []])
                loose = []
            if child.tag != "tbody":
                raise Unsupported(f"<{child.tag}> in table")
            body(self.rows_of(child), _attr(child))
        if loose:
            body(loose, ["", [], []])
        rows = head_rows + [r for b in bodies for r in b[2] + b[3]]
        if not rows:
            raise Unsupported("empty table")
        if any(cell[2] != 1 for row in rows for cell in row[1]):
            raise Unsupported("rowspan")  # pandoc's builder redistributes the grid
        ncols = max(sum(cell[3] for cell in row[1]) for row in rows)
        for row in rows:  # the builder pads short rows with empty cells
            row[1].extend(
                [["", [], []], "AlignDefault", 1, 1, []]
                for _ in range(ncols - sum(cell[3] for cell in row[1]))
            )
        for b in bodies:
            b[1] = min(b[1], ncols)
            if b[1] and any(not _splits_at(r, b[1]) for r in b[2] + b[3]):
                raise Unsupported("a cell spans the row-head boundary")
        simple = all(_simple_cell(cell[4]) for row in rows for cell in row[1])
        first = (bodies[0][2] + bodies[0][3])[0][1] if bodies else []
        aligns = [cell[1] for cell in first for _ in range(cell[3])][:ncols]
        aligns += ["AlignDefault"] * (ncols - len(aligns))
        width = {"t": "ColWidthDefault"} if simple else {"t": "ColWidth", "c": 1 / ncols}
        colspecs = [[{"t": a}, width] for a in aligns]
        out.append({"t": "Table", "c": [
            attr, [None, caption], colspecs, [head_attr, [self.json_row(r) for r in head_rows]],
            [[b[0], b[1], [self.json_row(r) for r in b[2]], [self.json_row(r) for r in b[3]]]
             for b in bodies],
            [["", [], []], []],
        ]})  # fmt: skip

    @staticmethod
    def rows_of(section: etree._Element) -> list[etree._Element]:
        if (section.text or "").strip(_WS):
            raise Unsupported("text in a table section")
        rows = list(section)
        for tr in rows:
            if tr.tag != "tr" or (tr.tail or "").strip(_WS):
                raise Unsupported("table section shape")
        return rows

    @staticmethod
    def all_th(tr: etree._Element) -> bool:
        return len(tr) > 0 and all(cell.tag == "th" for cell in tr)

    def row(self, tr: etree._Element) -> tuple[int, list]:
        """Return (leading header cells, [attr, cells]); a cell is [attr, align, rs, cs, blocks]."""
        attr = _attr(tr)
        if (tr.text or "").strip(_WS) or not len(tr):
            raise Unsupported("table row shape")
        cells = []
        heads = 0
        leading = True
        for cell in tr:
            if cell.tag not in ("td", "th") or (cell.tail or "").strip(_WS):
                raise Unsupported("table row shape")
            if cell.tag == "th" and leading:
                heads += 1
            else:
                leading = False
            align = {"left": "AlignLeft", "right": "AlignRight", "center": "AlignCenter"}.get(
                cell.get("align", ""), "AlignDefault"
            )
            spans = []
            for name in ("rowspan", "colspan"):
                value = cell.get(name, "1")
                if not re.fullmatch(r"[0-9]{1,6}", value):
                    raise Unsupported(f"{name} {value!r}")
                spans.append(int(value))
            kept = [k for k in cell.attrib if k not in ("align", "rowspan", "colspan")]
            cell_attr = ["", [], []]
            for key in kept:
                value = cell.get(key)
                if key.startswith(("{", "data-")) or key == "style":
                    raise Unsupported(f"cell attribute {key}")
                if key == "id":
                    cell_attr[0] = value
                elif key == "class":
                    cell_attr[1] = value.split()
                else:
                    cell_attr[2].append([key, value])
            cells.append([cell_attr, align, spans[0], spans[1], self.blocks(cell)])
        return heads, [attr, cells]

    @staticmethod
    def json_row(row: list) -> list:
        return [row[0], [[c[0], {"t": c[1]}, c[2], c[3], c[4]] for c in row[1]]]


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "dl", "blockquote", "pre", "hr", "div", "figure", "section", "address",
     "table", "li", "dt", "dd", "figcaption", "article", "header", "footer", "aside", "nav",
     "main", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col"}
    | _HEADINGS
)  # fmt: skip
_PRE_INLINE = frozenset(
    {"br", "code", "b", "strong", "i", "em", "span", "a", "u", "s", "sub", "sup", "small",
     "kbd", "samp", "var"}
)
_PARAISH = frozenset({"Para", "CodeBlock", "Header", "BlockQuote"})
_LISTS = frozenset({"BulletList", "OrderedList", "DefinitionList"})


def _fix_plains(blocks: list[dict], in_list: bool) -> list[dict]:
    if any(b["t"] in _PARAISH or (not in_list and b["t"] in _LISTS) for b in blocks):
        return [{"t": "Para", "c": b["c"]} if b["t"] == "Plain" else b for b in blocks]
    return blocks


def _has_line_break(items: list) -> bool:
    for item in items:
        if isinstance(item, dict):
            if item.get("t") == "LineBreak":
                return True
            content = item.get("c")
            if isinstance(content, list) and _has_line_break(content):
                return True
        elif isinstance(item, list) and _has_line_break(item):
            return True
    return False


def _splits_at(row: list, column: int) -> bool:
    edge = 0
    for cell in row[1]:
        if edge < column < edge + cell[3]:
            return False
        edge += cell[3]
    return True


def _simple_cell(blocks: list[dict]) -> bool:
    """pandoc's onlySimpleTableCells for one cell: empty, or one Plain/Para without breaks."""
    if not blocks:
        return True
    return len(blocks) == 1 and blocks[0]["t"] in ("Plain", "Para") and not _has_line_break(
        blocks[0]["c"]
    )


def _stringify(inlines: list[dict]) -> str:
    parts: list[str] = []

    def go(items: list[dict]) -> None:
        for item in items:
            t = item["t"]
            if t == "Str":
                parts.append(item["c"])
            elif t in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif t == "Code":
                parts.append(item["c"][1])
            elif t in _MERGING:
                go(item["c"])
            elif t in ("Span", "Link", "Image"):
                go(item["c"][1])
            elif t == "Note":
                continue
            else:
                raise Unsupported(f"{t} in a heading")

    go(inlines)
    return "".join(parts)


def _identifier(text: str) -> str:
    """pandoc's auto identifier (not GitHub's) for a heading's text."""
    kept = []
    # Haskell's toLower has no final-sigma rule: every capital sigma becomes σ.
    for char in text.replace("\u03a3", "\u03c3").lower():
        if char in " \t\n\f\r" or char in "_-." or unicodedata.category(char)[0] in "LN":
            kept.append(char)
        elif char.isspace():
            kept.append(" ")
    words = "".join(kept).split()
    ident = "-".join(words)
    start = 0
    while start < len(ident) and unicodedata.category(ident[start])[0] != "L":
        start += 1
    return ident[start:]


def _meta(head: etree._Element | None, root: etree._Element, builder: _Builder) -> dict:
    meta: dict = {}
    lang = root.get("lang")
    if lang is not None:
        meta["lang"] = {"t": "MetaInlines", "c": _builder_text(lang)}
    if head is None:
        return meta
    _only_attrs(head, ())
    if (head.text or "").strip(_WS):
        raise Unsupported("text in head")
    for child in head:
        if (child.tail or "").strip(_WS):
            raise Unsupported("text in head")
        if child.tag == "title":
            _only_attrs(child, ())
            if len(child) or "title" in meta:
                raise Unsupported("title shape")
            meta["title"] = {"t": "MetaInlines", "c": _trim(builder.inlines(child))}
        elif child.tag == "meta":
            name = child.get("name")
            if not name:
                continue
            if name in meta or name in ("lang", "title"):
                raise Unsupported("repeated meta")
            meta[name] = {"t": "MetaInlines", "c": _builder_text(child.get("content") or "")}
        else:
            raise Unsupported(f"<{child.tag}> in head")
    return meta


def _resolve_notes(builder: _Builder) -> None:
    for note, ref in builder.note_refs:
        blocks = builder.notes.get(ref)
        if blocks is None:
            raise Unsupported("footnote without its text")
        note["c"] = blocks


def build(page: etree._Element) -> dict:
    """Return the pandoc document (as a JSON-ready dict); raise Unsupported."""
    if page.tag != "html" or len(page) != 2:
        raise Unsupported("page shape")
    _only_attrs(page, ("lang", "dir"))
    head, body = page[0], page[1]
    if head.tag != "head" or body.tag != "body" or body.attrib:
        raise Unsupported("page shape")
    builder = _Builder()
    meta = _meta(head, page, builder)
    if len(body) != 1 or body[0].tag != "article" or body[0].attrib:
        raise Unsupported("body shape")
    if (body.text or "").strip(_WS) or (body[0].tail or "").strip(_WS):
        raise Unsupported("text in body")
    blocks = _fix_plains(builder.blocks(body[0]), False)
    _resolve_notes(builder)
    return {"pandoc-api-version": API_VERSION, "meta": meta, "blocks": blocks}


def page_to_ast(page: etree._Element) -> dict | None:
    """Return pandoc's document (a JSON-ready dict) for the DOCX page, or None when the page
    has markup not modelled."""
    try:
        return build(page)
    except Unsupported:
        return None


def encode(doc: dict) -> str:
    """Return the JSON text of a document ``build`` made."""
    return _ENCODER.encode(doc)


def page_to_json(page: etree._Element) -> str | None:
    """Return pandoc's JSON for the DOCX page, or None when the page has markup not modelled."""
    doc = page_to_ast(page)
    return None if doc is None else encode(doc)
