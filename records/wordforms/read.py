"""Stage 1 for Word: a filled form (.docx) -> the same dict of text a YAML form gives.

A .docx is untrusted: the zip's size, entry count and declared sizes are checked before anything
is unpacked, macros (.docm) and files that are not our forms are refused with a message saying what
they are, and XML is parsed without DTDs or entities. Then every value is read from the content
control tagged with its key, and every list from the table whose header has its columns.

Forgiving where people are inconsistent (dates `14.07.1988`, `14-07-1988` or `1988-07-14`; times
`16.00`; the Polish wording or the code of a choice; empty table rows), strict where it matters:
a deleted control, a missing column or a form of another version is an error naming the field the
way the form shows it ("Członkowie rodziny, wiersz 2, PESEL").
"""

from __future__ import annotations

import copy
import io
import re
import typing
import zipfile
from typing import Any

from lxml import etree

from records import codes
from records.errors import FormRejected
from records.models import FORMS, LAYOUTS
from records.polish import NoSuchDay, parse_user_date
from records.readers import MAX_DOCX_BYTES, FormInput, too_large
from records.wordforms import xml
from records.wordforms.assemble import Assembler, put_value
from records.wordforms.layout import WORD_FORM_VERSION, Field, Layout, Table
from records.zipsafety import DAMAGE, PartTooLarge, read_part, zip_problem

DOCUMENT = "word/document.xml"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def _reject(message: str, code: str, path: str = "") -> FormRejected:
    return FormRejected.single(message, code, path)


# -- the package ---------------------------------------------------------------------------------


def _damaged() -> FormRejected:
    return _reject(
        "plik .docx jest uszkodzony (nie da się odczytać jego zawartości; może kopiowanie się "
        "nie udało); zapisz formularz w Wordzie ponownie i wrzuć go jeszcze raz",
        "docx_damaged",
    )


