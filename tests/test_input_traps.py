"""Input that looks right but is not, and what the log and the messages may say (issue 14).

Full-width digits, case numbers Windows cannot hold, a mistyped key that carries a name and a
PESEL, a newline in a file name, sizes in one unit, operating-system errors in Polish, and
template problems named instead of "Nieoczekiwany błąd".
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import FAMILY, VISIT, form, run, write_yaml

CASE_FILE = "gops_ar_3_2026.json"


def stored(ws: Path) -> list[dict]:
    shard = json.loads((ws / "dane" / "sprawy" / CASE_FILE).read_text())
    return list(shard["rekordy"].values())


def test_full_width_digits_are_stored_as_plain_digits(ws: Path, outside: Path) -> None:
    family = form(FAMILY, adres={**FAMILY["adres"], "kod_pocztowy": "５９－７００"})
    family["czlonkowie"][0]["pesel"] = "９００４０２１２３４９"
    assert run("ingest", "--workspace", ws, write_yaml(outside / "m.yaml", family)).exit_code == 0
    visit = form(VISIT, godzina_od="１０：００", godzina_do="１１:30")
    assert run("ingest", "--workspace", ws, write_yaml(outside / "w.yaml", visit)).exit_code == 0
    records = {r["formularz"]: r["dane"] for r in stored(ws)}
    assert records["metryczka_rodziny"]["czlonkowie"][0]["pesel"] == "90040212349"
    assert records["metryczka_rodziny"]["adres"]["kod_pocztowy"] == "59-700"
    assert (records["protokol_wizyty"]["godzina_od"], records["protokol_wizyty"]["godzina_do"]) == (
        "10:00",
        "11:30",
    )
    assert run("check", "--workspace", ws).exit_code == 0


def test_one_pesel_typed_in_two_kinds_of_digits_is_a_duplicate(ws: Path, outside: Path) -> None:
    family = form(FAMILY)
    twin = dict(family["czlonkowie"][0], imie="Ewelina", pesel="９００４０２１２３４９")
    family["czlonkowie"].append(twin)
    result = run("ingest", "--workspace", ws, write_yaml(outside / "m.yaml", family))
    assert result.exit_code == 1
    assert "czlonkowie[3].pesel: ten sam PESEL co czlonkowie[1]" in result.output


@pytest.mark.parametrize(
    "number",
    [
        "CON",
        "nul",
        "Aux.2026",
        "AR/COM1/2026",
        "AR/lpt9.txt/2026",
        "PRN/1",
        "AR./2026",
        "AR/3./2026",
    ],
)
def test_case_numbers_windows_cannot_hold_are_refused(ws: Path, outside: Path, number: str) -> None:
    result = run(
        "ingest", "--workspace", ws, write_yaml(outside / "m.yaml", form(FAMILY, sprawa=number))
    )
    assert result.exit_code == 1, result.output
    assert "sprawa: niepoprawny numer sprawy" in result.output
    assert not list((ws / "dokumenty").iterdir())


def test_a_case_number_that_only_looks_like_a_device_is_fine(ws: Path, outside: Path) -> None:
    family = form(FAMILY, sprawa="AR/CONS/2026")
    assert run("ingest", "--workspace", ws, write_yaml(outside / "m.yaml", family)).exit_code == 0


def test_a_mistyped_key_never_puts_form_text_into_the_log(ws: Path, outside: Path) -> None:
    path = outside / "m.yaml"
    write_yaml(path, FAMILY)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("Katarzyna Zbigniewska 92061442149: matka\n")
    result = run("ingest", "--workspace", ws, path)
    assert result.exit_code == 1
    log = (ws / "asystent.log").read_text(encoding="utf-8")
    for secret in ("Katarzyna", "Zbigniewska", "92061442149"):
        assert secret not in log
        assert secret not in result.output
    assert "unknown_field" in log
    # The report beside the file may quote it: it lies beside the original, for its author.
    report = (ws / "odrzucone" / "m.yaml.bledy.txt").read_text(encoding="utf-8")
    assert "Katarzyna Zbigniewska 92061442149: nieznane pole" in report


def test_a_newline_in_a_file_name_cannot_forge_a_log_line(ws: Path, outside: Path) -> None:
    name = "wizyta.yaml\n2026-12-01 10:00:00 INFO  Przyjęto plik fałszywy.yaml"
    path = outside / name
    write_yaml(path, VISIT)  # no case yet: rejected
    result = run("ingest", "--workspace", ws, path)
    assert result.exit_code == 1
    lines = (ws / "asystent.log").read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("2026-12-01 10:00:00") for line in lines)
    assert any("wizyta.yaml\\x0a2026-12-01" in line for line in lines)


def test_sizes_are_given_in_one_unit(ws: Path, outside: Path) -> None:
    big = outside / "duzy.yaml"
    big.write_bytes(b"# " + b"x" * 1_234_000 + b"\n")
    word = outside / "duzy.docx"
    word.write_bytes(b"PK" + b"\0" * 10_500_000)
    result = run("ingest", "--workspace", ws, big, word)
    assert result.exit_code == 1
    assert "plik jest za duży (1,2 MB, najwięcej 1 MB)" in result.output
    assert "plik jest za duży (10,5 MB, najwięcej 10 MB)" in result.output
    assert "KB" not in result.output


def test_operating_system_errors_are_told_in_polish(ws: Path, outside: Path) -> None:
    assert run("ingest", "--workspace", ws, write_yaml(outside / "m.yaml", FAMILY)).exit_code == 0
    shutil.rmtree(ws / "przetworzone")
    (ws / "przetworzone").write_text("ktoś zrobił tu plik zamiast folderu")
    result = run("ingest", "--workspace", ws, write_yaml(outside / "w.yaml", VISIT))
    assert result.exit_code == 1
    assert "plik o tej nazwie już istnieje" in result.output or "nie jest folderem" in result.output
    for english in ("File exists", "Not a directory", "Errno", "(None)"):
        assert english not in result.output


def test_serve_on_a_busy_port_says_so_in_polish(ws: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "records", "serve", "--workspace", str(ws), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert "ten adres i port są już zajęte przez inny program" in result.stderr
    assert "interfejs WWW pod adresem" not in result.stdout  # not announced: it never listened
    assert "Address already in use" not in result.stdout + result.stderr


def _template_with(ws: Path, kind: str, body: str) -> Path:
    document = docx.Document()
    document.add_paragraph(body)
    path = ws / "szablony" / f"{kind}.docx"
    document.save(str(path))
    return path


def test_macro_recursion_in_a_template_is_named(ws: Path) -> None:
    _template_with(ws, "kontrakt", "{% macro m() %}{{ m() }}{% endmacro %}{% set x = m() %}{{ x }}")
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert "rekurencja" in result.output
    assert "Nieoczekiwany" not in result.output


def test_a_doctype_in_a_template_header_is_named(ws: Path) -> None:
    path = _template_with(ws, "plan_pracy", "{{ dane.data_sporzadzenia }}")
    document = docx.Document(str(path))
    document.sections[0].header.paragraphs[0].text = "Nagłówek"
    document.save(str(path))
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("word/header"):
                padding = b"<!--" + b" " * 5000 + b"-->"  # past the first 4 KB
                data = data.replace(b"?>", b"?>" + padding + b'<!DOCTYPE x [<!ENTITY e "e">]>', 1)
            target.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    result = run("templates", "check", "--workspace", ws)
    assert result.exit_code == 1
    assert "plan_pracy.docx" in result.output and "DOCTYPE" in result.output
    assert "word/header" in result.output
    assert "Nieoczekiwany" not in result.output
