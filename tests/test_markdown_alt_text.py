"""In the Markdown edition, a refused image is its alt text in italics: Markdown, no raw HTML.

The article is converted through the real CLI; the Markdown edition is parsed back with
markdown-it-py (CommonMark + tables, as GFM) and its tokens are checked.
"""

from __future__ import annotations

import json
from pathlib import Path

from markdown_it import MarkdownIt

from converter.cli import main

ARTICLE = """\
# Harbour bridge reopens

The harbour bridge reopened on Monday after three months of repairs, the council said.

![Aerial view of the *new* deck [2024]](../secret.png)

A second picture: ![Night shot](/etc/passwd) taken from the quay.

*The photo ![Crowd at the opening](../secret.png) was taken by a reader.*

![](../secret.png)

<figure><img src="../secret.png" alt="Ferry at dusk"><figcaption>The last ferry, seen by
<b>a reader</b>.</figcaption></figure>

<figure><img src="{absolute}"><figcaption>Only a caption survives</figcaption></figure>

<figure><img src="../secret.png"><figcaption>Devindra Hardawar/AOL</figcaption></figure>

<figure><img src="../blur.png" alt="The quay at low tide"><img src="../secret.png"
alt="The quay at low tide"><figcaption>The quay at low tide</figcaption></figure>

Traffic resumed at noon.
"""

SECRET = b"\x89PNG\r\n\x1a\nSECRET-PIXELS"


def convert(tmp_path: Path) -> tuple[str, dict]:
    (tmp_path / "secret.png").write_bytes(SECRET)
    site = tmp_path / "site"
    site.mkdir()
    article = site / "article.md"
    article.write_text(ARTICLE.format(absolute=tmp_path / "secret.png"), encoding="utf-8")
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    assert main(["convert", str(article), "--to", "md,html", "-o", str(out),
                 "--report", str(report)]) == 0
    (entry,) = json.loads(report.read_text(encoding="utf-8"))["documents"]
    return (out / "article.md").read_text(encoding="utf-8"), entry


def inline_tokens(markdown: str) -> list:
    """Every token, block and inline, of the Markdown as CommonMark reads it."""
    tokens = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        tokens.append(token)
        tokens.extend(token.children or [])
    return tokens


def test_refused_images_are_italic_alt_text_without_raw_html(tmp_path):
    markdown, entry = convert(tmp_path)
    assert "SECRET-PIXELS" not in markdown and "secret.png" not in markdown
    codes = [w["code"] for w in entry["warnings"]]
    assert codes.count("resources.outside-folder") >= 2

    tokens = inline_tokens(markdown)
    raw = [t.content for t in tokens if t.type in ("html_block", "html_inline")]
    assert raw == []
    assert [t for t in tokens if t.type == "image"] == []

    html = MarkdownIt("commonmark").render(markdown)
    # Standalone and inline images: the alt text, emphasised, Markdown escaped by pandoc.
    assert "<p><em>Aerial view of the new deck [2024]</em></p>" in html
    assert "A second picture: <em>Night shot</em> taken from the quay." in html
    # Inside emphasis already: plain words, not emphasis within emphasis.
    assert "<em>The photo Crowd at the opening was taken by a reader.</em>" in html
    # A figure with its own caption: the alt text, then the caption as a paragraph.
    assert "<p><em>Ferry at dusk</em></p>\n<p>The last ferry, seen by <strong>a reader</strong>." in html
    # A lazy-loading figure (a placeholder and the real image, the same alt text) is one
    # picture: its alt text once, and the caption that repeats it not again.
    assert html.count("quay at low tide") == 1 and "<p><em>The quay at low tide</em></p>" in html
    # A figure left with nothing but the photographer's credit goes.
    assert "Hardawar" not in html and "Hardawar" not in markdown
    # A figure whose image had no alt text keeps its caption.
    assert "<p>Only a caption survives</p>" in html
    # The image without alt text is gone without a trace, the paragraphs around it stay.
    assert "Traffic resumed at noon." in html and "<em></em>" not in html


