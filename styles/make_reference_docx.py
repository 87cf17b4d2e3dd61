"""Build styles/reference.docx, the style sheet the DOCX writer hands to pandoc.

Usage (from the project root, with the dev dependencies installed)::

    .venv/bin/python styles/make_reference_docx.py            # writes styles/reference.docx
    .venv/bin/python styles/make_reference_docx.py -o x.docx  # somewhere else

It starts from pandoc's own default (``pandoc -o x.docx --print-default-data-file
reference.docx``), so every style pandoc emits exists, then restyles it with python-docx and,
where python-docx has no API, raw WordprocessingML:

- Cambria 11 pt for body text and headings, Consolas for code. Cambria ships with every copy
  of Microsoft Office (Windows and macOS), and LibreOffice substitutes the metric-compatible
  Caladea (Debian: fonts-crosextra-caladea), so line and page breaks come out the same in Word
  and LibreOffice. A serif matches the EPUB and PDF editions (Georgia there, which has no
  metric-compatible free substitute that LibreOffice knows about).
- Book-like paragraphs as in the other editions: a first-line indent and no space between
  paragraphs ("First Paragraph", after a heading, is not indented); headings in normal weight.
- Title, Subtitle, Author, Date, Heading 1-9, List Paragraph (the writer puts list items in it),
  Block Text (quotations), Source Code / Verbatim Char, Footnote Text, captions, the "Table"
  table style pandoc uses (rules between rows, a heavier rule under the header row), A4 pages
  with 2.5 cm top/bottom and 3.2 cm side margins, and a centred PAGE field in the footer.

The result is deterministic: fixed core-property dates, zip entries in a fixed order with a
fixed timestamp. Running the script twice gives identical bytes (for one pandoc version).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from lxml import etree

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "reference.docx"

BODY_FONT = "Cambria"
CODE_FONT = "Consolas"
BODY_SIZE = 11  # points
TEXT_COLOUR = "000000"
RULE_COLOUR = "999999"
FIXED_DATE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"

# Heading N: (size pt, bold, italic, space before pt, space after pt); mirrors epub.css, where
# h2 is 1.4em, h3 1.15em italic, h4-h6 1em bold.
HEADINGS = {
    1: (16, False, False, 24, 8),
    2: (13, False, True, 18, 6),
    3: (11, True, False, 14, 4),
    4: (11, True, True, 12, 3),
}


# Child order the schema prescribes (ECMA-376 CT_Style, CT_PPr, CT_RPr, CT_TblPr): Word
# refuses to open some documents whose properties are out of order, so _child appends and
# order_children() sorts once at the end.
STYLE_ORDER = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr "
    "tblStylePr"
)
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
)
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
)
ORDERS = {"style": STYLE_ORDER, "pPr": PPR_ORDER, "rPr": RPR_ORDER, "tblPr": TBLPR_ORDER}


def order_children(root: etree._Element) -> None:
    """Sort the children of every style and property element into schema order."""
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{W_NS}}}"):
            continue
        names = ORDERS.get(etree.QName(el).localname)
        if names is None or len(el) < 2:
            continue
        order = names.split()
        rank = {f"{{{W_NS}}}{name}": i for i, name in enumerate(order)}
        children = sorted(el, key=lambda child: rank.get(child.tag, len(order)))
        el[:] = children


def default_reference(pandoc: str) -> bytes:
    """Return pandoc's built-in reference.docx."""
    return subprocess.run(
        [pandoc, "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    ).stdout


def _el(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(qn(tag))
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _child(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Return parent's ``tag`` child (created if missing) with ``attrs`` set."""
    el = parent.find(qn(tag))
    if el is None:
        el = _el(tag)
        parent.append(el)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _drop_theme_fonts(rpr: etree._Element) -> None:
    """Remove Latin theme-font references so the explicit font (or the default) applies."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        return
    for attr in ("asciiTheme", "hAnsiTheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    if not fonts.attrib:
        rpr.remove(fonts)


def _linked(style: BaseStyle) -> etree._Element | None:
    """Return the character style linked to a paragraph style (e.g. Heading1Char), or None.

    Only a link both ways counts: pandoc's Caption points at Body Text Char, which belongs to
    Body Text, and copying Caption's italics there would italicise all inline code.
    """
    link = style.element.find(qn("w:link"))
    if link is None:
        return None
    target = link.get(qn("w:val"))
    for other in style.element.getparent().findall(qn("w:style")):
        back = other.find(qn("w:link"))
        if (
            other.get(qn("w:styleId")) == target
            and back is not None
            and back.get(qn("w:val")) == style.style_id
        ):
            return other
    return None


def set_run_format(
    style: CharacterStyle,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: str | None = None,
    font: str | None = None,
    caps: bool | None = None,
) -> None:
    """Set character formatting on a style and on its linked character style.

    Sizes, bold and italic are set for complex scripts too (w:szCs, w:bCs, w:iCs), so an
    Arabic or Hebrew heading gets the same size as a Latin one.
    """
    rpr = style.element.get_or_add_rPr()
    if size:
        style.font.size = Pt(size)
        _child(rpr, "w:szCs", val=str(round(size * 2)))
    for value, tag in ((bold, "b"), (italic, "i")):
        if value is None:
            continue
        for name in (tag, f"{tag}Cs"):
            el = _child(rpr, f"w:{name}")
            if value:
                el.attrib.pop(qn("w:val"), None)
            else:
                el.set(qn("w:val"), "0")
    if caps is not None:
        style.font.small_caps = caps
    _drop_theme_fonts(rpr)
    if font:
        style.font.name = font
    if colour:
        style.font.color.rgb = RGBColor.from_string(colour)
    linked = _linked(style)
    if linked is not None:
        linked_rpr = linked.find(qn("w:rPr"))
        if linked_rpr is not None:
            linked.remove(linked_rpr)
        linked.append(copy.deepcopy(style.element.find(qn("w:rPr"))))


def set_paragraph_format(
    style: ParagraphStyle,
    before: float | None = None,
    after: float | None = None,
    first_line: float | None = None,
    left: float | None = None,
    right: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    keep_next: bool | None = None,
) -> None:
    """Set spacing (points), indents (points) and alignment on a paragraph style."""
    pf = style.paragraph_format
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if first_line is not None:
        pf.first_line_indent = Pt(first_line)
    if left is not None:
        pf.left_indent = Pt(left)
    if right is not None:
        pf.right_indent = Pt(right)
    if align is not None:
        pf.alignment = align
    if keep_next is not None:
        pf.keep_with_next = keep_next


def paragraph_style(doc: DocxDocument, style_id: str, name: str, builtin: bool = True) -> Any:
    """Return the paragraph style ``style_id``, adding it (based on Normal) if missing.

    Word's own styles (List Paragraph, footer) must not be marked custom, or Word shows a
    second style of the same name beside its built-in one.
    """
    for style in doc.styles:
        if style.style_id == style_id:
            return style
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = style_by_id(doc, "Normal")
    style.element.set(qn("w:styleId"), style_id)
    if builtin:
        style.element.attrib.pop(qn("w:customStyle"), None)
    return style


def style_by_id(doc: DocxDocument, style_id: str) -> Any:
    """Return the style with this styleId (names differ in case: "heading 1")."""
    for style in doc.styles:
        if style.style_id == style_id:
            return style
    raise KeyError(style_id)


def restyle(doc: DocxDocument) -> None:
    """Apply the house style to pandoc's default styles."""
    styles_el = doc.styles.element
    # Defaults: explicit Latin fonts and size; East Asian and complex scripts keep the theme.
    rpr_default = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = _child(rpr_default, "w:rFonts")
    for attr in ("asciiTheme", "hAnsiTheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:ascii"), BODY_FONT)
    fonts.set(qn("w:hAnsi"), BODY_FONT)
    _child(rpr_default, "w:sz", val=str(BODY_SIZE * 2))
    _child(rpr_default, "w:szCs", val=str(BODY_SIZE * 2))
    ppr_default = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    _child(ppr_default, "w:spacing", after="0", line="276", lineRule="auto")
    _child(ppr_default, "w:widowControl")

    # Body text: indented paragraphs without space between, as in the EPUB and PDF editions.
    set_paragraph_format(style_by_id(doc, "BodyText"), before=0, after=0, first_line=14)
    set_paragraph_format(style_by_id(doc, "FirstParagraph"), first_line=0)
    # Compact is pandoc's style for tight list items and table cells: never indented.
    set_paragraph_format(style_by_id(doc, "Compact"), before=2, after=2, first_line=0)

    title = style_by_id(doc, "Title")
    set_run_format(title, size=24, colour=TEXT_COLOUR, bold=False)
    set_paragraph_format(title, before=0, after=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    subtitle = style_by_id(doc, "Subtitle")
    # pandoc's default Subtitle carries a stray numPr; a subtitle is not a list item.
    sub_ppr = subtitle.element.find(qn("w:pPr"))
    if sub_ppr is not None and sub_ppr.find(qn("w:numPr")) is not None:
        sub_ppr.remove(sub_ppr.find(qn("w:numPr")))
    set_run_format(subtitle, size=14, italic=True, colour=TEXT_COLOUR)
    set_paragraph_format(subtitle, after=12)
    author = style_by_id(doc, "Author")
    set_run_format(author, size=12, caps=True)
    set_paragraph_format(author, after=4)
    date = style_by_id(doc, "Date")
    set_run_format(date, size=10, italic=True)
    set_paragraph_format(date, after=30)

    for level in range(1, 10):
        size, bold, italic, before, after = HEADINGS.get(level, (BODY_SIZE, False, True, 12, 3))
        heading = style_by_id(doc, f"Heading{level}")
        set_run_format(heading, size=size, bold=bold, italic=italic, colour=TEXT_COLOUR)
        set_paragraph_format(heading, before=before, after=after, keep_next=True)

    lists = paragraph_style(doc, "ListParagraph", "List Paragraph")
    _child(lists.element, "w:uiPriority", val="34")
    lists.quick_style = True
    set_paragraph_format(lists, before=2, after=2, first_line=0, left=36)
    _child(lists.element.get_or_add_pPr(), "w:contextualSpacing")

    quote = style_by_id(doc, "BlockText")
    set_run_format(quote, size=10.5)
    set_paragraph_format(quote, before=6, after=6, first_line=0, left=22, right=22)

    code = paragraph_style(doc, "SourceCode", "Source Code", builtin=False)
    _child(code.element, "w:link", val="VerbatimChar")
    set_run_format(code, size=9.5, font=CODE_FONT)
    set_paragraph_format(code, before=6, after=6, first_line=0, left=8)
    code.paragraph_format.line_spacing = 1.0
    borders = _child(code.element.get_or_add_pPr(), "w:pBdr")
    _child(borders, "w:left", val="single", sz="12", space="6", color=RULE_COLOUR)
    verbatim = style_by_id(doc, "VerbatimChar")
    set_run_format(verbatim, size=10, font=CODE_FONT)

    notes = style_by_id(doc, "FootnoteText")
    set_run_format(notes, size=9)
    set_paragraph_format(notes, after=3)
    for style_id in ("Caption", "TableCaption", "ImageCaption"):
        caption = style_by_id(doc, style_id)
        set_run_format(caption, size=9.5, italic=True)
        set_paragraph_format(caption, before=4, after=10, first_line=0)
    set_paragraph_format(style_by_id(doc, "ImageCaption"), align=WD_ALIGN_PARAGRAPH.CENTER)
    for style_id in ("Figure", "CaptionedFigure"):
        set_paragraph_format(
            style_by_id(doc, style_id),
            before=10,
            after=0,
            first_line=0,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
    link = style_by_id(doc, "Hyperlink")
    set_run_format(link, colour="1F3A60")

    footer = paragraph_style(doc, "Footer", "footer")
    set_run_format(footer, size=9)
    set_paragraph_format(footer, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=0)

    table_style(doc)
    order_children(styles_el)


def table_style(doc: DocxDocument) -> None:
    """Restyle pandoc's "Table": rules between rows, a heavier rule and bold under the header."""
    style = style_by_id(doc, "Table").element
    tbl_pr = style.find(qn("w:tblPr"))
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is not None:
        tbl_pr.remove(borders)
    borders = _el("w:tblBorders")
    for side in ("top", "bottom", "insideH"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color=RULE_COLOUR))
    # tblBorders must come before tblCellMar (CT_TblPr sequence).
    cell_mar = tbl_pr.find(qn("w:tblCellMar"))
    if cell_mar is not None:
        cell_mar.addprevious(borders)
        for side in ("left", "right"):
            cell_mar.find(qn(f"w:{side}")).set(qn("w:w"), "115")
        for side in ("top", "bottom"):
            cell_mar.find(qn(f"w:{side}")).set(qn("w:w"), "43")
    else:
        tbl_pr.append(borders)
    # Smaller type in tables, as in the EPUB (0.9em); placed before tblPr per CT_Style.
    if style.find(qn("w:rPr")) is None:
        rpr = _el("w:rPr")
        rpr.append(_el("w:sz", val="20"))
        rpr.append(_el("w:szCs", val="20"))
        tbl_pr.addprevious(rpr)
    first_row = style.find(qn("w:tblStylePr"))
    for child in list(first_row):
        first_row.remove(child)
    rpr = _el("w:rPr")
    rpr.append(_el("w:b"))
    rpr.append(_el("w:bCs"))
    first_row.append(rpr)
    tc_pr = _el("w:tcPr")
    tc_borders = _el("w:tcBorders")
    tc_borders.append(_el("w:bottom", val="single", sz="12", space="0", color="666666"))
    tc_pr.append(tc_borders)
    tc_pr.append(_el("w:vAlign", val="bottom"))
    first_row.append(tc_pr)


def page_setup(doc: DocxDocument) -> None:
    """A4 with book-like margins and a centred page number in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(32)
    section.header_distance = section.footer_distance = Mm(12)
    section.gutter = 0
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = style_by_id(doc, "Footer")
    # A complex field (begin / instruction / separate / cached result / end): Word and
    # LibreOffice both update it on every page.
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind:
            run._r.append(_el("w:fldChar", fldCharType=kind))
        elif text == " PAGE ":
            instr = _el("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def specimen(doc: DocxDocument) -> None:
    """Replace pandoc's demo body with one paragraph per style (pandoc ignores the body)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    add = doc.add_paragraph
    add("Title", style=style_by_id(doc, "Title"))
    add("Subtitle", style=style_by_id(doc, "Subtitle"))
    add("Author", style=style_by_id(doc, "Author"))
    add("Date", style=style_by_id(doc, "Date"))
    add(
        "First Paragraph: the first paragraph of a section is not indented.",
        style=style_by_id(doc, "FirstParagraph"),
    )
    add(
        "Body Text: following paragraphs are indented, with no space between them.",
        style=style_by_id(doc, "BodyText"),
    )
    for level in range(1, 5):
        add(f"Heading {level}", style=style_by_id(doc, f"Heading{level}"))
        add("First Paragraph.", style=style_by_id(doc, "FirstParagraph"))
    add("List Paragraph (the writer numbers these).", style=style_by_id(doc, "ListParagraph"))
    add("Block Text: a quotation.", style=style_by_id(doc, "BlockText"))
    add('print("Source Code")', style=style_by_id(doc, "SourceCode"))
    table = doc.add_table(rows=2, cols=2)
    table.style = style_by_id(doc, "Table")
    for row, texts in zip(table.rows, (("Header", "Row"), ("Cell", "Cell")), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0].text = text
            cell.paragraphs[0].style = style_by_id(doc, "Compact")
    add("Table Caption", style=style_by_id(doc, "TableCaption"))
    add("Image Caption", style=style_by_id(doc, "ImageCaption"))
    add("Footnote Text", style=style_by_id(doc, "FootnoteText"))


def theme_fonts(theme_xml: bytes) -> bytes:
    """Point the theme's major and minor Latin fonts at the body font."""
    root = etree.fromstring(theme_xml)
    for latin in root.iter(f"{{{A_NS}}}latin"):
        parent = latin.getparent().tag
        if parent in (f"{{{A_NS}}}majorFont", f"{{{A_NS}}}minorFont"):
            latin.set("typeface", BODY_FONT)
            latin.attrib.pop("panose", None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def normalise_zip(data: bytes, rewrite: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Return the package with fixed timestamps and order, optionally rewriting some parts."""
    rewrite = rewrite or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    order = first + sorted(n for n in names if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            blob = src.read(name)
            if name in rewrite:
                blob = rewrite[name](blob)
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, blob, compresslevel=9)
    return out.getvalue()


def build(pandoc: str) -> bytes:
    """Return the bytes of the reference document."""
    doc = Document(io.BytesIO(default_reference(pandoc)))
    restyle(doc)
    page_setup(doc)
    specimen(doc)
    core = doc.core_properties
    core.title = "converter reference styles"
    core.author = "converter"
    core.last_modified_by = "converter"
    core.comments = "Generated by styles/make_reference_docx.py; do not edit by hand."
    core.created = core.modified = FIXED_DATE.replace(tzinfo=None)
    core.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue(), {"word/theme/theme1.xml": theme_fonts})


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--pandoc", help="pandoc binary (default: pypandoc's)")
    args = parser.parse_args(argv)
    pandoc = args.pandoc
    if pandoc is None:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
    args.output.write_bytes(build(pandoc))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
