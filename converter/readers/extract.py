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
bars, related links, comments, newsletter and cookie boxes), link lists ("Most read"; not a
list nested in an item of the article's own list, nor one of written-out web addresses, which
is the article's references and may close it) and widget headings ("Related", "3 Comments"). Furniture it kept inside the article by name
goes too. Pages too small to have furniture are kept whole.

readability-lxml also drops prose: a sibling of its best block scores below its threshold
(``max(10, 0.2 × best)``), so a closing ``<div><p>Two sentences.</p></div>`` after the story's
body div goes, and so does a div its class weight or image count condemns ("media-wrap").
Article text is never to be lost, so paragraphs it dropped are put back: between the first
and the last block it kept, and, when the article sits in a semantic frame (its <article>, or
a <main> / role=main holding exactly one <article>), on to the end of the frame. Not put back:
furniture as above, another <article> inside (a comment), link-heavy prompts ("Follow us on
X, Facebook"), boilerplate phrases, captions, credits and author notes, prose before the
first kept block (sub-headlines, which the benchmarks' references leave out), and, where the
story's paragraphs have a class, a paragraph with none of its words (an editor's note). What
lies between the story and a paragraph put back comes back with it (a figure before it).
In a semantic frame, the lead photo between the headline and the story (in a news page's
<header>, which readability-lxml drops whole) comes back too.

Every block of prose (a sentence of PROSE_WORDS words outside links) that the answer leaves
out is reported as a ``Dropped`` (rule ``extract.inside-article`` or
``extract.outside-article``, source line and element, its prose), which the HTML reader
records as a change: ``converter normalise --report`` shows what was not taken.

Why readability-lxml and not trafilatura: both were tried as the locator on ../shared/corpus
(``benchmarks/corpus.py``, rows ``converter-reader`` and ``converter-reader-trafilatura``).
readability-lxml answers with the page's own elements, so nothing has to be matched back by
text, and it scored higher on Readability's pages and the article-extraction set.
"""

from __future__ import annotations

import copy
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree
from lxml import html as lxml_html

from .sanitise import remove_keep_tail, unwrap

# Pages with less text than this (characters) are documents or fragments: keep them whole.
MIN_PAGE_CHARS = 500
# A located article this short means the locator found nothing useful.
MIN_ARTICLE_CHARS = 140
# readability-lxml first removes every element whose class or id sounds like furniture
# ("sidebar", "comment", "footer", ...) with all it holds, sparing only those that hold an
# <article> or <main>, and tries again without that step only when its answer is under 250
# characters of *markup*. A story wrapped, inside its <article>, in a layout div named
# "c-fixed-sidebar-layout" is lost that way, and a hidden newsletter box of 400 characters
# wins. Readability.js tries again below 500 characters of *text* and keeps the longer
# answer; so do we.
RETRY_TEXT_CHARS = 500

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
CHROME_TAGS = frozenset({"nav", "aside", "footer", "form", "button", "label", "select", "textarea", "dialog", "menu"})
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu", "menubar", "alertdialog", "button"})
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
# A block holds prose when its text outside links has a sentence of at least this many words
# (a CJK character counts half a word): a paragraph, not a headline, a menu or a byline.
PROSE_WORDS = 8
MIN_PROSE_CHARS = 2 * PROSE_WORDS - 1  # eight one-letter words and their spaces
# ... and is put back into the article when no more of its text than this is link text.
PROSE_LINK_DENSITY = 0.25
# (Linear on any run of punctuation: a match starts only where a run starts, and takes it
# whole without giving back.)
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+(?=\s|$)|(?<![。！？])[。！？]++[」』”’）]*+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+")
# Text that is not the page's prose: link text (menus, teasers, "Read more"), code, controls.
_PROSE_TEXT = (
    "descendant-or-self::text()[not(ancestor::a[@href] or ancestor::script or ancestor::style or "
    "ancestor::noscript or ancestor::template or ancestor::button or ancestor::select or "
    "ancestor::textarea)]"
)
# class/id words of what accompanies the text: kept where readability-lxml keeps them, never
# put back as the article's prose (the article-extraction benchmark's readers leave them out).
NOTE_WORDS = frozenset({"caption", "captions", "credit", "credits", "byline", "author", "authors", "bio"})
# class/id words of a standfirst: the lead paragraph between the headline and the story, which
# is the story's first sentences ("tb-article-intro", "article-single__excerpt", "dek").
# Where an article first ran: "This post originally appeared on Grist.", "This story was
# first published by The Conversation." (a short note, among a few blocks before the frame).
PROVENANCE = re.compile(
    r"^(?:this|the) (?:post|article|story|piece|essay|column|interview|report|review)\b[^.]{0,40}?"
    r"\b(?:originally|first) (?:appeared|ran|published|was published)\b.{1,200}$",
    re.IGNORECASE,
)
PROVENANCE_MAX_WORDS = 40
PROVENANCE_SIBLINGS = 3
# Words of a standfirst outside an <article> frame at least: a sub-headline is shorter.
EXCERPT_MIN_WORDS = 12
LEAD_WORDS = frozenset({"intro", "lead", "lede", "standfirst", "excerpt", "dek", "summary", "teaser", "kicker"})
_SILENT = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link"})

IsBoilerplate = Callable[[str], bool]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dropped:
    """A block of prose the extractor left out: ``rule`` is ``extract.inside-article`` (within
    the article's frame or stretch: furniture, a caption, a sub-headline) or
    ``extract.outside-article``; ``where`` names its source line and element; ``text`` is its
    prose (the text outside links)."""

    rule: str
    where: str
    text: str


def has_prose(text: str) -> bool:
    """True when ``text`` has a sentence (ending . ! ? …) of at least PROSE_WORDS words."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        sentence = text[start : end.start()]
        start = end.end()
        cjk = len(_CJK.findall(sentence))
        words = len(_WORD.findall(_CJK.sub(" ", sentence))) if cjk else len(_WORD.findall(sentence))
        if words + cjk // 2 >= PROSE_WORDS:
            return True
    return False


def prose_text(el: etree._Element) -> str:
    """The element's text outside links, scripts and form controls, white space collapsed."""
    return " ".join(" ".join(el.xpath(_PROSE_TEXT)).split())


def _name_words(el: etree._Element) -> list[str]:
    """The words of the element's class names and id. A name's words after "has", "with",
    "no" or "without" say what the element has, not what it is, and are left out: a figure
    "fig--has-shares" has a share button, "entry-content has-comments" is the story."""
    words: list[str] = []
    for name in f"{el.get('class') or ''} {el.get('id') or ''}".split():
        for word in _NAME_SPLIT.split(_CAMEL.sub(r"\1-\2", name).lower()):
            if word in MODIFIER_WORDS:
                break
            if word:
                words.append(word)
    return words


MODIFIER_WORDS = frozenset({"has", "with", "no", "without"})


def is_chrome_name(el: etree._Element) -> bool:
    """True when an element's tag, role, class or id names page furniture (but not a wrapper
    of an embedded post: ``<div class="social-media-embed"><blockquote class="twitter-tweet">``
    is a quotation the article shows, not a share bar)."""
    if el.tag in CHROME_TAGS:
        return True
    if (el.get("role") or "").strip().lower() in CHROME_ROLES:
        return True
    words = _name_words(el)
    # "most-read" and "mostRead" are "mostread": try neighbouring words joined too.
    words += [a + b for a, b in pairwise(words)]
    return any(w in CHROME_WORDS or w.startswith(CHROME_PREFIXES) for w in words) and not is_embedded_post(el)


# The class of the <blockquote> each network's embed code puts in a page: the post's own text,
# which a script would turn into a card (Twitter/X, Instagram, TikTok, Reddit, Bluesky,
# Mastodon, Threads).
EMBEDDED_POST_CLASSES = frozenset({"twitter-tweet", "instagram-media", "tiktok-embed", "reddit-embed-bq",
                                   "bluesky-embed", "mastodon-embed", "text-post-media"})


def is_embedded_post(el: etree._Element) -> bool:
    """An embedded post's blockquote, or a wrapper that holds one and nothing else to read."""
    quotes = [q for q in el.iter("blockquote") if EMBEDDED_POST_CLASSES & set((q.get("class") or "").split())]
    if not quotes:
        return False
    inside = sum(len("".join(q.itertext()).split()) for q in quotes)
    return len("".join(el.itertext()).split()) - inside <= 5


# Classes that hide an element from the screen in every stylesheet that uses them: text for
# screen readers only (BBC's "off-screen" "Media caption" and "Image copyright" labels,
# Bootstrap's "sr-only", WordPress's "screen-reader-text"). Plain "hidden" and "d-none" are
# not among them: with a breakpoint's class beside them (Tailwind's "hidden md:block", The
# Verge's figures) they hide only on small screens.
HIDDEN_CLASSES = frozenset({
    "sr-only", "screen-reader-text", "screen-reader-only", "visually-hidden", "visuallyhidden",
    "off-screen", "offscreen", "element-invisible", "hidden-visually", "u-visually-hidden",
    "is-visually-hidden",
})


def is_hidden(el: etree._Element) -> bool:
    """True for what a browser does not show: ``hidden``, ``display: none``, a class in
    HIDDEN_CLASSES."""
    return (el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
            or not HIDDEN_CLASSES.isdisjoint((el.get("class") or "").lower().split()))


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
            if el.tag == "a" and el.get("href") is not None:  # (an <a name> anchor is no link)
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
    """readability-lxml's answer; a second, lenient one when the first is short (see
    RETRY_TEXT_CHARS), the one with more text winning."""
    found = _readability_answer(root, ruthless=True)
    if found is not None and _text_len(found.text_content()) >= RETRY_TEXT_CHARS:
        return found
    lenient = _readability_answer(root, ruthless=False)
    if lenient is None:
        return found
    if found is None or _text_len(lenient.text_content()) > _text_len(found.text_content()):
        return lenient
    return found


def _readability_answer(root: etree._Element, ruthless: bool) -> etree._Element | None:
    import readability  # imported lazily: only full pages need it

    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    try:
        page = copy.deepcopy(root)
        # readability-lxml counts all the text inside any <a> as link text: an old page's
        # <a name="top"> left open around the whole story scores it as a link list.
        for anchor in [a for a in page.iter("a") if a.get("href") is None]:
            unwrap(anchor)
        document = readability.Document(page)
        if not ruthless:  # keep the elements whose class or id sounds like furniture
            document.remove_unlikely_candidates = lambda: None
        markup = document.summary(html_partial=True)
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
    root: etree._Element, is_boilerplate: IsBoilerplate = lambda text: False, locator: Locator | None = None,
    dropped: list[Dropped] | None = None,
) -> etree._Element | None:
    """Return a ``<div>`` holding the page's own elements of the article, or None when the
    page is small or no article is found (then the caller keeps the page whole).

    ``root`` is not changed. ``is_boilerplate(text)`` says whether a block's text is a
    widget label or prompt ("Related", "3 Comments", "Sign up for our newsletter").
    ``locator(page)`` answers with the article's elements still carrying their ``data-cx``
    numbers (readability-lxml by default; ``answer_from_numbers`` builds such an answer for a
    locator that finds text instead). When an article is found, the blocks of prose left out
    of it are appended to ``dropped``.
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
    _restore_figures(found, page)
    _restore_note_refs(found, page)
    kept_chars = _visible_chars(found)
    _drop_kept_furniture(found, page, kept_chars)
    inside = _rescue(found, page, kept, kept_chars, is_boilerplate)
    _restore_cited_notes(found, page)
    if dropped is not None:
        present = {int(k) for el in found.iter() if isinstance(el.tag, str) and (k := el.get(ID_ATTR, "")).isdigit()}
        present &= page.by_id.keys()
        holders = _holders(page, present)

        def status(el: etree._Element) -> str:
            n = page.key(el)
            return "present" if n in present else "holder" if n in holders else "dropped"

        def rule(el: etree._Element) -> str:
            n = page.key(el)
            return "extract.inside-article" if inside[0] <= n <= inside[1] else "extract.outside-article"

        dropped.extend(_dropped_prose(body, status, rule, page))
    return found


# A post of a forum thread: the class of the box each post of it is in ("forum-post", which
# converter.readers.forums gives a phpBB post; "topic-post" on Discourse, "postbit" on
# vBulletin). (Not WordPress's "post": a blog's archive page holds many.)
POST_CLASS = re.compile(r"^(?:forum-post|topic-post|postbit|postbitlegacy)$", re.IGNORECASE)
# Characters of a post's text at least, to be put back.
POST_MIN_CHARS = 40
# How far above a kept block its post box is looked for.
POST_BOX_DEPTH = 4


def _sibling_posts(page: PageIndex, found: etree._Element, present: set[int]) -> list[etree._Element]:
    """The other posts of a forum thread: readability-lxml takes the post that scores best (the
    longest answer) and drops the question above it and the replies below. A post box of the
    answer, or around a block of it (class "forum-post", "topic-post"…), brings back its
    siblings of the same tag and class, and its own heading (the poster's name)."""
    boxes = []
    for el in found.iter():
        key = el.get(ID_ATTR, "") if isinstance(el.tag, str) else ""
        if not key.isdigit() or int(key) not in page.by_id:
            continue
        original = page.by_id[int(key)]
        for box in itertools.islice(itertools.chain([original], original.iterancestors()), POST_BOX_DEPTH):
            if any(POST_CLASS.match(c) for c in (box.get("class") or "").split()) and box not in boxes:
                boxes.append(box)  # (readability-lxml keeps the post's text box, inside it)
                break
    posts: list[etree._Element] = []
    for box in boxes:
        parent = box.getparent()
        if parent is None or any(b in box.iterancestors() for b in boxes):
            continue
        kinds = {c for c in (box.get("class") or "").split() if POST_CLASS.match(c)}
        posts.extend(h for h in box if isinstance(h.tag, str) and h.tag in HEADINGS
                     and page.key(h) not in present and h not in posts)  # (the kept post's poster)
        for sibling in parent:
            if (sibling is box or not isinstance(sibling.tag, str) or sibling.tag != box.tag
                    or not kinds & set((sibling.get("class") or "").split())):
                continue
            n = page.key(sibling)
            if n not in present and page.size[n] >= POST_MIN_CHARS and not is_hidden(sibling) and sibling not in posts:
                posts.append(sibling)
    return posts


def _restore_cited_notes(found: etree._Element, page: PageIndex) -> None:
    """The notes the article cites, put back whole where the answer lost their anchors: a
    note's block (Substack's ``<div class="footnote">``, its number's link carrying the id the
    reference points at, then its text) of which readability-lxml kept the text and dropped
    the anchor, or that it dropped whole. The reference pointed nowhere and the note read as
    one more paragraph of the article."""
    from .footnotes import note_block  # (what the footnote reader reads)

    present_ids = {el.get("id") for el in found.iter() if isinstance(el.tag, str) and el.get("id")}
    refs = [a for a in found.iter("a") if a.get(ID_ATTR, "").isdigit() and _is_note_ref(a)
            and a.get("href").strip()[1:] not in present_ids]
    if not refs:
        return  # (most pages: no page index of ids to build)
    page_ids: dict[str, etree._Element] = {}
    for el in page.by_id.values():
        if el.get("id"):
            page_ids.setdefault(el.get("id"), el)
    blocks: list[etree._Element] = []
    for a in refs:
        target = page_ids.get(a.get("href").strip()[1:])
        if target is None or page.key(target) <= page.key(a):
            continue
        block = note_block(target)
        if block is not None and block not in blocks and not any(b in block.iterancestors() for b in blocks):
            blocks.append(block)
    if not blocks:
        return
    inside = {page.key(e) for block in blocks for e in block.iter() if isinstance(e.tag, str)}
    for el in [e for e in found.iter() if isinstance(e.tag, str) and e.get(ID_ATTR, "").isdigit()
               and int(e.get(ID_ATTR)) in inside]:
        parent = el.getparent()
        if parent is not None and not (parent.get(ID_ATTR, "").isdigit() and int(parent.get(ID_ATTR)) in inside):
            remove_keep_tail(el)  # what the answer kept of a note: the whole note comes back
    clones = []
    for block in blocks:
        clone = copy.deepcopy(block)
        clone.tail = None
        clones.append(clone)
    _insert_in_order(found, clones, page)


def dropped_outside(root: etree._Element, container: etree._Element) -> list[Dropped]:
    """The blocks of prose of ``root``'s body outside ``container`` (the part of the page that
    is read when no article was located)."""
    body = root.find("body")
    if body is None or container is body or container is root:
        return []
    holders = set(container.iterancestors())

    def status(el: etree._Element) -> str:
        return "present" if el is container else "holder" if el in holders else "dropped"

    return _dropped_prose(body, status, lambda el: "extract.outside-article")


def _holders(page: PageIndex, present: set[int]) -> set[int]:
    """Numbers of the elements that hold ``present`` ones without being present themselves."""
    holders: set[int] = set()
    for k in present:
        for a in page.by_id[k].iterancestors():
            n = page.key(a)
            if n in holders or n in present:
                break
            holders.add(n)
    return holders


def _dropped_prose(
    body: etree._Element, status: Callable[[etree._Element], str], rule: Callable[[etree._Element], str],
    page: PageIndex | None = None,
) -> list[Dropped]:
    """Each outermost dropped block of ``body`` that holds prose, and the loose prose of the
    elements that hold the kept ones; ``status(el)`` is "present", "holder" or "dropped"."""
    out: list[Dropped] = []
    stack = [body]
    while stack:  # depth first, in page order
        el = stack.pop()
        state = status(el)
        if state == "dropped":
            if page is not None and not _may_be_prose(page, el):
                continue
            text = prose_text(el)
            if has_prose(text):
                out.append(Dropped(rule(el), where_in_page(el), text))
            continue
        if state == "holder":
            loose = " ".join(" ".join(el.xpath("text()")).split())
            if has_prose(loose) and not el.xpath("ancestor::a[@href]"):
                out.append(Dropped(rule(el), where_in_page(el), loose))
        stack.extend(c for c in reversed(el) if isinstance(c.tag, str) and c.tag not in _SILENT)
    return out


def _may_be_prose(page: PageIndex, el: etree._Element) -> bool:
    """False when the element has too little text outside links for a sentence of prose
    (a quick test before ``prose_text``: icons, buttons, menus)."""
    n = page.key(el)
    return page.size[n] - page.linked[n] >= MIN_PROSE_CHARS


def where_in_page(el: etree._Element) -> str:
    """``line 12, div#comments.comments-area``: where a dropped block was in the page."""
    name = str(el.tag)
    if el.get("id"):
        name += "#" + el.get("id", "").strip()
    name += "".join("." + c for c in (el.get("class") or "").split()[:3])
    name = name if len(name) <= 80 else name[:79] + "…"
    return f"line {el.sourceline}, {name}" if el.sourceline else name


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


PICTURES = ("img", "picture", "video")


def _restore_figures(found: etree._Element, page: PageIndex) -> None:
    """readability-lxml keeps a <figure> but cleans the wrappers around its image away (a
    lazy-loading page's nested divs, too short to keep on their own; the Guardian's link
    around the picture, with its zoom icon left): a figure of the answer with fewer pictures
    than the page's figure gets the page's contents back."""
    for figure in list(found.iter("figure")):
        key = figure.get(ID_ATTR)
        original = page.by_id.get(int(key)) if key and key.isdigit() else None
        if original is None or len(list(figure.iter(*PICTURES))) >= len(list(original.iter(*PICTURES))):
            continue
        _give_back_content(figure, original)


def _give_back_content(el: etree._Element, original: etree._Element) -> None:
    """Replace what the answer kept inside ``el`` by a copy of the page's ``original``'s content."""
    for child in list(el):
        el.remove(child)
    el.text = original.text
    for child in original:
        el.append(copy.deepcopy(child))


def _is_note_ref(a: etree._Element) -> bool:
    """A link to a note: to an anchor of the page, its text a note marker, named as a note or
    in a superscript (what the footnote reader takes)."""
    from .footnotes import MARKER, names_a_note

    href = (a.get("href") or "").strip()
    parent = a.getparent()
    return (len(href) > 1 and href.startswith("#") and MARKER.match(" ".join(a.text_content().split())) is not None
            and (names_a_note(a) or (parent is not None and parent.tag == "sup")))


def _text_without(el: etree._Element, gone: set[etree._Element]) -> str:
    """The text of ``el`` without that of the elements in ``gone`` (their tails kept)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node in gone:
            parts.append(node.tail or "")
            return
        parts.append(node.text or "" if isinstance(node.tag, str) else "")
        for child in node:
            walk(child)
        if node is not el:
            parts.append(node.tail or "")

    walk(el)
    return "".join("".join(parts).split())


def _restore_note_refs(found: etree._Element, page: PageIndex) -> None:
    """readability-lxml removes every element whose class or id holds "foot" (a page footer's
    word), a note reference too (Substack's ``<a class="footnote-anchor">1</a>``): a block
    that lost only its references gets the page's content back."""
    for el in list(found.iter("p", "li", "dd", "td", "th", "blockquote", *HEADINGS)):
        key = el.get(ID_ATTR, "")
        original = page.by_id.get(int(key)) if key.isdigit() else None
        if original is None:
            continue
        kept = {e.get(ID_ATTR) for e in el.iter() if isinstance(e.tag, str)}
        missing = {a for a in original.iter("a") if a.get(ID_ATTR) not in kept and _is_note_ref(a)}
        if not missing or "".join("".join(el.itertext()).split()) != _text_without(original, missing):
            continue
        _give_back_content(el, original)


def _drop_kept_furniture(found: etree._Element, page: PageIndex, kept_chars: int) -> None:
    """Remove furniture readability-lxml kept: named so (share bars, related posts), or taken
    out of a container named so ("Like this:" lifted out of a share box)."""
    for el in list(found.iter(*BLOCKS)):
        key = el.get(ID_ATTR)
        if el is found or el.getparent() is None or not key or not key.isdigit() or int(key) not in page.by_id:
            continue
        if el.xpath("ancestor::pre"):
            continue
        # (Named by the page's element: readability-lxml drops an embedded tweet's blockquote
        # from its wrapper, which is then named "social-media-embed" and holds no post.)
        named = is_chrome_name(page.by_id[int(key)]) or _lifted_from_furniture(el, page)
        if is_hidden(el) or (named and _visible_chars(el) < KEPT_CHROME_SHARE * kept_chars):
            remove_keep_tail(el)


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


def _rescue(
    found: etree._Element, page: PageIndex, kept: set[int], kept_chars: int, is_boilerplate: IsBoilerplate
) -> tuple[int, int]:
    """Put back the prose and structure readability-lxml dropped from the article; return the
    first and last page numbers of what counts as the article (its frame, or its stretch)."""
    first, last = page.by_id[min(kept)], page.by_id[max(kept)]
    container = _common_ancestor(first, last)
    frame = _semantic_frame(container)
    scope = container if frame is None else frame
    start = _extend_start(page, first, container, is_boilerplate)
    while last.getparent() is not None and last.getparent() is not container and page.key(last.getparent()) in kept:
        last = last.getparent()  # from the last kept block, not a link inside it
    end = _extend_end(page, last, container, is_boilerplate)
    holders = _holders(page, kept)
    present = {int(el.get(ID_ATTR)) for el in found.iter() if isinstance(el.tag, str) and el.get(ID_ATTR, "").isdigit()}
    # Prose from the article's start on: to the end of a semantic frame, else to the last kept
    # block. (Before the first paragraph, prose is a sub-headline, a caption or a byline, which
    # Readability.js and the article-extraction benchmark's readers leave out; only a block
    # named as a standfirst, or following the headline in a header, is taken, see _standfirst.)
    prose = _dropped_paragraphs(page, scope, kept, holders, present, is_boilerplate,
                                (start, page.end[page.key(scope)] if frame is not None else end))
    if frame is not None:
        prose += _standfirst(found, page, scope, kept, holders, present, is_boilerplate, page.key(frame), start)
        prose += _provenance_note(found, page, frame, kept, present)
    else:
        prose += _excerpt_after_headline(found, page, first, kept, present, is_boilerplate, start)
    if prose:  # what lies between the article and a paragraph put back is the article too
        end = max(end, *(page.end[page.key(el)] for el in prose))
    # A wrapper whose paragraphs come back is the article's: its lists and headings come back
    # with them, however much prose it holds (a Medium section readability-lxml dropped whole).
    prose_holders = {page.key(a) for el in prose for a in el.iterancestors()}
    rescued: list[etree._Element] = []
    stack = [c for c in reversed(scope) if isinstance(c.tag, str)]
    while stack:
        el = stack.pop()
        n = page.key(el)
        children = [c for c in reversed(el) if isinstance(c.tag, str)]
        if n in kept and n not in present:
            continue  # furniture readability-lxml kept and we removed: nothing to put back
        if n in holders or n in kept or n in prose_holders:
            stack.extend(children)
            continue
        if page.end[n] < start or n > end or _is_furniture(page, el, is_boilerplate, _is_sublist(page, el, kept)):
            continue
        if _is_structure(page, el):
            if page.size[n] <= MAX_RESCUE_SHARE * kept_chars:
                rescued.append(el)  # (a 50-slide gallery is not what readability-lxml missed)
        elif page.loose[n] <= MAX_LOOSE_CHARS:
            stack.extend(children)  # a dropped wrapper: look for structure inside it
    if frame is not None:
        lead = _lead_figure(page, frame, start, kept, present, is_boilerplate)
        if lead is not None and lead not in rescued:
            rescued.append(lead)
    rescued.extend(el for el in _reading_lists(page, found, present, is_boilerplate) if el not in rescued)
    rescued.extend(el for el in _sibling_posts(page, found, present) if el not in rescued)
    prose += _lead_ins(page, rescued, kept, present, prose, is_boilerplate)
    clones = []
    for el in {*rescued, *prose}:
        clone = copy.deepcopy(el)
        clone.tail = None
        clones.append(clone)
    _insert_in_order(found, clones, page)
    if frame is not None:
        return page.key(frame), page.end[page.key(frame)]
    return start, end


# Blocks after a reading-list heading looked at for its lists, at most.
READING_LIST_SIBLINGS = 6
# Items a list under any other heading has at least, to be put back, and the share of its links
# to this page's anchors that makes it the page's contents (which stay out).
RESCUED_LIST_MIN_ITEMS = 2
CONTENTS_SHARE = 0.8


def _reading_lists(page: PageIndex, found: etree._Element, present: set[int],
                   is_boilerplate: IsBoilerplate) -> list[etree._Element]:
    """The lists under a heading of the article that readability-lxml dropped as link lists
    and kept the heading: the lists under "See also", "External links" or "Further reading"
    (a reference work's reading list is links by nature: a Wikipedia article's last
    sections), and the list right under any other heading of the article that is no label
    for other stories ("Links mentioned" over a podcast's links; "Related" is a label)."""
    from ..normalise.patterns import (  # (the normaliser's label lists)
        MORE_FROM_LABEL,
        RELATED_LABEL,
        RELATED_LABEL_ELSEWHERE,
        REFERENCE_SECTION_LABEL,
    )

    others = re.compile(rf"^(?:{RELATED_LABEL})$", re.IGNORECASE)
    lists = []
    for heading in found.iter(*HEADINGS):
        key = heading.get(ID_ATTR, "")
        label = " ".join(heading.text_content().split())
        if not key.isdigit() or int(key) not in page.by_id or not label:
            continue
        reference = REFERENCE_SECTION_LABEL.match(label) is not None
        if not reference and (others.match(label) or MORE_FROM_LABEL.match(label)
                              or RELATED_LABEL_ELSEWHERE.match(label) or is_boilerplate(label)):
            continue
        node = page.by_id[int(key)]
        parent = node.getparent()
        # A heading alone in its wrapper (MediaWiki's <div class="mw-heading">): the wrapper's
        # siblings follow it.
        if parent is not None and parent.tag in WRAPPERS and not any(
                isinstance(c.tag, str) and c is not node and c.tag in BLOCKS for c in parent):
            node = parent
        siblings = (s for s in node.itersiblings() if isinstance(s.tag, str))
        for sibling in itertools.islice(siblings, READING_LIST_SIBLINGS if reference else 1):
            if sibling.tag in HEADINGS or next(sibling.iter(*HEADINGS), None) is not None:
                break
            n = page.key(sibling)
            if n in present or is_hidden(sibling) or is_chrome_name(sibling) or page.size[n] == 0:
                continue
            if sibling.tag in LISTS or (sibling.tag in WRAPPERS and page.loose[n] == 0 and all(
                    c.tag in LISTS for c in sibling if isinstance(c.tag, str) and page.size[page.key(c)])):
                items = [li for li in sibling.iter("li") if li.text_content().strip()]
                hrefs = [(a.get("href") or "").strip() for a in sibling.iter("a") if a.get("href")]
                contents = bool(hrefs) and sum(h.startswith("#") for h in hrefs) >= CONTENTS_SHARE * len(hrefs)
                if reference or (len(items) >= RESCUED_LIST_MIN_ITEMS and not contents):
                    lists.append(sibling)  # (not "50 show all", a gallery's button, nor a contents list)
    return lists


def _lead_figure(
    page: PageIndex, frame: etree._Element, start: int, kept: set[int], present: set[int],
    is_boilerplate: IsBoilerplate,
) -> etree._Element | None:
    """The article's lead picture: the first <figure> with a picture in its frame after the
    headline and before the story's first kept block. A news page's <header> holds headline,
    standfirst and lead photo, and readability-lxml drops the header whole (nytimes-3)."""
    h1 = next(frame.iter("h1"), None)
    after = page.key(h1) if h1 is not None else page.key(frame)
    for figure in frame.iter("figure"):
        n = page.key(figure)
        if n >= start:
            return None
        if n < after or n in kept or n in present or next(figure.iter(*PICTURES), None) is None:
            continue
        between = [a for a in figure.iterancestors() if a is not frame and page.key(a) > page.key(frame)]
        if any(a.tag == "article" or _is_furniture(page, a, is_boilerplate) for a in between):
            continue  # a teaser's picture, a gallery or a share box
        if _is_furniture(page, figure, is_boilerplate):
            continue
        return figure
    return None


def _lead_ins(
    page: PageIndex, rescued: list[etree._Element], kept: set[int], present: set[int],
    prose: list[etree._Element], is_boilerplate: IsBoilerplate,
) -> list[etree._Element]:
    """The paragraph that introduces a list put back ("Her points are fairly clear:"), which
    has no sentence end for ``has_prose`` to find: the list's previous sibling, dropped too,
    ending in a colon, not furniture or a prompt."""
    out: list[etree._Element] = []
    for el in rescued:
        if el.tag not in LISTS:
            continue
        before = el.getprevious()
        while before is not None and not isinstance(before.tag, str):
            before = before.getprevious()
        if before is None or before.tag not in ("p", "div") or before in prose or before in out:
            continue
        n = page.key(before)
        text = " ".join(before.text_content().split())
        if (n in kept or n in present or not text.endswith(":") or len(text.split()) < 3
                or any(isinstance(c.tag, str) and c.tag in BLOCKS for c in before)
                or _is_furniture(page, before, is_boilerplate) or _is_note_name(before)
                or page.density(before) > PROSE_LINK_DENSITY or is_boilerplate(text)):
            continue
        out.append(before)
    return out


def _standfirst(
    found: etree._Element, page: PageIndex, scope: etree._Element, kept: set[int], holders: set[int],
    present: set[int], is_boilerplate: IsBoilerplate, frame_start: int, start: int,
) -> list[etree._Element]:
    """The prose between the frame's start and the article's that is named as a standfirst
    (LEAD_WORDS), or that follows the headline in the article's ``<header>`` (the NYT's
    standfirst has only generated class names), and says something the answer does not
    already say (pages repeat their standfirst as the story's first line)."""
    # (A standfirst is its own component: its class is never the story paragraphs'.)
    named = [el for el in _dropped_paragraphs(page, scope, kept, holders, present, is_boilerplate,
                                              (frame_start, start), story_only=False)
             if any(w in LEAD_WORDS for w in _name_words(el)) or _follows_headline(page, el, frame_start)]
    if not named:
        return []
    said = " ".join(found.text_content().split())  # (the answer's text only when needed)
    return [el for el in named if " ".join(el.text_content().split()) not in said]


def _excerpt_after_headline(
    found: etree._Element, page: PageIndex, first: etree._Element, kept: set[int], present: set[int],
    is_boilerplate: IsBoilerplate, start: int,
) -> list[etree._Element]:
    """Without an <article> frame: the block named as a standfirst (LEAD_WORDS) that stands
    between the page's headline and the article's start, beside them in one parent, a
    heading or a paragraph of prose the answer does not already say (thelocal's
    ``<h2 class="article-single__excerpt">`` between its ``<h1>`` and ``#articleBody``,
    in a ``<main>`` without ``<article>``). A heading comes back as a paragraph."""
    holder = next((a for a in first.iterancestors() if page.key(a) < start), None)
    while holder is not None and next(holder.iterchildren("h1"), None) is None:
        holder = holder.getparent()
    if holder is None:
        return []
    h1 = [h for h in holder.iterchildren("h1") if page.key(h) < start][-1:]
    if not h1:
        return []
    for el in holder.iterchildren():
        n = page.key(el) if isinstance(el.tag, str) else -1
        if n <= page.key(h1[0]) or page.end[n] >= start:
            continue
        if n in kept or n in present or not any(w in LEAD_WORDS for w in _name_words(el)):
            continue
        text = " ".join(el.text_content().split())
        if (el.tag not in ("p", "div", *HEADINGS) or any(isinstance(c.tag, str) and c.tag in BLOCKS for c in el)
                or not has_prose(text) or len(text.split()) < EXCERPT_MIN_WORDS
                or _is_furniture(page, el, is_boilerplate) or is_boilerplate(text)
                or text in " ".join(found.text_content().split())):
            continue
        if el.tag in HEADINGS:
            el = copy.deepcopy(el)
            el.tag = "p"
        return [el]
    return []


def _provenance_note(
    found: etree._Element, page: PageIndex, frame: etree._Element, kept: set[int], present: set[int],
) -> list[etree._Element]:
    """The note saying where the article first ran, set just before its <article> ("This post
    originally appeared on Grist." in salon's ``<p class="editors_note">``): the article's,
    put back at its start. Only among the frame's few previous siblings (and inside them)."""
    sibling, looked = frame.getprevious(), 0
    while sibling is not None and looked < PROVENANCE_SIBLINGS:
        if isinstance(sibling.tag, str):
            looked += 1
            for el in sibling.iter("p", "div"):
                n = page.key(el)
                text = " ".join(el.text_content().split())
                if (n not in kept and n not in present and len(text.split()) <= PROVENANCE_MAX_WORDS
                        and PROVENANCE.match(text) and text not in " ".join(found.text_content().split())):
                    return [el]
        sibling = sibling.getprevious()
    return []


def _follows_headline(page: PageIndex, el: etree._Element, frame_start: int) -> bool:
    """True for a paragraph of prose in a ``<header>`` inside the article's frame that comes
    after that header's ``<h1>`` with no other text between them: the standfirst."""
    header = next((a for a in el.iterancestors("header") if page.key(a) > frame_start), None)
    h1 = next(header.iter("h1"), None) if header is not None else None
    if h1 is None or page.key(h1) > page.key(el) or not has_prose(" ".join(el.text_content().split())):
        return False
    for n in range(page.end[page.key(h1)] + 1, page.key(el)):
        between = page.by_id[n]
        if between.tag not in _SILENT and ((between.text or "").strip() or (between.tail or "").strip()):
            return False  # a sub-headline, a byline or a kicker comes first: not the standfirst
    return True


def _is_note_name(el: etree._Element) -> bool:
    """Named for what accompanies an article's text, not its text: captions, credits, bylines
    and author notes ("wp-caption", "post-author", "embeddedMediaCaption")."""
    return any(w in NOTE_WORDS for w in _name_words(el))


def _semantic_frame(container: etree._Element) -> etree._Element | None:
    """The <article> around the located article, else the <main> (or role=main) around it when
    that holds exactly one <article>: the prose in it after the article's start is the story's."""
    chain = [container, *container.iterancestors()]
    for el in chain:
        if el.tag == "article":
            return el
    for el in chain:
        if el.tag == "main" or (el.get("role") or "").strip().lower() == "main":
            # Without an <article> in it, a <main> is often the whole content column: calls to
            # action and teasers whose names say nothing (gitlab-blog's role=main); with
            # several, a list of stories.
            return el if sum(1 for _ in el.iter("article")) == 1 else None
    return None


def _dropped_paragraphs(
    page: PageIndex, scope: etree._Element, kept: set[int], holders: set[int], present: set[int],
    is_boilerplate: IsBoilerplate, stretch: tuple[int, int], story_only: bool = True,
) -> list[etree._Element]:
    """The prose blocks in ``scope`` after ``stretch[0]`` and up to ``stretch[1]`` that
    readability-lxml dropped and that are not furniture, captions or author notes: paragraphs,
    or blocks holding only text and inline markup. With ``story_only`` a paragraph must share
    a class with the story's paragraphs, when they have one (``_story_classes``)."""
    out: list[etree._Element] = []
    story_classes = _story_classes(page, present) if story_only else frozenset()
    stack = [c for c in reversed(scope) if isinstance(c.tag, str)]
    while stack:
        el = stack.pop()
        n = page.key(el)
        children = [c for c in reversed(el) if isinstance(c.tag, str)]
        if n in kept or n in holders:
            if n in present or n in holders:
                stack.extend(children)
            continue  # (kept but not present: furniture we removed)
        if page.end[n] <= stretch[0] or n > stretch[1]:
            continue
        if el.tag not in BLOCKS or el.tag in RESCUABLE or el.tag == "article":
            continue  # inline bits; structure (put back on its own terms); another article
        if _is_furniture(page, el, is_boilerplate) or _is_note_name(el):
            continue
        if n <= stretch[0] and el.tag not in WRAPPERS:
            continue  # it opens the article (the wrappers holding the start are looked into)
        if any(c.tag in BLOCKS or c.tag in RESCUABLE for c in children):
            stack.extend(children)  # a wrapper: its paragraphs are judged one by one
            continue
        # Link density as readability-lxml's own test of a paragraph: "Follow us on <a>X</a>,
        # <a>Facebook</a> and <a>Instagram</a>" is a prompt, however long its sentence.
        if page.density(el) > PROSE_LINK_DENSITY or is_boilerplate(" ".join(el.text_content().split())):
            continue
        if story_classes and el.tag == "p" and story_classes.isdisjoint((el.get("class") or "").split()):
            continue  # another component's paragraph: an editor's note, a bio, a prompt
        if _may_be_prose(page, el) and has_prose(prose_text(el)):
            out.append(el)
    return out


def _story_classes(page: PageIndex, present: set[int]) -> frozenset[str]:
    """The class words of the story's paragraphs, when most of them have a class.

    Sites that style the story's paragraphs by class (NYT's "css-exrw3m", Medium's "graf--p")
    render an editor's note, a bio or a newsletter prompt with another component: a dropped
    paragraph with none of these words is not the story's ("The Times is committed to
    publishing a diversity of letters…" after an opinion piece, article-extraction 04a6711c).
    """
    classes = [page.by_id[n].get("class") or "" for n in present if page.by_id[n].tag == "p"]
    if not classes or Counter(classes).most_common(1)[0][0] == "":
        return frozenset()
    return frozenset(word for c in classes for word in c.split())


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


def _insert_in_order(found: etree._Element, clones: list[etree._Element], page: PageIndex) -> None:
    """Insert the clones where they stood in the page, by the document-order numbers: after
    the last element of the answer that starts before them, inside it when it covers them.

    One pass per element of the answer gone into (children sorted by their first number), not
    a scan of its children per clone: a frame can give back hundreds of paragraphs."""
    pending = [(found, sorted(clones, key=lambda c: int(c.get(ID_ATTR))))]
    while pending:
        node, batch = pending.pop()
        children = list(node)
        spans = {i: span for i, c in enumerate(children) if (span := _span(c, page))}
        starts = sorted((span[0], i) for i, span in spans.items())
        groups: dict[int, list[etree._Element]] = {}  # child index (-1: before them all) -> clones
        seen, last = 0, -1
        for clone in batch:
            n = int(clone.get(ID_ATTR))
            while seen < len(starts) and starts[seen][0] < n:
                last = max(last, starts[seen][1])
                seen += 1
            groups.setdefault(last, []).append(clone)
        for i, group in groups.items():
            if i == -1:
                for clone in reversed(group):
                    node.insert(0, clone)
                continue
            child, end = children[i], spans[i][1]
            deeper = child.tag not in INLINE_HOLDERS
            inside = [c for c in group if deeper and int(c.get(ID_ATTR)) <= end]
            if inside:
                pending.append((child, inside))  # they stood inside this element: go down
            for clone in reversed(group[len(inside) :]):
                child.addnext(clone)


def _span(el: etree._Element, page: PageIndex) -> tuple[int, int] | None:
    """First and last page numbers an element of the answer covers: its own and its contents'.
    Wrappers readability-lxml made have no number of their own, and the first block it kept
    receives the blocks after it that it keeps too (its siblings in the page, "appended" into
    it), so an element's own stretch of the page is not enough."""
    if not isinstance(el.tag, str):
        return None
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
    if el.tag in allowed or (el.tag in LISTS and (page.internal[page.key(el)] if leading else _is_url_list(el))):
        return True  # (a table of contents may open the article; its references close it)
    if el.tag in WRAPPERS:
        inner = [c for c in el if isinstance(c.tag, str) and (page.size[page.key(c)] or c.find(".//img") is not None)]
        return bool(inner) and _text_len(el.text) == 0 and all(_is_part(page, c, allowed, leading) for c in inner)
    return False


def _is_sublist(page: PageIndex, el: etree._Element, kept: set[int]) -> bool:
    """``el`` is a list nested in an item of a list readability-lxml kept: "In progress:"
    followed by the bug reports it links to is the article's list, however many links."""
    parent = el.getparent()
    return el.tag in LISTS and parent is not None and parent.tag in ("li", "dd") and page.key(parent) in kept


def _is_furniture(page: PageIndex, el: etree._Element, is_boilerplate: IsBoilerplate,
                  sublist: bool = False) -> bool:
    """Page furniture by its own markup: hidden, named so, a link list (not a ``sublist`` of
    the article's), a widget heading."""
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
    return (page.density(el) > limit and not page.internal[n] and not sublist and not _is_url_list(el)
            and not _is_price_list(el))


_URL_TEXT = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A price in a link's words: "Get it on Amazon for $39.99", "for 39.99", "£1", "for free".
_PRICE = re.compile(r"[$€£¥]\s?\d|\d[.,]\d\d\b|\d\s?(?:€|EUR|USD|GBP)\b|\bfor free\b", re.IGNORECASE)
# Words of one buying link at most.
PRICE_LINK_MAX_WORDS = 15


def _is_price_list(el: etree._Element) -> bool:
    """A short list whose items each name a price ("Get it on Amazon for $39.99", "Also at
    Walmart" beside it): the buying links of a deals or review article, which are its
    content, where a menu's or a related-stories list's items carry no price."""
    items = [" ".join(li.text_content().split()) for li in el if isinstance(li.tag, str) and li.tag == "li"]
    return (0 < len(items) <= 3 and _PRICE.search(items[0]) is not None
            and all(len(text.split()) <= PRICE_LINK_MAX_WORDS for text in items))


def _is_url_list(el: etree._Element) -> bool:
    """A list whose items are web addresses written out ("Sources & links": https://...): the
    article's references, where a menu's items are names ("Home", "World")."""
    items = [" ".join(li.text_content().split()) for li in el if isinstance(li.tag, str) and li.tag == "li"]
    return bool(items) and all(_URL_TEXT.fullmatch(text) for text in items)
