"""Fuzzing the readers and the pipeline with Hypothesis: random bytes, markup soup, Markdown
soup and hostile attributes. Whatever comes in:

- the only exception is a ConverterError (a one-line message for the user), never a crash;
- the XHTML every writer starts from is well-formed XML (lxml would refuse the rest);
- no active content or foreign styling survives the sanitiser, whatever the markup;
- the normaliser is idempotent on what the readers produce;
- every writer turns any readable document into a whole edition.

HYPOTHESIS_EXAMPLES sets how many examples each property gets (default 100; ``make fuzz``
runs a long campaign with many more, see the Makefile).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from fixture_format import render
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.config import Config
from converter.errors import ConverterError
from converter.normalise import normalise
from converter.pipeline import prepare
from converter.readers import READERS, read_string
from converter.readers.encoding import decode_bytes
from converter.readers.sanitise import MAX_DEPTH
from converter.writers import get_writer
from converter.writers.html import render_xhtml

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "100"))
# The suite's run (no HYPOTHESIS_EXAMPLES) draws the same examples every time, so a CI result
# says something about the commit; `make fuzz` draws new ones to find new cases.
DERANDOMIZE = "HYPOTHESIS_EXAMPLES" not in os.environ
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# The full pipeline to every format costs about a second an example.
WRITER_SETTINGS = settings(SETTINGS, max_examples=max(10, EXAMPLES // 10))

TAGS = [
    "p", "div", "span", "a", "b", "i", "em", "strong", "u", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h6", "table", "thead", "tr", "td", "th", "caption", "blockquote", "pre",
    "code", "br", "hr", "img", "figure", "figcaption", "picture", "source", "sup", "sub", "q",
    "article", "main", "section", "header", "footer", "nav", "aside", "time", "abbr", "address",
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea",
    "select", "option", "svg", "math", "template", "noscript", "title", "meta", "link", "base",
    "head", "body", "html", "font", "center", "xmp", "plaintext", "frameset", "frame", "x-y",
    "o:p", "wbr", "video", "audio", "canvas", "dialog", "details", "summary", "mark",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "srcset", "onclick", "onerror", "onload", "style", "class", "id", "data-line",
    "data-soft", "lang", "dir", "colspan", "rowspan", "start", "value", "type", "alt", "title",
    "role", "rel", "background", "poster", "action", "formaction", "xmlns", "xml:lang", "datetime",
    "width", "height", "align", "reversed",
]  # fmt: skip
VALUES = [
    "javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "java&#x09;script:x", "&#106;avascript:x",
    "vbscript:x", "data:text/html,<script>x</script>", "data:image/png;base64,iVBORw0KGgo=",
    "data:image/svg+xml,<svg onload=alert(1)>", "file:///etc/passwd", "../secret.png",
    "/etc/passwd", "http://127.0.0.1:9/x.png", "//127.0.0.1:9/x", "#fn1", "#", "fn1",
    "footnote-ref", "footnotes", "footnote-back", "language-python", "color:red;background:url(x)",
    "expression(alert(1))", "9999999999999999999999", "-3", "0", "", "rtl", "en", "zz-Latn-XX",
    "doc-noteref", "doc-endnotes", "attachment", "\u202e", "a\u0000b",
]  # fmt: skip
TEXTS = st.one_of(
    st.sampled_from(["The harbour bridge reopened on Monday.", "Share", "0 Comments", "•", "- ",
                     "1.", "By Marta Ilves", "May 19, 2025", "#", "##", " ", "\n", "\n\n", "café",
                     "&amp;", "&nbsp;", "&#0;", "&#xD800;", "&#x110000;", "&bogus;", "<", ">",
                     "</", "&", "]]>", "\u00a0", "\u200b", "Ã©", "\ufffe", "\uffff"]),
    st.text(max_size=30),
)


@st.composite
def markup_soup(draw: st.DrawFn) -> str:
    """Tags opened and closed in any order, with hostile attributes, entities and junk."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 9))
        tag = draw(st.sampled_from(TAGS))
        if kind <= 2:
            attrs = "".join(
                f' {draw(st.sampled_from(ATTRIBUTES))}="{draw(st.sampled_from(VALUES))}"'
                for _ in range(draw(st.integers(0, 3)))
            )
            parts.append(f"<{tag}{attrs}{draw(st.sampled_from(['', '/']))}>")
        elif kind <= 4:
            parts.append(f"</{tag}>")
        elif kind <= 7:
            parts.append(draw(TEXTS))
        elif kind == 8:
            parts.append(draw(st.sampled_from(["<!-- c -->", "<!--", "-->", "<!DOCTYPE html>",
                                               "<![CDATA[x]]>", "<?php echo 1 ?>", "<!x>"])))
        else:
            depth = draw(st.integers(1, 3 * MAX_DEPTH))
            parts.append(f"<{tag}>" * depth + draw(TEXTS) + f"</{tag}>" * draw(st.integers(0, depth)))
    return "".join(parts)


