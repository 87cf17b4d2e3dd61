"""Lazy-loaded images get their real picture back before anything else reads the page.

    <div><img src="https://cdn.example/max/60/photo.png?q=20"></div>
    <img alt="The hall" width="1144"><noscript><img src="https://cdn.example/max/2288/photo.png"
      alt="The hall"></noscript>
    -> <img src="https://cdn.example/max/2288/photo.png" alt="The hall"
         data-old-src="https://cdn.example/max/60/photo.png?q=20">

    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/photos/hall.jpg">
    -> <img src="/photos/hall.jpg" data-src="/photos/hall.jpg">

Pages that load their pictures by script ship a placeholder (a blurred 60-pixel thumbnail, a
one-pixel GIF, nothing at all) in ``src``, and the real address in another attribute
(``data-src``, ``data-original``, ``data-srcset``, ...) or in a ``<noscript>`` copy of the
image for browsers without scripts. Without this step every such picture is a placeholder in
the editions (--allow-remote) or, once the sanitiser has dropped ``<noscript>``, gone.

The rules are Readability.js's (``_unwrapNoscriptImages``, ``_fixLazyImages``), which its
test pages check:

1. An ``<img>`` with no attribute that could give a picture (no src, srcset, data-src,
   data-srcset, nor any value naming a .jpg/.jpeg/.png/.webp file) is removed: it is a slot a
   script fills. (Unless it has alt text and no ``<noscript>`` copy follows it: then it is its
   alt text, as a picture that cannot be shown is.)
2. A ``<noscript>`` holding one image replaces the element before it when that element is one
   image too (an ``<img>``, or wrappers around a single ``<img>`` and no text); the old
   image's picture attributes stay as ``data-old-*``.
3. A tiny base64 ``src`` (under 133 characters of data; not SVG) is dropped when another
   attribute names an image file; then an image with no src, or whose class says "lazy",
   takes ``src``/``srcset`` from an attribute whose value is an image file (or a srcset of
   them). A ``<figure>`` with no image gets one from its own such attribute.
4. Of sibling versions of one graphic for different screen widths (ai2html's artboards,
   ``data-min-width``/``data-max-width``), the one for a page's width stays (rule
   ``images.artboard``; not Readability.js's).
5. An image still showing such a tiny base64 placeholder (its real address is built by the
   page's script) is its alt text, as a picture that cannot be shown is (rule
   ``images.placeholder``): a transparent pixel is not a picture.

Addresses are only copied between attributes: nothing is fetched here (the resource policy
decides later what may be read).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from ..document import Change
from ..resources import replace_with_alt
from .extract import where_in_page
from .sanitise import remove_keep_tail

_IMAGE_FILE = re.compile(r"\.(?:jpg|jpeg|png|webp)", re.IGNORECASE)
_SRCSET = re.compile(r"\.(?:jpg|jpeg|png|webp)\s+\d", re.IGNORECASE)
_SRC = re.compile(r"^\s*\S+\.(?:jpg|jpeg|png|webp)\S*\s*$", re.IGNORECASE)
_B64_DATA_URL = re.compile(r"^data:\s*([^\s;,]+)\s*;\s*base64\s*,", re.IGNORECASE)
PICTURE_ATTRIBUTES = frozenset({"src", "srcset", "data-src", "data-srcset"})
# A base64 src shorter than this (about 100 bytes of image) is a placeholder.
PLACEHOLDER_B64_CHARS = 133


def fix_lazy_images(root: etree._Element) -> list[Change]:
    """Apply the rules above to ``root`` in place; return their change records
    (``images.lazy``, ``images.artboard``, ``images.placeholder``)."""
    from ..normalise.tree import short  # (the normaliser is loaded where it is used)

    changes: list[Change] = _amp_images(root)
    for img in list(root.iter("img")):
        if img.getparent() is not None and not _may_have_picture(img):
            following = img.getnext()
            if (img.get("alt") or "").strip() and (following is None or following.tag != "noscript"):
                replace_with_alt(img)  # no copy follows: its alt text is all there is of it
            else:
                remove_keep_tail(img)
    for noscript in list(root.iter("noscript")):
        old_src = _unwrap_noscript(noscript)
        if old_src is not None:
            where, before, after = old_src
            changes.append(Change("images.lazy", where, short(before), short(after)))
    for el in list(root.iter("img", "picture", "figure")):
        before = el.get("src")
        _fix_lazy(el)
        if el.tag == "img" and el.get("src") and el.get("src") != before:
            changes.append(Change("images.lazy", where_in_page(el), short(before or "(no src)"), short(el.get("src"))))
    changes.extend(_one_artboard(root))
    for img in list(root.iter("img")):
        if _is_placeholder(img.get("src") or "") and not img.get("srcset") and img.getparent() is not None:
            changes.append(Change("images.placeholder", where_in_page(img), short(img.get("src") or ""), ""))
            replace_with_alt(img)  # a pixel a script was to replace: nothing to show
    return changes


AMP_IMAGES = ("amp-img", "amp-anim")
AMP_KEPT = ("src", "srcset", "alt", "title", "width", "height")


def _amp_images(root: etree._Element) -> list[Change]:
    """An AMP page's pictures are ``<amp-img>`` elements, which only AMP's script draws: each
    becomes the ``<img>`` it stands for (its fallback ``<noscript><img>`` inside, if any, goes
    with it: the same picture)."""
    changes: list[Change] = []
    for amp in list(root.iter(*AMP_IMAGES)):
        if amp.getparent() is None:
            continue
        fallback = next((i for i in amp.iter("img")), None)
        img = lxml_html.Element("img")
        for name in AMP_KEPT:
            value = amp.get(name) or (fallback.get(name) if fallback is not None else None)
            if value:
                img.set(name, value)
        img.tail = amp.tail
        amp.getparent().replace(amp, img)
        changes.append(Change("images.amp", where_in_page(img), amp.tag, img.get("src") or "(no src)"))
    return changes


# The width, in CSS pixels, an edition's page gives a picture (A4's text block at 96 dpi).
PAGE_WIDTH_PX = 700
_NUMBER = re.compile(r"\d+")


def _one_artboard(root: etree._Element) -> list[Change]:
    """Of sibling versions of one graphic drawn for different screen widths (ai2html's
    artboards: ``data-min-width="600"``, ``data-min-width="300" data-max-width="599"``; a
    script shows the one that fits), keep the one for a page's width, else the widest: the
    editions would show the same chart two or three times."""
    changes: list[Change] = []
    parents = {id(p): p for el in root.iter() if isinstance(el.tag, str) and el.get("data-min-width") is not None
               and (p := el.getparent()) is not None}
    for parent in parents.values():
        group = [c for c in parent if isinstance(c.tag, str) and c.get("data-min-width") is not None]
        if len(group) < 2:
            continue

        def bound(el: etree._Element, name: str, default: float) -> float:
            found = _NUMBER.search(el.get(name) or "")
            return float(found.group()) if found else default

        fitting = [c for c in group if bound(c, "data-min-width", 0) <= PAGE_WIDTH_PX <= bound(c, "data-max-width", float("inf"))]
        keep = fitting[0] if fitting else max(group, key=lambda c: bound(c, "data-min-width", 0))
        for other in group:
            if other is not keep:
                changes.append(Change("images.artboard", where_in_page(other), other.get("id") or other.tag, ""))
                remove_keep_tail(other)
    return changes


def _is_placeholder(src: str) -> bool:
    """A base64 raster image too small to be a picture (a transparent pixel)."""
    match = _B64_DATA_URL.match(src)
    return bool(match) and match.group(1).lower() != "image/svg+xml" and len(src) - match.end() < PLACEHOLDER_B64_CHARS


def _may_have_picture(img: etree._Element) -> bool:
    return any(name in PICTURE_ATTRIBUTES or _IMAGE_FILE.search(value or "")
               for name, value in img.attrib.items())


def _single_image(node: etree._Element | None) -> etree._Element | None:
    """The one ``<img>`` ``node`` is, or wraps with no text and nothing else; else None."""
    while node is not None:
        if node.tag == "img":
            return node
        children = [c for c in node if isinstance(c.tag, str)]
        if len(children) != 1 or "".join(node.itertext()).strip():
            return None
        node = children[0]
    return None


def _noscript_content(noscript: etree._Element) -> etree._Element | None:
    """The noscript's markup as one element (libxml2 parses it as elements; the fallback
    parser keeps it as text)."""
    children = [c for c in noscript if isinstance(c.tag, str)]
    if children:
        return children[0] if len(children) == 1 and not (noscript.text or "").strip() else None
    text = (noscript.text or "").strip()
    if "<img" not in text.lower():
        return None
    try:
        parsed = lxml_html.fragments_fromstring(text)
    except (etree.ParserError, ValueError):
        return None
    elements = [p for p in parsed if isinstance(p, etree._Element)]
    return elements[0] if len(parsed) == 1 and len(elements) == 1 else None


def _unwrap_noscript(noscript: etree._Element) -> tuple[str, str, str] | None:
    """Rule 2 for one ``<noscript>``; return (where, old src, new src) when it applied."""
    content = _noscript_content(noscript)
    new = _single_image(content)
    previous = noscript.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    old = _single_image(previous)
    if new is None or old is None or previous is None:
        return None
    new = lxml_html.fromstring(etree.tostring(new))  # an element of its own
    for name, value in old.attrib.items():
        if not value or not (name in ("src", "srcset") or _IMAGE_FILE.search(value)):
            continue
        if new.get(name) == value:
            continue
        new.set(f"data-old-{name}" if name in new.attrib else name, value)
    new.tail = previous.tail
    where = where_in_page(previous)
    previous.getparent().replace(previous, new)
    remove_keep_tail(noscript)
    return where, old.get("src") or "(no src)", new.get("src") or ""


def _fix_lazy(el: etree._Element) -> None:
    src = el.get("src") or ""
    if _is_placeholder(src) and any(name != "src" and _IMAGE_FILE.search(value or "") for name, value in el.attrib.items()):
        del el.attrib["src"]
    srcset = el.get("srcset")
    if (el.get("src") or (srcset and srcset != "null")) and "lazy" not in (el.get("class") or "").lower():
        return
    for name, value in list(el.attrib.items()):
        if name in ("src", "srcset", "alt"):
            continue
        copy_to = "srcset" if _SRCSET.search(value or "") else "src" if _SRC.match(value or "") else None
        if copy_to is None:
            continue
        if el.tag in ("img", "picture"):
            el.set(copy_to, value)
        elif el.tag == "figure" and next(el.iter("img", "picture"), None) is None:
            img = el.makeelement("img", {copy_to: value})
            el.append(img)
