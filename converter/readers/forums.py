"""Forum threads saved as web pages (phpBB's markup, which most bulletin boards copy): each
post read as its poster's name over what they wrote, before the article is located.

    <div id="p51201" class="post bg2">
      <div class="postprofile">…crumbshot… Posts: 3 … Joined: …</div>
      <div class="postbody"><ul class="post-buttons">…Quote… Report…</ul>
        <h3>Sourdough starter smells…</h3><p class="author">Post by crumbshot » Sat Mar 09, 2024</p>
        <div class="content">Hi all, first post here…</div><div class="signature">…</div></div></div>
    ->  <div class="forum-post"><h3>crumbshot</h3><div class="content">Hi all, first post here…</div></div>

The locator keeps the post that scores best and drops the rest of the thread; the posts'
profile boxes, buttons, subject lines ("Re: …") and signatures are the board's, and without
the posters' names the posts run on as one text. A quotation's caption ("crumbshot wrote: ↑
Sat Mar 09, 2024 10:42 am") becomes a line of its own saying who wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from .sanitise import remove_keep_tail

# The most characters a poster's name has.
NAME_MAX_CHARS = 60
# "… » Sat Mar 09, 2024 10:42 am": the post's date after the poster's name.
POSTED_AT = re.compile(r"»\s*(?P<date>\S.{4,60})$")


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split()) if isinstance(el.tag, str) else set()


def _first(el: etree._Element, name: str) -> etree._Element | None:
    return next((d for d in el.iter() if name in _classes(d)), None)


def _text(el: etree._Element | None) -> str:
    return " ".join(el.text_content().split()) if el is not None else ""


@dataclass
class Thread:
    """What a thread's first post says of it: its poster, its date as the page writes it, and
    its subject line (the thread's title, which the page's <title> may cut at a " - ")."""

    posts: int = 0
    poster: str | None = None
    date: str | None = None
    subject: str | None = None


def forum_posts(root: etree._Element) -> Thread:
    """Rewrite the thread's posts in ``root``; a page that is no thread has no posts."""
    posts = [el for el in root.iter() if "post" in _classes(el) and _first(el, "postbody") is not None
             and _first(el, "content") is not None]
    thread = Thread(posts=len(posts))
    for post in posts:
        content = _first(post, "content")
        byline = _first(post, "author")
        name = _text(_first(byline, "username") if byline is not None else None) or _text(_first(post, "username"))
        posted = POSTED_AT.search(_text(byline))
        if thread.poster is None and name:
            thread.poster, thread.date = name, posted.group("date") if posted else None
            thread.subject = _text(next(_first_heading(post), None)) or None
        _quotation_captions(content)
        for child in list(post):
            post.remove(child)
        post.text = None
        post.set("class", "forum-post")  # (the locator brings back the thread's other posts by it)
        if name and len(name) <= NAME_MAX_CHARS:
            heading = etree.SubElement(post, "h3")
            heading.text = name
        post.append(content)
    return thread


def _first_heading(post: etree._Element):
    return (h for h in post.iter("h2", "h3", "h4") if "content" not in {c for a in h.iterancestors() for c in _classes(a)})


def _quotation_captions(content: etree._Element) -> None:
    """A quoted post's caption as a line of its own: "crumbshot wrote:", without the link back
    to the quoted post and its time, which ran into the quoted words."""
    for cite in list(content.iter("cite")):
        said = _text(cite)
        cut = said.find("wrote:")
        caption = said[:cut + len("wrote:")] if cut >= 0 else said
        line = lxml_html.Element("p")
        etree.SubElement(line, "cite").text = caption
        line.tail = cite.tail
        cite.addprevious(line)
        cite.tail = None
        remove_keep_tail(cite)
    for el in [el for el in content.iter() if _classes(el) & {"responsive-hide"}]:
        remove_keep_tail(el)
