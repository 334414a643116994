"""Fillable Word forms (issue 9): blank forms, filled forms as input, and bad Word files.

Every blank form is filled programmatically through its content controls with the values of the
blank YAML form of the same kind (`forms/KIND.yaml`), ingested, and the stored record compared
with the one the YAML form gives; then again after a LibreOffice round trip.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import docx_text, run, store_digest
from lxml import etree
from pydantic import BaseModel

from records.models import FORMS, LAYOUTS
from records.readers import read_form
from records.render import content_hash
from records.resources import data_dir
from records.wordforms import xml
from records.wordforms.build import blank_form, fill_form
from records.wordforms.read import open_document, save_document

KINDS = list(FORMS)
FORMS_DIR = data_dir("forms")


def yaml_data(kind: str) -> dict[str, Any]:
    return read_form(FORMS_DIR / f"{kind}.yaml").data


def filled(kind: str, **changes: Any) -> bytes:
    data = yaml_data(kind) | changes
    return fill_form(blank_form(kind), data)


def stored(ws: Path) -> dict[str, dict[str, Any]]:
    """Each record's values by form kind (all the blank forms are for one case)."""
    shard = next((ws / "dane" / "sprawy").glob("*.json"))
    records = json.loads(shard.read_text(encoding="utf-8"))["rekordy"].values()
    return {r["formularz"]: r["dane"] for r in records}


# -- the forms themselves ------------------------------------------------------------------------


