"""Forum threads saved as web pages (phpBB's markup): every post comes back, each under its
poster's name, without the board's profile boxes, buttons, subject lines and signatures."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from converter.normalise import normalise
from converter.readers import read_string
from converter.readers.forums import forum_posts

THREAD = Path(__file__).parent / "fixtures" / "documents" / "labelled" / "forum-thread-sourdough.html"


def test_every_post_of_the_thread_comes_back_under_its_poster():
    doc = read_string(THREAD.read_text(encoding="utf-8"), "html")
    normalise(doc)
    text = " ".join(doc.body.text_content().split())
    for post in ("Hi all, first post here.", "Not dead, just hungry.", "Update: four days of twice-daily",
                 "Glad it worked out."):
        assert post in text
    assert text.index("Hi all") < text.index("Not dead") < text.index("Update:") < text.index("Glad it")
    assert [h.text_content() for h in doc.body.iter("h2")] == ["Mini Oven", "crumbshot", "dabrownman"]
    for furniture in ("Joined:", "Posts:", "Quote", "Report", "Currently baking", "Post by", "Re: Sourdough"):
        assert furniture not in text
    assert (doc.meta.author, doc.meta.date) == ("crumbshot", "2024-03-09")
    assert doc.meta.title == "Sourdough starter smells like nail polish remover - what am I doing wrong?"


def test_a_quoted_post_s_caption_is_a_line_of_its_own():
    root = lxml_html.fromstring(
        '<html><body><div class="post"><div class="postbody"><p class="author">by <a class="username">Mini Oven</a>'
        ' » Sat Mar 09, 2024 11:05 am</p><div class="content"><blockquote><div><cite>crumbshot wrote: '
        '<a href="#p1">↑</a><span class="responsive-hide">Sat Mar 09, 2024 10:42 am</span></cite>Is it dead?'
        '</div></blockquote>Not dead, just hungry.</div></div></div></body></html>')
    thread = forum_posts(root)
    assert (thread.posts, thread.poster, thread.date) == (1, "Mini Oven", "Sat Mar 09, 2024 11:05 am")
    quote = root.find(".//blockquote")
    (caption,) = quote.iter("p")
    assert caption.text_content() == "crumbshot wrote:" and caption.tail == "Is it dead?"


def test_a_page_that_is_no_thread_is_left_alone():
    page = '<html><body><article class="post"><h1>A post</h1><p>Words.</p></article></body></html>'
    root = lxml_html.fromstring(page)
    assert forum_posts(root).posts == 0
    assert lxml_html.tostring(root).decode() == lxml_html.tostring(lxml_html.fromstring(page)).decode()
