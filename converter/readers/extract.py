"""Find the article in a full web page and keep the page's own markup for it.

    <body><nav>Home · World</nav><div class="story"><h1>Bridge reopens</h1>
      <p>The council voted…</p><h2>What changed</h2><ul><li>New deck</li></ul>
      <div class="share">Share on X</div></div><aside>Most read: …</aside>
      <div id="comments"><h3>3 Comments</h3>…</div><footer>© Paper</footer></body>
    ->
    <div><h1>Bridge reopens</h1><p>The council voted…</p><h2>What changed</h2>
      <ul><li>New deck</li></ul></div>

readability-lxml *locates* the article: every element of the page gets a numbered
``data-cx`` attribute before readability-lxml sees a copy, so its answer says which of our
elements it kept. Our own elements are then kept with their structure: readability-lxml
drops headings and lists that sit between article paragraphs (low class weight, links), and
those are put back when they are not page furniture (share bars, "Most read" link lists,
comment sections, cookie banners). Pages too small to have furniture are left as they are.
"""

from __future__ import annotations

import copy
import logging
import re

from lxml import etree
from lxml import html as lxml_html

# Pages with less text than this are documents or fragments, not web pages: keep them whole.
MIN_PAGE_CHARS = 500
# A located article this short (in characters) means the locator found nothing useful.
MIN_ARTICLE_CHARS = 140

