"""Telling a paragraph of the article from code, where a reader must end a block of code.

    reads_as_prose(["The operator will review the timetable in March."])   -> True
    reads_as_prose(["    for row in rows:"])                                -> False

Used where code has no closing mark: a Markdown fence never closed, and code copied out of a
chat window as plain text (its toolbar opens the block; nothing ends it).
"""

from __future__ import annotations

import re

# A line of prose: starts a sentence, none of code's punctuation.
PROSE_LINE = re.compile(r"^[\"“‘'(]?[A-Z][^{}<>=;$|`\\]*$")
CODE_END = re.compile(r"[{}\[;=(,\\]\s*$")


def reads_as_prose(lines: list[str], min_words: int = 8) -> bool:
    """A paragraph of the article, not of code: unindented sentences of prose, ``min_words``
    words or more, the last ending a sentence or opening a list with ":"."""
    if not lines or lines[0][:1].isspace() or not PROSE_LINE.match(lines[0]):
        return False
    words = sum(len(line.split()) for line in lines)
    return (words >= min_words
            and all(not line[:1].isspace() and not CODE_END.search(line) for line in lines)
            and all(PROSE_LINE.match(line) or line[:1].islower() for line in lines)
            and lines[-1].rstrip()[-1:] in ".!?:\"”’)")
