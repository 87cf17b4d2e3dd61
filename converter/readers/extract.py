"""Find the article in a full web page and keep the page's own markup for it.

    <body><nav>Home · World</nav><div class="story"><h1>Bridge reopens</h1>
      <p>The council voted…</p><h2>What changed</h2><ul><li>New deck</li></ul>
      <div class="share">Share on X</div></div><aside>Most read: …</aside>
      <div id="comments"><h3>3 Comments</h3>…</div><footer>© Paper</footer></body>
    ->
    <div><div class="story"><h1>Bridge reopens</h1><p>The council voted…</p>
      <h2>What changed</h2><ul><li>New deck</li></ul></div></div>

readability-lxml only *locates* the article. Every element of the page is numbered (in
document order) before readability-lxml sees a copy, so its answer tells which of our
elements hold the article, and our own elements are kept. readability-lxml drops headings,
lists, quotes, tables and figures that have a low class weight or many links; those that lie
within the article's stretch of the page (from the first to the last element it kept) are
put back where they were, unless they are page furniture: elements named for it (share
bars, related links, comments, newsletter and cookie boxes), link lists ("Most read") and
widget headings ("Related", "3 Comments"). Furniture it kept inside the article by name
goes too. Pages too small to have furniture are kept whole.

Why readability-lxml and not trafilatura: both were tried as the locator on ../shared/corpus
(``benchmarks/corpus.py``, rows ``converter-reader`` and ``converter-reader-trafilatura``).
readability-lxml answers with the page's own elements, so nothing has to be matched back by
text, and it scored higher on Readability's pages and the article-extraction set.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from itertools import pairwise

from lxml import etree
from lxml import html as lxml_html

# Pages with less text than this (characters) are documents or fragments: keep them whole.
MIN_PAGE_CHARS = 500
# A located article this short means the locator found nothing useful.
MIN_ARTICLE_CHARS = 140

ID_ATTR = "data-cx"
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LISTS = frozenset({"ul", "ol", "dl"})
# What readability-lxml may drop that is article structure when it sits inside the article.
RESCUABLE = frozenset({*HEADINGS, *LISTS, "blockquote", "figure", "table", "pre"})
# Structure that may open an article before its first paragraph: a section heading, a table
# of contents, a lead figure (not the <h1>: the page's headline becomes the title).
LEADING = frozenset({"h2", "h3", "h4", "h5", "h6", "figure", "picture", "img"})
# ... and what may close it after its last paragraph.
TRAILING = frozenset({"table", "figure", "picture", "img", "pre", "blockquote"})
BLOCKS = frozenset(
    {"div", "section", "article", "main", "header", "footer", "nav", "aside", "p", "ul", "ol",
     "dl", "li", "table", "figure", "blockquote", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "details", "hgroup", "center", "address", "button", "select", "textarea", "dialog", "menu"}
)  # fmt: skip
WRAPPERS = frozenset({"div", "section", "header", "span", "center", "details", "summary", "hgroup"})

# Tags and ARIA roles that are furniture whatever they hold.
CHROME_TAGS = frozenset({"nav", "aside", "footer", "form", "button", "select", "textarea", "dialog", "menu"})
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu", "menubar", "alertdialog"})
# class/id words of furniture. Short words must be a whole word of the name ("ad-slot",
# "post-tags"); longer ones may start a word ("relatedposts", "sharedaddy", "sidebarLeft").
CHROME_WORDS = frozenset(
    {"ad", "ads", "adv", "nav", "bio", "tags", "tagcloud", "pager", "menu", "sns", "rss"}
)  # fmt: skip
CHROME_PREFIXES = (
    "share", "sharing", "social", "sociable", "related", "recommend", "recirc", "comment",
    "disqus", "newsletter", "subscri", "signup", "promo", "advert", "sponsor", "cookie",
    "consent", "gdpr", "breadcrumb", "navbar", "navigation", "sidebar", "popular",
    "trending", "mostread", "mostpopular", "footer", "masthead", "toolbar", "pagination",
    "outbrain", "taboola", "readmore", "morestories", "paywall", "skiplink",
)  # fmt: skip
_NAME_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)
# Blocks outside what readability-lxml kept whose links make up more than this share of their
# text are furniture ("Read more: …", previous/next post); lists need more, as their items
# are often all link (menus, "Most read", tag clouds), while a list of the article annotates
# its links. A table of contents (links into the page) is never furniture.
LINK_DENSITY = 0.5
LINK_LIST_DENSITY = 0.9
# A block readability-lxml kept is dropped for its name only while it holds less than this
# share of the article's text: "jp-relatedposts" goes, "entry-content has-comments" stays.
KEPT_CHROME_SHARE = 0.5

IsBoilerplate = Callable[[str], bool]
log = logging.getLogger(__name__)


def _name_words(el: etree._Element) -> list[str]:
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    return [w for w in _NAME_SPLIT.split(_CAMEL.sub(r"\1-\2", names).lower()) if w]


def is_chrome_name(el: etree._Element) -> bool:
    """True when an element's tag, role, class or id names page furniture."""
    if el.tag in CHROME_TAGS:
        return True
    if (el.get("role") or "").strip().lower() in CHROME_ROLES:
        return True
    words = _name_words(el)
    # "most-read" and "mostRead" are "mostread": try neighbouring words joined too.
    words += [a + b for a, b in pairwise(words)]
    return any(w in CHROME_WORDS or w.startswith(CHROME_PREFIXES) for w in words)


