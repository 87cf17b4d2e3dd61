"""What wiki and note-taking exports write, read as the structure it means (before the
sanitiser drops the classes and attributes that say it).

    <ul class="bulleted-list"><li>Bed 1</li></ul><ul class="bulleted-list"><li>Bed 2</li></ul>
    ->  <ul><li>Bed 1</li><li>Bed 2</li></ul>                         (Notion: a list per item)
    <div class="confluence-information-macro confluence-information-macro-note">…</div>
    ->  <blockquote><p><strong>Note</strong></p>…</blockquote>        (Confluence's panels)
    <pre class="brush: bash; gutter: false">…</pre>
    ->  <pre><code class="language-bash">…</code></pre>                (SyntaxHighlighter)
    <tr><th>Step</th><th>Owner</th></tr> first in a <tbody>
    ->  the table's header row, in a <thead>

Notion writes each list item as a list of its own, numbered ones with a ``start``; a
checkbox ``<div>`` or ``<input>`` says whether a to-do item is done; a callout is a
``<figure>`` holding its icon and its text. Confluence's information, note, tip and warning
panels are ``<div>``s whose kind only their class names. A first row of header cells in the
table's body is its header: pandoc and Word only repeat and style a ``<thead>``.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# Confluence's panel kinds (the class ends with the kind) and the label each is headed by.
PANEL_LABELS = {"information": "Info", "info": "Info", "note": "Note", "tip": "Tip", "warning": "Warning"}
PANEL_CLASS = re.compile(r"\bconfluence-information-macro-(information|info|note|tip|warning)\b")
# SyntaxHighlighter's language (Confluence, WordPress): class="brush: bash; gutter: false".
BRUSH = re.compile(r"\bbrush:\s*([\w+#.-]{1,20})")
# The language a documentation generator names on the block around the code: Sphinx's
# "highlight-python", GitHub's "highlight-source-python", Jekyll's "language-python".
WRAPPER_LANGUAGE = re.compile(r"^(?:highlight-source-|highlight-|language-)([\w+#.-]{1,20})$")
# Languages a wrapper names that are none: Sphinx's default lexer, plain text.
NO_LANGUAGE = frozenset({"default", "none", "text", "plaintext", "notranslate"})
# A heading's permalink: a link to its own anchor showing a symbol ("¶", "#", "§", "🔗").
PERMALINK_SYMBOLS = frozenset({"", "¶", "#", "§", "🔗", "⚓", "∞", "⚓︎", "🔗︎"})
PERMALINK_CLASS = re.compile(r"\b(?:headerlink|anchor-?link|anchorjs-link|heading-?anchor|header-?anchor|"
                             r"permalink|hash-link|direct-link)\b", re.IGNORECASE)
# Documentation tools' admonitions: Sphinx and MkDocs ("admonition note" with a
# "admonition-title"), Docusaurus ("theme-admonition-tip"), GitBook ("hint hint-info").
ADMONITION_CLASS = re.compile(r"^(?:admonition|theme-admonition|hint)$")
ADMONITION_TITLE = re.compile(r"admonition-?title|admonitionHeading|hint-title", re.IGNORECASE)
ADMONITION_KINDS = ("note", "tip", "hint", "important", "warning", "caution", "danger", "attention",
                    "error", "info", "information", "seealso", "success", "todo", "example", "question")
# A task list item's box, as pandoc writes it for Word (the Markdown reader's task lists too).
BOX_DONE, BOX_OPEN = "☒ ", "☐ "


def _classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


def merge_split_lists(root: etree._Element) -> int:
    """Lists that follow one another with nothing between, of the same kind and class (a
    Notion export's one list per item; a Google Docs export's runs of ``lst-kix`` lists), are
    one list; a numbered one only where the next one's ``start`` goes on counting. Returns
    how many were merged into the one before."""
    merged = 0
    for first in list(root.iter("ul", "ol")):
        if first.getparent() is None or not first.get("class"):
            continue  # (already merged into the one before it)
        nxt = first.getnext()
        while (nxt is not None and nxt.tag == first.tag and nxt.get("class") == first.get("class")
               and not (first.tail or "").strip() and _continues(first, nxt)):
            for li in list(nxt):
                first.append(li)
            first.tail = nxt.tail
            nxt.getparent().remove(nxt)
            merged += 1
            nxt = first.getnext()
    return merged


# A Google Docs export's list: its id and the item's level in the class ("lst-kix_list_1-0").
KIX_LIST = re.compile(r"\blst-kix_([\w]+?)-(\d)\b")


def _kix(el: etree._Element | None) -> tuple[str, int] | None:
    match = KIX_LIST.search(el.get("class") or "") if el is not None and el.tag in ("ul", "ol") else None
    return (match.group(1), int(match.group(2))) if match else None


def _in_run(el: etree._Element | None, list_id: str) -> bool:
    kix = _kix(el)
    return kix is not None and kix[0] == list_id


def nest_google_docs_lists(root: etree._Element) -> int:
    """A Google Docs export writes a list as one list per run of items at one level
    (``ul.lst-kix_list_1-0``, ``ul.lst-kix_list_1-1``, ``ul.lst-kix_list_1-0``): a deeper
    run is nested in the item before it, and a run that goes on at a level joins the list
    it continues (a numbered one only where its ``start`` goes on counting). Returns how
    many lists were moved."""
    moved = 0
    for first in list(root.iter("ul", "ol")):
        key = _kix(first)
        if key is None or first.getparent() is None:
            continue
        before = first.getprevious()
        if _in_run(before, key[0]) and not (before.tail or "").strip():
            continue  # not the start of a run (or already moved)
        open_lists = {key[1]: first}  # level -> the list items at that level go into
        nxt = first.getnext()
        while _in_run(nxt, key[0]) and not (nxt.getprevious().tail or "").strip():
            level = _kix(nxt)[1]
            following = nxt.getnext()
            for deeper in [lvl for lvl in open_lists if lvl > level]:
                del open_lists[deeper]
            target = open_lists.get(level)
            parent_level = max((lvl for lvl in open_lists if lvl < level), default=None)
            if target is not None and target.tag == nxt.tag and _continues(target, nxt):
                for li in list(nxt):
                    target.append(li)
                nxt.getparent().remove(nxt)
                moved += 1
            elif target is None and parent_level is not None and len(open_lists[parent_level]):
                holder = open_lists[parent_level].findall("li")[-1]
                nxt.tail = None
                holder.append(nxt)
                open_lists[level] = nxt
                moved += 1
            else:
                break  # a new list: it starts a run of its own
            nxt = following
    return moved


def _continues(first: etree._Element, nxt: etree._Element) -> bool:
    if first.tag == "ul":
        return True
    start, following = first.get("start", "1"), nxt.get("start", "1")
    if not (start.isdigit() and following.isdigit()):
        return False
    return int(following) == int(start) + len(first.findall("li"))


def task_boxes(root: etree._Element) -> None:
    """A to-do item's checkbox (Notion's ``<div class="checkbox checkbox-on">``, a rendered
    task list's ``<input type="checkbox" checked>``) is the character ☒ or ☐ before its text."""
    for li in root.iter("li"):
        box = next((el for el in li.iter("div", "input") if _is_box(el)), None)
        if box is None:
            continue
        done = "checkbox-on" in _classes(box) or box.get("checked") is not None
        parent = box.getparent()
        before = box.getprevious()
        glyph = BOX_DONE if done else BOX_OPEN
        tail = (box.tail or "").lstrip()
        if before is None:
            parent.text = (parent.text or "") + glyph + tail
        else:
            before.tail = (before.tail or "") + glyph + tail
        parent.remove(box)


