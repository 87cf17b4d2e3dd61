"""Plain-text reader: keeps every source line; the normaliser decides what lines mean.

    Title line
    First paragraph line.
    -
    Item text

    Next block after a blank line.
    ->
    <p data-line="1">Title line<br data-soft="1"/>First paragraph line.<br data-soft="1"/>-
       <br data-soft="1"/>Item text</p>
    <p data-line="6">Next block after a blank line.</p>

Text scraped from a web page has one paragraph per line, a 72-column newsletter has
hard-wrapped paragraphs separated by blank lines: the reader cannot tell which, so it keeps
blank-line blocks as paragraphs and each source line break as a soft ``<br>``; the
``paragraphs.lines`` pass splits or joins them.

Three kinds of block carry structure only the raw lines show, so the reader builds them:
a block whose every line starts with "> " is a quotation; lines of tab-separated cells (a
table copied from a web page or a spreadsheet) are a table; and code selected in a chat
assistant's window, which arrives under its toolbar's language and button lines, is a code
block with its indentation (the normaliser collapses runs of spaces outside code):

    python
    Copy code                      ->   <pre><code class="language-python">import csv
    import csv
                                            with open(...) as f:
    with open(...) as f:                        rows = list(csv.reader(f))</code></pre>
        rows = list(csv.reader(f))          <p>Then count the rows.</p>

    Then count the rows.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..document import Change, Document, Metadata, new_body
from ..normalise.patterns import (CODE_LANGUAGES, CODE_SIGNS, COPY_BUTTON, COPY_CODE_BUTTON, WORD_PASTE_ITEM,
                                  WORD_PASTE_LEVELS)
from . import bbcode
from .prose import PROSE_LINE, reads_as_prose


def soft_break() -> lxml_html.HtmlElement:
    """Return a ``<br>`` marking a source line break whose meaning is still unknown."""
    return lxml_html.Element("br", {"data-soft": "1"})


def lines_paragraph(lines: list[str], first_line: int) -> lxml_html.HtmlElement:
    """Return a ``<p>`` holding ``lines`` separated by soft breaks."""
    p = lxml_html.Element("p", {"data-line": str(first_line)})
    p.text = lines[0]
    for line in lines[1:]:
        br = soft_break()
        br.tail = line
        p.append(br)
    return p


# A quoted line, as e-mail and newsletters write it: "> The night train is back."
QUOTED = re.compile(r"^\s*>\s?")


# The line an e-mail client puts over the message a reply quotes.
REPLY_ATTRIBUTION = re.compile(r"\b(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s?:$", re.IGNORECASE)


def _quotation(lines: list[str], first_line: int) -> lxml_html.HtmlElement:
    """Quoted lines as a ``<blockquote>`` without their markers, a paragraph per run of
    lines between empty quoted lines (">")."""
    quote = lxml_html.Element("blockquote", {"data-line": str(first_line)})
    paragraph: list[str] = []
    start = first_line
    for number, line in enumerate([QUOTED.sub("", line, count=1) for line in lines], start=first_line):
        if line.strip():
            if not paragraph:
                start = number
            paragraph.append(line)
        elif paragraph:
            quote.append(lines_paragraph(paragraph, start))
            paragraph = []
    if paragraph:
        quote.append(lines_paragraph(paragraph, start))
    return quote


def block_element(lines: list[str], first_line: int) -> list[lxml_html.HtmlElement]:
    """A block of lines as a ``<p>``, or as a ``<blockquote>`` when every line of it is quoted
    with "> " (the markers go); a reply's attribution line ("On Tue, 14 Oct 2025, Alan Marsh
    <…> wrote:") with the quoted lines under it is a paragraph and the quotation."""
    if all(QUOTED.match(line) for line in lines):
        return [_quotation(lines, first_line)]
    head = next((i for i, line in enumerate(lines) if QUOTED.match(line)), len(lines))
    if 0 < head < len(lines) and REPLY_ATTRIBUTION.search(lines[head - 1]) \
            and all(QUOTED.match(line) for line in lines[head:]):
        return [lines_paragraph(lines[:head], first_line), _quotation(lines[head:], first_line + head)]
    return [lines_paragraph(lines, first_line)]


def _cells(line: str) -> list[str] | None:
    """A line's cells when tabs separate them ("06:30\t07:05\tDaily"); leading tabs indent."""
    core = line.strip()
    if "\t" not in core:
        return None
    return [cell.strip() for cell in core.split("\t")]


