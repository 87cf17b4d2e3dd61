"""Question-and-answer pages (schema.org's QAPage microdata: Stack Exchange, and the forums
and help centres that mark their posts up the same way): each answer is headed by the name of
who wrote it, before the article is located.

    <div itemprop="acceptedAnswer" itemscope itemtype="https://schema.org/Answer">
      <div itemprop="text"><p>It is not dead…</p></div>
      … <div itemprop="author" itemscope><a>Tomasz Nowak</a><span itemprop="name">Tomasz Nowak</span>…
    ->  <div itemprop="text"><h3>Tomasz Nowak</h3><p>It is not dead…</p></div>

The page's signature blocks (vote counts, reputation, "answered Feb 27 at 10:02", the share
and follow links) are furniture the locator drops, and with them every sign of where one
answer ends and the next begins: the answers would run on as one text under "2 Answers".
An answer whose author cannot be read gets a rule (``<hr>``) over it instead.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

# How long an author's name may be (a signature block says much more).
NAME_MAX_CHARS = 80


def _items(root: etree._Element, kind: str) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str) and el.get("itemscope") is not None
            and (el.get("itemtype") or "").rstrip("/").lower().endswith("schema.org/" + kind.lower())]


def _props(item: etree._Element, name: str) -> list[etree._Element]:
    """The item's own properties called ``name`` (not those of items nested in it)."""
    found = []
    for el in item.iter():
        if el is item or not isinstance(el.tag, str) or name not in (el.get("itemprop") or "").split():
            continue
        owner = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        if owner is item:
            found.append(el)
    return found


def microdata_name(el: etree._Element) -> str | None:
    """The name a microdata person or organisation gives: its ``name`` property (``content``
    or text), or its text when it has none and is short."""
    names = _props(el, "name") if el.get("itemscope") is not None else []
    for name in names:
        text = " ".join((name.get("content") or name.text_content()).split())
        if text and len(text) <= NAME_MAX_CHARS:
            return text
    return None


def answer_headings(root: etree._Element) -> int:
    """Head every answer of a QAPage with its author's name; return how many were headed."""
    if not _items(root, "QAPage") and not _items(root, "Question"):
        return 0
    headed = 0
    for answer in _items(root, "Answer"):
        body = next(iter(_props(answer, "text")), None)
        if body is None or body.tag in ("p", "span"):
            continue
        author = next((name for el in _props(answer, "author") if (name := microdata_name(el))), None)
        mark = lxml_html.Element("h3" if author else "hr")
        if author:
            mark.text = author
        mark.tail, body.text = body.text, None
        body.insert(0, mark)
        headed += 1
    return headed
