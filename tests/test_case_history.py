"""A case with a history (issue 15), on hand-worked timelines through the real command line.

Who works with the family when (a change, a substitution, a suspension), the fact sheet in force
on a day, documents as of their own date, adults told apart by age, and the figures and alerts
that follow. Dates are chosen so that every boundary day is checked on both of its sides.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    alerts_on,
    csrf_token,
    docx_text,
    ingest,
    run,
    stored,
    visit_form,
    web_client,
    write_yaml,
)

from records.case import Case
from records.pipeline import Pipeline
from records.settings import load_workspace
from records.store import TinyStore

ANNA, MAREK, SYLWIA = "Anna Wiśniewska", "Marek Nowicki", "Sylwia Kos"


def family(sprawa: str, asystent: str, start: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "formularz": "metryczka_rodziny",
        "sprawa": sprawa,
        "asystent": asystent,
        "pracownik_socjalny": "Piotr Zając",
        "data_przydzielenia": start,
        "adres": {"ulica": "ul. Lipowa 7", "kod_pocztowy": "59-700", "miejscowosc": "Bolesławiec"},
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
        ],
        "problemy": [],
        "instytucje": [],
    }
    data.update(changes)
    return data


def assignment(sprawa: str, rodzaj: str, od: str, do: str | None = None, **changes: Any) -> dict:
    data: dict[str, Any] = {
        "formularz": "przydzielenie_asystenta",
        "sprawa": sprawa,
        "data": od,
        "rodzaj": rodzaj,
        "od": od,
    }
    if do:
        data["do"] = do
    data.update(changes)
    return data


def csv_rows(ws: Path, od: str, do: str) -> dict[str, dict[str, str]]:
    result = run("report", "--workspace", ws, "--od", od, "--do", do, "--format", "csv")
    assert result.exit_code == 0, result.output
    text = (ws / "raporty" / f"sprawozdanie_{od}_{do}.csv").read_text(encoding="utf-8-sig")
    return {
        row["Asystent rodziny"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")
    }


# -- a change of assistant in the middle of a period ---------------------------------------------


def test_a_change_of_assistant_splits_the_familys_figures_by_days_worked(
    ws: Path, outside: Path
) -> None:
    case = "AR/1/2026"
    court = {"podstawa_objecia": "postanowienie_sadu", "sygnatura_postanowienia": "III Nsm 1/26"}
    ingest(
        ws,
        outside,
        family(case, ANNA, "2026-01-01", **court),
        visit_form(case, "2026-02-10"),  # 1 h 30 min, Anna's
        assignment(case, "zmiana", "2026-04-01", asystent=MAREK),
        visit_form(case, "2026-05-12", "09:00", "10:00"),  # 1 h, Marek's
    )
    rows = csv_rows(ws, "2026-01-01", "2026-06-30")
    anna, marek, total = rows[ANNA], rows[MAREK], rows["Razem"]
    # Anna: 1 January – 31 March = 31 + 28 + 31 = 90 days; Marek: 1 April – 30 June = 91 days.
    assert anna["Dni pracy z rodzinami"] == "90" and marek["Dni pracy z rodzinami"] == "91"
    assert total["Dni pracy z rodzinami"] == "181"
    for row in (anna, marek, total):  # each worked with the family: it counts for both, once in all
        assert row["Rodziny wspierane w okresie"] == "1"
        assert row["Rodziny zobowiązane przez sąd"] == "1"
        assert row["Dzieci w rodzinach"] == "1"
    assert (anna["Rodziny nowe"], marek["Rodziny nowe"], total["Rodziny nowe"]) == ("1", "0", "1")
    assert (anna["Wizyty"], marek["Wizyty"], total["Wizyty"]) == ("1", "1", "2")
    assert (anna["Godziny pracy bezpośredniej"], marek["Godziny pracy bezpośredniej"]) == (
        "1,50",
        "1,00",
    )
    # A period before the change belongs to Anna alone (31 March is her last day).
    march = csv_rows(ws, "2026-03-01", "2026-03-31")
    assert march[ANNA]["Dni pracy z rodzinami"] == "31" and MAREK not in march
    april = csv_rows(ws, "2026-04-01", "2026-04-01")
    assert april[MAREK]["Dni pracy z rodzinami"] == "1" and ANNA not in april
    # Each visit's document names the assistant of its own day, also when regenerated later.
    folder = ws / "dokumenty" / "AR_1_2026"
    assert run("generate", "--workspace", ws, "--all").exit_code == 0
    february = docx_text(folder / "protokol_wizyty_2026-02-10.docx")
    may = docx_text(folder / "protokol_wizyty_2026-05-12.docx")
    assert ANNA in february and MAREK not in february
    assert MAREK in may and ANNA not in may
    letter = docx_text(folder / "przydzielenie_asystenta_2026-04-01.docx")
    assert "Informacja o zmianie asystenta rodziny" in letter
    assert (  # alike for a woman and a man, no name to decline ("po Anna Wiśniewska")
        "od dnia 1 kwietnia 2026 r. zmienia się asystent Państwa rodziny: pracę z rodziną "
        f"będzie prowadzić {MAREK} (dotychczasowy asystent rodziny: {ANNA})." in letter
    )
    assert "który" not in letter and f"po {ANNA}" not in letter


# -- the caseload: a substitution counts for the substitute, a suspension for nobody --------------


def _caseloads(ws: Path, outside: Path) -> None:
    """Anna and Sylwia each work with 15 families from 5 January 2026."""
    forms = [family(f"AN/{n}/2026", ANNA, "2026-01-05") for n in range(1, 16)]
    forms += [family(f"SY/{n}/2026", SYLWIA, "2026-01-05") for n in range(1, 16)]
    ingest(ws, outside, *forms)


def test_a_substitution_counts_for_the_substitute_on_its_days_only(ws: Path, outside: Path) -> None:
    _caseloads(ws, outside)
    ingest(
        ws,
        outside,
        assignment("AN/1/2026", "zastepstwo", "2026-03-09", "2026-03-22", asystent=SYLWIA),
    )
    over = "asystent prowadzi jednocześnie 16 rodzin"
    assert over not in alerts_on(ws, "2026-03-08")
    first = alerts_on(ws, "2026-03-09")
    assert over in first and SYLWIA in first.split(over)[0].splitlines()[-1]
    assert over in alerts_on(ws, "2026-03-22")  # the substitution's last day is included
    assert over not in alerts_on(ws, "2026-03-23")  # and then Anna has her family back
    march = csv_rows(ws, "2026-03-01", "2026-03-31")
    assert march[SYLWIA]["Najwięcej rodzin jednocześnie"] == "16"
    assert march[ANNA]["Najwięcej rodzin jednocześnie"] == "15"
    # 14 days of the family for Sylwia, 31 - 14 = 17 for Anna.
    case = Case.load(TinyStore(ws / "dane"), "AN/1/2026")
    assert case is not None and case.facts is not None
    import datetime as dt

    first_day, last_day = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    assert case.facts.days_worked(SYLWIA, first_day, last_day) == 14
    assert case.facts.days_worked(ANNA, first_day, last_day) == 17


def test_a_familys_events_count_for_the_assistant_of_their_day(ws: Path, outside: Path) -> None:
    """Anna works with the family until February, Marek from March: the consent of January is
    Anna's; the child's placement in April, its return in May and the withdrawal in June are
    Marek's. The total counts each once."""
    case = "EV/1/2026"

    def consent(day: str, rodzaj: str) -> dict[str, Any]:
        return {
            "formularz": "zgoda_rodziny",
            "sprawa": case,
            "data": day,
            "rodzaj": rodzaj,
            "klauzula_informacyjna": True,
            "osoby": ["Ewa Kowalska"],
        }

    child = {"imie": "Oskar", "nazwisko": "Kowalski"}
    ingest(
        ws,
        outside,
        family(case, ANNA, "2026-01-05"),
        consent("2026-01-12", "zgoda"),
        assignment(case, "zmiana", "2026-03-02", asystent=MAREK),
        {
            "formularz": "umieszczenie_dziecka",
            "sprawa": case,
            "data": "2026-04-01",
            "rodzaj": "umieszczenie",
            "dziecko": child,
            "forma": "rodzina_zastepcza_spokrewniona",
        },
        {
            "formularz": "umieszczenie_dziecka",
            "sprawa": case,
            "data": "2026-05-11",
            "rodzaj": "powrot",
            "dziecko": child,
        },
        consent("2026-06-01", "rezygnacja"),
    )
    rows = csv_rows(ws, "2026-01-01", "2026-06-30")
    columns = (
        "Zgody rodzin",
        "Rezygnacje rodzin",
        "Rodziny z dziećmi w pieczy zastępczej",
        "Powroty dzieci z pieczy zastępczej",
    )
    assert [rows[ANNA][c] for c in columns] == ["1", "0", "0", "0"]
    assert [rows[MAREK][c] for c in columns] == ["0", "1", "1", "1"]
    assert [rows["Razem"][c] for c in columns] == ["1", "1", "1", "1"]


