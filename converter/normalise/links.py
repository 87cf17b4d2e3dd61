"""Links wrapped in a redirect point at their target again.

    https://www.google.com/url?q=https://example.org/bonfires&sa=D&usg=AOv...
    ->  https://example.org/bonfires
    https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fschool.org.uk%2Ftrips&data=...
    ->  https://school.org.uk/trips

A Google Docs export sends every link through Google's redirect; a forwarded e-mail's links
went through the mail scanner of whoever received it first (Outlook's Safe Links,
Proofpoint), and a link copied from a social network through its exit page. In an edition the
wrapper only adds a stranger's server between reader and target, and Safe Links also carry
the recipient's address. Only wrappers that name their target in the address are undone, and
only to an http(s) target; link text that showed the wrapped address shows the target.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from ..document import Document
from .patterns import REDIRECT_WRAPPERS
from .typography import CODE_TAGS

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]]+")
# Proofpoint's URL Defense v3 puts the target between "__" marks, its own code after "__;".
URLDEFENSE_V3 = re.compile(r"^https?://urldefense\.com/v3/__(?P<url>https?://.+?)__;")


def unwrapped(url: str) -> str | None:
    """The address a redirect wrapper points at, or None when ``url`` is no wrapper."""
    found = URLDEFENSE_V3.match(url)
    if found:
        target = found.group("url")
    else:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        host = (parts.hostname or "").lower()
        query = parse_qs(parts.query)
        target = next((query[param][0] for host_pattern, path, param in REDIRECT_WRAPPERS
                       if param in query and host_pattern.fullmatch(host) and (path is None or parts.path == path)),
                      None)
    if not target:
        return None
    if "%3A" in target[:10].upper():  # encoded twice
        target = unquote(target)
    scheme = urlsplit(target).scheme.lower() if "://" in target else ""
    return target if scheme in ("http", "https") else None


def unwrap_redirects(doc: Document, ctx) -> None:
    """Point links wrapped in a search engine's, mail scanner's or social network's redirect at their target."""
    for a in doc.body.iter("a"):
        href = a.get("href")
        target = unwrapped(href) if href else None
        if target:
            a.set("href", target)
            ctx.change("links.redirect", a, href, target)
    for el in doc.body.iter():
        if not isinstance(el.tag, str) or el.tag in CODE_TAGS:
            continue
        for attr in ("text", "tail"):
            if attr == "tail" and (el.getparent() is None or el.getparent().tag in CODE_TAGS):
                continue
            value = getattr(el, attr)
            if not value or "://" not in value:
                continue
            fixed = URL_IN_TEXT.sub(lambda m: unwrapped(m.group()) or m.group(), value)
            if fixed != value:
                setattr(el, attr, fixed)
                ctx.change("links.redirect", el, value, fixed)
