"""What a web page says about its article: title, author, date, language, site name.

    <html lang="en-GB"><head><title>Bridge reopens | The Daily Paper</title>
    <meta property="og:site_name" content="The Daily Paper">
    <meta property="article:published_time" content="2025-05-19T08:00:00Z">
    <script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Marta Ilves"}}</script>
    </head><body><h1>Bridge reopens</h1>…
    ->
    Metadata(title="Bridge reopens", author="Marta Ilves", date="2025-05-19T08:00:00Z",
             language="en-GB", site="The Daily Paper")

Sources, best first: JSON-LD (schema.org ``headline``, ``author``, ``datePublished``),
OpenGraph and other ``<meta>`` tags, ``<title>``, the page's ``<h1>``. A title the page
shows as its ``<h1>`` wins when a metadata title names it; a site name is cut from a
title ("Story | Site"), but a title that is only a site name is not used.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from ..document import Metadata
from .qa import microdata_name

META_AUTHOR = ("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "byl", "sailthru.author", "parsely-author")
META_DATE = (
    "article:published_time", "datePublished", "dc.date", "dcterms.date", "date",
    "pubdate", "publish-date", "sailthru.date", "og:published_time", "dcterms.created",
    "parsely-pub-date", "created", "citation_publication_date", "citation_online_date", "citation_date",
)  # fmt: skip
META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "title")
META_DESCRIPTION = ("description", "og:description", "twitter:description")
META_SITE = ("og:site_name", "application-name", "apple-mobile-web-app-title")
META_LANGUAGE = ("content-language", "language", "dc.language", "og:locale")
ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "scholarlyarticle", "techarticle", "report", "posting", "webpage",
     "liveblogposting", "review", "howto", "recipe", "socialmediaposting", "creativework"}
)  # fmt: skip
# " | ", " – ", " - ", " · ", " :: " … between a title and a site name; "✩" and "@" too.
# (The lookbehind starts a try only where a run of spaces starts: a title of a million spaces
# made split() quadratic.)
SEPARATORS = re.compile(r"(?<!\s)\s+(?:[|–—\-·•:»«/✩@]|::)\s+")
MAX_SITE_WORDS = 6
_WS = re.compile(r"\s+")
# Tidied pages wrap script bodies in a CDATA section (sometimes behind "//").
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def collapse(text: str | None) -> str:
    """Collapse white space and strip."""
    return _WS.sub(" ", text or "").strip()


def norm(text: str | None) -> str:
    """Lower-case words only: how titles are compared."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


@dataclass
class LinkedData:
    """The fields we read from a page's schema.org JSON-LD article object."""

    headline: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    publisher: str | None = None


def _objects(data: object) -> Iterator[dict]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            if "@graph" in item:
                stack.append(item["@graph"])


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _ld_text(value: str) -> str:
    """A JSON-LD string as text. Script content is not entity-decoded by the HTML parser, and
    publishing tools (WordPress's SEO plugins among them) write titles and names HTML-escaped
    there: "Spreads Via &#8216;Game&#8217;", "O&#039;Donnell"."""
    return collapse(html.unescape(value) if "&" in value else value)