def test_the_letter_of_the_first_assignment_may_follow_the_fact_sheet(
    ws: Path, outside: Path
) -> None:
    """The fact sheet records Anna from 31 January; the centre's letter telling the family so is
    the same assignment, not a second one (it was refused as "another assistant")."""
    ingest(ws, outside, family("PP/1/2026", ANNA, "2026-01-31"))
    ingest(ws, outside, assignment("PP/1/2026", "przydzielenie", "2026-01-31", asystent=ANNA))
    letter = docx_text(ws / "dokumenty" / "PP_1_2026" / "przydzielenie_asystenta_2026-01-31.docx")
    assert f"Od dnia 31 stycznia 2026 r. z Państwa rodziną będzie pracować {ANNA}." in letter
    later = ingest(
        ws,
        outside,
        assignment("PP/1/2026", "przydzielenie", "2026-02-05", asystent=ANNA),
        expect=1,
    )
    assert f"{ANNA} pracuje z rodziną już od 2026-01-31" in later
    other = ingest(
        ws,
        outside,
        assignment("PP/1/2026", "przydzielenie", "2026-01-31", asystent=MAREK),
        expect=1,
    )
    assert f"rodzina ma już asystenta ({ANNA}) w dniu 2026-01-31" in other
    assert "rodzaj „zmiana”" in other