def _is_box(el: etree._Element) -> bool:
    if el.tag == "input":
        return (el.get("type") or "").lower() == "checkbox"
    return "checkbox" in _classes(el)


def drop_permalinks(root: etree._Element) -> None:
    """A heading's permalink goes: a link to an anchor showing only a symbol ("¶" after
    every Sphinx heading, "#" or "🔗" on a blog's), or marked so by its class. Read on the
    whole page, before the headline is looked for: "Installing the logger¶" was the title."""
    from .sanitise import remove_keep_tail

    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href.startswith("#") or a.find(".//img") is not None:
            continue
        heading = next((h for h in a.iterancestors() if h.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt")), None)
        if heading is None:
            continue
        text = "".join(a.itertext()).strip()
        if text in PERMALINK_SYMBOLS or (PERMALINK_CLASS.search(a.get("class") or "") and len(text) <= 2):
            remove_keep_tail(a)


def _quotation(label: str | None, children: list[etree._Element], old: etree._Element) -> None:
    """Replace ``old`` by a quotation headed by ``label`` in bold, holding ``children``."""
    quote = lxml_html.Element("blockquote")
    if label:
        etree.SubElement(etree.SubElement(quote, "p"), "strong").text = label
    for child in children:
        quote.append(child)
    quote.tail = old.tail
    old.getparent().replace(old, quote)


def admonitions(root: etree._Element) -> None:
    """A documentation page's admonition (Sphinx's and MkDocs' ``div.admonition`` with its
    ``p.admonition-title``, Docusaurus' ``theme-admonition``, GitBook's ``hint``) and a Ghost
    callout card are quotations headed by their title in bold ("Note", "Warning")."""
    for div in list(root.iter("div", "aside")):
        if div.getparent() is None:
            continue
        classes = _classes(div)
        if "kg-callout-card" in classes:
            text = div.find(".//div[@class='kg-callout-text']")
            if text is not None:
                _icon_quotation(div.find(".//div[@class='kg-callout-emoji']"), text, div)
            continue
        if not any(ADMONITION_CLASS.match(c) for c in classes):
            continue
        title = next((el for el in div.iter() if el is not div and isinstance(el.tag, str)
                      and ADMONITION_TITLE.search(el.get("class") or "")), None)
        kinds = (c.removeprefix("theme-admonition-").removeprefix("hint-") for c in classes)
        kind = next((k for k in kinds if k in ADMONITION_KINDS), None)
        label = " ".join("".join(title.itertext()).split()) if title is not None else None
        label = label or (kind.capitalize() if kind else None)
        if title is not None:
            title.getparent().remove(title)
        body = div
        # Docusaurus keeps the text in a content <div> beside its heading.
        content = [c for c in div if isinstance(c.tag, str) and "admonitionContent" in (c.get("class") or "")]
        if content:
            body = content[0]
        _quotation(label[:1].upper() + label[1:] if label else None, [c for c in body if isinstance(c.tag, str)], div)


def callouts(root: etree._Element) -> None:
    """Confluence's panels and Notion's callouts are quotations: a panel headed by its kind
    in bold ("Note"), a callout opening with its icon."""
    for div in list(root.iter("div")):
        kind = PANEL_CLASS.search(div.get("class") or "")
        if kind is None or div.getparent() is None:
            continue
        content = div.find(".//div[@class='confluence-information-macro-body']")
        children = [c for c in (content if content is not None else div)
                    if "confluence-information-macro-icon" not in _classes(c)]
        _quotation(PANEL_LABELS[kind.group(1)], children, div)
    for figure in list(root.iter("figure")):
        if "callout" not in _classes(figure) or figure.getparent() is None:
            continue
        icon = figure.find(".//span[@class='icon']")
        parts = [c for c in figure if c.tag == "div"]
        _icon_quotation(icon, parts[-1] if parts else figure, figure)


def _icon_quotation(icon: etree._Element | None, body: etree._Element, old: etree._Element) -> None:
    """Replace ``old`` by a quotation whose paragraph opens with ``icon``'s text ("💡") and
    goes on with ``body``'s inline content; a body holding blocks keeps them under the icon."""
    p = lxml_html.Element("p")
    p.text = " ".join(("".join(icon.itertext()) if icon is not None else "").split())
    if any(c.tag in ("p", "ul", "ol", "pre", "table", "blockquote") for c in body):
        _quotation(None, [p, *body], old)
        return
    if (body.text or "").strip():
        p.text = f"{p.text} {body.text.strip()}".strip()
    for child in list(body):
        p.append(child)
    _quotation(None, [p], old)


def _wrapper_language(pre: etree._Element) -> str | None:
    """The language the blocks around ``pre`` (two at most) name in their class."""
    for wrapper in list(pre.iterancestors())[:2]:
        for name in _classes(wrapper):
            found = WRAPPER_LANGUAGE.match(name)
            if found and found.group(1).lower() not in NO_LANGUAGE:
                return found.group(1).lower()
    return None


def code_languages(root: etree._Element) -> None:
    """A code block's language as SyntaxHighlighter writes it (``class="brush: bash"``, or
    Confluence's ``data-syntaxhighlighter-params``), or as the block around it names it
    (Sphinx's ``highlight-console``, GitHub's ``highlight-source-python``, Jekyll's
    ``language-ruby``), is the ``language-bash`` class the writers read, on its ``<code>``."""
    for pre in root.iter("pre"):
        brush = BRUSH.search(f"{pre.get('class') or ''} {pre.get('data-syntaxhighlighter-params') or ''}")
        language = brush.group(1).lower() if brush else _wrapper_language(pre)
        if language is None:
            continue
        code = pre.find("code")
        if code is None:
            code = lxml_html.Element("code")
            code.text, pre.text = pre.text, None
            for child in list(pre):
                code.append(child)
            pre.append(code)
        if not any(c.startswith("language-") for c in _classes(code)):
            code.set("class", f"language-{language}")


def header_rows(root: etree._Element) -> None:
    """A table with no ``<thead>`` whose first row is all header cells: that row is its head.
    (Run on the article's blocks: a table used for layout has been read through by then.)"""
    for table in root.iter("table"):
        if table.find("thead") is not None:
            continue
        body = table.find("tbody")
        holder = body if body is not None else table
        first = next((c for c in holder if isinstance(c.tag, str) and c.tag not in ("col", "colgroup", "caption")), None)
        if first is None or first.tag != "tr" or len(holder.findall("tr")) < 2:
            continue
        cells = [c for c in first if isinstance(c.tag, str)]
        if not cells or any(c.tag != "th" for c in cells):
            continue
        head = lxml_html.Element("thead")
        (body if body is not None else first).addprevious(head)
        head.append(first)  # (moved out of where it was)


def app_exports(root: etree._Element) -> None:
    """The rules above that read classes and attributes, which the sanitiser drops."""
    task_boxes(root)
    nest_google_docs_lists(root)
    merge_split_lists(root)
    callouts(root)
    admonitions(root)
    code_languages(root)