def is_hidden(el: etree._Element) -> bool:
    """True for what a browser does not show: ``hidden``, ``display: none``."""
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


class PageIndex:
    """Numbers, text sizes and link-text sizes of every element, computed once (linear)."""

    def __init__(self, root: etree._Element) -> None:
        self.by_id: dict[int, etree._Element] = {}
        self.size: dict[int, int] = {}
        self.linked: dict[int, int] = {}
        self.end: dict[int, int] = {}
        self.internal: dict[int, bool] = {}  # every link points inside the page (or none)
        self.loose: dict[int, int] = {}  # text outside headings, lists, quotes, tables, figures
        order = [el for el in root.iter() if isinstance(el.tag, str)]
        for n, el in enumerate(order):
            el.set(ID_ATTR, str(n))
            self.by_id[n] = el
        for n in range(len(order) - 1, -1, -1):
            el = order[n]
            own = _text_len(el.text)
            linked = 0
            end = n
            internal = True
            structured = 0
            for child in el:
                own += _text_len(child.tail)
                if not isinstance(child.tag, str):
                    continue
                c = int(child.get(ID_ATTR))
                own += self.size[c]
                linked += self.linked[c]
                end = max(end, self.end[c])
                internal = internal and self.internal[c]
                structured += self.size[c] - self.loose[c]
            if el.tag == "a":
                linked = own
                href = (el.get("href") or "").strip()
                internal = len(href) > 1 and href.startswith("#")  # "#" alone is a widget control
            self.size[n], self.linked[n], self.end[n], self.internal[n] = own, linked, end, internal
            self.loose[n] = 0 if el.tag in RESCUABLE else own - structured

    def key(self, el: etree._Element) -> int:
        """The element's number (document order)."""
        return int(el.get(ID_ATTR))

    def density(self, el: etree._Element) -> float:
        """Share of the element's text inside links."""
        n = self.key(el)
        return self.linked[n] / self.size[n] if self.size[n] else 0.0


def _text_len(text: str | None) -> int:
    return len(" ".join(text.split())) if text else 0


def _run_readability(root: etree._Element) -> etree._Element | None:
    import readability  # imported lazily: only full pages need it

    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    try:
        markup = readability.Document(copy.deepcopy(root)).summary(html_partial=True)
    except Exception as exc:  # noqa: BLE001  readability.Unparseable, and whatever a hostile page provokes
        log.debug("readability-lxml failed: %s", exc)
        return None
    if not markup or not markup.strip():
        return None
    try:
        return lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


Locator = Callable[[etree._Element], "etree._Element | None"]


