"""Punctuation for the article's language: French spacing, and curly quotes when asked for.

    fr:  "Pourquoi maintenant? «Parce que»: voilà."
    ->   "Pourquoi maintenant ? « Parce que » : voilà."      (narrow and full no-break spaces)

    typography.smart-quotes (off by default; --enable-pass):
         "It's \"done\" -- finally."  ->  "It’s “done” – finally."

Neither pass touches code (``pre``, ``code``, ``kbd``, ``samp``), URLs ("https://x.fr/?a=1")
or times ("10:30"). Spaces are only added where the punctuation follows a word, so a second
run changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml import etree

from ..document import Document
from . import patterns
from .typography import CODE_TAGS

TypeSetter = Callable[[str, str, str], str]
PLAIN_SPACE = " \t"
AFTER_HIGH_PUNCTUATION = "»)]\"”’.,;:!?…"


def _primary_language(doc: Document) -> str:
    return (doc.meta.language or "").replace("_", "-").split("-")[0].lower()


def _slots(block: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every text slot (``el.text`` or ``el.tail``) in document order, code left out."""

    def walk(el: etree._Element, in_code: bool) -> Iterator[tuple[etree._Element, str, bool]]:
        code = in_code or el.tag in CODE_TAGS
        yield el, "text", code
        for child in el:
            if isinstance(child.tag, str):
                yield from walk(child, code)
            yield child, "tail", code

    for el, attr, in_code in walk(block, False):
        if not in_code and (el is not block or attr == "text"):
            yield el, attr


def _retype(root: etree._Element, setter: TypeSetter, ctx, rule: str) -> None:
    """Apply ``setter(text, previous char, next char)`` to every text slot; record changes.

    Neighbouring characters come from the slots around, so "«<em>Oui</em>»" is seen whole.
    """
    for block in root:
        slots = [(el, attr) for el, attr in _slots(block) if getattr(el, attr)]
        texts = [getattr(el, attr) for el, attr in slots]
        # Neighbours only within one paragraph, item or cell: the last letter of a list's item
        # is not before the "?" that opens the next one.
        owners = [_text_block(el if attr == "text" else el.getparent()) for el, attr in slots]
        for index, (el, attr) in enumerate(slots):
            same_prev = index and owners[index - 1] is owners[index]
            same_next = index + 1 < len(texts) and owners[index + 1] is owners[index]
            prev = texts[index - 1][-1:] if same_prev else ""
            nxt = texts[index + 1][:1] if same_next else ""
            new = setter(texts[index], prev, nxt)
            if new != texts[index]:
                setattr(el, attr, new)
                ctx.change(rule, el if attr == "text" else el.getparent(), _shown(texts[index]),
                           _shown(new))
                texts[index] = new


_TEXT_BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                          "figcaption", "caption", "blockquote", "pre", "address"})


def _text_block(el: etree._Element | None) -> etree._Element | None:
    """The paragraph, item or cell a text slot is in."""
    while el is not None and el.tag not in _TEXT_BLOCKS:
        el = el.getparent()
    return el


def _shown(text: str) -> str:
    """No-break spaces made visible in a change record."""
    return text.replace(patterns.NARROW_NBSP, "<U+202F>").replace(patterns.NBSP, "<U+00A0>")


def french_spacing_text(text: str, prev: str = "", nxt: str = "") -> str:
    """Put French no-break spaces before ; : ! ? » and after « in one run of text."""
    out: list[str] = []
    for i, ch in enumerate(text):
        before = out[-1] if out else prev
        after = text[i + 1] if i + 1 < len(text) else nxt
        space = patterns.FRENCH_SPACE_BEFORE.get(ch)
        if space:
            if out and before in PLAIN_SPACE:
                out[-1] = space  # "mot ?" typed with an ordinary space
            elif _needs_space_before(ch, before, after):
                out.append(space)
        if ch in PLAIN_SPACE and before in patterns.FRENCH_SPACE_AFTER:
            ch = patterns.FRENCH_SPACE_AFTER[before]  # "« mot" typed with an ordinary space
        out.append(ch)
        if ch in patterns.FRENCH_SPACE_AFTER and (after.isalnum() or after in "\"'…"):
            out.append(patterns.FRENCH_SPACE_AFTER[ch])
    return "".join(out)


def _needs_space_before(ch: str, before: str, after: str) -> bool:
    if not before or before.isspace():
        return False
    if ch == "»":
        # Not after a bullet glyph: "•»" would become "• »", a list item on the next run.
        return before not in patterns.BULLET_GLYPHS
    if not (before.isalnum() or before in ")]»”’\"'…"):
        return False  # "?!" gets one space, before the "?"
    if ch == ":":
        return not after or after.isspace()  # never "10:30" or "https://"
    return not after or after.isspace() or after in AFTER_HIGH_PUNCTUATION


def french_spacing(doc: Document, ctx) -> None:
    """Give French text its no-break spaces before ; : ! ? » and after « (language fr only)."""
    if _primary_language(doc) != "fr":
        return
    _retype(doc.body, french_spacing_text, ctx, "typography.french-spacing")
    for field in ("title", "description"):
        value = getattr(doc.meta, field)
        if value and french_spacing_text(value) != value:
            setattr(doc.meta, field, french_spacing_text(value))
            ctx.change("typography.french-spacing", None, _shown(value), _shown(getattr(doc.meta, field)))


# "---" and "--" as pandoc's smart extension reads them, but never "--flag" or "<!--".
DASHES = ((re.compile(r"(?<![-!<])---(?![-\w])|(?<=\w)---(?=\w)"), "—"),
          (re.compile(r"(?<![-!<])--(?![-\w>])|(?<=\w)--(?=\w)"), "–"),
          (re.compile(r"(?<=\w) - (?=\w)"), " – "))


def smart_quotes_text(text: str, prev: str, nxt: str, marks: tuple[str, str, str, str]) -> str:
    """Curly quotes, apostrophes and dashes in one run of text."""
    open_double, close_double, open_single, close_single = marks
    out: list[str] = []
    for i, ch in enumerate(text):
        before = out[-1] if out else prev
        after = text[i + 1] if i + 1 < len(text) else nxt
        opens = not before or before in patterns.OPENS_AFTER
        if ch == '"':
            ch = open_double if opens and after and not after.isspace() else close_double
        elif ch == "'":
            if before.isalnum() and (after.isalnum() or not after or not opens):
                ch = "’"  # it's, rock 'n' roll's, the 1990s' ...
            elif opens and after and not after.isspace():
                ch = "’" if after.isdigit() else open_single  # ’90s
            else:
                ch = close_single
        out.append(ch)
    result = "".join(out)
    for pattern, dash in DASHES:
        result = pattern.sub(dash, result)
    return result


def smart_quotes(doc: Document, ctx) -> None:
    """Straight quotes become curly ones for the language, "--" an en dash (off by default)."""
    marks = patterns.QUOTE_MARKS.get(_primary_language(doc), patterns.QUOTE_MARKS["en"])

    def setter(text: str, prev: str, nxt: str) -> str:
        return smart_quotes_text(text, prev, nxt, marks)

    _retype(doc.body, setter, ctx, "typography.smart-quotes")
    if doc.meta.title and setter(doc.meta.title, "", "") != doc.meta.title:
        before, doc.meta.title = doc.meta.title, setter(doc.meta.title, "", "")
        ctx.change("typography.smart-quotes", None, before, doc.meta.title)