def test_a_change_of_assistant_during_a_substitution_ends_it(ws: Path, outside: Path) -> None:
    """Sylwia stands in for Anna 2-20 February; from 10 February Marek takes the family over
    (the latest assignment in force, and what his letter to the family says): Sylwia's days end
    on the 9th, and nobody returns to Anna on the 21st."""
    import datetime as dt

    ingest(
        ws,
        outside,
        family("ZM/1/2026", ANNA, "2026-01-05"),
        assignment("ZM/1/2026", "zastepstwo", "2026-02-02", "2026-02-20", asystent=SYLWIA),
        assignment("ZM/1/2026", "zmiana", "2026-02-10", asystent=MAREK),
    )
    case = Case.load(TinyStore(ws / "dane"), "ZM/1/2026")
    assert case is not None and case.facts is not None
    on = lambda day: case.facts.assistant_on(dt.date.fromisoformat(day))  # noqa: E731
    assert [on(d) for d in ("2026-02-01", "2026-02-09", "2026-02-10", "2026-02-20")] == [
        ANNA,
        SYLWIA,
        MAREK,
        MAREK,
    ]
    assert on("2026-02-21") == MAREK
    feb = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert case.facts.days_worked(SYLWIA, *feb) == 8
    assert case.facts.days_worked(MAREK, *feb) == 19
    assert case.facts.days_worked(ANNA, *feb) == 1
    letter = docx_text(ws / "dokumenty" / "ZM_1_2026" / "przydzielenie_asystenta_2026-02-10.docx")
    assert MAREK in letter
    # a substitution that begins on the change's own day stands in for the new assistant
    ingest(
        ws,
        outside,
        assignment("ZM/1/2026", "zastepstwo", "2026-03-02", "2026-03-06", asystent=SYLWIA),
        assignment("ZM/1/2026", "zmiana", "2026-03-02", asystent=ANNA),
    )
    case = Case.load(TinyStore(ws / "dane"), "ZM/1/2026")
    assert case is not None and case.facts is not None
    assert case.facts.assistant_on(dt.date(2026, 3, 4)) == SYLWIA
    assert case.facts.regular_assistant_on(dt.date(2026, 3, 4)) == ANNA
    assert case.facts.assistant_on(dt.date(2026, 3, 7)) == ANNA


