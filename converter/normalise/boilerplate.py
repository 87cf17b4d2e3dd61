"""Whole blocks that are page furniture, not article: widget labels, share and cookie prompts.

    <p>Europe sees Ukraine’s defense as existential.</p><p>0 Comments</p>
    ->  <p>Europe sees Ukraine’s defense as existential.</p>

Only whole blocks are removed, and only when the entire block matches a phrase from
``patterns.BOILERPLATE`` (all languages are tried: a French page quotes English widgets).
A list whose every item is boilerplate (a share bar) goes too, and so does a list of tag links
under its label ("More about:", "Hotels", "Hygiene"). Editorial notes stay.
Bare button labels go only beside other boilerplate or in a run ("Facebook" can head a section):

    <p>Share this:</p><p>Facebook</p><p>Twitter</p>  ->  (nothing)
"""

from __future__ import annotations

import itertools
import re

from lxml import etree

from ..document import Document
from . import patterns
from .metadata import is_dateline, is_name_line
from .tree import block_text, collapse

_RELATED_LABEL = re.compile(r"^(?:" + patterns.RELATED_LABEL + r")$", re.IGNORECASE)
_PAYWALL = re.compile("^(?:" + "|".join(patterns.PAYWALL_PROMPTS) + r")\W*$", re.IGNORECASE)
_COMPILED = re.compile(
    "^(?:" + "|".join(p for phrases in patterns.BOILERPLATE.values() for p in phrases) + r")\W*$",
    re.IGNORECASE,
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCKS = ("p", *HEADINGS, "ul", "ol", "address", "blockquote")


def is_boilerplate(text: str) -> bool:
    """True when a block's whole text is a boilerplate phrase."""
    text = text.strip()
    if not text or len(text.split()) > patterns.BOILERPLATE_MAX_WORDS:
        return False
    if patterns.EDITORIAL_NOTE.match(text):
        return False
    if _COMPILED.match(text):
        return True
    # "👉 Read more: ...": the prompt behind a symbol (matched again only when one was there).
    bare = patterns.LEADING_SYMBOLS.sub("", text, count=1)
    return bare != text and bool(_COMPILED.match(bare))


def _block_is_boilerplate(el: etree._Element) -> bool:
    if el.tag in ("ul", "ol"):
        items = [block_text(li) for li in el.iterchildren("li")]
        return bool(items) and (all(is_boilerplate(t) for t in items) or _is_tag_list(el, items))
    text = block_text(el)
    if is_boilerplate(text):
        return True  # before markers are stripped: "--" is a signature line, not "-" + "-"
    # "• Share on X" and "##Comments" are widgets that later passes would turn into a list item
    # or a heading: judge the text without its markers ("• - Share", "## - Comments").
    for _ in range(4):
        marker = patterns.INLINE_MARKER.match(text) or patterns.ATX_GLUED.match(text)
        if not marker:
            break
        # Only a marker set off by a space makes an item: "---" stays a scene break.
        spaced = _ == 0 and marker.group(0)[-1:].isspace()
        text = marker.group("text") if "text" in marker.groupdict() else text[marker.end() :]
        if spaced and marker.re is patterns.INLINE_MARKER and is_boilerplate(text):
            # "• -->" becomes the item "-->", which the next run judges on its own: a
            # signature line. Judge it now as the item it becomes.
            return True
        if marker.re is patterns.ATX_GLUED and is_boilerplate(text):
            # Judged as the heading it becomes, as the next run would judge it: "#-->" is
            # "-->", a signature line. (Not after a bullet: "---" is a scene break, not "- --".)
            return True
    return is_boilerplate(text)


def _is_tag_list(el: etree._Element, items: list[str]) -> bool:
    """A list of tag links under its label: "More about:", then items that are each one short
    link ("Hotels", "Hygiene"). An item with words outside its link is the article's."""
    if len(items) < 2 or not patterns.TAG_LIST_LABEL.match(items[0]):
        return False
    return all(_is_one_link(li) and len(text.split()) <= patterns.TAG_MAX_WORDS
               for li, text in zip(list(el.iterchildren("li"))[1:], items[1:], strict=True))


def _is_menu_line(el: etree._Element) -> bool:
    """A site's menu as one line: "HOME | NEWS | SPORT | WEATHER" (patterns.MENU_SEPARATOR),
    or its breadcrumb trail ("Startseite › Politik › Kommunales"); an item may be a prompt
    ("Click here to subscribe to our letter | Archive | Home")."""
    if el.tag != "p":
        return False
    text = block_text(el).strip()
    for separator, least in ((patterns.MENU_SEPARATOR, patterns.MENU_MIN_ITEMS),
                             (patterns.BREADCRUMB_SEPARATOR, patterns.BREADCRUMB_MIN_ITEMS)):
        items = separator.split(text)
        if len(items) >= least and all(
                (0 < len(item.split()) <= patterns.MENU_ITEM_MAX_WORDS and item[:1].isupper() and item[-1:].isalnum())
                or is_boilerplate(item) for item in items):
            return True
    return False


def _is_credit_line(el: etree._Element, before: etree._Element | None) -> bool:
    """A picture's credit on a line of its own (patterns.CREDIT_LINE), with no picture right
    before it to attribute."""
    if el.tag != "p" or not patterns.CREDIT_LINE.match(block_text(el)):
        return False
    return before is None or (before.tag not in ("figure", "img", "picture")
                              and next(before.iter("img", "picture", "figure"), None) is None
                              and not any(s.get("class") == "image-alt" for s in before.iter("span")))


def _is_share_line(el: etree._Element) -> bool:
    """Share buttons left as one line: "Facebook Twitter Email", "Facebook | X | WhatsApp"."""
    if el.tag != "p":
        return False
    words = [w for w in re.split(r"[\s|•·,/]+", block_text(el)) if w]
    return len(words) >= 2 and all(patterns.SHARE_TARGETS.match(w) for w in words)


def _is_share_target(el: etree._Element) -> bool:
    """A bare button label: a network ("Facebook") or a page control ("Menu", "Search")."""
    text = block_text(el)
    return el.tag in ("p", "li") and bool(patterns.SHARE_TARGETS.match(text) or patterns.CONTROL_LABELS.match(text))


def _is_count(el: etree._Element) -> bool:
    """A figure on a line of its own ("412"), a post's score, or a rating ("★★★★☆"), a recipe's:
    they go when buttons or other boilerplate stand beside them."""
    text = block_text(el)
    return el.tag == "p" and (patterns.VOTE_COUNT.match(text) is not None or patterns.RATING.match(text) is not None)


def _is_promo_figure(el: etree._Element) -> bool:
    """A figure captioned by a boilerplate phrase: a shop banner ("Jetzt neu! Besuchen Sie
    unseren Fan-Shop!"), an ad ("Advertisement")."""
    if el.tag != "figure":
        return False
    captions = el.findall("figcaption")
    return bool(captions) and all(is_boilerplate(block_text(c)) for c in captions)


def _is_badge_row(el: etree._Element) -> bool:
    """A paragraph of status badges only, as a project's README opens ("[![Build](…/badge.svg)]
    (…) [![PyPI](https://img.shields.io/…)](…)"): pictures of a build's state, fetched live,
    which an edition shows as stale pictures or their alt text."""
    # (An image left out is its alt text by now, in a span that keeps the picture's address.)
    images = [i for i in el.iter("img", "span") if i.tag == "img" or i.get("class") == "image-alt"]
    if el.tag != "p" or not images or (el.text or "").strip():
        return False
    if any(not patterns.BADGE_IMAGE.search(i.get("src") or i.get("data-src") or "") for i in images):
        return False
    return all(child.tag in ("a", "img", "span", "br") and not (child.tail or "").strip()
               and (child.tag != "a" or not (child.text or "").strip())
               for child in el.iter() if child is not el and child.getparent().tag != "span")


def _mark_paywall_pitch(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """After a paywall prompt ("To view the full story, please subscribe to ..."), the blocks
    that sell the subscription (each short and speaking of subscribing, joining, membership
    or access) are boilerplate too: the story was cut off above the prompt."""
    for i, el in enumerate(blocks):
        if kinds[i] != "boilerplate" or not _PAYWALL.match(block_text(el).strip()):
            continue
        for j in range(i + 1, len(blocks)):
            if kinds[j] is not None:
                continue
            text = block_text(blocks[j])
            if (blocks[j].tag not in ("p", "ul", "ol") or len(text.split()) > patterns.PAYWALL_PITCH_MAX_WORDS
                    or not patterns.PAYWALL_PITCH.search(text)):
                break
            kinds[j] = "boilerplate"


def _payment_lines(el: etree._Element) -> int:
    """How many of a block's lines (a paragraph, or a list's items) are short and name a way
    to pay."""
    lines = list(el.iterchildren("li")) if el.tag in ("ul", "ol") else [el] if el.tag == "p" else []
    return sum(1 for line in lines if 0 < len(block_text(line).split()) <= patterns.PAYMENT_LINE_MAX_WORDS
               and patterns.PAYMENT_LINE.search(block_text(line)))


def _mark_donation_box(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """A section whose short blocks name two ways to pay or more ("Per Kreditkarte, Apple Pay
    etc.", "Alternativ via Banküberweisung, IBAN: ...") and that asks for support is a
    donation box, heading, appeal and all: "Auf Sie kommt es an!" ... "Diese Arbeit ist nur
    mit Ihrer Unterstützung möglich!". A section is a heading and what follows it up to the
    next heading; a long one (an article about payments) stays, so does one that asks for
    nothing, and so does the article's first."""
    starts = [i for i, el in enumerate(blocks) if el.tag in HEADINGS]
    first_text = next((i for i, el in enumerate(blocks) if el.tag not in HEADINGS), len(blocks))
    for start, end in zip(starts, [*starts[1:], len(blocks)]):
        if start < first_text:
            continue  # nothing of the article before it: this is the article
        section = blocks[start:end]
        payments = sum(_payment_lines(b) for b in section)
        words = sum(len(block_text(b).split()) for b in section)
        if (payments >= 2 and words <= patterns.DONATION_BOX_MAX_WORDS
                and any(patterns.DONATION_APPEAL.search(block_text(b)) for b in section)):
            for j in range(start, end):
                kinds[j] = "boilerplate"


def _is_one_link(el: etree._Element) -> bool:
    """A block that is one link and nothing else: a linked headline."""
    links = el.findall(".//a")
    text = block_text(el)
    return (len(links) == 1 and bool(links[0].get("href")) and 0 < len(text.split()) <= patterns.RELATED_LINK_MAX_WORDS
            and " ".join(" ".join(links[0].itertext()).split()) == text)


def _holds_a_link(el: etree._Element) -> bool:
    """A short item holding a link or two: a headline partly linked ("YouTubers must unionize,
    <a>no matter what Google says</a>"), or with a second link to its topic."""
    links = [a for a in el.iter("a") if a.get("href")]
    return 1 <= len(links) <= 2 and 0 < len(block_text(el).split()) <= patterns.RELATED_LINK_MAX_WORDS


def _mark_link_runs(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """Under a label for other stories ("You may also like...", "More from the Gazette"), two
    blocks or more that are each one linked headline, or a list of two linked headlines or
    more, are those stories: boilerplate, and so is their label. A "See also" heading is a
    reference work's section (its links are the article's)."""
    for i, el in enumerate(blocks):
        if el.tag not in BLOCKS or not _RELATED_LABEL.match(block_text(el).strip()):
            continue
        if el.tag in HEADINGS and patterns.REFERENCE_SECTION_LABEL.match(block_text(el).strip()):
            continue  # a reference work's "See also" section: its own links
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if following is not None and following.tag in ("ul", "ol"):
            items = list(following.iterchildren("li"))  # "More Great WIRED Stories"
            run = [i + 1] if len(items) >= 2 and all(_holds_a_link(li) for li in items) else []
        else:
            run = list(itertools.takewhile(
                lambda j: blocks[j].tag in ("p", "h3", "h4", "h5", "h6") and _is_one_link(blocks[j]),
                range(i + 1, len(blocks))))
            run = run if len(run) >= 2 else []
        if run:
            for j in (i, *run):
                kinds[j] = "boilerplate"


def _links_elsewhere(el: etree._Element) -> bool:
    """A paragraph or heading that is one link, to another page (not an anchor of this one)."""
    if el.tag not in ("p", *HEADINGS):
        return False
    link = el.find(".//a")
    return link is not None and not (link.get("href") or "").startswith("#") and _is_one_link(el)


def _mark_excerpt_teasers(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """Another story's teaser: its linked headline and an excerpt, cut off with "[…]" (the
    mark blog software puts at the end of an automatic excerpt) or followed by a "Read the
    rest" link (which goes too). Boing Boing sets five of them under each post."""
    for i, el in enumerate(blocks[:-1]):
        if not _links_elsewhere(el):
            continue
        j = i + 1  # (past the teaser's picture, when the page's pictures are kept)
        while j < len(blocks) - 1 and not block_text(blocks[j]) and blocks[j].find(".//img") is not None:
            j += 1
        excerpt = blocks[j]
        after = blocks[j + 1] if j + 1 < len(blocks) else None
        read_on = (after is not None and after.tag in ("p", *HEADINGS) and _is_one_link(after)
                   and bool(patterns.READ_THE_REST.match(block_text(after))))
        if excerpt.tag != "p" or not (read_on or patterns.EXCERPT_CUT.search(block_text(excerpt))):
            continue
        for k in range(i, j + 2 if read_on else j + 1):
            kinds[k] = "boilerplate"


def _mark_more_from_section(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """A last section headed "More from <author> on <site>" (or "mehr von ... auf ...") whose
    blocks are three short paragraphs or more, each a teaser's title or summary: the other
    stories, not the article."""
    for i, el in enumerate(blocks):
        if el.tag not in HEADINGS or not patterns.MORE_FROM_LABEL.match(block_text(el)):
            continue
        rest = blocks[i + 1:]
        if len(rest) >= 3 and all(b.tag == "p" and len(block_text(b).split()) <= patterns.TEASER_MAX_WORDS
                                  for b in rest):
            for j in range(i, len(blocks)):
                kinds[j] = "boilerplate"
            return


def _mark_trailing_link_headings(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """Headings at the very end of the article that are each one link to another page head
    no section: they are promotions ("VW ID. SPACE VIZZION Gallery" under SlashGear's story)."""
    for i in range(len(blocks) - 1, 0, -1):
        el = blocks[i]
        if kinds[i] is not None:
            continue  # (boilerplate after it already: still the end)
        if el.tag not in HEADINGS or not _links_elsewhere(el):
            break
        kinds[i] = "boilerplate"


def _is_menu_item(el: etree._Element) -> bool:
    """One entry of a site's menu copied as a line of its own: "Sport", "Local News"."""
    text = block_text(el)
    return (el.tag == "p" and 0 < len(text.split()) <= patterns.MENU_ITEM_MAX_WORDS
            and text[:1].isupper() and text[-1:].isalnum())


def _mark_top_menu(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """Text copied from a whole page starts with its menu, a line per entry: "Skip to main
    content", "Menu", "Search", "Home", "News", "Sport". Where two of the page's controls or
    more open the text, the short capitalised lines among and after them are the menu's other
    entries. The line right before the story's first paragraph stays (a short headline)."""
    controls = 0
    end = 0
    while end < len(blocks) and (kinds[end] is not None or _is_menu_item(blocks[end])):
        # (a block marked "share" is a button or a control label: only controls count)
        controls += kinds[end] == "boilerplate" or (
            kinds[end] == "share" and bool(patterns.CONTROL_LABELS.match(block_text(blocks[end]))))
        end += 1
    if controls < 2:
        return
    for i in range(end):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        story = after is not None and (len(block_text(after).split()) >= patterns.MENU_STORY_MIN_WORDS
                                       or patterns.SOURCE_TAGLINE.match(block_text(after)))
        if kinds[i] is None and not story:
            kinds[i] = "boilerplate"


def _is_short_line(el: etree._Element) -> bool:
    """A line that names another story or a topic: short and unpunctuated (a headline, "Ferries",
    "Published 12 January 2026"), or a list of such lines."""
    if el.tag in ("ul", "ol"):
        items = list(el.iterchildren("li"))
        return bool(items) and all(_is_short_line(li) for li in items)
    text = block_text(el)
    return (el.tag in ("p", "li", *HEADINGS) and 0 < len(text.split()) <= patterns.RELATED_LINK_MAX_WORDS
            and text[-1] not in ".!?;,")


def _mark_trailing_related_lines(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """The end of a page copied as text: a label for other stories ("Related Topics", "More on
    this story") and, to the end, short lines only (topics, headlines, their dates). The
    links are gone, so this is told by the label and by nothing of the article coming after.
    A reading list ("Further reading", "See also") is the author's and stays."""
    start = len(blocks)
    for i in range(len(blocks) - 1, -1, -1):
        if kinds[i] is None and not _is_short_line(blocks[i]):
            break
        start = i
    for i in range(start, len(blocks)):
        text = block_text(blocks[i]).strip()
        label = ((_RELATED_LABEL.match(text) and not patterns.READING_LIST_LABEL.match(text))
                 or patterns.RELATED_LABEL_ELSEWHERE.match(text))
        if label:
            if any(k is None for k in kinds[i + 1:]):
                for j in range(i, len(blocks)):
                    kinds[j] = "boilerplate"
            return


def breaks_off(text: str) -> bool:
    """True when ``text`` stops on a word no sentence ends on ("… would run in", "… and the")
    or on a web address ("More information is at https://…"): the sentence goes on below."""
    words = text.split()
    return bool(words) and (words[-1].lower() in patterns.OPEN_ENDING_WORDS
                            or words[-1].startswith(("http://", "https://", "www.")))


def _sentence_goes_on(before: etree._Element, after: etree._Element) -> bool:
    """Whether the paragraph ``after`` finishes the sentence that ``before`` leaves open:
    "... the first trains would run in" / (Advertisement) / "December, but ...". The open end
    is a comma or a word that cannot end a sentence ("in", "the", "und"), or what follows
    starts in lower case."""
    if before.tag != "p" or after.tag != "p":
        return False
    first, second = block_text(before), block_text(after)
    if not first or not second or not second[0].isalnum() or patterns.INLINE_MARKER.match(second):
        return False
    if len(first.split()) < patterns.OPEN_SENTENCE_MIN_WORDS:
        return False  # a label, a salutation or a sign-off ("Best wishes,"), not a sentence
    if first.endswith(","):
        return True
    if not first[-1].isalnum():
        return False
    return (second[0].isalpha() and second[0].islower()) or breaks_off(first)


def _join_across_furniture(joins: list[tuple[etree._Element, etree._Element]], ctx) -> None:
    """Join each pair of paragraphs a removed block had split mid-sentence."""
    into: dict[int, etree._Element] = {}
    for before, after in joins:
        first = into.get(id(before), before)
        lead = (after.text or "").lstrip()
        if len(first):
            first[-1].tail = (first[-1].tail or "").rstrip() + " " + lead
        else:
            first.text = (first.text or "").rstrip() + " " + lead
        for child in list(after):
            first.append(child)
        after.getparent().remove(after)
        into[id(after)] = first
        ctx.change("boilerplate.sentence-rejoined", first, after, first)


_WORD = re.compile(r"\w+")


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    words = iter(haystack)
    return all(any(w == n for w in words) for n in needle)


def _mark_pull_quotes(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """A pull quote repeats, in large type, words the article prints anyway: a quotation
    block whose words all come, in order, in a paragraph near it is that repeat ("People
    think it is a job for a romantic." beside "“People think it is a job for a romantic,”
    he said."). Nothing of the text is lost with it."""
    for i, el in enumerate(blocks):
        if el.tag != "blockquote" or kinds[i] is not None:
            continue
        quote = _WORD.findall(block_text(el).casefold())
        if len(quote) < patterns.PULL_QUOTE_MIN_WORDS:
            continue
        near = blocks[max(0, i - patterns.PULL_QUOTE_REACH):i] + blocks[i + 1:i + 1 + patterns.PULL_QUOTE_REACH]
        if any(b.tag == "p" and _is_subsequence(quote, _WORD.findall(block_text(b).casefold())) for b in near):
            kinds[i] = "boilerplate"


_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_EDGE_NUMBER = re.compile(r"^(\d{1,4})\s|\s(\d{1,4})$")


def _numbers_a_part(text: str, edge: re.Match[str]) -> bool:
    """"Our trip to Norway, day 2", "The Long Road, part 3": the number counts the article's
    own parts (a heading each), not the pages."""
    words = (text[:edge.start()] if edge.group(2) else text[edge.end():]).split()
    near = words[-1] if edge.group(2) else words[0] if words else ""
    return near.strip(",.:;-–—").casefold() in patterns.PART_WORDS


def _mark_running_lines(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """Text copied from a PDF keeps each page's running header or footer and its number:
    "Riverside Community Garden Annual Report 2025 2", "... 3", and lone "1", "4". A short
    line that comes back with only its page number changed, the number going up, is page
    furniture; so are lone numbers, where such lines or two lone numbers going up show
    that the text has pages."""
    running: dict[str, list[tuple[int, int]]] = {}
    lone: list[tuple[int, int]] = []
    for i, el in enumerate(blocks):
        # (A lone number is a "count" so far: a post's score, if buttons stand beside it.)
        if el.tag != "p" or kinds[i] not in (None, "count"):
            continue
        text = block_text(el)
        if _PAGE_NUMBER.match(text):
            lone.append((i, int(text)))
            continue
        if kinds[i] is not None:
            continue
        edge = _EDGE_NUMBER.search(text) if len(text.split()) <= patterns.RUNNING_LINE_MAX_WORDS else None
        # ("Step 1", "Chapter 2" and "Day 3" come back with their number going up too: a
        # running line names the document, in three words or more.)
        if edge and len(text.split()) > patterns.RUNNING_LINE_MIN_WORDS and not _numbers_a_part(text, edge):
            key = text[:edge.start()] + "#" + text[edge.end():] if edge.group(2) else "#" + text[edge.end():]
            running.setdefault(key, []).append((i, int(edge.group(1) or edge.group(2))))
    pages = [found for found in running.values()
             if len(found) >= 2 and all(b[1] > a[1] for a, b in itertools.pairwise(found))]
    for found in pages:
        for i, _ in found:
            kinds[i] = "boilerplate"
    # Lone numbers go where they carry on the running lines' count ("1" before "... 2"); a
    # list numbered by bare figures ("1", "Heat the oven", "2", ...) breaks that count.
    numbered = sorted([*lone, *(page for found in pages for page in found)])
    if pages and lone and all(b[1] > a[1] for a, b in itertools.pairwise(numbered)):
        for i, _ in lone:
            kinds[i] = "boilerplate"


def _mark_forum_comments(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """A forum thread copied with its comments, which the copy numbers by depth ("level 1" /
    "commuter_kate" / "· 5 hr. ago" / the comment): from the first "level" line to the end
    is other people's talk under the post. A bulletin board's "Top" link under the post, the
    last line, goes too."""
    start = next((i for i, el in enumerate(blocks) if i and patterns.FORUM_COMMENT_LEVEL.match(block_text(el))), None)
    if start is not None:
        for i in range(start, len(blocks)):
            kinds[i] = "boilerplate"
    if len(blocks) > 1 and blocks[-1].tag == "p" and patterns.FORUM_TOP_LINK.match(block_text(blocks[-1])):
        kinds[-1] = "boilerplate"


def _mark_signature(doc: Document, blocks: list[etree._Element], kinds: list[str | None], ctx) -> None:
    """An e-mail's signature under its "--" line, at the end: the sender's name, role,
    organisation and address, a few short lines. They go; the name, a capitalised one on
    the first line, is the author when the document names none ("--" / "Jo Whitfield" /
    "Millbrook Orchard Group" / "https://…")."""
    tail = range(max(0, len(blocks) - patterns.SIGNATURE_MAX_LINES - 1), len(blocks))
    start = next((i for i in reversed(tail) if block_text(blocks[i]).strip() in ("--", "-- ")), None)
    if start is None or start == len(blocks) - 1 or not _short_lines_to_end(blocks, start, patterns.SIGNATURE_LINE_WORDS):
        return
    name = block_text(blocks[start + 1])
    if not doc.meta.author and is_name_line(name):
        doc.meta.author = name
        ctx.change("boilerplate.signature-author", blocks[start + 1], name, name)
    for i in range(start, len(blocks)):
        kinds[i] = "boilerplate"


def _mark_mail_footer(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """A newsletter's footer under its unsubscribe line: the short lines after it to the end
    are the sender's postal address and legal lines ("The Riverside Weekly, 12 Mill Street,
    Riverside RV1 2AB"), which the law puts there and an edition has no use for."""
    tail = range(max(0, len(blocks) - patterns.MAIL_FOOTER_BLOCKS), len(blocks))
    start = next((i for i in reversed(tail) if kinds[i] == "boilerplate"
                  and patterns.MAIL_FOOTER.search(block_text(blocks[i]))), None)
    if start is not None and _short_lines_to_end(blocks, start, patterns.MAIL_FOOTER_LINE_WORDS):
        for i in range(start + 1, len(blocks)):
            kinds[i] = "boilerplate"


def _short_lines_to_end(blocks: list[etree._Element], start: int, max_words: int) -> bool:
    """Whether every block after ``start`` is a paragraph of ``max_words`` words at most."""
    return all(el.tag == "p" and len(block_text(el).split()) <= max_words for el in blocks[start + 1:])


# A press release's status label stands over its story: above every block of this many words.
RELEASE_STORY_WORDS = 12
# What goes whatever stands beside it, and the rule each removal is reported under.
ALWAYS_GOES = {"boilerplate": "boilerplate.block", "release": "boilerplate.press-release",
               "contents": "boilerplate.contents"}


def _mark_release_marks(blocks: list[etree._Element], kinds: list[str | None]) -> None:
    """A press release's status over its headline ("FOR IMMEDIATE RELEASE", "Press
    release") and the mark under its story ("ENDS", "-30-", "###")."""
    story = False  # (not counted in blocks: the title pass takes the headline away)
    for i, el in enumerate(blocks):
        if el.tag not in BLOCKS:
            continue
        text = block_text(el)
        # (An embargo line with a date gives the metadata pass its date; one without goes.)
        label = patterns.RELEASE_LABEL.match(text) or (patterns.EMBARGO_PREFIX.match(text) and not is_dateline(text))
        if patterns.RELEASE_END.match(text) or (not story and label):
            kinds[i] = "release"
        story = story or len(text.split()) >= RELEASE_STORY_WORDS


def contents_entry(text: str) -> str | None:
    """The title of a contents entry copied from a PDF ("1.1 Purpose ........ 3"), else None."""
    text = text.strip()
    entry = patterns.CONTENTS_ENTRY.match(text) if len(text) <= patterns.CONTENTS_ENTRY_MAX_CHARS else None
    return collapse(entry.group("title")) if entry else None


def _title_key(text: str) -> str:
    """A title compared without its case, punctuation or section number ("1.1 Purpose")."""
    return " ".join(re.sub(r"[\W_]+", " ", patterns.SECTION_NUMBER.sub("", text, count=1)).lower().split())


def _mark_contents(blocks: list[etree._Element], kinds: list[str | None], ctx) -> None:
    """A report's contents copied from a PDF: its label ("Contents") and its entries, each a
    title, dot leaders and a page number. When the titles head the sections below (half of
    them at least), the block goes: an edition makes its own contents, and the PDF's page
    numbers are no edition's. Otherwise the entries stay, without leaders and page numbers."""
    i = 0
    while i < len(blocks):
        label = blocks[i].tag in BLOCKS and patterns.CONTENTS_LABEL.match(block_text(blocks[i])) is not None
        start = end = i + 1 if label else i
        titles: list[str] = []
        while end < len(blocks) and blocks[end].tag == "p" and (title := contents_entry("".join(blocks[end].itertext()))):
            titles.append(title)
            end += 1
        if len(titles) < (patterns.CONTENTS_MIN_ENTRIES if label else patterns.CONTENTS_MIN_ENTRIES + 1):
            i = max(i + 1, end)
            continue
        later = {_title_key(block_text(el)) for el in blocks[end:]
                 if el.tag in BLOCKS and len(block_text(el).split()) <= patterns.CONTENTS_TITLE_MAX_WORDS}
        if 2 * sum(1 for t in titles if _title_key(t) in later) >= len(titles):
            for k in range(i, end):
                kinds[k] = "contents"
        else:
            for el, title in zip(blocks[start:end], titles, strict=True):
                if len(el) == 0:  # (plain text; an entry holding markup keeps its leaders)
                    ctx.change("boilerplate.contents-leaders", el, el.text, title)
                    el.text = title
        i = end


def remove_boilerplate_blocks(doc: Document, ctx) -> None:
    """Remove blocks whose whole text is a comment counter, share prompt, ad label and so on,
    and figures captioned so."""
    blocks = list(doc.body)
    edge = patterns.MENU_EDGE_BLOCKS
    # A menu line goes only from around a story: a document that is a list of places set off
    # by bars (a Wikipedia navbox) is that list.
    menus = [(i < edge or i >= len(blocks) - edge) and _is_menu_line(el) for i, el in enumerate(blocks)]
    story = any(len(block_text(el).split()) >= patterns.MENU_STORY_MIN_WORDS
                for el, menu in zip(blocks, menus, strict=True) if not menu)
    kinds = [
        "boilerplate" if ((el.tag in BLOCKS and _block_is_boilerplate(el)) or _is_promo_figure(el) or _is_badge_row(el)
                          or _is_share_line(el) or (story and menu) or _is_credit_line(el, before))
        else "share" if _is_share_target(el) else "count" if _is_count(el) else None
        for el, menu, before in zip(blocks, menus, [None, *blocks][:len(blocks)], strict=True)
    ]
    _mark_top_menu(blocks, kinds)
    _mark_release_marks(blocks, kinds)
    _mark_contents(blocks, kinds, ctx)
    _mark_pull_quotes(blocks, kinds)
    if doc.kind == "text":
        _mark_running_lines(blocks, kinds)
    _mark_paywall_pitch(blocks, kinds)
    _mark_link_runs(blocks, kinds)
    _mark_excerpt_teasers(blocks, kinds)
    _mark_trailing_link_headings(blocks, kinds)
    _mark_more_from_section(blocks, kinds)
    _mark_trailing_related_lines(blocks, kinds)
    _mark_donation_box(blocks, kinds)
    _mark_mail_footer(blocks, kinds)
    if doc.kind == "text":
        _mark_forum_comments(blocks, kinds)
        _mark_signature(doc, blocks, kinds, ctx)
    # "Facebook" alone is a share button only in a run with other boilerplate or buttons.
    i = 0
    joins: list[tuple[etree._Element, etree._Element]] = []
    while i < len(blocks):
        if kinds[i] is None:
            i += 1
            continue
        end = i
        while end < len(blocks) and kinds[end] is not None:
            end += 1
        run = kinds[i:end]
        goes = any(kind in ALWAYS_GOES for kind in run)
        shares_go = goes or run.count("share") >= 2
        counts_go = goes or "share" in run  # a score goes beside buttons only
        for el, kind in zip(blocks[i:end], run, strict=True):
            if kind in ALWAYS_GOES or (shares_go and kind == "share") or (counts_go and kind == "count"):
                ctx.change(ALWAYS_GOES.get(kind, "boilerplate.share-button"), el, el, None)
                doc.body.remove(el)
        if (0 < i and end < len(blocks) and all(el.getparent() is None for el in blocks[i:end])
                and _sentence_goes_on(blocks[i - 1], blocks[end])):
            joins.append((blocks[i - 1], blocks[end]))
        i = end
    _join_across_furniture(joins, ctx)