def test_the_html_edition_shows_the_same_alt_text(tmp_path):
    """The other editions carry the same words (the HTML as a span the stylesheet can style,
    or, where the caption says the same, as that caption, marked so too)."""
    markdown, _ = convert(tmp_path)
    page = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    for alt in ("Night shot", "Crowd at the opening", "Ferry at dusk"):
        assert f'<span class="image-alt">{alt}</span>' in page
        assert alt in markdown
    alt = "Aerial view of the new deck [2024]"
    assert f'<figcaption class="image-alt">{alt}</figcaption>' in page and page.count(alt) == 1
    assert alt.replace("[", "\\[").replace("]", "\\]") in markdown


PAGE = """<!DOCTYPE html><html lang="en"><head><title>Harbour notes</title></head><body>
<article><h1>Harbour notes</h1>
<p>The harbour bridge reopened on Monday after three months of repairs, the council said.</p>
<p>Shares of <a href="https://example.org/quotes/HB" role="">Harbour Bridges</a> rose; the
<abbr class="published" title="2006-12-04">December 4, 2006</abbr> plan and the
<dfn title="Harbour Transit Board">HTB</dfn> <a href="https://example.org/b" role="button"
class="cta">timetable</a> stay.</p>
<section><p>Details are at https://example.org/bridge for anyone who asks, and the
<a href="https://example.org/report">full report</a> is online; the old page
<a href="about:blank">www.example.org/old</a> is gone.</p></section>
<ul><li id="f7fe"><b>New process</b> for the ferry, agreed by the board last week.</li>
<li id="d757"><span id="x1">More staff</span> for the <u>summer</u> season, <small>paid</small>
from the budget.</li></ul>
<div id="attachment_995" class="wp-caption"><a href="photo.png"><img src="photo.png"
alt="The new deck"></a><p id="caption-995">The deck on Monday morning.</p></div>
<figure><a href="photo.png"><img src="photo.png" alt="Crowd" width="400" height="300"></a>
<figcaption>The crowd at <em>noon</em>.</figcaption></figure>
<p>See <a href="https://example.org/a">https://example.org/a</a> for the timetable.</p>
</article></body></html>
"""

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01"
       b"\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_web_page_wrappers_come_out_as_markdown_not_raw_html(tmp_path):
    """WordPress caption divs, sections, ids on list items and spans, underline, small print,
    links whose text is an address and links without one, links with a role or a class (a
    CNBC quote link's empty ``role``), abbreviations and definitions (hAtom's
    ``<abbr class="published">``), images with a width and height: Markdown, not raw HTML."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "photo.png").write_bytes(PNG)
    page = folder / "notes.html"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(page), "--to", "md", "-o", str(out), "-q"]) == 0
    markdown = (out / "notes.md").read_text(encoding="utf-8")
    tokens = inline_tokens(markdown)
    raw = [t.content for t in tokens if t.type in ("html_block", "html_inline")]
    assert raw == []
    html = MarkdownIt("commonmark").render(markdown)
    assert '<a href="https://example.org/a">https://example.org/a</a>' in html
    assert '<a href="https://example.org/report">full report</a>' in html
    assert "the old page www.example.org/old is gone" in " ".join(html.split())
    assert "<strong>New process</strong> for the ferry" in html
    assert '<a href="https://example.org/quotes/HB">Harbour Bridges</a> rose' in html
    assert "the December 4, 2006 plan and the HTB" in " ".join(html.split())
    assert '<a href="https://example.org/b">timetable</a> stay.' in html
    assert "More staff for the summer season, paid from the budget." in " ".join(html.split())
    assert [t.attrs.get("alt") or t.content for t in tokens if t.type == "image"] == [
        "The new deck", "Crowd"]
    assert "The deck on Monday morning." in html
    assert "The crowd at <em>noon</em>." in html


def convert_page(tmp_path: Path, name: str, html: str, formats: str = "md,html") -> dict[str, str]:
    """Write ``html`` as site/NAME.html, convert it with the CLI and return each edition's text."""
    folder = tmp_path / "site"
    folder.mkdir(exist_ok=True)
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(page), "--to", formats, "-o", str(out), "-q"]) == 0
    return {fmt: (out / f"{name}.{fmt}").read_text(encoding="utf-8") for fmt in formats.split(",")}