def test_a_sixteenth_family_is_pointed_out_when_it_is_accepted(ws: Path, outside: Path) -> None:
    """The limit is told to whoever gives an assistant a 16th family at once, then and there
    (the form is kept: what happened is recorded), on the command line and in the log."""
    _caseloads(ws, outside)
    over = "jednocześnie 16 rodzin; ustawa pozwala najwyżej na 15 (art. 15 ust. 4"
    output = ingest(ws, outside, family("AN/16/2026", ANNA, "2026-02-02"))
    assert f"! uwaga: {ANNA} prowadzi w dniu 2.02.2026 r. {over}" in output
    assert "Formularz przyjęto; rozważ przydzielenie rodziny innemu asystentowi." in output
    substitution = assignment("SY/1/2026", "zastepstwo", "2026-03-09", "2026-03-13", asystent=ANNA)
    output = ingest(ws, outside, substitution)
    assert f"{ANNA} prowadzi w dniu 9.03.2026 r. jednocześnie 17 rodzin" in output
    assert over in (ws / "asystent.log").read_text(encoding="utf-8")
    calm = ingest(ws, outside, family("MK/1/2026", MAREK, "2026-02-02"))  # Marek's first
    assert "uwaga" not in calm


def test_a_suspension_takes_the_family_out_of_every_caseload(ws: Path, outside: Path) -> None:
    _caseloads(ws, outside)
    ingest(ws, outside, family("AN/16/2026", ANNA, "2026-02-02"))
    over = "asystent prowadzi jednocześnie 16 rodzin"
    assert over in alerts_on(ws, "2026-03-08")
    ingest(ws, outside, assignment("AN/16/2026", "zawieszenie", "2026-03-09", "2026-03-22"))
    assert over in alerts_on(ws, "2026-03-08")
    during = alerts_on(ws, "2026-03-15")
    assert over not in during
    assert "praca z rodziną jest zawieszona do 22.03.2026 r." in during
    assert over in alerts_on(ws, "2026-03-23")
    # Nobody works with the family then: a visit on those days is refused...
    output = ingest(ws, outside, visit_form("AN/16/2026", "2026-03-16"), expect=1)
    assert "w tym dniu praca z rodziną była zawieszona do 2026-03-22" in output
    # ...and a resumption ends the suspension early.
    ingest(ws, outside, assignment("AN/16/2026", "wznowienie", "2026-03-19", asystent=ANNA))
    assert over in alerts_on(ws, "2026-03-19")
    assert over not in alerts_on(ws, "2026-03-18")
    march = csv_rows(ws, "2026-03-01", "2026-03-31")
    case_days = Case.load(TinyStore(ws / "dane"), "AN/16/2026")
    import datetime as dt

    assert case_days.facts.days_worked(ANNA, dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == 31 - 10
    assert march[ANNA]["Najwięcej rodzin jednocześnie"] == "16"


# -- documents as of their date --------------------------------------------------------------------


def test_a_regenerated_march_protocol_shows_the_march_address(ws: Path, outside: Path) -> None:
    case = "AR/2/2026"
    ingest(ws, outside, family(case, ANNA, "2026-01-12"), visit_form(case, "2026-03-17"))
    moved = family(
        case,
        ANNA,
        "2026-01-12",
        data_aktualizacji="2026-06-01",
        adres={"ulica": "ul. Nowa 3", "kod_pocztowy": "59-701", "miejscowosc": "Bolesławiec"},
    )
    ingest(ws, outside, moved, visit_form(case, "2026-06-10"))
    result = run(
        "generate", "protokol_wizyty", "--workspace", ws, "--sprawa", case, "--data", "2026-03-17"
    )
    assert result.exit_code == 0, result.output
    assert "(bez zmian)" in result.output  # the same document as in March
    folder = ws / "dokumenty" / "AR_2_2026"
    march = docx_text(folder / "protokol_wizyty_2026-03-17.docx")
    june = docx_text(folder / "protokol_wizyty_2026-06-10.docx")
    assert "ul. Lipowa 7" in march and "ul. Nowa 3" not in march
    assert "ul. Nowa 3" in june and "ul. Lipowa 7" not in june
    # Both versions of the fact sheet stay documents of their days.
    assert "ul. Nowa 3" in docx_text(folder / "metryczka_rodziny_2026-06-01.docx")
    assert "ul. Lipowa 7" in docx_text(folder / "metryczka_rodziny_2026-01-12.docx")
    shown = run("show", "--workspace", ws, case)
    assert "ul. Nowa 3" in shown.output  # today's address


def test_adults_and_children_are_told_apart_by_age_on_the_days_date(
    ws: Path, outside: Path
) -> None:
    case = "AR/3/2026"
    members = [
        {"imie": "Ewa", "nazwisko": "Kowalska", "data_urodzenia": "1980-04-02", "rola": "matka"},
        {"imie": "Jan", "nazwisko": "Kowalski", "data_urodzenia": "2005-03-01", "rola": "dziecko"},
        {
            "imie": "Ola",
            "nazwisko": "Kowalska",
            "data_urodzenia": "2008-06-10",
            "rola": "inna_osoba",
        },
    ]
    contract = {
        "formularz": "kontrakt",
        "sprawa": case,
        "data_zawarcia": "2026-02-02",
        "okres_od": "2026-02-02",
        "okres_do": "2026-07-31",
        "cel": "Usamodzielnienie rodziny",
        "zobowiazania_rodziny": ["Udział w spotkaniach"],
        "zobowiazania_asystenta": ["Spotkania co tydzień"],
    }
    ingest(ws, outside, family(case, ANNA, "2026-01-12", czlonkowie=members), contract)
    text = docx_text(ws / "dokumenty" / "AR_3_2026" / "kontrakt_2026-02-02.docx")
    # On 2 February 2026 Jan (born 2005) is 20, an adult although his role is "dziecko";
    # Ola (born June 2008) is 17, a child although her role is "inna osoba".
    assert "– Ewa Kowalska" in text and "– Jan Kowalski" in text  # the parties to the contract
    assert "Ola Kowalska" not in text
    rows = csv_rows(ws, "2026-01-01", "2026-05-31")
    assert rows["Razem"]["Dzieci w rodzinach"] == "1"
    # In July Ola is 18: counted as a child no longer.
    assert csv_rows(ws, "2026-07-01", "2026-07-31")["Razem"]["Dzieci w rodzinach"] == "0"


# -- the fact sheet's updates follow the case's rules ---------------------------------------------


def test_a_fact_sheet_update_cannot_change_the_assistant_or_reopen_a_closed_case(
    ws: Path, outside: Path
) -> None:
    case = "AR/4/2026"
    ingest(ws, outside, family(case, ANNA, "2026-01-12"))
    output = ingest(
        ws, outside, family(case, MAREK, "2026-01-12", data_aktualizacji="2026-05-01"), expect=1
    )
    assert "zmianę asystenta zgłasza się formularzem przydzielenie_asystenta" in output
    output = ingest(
        ws, outside, family(case, ANNA, "2026-02-01", data_aktualizacji="2026-05-01"), expect=1
    )
    assert "aktualizacja metryczki jej nie zmienia" in output
    closing = {
        "formularz": "zakonczenie_pracy",
        "sprawa": case,
        "data_zakonczenia": "2026-06-30",
        "przyczyna": "osiagniecie_celow",
        "podsumowanie": "Cele osiągnięte.",
    }
    ingest(ws, outside, closing)
    output = ingest(
        ws, outside, family(case, MAREK, "2026-01-12", data_aktualizacji="2026-07-15"), expect=1
    )
    assert "praca z tą rodziną została zakończona 2026-06-30" in output
    rows = csv_rows(ws, "2026-01-01", "2026-12-31")
    assert MAREK not in rows and rows[ANNA]["Rodziny wspierane w okresie"] == "1"


# -- przydzielenie_asystenta: its rules ----------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            assignment("AR/5/2026", "zawieszenie", "2026-03-02", "2026-03-09", asystent=MAREK),
            "przy zawieszeniu pracy nie podaje się asystenta",
        ),
        (
            assignment("AR/5/2026", "zastepstwo", "2026-03-02", asystent=MAREK),
            "do: przy zastępstwie i zawieszeniu podaj, do kiedy trwa",
        ),
        (
            assignment("AR/5/2026", "zmiana", "2026-03-02", asystent=ANNA),
            "ta osoba jest już asystentem tej rodziny w tym dniu",
        ),
        (
            assignment("AR/5/2026", "wznowienie", "2026-03-02", asystent=ANNA),
            "wznowić można tylko pracę zawieszoną",
        ),
        (
            assignment("AR/5/2026", "przydzielenie", "2026-03-02", asystent=MAREK),
            "inny asystent od tego dnia to rodzaj „zmiana”",
        ),
        (
            assignment("AR/5/2026", "zmiana", "2026-01-02", asystent=MAREK),
            "wcześniejsza niż data przydzielenia asystenta",
        ),
        (
            assignment("AR/5/2026", "zastepstwo", "2026-03-09", "2026-03-02", asystent=MAREK),
            "do: wartość musi być nie wcześniejsza niż w polu od",
        ),
    ],
    ids=[
        "suspension_with_assistant",
        "substitution_without_end",
        "same_assistant",
        "resume_unsuspended",
        "first_twice",
        "before_start",
        "end_before_start",
    ],
)
def test_an_assignment_that_does_not_fit_the_case_is_refused(
    ws: Path, outside: Path, form: dict, message: str
) -> None:
    ingest(ws, outside, family("AR/5/2026", ANNA, "2026-01-12"))
    output = ingest(ws, outside, form, expect=1)
    assert message in output