def _names(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for v in values:
        if isinstance(v, dict):
            v = v.get("name")
        name = _ld_text(v) if isinstance(v, str) else ""
        if name and not name.startswith(("http:", "https:")):
            names.append(name)
    return names


# How much of the page's <title> a JSON-LD name or headline must share to be taken for it.
TITLE_SIMILARITY = 0.75


def _similarity(text: str, title: str) -> float:
    """Readability.js's textSimilarity: the share of the title's words (by characters) that
    ``text`` has too."""
    words, title_words = norm(text).split(), norm(title).split()
    if not words or not title_words:
        return 0.0
    own = set(words)
    missing = " ".join(w for w in title_words if w not in own)
    return 1 - len(missing) / len(" ".join(title_words))


def _ld_headline(obj: dict, root: etree._Element) -> str | None:
    """An article object's headline; when its ``name`` differs and only the name is the page's
    <title> (its site's name cut off), the name: Wikipedia's JSON-LD has the page's short
    description as headline ("tide mill in Essex, England") and its title as name, as
    Readability.js has it."""
    headline, name = obj.get("headline"), obj.get("name") if "webpage" not in _types(obj) else None
    headline = _ld_text(headline) if isinstance(headline, str) else ""
    name = _ld_text(name) if isinstance(name, str) else ""
    if headline and name and norm(headline) != norm(name):
        title_el = root.find(".//title")
        title = collapse(title_el.text_content()) if title_el is not None else ""
        titles = [t for t in (title, *_parts(title)) if t]
        if any(_similarity(name, t) > TITLE_SIMILARITY for t in titles) and not any(
                _similarity(headline, t) > TITLE_SIMILARITY for t in titles):
            return name
    return headline or name or None


def linked_data(root: etree._Element) -> LinkedData:
    """Read the first article-like schema.org object from the page's JSON-LD scripts."""
    found = LinkedData()
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text))
        except ValueError:
            continue
        for obj in _objects(data):
            if not _types(obj) & ARTICLE_TYPES:
                continue
            headline = _ld_headline(obj, root)
            if headline and not found.headline:
                found.headline = headline
            authors = _names(obj.get("author") or obj.get("creator"))
            if authors and not found.author:
                found.author = ", ".join(dict.fromkeys(authors))
            date = obj.get("datePublished") or obj.get("dateCreated")
            if isinstance(date, str) and date.strip() and not found.date:
                found.date = date.strip()
            language = obj.get("inLanguage")
            if isinstance(language, str) and language.strip() and not found.language:
                found.language = language.strip()
            publisher = _names(obj.get("publisher"))
            if publisher and not found.publisher:
                found.publisher = publisher[0]
    return found


# A scholarly page's authors, one ``citation_author`` tag each (Highwire Press tags, which
# Google Scholar reads: arXiv, journals), "Nakamura, Yui" or "Yui Nakamura"; at most this many.
CITATION_AUTHORS_MAX = 12


def citation_authors(root: etree._Element) -> str | None:
    """The authors a scholarly page's ``citation_author`` tags name, in order, given name first
    ("Yui Nakamura, Daniel Okafor"); None without such tags."""
    names = []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").strip().lower() != "citation_author":
            continue
        name = collapse(meta.get("content"))
        if name.count(",") == 1:
            family, given = (part.strip() for part in name.split(","))
            name = f"{given} {family}".strip()
        if name and name not in names:
            names.append(name)
    return ", ".join(names[:CITATION_AUTHORS_MAX]) or None


