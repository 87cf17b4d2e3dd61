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
    # A figure whose image had no alt text keeps its caption.
    assert "<p>Only a caption survives</p>" in html
    # The image without alt text is gone without a trace, the paragraphs around it stay.
    assert "Traffic resumed at noon." in html and "<em></em>" not in html


def test_the_html_edition_shows_the_same_alt_text(tmp_path):
    """The other editions carry the same words (the HTML as a span the stylesheet can style)."""
    markdown, _ = convert(tmp_path)
    page = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    for alt in ("Aerial view of the new deck [2024]", "Night shot", "Crowd at the opening",
                "Ferry at dusk"):
        assert f'<span class="image-alt">{alt}</span>' in page
        assert alt.replace("[", "\\[").replace("]", "\\]") in markdown