def locate_article(
    root: etree._Element, is_boilerplate: IsBoilerplate = lambda text: False, locator: Locator | None = None
) -> etree._Element | None:
    """Return a ``<div>`` holding the page's own elements of the article, or None when the
    page is small or no article is found (then the caller keeps the page whole).

    ``root`` is not changed. ``is_boilerplate(text)`` says whether a heading's text is a
    widget label ("Related", "3 Comments"). ``locator(page)`` answers with the article's
    elements still carrying their ``data-cx`` numbers (readability-lxml by default;
    ``answer_from_numbers`` builds such an answer for a locator that finds text instead).
    """
    work = copy.deepcopy(root)
    body = work.find("body")
    if body is None:
        return None
    page = PageIndex(work)
    if page.size[page.key(body)] < MIN_PAGE_CHARS:
        return None
    found = (locator or _run_readability)(work)
    if found is None:
        return None
    kept = {int(k) for el in found.iter() if isinstance(el.tag, str) and (k := el.get(ID_ATTR, "")).isdigit()}
    kept &= page.by_id.keys()
    kept_chars = sum(page.size[k] for k in kept if not _has_kept_ancestor(page, k, kept))
    if kept_chars < MIN_ARTICLE_CHARS:
        return None
    _restore_tags(found, page)
    kept_chars = _visible_chars(found)
    _drop_kept_furniture(found, page, kept_chars)
    _rescue(found, page, kept, kept_chars, is_boilerplate)
    return found


def answer_from_numbers(work: etree._Element, numbers: set[int]) -> etree._Element | None:
    """An answer made of the numbered elements ``numbers`` (and what holds them), cut from a
    copy of their closest common container: for locators that do not return markup."""
    by_id = {int(el.get(ID_ATTR)): el for el in work.iter() if isinstance(el.tag, str) and el.get(ID_ATTR, "").isdigit()}
    numbers = {n for n in numbers if n in by_id}
    if not numbers:
        return None
    container = _common_ancestor(by_id[min(numbers)], by_id[max(numbers)])
    holders: set[int] = set()
    for n in numbers:
        for a in by_id[n].iterancestors():
            key = int(a.get(ID_ATTR, "-1"))
            if key in holders:
                break
            holders.add(key)
    out = copy.deepcopy(container)
    stack = [out] if int(out.get(ID_ATTR, "-1")) not in numbers else []
    while stack:
        holder = stack.pop()
        holder.text = None  # loose text of a container the locator did not keep
        for child in list(holder):
            key = int(child.get(ID_ATTR, "-1")) if isinstance(child.tag, str) else -1
            if key in numbers:
                continue  # kept whole, with what is inside it
            child.tail = None
            if key in holders:
                stack.append(child)
            else:
                holder.remove(child)
    answer = lxml_html.Element("div")
    answer.append(out)
    return answer


def _has_kept_ancestor(page: PageIndex, key: int, kept: set[int]) -> bool:
    parent = page.by_id[key].getparent()
    return parent is not None and page.key(parent) in kept


def _restore_tags(found: etree._Element, page: PageIndex) -> None:
    """readability-lxml renames divs without block children to <p>: give our tags back."""
    for el in found.iter():
        key = el.get(ID_ATTR) if isinstance(el.tag, str) else None
        if key and key.isdigit() and int(key) in page.by_id:
            original = page.by_id[int(key)]
            try:
                el.tag = original.tag
            except ValueError:  # broken markup parses to odd tag names that lxml will not set
                continue
            el.attrib.clear()
            el.attrib.update(original.attrib)


def _drop_kept_furniture(found: etree._Element, page: PageIndex, kept_chars: int) -> None:
    """Remove furniture readability-lxml kept: named so (share bars, related posts), or taken
    out of a container named so ("Like this:" lifted out of a share box)."""
    for el in list(found.iter(*BLOCKS)):
        key = el.get(ID_ATTR)
        if el is found or el.getparent() is None or not key or not key.isdigit() or int(key) not in page.by_id:
            continue
        if el.xpath("ancestor::pre"):
            continue
        named = is_chrome_name(el) or _lifted_from_furniture(el, page)
        if is_hidden(el) or (named and _visible_chars(el) < KEPT_CHROME_SHARE * kept_chars):
            _remove(el, keep_tail=True)