def _table(rows: list[list[str]], first_line: int) -> lxml_html.HtmlElement:
    """Rows copied from a web page's or spreadsheet's table, as a ``<table>``. The first row is
    its header unless it holds figures (then the copy started below the header)."""
    table = lxml_html.Element("table", {"data-line": str(first_line)})
    header = not any(ch.isdigit() for cell in rows[0] for ch in cell) or _years_over_figures(rows)
    if header:
        tr = etree.SubElement(etree.SubElement(table, "thead"), "tr")
        for cell in rows[0]:
            etree.SubElement(tr, "th").text = cell or None
        rows = rows[1:]
    body = etree.SubElement(table, "tbody")
    for row in rows:
        tr = etree.SubElement(body, "tr")
        for cell in row:
            etree.SubElement(tr, "td").text = cell or None
    return table


# Cells of a table laid out with spaces: two spaces or more (or a tab) part them.
SPACED_CELLS = re.compile(r"[ \t]{2,}|\t")
# A spaced table's rows at least (its header and two), and a cell's words at most.
SPACED_TABLE_MIN_ROWS = 3
SPACED_CELL_MAX_WORDS = 6


def _columns(line: str) -> list[tuple[int, int, str]] | None:
    """A line's cells with where each starts and ends, when spaces part two or more of them."""
    core = line.rstrip()
    if not core.strip():
        return None
    cells = []
    start = len(core) - len(core.lstrip())
    for gap in SPACED_CELLS.finditer(core, start):
        cells.append((start, gap.start(), core[start:gap.start()]))
        start = gap.end()
    cells.append((start, len(core), core[start:]))
    if len(cells) < 2 or any(len(c[2].split()) > SPACED_CELL_MAX_WORDS for c in cells):
        return None
    return cells


def _aligned(first: list[tuple[int, int, str]], row: list[tuple[int, int, str]] | None) -> bool:
    """Whether ``row`` has ``first``'s cells, each starting or ending where its cell does
    (left-aligned text, right-aligned figures)."""
    return row is not None and len(row) == len(first) and all(
        a[0] == b[0] or a[1] == b[1] for a, b in zip(first[1:], row[1:], strict=True))


def _spaced_table_end(rows: list[list[tuple[int, int, str]] | None], i: int) -> int:
    """The end of the run of aligned rows that starts at ``i`` (``i`` when there is none)."""
    first = rows[i]
    if first is None:
        return i
    end = i + 1
    while end < len(rows) and _aligned(first, rows[end]):
        end += 1
    return end if end - i >= SPACED_TABLE_MIN_ROWS else i


YEAR = re.compile(r"^(1[89]|20)\d\d$")
FIGURE = re.compile(r"^[-+−]?[\d.,]+\s?%?$")


def _years_over_figures(rows: list[list[str]]) -> bool:
    """A first row whose figures are all years, over rows of figures that are not: the header
    of a table by year ("Site  2024  2025")."""
    figures = [cell for cell in rows[0] if any(ch.isdigit() for ch in cell)]
    below = [cell for row in rows[1:] for cell in row if FIGURE.match(cell)]
    return (bool(figures) and all(YEAR.match(cell) for cell in figures) and bool(below)
            and not all(YEAR.match(cell) for cell in below))


def _spaced(lines: list[str]) -> list[str]:
    return [line.replace("\t", "    ") for line in lines]


def _word_paste_items(lines: list[str]) -> list[str]:
    """Items pasted from Word (a marker and a tab: "•\tGuiding", "o\tSaturdays") as list lines
    whose indent is their level ("• Guiding", "    ◦ Saturdays"): a sub-level is a bullet
    ("o", "§") or a letter or roman number, as Word's defaults go. Other lines, and a line
    with a second tab (a table ranked "1.\tSaltcote\t412"), are kept."""
    if not any("\t" in line for line in lines):
        return lines
    out = []
    for line in lines:
        m = WORD_PASTE_ITEM.match(line)
        if m is None or "\t" in line[m.end():]:  # (a table whose first column is a rank)
            out.append(line)
            continue
        marker = m.group("marker")
        if marker[:1].isdigit():
            level, marker = 0, marker
        elif marker[-1:] in ".)" and marker[:1].isalpha():
            level, marker = (2 if len(marker) > 2 else 1), marker[:-1] + ")"
        else:
            level = WORD_PASTE_LEVELS.get(marker, 0)
            marker = ("•", "◦", "▪")[level]
        out.append(f"{'    ' * level}{marker} {line[m.end():]}")
    return out


