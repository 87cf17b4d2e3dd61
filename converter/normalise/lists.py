"""List items whose markers were broken away from them become real lists.

    <p>It overlooks some dynamics:</p><p>-</p><p>China backs Russia.</p><p>-</p><p>Europe…</p>
    ->  <p>It overlooks some dynamics:</p><ul><li>China backs Russia.</li><li>Europe…</li></ul>

    <p>1)Buy seeds</p><p>2)Sow them</p>     ->  <ol><li>Buy seeds</li><li>Sow them</li></ol>
    <p>3. Water</p><p>4. Wait</p>          ->  <ol start="3"><li>Water</li><li>Wait</li></ol>
    <p>- a</p><p data-indent="2">- b</p>   ->  <ul><li>a<ul><li>b</li></ul></li></ul>

A sentence that starts with a dash or a number stays a paragraph: an ambiguous marker ("-",
"–", "*", "1.") needs a run of two or more items, or a marker alone on its line.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise, takewhile

from lxml import etree
from lxml import html as lxml_html

from ..document import Document
from . import patterns
from .tree import block_text, is_soft_break, lstrip_element, split_at, strip_leading


@dataclass
class Item:
    """One recognised list item: where it came from and what it holds."""

    family: str  # "bullet", "number", "alpha" or "roman"
    number: int | None
    indent: int
    content: etree._Element  # the element whose inline content becomes the <li>
    sources: list[etree._Element]  # blocks consumed (marker line and item line)
    detached: bool
    glyph: str = ""


def _raw_text(el: etree._Element) -> str:
    return "".join(el.itertext())


ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _roman_value(numeral: str) -> int:
    values = [ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _marker_family(match) -> tuple[str, int | None, str]:
    """(family, number, glyph): the glyph is a bullet's sign, or the letters of a letter or a
    roman numeral ("i", "v" and "x" are either: the run decides, see _same_family)."""
    if match.group("bullet"):
        return "bullet", None, match.group("bullet")
    if match.group("num") or match.group("pnum"):
        return "number", int(match.group("num") or match.group("pnum")), ""
    if match.group("roman"):
        return "roman", _roman_value(match.group("roman")), match.group("roman")
    letter = match.group("alpha") or match.group("palpha")
    return "alpha", ord(letter) - ord("a") + 1, letter


def _same_family(item: Item, family: str) -> bool:
    """True when ``item`` belongs to a run of ``family``, reading a lone "i", "v" or "x" as a
    letter in a lettered run ("(h)", "(i)") and a lone "v" or "x" as a numeral in a roman
    one ("(iv)", "(v)"): the item is changed to match."""
    if item.family == family:
        return True
    if {item.family, family} != {"roman", "alpha"} or len(item.glyph) != 1 or item.glyph not in ROMAN_VALUES:
        return False
    item.family = family
    item.number = _roman_value(item.glyph) if family == "roman" else ord(item.glyph) - ord("a") + 1
    return True


def _dash_item(el: etree._Element, raw: str) -> Item | None:
    """"— a residents' permit zone": an em dash before a word in lower case is a bullet (a
    line of dialogue opens with a capital: "— Bonjour, dit-il.")."""
    match = patterns.DASH_ITEM.match(raw)
    if not match or not raw[match.end()].islower():
        return None
    content = copy.deepcopy(el)
    strip_leading(content, match.end())
    lstrip_element(content)
    indent = int(el.get("data-indent") or 0) + len(match.group("indent"))
    return Item("bullet", None, indent, content, [el], detached=False, glyph="—")


def _inline_item(el: etree._Element) -> Item | None:
    if el.tag != "p":
        return None
    raw = _raw_text(el)
    match = patterns.INLINE_MARKER.match(raw)
    if not match:
        return _dash_item(el, raw)
    family, number, glyph = _marker_family(match)
    spacing = next((match.group(g) for g in ("bsp", "nsp", "psp", "rsp", "asp", "pasp") if match.group(g)), "")
    rest = raw[match.end() :]
    if not spacing:
        # Glued marker ("-item", "1)Item"): only when a word follows, never "-5" or "--flag".
        if not patterns.GLUED_ITEM_START.match(rest):
            return None
        if family == "number" and match.group("numend") == "." and not rest[:1].isupper():
            return None  # "1.x" is a version; "1.Solder the pins" is an item (in a run only)
    if family == "bullet" and glyph in "*" and rest.rstrip().endswith("*"):
        return None  # "*emphasis*" that Markdown left alone
    content = copy.deepcopy(el)
    strip_leading(content, match.end())
    lstrip_element(content)
    indent = int(el.get("data-indent") or 0) + len(match.group("indent") or "")
    return Item(family, number, indent, content, [el], detached=False, glyph=glyph)


def _detached_item(el: etree._Element, following: etree._Element | None) -> Item | None:
    if el.tag != "p":
        return None
    match = patterns.DETACHED_MARKER.match(_raw_text(el))
    if not match or following is None or following.tag != "p" or not block_text(following):
        return None
    if patterns.DETACHED_MARKER.match(_raw_text(following)) or _inline_item(following):
        return None  # "-" alone before "- Real item": the empty marker adds nothing
    family, number, glyph = _marker_family(match)
    indent = int(el.get("data-indent") or 0)
    return Item(family, number, indent, copy.deepcopy(following), [el, following], True, glyph)


def _is_empty_marker(el: etree._Element) -> bool:
    return el.tag == "p" and bool(patterns.DETACHED_MARKER.match(_raw_text(el)))


def _collect_run(children: list[etree._Element], start: int) -> tuple[list[Item], list[etree._Element], int]:
    """Collect consecutive items from ``start``; return items, empty markers skipped, next index."""
    items: list[Item] = []
    skipped: list[etree._Element] = []
    i = start
    while i < len(children):
        el = children[i]
        following = children[i + 1] if i + 1 < len(children) else None
        item = _detached_item(el, following)
        if item is None and following is not None and _is_empty_marker(el) and _inline_item(following):
            skipped.append(el)  # "-" alone before an item that has its own marker
            i += 1
            continue
        if item is None:
            item = _inline_item(el)
        if item is None:
            break
        if items and item.indent <= items[0].indent and not _same_family(item, items[0].family):
            break
        items.append(item)
        i += len(item.sources)
    return items, skipped, i


def _acceptable(items: list[Item]) -> bool:
    if not items:
        return False
    base = [it for it in items if it.indent <= items[0].indent]
    if any(it.detached for it in items):
        return True
    if base[0].family == "bullet" and base[0].glyph in patterns.UNAMBIGUOUS_BULLETS:
        return True
    if len(base) < 2:
        return False
    if base[0].family in ("number", "alpha", "roman"):
        numbers = [it.number for it in base]
        return all(b == a + 1 for a, b in pairwise(numbers))
    return True


def _new_list(item: Item) -> etree._Element:
    if item.family == "bullet":
        return lxml_html.Element("ul")
    ol = lxml_html.Element("ol")
    if item.family in ("alpha", "roman"):
        ol.set("type", "a" if item.family == "alpha" else "i")
    if item.number and item.number != 1:
        ol.set("start", str(item.number))
    return ol


def _li(item: Item) -> etree._Element:
    li = lxml_html.Element("li")
    li.text = item.content.text
    for child in list(item.content):
        li.append(child)
    return li


def build_list(items: list[Item]) -> etree._Element:
    """Nest items by indentation into one list element."""
    root = _new_list(items[0])
    stack: list[tuple[int, etree._Element]] = [(items[0].indent, root)]
    last_li: etree._Element | None = None
    for item in items:
        while len(stack) > 1 and item.indent < stack[-1][0]:
            stack.pop()
        if item.indent > stack[-1][0] and last_li is not None:
            nested = _new_list(item)
            last_li.append(nested)
            stack.append((item.indent, nested))
        li = _li(item)
        stack[-1][1].append(li)
        last_li = li
    return root


def _repair_container(container: etree._Element, ctx) -> None:
    children = list(container)
    i = 0
    while i < len(children):
        items, skipped, end = _collect_run(children, i)
        if not _acceptable(items):
            i += 1
            continue
        new_list = build_list(items)
        first = skipped[0] if skipped else items[0].sources[0]
        container.insert(container.index(first), new_list)
        consumed = [*skipped, *(src for it in items for src in it.sources)]
        rule = "lists.detached-marker" if any(it.detached for it in items) else "lists.inline-marker"
        ctx.change(rule, first, f"{len(consumed)} paragraphs", new_list)
        for el in consumed:
            if el.getparent() is container:
                container.remove(el)
        i = end


def _strip_glyphs_in_lists(body: etree._Element, ctx) -> None:
    """Real <li>s that still start with a typed bullet ("<li>• item</li>") lose the glyph."""
    for li in body.iter("li"):
        before = copy.deepcopy(li)
        glyph = (li.text or "").strip()
        if len(glyph) == 1 and glyph in patterns.BULLET_GLYPHS and len(li) and is_soft_break(li[0]):
            br = li[0]  # "•" / "1": the glyph on a line of its own over the item's text
            li.text, br.tail = br.tail, None
            li.remove(br)
        for _ in range(3):  # "• - item": several typed glyphs
            match = patterns.INLINE_MARKER.match(_raw_text(li))
            if not (match and match.group("bullet") and match.group("bsp")):
                break
            strip_leading(li, match.end())
        if block_text(li) != block_text(before):
            ctx.change("lists.duplicate-glyph", li, before, li)


def _split_bullet_lines(body: etree._Element, ctx) -> None:
    """Items run together on one line with their bullets ("Key points: • 68% of spaces full
    by 9am • 1 in 2 cars are commuters' • 12 streets over capacity"): one paragraph per item
    (and one for the label before them), for the run of items below to make the list."""
    for p in list(body.iterchildren("p")):
        if len(p) or not p.text:
            continue
        parts = patterns.BULLET_SEPARATOR.split(p.text)
        if len(parts) < 3 or any(not part.strip() for part in parts[1:]):
            continue
        if any(len(part.split()) > patterns.RUN_ON_ITEM_MAX_WORDS for part in parts[1:]):
            continue
        label, items = parts[0].strip(), [part.strip() for part in parts[1:]]
        if label and not label.endswith(":"):
            continue  # "Ana Ruiz • May 19, 2025 • 4 min read": an info line, not a list
        new = []
        if label:
            new.append(lxml_html.Element("p"))
            new[-1].text = label
        for item in items:
            new.append(lxml_html.Element("p"))
            new[-1].text = f"• {item}"
        new[-1].tail = p.tail
        for el in new:
            p.addprevious(el)
        body.remove(p)
        ctx.change("lists.run-on-bullets", new[0], p.text, f"{len(items)} items")


def repair_list_markers(doc: Document, ctx) -> None:
    """Rebuild lists from detached, glued and typed markers; nest them by indentation."""
    _split_glued_items(doc.body, ctx)
    _split_bullet_lines(doc.body, ctx)
    _repair_container(doc.body, ctx)
    for quote in list(doc.body.iter("blockquote")):
        _repair_container(quote, ctx)
    _strip_glyphs_in_lists(doc.body, ctx)
    _join_interrupted_numbering(doc.body, ctx)
    _step_runs(doc.body, ctx)
    _symbol_led_runs(doc.body, ctx)
    _thread_numbers(doc.body, ctx)
    if doc.kind == "text":
        _labelled_line_runs(doc.body, ctx)
        _lead_in_runs(doc.body, ctx)
    _colon_led_runs(doc.body, ctx)
    if doc.kind == "markdown":
        _join_bullet_lists(doc.body, ctx)


def _split_glued_items(body: etree._Element, ctx) -> None:
    """A bulleted item whose later line starts with a bullet glued to a word ("* BME280
    sensor" / "*A waterproof box", which Markdown reads as one item with a lazy line) is two
    items: the line and what follows it become an item of their own."""
    for li in list(body.iter("li")):
        parent = li.getparent()
        if parent is None or parent.tag != "ul" or not any(is_soft_break(c) for c in li):
            continue
        lines = split_at(li, is_soft_break)
        starts = [0]
        for n, line in enumerate(lines[1:], 1):
            match = patterns.INLINE_MARKER.match(_raw_text(line))
            if (match and match.group("bullet") and not match.group("indent")
                    and patterns.GLUED_ITEM_START.match(_raw_text(line)[match.end():])
                    and not _raw_text(line).rstrip().endswith(match.group("bullet"))):
                strip_leading(line, match.end())
                lstrip_element(line)
                starts.append(n)
        if len(starts) == 1:
            continue
        items = []
        for begin, end in zip(starts, [*starts[1:], len(lines)], strict=True):
            item = lines[begin]
            for line in lines[begin + 1:end]:  # a wrapped line stays in its item
                item.append(lxml_html.Element("br", {"data-soft": "1"}))
                item[-1].tail = line.text
                for child in list(line):
                    item.append(child)
            item.tail = li.tail
            items.append(item)
        index = parent.index(li)
        parent.remove(li)
        for offset, item in enumerate(items):
            parent.insert(index + offset, item)
        ctx.change("lists.glued-item", items[0], li, f"{len(items)} items")


def _join_interrupted_numbering(body: etree._Element, ctx) -> None:
    """A numbered list, a bulleted list, then a numbered list that goes on counting where
    the first stopped ("1.", "2. Connect the pins:", "- VIN", "- GND", "3."): the bullets are
    the last item's sub-items and the numbering is one list."""
    for first in list(body.iterchildren("ol")):
        middle = first.getnext()
        last = middle.getnext() if middle is not None else None
        if first.getparent() is None or middle is None or last is None or middle.tag != "ul" or last.tag != "ol":
            continue
        items = list(first.iterchildren("li"))
        if not items or (first.get("type") or "1") != (last.get("type") or "1"):
            continue
        if _integer(last.get("start")) != _integer(first.get("start"), 1) + len(items):
            continue
        items[-1].append(middle)
        for li in list(last.iterchildren("li")):
            first.append(li)
        first.tail = last.tail
        body.remove(last)
        ctx.change("lists.continued-numbering", first, "3 lists", first)


def _integer(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _paragraphs_to_list(body: etree._Element, tag: str, paragraphs: list[etree._Element],
                        skips: list[int]) -> etree._Element:
    """Replace ``paragraphs`` (siblings in a row) by one list whose items hold their inline
    content, each without its first ``skips`` characters (the words that numbered it)."""
    lst = lxml_html.Element(tag)
    for p, skip in zip(paragraphs, skips, strict=True):
        li = etree.SubElement(lst, "li")
        li.text = p.text
        for child in list(p):
            li.append(child)
        if skip:
            strip_leading(li, skip)
            lstrip_element(li)
    lst.tail = paragraphs[-1].tail
    paragraphs[0].addprevious(lst)
    for p in paragraphs:
        body.remove(p)
    return lst


def _paragraph_number(p: etree._Element) -> tuple[int, int] | None:
    """(number, characters before the text) for a paragraph that numbers itself as a step
    ("Step 2: Mix") or with a keycap emoji ("2️⃣ Bleed your radiators"), else None."""
    if p.tag != "p":
        return None
    lead = _lead(p)
    step = patterns.STEP_PREFIX.match(lead.lstrip())
    if step:
        return int(step.group("n")), len(lead) - len(lead.lstrip()) + step.end()
    keycap = patterns.KEYCAP_NUMBER.match(p.text or "")
    if keycap:
        return (10 if keycap.group("ten") else int(keycap.group("digit"))), keycap.end()
    return None


def _step_runs(body: etree._Element, ctx) -> None:
    """Paragraphs that number themselves as steps ("Step 1: Heat the oven", "Step 2: Mix") or
    with keycap emoji ("1️⃣ Turn the thermostat down", "2️⃣ Bleed your radiators"), in a run
    that counts up, are an ordered list, without the numbering.

        <p>Step 1: Heat the oven.</p><p>Step 2: Mix.</p>  ->  <ol><li>Heat the oven.</li><li>Mix.</li></ol>
    """
    children = list(body)
    i = 0
    while i < len(children):
        run: list[tuple[etree._Element, tuple[int, int]]] = []
        j = i
        while j < len(children):
            number = _paragraph_number(children[j])
            if number is None or (run and number[0] != run[-1][1][0] + 1):
                break
            run.append((children[j], number))
            j += 1
        if len(run) < 2:
            i = max(j, i + 1)
            continue
        ol = _paragraphs_to_list(body, "ol", [p for p, _ in run], [skip for _, (_, skip) in run])
        if run[0][1][0] != 1:
            ol.set("start", str(run[0][1][0]))
        ctx.change("lists.step-prefix", ol, f"{len(run)} numbered paragraphs", ol)
        i = j


def _lead(p: etree._Element) -> str:
    """The paragraph's text as far as a step's words need it: its own text, or all of it
    when it opens with an element ("<strong>Step 1:</strong> Heat the oven")."""
    return p.text if (p.text or "").strip() else "".join(p.itertext())


def _labelled_line_runs(body: etree._Element, ctx) -> None:
    """In plain text, a label line ("Ingredients", "You will need:") over three short lines
    or more of its own block (no blank line between them), each starting with a capital or a
    figure and none ending a sentence or a clause, is a list: "500g plain flour" / "1 tsp
    salt" / "400ml buttermilk". Lines of verse start in lower case or end with commas; a
    byline block has no label over it.

    Inside the run, a line naming a part ("For the mash") ends the list and heads the next
    one, which needs one line only; a recipe's next section ("Method") ends the list."""
    children = list(body)
    sublabels: set[etree._Element] = set()
    for i, label in enumerate(children):
        if label.tag != "p" or label.getparent() is None or not _is_label(block_text(label)):
            continue
        run: list[etree._Element] = []
        line = _line(label)
        for el in children[i + 1:]:
            text = block_text(el)
            if (el.tag != "p" or line is None or _line(el) != line + 1 or not _is_list_line(text)
                    or patterns.LIST_SECTION_END.match(text)):
                break
            if run and patterns.SUBLIST_LABEL.match(text):
                sublabels.add(el)
                break
            run.append(el)
            line += 1
        # (Under "See also" or "External links" one title is a reading list already.)
        reading_list = patterns.READING_LIST_LABEL.match(block_text(label)) is not None
        if len(run) < (1 if reading_list or label in sublabels else patterns.LABELLED_RUN_MIN_ITEMS):
            continue
        ul = _paragraphs_to_list(body, "ul", run, [0] * len(run))
        ctx.change("lists.labelled-lines", ul, f"{len(run)} lines under {block_text(label)!r}", ul)


def _lead_in_runs(body: etree._Element, ctx) -> None:
    """In plain text that sets its paragraphs apart with blank lines, a sentence ending in
    ":" with one-line sentences under it in the same block is a list whose markers were lost
    ("Während der Schließung gibt es folgende Angebote:" / "Rückgabe in den Kasten am
    Rathaus" / "Ausleihe von E-Books über die Onleihe"): German items start with a capital,
    which the lower-case rule cannot see. Each line a sentence at most, starting with a
    capital or a figure, no line ending in "," (verse), none quoted, and the block ends with
    them; a lead-in to speech ("She said:") is not a label."""
    children = [el for el in body if el.tag == "p"]
    lines = [_line(el) for el in children]
    blocks = 1 + sum(1 for a, b in pairwise(lines) if a is None or b != a + 1)
    if blocks < 3 or blocks * 3 < len(children):
        return  # one paragraph per line with no blank lines: a block means nothing
    for i, label in enumerate(children):
        text = block_text(label)
        if (label.getparent() is None or _line(label) is None or not text.endswith(":")
                or patterns.SPEECH_LEAD_IN.search(text)):
            continue
        run: list[etree._Element] = []
        line = _line(label)
        for el in children[i + 1:]:
            if _line(el) != line + 1 or el.getprevious() is not (run[-1] if run else label):
                break
            run.append(el)
            line += 1
        after = run[-1].getnext() if run else None
        if (len(run) < patterns.LEAD_IN_RUN_MIN_ITEMS or (after is not None and _line(after) == line + 1)
                or not all(_is_lead_in_item(block_text(el)) for el in run)):
            continue
        ul = _paragraphs_to_list(body, "ul", run, [0] * len(run))
        ctx.change("lists.lead-in-lines", ul, f"{len(run)} lines under {text!r}", ul)


def _is_lead_in_item(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= patterns.LEAD_IN_ITEM_MAX_WORDS and (text[:1].isupper() or text[:1].isdigit())
            and text[-1:] not in ",;:" and text[:1] not in patterns.DIALOGUE_START
            and not re.search(r"[.!?]\s+\S", text))


def _leading_symbol(p: etree._Element) -> str | None:
    """The pictograph a paragraph opens with before a space ("👉 Pair every apprentice…",
    "✔️ Done"), with its variation selector; None for letters, figures, punctuation and the
    bullet glyphs the marker rules read."""
    text = (p.text or "").lstrip()
    if not text or text[0] in patterns.BULLET_GLYPHS or unicodedata.category(text[0]) not in ("So", "Sk"):
        return None
    end = 1
    while end < len(text) and (text[end] in "\ufe0f\u200d" or unicodedata.category(text[end]) == "Sk"):
        end += 1
    return text[:end] if text[end:end + 1].isspace() else None


def _symbol_led_runs(body: etree._Element, ctx) -> None:
    """Paragraphs in a row that each open with the same pictograph are a list that used it
    as its bullet, as social posts do ("👉 Pair every apprentice with a mentor" / "👉 Give
    them a real project in week one"); the pictograph goes. Different ones ("✅" / "❌")
    carry meaning and stay paragraphs."""
    for parent in [body, *body.iter("blockquote")]:
        children = list(parent)
        i = 0
        while i < len(children):
            symbol = _leading_symbol(children[i]) if children[i].tag == "p" else None
            j = i + 1
            while symbol and j < len(children) and children[j].tag == "p" and _leading_symbol(children[j]) == symbol:
                j += 1
            if symbol is None or j - i < 2:
                i += 1
                continue
            run = children[i:j]
            skips = [len(p.text) - len(p.text.lstrip()) + len(symbol) for p in run]
            ul = _paragraphs_to_list(parent, "ul", run, skips)
            ctx.change("lists.symbol-bullets", ul, f"{len(run)} paragraphs opening with {symbol}", ul)
            i = j


def _thread_numbers(body: etree._Element, ctx) -> None:
    """A thread copied from a social network numbers its posts ("1/ We rebuilt the village
    hall roof… 🧵", "2/ The scaffolding was…", or "1/5", "2/5"): three in a row at least,
    counting up from 1, out of one total if they give one.
    The numbers, and the thread sign after the first post, go; the posts stay paragraphs."""
    children = list(body)
    for i, first in enumerate(children):
        match = patterns.THREAD_NUMBER.match(first.text or "") if first.tag == "p" else None
        if match is None or match.group("n") != "1":
            continue
        run = [first]
        for el in children[i + 1:]:
            nxt = patterns.THREAD_NUMBER.match(el.text or "") if el.tag == "p" else None
            if nxt is None or int(nxt.group("n")) != len(run) + 1:
                break
            run.append(el)
        totals = {patterns.THREAD_NUMBER.match(p.text).group("of") for p in run}
        if len(run) < patterns.THREAD_MIN_POSTS or len(totals) > 1 or int(totals.pop() or len(run)) < len(run):
            continue  # "1/2 cup flour", "2/3 cup sugar", "3/4 tsp salt": fractions, not posts
        for p in run:
            before = block_text(p)
            p.text = patterns.THREAD_NUMBER.sub("", p.text, count=1)
            if p is first and len(p) and p[-1].tail:
                p[-1].tail = patterns.THREAD_SIGN.sub("", p[-1].tail).rstrip()
            elif p is first and not len(p):
                p.text = patterns.THREAD_SIGN.sub("", p.text).rstrip()
            ctx.change("lists.thread-numbers", p, before, block_text(p))


def _join_bullet_lists(body: etree._Element, ctx) -> None:
    """Markdown starts a new list where the bullet changes ("+ a", "+ b", "* c"): bulleted
    lists right after one another, nothing between them, are one list that mixed its signs."""
    for ul in list(body.iter("ul")):
        if ul.getparent() is None:
            continue
        joined = 0
        nxt = ul.getnext()
        while nxt is not None and nxt.tag == "ul" and not (ul.tail or "").strip():
            for li in list(nxt.iterchildren("li")):
                ul.append(li)
            ul.tail = nxt.tail
            nxt.getparent().remove(nxt)
            joined += 1
            nxt = ul.getnext()
        if joined:
            ctx.change("lists.mixed-bullets", ul, f"{joined + 1} lists", ul)


def _colon_led_runs(body: etree._Element, ctx) -> None:
    """Paragraphs under a sentence ending in ":" that each start in lower case ("The money
    covers:" / "the winter timetable" / "a second crew member") are the items of a list that
    lost its markers: no paragraph of prose starts in lower case. Two of them at least, and
    not where the writer starts sentences in lower case anyway (a blog all in lower case)."""
    children = list(body)
    runs: list[list[etree._Element]] = []
    for i, label in enumerate(children):
        if label.tag == "p" and block_text(label).endswith(":"):
            # (an item may open with a figure, "200 new bike stands", among those in lower case)
            run = list(takewhile(_is_lower_case_item, children[i + 1:]))
            if sum(_starts_lower(el) for el in run) >= patterns.COLON_RUN_MIN_ITEMS:
                runs.append(run)
    if not runs:
        return
    in_runs = {id(el) for run in runs for el in run}
    others = [el for el in children if el.tag == "p" and id(el) not in in_runs]
    if sum(1 for el in others if _starts_lower(el)) > patterns.LOWER_CASE_PARAGRAPHS_MAX * len(others):
        return
    for run in runs:
        label = run[0].getprevious()
        ul = _paragraphs_to_list(body, "ul", run, [0] * len(run))
        ctx.change("lists.colon-led-lines", ul, f"{len(run)} lines under {block_text(label)!r}", ul)


def _starts_lower(el: etree._Element) -> bool:
    first = (el.text or "").lstrip()[:1]  # its own text: not a link's or a code span's
    return first.isalpha() and first.islower()


def _is_lower_case_item(el: etree._Element) -> bool:
    if el.tag != "p" or not (_starts_lower(el) or (el.text or "").lstrip()[:1].isdigit()):
        return False
    text = block_text(el)
    return len(text.split()) <= patterns.COLON_ITEM_MAX_WORDS and not text.endswith(":")


def _line(el: etree._Element) -> int | None:
    value = el.get("data-line")
    return int(value) if value and value.isdigit() else None


def _is_label(text: str) -> bool:
    words = text.rstrip(":").split()
    return 0 < len(words) <= 4 and text[-1:] not in ".!?;," and text[:1].isupper()


def _is_list_line(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= patterns.LABELLED_ITEM_MAX_WORDS and (text[:1].isupper() or text[:1].isdigit())
            and text[-1:] not in ".!?;,:")