def test_an_assignment_letter_for_each_kind(ws: Path, outside: Path) -> None:
    case = "AR/6/2026"
    ingest(
        ws,
        outside,
        family(case, ANNA, "2026-01-12"),
        assignment(
            case, "zastepstwo", "2026-02-02", "2026-02-13", asystent=MAREK, przyczyna="Urlop."
        ),
        assignment(case, "zawieszenie", "2026-03-02", "2026-03-31"),
        assignment(case, "wznowienie", "2026-03-16", asystent=ANNA),
    )
    folder = ws / "dokumenty" / "AR_6_2026"
    substitution = docx_text(folder / "przydzielenie_asystenta_2026-02-02.docx")
    assert "Informacja o zastępstwie asystenta rodziny" in substitution
    assert (
        f"w okresie od 2 lutego 2026 r. do 13 lutego 2026 r. pracę z Państwa rodziną będzie prowadzić w zastępstwie asystent rodziny {MAREK}"
        in substitution
    )
    assert f"Po tym okresie pracę z rodziną kontynuuje {ANNA}." in substitution
    assert "Przyczyna: Urlop." in substitution
    assert "Ewa Kowalska" in substitution and "ul. Lipowa 7" in substitution  # the addressee
    suspension = docx_text(folder / "przydzielenie_asystenta_2026-03-02.docx")
    assert "Informacja o zawieszeniu pracy asystenta rodziny" in suspension
    assert "zostaje zawieszona w okresie od 2 marca 2026 r. do 31 marca 2026 r." in suspension
    assert "r.." not in suspension  # a sentence ending in "r." takes no second full stop
    resumption = docx_text(folder / "przydzielenie_asystenta_2026-03-16.docx")
    assert "Informacja o wznowieniu pracy asystenta rodziny" in resumption
    shown = run("show", "--workspace", ws, case).output
    assert f"2026-02-02 – 2026-02-13: zastępstwo: {MAREK} (za: {ANNA})" in shown
    assert "2026-03-02 – 2026-03-15: praca zawieszona" in shown
    assert f"2026-03-16 – nadal: {ANNA} (wznowienie pracy asystenta z rodziną)" in shown