def meta_map(root: etree._Element) -> dict[str, str]:
    """``<meta>`` tags by lower-cased name/property/itemprop (the first of each wins)."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "")
        content = collapse(meta.get("content"))
        if key.strip() and content:
            found.setdefault(key.strip().lower(), content)
    return found


def _first(found: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key.lower() in found:
            return found[key.lower()]
    return None


def _parts(title: str) -> list[str]:
    return [p for p in SEPARATORS.split(title) if p.strip()]


def strip_site(title: str, sites: list[str]) -> str:
    """Cut known site names from either end of a title: "Story | Site" -> "Story"."""
    site_keys = {norm(s) for s in sites if norm(s)}
    if not site_keys:
        return title
    for _ in range(3):  # "Story - Section - Site": cut one known name per round
        pieces = SEPARATORS.split(title)
        separators = SEPARATORS.findall(title)
        if len(pieces) < 2:
            break
        if norm(pieces[-1]) in site_keys:
            title = "".join(p + s for p, s in zip(pieces[:-2], separators[:-1])) + pieces[-2]
        elif norm(pieces[0]) in site_keys:
            title = title[len(pieces[0]) + len(separators[0]) :]
        else:
            break
    return collapse(title)


def strip_title_suffix(title: str) -> str:
    """A ``<title>`` with no other evidence: drop short trailing parts ("| Site | Section")."""
    pieces = SEPARATORS.split(title)
    separators = SEPARATORS.findall(title)
    while len(pieces) >= 2:
        head = "".join(p + s for p, s in zip(pieces[:-2], separators[:-1])) + pieces[-2]
        if len(pieces[-1].split()) <= MAX_SITE_WORDS and len(head.split()) >= 3:
            pieces, separators = pieces[:-1], separators[:-1]
        else:
            break
    return collapse("".join(p + s for p, s in zip(pieces[:-1], separators)) + pieces[-1])


def _headlines(root: etree._Element) -> list[str]:
    body = root.find("body")
    if body is None:
        return []
    texts = []
    for el in body.iter("h1"):
        text = collapse(el.text_content())
        if text:
            texts.append(text)
        if len(texts) >= 40:
            break
    return texts


# A link to a site's front page: "/", "index.html", "http://host/" (no path beyond "/").
_HOME_HREF = re.compile(r"^(?:(?:https?:)?//[^/?#\s]+)?/?(?:index\.(?:s?html?|php|asp))?$", re.IGNORECASE)


def banner_names(root: etree._Element, title: str) -> list[str]:
    """Parts of ``title`` that the page's body shows as a link to its front page: a site
    name ("<h1><a href="/">The Volokh Conspiracy</a></h1>" on a page titled "The Volokh
    Conspiracy - More on Women and Last Names:"), as its text or its logo's alt text."""
    parts = {norm(p): p for p in _parts(title)}
    if len(parts) < 2:
        return []
    body = root.find("body")
    if body is None:
        return []
    names: list[str] = []
    for link in body.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or not _HOME_HREF.match(href):
            continue
        texts = [link.text_content()] + [img.get("alt") or "" for img in link.iter("img")]
        for text in texts:
            part = parts.get(norm(text))
            if part is not None and part not in names:
                names.append(part)
    # Every part a link home: a front page's own title, nothing to cut.
    return names if len(names) < len(parts) else []


# What sets a site or section off a headline in a title, spaced or not: "Headline_Section_Site"
# as Chinese sites write it, "Headline - Site", "Headline | Site", "Headline (Site)".
_SUFFIX_START = frozenset("|-–—_·•:»«/@(（[【｜")


def _headline_with_suffix(title: str, headlines: Iterable[str]) -> str | None:
    """The page's headline when the title is that headline followed by a separator and more
    ("宇航员在太空中喝酒会怎么样？后果很严重 _探索者 _光明网" with that <h1>)."""
    for headline in headlines:
        rest = title[len(headline):].lstrip() if title.startswith(headline) else ""
        if rest and rest[0] in _SUFFIX_START and len(norm(headline)) >= 8:
            return headline
    return None


def page_title(root: etree._Element, found: dict[str, str], ld: LinkedData, sites: list[str]) -> str | None:
    """The article's title, from the metadata the page gives and the headline it shows."""
    title_el = root.find(".//title")
    raw_title = collapse(title_el.text_content()) if title_el is not None else ""
    meta_titles = [t for t in (ld.headline, found.get("og:title"), found.get("twitter:title"),
                               found.get("citation_title"), found.get("dc.title"), found.get("dcterms.title"),
                               found.get("parsely-title"), found.get("title")) if t]  # fmt: skip
    site_keys = {norm(s) for s in sites if norm(s)}
    headlines = {norm(h): h for h in _headlines(root)}
    # A metadata title wins (JSON-LD, then og:title, as Readability has it), cut of its site name;
    # when it carries more than the page's <h1> ("Story | Author"), the <h1> part is taken.
    for candidate in meta_titles:
        cleaned = strip_site(candidate, sites)
        if not norm(cleaned) or norm(cleaned) in site_keys:
            continue
        parts = _parts(candidate)
        if norm(cleaned) not in headlines and len(parts) > 1:
            longest = max(parts, key=len)
            if norm(longest) in headlines and norm(longest) not in site_keys:
                return headlines[norm(longest)]
        return cleaned
    if raw_title:
        stripped = strip_site(raw_title, sites)
        for variant in (raw_title, stripped, max(_parts(raw_title) or [""], key=len)):
            if norm(variant) in headlines and norm(variant) not in site_keys:
                if variant is raw_title and norm(stripped) and norm(stripped) != norm(raw_title):
                    # A headline that shows the site's name too ("Platform Team : Release
                    # checklist", a Confluence page under its space's name, which the
                    # breadcrumb links home): the title is without it.
                    return stripped
                return headlines[norm(variant)]
        headline = _headline_with_suffix(raw_title, headlines.values())
        if headline and norm(headline) not in site_keys:
            return headline
        cleaned = strip_title_suffix(strip_site(raw_title, sites))
        if norm(cleaned) and norm(cleaned) not in site_keys:
            return cleaned
    return None


# class/id of the element that shows the byline (Readability's list, and hCard's p-author).
BYLINE_NAME = re.compile(r"byline|author(?!i[sz]ation)|writtenby|p-author", re.IGNORECASE)
BYLINE_MAX_CHARS = 100
_BY = re.compile(r"^\s*(?:by|von|par|por|de)\s+", re.IGNORECASE)


# Class or id words of the line a page sets under its headline: Google Docs' "subtitle",
# Substack's "subtitle", Medium's "pw-subtitle-paragraph", a newspaper's "standfirst" or "dek".
SUBTITLE_NAME = re.compile(r"(?:^|[\s_-])(?:sub-?title|sub-?head(?:line)?|standfirst|strapline|dek|deck)(?:$|[\s_-])",
                           re.IGNORECASE)
SUBTITLE_MAX_CHARS = 300
# How many elements with text after the headline may hold its subtitle.
SUBTITLE_AFTER_HEADLINE = 3


def page_subtitle(headline: etree._Element | None, title: str | None) -> str | None:
    """The line the page sets right under its ``headline``, named so by its class or id (``<h3
    class="subtitle">``, ``<p class="standfirst">``, or inside a ``<div
    class="pw-subtitle-paragraph">``): one of the first elements with text after the
    headline, holding no control, time or picture (a header block with the byline and share
    buttons is no subtitle), outside menus and comments."""
    if headline is None:
        return None
    for el, text in after_headline(headline, SUBTITLE_AFTER_HEADLINE):
        named = [el, *[a for a in el.iterancestors() if a is not headline.getparent()]][:3]
        if not any(SUBTITLE_NAME.search(f"{a.get('class') or ''} {a.get('id') or ''} {a.get('data-field') or ''}")
                   for a in named):
            continue
        if next(el.iter("button", "time", "img", "input", "form", "a"), None) is not None or _in_menu_or_comments(el):
            return None
        if 2 <= len(text.split()) and len(text) <= SUBTITLE_MAX_CHARS and norm(text) != norm(title):
            return text
        return None
    return None


def _in_menu_or_comments(el: etree._Element) -> bool:
    """Whether ``el`` sits in a menu, a form or the comments."""
    return any(a.tag in ("nav", "menu", "form") or (a.get("role") or "") == "navigation"
               or "comment" in f"{a.get('class') or ''} {a.get('id') or ''}".lower() for a in el.iterancestors())


def page_byline(root: etree._Element) -> str | None:
    """The author named by the page's first byline element (``rel=author``,
    ``itemprop=author``, a class or id naming a byline or author), outside menus and comments."""
    body = root.find("body")
    if body is None:
        return None
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "meta", "link", "img"):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not (el.get("rel") == "author" or "author" in (el.get("itemprop") or "") or BYLINE_NAME.search(names)):
            continue
        if _in_menu_or_comments(el):
            continue  # a menu's "Sign in" or a commenter, not the author
        if el.get("itemscope") is not None and (name := microdata_name(el)):
            return name  # <div itemprop="author" itemscope>…<span itemprop="name">…</span>
        text = collapse(el.text_content())
        if not text or len(text) >= BYLINE_MAX_CHARS:
            continue
        name = _byline_name(text)
        if name:
            return name
    return None


