"""Writing systems in the shared rendering: paragraph direction, glyph coverage, long URLs.

    <html dir="ltr"> ... <p>النص العربي ...</p> <p>See <a href="https://x.org/a/b">https://x.org/a/b</a></p>
    ->
    <html dir="ltr"> ... <p dir="rtl">النص العربي ...</p> <p>See <a class="url" ...>...</a></p>

A paragraph's direction follows its first strong character, as HTML's ``dir="auto"`` would
(WeasyPrint and pandoc do not implement ``auto``, so it is resolved here): an Arabic paragraph
in an English article runs right to left and aligns right, an English one in a Hebrew article
left to right. Inside a line, the bidirectional algorithm already orders mixed runs.

``missing_glyphs`` tells which characters no installed font can draw, by script ("Han",
"Arabic"), so the PDF writer can warn instead of silently printing empty boxes. It asks
fontconfig (``fc-list``, the list Pango falls back on) once per process for every font's
character set; a document's distinct characters are then looked up in that table.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import shutil
import subprocess
import unicodedata

from lxml import etree

log = logging.getLogger("converter")

# Blocks whose text decides their own direction (lists and tables decide per item and cell).
DIRECTED = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "figcaption", "caption"}
)
# Text inside these never sets a paragraph's direction (code is always left to right).
_NO_DIRECTION = frozenset({"code", "pre", "kbd", "samp", "var", "sup", "sub", "ul", "ol"})
_STRONG = {"L": "ltr", "R": "rtl", "AL": "rtl"}
# Font files Pango (through HarfBuzz) can use; fontconfig also lists Type 1 and bitmap fonts.
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# Characters no font needs to draw: white space, controls, format characters (bidi marks,
# joiners, soft hyphen) and variation selectors, which shaping drops when a font lacks them.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"})
_LINK_TEXT_URL = ("http://", "https://", "ftp://", "www.")


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def first_strong_direction(el: etree._Element) -> str | None:
    """Return "ltr" or "rtl" for the first strong character of ``el``'s text, else None.

    Code, footnote numbers and nested lists are skipped: they do not say which way the
    paragraph's own words run.
    """

    def scan(node: etree._Element, top: bool) -> str | None:
        if not top and (_local(node) in _NO_DIRECTION or node.get("dir") in ("ltr", "rtl")):
            return None
        found = _strong(node.text)
        if found:
            return found
        for child in node:
            if isinstance(child.tag, str):
                found = scan(child, False)
                if found:
                    return found
            found = _strong(child.tail)
            if found:
                return found
        return None

    return scan(el, True)


def _strong(text: str | None) -> str | None:
    for char in text or "":
        direction = _STRONG.get(unicodedata.bidirectional(char))
        if direction:
            return direction
    return None


def mark_directions(root: etree._Element) -> int:
    """Give each text block whose first strong character runs against its surroundings an
    explicit ``dir``; return how many were marked.

    ``root`` is a page (``<html dir=...>``) or any element; elements from lxml.html or
    namespaced XHTML both work. Blocks that already say ``dir`` keep it.
    """
    marked = 0

    def walk(el: etree._Element, inherited: str) -> None:
        nonlocal marked
        own = el.get("dir")
        if own in ("ltr", "rtl"):
            inherited = own
        elif _local(el) in DIRECTED:
            found = first_strong_direction(el)
            if found is not None and found != inherited:
                el.set("dir", found)
                inherited = found
                marked += 1
        if _local(el) in ("pre", "code"):
            return
        for child in el:
            if isinstance(child.tag, str):
                walk(child, inherited)

    start = root.get("dir") if root.get("dir") in ("ltr", "rtl") else "ltr"
    walk(root, start)
    return marked


def wrap_directed_blocks(root: etree._Element) -> int:
    """Wrap each paragraph or heading that has its own ``dir`` in a ``<div dir>``.

    pandoc's HTML reader keeps a direction only on divs (its paragraphs have no attributes),
    and its DOCX writer turns a div's ``dir="rtl"`` into ``w:bidi``; a div with ``dir="ltr"``
    keeps an English paragraph left to right in a right-to-left document. Returns how many.
    """
    wrapped = 0
    for el in list(root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6")):
        direction = el.get("dir")
        parent = el.getparent()
        if direction not in ("ltr", "rtl") or parent is None:
            continue
        if _local(parent) == "div" and parent.get("dir") == direction and len(parent) == 1:
            continue
        div = el.makeelement("div", {"dir": direction})
        el.addprevious(div)
        div.tail, el.tail = el.tail, None
        div.append(el)
        wrapped += 1
    return wrapped


def mark_urls(root: etree._Element) -> None:
    """Add ``class="url"`` to links that show a web address as their text.

    The stylesheets let such links break anywhere (``word-break: break-all``): an address has
    few break opportunities, and one of 120 characters would leave short ragged lines or run
    into the margin. Links with words as their text keep breaking at spaces.
    """
    for a in root.iter("{*}a", "a"):
        text = "".join(a.itertext()).strip()
        if " " in text or not text.lower().startswith(_LINK_TEXT_URL):
            continue
        classes = (a.get("class") or "").split()
        if "url" not in classes:
            a.set("class", " ".join([*classes, "url"]))


# Chicago style: an address breaks before a period, comma, underscore, hyphen, question mark,
# number sign, percent sign, tilde, equals sign or ampersand (and after a slash, which the line
# breaker already allows), so the break never looks like punctuation ending the line.
_URL_BREAK_BEFORE = re.compile(r"(?<=[^\s])(?=[.,_\-?#%~=&])")
# Runs longer than this without a break (tokens, hashes) get one every so many characters.
_LONG_RUN = 20
_RUN = re.compile(r"[^/.,_\-?#%~=&]+|[/.,_\-?#%~=&]+")


def _split_long_runs(text: str) -> list[str]:
    """Cut ``text`` so that no run of characters without a break exceeds _LONG_RUN."""
    out = [""]
    for run in _RUN.findall(text):
        if len(run) <= _LONG_RUN or not run[0].isalnum():
            out[-1] += run
            continue
        for start in range(0, len(run), _LONG_RUN):
            if start:
                out.append("")
            out[-1] += run[start : start + _LONG_RUN]
    return out


def break_urls(root: etree._Element) -> int:
    """Insert ``<wbr>`` break opportunities into the text of ``a.url`` links (for print).

    WeasyPrint breaks an address only where the line-breaking rules allow (after "/" and
    "-"), so a long one leaves short ragged lines; a ``<wbr>`` is a zero-width break that
    text extraction and copying never see. Returns how many were inserted.
    """
    inserted = 0
    for a in list(root.iter("{*}a", "a")):
        if "url" not in (a.get("class") or "").split() or len(a) or not a.text:
            continue
        pieces = [
            chunk
            for piece in _URL_BREAK_BEFORE.split(a.text)
            for chunk in _split_long_runs(piece)
            if chunk
        ]
        if len(pieces) < 2:
            continue
        tag = a.tag.replace("}a", "}wbr") if a.tag.startswith("{") else "wbr"
        a.text = pieces[0]
        for piece in pieces[1:]:
            wbr = etree.SubElement(a, tag)
            wbr.tail = piece
            inserted += 1
    return inserted


# -- glyph coverage --------------------------------------------------------------------------


@functools.cache
def _coverage() -> tuple[list[int], list[int]] | None:
    """Return the code points installed fonts cover as sorted (starts, ends), or None when
    fontconfig cannot be asked (then nothing is reported)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        log.debug("fc-list not found: glyph coverage is not checked")
        return None
    try:
        done = subprocess.run(
            [fc_list, "--format", "%{file}\t%{charset}\n"],
            capture_output=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("fc-list failed (%s): glyph coverage is not checked", exc)
        return None
    ranges: list[tuple[int, int]] = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        path, _, charset = line.partition("\t")
        if not path.lower().endswith(_FONT_SUFFIXES):
            continue
        for item in charset.split():
            first, _, last = item.partition("-")
            try:
                ranges.append((int(first, 16), int(last or first, 16)))
            except ValueError:
                continue
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for low, high in ranges:  # merge overlapping and touching ranges
        if ends and low <= ends[-1] + 1:
            ends[-1] = max(ends[-1], high)
        else:
            starts.append(low)
            ends.append(high)
    return starts, ends


def _covered(code: int, table: tuple[list[int], list[int]]) -> bool:
    starts, ends = table
    index = bisect.bisect_right(starts, code) - 1
    return index >= 0 and code <= ends[index]


def _needs_glyph(char: str) -> bool:
    if unicodedata.category(char) in _INVISIBLE:
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def script_label(char: str) -> str:
    """Name the writing system of ``char`` ("Han", "Arabic"), or its Unicode block for
    characters shared by all scripts (symbols, emoji)."""
    from fontTools import unicodedata as ft_unicodedata

    code = ft_unicodedata.script(char)
    if code in ("Zyyy", "Zinh", "Zzzz"):
        return ft_unicodedata.block(char)
    return ft_unicodedata.script_name(code)


def missing_glyphs(text: str) -> dict[str, list[str]]:
    """Return {script: characters} for the characters of ``text`` no installed font covers."""
    # Latin (up to Latin Extended-B) is covered by the fonts the project requires; fontconfig
    # is asked only when a document has anything else.
    candidates = sorted(c for c in set(text) if ord(c) >= 0x250 and _needs_glyph(c))
    table = _coverage() if candidates else None
    if table is None:
        return {}
    missing: dict[str, list[str]] = {}
    for char in candidates:
        if not _covered(ord(char), table):
            missing.setdefault(script_label(char), []).append(char)
    return missing


def warn_missing_glyphs(root: etree._Element, where: str, fmt: str) -> dict[str, list[str]]:
    """Log one warning per script whose characters in ``root`` no font can draw."""
    text = "".join(t for t in root.itertext() if isinstance(t, str))
    missing = missing_glyphs(text)
    for script, chars in missing.items():
        shown = " ".join(chars[:5]) + (" …" if len(chars) > 5 else "")
        log.warning(
            "%s: %s: no installed font has glyphs for %s (%d characters: %s); they print as "
            "empty boxes",
            where, fmt, script, len(chars), shown,
            extra={"code": f"{fmt}.missing-glyphs"},
        )  # fmt: skip
    return missing