# -- one read and one parse per ingested form -------------------------------------------------------


def test_one_ingested_visit_reads_its_case_file_at_most_twice(ws: Path, outside: Path) -> None:
    ingest(
        ws,
        outside,
        family("AR/7/2026", ANNA, "2026-01-12"),
        *[visit_form("AR/7/2026", f"2026-02-{d:02d}") for d in range(2, 20)],
    )
    store = TinyStore(ws / "dane")
    pipeline = Pipeline(load_workspace(ws), store, command="test")
    path = write_yaml(outside / "wizyta.yaml", visit_form("AR/7/2026", "2026-03-03"))
    (outcome,) = pipeline.process_many([path])
    assert outcome.status == "przyjęty", outcome
    assert store.case_reads["ar_7_2026"] <= 2, store.case_reads
    assert pipeline.parses == 1


def test_a_correction_made_after_ten_records_is_the_current_version(
    ws: Path, outside: Path
) -> None:
    """The store kept its records' keys sorted as text: the 11th record ("11") was read before
    the 2nd, and a correction sent later counted as older than the version it corrects."""
    case = "AR/8/2026"
    ingest(
        ws,
        outside,
        family(case, ANNA, "2026-01-12"),
        visit_form(case, "2026-02-02", przebieg="Pierwsza wersja."),
    )
    ingest(ws, outside, *[visit_form(case, f"2026-02-{d:02d}") for d in range(3, 13)])
    ingest(ws, outside, visit_form(case, "2026-02-02", przebieg="Poprawiona wersja."))
    text = docx_text(ws / "dokumenty" / "AR_8_2026" / "protokol_wizyty_2026-02-02.docx")
    assert "Poprawiona wersja." in text and "Pierwsza wersja." not in text
    shard = stored(ws, "ar_8_2026")
    assert len(shard["rekordy"]) == 13
    result = run(
        "generate", "protokol_wizyty", "--workspace", ws, "--sprawa", case, "--data", "2026-02-02"
    )
    assert "(bez zmian)" in result.output