# How many elements with text after the headline may hold its byline.
BYLINE_AFTER_HEADLINE = 3


def page_headline(root: etree._Element, title: str | None) -> etree._Element | None:
    """The element that says the page's title: the first heading saying it (or its end or start:
    "Brown Bread Notes: My Grandmother's Soda Bread" over the post's "My Grandmother's Soda
    Bread"), else the first <h1>, else an element named a title that says it (Google Docs'
    ``<p class="title">``)."""
    body = root.find("body")
    if body is None:
        return None
    wanted = norm(title)

    def says_title(heading: etree._Element) -> bool:
        said = norm(heading.text_content())
        return bool(wanted and said) and (said == wanted or (
            len(said.split()) >= 3 and (wanted.endswith(" " + said) or wanted.startswith(said + " "))))

    found = next((h for h in body.iter("h1", "h2", "h3") if says_title(h)), next(body.iter("h1"), None))
    if found is None:
        found = next((el for el in body.iter("p", "div") if "title" in (el.get("class") or "").split()
                      and (says_title(el) or not wanted)), None)
    return found


def after_headline(headline: etree._Element, count: int) -> Iterator[tuple[etree._Element, str]]:
    """The first ``count`` elements with text of their own after the headline, with their
    whole text."""
    seen = 0
    # (The headline alone in its header: "<header><h1>…</h1></header><section class=subtitle>",
    # as Medium's export writes it; the header's next blocks come next.)
    wrapper = headline.getparent()
    alone = wrapper is not None and wrapper.tag in ("header", "hgroup") and not any(
        collapse(el.text_content()) for el in wrapper if el is not headline and isinstance(el.tag, str))
    following = itertools.chain(headline.itersiblings(), wrapper.itersiblings() if alone else ())
    for el in following:
        for inner in el.iter():
            if not isinstance(inner.tag, str) or inner.tag in ("script", "style"):
                continue
            own = collapse((inner.text or "") + "".join((c.tail or "") for c in inner if isinstance(c.tag, str)))
            if not own:
                continue
            yield inner, collapse(inner.text_content())
            seen += 1
            if seen >= count:
                return