def model_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = info.annotation
        inner = getattr(annotation, "__args__", (None,))[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys |= model_keys(annotation, f"{path}.")
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            keys |= model_keys(inner, f"{path}.")
        else:
            keys.add(path)
    return keys


@pytest.mark.parametrize("kind", KINDS)
def test_layout_holds_every_key_of_the_model(kind: str) -> None:
    layout = LAYOUTS[kind]
    keys = {f.key for f in layout.fields()}
    for table in layout.tables():
        if not table.columns[0].key:  # a list of texts
            keys.add(table.key)
        keys |= {
            f"{table.merge_into or table.key}.{c.key}"
            for c in table.columns
            if c.key and c.key not in ("nr", "nr_celu", table.parent_column)
        }
    keys |= {"formularz"}
    assert keys == model_keys(FORMS[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_committed_forms_are_built_from_the_layouts(kind: str) -> None:
    """CI fails when forms/ drifts from the models: run tools/build_forms.py and commit."""
    committed = (FORMS_DIR / f"{kind}.docx").read_bytes()
    assert content_hash(committed) == content_hash(blank_form(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_blank_form_looks_like_an_office_form(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(blank_form(kind, "GOPS w Przykładowie"))
    text = docx_text(path)
    layout = LAYOUTS[kind]
    assert text.startswith("GOPS w Przykładowie\n" + layout.title)
    assert "Jak wypełnić." in text and "Pola oznaczone * są wymagane" in text
    for field in layout.fields():
        assert field.label in text
    for table in layout.tables():
        assert table.title in text
    root = docx.Document(str(path)).element
    tags = {xml.tag_of(s) for s in root.iter(xml.w("sdt"))}
    assert {"formularz", "wersja_formularza"} <= tags
    kinds = {s.find(xml.w("sdtPr"))[-1].tag.split("}")[1] for s in root.iter(xml.w("sdt"))}
    assert {"text", "date"} <= kinds


def test_forms_command_writes_word_forms_with_the_office_heading(ws: Path) -> None:
    result = run("forms", "--docx", "--workspace", ws)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (ws / "formularze").glob("*.docx"))
    assert written == sorted(f"{kind}.docx" for kind in KINDS)
    text = docx_text(ws / "formularze" / "protokol_wizyty.docx")
    assert text.startswith(
        "Ośrodek Pomocy Społecznej (wpisz pełną nazwę)\nProtokół z wejścia do rodziny"
    )
    # A blank form dropped as it is: every required field is named, nothing is stored.
    shutil.copy(ws / "formularze" / "zakonczenie_pracy.docx", ws / "wejscie")
    result = run("ingest", "--workspace", ws, ws / "wejscie" / "zakonczenie_pracy.docx")
    assert result.exit_code == 1
    report = (ws / "odrzucone" / "zakonczenie_pracy.docx.bledy.txt").read_text(encoding="utf-8")
    for label in (
        "Znak sprawy",
        "Data zakończenia pracy",
        "Przyczyna zakończenia",
        "Podsumowanie pracy z rodziną",
    ):
        assert label in report


# -- filled forms go in exactly like YAML ----------------------------------------------------------


@pytest.fixture(scope="module")
def from_yaml(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("yaml") / "ws"
    assert run("init", root).exit_code == 0
    files = []
    for kind in KINDS:
        files.append(root.parent / f"{kind}.yaml")
        shutil.copy(FORMS_DIR / f"{kind}.yaml", files[-1])
    result = run("ingest", "--workspace", root, *files)
    assert result.exit_code == 0, result.output
    return stored(root)


def ingest_word(root: Path, files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    assert run("init", root).exit_code == 0
    paths = []
    for kind, data in files.items():
        paths.append(root.parent / f"{kind}.docx")
        paths[-1].write_bytes(data)
    result = run("ingest", "--workspace", root, *paths)
    assert result.exit_code == 0, result.output
    return stored(root)


def test_filled_word_forms_store_the_same_records_as_yaml(
    tmp_path: Path, from_yaml: dict[str, dict[str, Any]]
) -> None:
    word = ingest_word(tmp_path / "ws", {kind: filled(kind) for kind in KINDS})
    assert word == from_yaml


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_forms_resaved_by_libreoffice_read_the_same(
    tmp_path: Path, from_yaml: dict[str, dict[str, Any]]
) -> None:
    source = tmp_path / "word"
    source.mkdir()
    for kind in KINDS:
        (source / f"{kind}.docx").write_bytes(filled(kind))
    out = tmp_path / "libreoffice"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            *[str(p) for p in sorted(source.iterdir())],
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    resaved = {kind: (out / f"{kind}.docx").read_bytes() for kind in KINDS}
    assert all(resaved[k] != (source / f"{k}.docx").read_bytes() for k in KINDS)
    assert ingest_word(tmp_path / "ws", resaved) == from_yaml


def test_people_write_dates_and_times_their_own_way(tmp_path: Path, from_yaml: dict) -> None:
    parts, root = open_document(filled("protokol_wizyty"))
    controls = {xml.tag_of(s): s for s in root.iter(xml.w("sdt"))}
    xml.set_control(controls["data"], "17-02-2026")
    xml.set_control(controls["nastepna_wizyta"], "24 lutego 2026 r.")  # SPEC: the Polish ways
    xml.set_control(controls["godzina_od"], "16.00")
    xml.set_control(controls["przebieg"], "Pierwsza linia.\nDruga linia.")
    metryczka = filled("metryczka_rodziny")
    visit = save_document(parts, root)
    records = ingest_word(
        tmp_path / "ws", {"metryczka_rodziny": metryczka, "protokol_wizyty": visit}
    )
    got = records["protokol_wizyty"]
    assert got["data"] == "2026-02-17" and got["nastepna_wizyta"] == "2026-02-24"
    assert got["godzina_od"] == "16:00"
    assert got["przebieg"] == "Pierwsza linia.\nDruga linia."
    expected = from_yaml["protokol_wizyty"] | {"przebieg": "Pierwsza linia.\nDruga linia."}
    assert got == expected


def test_empty_rows_are_skipped_and_codes_or_wording_both_work(tmp_path: Path) -> None:
    data = yaml_data("metryczka_rodziny")
    data["czlonkowie"][0]["rola"] = "matka"  # the code, typed instead of picked
    blank = blank_form("metryczka_rodziny")
    parts, root = open_document(fill_form(blank, data))
    members = next(
        t for t in root.iter(xml.w("tbl")) if "Nazwisko" in xml.text_of(t.find(xml.w("tr")))
    )
    rows = members.findall(xml.w("tr"))
    # Move the second member down to the last row, leaving empty rows between.
    rows[-1].getparent().replace(rows[-1], etree.fromstring(etree.tostring(rows[2])))
    blank_row = etree.fromstring(etree.tostring(rows[4]))
    rows[2].getparent().replace(rows[2], blank_row)
    records = ingest_word(tmp_path / "ws", {"metryczka_rodziny": save_document(parts, root)})
    assert [m["imie"] for m in records["metryczka_rodziny"]["czlonkowie"]] == [
        m["imie"] for m in data["czlonkowie"]
    ]
    assert records["metryczka_rodziny"]["czlonkowie"][0]["rola"] == "matka"


def test_errors_name_the_field_as_the_form_shows_it(ws: Path, tmp_path: Path) -> None:
    data = yaml_data("metryczka_rodziny")
    data["czlonkowie"][1]["pesel"] = "12345678901"
    path = tmp_path / "metryczka.docx"
    path.write_bytes(fill_form(blank_form("metryczka_rodziny"), data))
    result = run("ingest", "--workspace", ws, path)
    assert result.exit_code == 1
    report = (ws / "odrzucone" / "metryczka.docx.bledy.txt").read_text(encoding="utf-8")
    assert "Członkowie rodziny, wiersz 2, PESEL:" in report
    assert "12345678901" not in report


# -- bad Word files ----------------------------------------------------------------------------


def edit(data: bytes, change) -> bytes:
    parts, root = open_document(data)
    change(root)
    return save_document(parts, root)


def control(root: etree._Element, tag: str) -> etree._Element:
    return next(s for s in root.iter(xml.w("sdt")) if xml.tag_of(s) == tag)


def remove(element: etree._Element) -> None:
    element.getparent().remove(element)


def drop_column(root: etree._Element, label: str) -> None:
    for table in root.iter(xml.w("tbl")):
        header = [xml.text_of(c) for c in table.find(xml.w("tr")).findall(xml.w("tc"))]
        if label in header:
            index = header.index(label)
            for row in table.findall(xml.w("tr")):
                remove(row.findall(xml.w("tc"))[index])
            return
    raise AssertionError(label)


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_part(data: bytes, name: str, new: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    entries[name] = new
    return zip_of(entries)


def plain_letter() -> bytes:
    document = docx.Document()
    document.add_paragraph("Szanowni Państwo, uprzejmie informuję...")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


WORD_TYPES = b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'

BAD_WORD_FILES = {
    "deleted_control": (
        lambda: edit(
            filled("metryczka_rodziny"), lambda r: remove(control(r, "data_przydzielenia"))
        ),
        ".docx",
        "Data przydzielenia asystenta: tego pola nie ma w formularzu",
    ),
    "wrong_code_in_drop_down": (
        lambda: filled(
            "metryczka_rodziny",
            czlonkowie=[yaml_data("metryczka_rodziny")["czlonkowie"][0] | {"rola": "babcia"}],
        ),
        ".docx",
        "Członkowie rodziny, wiersz 1, Rola w rodzinie: niedozwolona wartość",
    ),
    "table_without_a_column": (
        lambda: edit(filled("metryczka_rodziny"), lambda r: drop_column(r, "PESEL")),
        ".docx",
        "Członkowie rodziny: brak kolumny „PESEL”",
    ),
    "deleted_table": (
        lambda: edit(
            filled("protokol_wizyty"),
            lambda r: remove(next(t for t in r.iter(xml.w("tbl")) if "Zadanie" in xml.text_of(t))),
        ),
        ".docx",
        "Ustalenia: w formularzu brakuje tej tabeli",
    ),
    "older_form_version": (
        lambda: edit(
            filled("kontrakt"), lambda r: xml.set_control(control(r, "wersja_formularza"), "0")
        ),
        ".docx",
        "wersja formularza: formularz w innej wersji niż przyjmowana",
    ),
    "member_number_in_superscript": (
        lambda: edit(
            filled("metryczka_rodziny"),
            lambda r: xml.set_control(control(r, "czlonkowie_dane.nr_czlonka"), "²"),
        ),
        ".docx",
        "Dane członków rodziny (art. 16 ust. 1 pkt 1 ustawy), wiersz 1, Nr osoby: podaj numer",
    ),
    "action_for_a_missing_goal": (
        lambda: edit(
            filled("plan_pracy"),
            lambda r: xml.set_control(control(r, "cele.dzialania.nr_celu"), "7"),
        ),
        ".docx",
        "Działania, wiersz 1, Nr celu: nie ma celu o tym numerze",
    ),
    "impossible_date": (
        lambda: edit(
            filled("protokol_wizyty"), lambda r: xml.set_control(control(r, "data"), "31.02.2026")
        ),
        ".docx",
        "Data wizyty: taka data nie istnieje w kalendarzu",
    ),
    "zip_bomb": (
        lambda: zip_of(
            {"[Content_Types].xml": WORD_TYPES, "word/document.xml": b"\0" * 25_000_000}
        ),
        ".docx",
        "bomba zip",
    ),
    "too_many_parts": (
        lambda: zip_of({f"word/media/{n}.xml": b"x" for n in range(1_001)}),
        ".docx",
        "za dużo części",
    ),
    "macro_document": (lambda: filled("kontrakt"), ".docm", "makrami"),
    "vba_project_without_its_content_type": (
        lambda: with_part(filled("kontrakt"), "word/vbaProject.bin", b"\xd0\xcf\x11\xe0 makro"),
        ".docx",
        "dokument zawiera makra",
    ),
    "macros_in_a_docx": (
        lambda: with_part(
            filled("kontrakt"),
            "[Content_Types].xml",
            b'<Types><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        ),
        ".docx",
        "zawiera makra",
    ),
    "plain_letter": (plain_letter, ".docx", "to nie jest formularz programu asystent"),
    "tags_dropped_by_an_old_libreoffice": (
        lambda: edit(
            filled("kontrakt"),
            lambda r: [remove(t) for t in list(r.iter(xml.w("tag")))],
        ),
        ".docx",
        "usunął oznaczenia pól",
    ),
    "old_word_doc_renamed": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        ".docx",
        "starym formacie Word",
    ),
    "excel_renamed": (
        lambda: zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        ".docx",
        "skoroszyt Excel",
    ),
    "truncated_file": (lambda: filled("kontrakt")[:3000], ".docx", "nie da się go otworzyć"),
    "doctype_inside": (
        lambda: with_part(
            filled("kontrakt"),
            "word/document.xml",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
        ),
        ".docx",
        "DOCTYPE",
    ),
    "word_97_format": (
        lambda: b"\xd0\xcf\x11\xe0",
        ".doc",
        "zapisz go jako „Dokument programu Word (.docx)”",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_WORD_FILES))
def test_bad_word_files_are_rejected_with_a_reason(
    family_ws: Path, tmp_path: Path, name: str
) -> None:
    make, suffix, message = BAD_WORD_FILES[name]
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(make())
    before = store_digest(family_ws)
    documents = sorted(p.name for p in (family_ws / "dokumenty").rglob("*"))
    result = run("ingest", "--workspace", family_ws, path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert (family_ws / "odrzucone" / path.name).exists()
    report = (family_ws / "odrzucone" / f"{path.name}.bledy.txt").read_text(encoding="utf-8")
    assert message in report, report
    assert store_digest(family_ws) == before
    assert sorted(p.name for p in (family_ws / "dokumenty").rglob("*")) == documents


def test_words_lock_file_is_ignored(ws: Path) -> None:
    lock = ws / "wejscie" / "~$otokol_wizyty.docx"
    lock.write_bytes(b"\x00" * 162)
    result = run("ingest", "--workspace", ws, lock)
    assert result.exit_code == 0
    assert lock.exists() and not list((ws / "odrzucone").iterdir())


def test_the_sample_word_form_is_up_to_date_and_goes_in(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_forms", Path(__file__).parent.parent / "tools" / "build_forms.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sample = data_dir("sample_data") / module.SAMPLE_NAME
    expected = fill_form(blank_form("protokol_wizyty"), module.SAMPLE)
    assert content_hash(sample.read_bytes()) == content_hash(expected)
    data = read_form(sample).data
    assert data["godzina_od"] == "17:00" and data["data"] == "2026-11-19"
    assert data["obszary_wsparcia"] == ["budzet", "szkola"]
