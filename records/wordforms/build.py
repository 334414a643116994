"""Blank fillable Word forms from their layouts (`asystent forms --docx`, `forms/KIND.docx`),
and filling one programmatically (tests, the sample Word forms).

A form looks like an office form: the centre's heading, the title, a short instruction, sections
with labels beside fields, tables for lists. Each single value is a content control tagged with
its key; the kind of form and its version sit in two locked controls under the title.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from lxml import etree

from records import codes
from records.docstyle import office_page, row_flag, shade, small, widths
from records.models import LAYOUTS
from records.wordforms import xml
from records.wordforms.layout import WORD_FORM_VERSION, Field, Layout, Table
from records.wordforms.read import find_tables, open_document, save_document

WIDTH_CM = 17.0


def blank_form(kind: str, office: str = "") -> bytes:
    """The blank form of a kind; `office` puts the centre's name in the heading."""
    layout = LAYOUTS[kind]
    doc = _new_document(layout)
    _heading(doc, layout, office)
    for section in layout.sections:
        doc.add_paragraph(section.title, style="Heading 2")
        pending: list[Field] = []
        for item in section.items:
            if isinstance(item, Field) and item.kind != "codes":
                pending.append(item)
                continue
            _fields_table(doc, pending)
            pending = []
            if isinstance(item, Table):
                _list_table(doc, item)
            else:
                _checkboxes(doc, item)
        _fields_table(doc, pending)
    closing = doc.add_paragraph()
    closing.paragraph_format.space_before = Pt(10)
    small(
        closing.add_run(
            "Wypełniony formularz zapisz jako dokument Word (.docx) i wrzuć do folderu wejscie/ na "
            "dysku wspólnym. Program sprawdzi go i zapisze w aktach sprawy; jeśli coś będzie "
            "nie tak, plik trafi do folderu odrzucone/ razem z opisem błędów."
        )
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _new_document(layout: Layout) -> Any:
    doc = Document()
    office_page(doc, f"{layout.title} – formularz")
    section = doc.sections[0]
    normal = doc.styles["Normal"]
    placeholder = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    table_text = doc.styles.add_style("Tabela formularza", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9)
    doc.core_properties.subject = f"asystent:{layout.kind}:{WORD_FORM_VERSION}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small(
        footer.add_run(
            f"Formularz „{layout.title}” programu asystent · dane osobowe – chronić przed "
            "dostępem osób nieuprawnionych"
        )
    )
    return doc


def _heading(doc: Any, layout: Layout, office: str) -> None:
    name = doc.add_paragraph()
    if office:
        name.add_run(office).bold = True
    else:
        name.add_run("……………………………………………………")
        small(doc.add_paragraph().add_run("(nazwa ośrodka pomocy społecznej)"))
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(layout.title)
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small(meta.add_run("formularz programu asystent: "))
    meta._p.append(xml.content_control("formularz", "text", locked_text=layout.kind))
    small(meta.add_run(", wersja "))
    meta._p.append(xml.content_control("wersja_formularza", "text", locked_text=WORD_FORM_VERSION))
    _hidden(meta._p)  # read by the program, not shown to the person filling the form
    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    cell = box.rows[0].cells[0]
    shade(cell, "F2F2F2")
    cell.paragraphs[0].add_run("Jak wypełnić. ").bold = True
    cell.paragraphs[0].add_run(
        "Kliknij szare pole i wpisz tekst; daty wybierz z kalendarza albo wpisz jako DD.MM.RRRR, "
        "godziny jako GG:MM; wartości z listy wybierz strzałką. Pola oznaczone * są wymagane. "
        "W tabelach wypełnij tyle wierszy, ile potrzeba (puste są pomijane); nowy wiersz dodasz "
        "w Wordzie: Układ → Wstaw poniżej. Nie usuwaj pól ani kolumn tabel. " + layout.intro
    )
    widths(box, [WIDTH_CM])


def _label(field: Field) -> str:
    return field.label + (" *" if field.required else "")


def _fields_table(doc: Any, fields: list[Field]) -> None:
    if not fields:
        return
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for field in fields:
        label, value = table.add_row().cells
        label.paragraphs[0].add_run(_label(field)).bold = True
        if field.hint:
            small(label.add_paragraph().add_run(field.hint))
        shade(label, "F7F7F7")
        value.paragraphs[0]._p.append(_control_for(field.key, field))
    widths(table, [6.0, WIDTH_CM - 6.0])


def _control_for(tag: str, field: Field, *, in_table: bool = False) -> etree._Element:
    choices = codes.offered(field.vocabulary).items() if field.kind == "code" else ()
    return xml.content_control(
        tag,
        field.kind,
        label=field.label,
        choices=[(c, t) for c, t in choices],
        in_table=in_table,
    )


def _list_table(doc: Any, table_layout: Table) -> None:
    title = doc.add_paragraph()
    title.paragraph_format.space_before = Pt(6)
    title.add_run(table_layout.title + (" *" if table_layout.required else "")).bold = True
    if table_layout.hint:
        small(title.add_run(f"  ({table_layout.hint})"))
    columns = table_layout.columns
    table = doc.add_table(rows=1 + table_layout.rows, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].add_run(_label(column)).bold = True
        shade(cell, "E8E8E8")
    row_flag(table.rows[0], "w:tblHeader")
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].style = "Tabela formularza"
    for number, row in enumerate(table.rows[1:], start=1):
        for cell, column in zip(row.cells, columns, strict=True):
            if column.key == "nr" and not table_layout.parent_column:
                cell.paragraphs[0].add_run(str(number))  # goals come numbered
                continue
            tag = f"{table_layout.key}.{column.key}" if column.key else table_layout.key
            cell.paragraphs[0]._p.append(_control_for(tag, column, in_table=True))
    widths(table, _column_widths(columns))
    _gap(doc)