def block_elements(lines: list[str], first_line: int) -> list[lxml_html.HtmlElement]:
    """A block of lines as elements: two lines or more with the same number of tab-separated
    cells (two or more) are a table, and so are three lines or more whose cells (two or more,
    of a few words each) spaces part and align; the lines around them, and every other block,
    as ``block_element`` reads them."""
    lines = _word_paste_items(lines)
    cells = [_cells(line) for line in lines]
    columns = [_columns(line) for line in lines]
    out: list[lxml_html.HtmlElement] = []
    plain = 0  # the first line not yet placed
    i = 0
    while i < len(lines):
        row = cells[i]
        end = i + 1
        while row is not None and end < len(lines) and cells[end] is not None \
                and len(cells[end]) == len(row):
            end += 1
        spaced = row is None or len(row) < 2 or end - i < 2
        if spaced:
            # Columns aligned with spaces (a table copied out of a PDF or a plain-text e-mail).
            end = _spaced_table_end(columns, i)
            if end == i:
                i += 1
                continue
            table_rows = [[c[2].strip() for c in columns[k] or []] for k in range(i, end)]
        else:
            table_rows = [c for c in cells[i:end] if c is not None]
        if plain < i:
            out.extend(block_element(_spaced(lines[plain:i]), first_line + plain))
        out.append(_table(table_rows, first_line + i))
        if spaced:
            out[-1].set("data-spaced", "1")
        plain = i = end
    if plain < len(lines):
        out.extend(block_element(_spaced(lines[plain:]), first_line + plain))
    return out


def _ends_code(block: list[str]) -> bool:
    """A block after copied code that is the article again: sentences of prose, or a title
    line (a capital at the margin, eight words at most, no operator, brace or call)."""
    if reads_as_prose(block, min_words=4):
        return True
    line = block[0]
    words = line.split()
    return (len(block) == 1 and 2 <= len(words) <= 8 and PROSE_LINE.match(line) is not None
            and not CODE_SIGNS.search(line))


def _copy_button(block: list[str], previous: list[str] | None) -> int | None:
    """The index in ``block`` of a copied code block's button ("Copy code"), after its
    language line; None when the block has none."""
    for k, line in enumerate(block):
        if not COPY_BUTTON.match(line):
            continue
        label = block[k - 1] if k else (previous[-1] if previous and len(previous) == 1 else None)
        if label is not None and label.strip().casefold() in CODE_LANGUAGES:
            return k
        if COPY_CODE_BUTTON.match(line):
            return k
    return None


def _code_element(lines: list[str], language: str | None, first_line: int) -> lxml_html.HtmlElement:
    pre = lxml_html.Element("pre", {"data-line": str(first_line)})
    code = etree.SubElement(pre, "code")
    if language:
        code.set("class", f"language-{language}")
    code.text = "\n".join(lines)
    return pre


def _lines_blocks(text: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """(first line number, lines) for each blank-line-separated block of ``text``."""
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=first_line):
        line = raw.rstrip()
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            blocks.append((start, block))
            block = []
    if block:
        blocks.append((start, block))
    return blocks


def _copied_code(blocks: list[tuple[int, list[str]]], i: int, button: int,
                 body: lxml_html.HtmlElement) -> tuple[int, Change | None]:
    """Append block ``i`` (its copy button at line ``button``) and the code blocks after it
    to ``body``; return the index of the next block and the change made (None when no code
    follows the button: then the lines stay text)."""
    start, lines = blocks[i]
    label = lines[button - 1].strip() if button else None
    if label is not None and label.casefold() not in CODE_LANGUAGES:
        label = None
    before = button - 1 if label is not None else button
    own_line = (label is None and button == 0 and i > 0 and len(blocks[i - 1][1]) == 1
                and blocks[i - 1][1][0].strip().casefold() in CODE_LANGUAGES)  # "python" / "" / "Copy"
    code = _spaced(lines[button + 1:])
    if code and code[0].strip().casefold() == "edit":  # "Copy" / "Edit" buttons
        code = code[1:]
    last = start + len(lines) - 1
    j = i + 1
    while j < len(blocks) and not _ends_code(blocks[j][1]) and _copy_button(blocks[j][1], None) is None:
        block_start, block_lines = blocks[j]
        if code:
            code.extend([""] * (block_start - last - 1))
        code.extend(_spaced(block_lines))
        last = block_start + len(block_lines) - 1
        j += 1
    if not code:  # a toolbar with no code after it: its lines stay as they came
        body.extend(block_elements(lines, start))
        return i + 1, None
    if before > 0:
        body.extend(block_elements(lines[:before], start))
    if own_line:
        label = body[-1].text.strip()
        body.remove(body[-1])
    body.append(_code_element(code, label.casefold() if label else None, start + button))
    toolbar = " / ".join(x.strip() for x in ([label] if label else []) + [lines[button]])
    return j, Change("text.copied-code", f"line {start + button}", toolbar, f"code block of {len(code)} lines")