MARKDOWN_PIECES = st.sampled_from([
    "# ", "## ", "###### ", "#", "- ", "* ", "+ ", "1. ", "1) ", "> ", "    ", "```", "~~~", "---",
    "***", "|", "| --- |", "[", "]", "(", ")", "![", "](", "[^1]", "[^1]: note", "<div>", "</div>",
    "<script>x</script>", "<img src=x onerror=y>", "javascript:alert(1)", "file:///etc/passwd",
    "http://127.0.0.1:9/x.png", "../secret.png", "*", "_", "**", "`", "\\", "&amp;", "\n", "\n\n",
    "  \n", "title: x\n", "---\ntitle: [unclosed\n---\n", "word", "Words of the article.", "<!--",
])  # fmt: skip


@st.composite
def markdown_soup(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.one_of(MARKDOWN_PIECES, TEXTS), max_size=60)))


def readable(text: str, kind: str):
    """The Document for ``text``, or None when the reader refuses it with a ConverterError."""
    try:
        return read_string(text, kind)
    except ConverterError:
        return None


ACTIVE_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "button",
               "textarea", "select", "svg", "math", "link", "base", "frame", "frameset",
               "template", "applet", "noscript", "canvas", "video", "audio", "dialog"}
UNSAFE_URL = re.compile(r"^(?:javascript|vbscript|livescript|data:(?!image/(?:png|jpeg|gif|webp)[;,]))",
                        re.IGNORECASE)
URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")


def assert_safe_wellformed(doc) -> None:
    """Render the page every writer starts from: well-formed XML, nothing active in it."""
    xhtml = render_xhtml(doc)
    root = etree.fromstring(xhtml, etree.XMLParser(resolve_entities=False, no_network=True,
                                                   huge_tree=True))
    body = root.find("{http://www.w3.org/1999/xhtml}body")
    assert body is not None
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        assert etree.QName(el).localname not in ACTIVE_TAGS, etree.QName(el).localname
        for name, value in el.attrib.items():
            local = etree.QName(name).localname.lower()
            assert not local.startswith("on"), name
            assert local != "style", value
            if local in ("href", "src"):
                assert not UNSAFE_URL.match(URL_JUNK.sub("", value)), value


def assert_idempotent(doc) -> str:
    """Normalise ``doc`` twice: the second pass changes nothing. Returns the rendering."""
    normalise(doc)
    once = render(doc, ("title", "subtitle", "author", "date", "language"))
    changes = len(doc.changes)
    normalise(doc)
    assert render(doc, ("title", "subtitle", "author", "date", "language")) == once
    assert doc.changes[changes:] == []
    return once


# -- properties --------------------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=3000))
@example(b"\xef\xbb\xbf\xff\xfe")
@example(b"\xff\xfe\x00\xd8")
@example(b"\x00" * 10)
@example(b"<html>\xff\xfe<p>\x80\x81\x8d</p>")
def test_random_bytes_decode_to_xml_safe_text_or_a_one_line_error(data):
    try:
        text = decode_bytes(data, "fuzz.txt")
    except ConverterError as exc:
        assert "\n" not in str(exc)
        return
    etree.Element("p").text = text  # lxml refuses text XML cannot hold: this would raise
    for kind in ("text", "markdown", "html"):
        doc = readable(text, kind)
        if doc is not None:
            normalise(doc)
            assert_safe_wellformed(doc)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(sorted(READERS)))
