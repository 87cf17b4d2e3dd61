"""What a MediaWiki page (Wikipedia, and every wiki that runs MediaWiki) writes, read as the
article it means: run on the located article before its footnotes are read and before the
sanitiser drops the classes that say what is what.

    <div class="mw-heading mw-heading2"><h2 id="History">History</h2>
      <span class="mw-editsection">[edit]</span></div>               ->  <h2 id="History">History</h2>
    <sup class="noprint Inline-Template Template-Fact">[citation needed]</sup>   ->  (gone)
    <table class="infobox"><tr><th colspan="2" class="infobox-above">Saltcote Tide Mill</th></tr>
      <tr><td colspan="2" class="infobox-image"><img …><div class="infobox-caption">…</div></td></tr>
      <tr><th>Built</th><td>1831</td></tr></table>
    ->  <figure><img …><figcaption>…</figcaption></figure>
        <table><caption>Saltcote Tide Mill</caption><tr><th>Built</th><td>1831</td></tr></table>

What the wiki shows on screen only goes, as its own printable version leaves it out:
elements of class ``noprint`` (maintenance tags such as "[citation needed]"), navigation
boxes, article message boxes ("This article needs additional citations"), sister-project
boxes and the coordinates' second notation. An infobox is a data table of the article's
facts: its title row becomes its caption and its picture a figure before it (a cell holding
a picture and a caption would otherwise make it read as a layout table and be flattened).
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from .sanitise import remove_keep_tail

# Class names that only MediaWiki's output has: a page holding one is a MediaWiki page.
MARKERS = frozenset({"mw-parser-output", "mw-heading", "mw-headline", "mw-editsection",
                     "mw-references-wrap", "mw-cite-backlink"})
# Classes of what MediaWiki's print style sheet hides, removed with their content.
SCREEN_ONLY = frozenset({"noprint", "mw-editsection", "navbox", "vertical-navbox", "navbox-styles",
                         "ambox", "sistersitebox", "metadata", "geo-nondefault", "geo-multi-punct",
                         "mw-jump-link", "catlinks", "printfooter", "mw-empty-elt"})
# An infobox's title row and its picture cells.
INFOBOX_TITLE = frozenset({"infobox-above", "infobox-title"})
INFOBOX_CAPTION = frozenset({"infobox-caption"})
# Elements that carry no text of the article (style sheets a template puts inline).
NOT_CONTENT = frozenset({"style", "link", "meta", "script"})


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def is_mediawiki(root: etree._Element) -> bool:
    """True when ``root`` holds MediaWiki's markup."""
    return any(not MARKERS.isdisjoint(_classes(el)) for el in root.iter() if isinstance(el.tag, str))


def mediawiki(root: etree._Element) -> bool:
    """Rewrite a MediaWiki article in ``root`` in place (nothing when it is none); return
    whether it was one."""
    if not is_mediawiki(root):
        return False
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el is root or el.getparent() is None:
            continue
        if el.tag in NOT_CONTENT or not SCREEN_ONLY.isdisjoint(_classes(el)):
            remove_keep_tail(el)
    for wrapper in list(root.iter("div")):
        if "mw-heading" in _classes(wrapper):
            _unwrap_heading(wrapper)
    for table in list(root.iter("table")):
        if any(c == "infobox" or c.startswith("infobox_") for c in _classes(table)):
            _infobox(table)
    return True


def _unwrap_heading(wrapper: etree._Element) -> None:
    """``<div class="mw-heading"><h2>…</h2></div>`` (its edit link gone): the heading alone."""
    headings = [c for c in wrapper if isinstance(c.tag, str)]
    if len(headings) != 1 or headings[0].tag not in ("h1", "h2", "h3", "h4", "h5", "h6") \
            or (wrapper.text or "").strip() or (headings[0].tail or "").strip():
        return
    heading = headings[0]
    heading.tail = wrapper.tail
    wrapper.getparent().replace(wrapper, heading)


def _text(el: etree._Element) -> str:
    return " ".join(el.text_content().split())


def _infobox(table: etree._Element) -> None:
    """The title row becomes the caption; a row that is pictures and their caption, a
    figure before the table."""
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    figures = []
    for tr in rows:
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if len(cells) != 1:
            continue
        cell = cells[0]
        if not INFOBOX_TITLE.isdisjoint(_classes(cell)) and table.find("caption") is None:
            caption = lxml_html.Element("caption")
            caption.text = _text(cell)
            table.insert(0, caption)
            tr.getparent().remove(tr)
            continue
        captions = [c for c in cell.iter() if isinstance(c.tag, str) and not INFOBOX_CAPTION.isdisjoint(_classes(c))]
        said = " ".join(_text(c) for c in captions)
        if cell.find(".//img") is None or _text(cell) != said:
            continue  # (text beside the picture: a row of the table)
        figure = lxml_html.Element("figure")
        for img in cell.iter("img"):
            figure.append(lxml_html.Element("img", dict(img.attrib)))
        if said:
            etree.SubElement(figure, "figcaption").text = said
        figures.append(figure)
        tr.getparent().remove(tr)
    for figure in figures:
        table.addprevious(figure)
