"""Question-and-answer pages (converter.readers.qa): a Stack Exchange page saved whole becomes
the question, then each answer under its author's name; the question's author is the author."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from converter.config import Config
from converter.pipeline import prepare
from converter.readers.qa import answer_headings

LABELLED = Path(__file__).parent / "fixtures" / "documents" / "labelled"


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_each_answer_is_headed_by_its_author_and_the_asker_is_the_author():
    doc = prepare(LABELLED / "stackexchange-sourdough-starter.html", Config())
    assert doc.meta.author == "Hannah Berg"
    blocks = [(el.tag, text_of(el)) for el in doc.body]
    headings = [b for b in blocks if b[0] in ("h2", "h3")]
    assert headings == [("h2", "2 Answers"), ("h3", "Tomasz Nowak"), ("h3", "Sofia Marin")]
    after = blocks[blocks.index(("h3", "Tomasz Nowak")) + 1]
    assert after[1].startswith("It is not dead.")
    after = blocks[blocks.index(("h3", "Sofia Marin")) + 1]
    assert after[1].startswith("To add to the accepted answer")
    text = text_of(doc.body)
    for gone in ("Up vote", "reputation", "Is your kitchen warmer", "Improve this answer", "Hot Network"):
        assert gone not in text


def _page(author: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(
        "<html itemscope itemtype='https://schema.org/QAPage'><body>"
        "<div itemscope itemtype='https://schema.org/Answer'><div itemprop='text'><p>First.</p></div>"
        f"{author}</div></body></html>")


def test_an_answer_without_a_readable_author_gets_a_rule():
    root = _page("<div itemprop='author' itemscope><span itemprop='name'>Kofi Mensah</span></div>")
    assert answer_headings(root) == 1
    assert text_of(root.find(".//h3")) == "Kofi Mensah"
    root = _page("")
    assert answer_headings(root) == 1
    assert root.find(".//h3") is None and root.find(".//div[@itemprop='text']/hr") is not None


def test_a_page_that_is_no_qa_page_is_left_alone():
    root = lxml_html.fromstring(
        "<html><body><div itemscope itemtype='https://schema.org/Answer'><div itemprop='text'>"
        "<p>Reviews quote answers too.</p></div></div></body></html>")
    assert answer_headings(root) == 0
    assert root.find(".//h3") is None and root.find(".//hr") is None