ID_ATTR = "data-cx"
WRAPPERS = frozenset({"div", "section", "header", "span", "center"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# What readability-lxml may drop that is article structure when it sits inside the article.
RESCUABLE = frozenset({*HEADINGS, "ul", "ol", "dl", "blockquote", "figure", "table", "pre"})

# class/id words of page furniture (matched as whole words, parts of "share-bar", "mostRead").
CHROME_WORDS = (
    "share", "sharing", "social", "sociable", "related", "recommended", "recirc", "comment",
    "comments", "disqus", "newsletter", "subscribe", "subscription", "signup", "promo",
    "advert", "advertisement", "ad", "ads", "sponsor", "sponsored", "cookie", "cookies",
    "consent", "gdpr", "banner", "breadcrumb", "breadcrumbs", "nav", "navbar", "navigation",
    "menu", "sidebar", "widget", "popular", "trending", "mostread", "most-read", "tags",
    "tagcloud", "byline-share", "footer", "masthead", "toolbar", "pagination", "pager",
    "outbrain", "taboola", "author-bio", "bio", "more-stories", "read-more", "readmore",
)  # fmt: skip
_CHROME = re.compile(
    r"(?:^|[\s_\-])(?:" + "|".join(re.escape(w) for w in CHROME_WORDS) + r")(?:$|[\s_\-\d])",
    re.IGNORECASE,
)
# Lists whose links make up more than this share of their text are link lists (menus,
# "Most read", tag clouds) unless the links point inside the page (a table of contents).
LINK_LIST_DENSITY = 0.5
# Only blocks are judged by their names: a <span class="comment"> in code is not a widget.
CHROME_BLOCKS = ("div", "section", "aside", "nav", "footer", "header", "ul", "ol", "p", "form", "figure")

log = logging.getLogger(__name__)


def _words(text: str | None) -> int:
    return len((text or "").split())


def _chars(el: etree._Element) -> int:
    return len(" ".join(el.text_content().split()))


def _features(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}".strip()


def is_chrome_name(el: etree._Element) -> bool:
    """True when an element's class, id or role names page furniture (share, related, …)."""
    if el.tag in ("nav", "aside", "footer", "form", "button"):
        return True
    role = (el.get("role") or "").lower()
    if role in ("navigation", "banner", "contentinfo", "complementary", "search", "dialog"):
        return True
    features = _features(el)
    if not features:
        return False
    # camelCase and compound names: "mostRead" -> "most Read", "sharebar" stays one word.
    spaced = re.sub(r"([a-z])([A-Z])", r"\1-\2", features)
    return bool(_CHROME.search(spaced))


def link_density(el: etree._Element) -> float:
    """Share of an element's text that sits inside links."""
    total = _chars(el)
    if not total:
        return 0.0
    linked = sum(_chars(a) for a in el.iter("a"))
    return min(1.0, linked / total)


def _in_page_links(el: etree._Element) -> bool:
    hrefs = [a.get("href") or "" for a in el.iter("a")]
    return bool(hrefs) and all(h.startswith("#") for h in hrefs)


def looks_like_chrome(el: etree._Element, is_boilerplate) -> bool:
    """Page furniture by its own markup: named so, a link list, or a boilerplate phrase."""
    if is_chrome_name(el):
        return True
    if any(is_chrome_name(d) for d in el.iterdescendants() if isinstance(d.tag, str)):
        return True
    text = " ".join(el.text_content().split())
    if not text:
        return el.find(".//img") is None
    if el.tag in ("ul", "ol", "dl") and link_density(el) > LINK_LIST_DENSITY and not _in_page_links(el):
        return True
    if el.tag in HEADINGS and is_boilerplate(text):
        return True
    return False


def page_is_large(body: etree._Element) -> bool:
    """True when the page has enough text to hold furniture worth removing."""
    return _chars(body) >= MIN_PAGE_CHARS


def _number(root: etree._Element) -> dict[str, etree._Element]:
    index: dict[str, etree._Element] = {}
    for n, el in enumerate(root.iter()):
        if isinstance(el.tag, str):
            key = str(n)
            el.set(ID_ATTR, key)
            index[key] = el
    return index


def _run_readability(root: etree._Element) -> etree._Element | None:
    import readability  # imported lazily: only full pages need it

    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    try:
        markup = readability.Document(copy.deepcopy(root)).summary(html_partial=True)
    except Exception as exc:  # readability.Unparseable and whatever a hostile page provokes
        log.debug("readability failed: %s", exc)
        return None
    if not markup or not markup.strip():
        return None
    try:
        return lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def locate_article(root: etree._Element, is_boilerplate=lambda text: False) -> etree._Element | None:
    """Return a ``<div>`` holding the article's own elements, or None to keep the page whole.

    ``root`` is the parsed page; it is not changed. ``is_boilerplate(text)`` says whether a
    heading's text is page furniture ("Related", "3 Comments").
    """
    work = copy.deepcopy(root)
    body = work.find("body")
    if body is None or not page_is_large(body):
        return None
    index = _number(work)
    found = _run_readability(work)
    if found is None or _chars(found) < MIN_ARTICLE_CHARS:
        return None
    kept = {el.get(ID_ATTR) for el in found.iter() if isinstance(el.tag, str) and el.get(ID_ATTR)}
    # Readability-lxml renames divs without block children to <p>: give our tags back.
    for el in found.iter():
        key = el.get(ID_ATTR) if isinstance(el.tag, str) else None
        if key and key in index:
            original = index[key]
            el.tag = original.tag
            el.attrib.clear()
            el.attrib.update(original.attrib)
    _rescue(found, work, index, kept, is_boilerplate)
    _drop_chrome(found, is_boilerplate)
    return found


def _placed(found: etree._Element) -> dict[str, etree._Element]:
    return {el.get(ID_ATTR): el for el in found.iter() if isinstance(el.tag, str) and el.get(ID_ATTR)}


def _structure_wrapper(el: etree._Element) -> bool:
    """True for a wrapper (div, section…) whose text all sits in headings, lists, quotes,
    tables or figures: ``<div class="section"><div><h2>Introduction</h2></div></div>``."""
    if el.tag not in WRAPPERS or not _chars(el):
        return False
    inside = 0
    for d in el.iterdescendants(*RESCUABLE):
        if not any(a.tag in RESCUABLE for a in d.iterancestors() if a is not el and el in a.iterancestors()):
            inside += _chars(d)
    return inside >= _chars(el)


def _rescue(found, work, index, kept, is_boilerplate) -> None:
    """Put back headings, lists, quotes, tables and figures readability-lxml dropped from
    between the article's own elements."""
    placed = _placed(found)
    # The parents whose children readability-lxml kept: the article's containers.
    top_parents = set()
    for child in found:
        key = child.get(ID_ATTR) if isinstance(child.tag, str) else None
        if key and key in index and index[key].getparent() is not None:
            top_parents.add(index[key].getparent().get(ID_ATTR))
    for el in list(work.iter()):
        key = el.get(ID_ATTR) if isinstance(el.tag, str) else None
        if key is None or key in kept or key in placed:
            continue
        if el.tag not in RESCUABLE and not _structure_wrapper(el):
            continue
        parent = el.getparent()
        if parent is None:
            continue
        parent_key = parent.get(ID_ATTR)
        if parent_key not in placed and parent_key not in top_parents:
            continue
        siblings = [s for s in parent if isinstance(s.tag, str)]
        position = siblings.index(el)
        before = [s for s in siblings[:position] if s.get(ID_ATTR) in placed]
        after = [s for s in siblings[position + 1 :] if s.get(ID_ATTR) in placed]
        heading = el.tag in HEADINGS or el.find(".//h2") is not None or any(True for _ in el.iter(*HEADINGS))
        if not after or (not before and not heading):
            continue  # outside the article's run of elements: the page around it
        if looks_like_chrome(el, is_boilerplate):
            continue
        clone = copy.deepcopy(el)
        clone.tail = None
        if before:
            placed[before[-1].get(ID_ATTR)].addnext(clone)
        else:
            placed[after[0].get(ID_ATTR)].addprevious(clone)
        for d in clone.iter():
            if isinstance(d.tag, str) and d.get(ID_ATTR):
                placed[d.get(ID_ATTR)] = d


def _drop_chrome(found: etree._Element, is_boilerplate) -> None:
    """Remove furniture that readability-lxml kept inside the article (share bars, etc.)."""
    for el in list(found.iter(*CHROME_BLOCKS)):
        if el is found or el.getparent() is None or el.xpath("ancestor::pre"):
            continue
        if is_chrome_name(el) and _chars(el) < 400:
            el.drop_tree()