def byline_after_headline(headline: etree._Element | None) -> tuple[str, str | None] | None:
    """(author, ISO date or None) from the byline line the page sets right after its
    headline, whatever that line's class ("<div class="meta">By Owen Price · 9 May 2025</div>",
    Blogger's "<div class="post-header">Posted by Siobhan Kelly on March 3, 2009</div>"): the
    first few elements with text of their own after the heading that says the title (else
    the page's first <h1>). The line must say "By" (or "Posted by"...): a plain name there is
    a kicker as often as a byline."""
    from ..normalise.metadata import parse_byline  # the normaliser's byline grammar

    if headline is None:
        return None
    for _, text in after_headline(headline, BYLINE_AFTER_HEADLINE):
        if len(text) < BYLINE_MAX_CHARS and _BY_LINE.match(text):
            found = parse_byline(text)
            if found:
                return found
    return None


_BY_LINE = re.compile(r"^\s*(?:(?:posted|written|words|story|reported)\s+)?(?:by|von|par|por)\s", re.IGNORECASE)


# "Martin Untersinger (avec Damien Leloup et Morgane Tual)": a byline's co-authors in brackets.
# (Greedy runs and no space runs beside them: tests/test_bad_input.py holds every pattern to
# linear time on 100,000-character strings.)
_COAUTHORS = re.compile(r"^(?P<main>[^()]+)\(\s*(?:avec|with|mit|con)\s(?P<more>[^()]+)\)\s*$", re.IGNORECASE)
_NAME_JOIN = re.compile(r",|&|\b(?:and|et|und|y)\b", re.IGNORECASE)


def _byline_name(text: str) -> str | None:
    from ..normalise.metadata import parse_byline  # the normaliser's byline grammar

    coauthors = _COAUTHORS.match(_BY.sub("", text))
    if coauthors:
        names = [_byline_name(coauthors.group("main").strip()),
                 *(_byline_name(part.strip()) for part in _NAME_JOIN.split(coauthors.group("more")) if part.strip())]
        if all(names):
            return ", ".join(n for n in names if n)
    parsed = parse_byline(text if _BY.match(text) else f"By {text}")
    if parsed:
        return parsed[0]
    text = _BY.sub("", text)
    return text if 0 < len(text.split()) <= 6 and not re.search(r"\d", text) else None


# Classes that mark the element showing the publication date: hAtom's "published", microformats2's
# "dt-published", WordPress themes' "entry-date"/"post-date"/"posted-on", and plain "date".
DATE_CLASSES = frozenset({"published", "dt-published", "entry-date", "post-date", "posted-on",
                          "pubdate", "date", "article-date", "publish-date"})
DATE_MAX_CHARS = 60
_NOT_THE_ARTICLE = frozenset({"nav", "aside", "footer", "menu", "form"})
_ELSEWHERE = re.compile(r"comment|related|sidebar|widget|recommend|popular|footer", re.IGNORECASE)