def test_a_left_out_image_alone_on_its_line_is_not_taken_for_a_heading(tmp_path):
    """A web page without section headings whose first paragraph is a linked web image (left
    out, so its alt text stands in for it): the alt text is a picture's description, not a
    plain-line heading, in every edition."""
    editions = convert_page(
        tmp_path, "review",
        "<html><head><title>Bike book review</title></head><body><article><h1>Bike book review</h1>"
        "<p><a href='https://cdn.example/Bike-Style-book.jpg'><img src='https://cdn.example/Bike-Style-book.jpg'"
        " alt='Bike Style Book Cover'></a></p>"
        "<p>If you want a book that makes you feel great about being a biker, this is it, and the record "
        "that comes with it is a fine thing too.</p>"
        "<p>The 180 page coffee-table publication comes with a ten-inch vinyl record of riding songs.</p>"
        "</article></body></html>")
    body = editions["md"].split("---\n", 2)[2]  # after the front matter
    tokens = MarkdownIt("commonmark").parse(body)
    assert [t.tag for t in tokens if t.type == "heading_open"] == []
    assert "Bike Style Book Cover" in body
    assert "Bike Style Book Cover" in editions["html"] and "<h2" not in editions["html"]


def test_alt_text_that_says_nothing_is_not_shown_for_a_left_out_picture(tmp_path):
    """Web pictures left out (no --allow-remote) stand as their alt text, unless the alt text
    only says "Image" (the NYT's on every photo) or names the file: then nothing stands in
    for them, and the caption stays."""
    editions = convert_page(
        tmp_path, "story",
        "<html><head><title>Manholes</title></head><body><article><h1>Manholes</h1>"
        "<p>New York's aging below-street infrastructure is tough to maintain, and winter makes it worse.</p>"
        "<figure><img src='https://img.example/a.jpg' alt='Image'><figcaption>A Con Edison worker "
        "repairing cables.</figcaption></figure>"
        "<p>A series of recent manhole fires forced the evacuation of several theaters in Manhattan.</p>"
        "<figure><img src='https://img.example/b.jpg' alt='bed-hotel-room.jpg'></figure>"
        "<figure><img src='https://img.example/c.jpg' alt='Photo 3'><figcaption>Steam on Broadway.</figcaption></figure>"
        "<figure><img src='https://img.example/d.jpg' alt='A manhole cover blown into the air'></figure>"
        "<p>The city has one of the oldest and largest networks of underground infrastructure.</p>"
        "</article></body></html>")
    markdown, html = editions["md"], editions["html"]
    for edition in (markdown, html):
        assert "A manhole cover blown into the air" in edition
        assert "A Con Edison worker" in edition and "Steam on Broadway." in edition
        assert "bed-hotel-room" not in edition and "Photo 3" not in edition
    assert "*Image*" not in markdown and '<span class="image-alt">Image</span>' not in html


def test_a_link_around_a_left_out_picture_goes_with_it(tmp_path):
    """A logo link in a paragraph (gmw's "<strong>作者︱春春</strong> <a><img title></a>") and a
    lightbox link around a <picture>: the picture is left out (a web image, no alt text) and
    the link, showing nothing, goes with it before the passes run, so a second run of the
    normaliser finds nothing more to do and the Markdown has no empty "[](...)" link."""
    from converter.config import Config
    from converter.normalise import normalise
    from converter.pipeline import prepare

    folder = tmp_path / "site"
    folder.mkdir()
    page = folder / "story.html"
    page.write_text(
        "<html><head><title>Science notes</title></head><body><article><h1>Science notes</h1>"
        "<p>The column looks at how the brain keeps time, and why a minute can feel like an hour.</p>"
        "<p><a href='#img-1'><picture><img src='https://img.example/a.jpg'></picture></a></p>"
        "<p>Researchers timed two hundred volunteers as they waited for a bus that never came.</p>"
        "<p><strong>Author: Chunchun</strong> <a href='http://www.example.cn'><img "
        "src='https://img.example/logo.png' title='Home'></a></p>"
        "<p>[Editor: Xiao]</p></article></body></html>", encoding="utf-8")
    doc = prepare(page, Config())
    once = doc.body_html()
    assert "<a" not in once.split("Researchers", 1)[1] and "#img-1" not in once
    normalise(doc)
    assert doc.body_html() == once
    out = tmp_path / "out"
    assert main(["convert", str(page), "--to", "md", "-o", str(out), "-q"]) == 0
    markdown = (out / "story.md").read_text(encoding="utf-8")
    assert "[](" not in markdown and "Author: Chunchun" in markdown


