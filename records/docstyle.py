"""The look every Word file we make shares: A4 with 2 cm margins, Calibri, black headings, small
grey notes, shaded header cells, tables sized for both Word and LibreOffice.

Used by `tools/build_templates.py` (the document templates) and `records/wordforms/build.py`
(the blank forms), so a form and the document made from it look like one office's papers.
"""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

GREY = RGBColor(0x55, 0x55, 0x55)
FONT = "Calibri"


def office_page(doc: Any, title: str, *, landscape: bool = False) -> None:
    """Page size, margins, the base styles and the file's title and author."""
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(3)
    for name, size in (("Title", 15), ("Heading 2", 11.5)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Heading 2"].paragraph_format.space_before = Pt(10)
    doc.styles["Heading 2"].paragraph_format.space_after = Pt(3)
    doc.core_properties.title = title
    doc.core_properties.author = "asystent"


def small(run: Any) -> None:
    """A note: 8 pt grey."""
    run.font.size = Pt(8)
    run.font.color.rgb = GREY


def shade(cell: Any, fill: str = "E8E8E8") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def row_flag(row: Any, name: str) -> None:
    """`w:tblHeader` (repeat on every page) or `w:cantSplit` (never cut by a page break)."""
    row._tr.get_or_add_trPr().append(OxmlElement(name))


def widths(table: Any, centimetres: list[float]) -> None:
    """Word reads cell widths, LibreOffice the table grid: set both."""
    table.autofit = False
    for column, width in zip(table.columns, centimetres, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, centimetres, strict=False):
            cell.width = Cm(width)