def marked_up_date(root: etree._Element) -> str | None:
    """The publication date the body marks up without a ``<time datetime>``, as ISO 8601.

    The first element marked as the date (schema.org's ``itemprop="datePublished"``, or a
    class in DATE_CLASSES: hAtom's ``<abbr class="published" title="2006-12-04">``,
    hackernoon's ``<div class="date">December 29th 2019</div>``) whose machine value
    (``datetime``, ``content``, ``title``) or short text is a date; never one in a menu,
    sidebar, footer, comment or list of related stories."""
    from ..normalise.metadata import parse_date  # the normaliser's date grammar

    body = root.find("body")
    if body is None:
        return None
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        classes = set((el.get("class") or "").lower().split())
        if not (classes & DATE_CLASSES or "datePublished" in (el.get("itemprop") or "").split()):
            continue
        if any(a.tag in _NOT_THE_ARTICLE or _ELSEWHERE.search(f"{a.get('class') or ''} {a.get('id') or ''}")
               for a in el.iterancestors()):
            continue
        text = collapse(el.text_content())
        values = [el.get("datetime"), el.get("content"), el.get("title")]
        if len(text) <= DATE_MAX_CHARS:
            values.append(text)
        for value in values:
            parsed = parse_date(value) if value and len(value) <= DATE_MAX_CHARS else None
            if parsed:
                return parsed
    return None


# Confluence's line under a page's title: "Created by Jane Doe, last modified by Tom Lee on
# Mar 03, 2026" (or "Created by Jane Doe on Mar 01, 2026").
_PAGE_INFO_DATE = re.compile(r"\bon\s+(?P<date>[^,]{3,20},?\s*\d{4})\s*$")


def _page_info_date(root: etree._Element) -> str | None:
    from ..normalise.metadata import parse_date  # the normaliser's date grammar

    for el in root.iter("div"):
        if "page-metadata" in (el.get("class") or "").split():
            found = _PAGE_INFO_DATE.search(collapse(el.text_content()))
            return parse_date(found.group("date")) if found else None
    return None


PROPERTY_MAX_CHARS = 80


def page_properties(root: etree._Element) -> tuple[str | None, str | None]:
    """(author, ISO date) from a note's property table (a Notion export's ``<table
    class="properties">``: "Created" @March 3, 2026 9:14 AM, "Owner" Ruth Adeyemi), read by
    the names an e-mail's or a note's header uses; (None, None) without one."""
    from ..normalise.metadata import header_kind, parse_date  # the normaliser's grammar

    author = date = None
    for table in root.iter("table"):
        if "properties" not in (table.get("class") or "").split():
            continue
        for row in table.iter("tr"):
            name, value = row.find("th"), row.find("td")
            if name is None or value is None:
                continue
            kind = header_kind(collapse(name.text_content()))
            text = collapse(value.text_content()).lstrip("@ ")
            if not text or len(text) > PROPERTY_MAX_CHARS:
                continue
            if kind == "author" and author is None:
                author = text
            elif kind == "date" and date is None:
                date = parse_date(text)
        break
    return author, date


def page_metadata(root: etree._Element) -> Metadata:
    """Read title, author, date, language, description and site name from a page."""
    found = meta_map(root)
    ld = linked_data(root)
    site = _first(found, META_SITE) or ld.publisher
    sites = [s for s in (found.get("og:site_name"), found.get("application-name"), ld.publisher) if s]
    title_el = root.find(".//title")
    banners = banner_names(root, collapse(title_el.text_content())) if title_el is not None else []
    sites.extend(banners)
    site = site or (banners[0] if banners else None)
    author = ld.author or _first(found, META_AUTHOR) or citation_authors(root)
    if author and author.startswith(("http:", "https:")):
        author = None
    owner, created = page_properties(root)
    author = author or owner or page_byline(root)
    title = page_title(root, found, ld, sites)
    headline = page_headline(root, title)
    after = None if author else byline_after_headline(headline)
    if after:
        author = after[0]
    date = ld.date or _first(found, META_DATE)
    if not date:
        time_el = root.find(".//time[@datetime]")
        date = time_el.get("datetime") if time_el is not None else None
    date = date or created or marked_up_date(root) or _page_info_date(root) or (after[1] if after else None)
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not (lang and lang.strip()):
        body = root.find("body")
        lang = body.get("lang") if body is not None else None
    if not (lang and lang.strip()):
        lang = _first(found, META_LANGUAGE) or ld.language
    return Metadata(
        title=title,
        author=author,
        date=date.strip() if date else None,
        language=lang.strip().split(",")[0].strip() if lang and lang.strip() else None,
        description=_first(found, META_DESCRIPTION),
        site=site,
        subtitle=page_subtitle(headline, title),
    )