def test_alt_text_that_repeats_the_caption_is_not_shown_and_a_listed_caption_is_the_figure_s(tmp_path):
    """A picture left out whose alt text says what its caption says (a few words aside) is
    not stood in for by that text: the caption says it once. A tidied page's caption written
    as a one-item list right after its figure becomes that figure's caption (the Guardian's
    ``<figure>…</figure><ul><li><p>caption</p></li></ul>``), not a bullet; a real one-item
    list after a figure stays a list."""
    editions = convert_page(
        tmp_path, "whales",
        "<html><head><title>Whales</title></head><body><article><h1>Whales</h1>"
        "<p>Whale whisperer Hori Parata was just seven years old when he attended his first stranding.</p>"
        "<figure><img src='https://img.example/a.jpg' alt='Hori Parata at his Pātaua farm, the place where"
        " he was born and grew up.'></figure>"
        "<ul><li><p>Hori Parata at his Pātaua farm, the place where he was born and grew up</p></li></ul>"
        "<p>Seven decades later, Parata has overseen more than 500 strandings and is renowned for it.</p>"
        "<figure><img src='https://img.example/b.jpg' alt='Kauri (Tekaurinui Robert) Parata carves a"
        " traditional Maōri design at their home.'><figcaption>Kauri (Te Kaurinui Robert) Parata carves a"
        " traditional Māori design at their home</figcaption></figure>"
        "<p>Concrete information on why whales strand remains elusive, the department says.</p>"
        "<figure><img src='https://img.example/c.jpg' alt='A bin of small whale bones.'></figure>"
        "<ul><li>Bring warm clothes to the beach</li></ul>"
        "<p>Climate change is to blame too, with warming ocean temperatures moving the whales' prey.</p>"
        "</article></body></html>")
    markdown, html = editions["md"], editions["html"]
    for edition in (markdown, html):
        assert edition.count("Hori Parata at his Pātaua farm") == 1
        assert edition.count("Parata carves a traditional") == 1
        assert "A bin of small whale bones." in edition
    assert '<figcaption class="image-alt">Hori Parata at his Pātaua farm' in " ".join(html.split())
    assert "<li>Bring warm clothes to the beach</li>" in " ".join(html.split())
    assert "- Hori Parata" not in markdown and "Bring warm clothes" in markdown


def test_a_line_break_next_to_a_left_out_picture_goes_with_it(tmp_path):
    """Boing Boing's "<p><img ...><br>Cartoonist Matt Bors ...": with the web picture left out
    (no alt text), the break would open the paragraph with an empty line ("\\" in Markdown)."""
    editions = convert_page(
        tmp_path, "post",
        "<html><head><title>Millennials</title></head><body><article><h1>Millennials</h1>"
        "<p><img src='https://img.example/strip.jpg'><br>\nCartoonist Matt Bors got a spot on CNN for his "
        "great, scathing critique of the narrative of the lazy Millennials.</p>"
        "<p>It has gone well beyond get off my lawn territory.<br><img src='https://img.example/b.jpg'></p>"
        "</article></body></html>")
    markdown, html = editions["md"], editions["html"]
    assert "\nCartoonist Matt Bors" in markdown and "\\\nCartoonist" not in markdown
    assert "territory.\\" not in markdown
    assert "<p>Cartoonist Matt Bors" in html and "<br" not in html.split("<article", 1)[1]
