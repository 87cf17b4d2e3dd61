"""Markdown reader: CommonMark plus tables, strikethrough, footnotes and YAML front matter.

    ---
    title: Notes
    ---
    Line one
    Line two[^1]

    [^1]: A note.
    ->
    meta(title="Notes"); body:
    <p>Line one<br data-soft="1"/>Line two<a class="footnote-ref" href="#fn1" id="fnref1"
       role="doc-noteref"><sup>1</sup></a></p>
    <section class="footnotes" id="footnotes" role="doc-endnotes"><hr/><ol><li id="fn1">...

Soft line breaks are kept as ``<br data-soft>`` so the normaliser can see lines that broken
Markdown meant as separate items ("-item" lines with no blank line between them); clean
Markdown gets them joined back into one paragraph. Footnotes are rewritten into pandoc's HTML
form, the one our Document model and the writers use.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..document import Change, Document, Metadata
from .apps import BOX_DONE, BOX_OPEN
from .extract import Dropped
from .html import body_from_markup
from .markup import parse_fragment
from .prose import reads_as_prose
from .text import soft_break

FRONT_MATTER_KEYS = {
    "title": ("title",),
    "author": ("author", "authors", "byline", "creator"),
    "date": ("date", "published", "pubdate", "created"),
    "language": ("lang", "language", "locale"),
    "description": ("description", "summary"),
    "subtitle": ("subtitle", "subhead", "dek"),
}


# Soft breaks are rendered as a private-use character and turned into ``<br data-soft>`` after
# sanitising (which strips every data-* attribute the input itself might carry).
SOFT_BREAK = "\ue000"
# Headings underlined with "-" (setext) are marked the same way, as ``data-setext``: in
# "You will need:\n-\nflour\n-\nwater" the "-" lines are detached list markers that CommonMark
# reads as underlines, and only the normaliser can tell which reading is right.
SETEXT_DASH = "\ue001"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin)
    # markdown-it turns [x](javascript:...) and ![x](file:///...) into literal bracket text;
    # let them parse as links and images instead: the sanitiser then drops the active URL
    # (keeping "x") and converter.resources refuses the file, naming it in a warning.
    md.validateLink = lambda url: True

    def softbreak(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        return SOFT_BREAK

    def heading_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        rendered = self.renderToken(tokens, idx, options, env)
        return rendered + SETEXT_DASH if tokens[idx].markup == "-" else rendered

    md.add_render_rule("softbreak", softbreak)
    md.add_render_rule("heading_open", heading_open)
    return md


_MD = _parser()


def _scalar(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        parts = [_scalar(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        return _scalar(value.get("name"))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip() or None


def front_matter_metadata(raw: str) -> Metadata:
    """Read metadata from a YAML front-matter block (bad YAML yields empty metadata)."""
    import yaml  # only articles with front matter need it (~20 ms to import)

    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        return Metadata()
    if not isinstance(data, dict):
        return Metadata()
    lowered = {str(k).lower(): v for k, v in data.items()}
    values = {
        field: next((_scalar(lowered[k]) for k in keys if k in lowered), None)
        for field, keys in FRONT_MATTER_KEYS.items()
    }
    return Metadata(**values)


def _pandoc_footnotes(root: etree._Element) -> None:
    """Rewrite markdown-it's footnote markup into pandoc's (refs, notes, back-links)."""
    for sup in root.xpath("//sup[contains(concat(' ', @class, ' '), ' footnote-ref ')]"):
        link = sup.find("a")
        if link is None:
            continue
        target = (link.get("href") or "").lstrip("#")
        number = target.removeprefix("fn")
        anchor = lxml_html.Element(
            "a",
            {"href": f"#{target}", "class": "footnote-ref", "id": link.get("id") or f"fnref{number}",
             "role": "doc-noteref"},
        )
        inner = etree.SubElement(anchor, "sup")
        inner.text = number.split(":")[0]
        anchor.tail = sup.tail
        sup.getparent().replace(sup, anchor)
    for sep in root.xpath("//hr[contains(concat(' ', @class, ' '), ' footnotes-sep ')]"):
        sep.getparent().remove(sep)
    for section in root.xpath("//section[contains(concat(' ', @class, ' '), ' footnotes ')]"):
        section.attrib.clear()
        section.set("id", "footnotes")
        section.set("class", "footnotes")
        section.set("role", "doc-endnotes")
        section.insert(0, lxml_html.Element("hr"))
        for ol in section.iter("ol"):
            ol.attrib.clear()
        for li in section.iter("li"):
            li.attrib.pop("class", None)
        for back in section.xpath(".//a[contains(concat(' ', @class, ' '), ' footnote-backref ')]"):
            back.set("class", "footnote-back")
            back.set("role", "doc-backlink")
            back.text = "↩︎"


_TEXT_ALIGN = re.compile(r"text-align:\s*(left|right|center)", re.IGNORECASE)


def _table_alignment(root: etree._Element) -> None:
    """Keep column alignment: markdown-it says it in ``style``, which sanitising drops.

    "|---:|" -> <td style="text-align:right"> -> <td align="right"> (the Document's form).
    """
    for cell in root.iter("td", "th"):
        match = _TEXT_ALIGN.search(cell.get("style", ""))
        if match:
            cell.set("align", match.group(1).lower())


def _implicit_figures(root: etree._Element) -> None:
    """An image alone in its paragraph is a figure captioned by its alt text, as in pandoc.

    <p><img src="a.png" alt="Caption"/></p> -> <figure><img .../><figcaption>Caption</figcaption></figure>
    """
    for p in list(root.iter("p")):
        children = list(p)
        if len(children) != 1 or children[0].tag != "img" or (p.text or "").strip():
            continue
        img = children[0]
        alt = (img.get("alt") or "").strip()
        if not alt or (img.tail or "").strip():
            continue
        p.tag = "figure"
        p.text = None
        img.tail = None
        caption = etree.SubElement(p, "figcaption")
        caption.text = alt


def expand_soft_breaks(root: etree._Element) -> None:
    """Replace every SOFT_BREAK character in text and tails by a ``<br data-soft>``."""
    for el in list(root.iter()):
        if el.text and SOFT_BREAK in el.text:
            first, *rest = el.text.split(SOFT_BREAK)
            el.text = first
            for offset, piece in enumerate(rest):
                br = soft_break()
                br.tail = piece
                el.insert(offset, br)
        if el.tail and SOFT_BREAK in el.tail and el.getparent() is not None:
            first, *rest = el.tail.split(SOFT_BREAK)
            el.tail = first
            parent = el.getparent()
            index = parent.index(el)
            for offset, piece in enumerate(rest, start=1):
                br = soft_break()
                br.tail = piece
                parent.insert(index + offset, br)


def mark_setext_headings(root: etree._Element) -> None:
    """Move the SETEXT_DASH mark at the start of a heading into ``data-setext="-"``."""
    for heading in root.iter("h2"):
        if heading.text and heading.text.startswith(SETEXT_DASH):
            heading.text = heading.text[len(SETEXT_DASH) :]
            heading.set("data-setext", "-")


def close_unclosed_fence(text: str, tokens: list[Any]) -> tuple[str, Change, int] | None:
    """A code fence never closed runs to the end of the document, taking the article's
    paragraphs after the code with it. Close it before the first paragraph of prose after a
    blank line (a truncated paste: "```" / "ferry --timetable winter" / "" / "The operator will
    review the timetable in March."); also the index of the line inserted. None when the
    fence is closed or holds no prose."""
    lines = text.split("\n")
    fence = next((t for t in reversed(tokens) if t.type == "fence" and t.map), None)
    if fence is None or fence.level:  # (a fence in a list item or quote: left alone)
        return None
    start, end = fence.map
    if end < len(lines) - (1 if text.endswith("\n") else 0):
        return None  # something follows the fence: it was closed
    last = lines[end - 1].strip()
    if end - 1 > start and last.startswith(fence.markup) and set(last) == {fence.markup[0]}:
        return None  # its last line closes it
    i = start + 1
    while i < end:
        if not lines[i].strip() and i + 1 < end and lines[i + 1].strip():
            j = i + 1
            while j < end and lines[j].strip():
                j += 1
            if reads_as_prose(lines[i + 1:j]):
                closed = "\n".join([*lines[:i], fence.markup, *lines[i:]])
                return closed, Change("markdown.unclosed-fence", f"line {i + 1}", fence.markup,
                                      f"{fence.markup} closed before line {i + 2}"), i
            i = j
            continue
        i += 1
    return None


# "**" or "__" around 1-150 characters of one line, with a space just inside one end at least:
# no emphasis to CommonMark ("** 1 December **", "**Fares **"), which prints the stars.
SPACED_STRONG = re.compile(r"(?<![*_\w])(\*\*|__)([^*_\n]{1,150}?)\1(?![*_])")
# "[text] (https://...)": a link with a space before its parenthesis, which is no link.
SPACED_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,200})\][ \t]+\((https?://[^\s()]{1,2000})\)")
CODE_SPAN = re.compile(r"(`+)[^`]*?\1")


def _respace_strong(match: re.Match[str]) -> str:
    inner = match.group(2)
    if inner == inner.strip() or not inner.strip():
        return match.group(0)  # "__init__", "2 ** 3", "** **": not spaced emphasis
    after = match.string[match.end():match.end() + 1]
    space = " " if inner[-1:].isspace() and after.isalnum() else ""  # "**Island Star **returns"
    return f"{match.group(1)}{inner.strip()}{match.group(1)}{space}"


# Block tokens whose lines are not Markdown text: code, raw HTML, front matter.
NOT_TEXT = frozenset({"fence", "code_block", "html_block", "front_matter"})


def repair_spaced_syntax(text: str, tokens: list[Any], inserted: int | None = None) -> tuple[str, list[Change]]:
    """Emphasis with spaces inside its markers and links with a space before their
    parenthesis, written as CommonMark reads them, outside code (the parser's ``tokens`` say
    which lines are code blocks; code spans are skipped in a line); one change record per
    line repaired, numbered as in the source (``inserted``: a line the reader added).

        The fare is ** £4.50 ** for adults.   ->  The fare is **£4.50** for adults.
        See the [timetable] (https://x.org).  ->  See the [timetable](https://x.org).
    """
    if not any(mark in text for mark in ("**", "__", "] (", "[[", "==", "%%")):
        return text, []
    skipped = {n for t in tokens if t.type in NOT_TEXT and t.map for n in range(*t.map)}
    lines = text.split("\n")
    changes: list[Change] = []
    in_comment = False
    for index, line in enumerate(lines):
        if index in skipped:
            continue
        if in_comment:  # an Obsidian comment over several lines ("%%" ... "%%"): hidden
            new, in_comment = "", "%%" not in line
        elif line.lstrip().startswith("%%") and "%%" not in line.lstrip()[2:]:
            new, in_comment = "", True
        else:
            new = _repair_outside_code_spans(line)
        if new != line:
            number = index + (0 if inserted is None or index < inserted else -1) + 1
            rule = ("markdown.spaced-link" if SPACED_LINK.search(line) else
                    "markdown.spaced-emphasis" if SPACED_STRONG.search(line) else "markdown.obsidian")
            changes.append(Change(rule, f"line {number}", line.strip(), new.strip()))
            lines[index] = new
    return "\n".join(lines), changes


def _repair_outside_code_spans(line: str) -> str:
    """The line with its spaced emphasis and links repaired, its code spans as they are."""
    parts: list[str] = []
    last = 0
    for span in CODE_SPAN.finditer(line) if "`" in line else ():
        parts += [_repair_line(line[last:span.start()]), span.group(0)]
        last = span.end()
    parts.append(_repair_line(line[last:]))
    return "".join(parts)


def _repair_line(part: str) -> str:
    part = SPACED_STRONG.sub(_respace_strong, SPACED_LINK.sub(r"[\1](\2)", part))
    if "[[" in part or "==" in part or "%%" in part:
        part = OBSIDIAN_COMMENT.sub("", part)
        part = OBSIDIAN_EMBED.sub(_embed, part)
        part = WIKILINK.sub(_wikilink_text, part)
        part = HIGHLIGHT.sub(r"<mark>\1</mark>", part)
    return part


# An Obsidian note's own syntax, which CommonMark prints as it is: "[[Central Library|town
# library]]" (a link to another note: its text), "![[plan.png]]" (a picture: an image),
# "==more than 2,000 packets==" (a highlight) and "%%Ask Priya%%" (a comment, hidden).
WIKILINK = re.compile(r"\[\[([^\[\]|#\n]{1,200})(?:#([^\[\]|\n]{1,200}))?(?:\|([^\[\]\n]{1,200}))?\]\]")
OBSIDIAN_EMBED = re.compile(r"!\[\[([^\[\]|#\n]{1,200}\.(?:png|jpe?g|gif|webp|svg|avif))(?:\|[^\[\]\n]{0,200})?\]\]",
                            re.IGNORECASE)
HIGHLIGHT = re.compile(r"(?<![=\w])==(?=\S)([^=\n]{1,300}?)(?<=\S)==(?![=\w])")
OBSIDIAN_COMMENT = re.compile(r"%%[^\n]{0,2000}?%%")


def _wikilink_text(match: re.Match[str]) -> str:
    page, heading, alias = match.group(1), match.group(2), match.group(3)
    return alias or (f"{page.strip()} › {heading.strip()}" if heading else page.strip())


def _embed(match: re.Match[str]) -> str:
    name = match.group(1).strip()
    return f"![{name.rsplit('.', 1)[0]}](<{name}>)"


# GitHub's alerts and Obsidian's callouts: a quotation opening with "[!NOTE]", "[!WARNING]"...
# on its first line, Obsidian's with a title after it ("> [!tip] Bring your own envelopes")
# and a fold mark ("[!warning]-").
ALERT = re.compile(
    r"^\s*\[!(?P<kind>note|tip|important|warning|caution|abstract|summary|tldr|info|todo|hint|"
    r"success|check|done|question|help|faq|attention|failure|fail|missing|danger|error|bug|"
    r"example|quote|cite)\][+-]?[ \t]*(?P<title>[^" + SOFT_BREAK + r"\n]*)" + SOFT_BREAK + "?", re.IGNORECASE)
# A task list item's box: "- [ ] tidal stream atlases", "- [x] command-line tool".
TASK_BOX = re.compile(r"^\s*\[([ xX])\]\s+(?=\S)")
TASK_GLYPHS = {" ": BOX_OPEN, "x": BOX_DONE, "X": BOX_DONE}


def _github_alerts(root: etree._Element) -> None:
    """A GitHub alert ("> [!NOTE]" / "> Predictions are for planning only.") is a quotation
    headed by its kind in bold, not one opening with "[!NOTE]"."""
    for quote in root.iter("blockquote"):
        first = quote.find("p")
        match = ALERT.match(first.text or "") if first is not None and first is quote[0] else None
        if match is None:
            continue
        first.text = first.text[match.end():] or None
        label = etree.Element("p")
        etree.SubElement(label, "strong").text = match.group("title").strip() or match.group("kind").capitalize()
        quote.insert(0, label)
        if not "".join(first.itertext()).strip() and not len(first):
            quote.remove(first)


def _task_items(root: etree._Element) -> None:
    """A task list's items ("- [x] command-line tool") show their box as a character, ☒ or ☐."""
    for li in root.iter("li"):
        holder = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
        match = TASK_BOX.match(holder.text or "")
        if match:
            holder.text = TASK_GLYPHS[match.group(1)] + holder.text[match.end():]


def read_markdown(text: str, source: Path | None = None) -> Document:
    """Read Markdown into a Document."""
    text = text.replace(SOFT_BREAK, "").replace(SETEXT_DASH, "")
    tokens = _MD.parse(text)
    repaired = close_unclosed_fence(text, tokens)
    if repaired is not None:
        text = repaired[0]
        tokens = _MD.parse(text)
    text, spaced = repair_spaced_syntax(text, tokens, repaired[2] if repaired else None)
    if spaced:
        tokens = _MD.parse(text)
    meta = Metadata()
    for token in tokens:
        if token.type == "front_matter":
            meta = front_matter_metadata(token.content)
            break
    rendered = _MD.renderer.render(tokens, _MD.options, {})
    root = parse_fragment(rendered or "<p></p>")  # raw HTML may nest past libxml2's limit
    _pandoc_footnotes(root)
    _table_alignment(root)
    _implicit_figures(root)
    _github_alerts(root)
    _task_items(root)
    dropped: list[Dropped] = []
    body = body_from_markup(root, dropped)
    expand_soft_breaks(body)
    mark_setext_headings(body)
    doc = Document(meta=meta, body=body, kind="markdown", source=source)
    doc.changes.extend(spaced)
    if repaired is not None:
        doc.changes.append(repaired[1])
    # Raw-HTML sidebars (<aside>, <nav>) are not carried over; their prose shows here.
    from ..normalise.tree import short

    # (Their line numbers would count lines of the rendered HTML, not of the Markdown.)
    doc.changes.extend(Change(d.rule, d.where.split(", ", 1)[-1] if d.where.startswith("line ")
                              else d.where, short(d.text), "") for d in dropped)
    return doc
