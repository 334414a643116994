"""Children's safety and foster care (issue 18), through the real command line and web app.

A child placed in foster care keeps the case open and shows wherever the family does; an
intervention raises an urgent alert until the family is contacted again and once more when its
check day passes unchecked; the "Niebieska Karta" procedure shows to those who may see the case
and never in the log; codes the law retired stay readable in stored records.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    add_account,
    alerts_on,
    docx_text,
    in_order,
    ingest,
    records_of,
    run,
    visit_form,
    web_client,
)

from records.readers import read_form
from records.resources import data_dir
from records.wordforms.build import fill_form

ANNA, MAREK = "Anna Wiśniewska", "Marek Nowicki"
CASE = "GOPS.AR.5.2026"
OSKAR = {"imie": "Oskar", "nazwisko": "Kowalski"}
FIXTURE = Path(__file__).parent / "fixtures" / "workspace_retired_codes.zip"


def family(sprawa: str = CASE, asystent: str = ANNA, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "metryczka_rodziny",
        "sprawa": sprawa,
        "asystent": asystent,
        "pracownik_socjalny": "Piotr Zając",
        "data_przydzielenia": "2026-02-02",
        "adres": {"ulica": "ul. Lipowa 7", "kod_pocztowy": "64-130", "miejscowosc": "Rydzyna"},
        "czlonkowie": [
            {
                "imie": "Ewa",
                "nazwisko": "Kowalska",
                "data_urodzenia": "1990-04-02",
                "rola": "matka",
            },
            {
                "imie": "Oskar",
                "nazwisko": "Kowalski",
                "data_urodzenia": "2016-09-12",
                "rola": "dziecko",
            },
            {
                "imie": "Zofia",
                "nazwisko": "Kowalska",
                "data_urodzenia": "2019-03-01",
                "rola": "dziecko",
            },
        ],
        "problemy": ["przemoc_domowa"],
        "instytucje": [],
    }
    return data | changes


def placement(day: str, rodzaj: str = "umieszczenie", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "formularz": "umieszczenie_dziecka",
        "sprawa": CASE,
        "data": day,
        "rodzaj": rodzaj,
        "dziecko": OSKAR,
    }
    if rodzaj == "umieszczenie":
        data |= {
            "forma": "rodzina_zastepcza_zawodowa",
            "sad": "Sąd Rejonowy w Lesznie",
            "sygnatura_postanowienia": "III Nsm 45/26",
            "organizator": "PCPR w Lesznie",
            "koordynator": "Beata Szulc",
        }
    return data | changes


def plan(day: str, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "plan_pracy",
        "sprawa": CASE,
        "data_sporzadzenia": day,
        "okres_od": day,
        "okres_do": "2026-12-31",
        "cele": [
            {
                "cel": "Przygotowanie domu na powrót Oskara",
                "obszar": "bezpieczenstwo_dziecka",
                "dzialania": [
                    {
                        "opis": "Remont pokoju dzieci",
                        "odpowiedzialny": "matka",
                        "termin": "2026-09-30",
                    }
                ],
                "oczekiwany_rezultat": "Pokój gotowy.",
            }
        ],
    }
    return data | changes


def assessment(day: str) -> dict[str, Any]:
    return {
        "formularz": "ocena_okresowa",
        "sprawa": CASE,
        "data": day,
        "okres_od": "2026-02-02",
        "okres_do": day,
        "realizacja_celow": [
            {"cel": "Przygotowanie domu", "stopien": "czesciowo", "komentarz": "Trwa remont."}
        ],
        "wnioski": "Kontynuować pracę z rodziną na rzecz powrotu Oskara.",
        "rekomendacja": "kontynuacja",
    }


def visit(day: str, start: str = "10:00", end: str = "11:00") -> dict[str, Any]:
    return visit_form(CASE, day, start, end)


def intervention(day: str, hour: str, check_by: str) -> dict[str, Any]:
    return {
        "formularz": "interwencja",
        "sprawa": CASE,
        "data": day,
        "godzina": hour,
        "termin_sprawdzenia": check_by,
        "dzieci": ["Oskar Kowalski", "Zofia Kowalska"],
        "zagrozenie": "Awantura domowa w obecności dzieci; ojciec dzieci pod wpływem alkoholu.",
        "dzialania": "Wezwano policję; matka z dziećmi u babci.",
        "powiadomiono": ["policja", "pracownik_socjalny"],
        "powiadomiono_opis": "Dzielnicowy o 16:50.",
    }


def blue_card(**changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "niebieska_karta",
        "sprawa": CASE,
        "data_wszczecia": "2026-03-11",
        "wszczynajacy": "policja",
        "status": "w_toku",
        "zadania_asystenta": "Zadanie-grupy-7Q: cotygodniowy kontakt z matką",
        "spotkania_grupy": ["2026-03-18", "2026-04-15"],
    }
    return data | changes


def csv_total(ws: Path, od: str, do: str) -> dict[str, str]:
    result = run("report", "--workspace", ws, "--od", od, "--do", do, "--format", "csv")
    assert result.exit_code == 0, result.output
    text = (ws / "raporty" / f"sprawozdanie_{od}_{do}.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    return rows[-1]


def folder(ws: Path) -> Path:
    return ws / "dokumenty" / CASE


# -- a child placed in foster care ----------------------------------------------------------------


def test_a_placement_keeps_the_case_open_and_shows_in_the_plan_documents_and_report(
    ws: Path, outside: Path
) -> None:
    ingest(ws, outside, family(), placement("2026-05-04"), plan("2026-05-20"))
    # The case is open: a visit after the placement is accepted, no closing is implied.
    ingest(ws, outside, visit("2026-05-27"))
    shown = run("show", "--workspace", ws, CASE)
    assert shown.exit_code == 0, shown.output
    assert "(aktywna)" in shown.output
    assert "Oskar Kowalski, ur. 2016-09-12 (dziecko; niepełnoletni; w pieczy zastępczej)" in (
        shown.output
    )
    assert (
        "Piecza zastępcza: Oskar Kowalski – rodzina zastępcza zawodowa, od 2026-05-04 (nadal); "
        "koordynator: Beata Szulc"
    ) in shown.output
    # The plan has its part coordinated with the child's help plan, the coordinator taken from
    # the placement; every document of the family names the placed child.
    text = docx_text(folder(ws) / "plan_pracy_2026-05-20.docx")
    in_order(
        text,
        "Dzieci w pieczy zastępczej: Oskar Kowalski – rodzina zastępcza zawodowa, od 4.05.2026 r. "
        "(koordynator: Beata Szulc)",
        "Współpraca z koordynatorem rodzinnej pieczy zastępczej (art. 15 ust. 1 pkt 2 ustawy)",
        "uzgodniono z planem pomocy dziecku",
        "Koordynator rodzinnej pieczy zastępczej\nBeata Szulc",
    )
    assert "Zofia Kowalska –" not in text
    visit_text = docx_text(folder(ws) / "protokol_wizyty_2026-05-27.docx")
    assert "Dzieci w pieczy zastępczej: Oskar Kowalski" in visit_text
    # The assessment goes to the coordinator too.
    ingest(ws, outside, assessment("2026-06-30"))
    text = docx_text(folder(ws) / "ocena_okresowa_2026-06-30.docx")
    assert "koordynator rodzinnej pieczy zastępczej Beata Szulc (PCPR w Lesznie)" in text
    # The report counts the family among those with placed children; no return yet.
    total = csv_total(ws, "2026-01-01", "2026-06-30")
    assert total["Rodziny z dziećmi w pieczy zastępczej"] == "1"
    assert total["Powroty dzieci z pieczy zastępczej"] == "0"
    assert total["Rodziny, z którymi zakończono pracę"] == "0"
    # A document of a day before the placement does not show it.
    ingest(ws, outside, visit("2026-04-28"))
    assert "pieczy" not in docx_text(folder(ws) / "protokol_wizyty_2026-04-28.docx")


def test_a_return_ends_the_stay_and_is_counted(ws: Path, outside: Path) -> None:
    ingest(ws, outside, family(), placement("2026-05-04"), placement("2026-08-20", "powrot"))
    ingest(ws, outside, plan("2026-08-24"))
    assert "pieczy zastępczej" not in docx_text(folder(ws) / "plan_pracy_2026-08-24.docx")
    shown = run("show", "--workspace", ws, CASE).output
    assert "od 2026-05-04 do 2026-08-20 (powrót do rodziny)" in shown
    assert "w pieczy zastępczej)" not in shown  # the member line: back home
    total = csv_total(ws, "2026-07-01", "2026-12-31")
    assert total["Rodziny z dziećmi w pieczy zastępczej"] == "1"  # in care on 1 July - 19 August
    assert total["Powroty dzieci z pieczy zastępczej"] == "1"
    total = csv_total(ws, "2026-08-20", "2026-12-31")  # home from the first day
    assert total["Rodziny z dziećmi w pieczy zastępczej"] == "0"
    statutory = run(
        "report", "--workspace", ws, "--od", "2026-01-01", "--do", "2026-06-30", "--statutowe"
    )
    assert "2b  w tym rodziny, których dzieci przebywały w pieczy zastępczej: 1" in (
        statutory.output
    )


def test_placements_that_do_not_fit_the_family_are_refused(ws: Path, outside: Path) -> None:
    ingest(ws, outside, family())
    output = ingest(
        ws,
        outside,
        placement("2026-05-04", dziecko={"imie": "Adam", "nazwisko": "Nowak"}),
        placement("2026-05-04", forma=None),
        placement("2026-05-04", "powrot"),
        placement("2026-05-04", dziecko={"imie": "Ewa", "nazwisko": "Kowalska"}),
        expect=1,
    )
    assert "tego dziecka nie ma wśród członków rodziny" in output
    assert "dzieci: Oskar Kowalski, Zofia Kowalska" in output
    assert "podaj formę pieczy zastępczej" in output
    assert "to dziecko nie jest w tym dniu w pieczy zastępczej" in output
    assert "ta osoba jest w tym dniu pełnoletnia" in output
    assert records_of(ws, "umieszczenie_dziecka") == []


def test_a_placement_is_no_longer_a_reason_to_close(ws: Path, outside: Path) -> None:
    ingest(ws, outside, family())
    closing = {
        "formularz": "zakonczenie_pracy",
        "sprawa": CASE,
        "data_zakonczenia": "2026-06-30",
        "przyczyna": "umieszczenie_dziecka_w_pieczy",
        "podsumowanie": "Oskar w rodzinie zastępczej.",
    }
    output = ingest(ws, outside, closing, expect=1)
    assert "umieszczenie dziecka w pieczy zastępczej nie kończy pracy z rodziną" in output
    assert "formularzem umieszczenie_dziecka" in output
    assert records_of(ws, "zakonczenie_pracy") == []


# -- an intervention ------------------------------------------------------------------------------


def test_an_intervention_is_urgent_until_a_contact_and_again_after_an_unchecked_check_day(
    ws: Path, outside: Path
) -> None:
    ingest(ws, outside, family(), visit("2026-03-10", "09:00", "10:00"))
    ingest(ws, outside, intervention("2026-03-10", "16:40", "2026-03-17"))
    urgent = "pilne: GOPS.AR.5.2026 (Anna Wiśniewska): interwencja z 10.03.2026 r.: brak wizyty"
    # The morning visit came before the intervention: it does not count.
    first = alerts_on(ws, "2026-03-10")
    assert urgent in first
    lines = [line for line in first.splitlines() if line.startswith("  ")]
    assert "pilne" in lines[0]  # at the top, before everything overdue
    assert urgent in alerts_on(ws, "2026-03-16")
    # A note the next day clears it; the check is due on 17 March.
    ingest(
        ws,
        outside,
        {
            "formularz": "notatka",
            "sprawa": CASE,
            "data": "2026-03-11",
            "godzina_od": "09:00",
            "minuty": 15,
            "rodzaj": "telefon",
            "uczestnicy": ["Ewa Kowalska"],
            "tresc": "Dzieci są bezpieczne u babci.",
        },
    )
    assert "pilne" not in alerts_on(ws, "2026-03-11")
    assert "ponowne sprawdzenie sytuacji dziecka do 17.03.2026 r." in alerts_on(ws, "2026-03-11")
    assert "pilne" not in alerts_on(ws, "2026-03-17")  # the check day itself
    passed = "minął termin ponownego sprawdzenia sytuacji dziecka (17.03.2026 r.)"
    assert passed in alerts_on(ws, "2026-03-18")
    # A visit on the check day (or after) is the check.
    ingest(ws, outside, visit("2026-03-19"))
    assert passed in alerts_on(ws, "2026-03-18")  # a past day keeps what held on it
    assert "pilne" not in alerts_on(ws, "2026-03-19")
    # The document.
    text = docx_text(folder(ws) / "interwencja_2026-03-10.docx")
    in_order(
        text,
        "Notatka z interwencji",
        "10 marca 2026 r., godz. 16:40",
        "Oskar Kowalski, Zofia Kowalska",
        "policja, pracownik socjalny",
        "17 marca 2026 r.",
        "I. Zagrożenie bezpieczeństwa dziecka",
        "Awantura domowa w obecności dzieci",
        "II. Podjęte działania",
        "Wezwano policję",
        "art. 15 ust. 1 pkt 12 ustawy",
    )
    shown = run("show", "--workspace", ws, CASE).output
    assert "Interwencja 2026-03-10: Awantura domowa" in shown
    assert "sprawdzono 2026-03-19" in shown
    total = csv_total(ws, "2026-01-01", "2026-06-30")
    assert total["Interwencje"] == "1"


def test_an_intervention_check_day_cannot_come_before_it(ws: Path, outside: Path) -> None:
    ingest(ws, outside, family())
    bad = intervention("2026-03-10", "16:40", "2026-03-09") | {"dzieci": ["Jan Obcy"]}
    output = ingest(ws, outside, bad, expect=1)
    assert "termin_sprawdzenia: data nie może być wcześniejsza niż data interwencji" in output
    assert records_of(ws, "interwencja") == []


# -- the "Niebieska Karta" procedure and the web ---------------------------------------------------

PASSWORD = "haslo-testowe-1"


def test_the_blue_card_shows_to_who_may_see_the_case_and_never_in_the_log(
    ws: Path, outside: Path
) -> None:
    ingest(ws, outside, family(), family("GOPS.AR.6.2026", MAREK))
    ingest(ws, outside, blue_card(), intervention("2026-03-10", "16:40", "2026-03-17"))
    ingest(ws, outside, blue_card(status="zakonczona", data_zakonczenia="2026-05-20"))
    add_account(ws, "anna", "asystent", ANNA, PASSWORD)
    add_account(ws, "marek", "asystent", MAREK, PASSWORD)
    add_account(ws, "szef", "kierownik", "Halina Sowa", PASSWORD)
    page = f"/sprawa/{CASE}"
    for login in ("anna", "szef"):
        text = web_client(ws, login, PASSWORD).get(page).text
        assert "Procedura „Niebieska Karta”" in text
        assert "procedura zakończona 20.05.2026" in text  # the newest version
        assert "Zadanie-grupy-7Q" in text
        assert "z udziałem asystenta: 18.03.2026, 15.04.2026" in text
    other = web_client(ws, "marek", PASSWORD).get(page)
    assert other.status_code in (403, 404)
    assert "Zadanie-grupy-7Q" not in other.text
    # The families page marks the urgent intervention for the manager and the assistant.
    for login in ("anna", "szef"):
        assert "pilne: interwencja" in web_client(ws, login, PASSWORD).get("/").text
    assert "pilne: interwencja" not in web_client(ws, "marek", PASSWORD).get("/").text
    log = (ws / "asystent.log").read_text(encoding="utf-8")
    for secret in ("Zadanie-grupy-7Q", "2026-03-18", "policja", "Awantura", "alkohol"):
        assert secret not in log


# -- codes the law retired ------------------------------------------------------------------------


@pytest.fixture
def retired_ws(tmp_path: Path) -> Path:
    """A workspace written before issue 18: a family with `przemoc_w_rodzinie` and
    `trudnosci_po_opuszczeniu_placowki`, closed for `umieszczenie_dziecka_w_pieczy`."""
    root = tmp_path / "ws"
    with zipfile.ZipFile(FIXTURE) as archive:
        archive.extractall(root)
    for path in [root / "dane", *(p for p in (root / "dane").rglob("*") if p.is_dir())]:
        os.chmod(path, 0o700)
    return root


def test_stored_records_with_retired_codes_keep_their_wording(
    retired_ws: Path, outside: Path
) -> None:
    ws = retired_ws
    old = "GOPS/AR/9/2025"
    assert run("check", "--workspace", ws).exit_code == 0
    result = run("generate", "--workspace", ws, "--all")
    assert result.exit_code == 0, result.output
    sheet = docx_text(ws / "dokumenty" / "GOPS_AR_9_2025" / "metryczka_rodziny_2025-03-03.docx")
    assert "przemoc w rodzinie" in sheet
    assert "trudności w przystosowaniu do życia po opuszczeniu placówki" in sheet
    closing = docx_text(ws / "dokumenty" / "GOPS_AR_9_2025" / "zakonczenie_pracy_2025-10-31.docx")
    assert "umieszczenie dziecka w pieczy zastępczej" in closing
    total = csv_total(ws, "2025-01-01", "2025-12-31")
    assert total["Zakończenie: umieszczenie dziecka w pieczy zastępczej"] == "1"
    assert (
        "Sprawa GOPS/AR/9/2025 (zakończona 2025-10-31)"
        in run("show", "--workspace", ws, old).output
    )
    # New forms: the old wording of violence is taken as today's; the repealed reason is refused.
    new = family("GOPS.AR.10.2026", problemy=["przemoc_w_rodzinie"])
    ingest(ws, outside, new)
    stored = {r["sprawa"]: r["problemy"] for r in records_of(ws, "metryczka_rodziny")}
    assert stored["GOPS.AR.10.2026"] == ["przemoc_domowa"]
    assert stored[old] == ["przemoc_w_rodzinie", "trudnosci_po_opuszczeniu_placowki"]
    text = docx_text(ws / "dokumenty" / "GOPS.AR.10.2026" / "metryczka_rodziny_2026-02-02.docx")
    assert "przemoc domowa" in text and "przemoc w rodzinie" not in text
    refused = family("GOPS.AR.11.2026", problemy=["trudnosci_po_opuszczeniu_placowki"])
    output = ingest(ws, outside, refused, expect=1)
    assert "art. 7 pkt 10 ustawy o pomocy społecznej" in output and "uchylono" in output


def test_a_word_form_made_before_the_vocabulary_changed_still_reads(
    ws: Path, outside: Path
) -> None:
    """`fixtures/metryczka_rodziny_release1.docx` is the first release's blank fact sheet: it
    has a box for `przemoc_w_rodzinie`, none for `przemoc_domowa`, and lacks fields added since."""
    blank = (Path(__file__).parent / "fixtures" / "metryczka_rodziny_release1.docx").read_bytes()
    data = read_form(data_dir("forms") / "metryczka_rodziny.yaml").data
    data |= {"sprawa": CASE, "pracownik_socjalny": "Piotr Zając"}
    data["problemy"] = ["przemoc_w_rodzinie", "ubostwo"]
    path = outside / "metryczka_stary_formularz.docx"
    path.write_bytes(fill_form(blank, data))
    result = run("ingest", "--workspace", ws, path)
    assert result.exit_code == 0, result.output
    assert sorted(records_of(ws, "metryczka_rodziny")[0]["problemy"]) == [
        "przemoc_domowa",
        "ubostwo",
    ]