def _lifted_from_furniture(el: etree._Element, page: PageIndex) -> bool:
    """True when a page ancestor between ``el`` and its parent in the answer is furniture."""
    parent = el.getparent()
    parent_key = parent.get(ID_ATTR) if parent is not None else None
    if not parent_key or not parent_key.isdigit():
        return False
    stop = page.by_id.get(int(parent_key))
    between = []
    for ancestor in page.by_id[int(el.get(ID_ATTR))].iterancestors():
        if ancestor is stop:
            return any(is_chrome_name(a) or is_hidden(a) for a in between)
        between.append(ancestor)
    return False  # readability-lxml moved it here from elsewhere in the article


def _visible_chars(el: etree._Element) -> int:
    return len(" ".join(el.text_content().split()))


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    chain = {id(x) for x in a.iterancestors()} | {id(a)}
    node: etree._Element | None = b
    while node is not None and id(node) not in chain:
        node = node.getparent()
    return node if node is not None else a.getroottree().getroot()


def _rescue(found: etree._Element, page: PageIndex, kept: set[int], kept_chars: int, is_boilerplate: IsBoilerplate) -> None:
    """Put back the structure readability-lxml dropped from within the article's stretch."""
    first, last = page.by_id[min(kept)], page.by_id[max(kept)]
    container = _common_ancestor(first, last)
    start = _extend_start(page, first, container, is_boilerplate)
    while last.getparent() is not None and last.getparent() is not container and page.key(last.getparent()) in kept:
        last = last.getparent()  # from the last kept block, not a link inside it
    end = _extend_end(page, last, container, is_boilerplate)
    holders: set[int] = set()
    for k in kept:
        for a in page.by_id[k].iterancestors():
            n = page.key(a)
            if n in holders:
                break
            holders.add(n)
    present = {int(el.get(ID_ATTR)) for el in found.iter() if isinstance(el.tag, str) and el.get(ID_ATTR, "").isdigit()}
    rescued: list[etree._Element] = []
    stack = [c for c in reversed(container) if isinstance(c.tag, str)]
    while stack:
        el = stack.pop()
        n = page.key(el)
        children = [c for c in reversed(el) if isinstance(c.tag, str)]
        if n in kept and n not in present:
            continue  # furniture readability-lxml kept and we removed: nothing to put back
        if n in holders or n in kept:
            stack.extend(children)
            continue
        if page.end[n] < start or n > end or _is_furniture(page, el, is_boilerplate):
            continue
        if _is_structure(page, el):
            if page.size[n] <= MAX_RESCUE_SHARE * kept_chars:
                rescued.append(el)  # (a 50-slide gallery is not what readability-lxml missed)
        elif page.loose[n] <= MAX_LOOSE_CHARS:
            stack.extend(children)  # a dropped wrapper: look for structure inside it
    spans: dict[etree._Element, tuple[int, int] | None] = {}
    for el in rescued:
        clone = copy.deepcopy(el)
        clone.tail = None
        _insert_in_order(found, clone, page, spans)


MAX_LOOSE_CHARS = 200
# A dropped block bigger than this share of the kept text is not structure readability-lxml
# missed but another part of the page (a 50-slide gallery inside the article).
MAX_RESCUE_SHARE = 0.5


def _is_structure(page: PageIndex, el: etree._Element) -> bool:
    """A heading, list, quote, table or figure, or a wrapper holding only such things."""
    n = page.key(el)
    if el.tag in RESCUABLE:
        return page.size[n] > 0 or el.find(".//img") is not None
    return el.tag in WRAPPERS and page.size[n] > 0 and page.loose[n] == 0


def _insert_in_order(
    found: etree._Element, clone: etree._Element, page: PageIndex, spans: dict[etree._Element, tuple[int, int] | None]
) -> None:
    """Insert ``clone`` where it stood in the page, by the document-order numbers (``spans``
    remembers what the unnumbered wrappers cover)."""
    n = int(clone.get(ID_ATTR))
    node = found
    while True:
        before, before_span = None, None
        for child in node:
            if child not in spans:
                spans[child] = _span(child, page)
            span = spans[child]
            if span and span[0] < n:
                before, before_span = child, span
        if before is None or before_span is None:
            node.insert(0, clone)
            return
        if before_span[1] >= n and before.tag not in INLINE_HOLDERS:
            node = before  # the clone stood inside this element: go down
            continue
        before.addnext(clone)
        return


