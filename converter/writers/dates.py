"""The article's date as a reader reads it, in the article's language.

    display_date("2026-02-14T08:00:00.000Z", "de")  ->  "14. Februar 2026"
    display_date("2026-02-14", "en-GB")             ->  "14 February 2026"
    display_date("2026-02", "fr")                   ->  "février 2026"

The metadata keeps ISO 8601 (``<time datetime>``, the EPUB's dc:date, the front matter); the
title block of the PDF, the EPUB and the DOCX shows this form. Babel's CLDR data names the
months; a language it does not know gets English.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

_ISO = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?:[T ].*)?$")


@functools.cache
def _locale(language: str | None):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def display_date(value: str | None, language: str | None) -> str | None:
    """``value`` (ISO 8601) written out for ``language``; other values as they are."""
    if not value:
        return value
    match = _ISO.match(value.strip())
    if match is None or match.group("m") is None:
        return value  # a year, or a date the metadata kept as it found it
    try:
        day = dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d") or 1))
    except ValueError:
        return value
    from babel.dates import format_date, format_skeleton

    locale = _locale(language)
    if match.group("d") is None:
        return format_skeleton("yMMMM", day, locale=locale)
    return format_date(day, format="long", locale=locale)
