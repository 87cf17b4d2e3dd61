"""The Markdown edition: what pandoc's GFM writer leaves for a CommonMark reader to misread."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from converter.writers.markdown import escape_after_breaks


@pytest.mark.parametrize("line, escaped", [
    ("- And on the night", "\\- And on the night"),
    ("* starred", "\\* starred"),
    ("+ plus", "\\+ plus"),
    ("1. first", "1\\. first"),
    ("12) twelfth", "12\\) twelfth"),
    ("# hash", "\\# hash"),
    ("> quoted", "\\> quoted"),
    ("  - indented", "  \\- indented"),
])
def test_a_block_marker_after_a_hard_break_is_escaped(line, escaped):
    source = f"She kept it forty years.\\\n{line}"
    out = escape_after_breaks(source)
    assert out == f"She kept it forty years.\\\n{escaped}"
    tokens = [t.type for t in MarkdownIt("commonmark").parse(out)]
    assert tokens == ["paragraph_open", "inline", "paragraph_close"]  # one paragraph, as written


@pytest.mark.parametrize("source", [
    "A paragraph.\n- a list item after a soft break stays",  # no hard break above
    "Ends with an escaped backslash \\\\\n- item",  # "\\\\" is a backslash, not a break
    "```sh\nmake export \\\n- not markdown\n```",  # code keeps its lines
    "Line one\\\n-5 degrees overnight",  # no marker: "-5"
])
def test_other_lines_are_left_as_they_are(source):
    assert escape_after_breaks(source) == source


def test_a_definition_list_is_terms_in_bold_over_their_definitions():
    from converter.config import Config
    from converter.normalise import normalise
    from converter.pipeline import render
    from converter.readers import read_string

    doc = read_string("<html><head><title>FAQ</title></head><body><h1>FAQ</h1><dl>"
                      "<dt>Are helmets included?</dt><dd>Yes. Every loan comes with a helmet and a D-lock.</dd>"
                      "<dt>Is there insurance?</dt><dd><p>It covers the bikes.</p><p>Not the riders.</p></dd>"
                      "</dl></body></html>", "html")
    normalise(doc)
    out = render(doc, "md", Config(), "faq").decode("utf-8")
    body = out.split("---\n", 2)[2].strip()
    assert body == ("**Are helmets included?**\n\nYes. Every loan comes with a helmet and a D-lock.\n\n"
                    "**Is there insurance?**\n\nIt covers the bikes.\n\nNot the riders.")
