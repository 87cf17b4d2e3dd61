"""What Word's "Save as Web Page" (and its clipboard) writes, read as the structure it means.

    <p class=MsoTitle>Allotment Newsletter</p>                      ->  <h1>Allotment Newsletter</h1>
    <p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>·&nbsp;&nbsp;</span>Clear the paths</p>
    <p style='mso-list:l0 level2 lfo1'><span style='mso-list:Ignore'>o&nbsp;</span>The one by the gate</p>
    ->  <ul><li>Clear the paths<ul><li>The one by the gate</li></ul></li></ul>

Word writes a list as one paragraph per item, its level and list in the style attribute and
its marker as text in a span it tells browsers to ignore. The sanitiser drops both styles,
so the items must be read first: a level-two "o" marker (Courier New's bullet) was left in
the text as a letter, and the nesting was lost.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from .sanitise import remove_keep_tail

MSO_LIST = re.compile(r"mso-list:\s*(l\d+)\s+level(\d+)", re.IGNORECASE)
MSO_IGNORE = re.compile(r"mso-list:\s*ignore", re.IGNORECASE)
# A numbered item's marker: "1.", "2)", "a.", "iv.", "(3)".
ORDERED_MARKER = re.compile(r"^\(?(\d{1,4}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]$")


def word_titles(root: etree._Element) -> None:
    """Word's HTML sets the document's title as ``<p class="MsoTitle">``: it is an ``<h1>``
    (the class goes with the sanitiser, and the paragraph would stay a paragraph)."""
    for p in root.iter("p"):
        if "MsoTitle" in (p.get("class") or "").split():
            p.tag = "h1"


def _list_style(p: etree._Element) -> tuple[str, int] | None:
    match = MSO_LIST.search(p.get("style") or "") if p.tag == "p" else None
    return (match.group(1).lower(), int(match.group(2))) if match else None


def _marker_span(p: etree._Element) -> etree._Element | None:
    return next((span for span in p.iter("span") if MSO_IGNORE.search(span.get("style") or "")), None)


def _take_marker(p: etree._Element) -> str:
    """Remove the item's marker span (``mso-list:Ignore``) and return its text."""
    span = _marker_span(p)
    if span is None:
        return ""
    marker = " ".join("".join(span.itertext()).split())
    # The marker span sits in a font span of its own: remove the outermost one that holds
    # nothing else.
    outer = span
    while (outer.getparent() is not None and outer.getparent() is not p
           and len(outer.getparent()) == 1 and not (outer.getparent().text or "").strip()):
        outer = outer.getparent()
    remove_keep_tail(outer)
    return marker


def _item(p: etree._Element) -> tuple[etree._Element, str]:
    marker = _take_marker(p)
    li = lxml_html.Element("li")
    li.text = (p.text or "").lstrip(" \u00a0") or None
    for child in list(p):
        li.append(child)
    return li, marker


def _new_list(marker: str) -> etree._Element:
    ordered = ORDERED_MARKER.match(marker)
    lst = lxml_html.Element("ol" if ordered else "ul")
    if ordered and ordered.group(1).isdigit() and ordered.group(1) != "1":
        lst.set("start", ordered.group(1))
    return lst


def word_lists(root: etree._Element) -> int:
    """Turn each run of Word's list paragraphs into a nested ``<ul>``/``<ol>``; return how many
    lists were made."""
    made = 0
    seen: set[etree._Element] = set()  # items of the runs already read
    for first in list(root.iter("p")):
        style = _list_style(first)
        if style is None or first in seen:
            continue
        run = [first]
        nxt = first.getnext()
        while nxt is not None and (_list_style(nxt) or ("",))[0] == style[0]:
            run.append(nxt)
            nxt = nxt.getnext()
        seen.update(run)
        if not all(_marker_span(p) is not None for p in run):
            continue  # older Word writes the marker as text ("2.a  The Club shall..."): left as it is
        parent = first.getparent()
        index = parent.index(first)
        tail = run[-1].tail
        stack: list[tuple[int, etree._Element]] = []  # (level, list element)
        top: etree._Element | None = None
        base = style[1]
        for p in run:
            level = max(base, _list_style(p)[1])  # type: ignore[index]
            li, marker = _item(p)
            while stack and stack[-1][0] > level:
                stack.pop()
            if not stack or stack[-1][0] < level:
                lst = _new_list(marker)
                if stack:
                    stack[-1][1][-1].append(lst)  # inside the last item of the level above
                else:
                    top = lst
                stack.append((level, lst))
            stack[-1][1].append(li)
            parent.remove(p)
        if top is not None:
            top.tail = tail
            parent.insert(index, top)
            made += 1
    return made
