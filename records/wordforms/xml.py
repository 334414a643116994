"""The WordprocessingML of content controls (`w:sdt`), shared by the builder and the reader.

python-docx has no API for content controls, so they are written and read here with lxml: a
plain-text control, a date picker, a drop-down and a check box (Word 2010's `w14:checkbox`), each
tagged with the key it holds. LibreOffice 25.2 keeps all of them, with their tags, when it saves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def w14(name: str) -> str:
    return f"{{{W14_NS}}}{name}"


CHECKED, UNCHECKED = "☒", "☐"
PLACEHOLDERS = {
    "text": "Kliknij i wpisz",
    "long": "Kliknij i wpisz",
    "date": "Wybierz datę",
    "time": "GG:MM",
    "code": "Wybierz z listy",
    "cell": "…",  # in a table cell: short, so narrow columns stay readable
}


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    element = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    for key, value in attrs.items():
        element.set(w(key), value)
    return element


def content_control(
    tag: str,
    kind: str,
    *,
    label: str = "",
    choices: Iterable[tuple[str, str]] = (),
    locked_text: str | None = None,
    in_table: bool = False,
) -> etree._Element:
    """An inline `w:sdt` for a paragraph: empty (showing its placeholder) unless `locked_text`."""
    sdt = _el(w("sdt"))
    pr = _el(w("sdtPr"), sdt)
    if label:
        _el(w("alias"), pr, val=label)
    _el(w("tag"), pr, val=tag)
    if locked_text is not None:
        _el(w("lock"), pr, val="sdtContentLocked")
    elif kind != "flag":
        _el(w("showingPlcHdr"), pr)
    if kind == "date":
        date = _el(w("date"), pr)
        _el(w("dateFormat"), date, val="dd.MM.yyyy")
        _el(w("lid"), date, val="pl-PL")
        _el(w("storeMappedDataAs"), date, val="dateTime")
        _el(w("calendar"), date, val="gregorian")
    elif kind == "code":
        drop = _el(w("dropDownList"), pr)
        for value, text in choices:
            _el(w("listItem"), drop, displayText=text, value=value)
    elif kind == "flag":
        box = etree.SubElement(pr, w14("checkbox"))
        etree.SubElement(box, w14("checked")).set(w14("val"), "0")
        for state, code in (("checkedState", "2612"), ("uncheckedState", "2610")):
            element = etree.SubElement(box, w14(state))
            element.set(w14("val"), code)
            element.set(w14("font"), "MS Gothic")
    else:
        text = _el(w("text"), pr)
        if kind == "long":
            text.set(w("multiLine"), "1")
    content = _el(w("sdtContent"), sdt)
    if kind == "flag":
        run = _el(w("r"), content)
        fonts = _el(w("rFonts"), _el(w("rPr"), run))
        for attr in ("ascii", "hAnsi", "eastAsia"):
            fonts.set(w(attr), "MS Gothic")
        _el(w("t"), run).text = UNCHECKED
    elif locked_text is not None:
        _el(w("t"), _el(w("r"), content)).text = locked_text
    else:
        run = _el(w("r"), content)
        _el(w("rStyle"), _el(w("rPr"), run), val="PlaceholderText")
        _el(w("t"), run).text = PLACEHOLDERS["cell" if in_table else kind]
    return sdt


# -- reading and filling -------------------------------------------------------------------------


def tag_of(sdt: etree._Element) -> str | None:
    tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    return tag.get(w("val")) if tag is not None else None


def checkbox_state(sdt: etree._Element) -> bool | None:
    """True/False for a check box control, None for any other control."""
    box = sdt.find(f"{w('sdtPr')}/{w14('checkbox')}")
    if box is None:
        return None
    checked = box.find(w14("checked"))
    if checked is not None:
        return checked.get(w14("val"), "0") in ("1", "true", "on")
    return CHECKED in text_of(sdt.find(w("sdtContent")))


def control_text(sdt: etree._Element) -> str:
    """What the user typed; empty when the control still shows its placeholder."""
    if sdt.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None:
        return ""
    text = text_of(sdt.find(w("sdtContent")))
    return "" if text.strip() in PLACEHOLDERS.values() else text


def text_of(element: etree._Element | None) -> str:
    """Visible text: paragraphs and line breaks become newlines, tabs stay tabs."""
    if element is None:
        return ""
    paragraphs = element.findall(f".//{w('p')}")
    if not paragraphs:
        return _runs_text(element)
    return "\n".join(_runs_text(p) for p in paragraphs).strip("\n")


def _runs_text(element: etree._Element) -> str:
    parts = []
    for node in element.iter(w("t"), w("br"), w("cr"), w("tab")):
        if node.tag == w("t"):
            parts.append(node.text or "")
        elif node.tag == w("tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def set_control(sdt: etree._Element, value: str | bool) -> None:
    """Fill a control as a user would: the text (or the box's state), placeholder gone."""
    pr = sdt.find(w("sdtPr"))
    placeholder = pr.find(w("showingPlcHdr"))
    if placeholder is not None:
        pr.remove(placeholder)
    content = sdt.find(w("sdtContent"))
    box = pr.find(w14("checkbox"))
    if box is not None:
        box.find(w14("checked")).set(w14("val"), "1" if value else "0")
        content.find(f".//{w('t')}").text = CHECKED if value else UNCHECKED
        return
    date = pr.find(w("date"))
    if date is not None:
        parsed = _iso(str(value))
        if parsed:
            date.set(w("fullDate"), f"{parsed.isoformat()}T00:00:00Z")
    for child in list(content):
        content.remove(child)
    set_runs(content, str(value))


def set_runs(parent: etree._Element, text: str) -> None:
    """Append one run holding `text`, line breaks as `w:br`."""
    set_runs_into(_el(w("r"), parent), text)


def set_runs_into(run: etree._Element, text: str) -> None:
    """Put `text` into a run: `w:t` pieces, line breaks as `w:br`."""
    for number, line in enumerate(text.split("\n")):
        if number:
            _el(w("br"), run)
        t = _el(w("t"), run)
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