def _span(el: etree._Element, page: PageIndex) -> tuple[int, int] | None:
    """First and last page numbers an element of the answer covers (wrappers readability-lxml
    made have no number of their own: their contents' numbers count)."""
    if not isinstance(el.tag, str):
        return None
    key = el.get(ID_ATTR)
    if key and key.isdigit() and int(key) in page.end:
        return int(key), page.end[int(key)]
    keys = [int(k) for d in el.iter() if isinstance(d.tag, str) and (k := d.get(ID_ATTR, "")).isdigit() and int(k) in page.end]
    return (min(keys), max(page.end[k] for k in keys)) if keys else None


# Blocks a rescued block must not be put inside (it would end up in a paragraph).
INLINE_HOLDERS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "em", "strong", "b", "i"})


def _extend_start(page: PageIndex, first: etree._Element, container: etree._Element, is_boilerplate: IsBoilerplate) -> int:
    """Move the article's start back over the headings, table of contents or lead figure that
    open it, stopping at the first anything-else."""
    found = _edge(page, first, container, is_boilerplate, LEADING, preceding=True)
    return page.key(found)


def _extend_end(page: PageIndex, last: etree._Element, container: etree._Element, is_boilerplate: IsBoilerplate) -> int:
    """Move the article's end on over the tables, figures, code or quotes that close it (not
    headings or lists: after the last paragraph those are "Related", "Comments", share bars)."""
    found = _edge(page, last, container, is_boilerplate, TRAILING, preceding=False)
    return page.end[page.key(found)]


def _edge(page: PageIndex, edge: etree._Element, container: etree._Element, is_boilerplate: IsBoilerplate,
          allowed: frozenset[str], preceding: bool) -> etree._Element:
    node = edge
    while node is not container and node.getparent() is not None:
        for sib in node.itersiblings(preceding=preceding):
            if not isinstance(sib.tag, str):
                continue
            n = page.key(sib)
            if page.size[n] == 0 and sib.find(".//img") is None:
                continue  # empty wrappers, spacers
            if _is_furniture(page, sib, is_boilerplate) or not _is_part(page, sib, allowed, preceding):
                return edge
            edge = sib
        node = node.getparent()
    return edge


def _is_part(page: PageIndex, el: etree._Element, allowed: frozenset[str], leading: bool) -> bool:
    """``el`` is one of the ``allowed`` kinds of structure (or a wrapper of only such)."""
    if el.tag in allowed or (leading and el.tag in LISTS and page.internal[page.key(el)]):
        return True
    if el.tag in WRAPPERS:
        inner = [c for c in el if isinstance(c.tag, str) and (page.size[page.key(c)] or c.find(".//img") is not None)]
        return bool(inner) and _text_len(el.text) == 0 and all(_is_part(page, c, allowed, leading) for c in inner)
    return False


def _is_furniture(page: PageIndex, el: etree._Element, is_boilerplate: IsBoilerplate) -> bool:
    """Page furniture by its own markup: hidden, named so, a link list, a widget heading."""
    n = page.key(el)
    if is_hidden(el):
        return True
    if el.tag not in BLOCKS:
        return False  # a link or a <span class="share-count"> inside a paragraph is the paragraph's
    if is_chrome_name(el):
        return True
    if page.size[n] == 0:
        return el.find(".//img") is None and el.tag not in ("br", "hr", "img")
    if el.tag in HEADINGS:
        return is_boilerplate(" ".join(el.text_content().split()))
    # Link lists, "Read more: …", previous/next post; not a table of contents. A list whose
    # items say more than their links ("Ana fixed <a>the crash</a>") is the article's.
    limit = LINK_LIST_DENSITY if el.tag in LISTS else LINK_DENSITY
    return page.density(el) > limit and not page.internal[n]


def _remove(el: etree._Element, keep_tail: bool) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if keep_tail and el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