def _column_widths(columns: tuple[Field, ...]) -> list[float]:
    weights = [
        0.6 if c.key in ("nr", "nr_celu") else 2.0 if c.kind == "long" else 1.0 for c in columns
    ]
    return [WIDTH_CM * weight / sum(weights) for weight in weights]


def _checkboxes(doc: Any, field: Field) -> None:
    label = doc.add_paragraph()
    label.add_run(field.label).bold = True
    small(label.add_run("  (zaznacz wszystkie, które dotyczą)"))
    vocabulary = list(codes.offered(field.vocabulary).items())
    half = (len(vocabulary) + 1) // 2
    table = doc.add_table(rows=half, cols=2)
    for index, (code, text) in enumerate(vocabulary):
        cell = table.rows[index % half].cells[index // half]
        paragraph = cell.paragraphs[0]
        paragraph._p.append(xml.content_control(f"{field.key}:{code}", "flag", label=text))
        paragraph.add_run(f" {text}")
    widths(table, [WIDTH_CM / 2, WIDTH_CM / 2])
    _gap(doc)


# -- small helpers -----------------------------------------------------------------------------


def _gap(doc: Any) -> None:
    """A paragraph after a table: LibreOffice merges two tables that touch into one."""
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


# -- filling -----------------------------------------------------------------------------------


def fill_form(blank: bytes, data: dict[str, Any]) -> bytes:
    """Fill a blank form with a form's values (the same keys as a YAML form), as a user would:
    through its controls, adding table rows when there are more items than rows."""
    parts, root = open_document(blank)
    kind = data["formularz"]
    layout = LAYOUTS[kind]
    controls: dict[str, list[etree._Element]] = {}
    for sdt in root.iter(xml.w("sdt")):
        controls.setdefault(xml.tag_of(sdt) or "", []).append(sdt)
    for field in layout.fields():
        value = lookup(data, field.key)
        if field.kind == "codes":
            for code in value or []:
                xml.set_control(controls[f"{field.key}:{code}"][0], True)
        elif field.kind == "flag":
            if str(value).strip().lower() in ("tak", "true", "1"):
                xml.set_control(controls[field.key][0], True)
        elif value not in (None, ""):
            xml.set_control(controls[field.key][0], _shown(field, value))
    tables = find_tables(root, layout)
    for table_layout in layout.tables():
        rows = rows_for(table_layout, data)
        if table_layout.key in tables:
            _fill_table(tables[table_layout.key][0], table_layout, rows)
    return save_document(parts, root)


def lookup(data: dict[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _shown(field: Field, value: Any) -> str:
    """What Word shows: the Polish wording for a code, the text otherwise."""
    if field.kind == "code":
        return codes.VOCABULARIES[field.vocabulary].get(str(value), str(value))
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    return str(value)


def rows_for(table_layout: Table, data: dict[str, Any]) -> list[dict[str, Any]]:
    if table_layout.key == "cele.dzialania":
        return [
            {"nr_celu": str(number), **action}
            for number, goal in enumerate(data.get("cele") or [], start=1)
            for action in goal.get("dzialania") or []
        ]
    if table_layout.merge_into:
        columns = [c.key for c in table_layout.columns if c.key != table_layout.parent_column]
        return [
            {table_layout.parent_column: str(n), **{k: item.get(k) for k in columns}}
            for n, item in enumerate(data.get(table_layout.merge_into) or [], start=1)
            if any(item.get(k) not in (None, "", []) for k in columns)
        ]
    items = data.get(table_layout.key) or []
    if table_layout.key == "cele":
        return [{"nr": str(n), **goal} for n, goal in enumerate(items, start=1)]
    if not table_layout.columns[0].key:  # a list of texts
        return [{"": item} for item in items]
    return list(items)


def _fill_table(table: etree._Element, table_layout: Table, rows: list[dict[str, Any]]) -> None:
    data_rows = table.findall(xml.w("tr"))[1:]
    while len(data_rows) < len(rows):  # Word's "insert row below": a copy of the last row
        new = copy.deepcopy(data_rows[-1])
        data_rows[-1].addnext(new)
        data_rows.append(new)
        for sdt in new.iter(xml.w("sdt")):
            xml.set_control(sdt, "")
    for row, values in zip(data_rows, rows, strict=False):
        for cell, column in zip(row.findall(xml.w("tc")), table_layout.columns, strict=False):
            value = values.get(column.key)
            if value in (None, ""):
                continue
            sdt = cell.find(f".//{xml.w('sdt')}")
            if sdt is not None:
                xml.set_control(sdt, _shown(column, value))
            else:
                paragraph = cell.find(xml.w("p"))
                for run in paragraph.findall(xml.w("r")):
                    paragraph.remove(run)
                xml.set_runs(paragraph, _shown(column, value))


def _hidden(paragraph: Any) -> None:
    """Hidden text (w:vanish) for every run of a paragraph, its content controls included."""
    for run in paragraph.iter(xml.w("r")):
        properties = run.find(xml.w("rPr"))
        if properties is None:
            properties = etree.SubElement(run, xml.w("rPr"))
            run.remove(properties)
            run.insert(0, properties)
        vanish = etree.Element(xml.w("vanish"))
        later = [c for c in properties if etree.QName(c).localname in _AFTER_VANISH]
        if later:  # the schema's order of run properties: Word refuses a file that breaks it
            later[0].addprevious(vanish)
        else:
            properties.append(vanish)


_AFTER_VANISH = {
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
}