def test_random_files_through_the_pipeline(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            doc = prepare(path, Config(output_dir=Path(tmp) / "out"))
        except ConverterError:
            return
        assert_safe_wellformed(doc)
        for fmt in ("html", "md"):
            get_writer(fmt).write(doc, Path(tmp) / "out" / f"fuzz.{fmt}")


@SETTINGS
@given(markup_soup())
@example('<a href="java\nscript:alert(1)">x</a><img src=" javascript:x" alt="y">')
@example("<div>" * 3000 + "deep" + "</div>" * 3000)
@example("<p>" + "<b>" * 300 + "bold" + "</p>")
@example("<table><tr><td colspan=99999999999>x</td></tr></table><ol start=-99999999><li>x</ol>")
def test_markup_soup(source):
    doc = readable(source, "html")
    event("read" if doc is not None else "refused")
    if doc is None:
        return
    assert_idempotent(doc)
    assert_safe_wellformed(doc)


@SETTINGS
@given(markdown_soup())
@example("[x](javascript:alert(1)) ![y](file:///etc/passwd) <script>alert(1)</script>")
@example("> " * 500 + "quote")
@example("- " * 500 + "item")
def test_markdown_soup(source):
    doc = readable(source, "markdown")
    if doc is None:
        return
    assert_idempotent(doc)
    assert_safe_wellformed(doc)


@SETTINGS
@given(st.text(max_size=2000))
def test_any_text(source):
    doc = readable(source, "text")
    if doc is None:
        return
    assert_idempotent(doc)
    assert_safe_wellformed(doc)


WORDS = st.sampled_from([
    "harbour", "bridge", "council", "reopened", "Monday", "repairs", "engineers", "bearings",
    "spring", "budget", "café", "naïve", "Straße", "2026", "residents", "statement", "Share",
])


@st.composite
def html_article(draw: st.DrawFn) -> tuple[str, list[str]]:
    """An article of plain-word blocks in random containers; returns (html, its words)."""
    blocks, words = [], []
    for _ in range(draw(st.integers(1, 12))):
        text = draw(st.lists(WORDS, min_size=3, max_size=15))
        words.extend(text)
        sentence = " ".join(text) + "."
        tag = draw(st.sampled_from(["p", "h2", "h3", "li", "blockquote", "td", "div", "span"]))
        wrapped = {"li": f"<ul><li>{sentence}</li></ul>", "td": f"<table><tr><td>{sentence}</td></tr></table>"}
        block = wrapped.get(tag, f"<{tag}>{sentence}</{tag}>")
        for _ in range(draw(st.integers(0, 3))):
            wrapper = draw(st.sampled_from(["div", "section", "span", "font", "center"]))
            block = f"<{wrapper}>{block}</{wrapper}>"
        blocks.append(block)
    return "<html><body><article>" + "".join(blocks) + "</article></body></html>", words


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


@SETTINGS
@given(html_article())
def test_normaliser_keeps_every_word_of_html(article):
    """Whatever the reader took from the page, the normaliser keeps or records every word.

    (Which parts of a page are the article is the reader's judgement, not tested here.)
    """
    source, _ = article
    doc = readable(source, "html")
    assert doc is not None
    words = re.findall(r"[^\W_]+", " ".join(doc.body.itertext()))
    normalise(doc)
    kept = _squash(" ".join([doc.body_html(), doc.meta.title or "",
                             " ".join(c.before for c in doc.changes)]))
    for word in words:
        assert _squash(word) in kept, word


@WRITER_SETTINGS
@given(st.one_of(markup_soup().map(lambda s: ("html", s)), markdown_soup().map(lambda s: ("md", s)),
                 st.text(max_size=500).map(lambda s: ("txt", s))))
def test_every_writer_on_fuzzed_documents(kind_source):
    kind, source = kind_source
    assume(source.strip())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz.{kind}"
        path.write_text(source, encoding="utf-8")
        config = Config(output_dir=Path(tmp) / "out", source_date_epoch=0)
        try:
            doc = prepare(path, config)
        except ConverterError as exc:
            event(f"refused: {exc.category}")
            return
        event(f"{kind}: written")
        for fmt in ("pdf", "epub", "docx", "html", "md"):
            try:
                target = get_writer(fmt, config).write(doc, Path(tmp) / "out" / f"fuzz.{fmt}")
            except ConverterError:
                continue
            data = target.read_bytes()
            if fmt == "pdf":
                assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
            elif fmt in ("epub", "docx"):
                with zipfile.ZipFile(target) as z:
                    assert z.testzip() is None
            assert not [p for p in target.parent.iterdir() if p.name.endswith(".part")]