def _read_lines(text: str, first_line: int, body: etree._Element, changes: list[Change]) -> None:
    """Append the blocks of plain ``text`` (its first line numbered ``first_line``) to ``body``."""
    blocks = _lines_blocks(text, first_line)
    i = 0
    while i < len(blocks):
        start, lines = blocks[i]
        button = _copy_button(lines, blocks[i - 1][1] if i else None)
        if button is None:
            body.extend(block_elements(lines, start))
            i += 1
            continue
        i, change = _copied_code(blocks, i, button, body)
        if change is not None:
            changes.append(change)


def _read_forum_markup(text: str, first_line: int, body: etree._Element, changes: list[Change],
                       depth: int = 0) -> None:
    """Append ``text`` to ``body``, its BBCode lists, quotations, code and rules as blocks (a
    quotation's text read as text again) and the text between them as plain text. Blocks
    nested deeper than ``bbcode.MAX_DEPTH`` stay text."""
    if depth > bbcode.MAX_DEPTH:
        _read_lines(text, first_line, body, changes)
        return
    for part in bbcode.split_blocks(text, first_line):
        if isinstance(part, str):
            _read_lines(part, first_line, body, changes)
            first_line += part.count("\n")
            continue
        where = f"line {part.first_line}"
        if part.kind == "list":
            el = bbcode.list_element(part, lambda item_text, item: _read_item(item_text, item, depth + 1))
            changes.append(Change("text.bbcode-list", where, "[list] [*]…", f"list of {len(el)} items"))
        elif part.kind == "code":
            el = bbcode.code_element(part)
            changes.append(Change("text.bbcode-code", where, "[code]…[/code]", "code block"))
        elif part.kind == "hr":
            el = lxml_html.Element("hr", {"data-line": str(part.first_line)})
            changes.append(Change("text.bbcode-rule", where, "[hr]", "rule"))
        else:
            poster = bbcode.quote_poster(part.value)
            if poster:
                attribution = lxml_html.Element("p", {"data-line": str(part.first_line)})
                attribution.text = f"{poster} wrote:"
                body.append(attribution)
            el = lxml_html.Element("blockquote", {"data-line": str(part.first_line)})
            _read_forum_markup(part.inner, part.first_line, el, changes, depth + 1)
            changes.append(Change("text.bbcode-quote", where, "[quote]…[/quote]",
                                  f"quotation of {poster}" if poster else "quotation"))
        body.append(el)
        first_line = part.first_line + (part.inner.count("\n") if part.kind != "hr" else 0)


def _read_item(text: str, item: etree._Element, depth: int) -> None:
    """Fill a BBCode list item: its lines as one line of text, a list inside it as a list."""
    holder = new_body()
    _read_forum_markup(text, 0, holder, [], depth)
    for block in holder:
        if block.tag == "p" and len(item) == 0 and not item.text:
            item.text = " ".join(line.strip() for line in "\n".join(block.itertext()).split("\n") if line.strip())
            for child in block:  # images and links are read later, from the text; breaks go
                if child.tag != "br":
                    item.append(child)
        else:
            block.attrib.pop("data-line", None)
            item.append(block)


def read_text(text: str, source: Path | None = None) -> Document:
    """Read plain text: one ``<p>`` per blank-line-separated block, line breaks kept; a block
    whose every line starts with "> " is a quotation, tab-separated rows are a table, and
    code copied from a chat window with its toolbar ("python" / "Copy code") is a code block
    that runs until a block reads as prose again. A forum post's BBCode is read as the lists,
    quotations, code, emphasis, links and pictures it marks (see ``bbcode``)."""
    body = new_body()
    changes: list[Change] = []
    if bbcode.has_block_tags(text):
        _read_forum_markup(text, 1, body, changes)
    else:
        _read_lines(text, 1, body, changes)
    inline = sum(bbcode.read_inline(el) for el in body.iter("p", "li", "td", "th"))
    if inline:
        changes.append(Change("text.bbcode", "text", "[b]…[/b], [url=…]…[/url]", f"{inline} tags read"))
    for table in body.iter("table"):
        spaced = table.attrib.pop("data-spaced", None) is not None
        changes.append(Change("text.spaced-table" if spaced else "text.tab-table", f"line {table.get('data-line')}",
                              "space-aligned lines" if spaced else "tab-separated lines",
                              f"table of {len(table.xpath('.//tr'))} rows"))
    return Document(meta=Metadata(), body=body, kind="text", source=source, changes=changes)
