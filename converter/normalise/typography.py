"""Unicode hygiene: mojibake repaired, NFC, invisible and control characters removed.

    "Itâ€™s a cafe\\u0301\\u200b  test"  ->  "It’s a café test"

Code (``pre``, ``code``) is never touched except for the NFC form.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from ..document import Document

# Zero-width space, word joiner, BOM and soft hyphen are invisible noise in scraped text.
# ZWNJ/ZWJ are kept: Persian, Indic scripts and emoji sequences need them.
INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
C1_CONTROLS = re.compile("[\u0080-\u009f]")
SPACES = re.compile(r"[ \t\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u2000-\u200a\u205f\u3000]")
MOJIBAKE_HINT = re.compile("[ÂÃâ€Ã¢Å][\u0080-\u00bf\u2018-\u203a€™œžŸ]")
META_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")
CODE_TAGS = frozenset({"pre", "code", "kbd", "samp"})
EDGE_SPACES = " \u00a0"


def _fix(text: str, in_code: bool) -> str:
    # Removing C1 characters can expose another layer of mojibake: repeat until stable.
    for _ in range(4):
        fixed = _fix_once(text, in_code)
        if fixed == text:
            break
        text = fixed
    return text


def _fix_once(text: str, in_code: bool) -> str:
    if not in_code and MOJIBAKE_HINT.search(text):
        import ftfy

        fixed = ftfy.fix_encoding(text)
        core = text.strip(EDGE_SPACES)
        if fixed == text and core and core != text:
            # "\xa0Ã©": a no-break space at the edge (not a UTF-8 byte of the text) kept ftfy
            # from decoding the rest, which the tidy pass would bare for a second run to fix.
            lead = text[:len(text) - len(text.lstrip(EDGE_SPACES))]
            fixed = lead + ftfy.fix_encoding(core) + text[len(text.rstrip(EDGE_SPACES)):]
        text = fixed
    text = unicodedata.normalize("NFC", text)
    if in_code:
        return text
    text = INVISIBLE.sub("", text)
    text = C1_CONTROLS.sub("", text)
    return SPACES.sub(" ", text)


def clean_meta_text(value: str) -> str:
    """Metadata text as body text is cleaned, white space collapsed (no-break spaces kept)."""
    return META_SPACES.sub(" ", _fix(value, False)).strip(" \t\r\n")


def _visible(text: str) -> str:
    """Show invisible and control characters in a change record: "a<U+200B>b"."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", C1_CONTROLS.sub(
        lambda m: f"<U+{ord(m.group()):04X}>", text))


def _in_code(el: etree._Element) -> bool:
    return any(a.tag in CODE_TAGS for a in el.iterancestors()) or el.tag in CODE_TAGS


def clean_unicode(doc: Document, ctx) -> None:
    """Repair mojibake, apply NFC, drop invisible characters and collapse runs of spaces."""
    for el in doc.body.iter():
        if not isinstance(el.tag, str):
            continue
        code = _in_code(el)
        for attr in ("text", "tail"):
            value = getattr(el, attr)
            if not value:
                continue
            tail_in_code = code if attr == "text" else (
                el.getparent() is not None and _in_code(el.getparent())
            )
            fixed = _fix(value, tail_in_code)
            if fixed != value:
                setattr(el, attr, fixed)
                if MOJIBAKE_HINT.search(value):
                    ctx.change("typography.mojibake", el, value, fixed)
                elif fixed != (value if tail_in_code else SPACES.sub(" ", value)):
                    nfc = unicodedata.normalize("NFC", value) != value
                    rule = "typography.nfc" if nfc else "typography.invisible"
                    ctx.change(rule, el, _visible(value), fixed)
    for field in ("title", "subtitle", "author", "description", "site"):
        value = getattr(doc.meta, field)
        if value:
            # Collapse white space but keep no-break spaces: French titles need them.
            setattr(doc.meta, field, clean_meta_text(value))