def check_package(raw: bytes, suffix: str, size: int | None = None) -> None:
    """Refuse what is not a safe .docx before unpacking a byte of it (`size`: known from the
    file system, so a huge file is refused without reading it)."""
    if suffix == ".docm":
        raise _reject(
            "dokument Word z makrami (.docm) nie jest przyjmowany ze względów bezpieczeństwa; "
            "zapisz formularz jako „Dokument programu Word (.docx)”",
            "docx_macros",
        )
    size = len(raw) if size is None else size
    if size > MAX_DOCX_BYTES:
        raise too_large(size, MAX_DOCX_BYTES)
    if raw.startswith(_OLE):
        raise _reject(
            "to nie jest plik .docx, tylko dokument w starym formacie Word (.doc) albo dokument "
            "zabezpieczony hasłem; otwórz go w Wordzie i zapisz jako „Dokument programu Word "
            "(.docx)” bez hasła",
            "docx_ole",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except DAMAGE:
        raise _reject(
            "plik nie jest dokumentem Word (.docx): nie da się go otworzyć (może jest uszkodzony "
            "albo ma złe rozszerzenie)",
            "docx_not_zip",
        ) from None
    with archive:
        problem = zip_problem(archive)
        if problem:
            raise _reject(problem[1], problem[0])
        names = set(archive.namelist())
        try:
            types = _read(archive, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
        except DAMAGE:
            raise _damaged() from None
    if _MACRO.encode() in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _reject(
            "dokument zawiera makra (to plik .docm zapisany jako .docx); zapisz formularz jako "
            "„Dokument programu Word (.docx)”",
            "docx_macros",
        )
    if DOCUMENT not in names or _MAIN.encode() not in types:
        what = (
            "skoroszyt Excel"
            if "xl/workbook.xml" in names
            else "prezentacja PowerPoint"
            if "ppt/presentation.xml" in names
            else "archiwum zip"
        )
        raise _reject(
            f"to nie jest dokument Word, tylko {what}; wrzuć wypełniony formularz .docx",
            "docx_not_word",
        )


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return read_part(archive, name)
    except PartTooLarge:
        raise _reject("część pliku .docx jest za duża", "docx_bomb") from None


def _parse(data: bytes) -> etree._Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _reject("plik .docx zawiera niedozwoloną deklarację DOCTYPE", "docx_doctype")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise _reject("treść dokumentu Word jest uszkodzona (błędny XML)", "docx_xml") from None


def open_document(raw: bytes) -> tuple[list[tuple[zipfile.ZipInfo, bytes]], etree._Element]:
    """Every part of a checked package, and its main document parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = [(info, _read(archive, info.filename)) for info in archive.infolist()]
    except DAMAGE:
        raise _damaged() from None
    document = next(data for info, data in parts if info.filename == DOCUMENT)
    return parts, _parse(document)


def save_document(parts: list[tuple[zipfile.ZipInfo, bytes]], root: etree._Element) -> bytes:
    buffer = io.BytesIO()
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, body if info.filename == DOCUMENT else data)
    return buffer.getvalue()


# -- tables ----------------------------------------------------------------------------------------


def _normal(label: str) -> str:
    return re.sub(r"\s+", " ", label.replace("*", "")).strip().casefold()


def _cell_text(cell: etree._Element) -> str:
    """A cell's text: typed into its control, or into the cell itself; placeholders are empty."""
    clone = copy.deepcopy(cell)
    for sdt in list(clone.iter(xml.w("sdt"))):
        typed = xml.control_text(sdt)
        parent = sdt.getparent()
        replacement = etree.Element(xml.w("r"))
        xml.set_runs_into(replacement, typed)
        parent.replace(sdt, replacement)
    return xml.text_of(clone).strip()


def find_tables(root: etree._Element, layout: Layout) -> dict[str, list[etree._Element]]:
    """The body tables that hold the layout's lists, matched by the labels in their header row."""
    found: dict[str, list[etree._Element]] = {}
    for table in root.iter(xml.w("tbl")):
        rows = table.findall(xml.w("tr"))
        if not rows:
            continue
        header = [_normal(_cell_text(c)) for c in rows[0].findall(xml.w("tc"))]
        best, score = None, 0
        for candidate in layout.tables():
            labels = [_normal(c.label) for c in candidate.columns]
            hits = sum(1 for h in header if h in labels)
            if hits > score and (header[:1] == labels[:1] or hits * 2 >= len(labels)):
                best, score = candidate, hits
        if best is not None:
            found.setdefault(best.key, []).append(table)
    return found


# -- values ----------------------------------------------------------------------------------------


def normalise(field: Field, text: str) -> str | None:
    """Text as the models expect it: ISO dates, GG:MM times; None for an empty value."""
    text = text.strip()
    if not text:
        return None
    if field.kind == "date":
        try:
            return parse_user_date(text).isoformat()
        except NoSuchDay as no_such:  # as an ISO date, of which the model says it does not exist
            return no_such.iso
        except ValueError:
            return text  # the model names the wrong format
    if field.kind == "time":
        return re.sub(r"^(\d{1,2})[.,](\d{2})$", r"\1:\2", text)
    return text


class _Reader(Assembler):
    """The fields and tables of a filled Word form (content controls, table rows)."""

    def __init__(self, root: etree._Element, layout: Layout) -> None:
        super().__init__(layout)
        self.root = root
        self.controls: dict[str, list[etree._Element]] = {}
        for sdt in root.iter(xml.w("sdt")):
            self.controls.setdefault(xml.tag_of(sdt) or "", []).append(sdt)

    def single(self, tag: str, label: str) -> etree._Element | None:
        found = self.controls.get(tag, [])
        if not found:
            self.error(
                label,
                "tego pola nie ma w formularzu (kontrolkę usunięto?); przepisz dane do nowego "
                "pustego formularza (asystent forms --docx)",
                "docx_control_missing",
            )
            return None
        if len(found) > 1:
            self.error(
                label, f"pole występuje w formularzu {len(found)} razy", "docx_control_twice"
            )
        return found[0]

    def may_be_absent(self, key: str) -> bool:
        """Whether the model has a default for `key` (`adres.gmina`): a form without it is
        complete, only older than the field."""
        model: Any = FORMS[self.layout.kind]
        for part in key.split("."):
            info = getattr(model, "model_fields", {}).get(part)
            if info is None:
                return False
            if info.is_required():
                inner = typing.get_args(info.annotation)  # list[Czlonek] -> Czlonek
                model = inner[0] if inner else info.annotation
                continue
            return True
        return False

    def table_may_be_absent(self, table: Table) -> bool:
        """An optional list, or a table adding only optional values to another list's items
        (the members' art. 16 details): a form older than the table lacks nothing required."""
        if not table.merge_into:
            return self.may_be_absent(table.key)
        columns = [c.key for c in table.columns if c.key and c.key != table.parent_column]
        return all(self.may_be_absent(f"{table.merge_into}.{c}") for c in columns)

    def checked(self, key: str, label: str, vocabulary: str) -> list[str]:
        """The codes ticked in a list of checkboxes. A blank form made before a vocabulary
        changed has boxes for codes since retired and none for new ones: each box there is
        read (the model then says what a retired code means), one missing is unticked."""
        chosen, present = [], False
        for code, text in codes.VOCABULARIES[vocabulary].items():
            if f"{key}:{code}" not in self.controls:
                continue
            present = True
            box = self.single(f"{key}:{code}", f"{label}: {text}")
            if box is not None and xml.checkbox_state(box):
                chosen.append(code)
        if not present:  # the whole list was removed from the form
            first = next(iter(codes.offered(vocabulary)))
            self.single(f"{key}:{first}", label)
        return chosen

    def fields(self, data: dict[str, Any]) -> None:
        for field in self.layout.fields():
            self.places[field.key] = field.label
            if field.kind == "codes":
                data[field.key] = self.checked(field.key, field.label, field.vocabulary)
                continue
            if field.key not in self.controls and self.may_be_absent(field.key):
                continue  # a blank form made before this optional field existed
            sdt = self.single(field.key, field.label)
            if sdt is None:
                continue
            if field.kind == "flag":
                value: str | None = "tak" if xml.checkbox_state(sdt) else "nie"
            else:
                value = normalise(field, xml.control_text(sdt))
            put_value(data, field.key, value)

    def tables(self, data: dict[str, Any]) -> None:
        found = find_tables(self.root, self.layout)
        rows: dict[str, list[tuple[int, dict[str, str | None]]]] = {}
        for table_layout in self.layout.tables():
            self.places[table_layout.key] = table_layout.title
            tables = found.get(table_layout.key, [])
            if not tables and self.table_may_be_absent(table_layout):
                continue  # a blank form made before this optional table existed
            if not tables:
                self.error(
                    table_layout.title,
                    "w formularzu brakuje tej tabeli (usunięto ją albo zmieniono jej nagłówki)",
                    "docx_table_missing",
                )
                continue
            if len(tables) > 1:
                self.error(
                    table_layout.title, "tabela występuje w formularzu dwa razy", "docx_table_twice"
                )
            rows[table_layout.key] = self.table_rows(tables[0], table_layout)
        self.lists(data, rows)

    def table_rows(
        self, table: etree._Element, layout: Table
    ) -> list[tuple[int, dict[str, str | None]]]:
        """(row number as the user sees it, values by column key) of each non-empty row."""
        trs = table.findall(xml.w("tr"))
        header = [_normal(_cell_text(c)) for c in trs[0].findall(xml.w("tc"))]
        position: dict[str, int] = {}
        for column in layout.columns:
            if _normal(column.label) in header:
                position[column.key] = header.index(_normal(column.label))
            else:
                self.error(layout.title, f"brak kolumny „{column.label}”", "docx_column_missing")
        known = {_normal(c.label) for c in layout.columns}
        for number, extra in enumerate(header, start=1):
            if extra and extra not in known:
                self.error(
                    layout.title,
                    f"kolumna nr {number} nie należy do formularza (usuń ją albo przywróć "
                    "oryginalny nagłówek)",
                    "docx_column_unknown",
                )
        result = []
        for number, tr in enumerate(trs[1:], start=1):
            cells = [_cell_text(c) for c in tr.findall(xml.w("tc"))]
            prefilled = {position.get("nr")}  # goals come numbered: a number alone is no row
            if not any(text for i, text in enumerate(cells) if i not in prefilled):
                continue
            if len(cells) != len(header):
                self.error(
                    f"{layout.title}, wiersz {number}",
                    f"wiersz ma {len(cells)} komórek, a nagłówek tabeli {len(header)} "
                    "(scalone lub podzielone komórki?)",
                    "docx_row_cells",
                )
                continue
            values = {
                column.key: normalise(column, cells[position[column.key]])
                for column in layout.columns
                if column.key in position
            }
            result.append((number, values))
        return result


def _says_it_is_ours(parts: list[tuple[zipfile.ZipInfo, bytes]]) -> bool:
    """Our blank forms carry `asystent:KIND:VERSION` as their subject (docProps/core.xml)."""
    core = next((data for info, data in parts if info.filename == "docProps/core.xml"), b"")
    return b">asystent:" in core


def parse_word_form(raw: bytes, suffix: str = ".docx") -> FormInput:
    """Read a filled Word form from its bytes; raises FormRejected naming each problem as the
    form shows it."""
    check_package(raw, suffix)
    parts, root = open_document(raw)
    controls = {xml.tag_of(s): s for s in root.iter(xml.w("sdt"))}
    if "formularz" not in controls and _says_it_is_ours(parts):
        raise _reject(
            "to nasz formularz, ale zapisany w programie, który usunął oznaczenia pól (np. "
            "LibreOffice starszy niż 25.2); wypełnij go w Wordzie albo w LibreOffice 25.2",
            "docx_tags_lost",
        )
    if "formularz" not in controls:
        raise _reject(
            "to nie jest formularz programu asystent (brak pola „formularz”), tylko zwykły "
            "dokument Word; wypełnij pusty formularz z polecenia asystent forms --docx",
            "docx_not_a_form",
        )
    kind = xml.control_text(controls["formularz"]).strip()
    if kind not in LAYOUTS:
        raise _reject(
            "nieznany rodzaj formularza w polu „formularz” (zmieniono je?); wypełnij pusty "
            "formularz z polecenia asystent forms --docx",
            "docx_kind_unknown",
            "formularz",
        )
    version = (
        xml.control_text(controls["wersja_formularza"]).strip()
        if "wersja_formularza" in controls
        else ""
    )
    if version != WORD_FORM_VERSION:
        raise _reject(
            f"formularz w innej wersji niż przyjmowana przez program (wersja "
            f"{WORD_FORM_VERSION}); przepisz dane do nowego pustego formularza "
            "(asystent forms --docx)",
            "docx_version",
            "wersja formularza",
        )
    reader = _Reader(root, LAYOUTS[kind])
    data: dict[str, Any] = {"formularz": kind}
    reader.fields(data)
    reader.tables(data)
    if reader.errors:
        raise FormRejected(reader.errors)
    return FormInput(data=data, notes=["formularz Word"], describe=reader.describe)
