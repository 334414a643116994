"""asystent.toml is edited by hand: every mistake is named in Polish, at the section and key the
person sees (entries of [[zatrudnienie]] counted from 1), never a traceback or msgspec's English;
good values in the forms an office writes them are read as meant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import run

from records.settings import load_workspace

OFFICE = '[osrodek]\nnazwa = "OPS w Rydzynie"\nadres = "ul. Lipowa 1, 64-130 Rydzyna"\nmiejscowosc = "Rydzyna"\n'
CONTRACT = '\n[[zatrudnienie]]\nasystent = "Anna Nowak"\nforma = "umowa_o_prace"\nod = 2026-01-01\n'


@pytest.mark.parametrize(
    ("added", "said"),
    [
        ("\n[formularze]\nszkic_dni = 0\n", "formularze.szkic_dni: co najmniej 1"),
        ("\n[dokumenty]\nlimit_czasu_s = 601\n", "dokumenty.limit_czasu_s: najwyżej 600)"),
        ("\n[dokumenty]\nlimit_czasu = 3\n", "dokumenty.limit_czasu: nieznane ustawienie"),
        ('\n[dokumenty]\nlimit_pamieci_mb = "dużo"\n', "limit_pamieci_mb: oczekiwano: liczba"),
        ("\n[poczta]\nadres = 1\n", "poczta: nieznane ustawienie"),
        ('\n[magazyn]\nosrodek = "Kraków"\n', "magazyn.osrodek: tylko małe litery"),
        ('\n[magazyn]\nosrodek = "mops\\n"\n', "magazyn.osrodek: tylko małe litery"),
        ('\n[sciezki]\ndane = ""\n', "sciezki.dane: nie może być puste"),
        (CONTRACT.replace("umowa_o_prace", "etat"), "zatrudnienie[1].forma: dozwolone wartości"),
        (CONTRACT + 'etat = "1,5"\n', "zatrudnienie[1].etat: wymiar etatu większy od 0"),
        (CONTRACT + "etat = nan\n", "zatrudnienie[1].etat: to nie jest liczba"),
        (CONTRACT + 'koszt_miesieczny = "Infinity"\n', "koszt_miesieczny: to nie jest liczba"),
        (CONTRACT + "koszt_miesieczny = -1\n", "koszt_miesieczny: kwota nie może być ujemna"),
        (CONTRACT + "do = 2025-01-01\n", "zatrudnienie[1].do: data `do` jest wcześniejsza"),
        (CONTRACT + "do = 2026-02-01T10:00:00\n", "zatrudnienie[1].do: oczekiwano: data"),
        (CONTRACT.replace("2026-01-01", '"wczoraj"'), "zatrudnienie[1].od: błędna data"),
        (CONTRACT.replace('"Anna Nowak"', '"  "'), "zatrudnienie[1].asystent: imię i nazwisko"),
        (CONTRACT + CONTRACT.replace("od = ", "odd = "), "zatrudnienie[2].odd: nieznane"),
        ("\netat = 0,5\n", "ma błędny format: błąd zapisu w wierszu"),
    ],
)
def test_a_mistake_in_the_settings_is_named_in_polish(
    tmp_path: Path, added: str, said: str
) -> None:
    (tmp_path / "asystent.toml").write_text(OFFICE + added, encoding="utf-8")
    result = run("families", "--workspace", tmp_path)
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert "Traceback" not in result.output
    for english in ("Expected", "Invalid", "Object", "line", "got"):
        assert english not in result.output


def test_a_file_not_in_utf8_is_named_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "asystent.toml").write_bytes(OFFICE.replace("Lipowa", "Różana").encode("cp1250"))
    result = run("families", "--workspace", tmp_path)
    assert result.exit_code == 2 and "nie jest zapisany w kodowaniu UTF-8" in result.output


def test_values_are_read_as_an_office_writes_them(tmp_path: Path) -> None:
    contract = CONTRACT + 'etat = "0,75"\nkoszt_miesieczny = "7\u00a0200,50"\ndo = ""\n'
    (tmp_path / "asystent.toml").write_bytes(("\ufeff" + OFFICE + contract).encode("utf-8"))
    (entry,) = load_workspace(tmp_path).settings.zatrudnienie
    assert entry.etat == Decimal("0.75") and entry.koszt_miesieczny == Decimal("7200.50")
    assert entry.od == dt.date(2026, 1, 1) and entry.do is None  # empty: still employed