# -- who may see a case follows the assignment periods -------------------------------------------


def test_the_web_shows_a_case_to_whoever_works_with_the_family_today(
    ws: Path, outside: Path
) -> None:
    import datetime as dt
    import re

    from conftest import add_account

    today = dt.date.today()
    day = lambda offset: (today + dt.timedelta(days=offset)).isoformat()  # noqa: E731
    ingest(
        ws,
        outside,
        family("ZA/1/2026", ANNA, day(-300)),  # Marek substitutes for Anna now
        assignment("ZA/1/2026", "zastepstwo", day(-5), day(5), asystent=MAREK),
        family("ZA/2/2026", ANNA, day(-300)),  # Marek substituted for Anna last month
        assignment("ZA/2/2026", "zastepstwo", day(-40), day(-20), asystent=MAREK),
        family("ZA/3/2026", ANNA, day(-300)),  # the family went over to Marek
        assignment("ZA/3/2026", "zmiana", day(-60), asystent=MAREK),
    )
    for login, name in (("anna", ANNA), ("marek", MAREK)):
        add_account(ws, login, "asystent", name, "haslo-testowe-1")

    anna, marek = (
        web_client(ws, "anna", "haslo-testowe-1"),
        web_client(ws, "marek", "haslo-testowe-1"),
    )
    listed = lambda c: re.findall(r'href="/sprawa/([^"]+)"', c.get("/").text)  # noqa: E731
    assert listed(anna) == ["ZA_1_2026", "ZA_2_2026"]
    assert listed(marek) == ["ZA_1_2026", "ZA_3_2026"]
    assert marek.get("/sprawa/ZA_2_2026").status_code == 403
    assert anna.get("/sprawa/ZA_3_2026").status_code == 403
    assert marek.get("/sprawa/ZA_1_2026").status_code == 200
    # Anna may still document her own work with the family that went over to Marek.
    token = csrf_token(anna, "/wyslij")
    own = write_yaml(outside / "moja.yaml", visit_form("ZA/3/2026", day(-70)))
    later = write_yaml(outside / "nie_moja.yaml", visit_form("ZA/3/2026", day(-10)))
    with open(own, "rb") as handle:
        answer = anna.post("/wyslij", data={"plik": (handle, "moja.yaml"), "csrf_token": token})
    assert answer.status_code == 200, answer.text
    with open(later, "rb") as handle:
        answer = anna.post("/wyslij", data={"plik": (handle, "nie_moja.yaml"), "csrf_token": token})
    assert answer.status_code == 403
    # but not take the family back: a form dated on a day she worked that decides who works
    # with the family from today on (or closes the case) is not a record of her own work
    back = assignment("ZA/3/2026", "zmiana", day(0), asystent=ANNA) | {"data": day(-70)}
    closing = {
        "formularz": "zakonczenie_pracy",
        "sprawa": "ZA/3/2026",
        "data_zakonczenia": day(-70),
        "przyczyna": "osiagniecie_celow",
        "podsumowanie": "Rodzina samodzielnie planuje budżet.",
    }
    for name, form in (("z_powrotem.yaml", back), ("koniec.yaml", closing)):
        with open(write_yaml(outside / name, form), "rb") as handle:
            answer = anna.post("/wyslij", data={"plik": (handle, name), "csrf_token": token})
        assert answer.status_code == 403, (name, answer.text)
        assert "nie jest przydzielona do Ciebie" in answer.text
    assert anna.get("/sprawa/ZA_3_2026").status_code == 403
    assert not list((ws / "wejscie").rglob("*.yaml"))  # nothing left waiting either
