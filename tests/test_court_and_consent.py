"""How a case begins and who it answers to (issue 16), through the real command line.

The request and the consent of a voluntary case, the court order of an obliged one with the
reports it expects, the letters to the court, and the signatures on issued documents. Alert dates
are worked by hand, each boundary checked on both of its sides.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    add_account,
    alerts_on,
    document,
    docx_text,
    in_order,
    ingest,
    records_of,
    run,
    visit_form,
    web_client,
    write_yaml,
)

ANNA, MAREK = "Anna Wiśniewska", "Marek Nowicki"
WORKER = "Piotr Zając"

OFFICE = """\
[osrodek]
nazwa = "Gminny Ośrodek Pomocy Społecznej w Rydzynie"
adres = "ul. Rynek 1, 64-130 Rydzyna"
miejscowosc = "Rydzyna"
kierownik = "Halina Sowa"
asystenci = []

[archiwum]
symbol_jrwa = "5121"
haslo_jrwa = "Asystent rodziny"
kategoria = "B10"

[rodo]
inspektor = "iod@gops.rydzyna.example"
administrator = "Gminny Ośrodek Pomocy Społecznej w Rydzynie, ul. Rynek 1, 64-130 Rydzyna"
"""


@pytest.fixture
def office(ws: Path) -> Path:
    """A workspace with a real centre's heading and its own GDPR controller and officer."""
    (ws / "asystent.toml").write_text(OFFICE, encoding="utf-8")
    return ws


def members() -> list[dict[str, Any]]:
    return [
        {"imie": "Ewa", "nazwisko": "Kowalska", "data_urodzenia": "1990-04-02", "rola": "matka"},
        {"imie": "Adam", "nazwisko": "Kowalski", "data_urodzenia": "1988-11-30", "rola": "ojciec"},
        {
            "imie": "Oskar",
            "nazwisko": "Kowalski",
            "data_urodzenia": "2016-09-12",
            "rola": "dziecko",
        },
    ]


ADDRESS = {"ulica": "ul. Lipowa 7", "kod_pocztowy": "64-130", "miejscowosc": "Rydzyna"}


def request(sprawa: str, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "wniosek_o_asystenta",
        "sprawa": sprawa,
        "pracownik_socjalny": WORKER,
        "data_wniosku": "2026-01-12",
        "data_wywiadu": "2026-01-08",
        "adres": ADDRESS,
        "telefon": "600 100 200",
        "czlonkowie": members(),
        "problemy": ["ubostwo", "bezradnosc_opiekunczo_wychowawcza"],
        "uzasadnienie": "Rodzice nie radzą sobie z budżetem; zaległości w czynszu 3 100 zł.",
        "proponowane_wsparcie": "Trening budżetowy i kontakt ze szkołą Oskara.",
    }
    return data | changes


def family(sprawa: str, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "metryczka_rodziny",
        "sprawa": sprawa,
        "asystent": ANNA,
        "pracownik_socjalny": WORKER,
        "data_przydzielenia": "2026-02-01",
        "podstawa_objecia": "wniosek_pracownika_socjalnego",
        "adres": ADDRESS,
        "czlonkowie": members(),
        "problemy": ["ubostwo"],
        "instytucje": [],
    }
    return data | changes


def consent(sprawa: str, day: str, rodzaj: str = "zgoda", **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "zgoda_rodziny",
        "sprawa": sprawa,
        "data": day,
        "rodzaj": rodzaj,
        "klauzula_informacyjna": True,
        "osoby": ["Ewa Kowalska", "Adam Kowalski"],
    }
    return data | changes


def order(sprawa: str, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "postanowienie_sadu",
        "sprawa": sprawa,
        "sad": "Sąd Rejonowy w Lesznie",
        "wydzial": "III Wydział Rodzinny i Nieletnich",
        "sygnatura": "III Nsm 77/26",
        "data_postanowienia": "2026-02-02",
        "data_wplywu": "2026-02-06",
        "kurator": "Irena Wolna",
        "sprawozdania_co_miesiecy": 3,
        "tresc": "Zobowiązać rodziców małoletniego Oskara do współpracy z asystentem rodziny.",
    }
    return data | changes


COURT_SHEET = {"podstawa_objecia": "postanowienie_sadu", "sygnatura_postanowienia": "III Nsm 77/26"}


def court_letter(sprawa: str, day: str, rodzaj: str = "sprawozdanie", **changes: Any) -> dict:
    data: dict[str, Any] = {
        "formularz": "sprawozdanie_dla_sadu",
        "sprawa": sprawa,
        "data": day,
        "rodzaj": rodzaj,
        "sygnatura": "III Nsm 77/26",
        "sytuacja_rodziny": "Ojciec podjął pracę; rodzina spłaca zaległości w czynszu.",
        "podjete_dzialania": "Trening budżetowy, dwa spotkania w szkole Oskara.",
        "wspolpraca_rodziny": "Rodzice współpracują i dotrzymują ustaleń.",
        "wnioski": "Wskazana dalsza praca asystenta z rodziną.",
    }
    if rodzaj == "sprawozdanie":
        data |= {"okres_od": "2026-02-06", "okres_do": day}
    return data | changes


visit = visit_form


# -- the request and the consent -------------------------------------------------------------------


def test_a_case_with_only_its_request_waits_for_an_assistant_in_every_list(
    office: Path, outside: Path
) -> None:
    """One decision of a case's state (`CaseFacts.status_on`), the same on the command line and
    on the families page: not "aktywna" before anyone works with the family."""
    case = "GOPS.AR.1.2026"
    ingest(office, outside, request(case))
    assert "oczekuje na przydzielenie asystenta" in run("families", "--workspace", office).output
    add_account(office, "szef", "kierownik", "Barbara Przykładowa", "haslo-szefa-123")
    page = web_client(office, "szef", "haslo-szefa-123").get("/").get_data(as_text=True)
    assert "oczekuje na przydzielenie asystenta" in page and "aktywna od" not in page
    ingest(office, outside, family(case))
    page = web_client(office, "szef", "haslo-szefa-123").get("/").get_data(as_text=True)
    assert "aktywna od 01.02.2026" in page


def test_the_request_opens_the_case_and_is_filed_as_a_letter_to_the_head(
    office: Path, outside: Path
) -> None:
    case = "GOPS.AR.1.2026"
    ingest(office, outside, request(case))
    stored = records_of(office, "wniosek_o_asystenta")
    assert len(stored) == 1 and stored[0]["data_wywiadu"] == "2026-01-08"
    text = document(office, case, "wniosek_o_asystenta_2026-01-12.docx")
    in_order(
        text,
        "Gminny Ośrodek Pomocy Społecznej w Rydzynie",
        "ul. Rynek 1, 64-130 Rydzyna",
        "Rydzyna, dnia 12 stycznia 2026 r.",
        f"Znak sprawy: {case}",
        "Halina Sowa\nKierownik ośrodka",
        "Wniosek o przydzielenie asystenta rodziny",
        "art. 11 ust. 3 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy "
        "zastępczej, po przeprowadzeniu w dniu 8 stycznia 2026 r. wywiadu środowiskowego",
        "ul. Lipowa 7, 64-130 Rydzyna, tel. 600 100 200",
        "ubóstwo",
        "bezradność w sprawach opiekuńczo-wychowawczych",
        "Rodzice nie radzą sobie z budżetem; zaległości w czynszu 3 100 zł.",
        "Trening budżetowy i kontakt ze szkołą Oskara.",
    )
    for row in (
        "Ewa Kowalska\n2.04.1990 r.\nmatka",
        "Adam Kowalski\n30.11.1988 r.\nojciec",
        "Oskar Kowalski\n12.09.2016 r.\ndziecko",
    ):
        assert row in text
    in_order(text, WORKER, "(podpis pracownika socjalnego)", "Decyzja kierownika ośrodka")
    assert "Przydzielam asystenta rodziny" in text and "Nie przydzielam" in text
    assert text.count(f"Znak sprawy: {case}") >= 2  # the footer repeats it on every page
    # Until a fact sheet comes, the family is the one the request describes.
    shown = run("show", "--workspace", office, case)
    assert shown.exit_code == 0, shown.output
    assert "asystenta jeszcze nie przydzielono" in shown.output
    assert "Ewa Kowalska" in shown.output


def test_a_request_based_case_is_alerted_until_the_family_consents(
    office: Path, outside: Path
) -> None:
    case = "GOPS.AR.2.2026"
    ingest(office, outside, request(case), family(case))
    missing = "brak pisemnej zgody rodziny na współpracę z asystentem rodziny (art. 8 ust. 3"
    assert missing in alerts_on(office, "2026-02-03")
    ingest(office, outside, consent(case, "2026-02-04"))
    assert missing in alerts_on(office, "2026-02-03")  # a past day keeps what held on it
    assert missing not in alerts_on(office, "2026-02-04")
    stored = records_of(office, "zgoda_rodziny")
    assert stored[0]["osoby"] == ["Ewa Kowalska", "Adam Kowalski"]
    text = document(office, case, "zgoda_rodziny_2026-02-04.docx")
    in_order(
        text,
        "Rydzyna, dnia 4 lutego 2026 r.",
        "Zgoda rodziny na współpracę z asystentem rodziny",
        "za jej zgodą i aktywnym udziałem",
        "Klauzula informacyjna (art. 13 RODO)",
        "Administratorem danych osobowych członków rodziny jest Gminny Ośrodek Pomocy "
        "Społecznej w Rydzynie, ul. Rynek 1, 64-130 Rydzyna",
        "iod@gops.rydzyna.example",
        "art. 6 ust. 1 lit. c i e oraz art. 9 ust. 2",
        "przechowywane",
        "Prezesa Urzędu Ochrony Danych Osobowych",
    )
    assert "Ewa Kowalska\n4.02.2026 r." in text and "Adam Kowalski\n4.02.2026 r." in text
    assert re.search(rf"{ANNA}\n\s*\(podpis asystenta rodziny\)", text)
    # The family withdraws: the withdrawal is its own document, and an alert says to close.
    ingest(
        office,
        outside,
        consent(
            case, "2026-05-20", "rezygnacja", przyczyna="Rodzina przeprowadza się do Poznania."
        ),
    )
    text = document(office, case, "zgoda_rodziny_2026-05-20.docx")
    assert "Oświadczenie o rezygnacji ze współpracy z asystentem rodziny" in text
    assert "Rodzina przeprowadza się do Poznania." in text
    withdrawn = alerts_on(office, "2026-05-20")
    assert "rodzina zrezygnowała ze współpracy 20.05.2026 r.; zakończ pracę" in withdrawn
    assert "rodzina zrezygnowała" not in alerts_on(office, "2026-05-19")
    assert missing not in withdrawn


def test_consent_is_signed_by_adult_members_of_the_family(office: Path, outside: Path) -> None:
    case = "GOPS.AR.3.2026"
    ingest(office, outside, family(case))
    output = ingest(
        office,
        outside,
        consent(case, "2026-02-04", osoby=["Oskar Kowalski"]),
        consent(case, "2026-02-05", osoby=["Jan Obcy"]),
        expect=1,
    )
    assert "nie jest pełnoletnia" in output
    assert "tej osoby nie ma wśród członków rodziny" in output
    assert records_of(office, "zgoda_rodziny") == []


# -- the court order and its reports ---------------------------------------------------------------


def test_from_the_orders_date_the_case_is_court_ordered_whatever_the_sheet_said(
    office: Path, outside: Path
) -> None:
    case = "GOPS.AR.4.2026"
    ingest(office, outside, family(case), consent(case, "2026-02-01"), order(case))
    shown = run("show", "--workspace", office, case).output
    assert "Postanowienie: Sąd Rejonowy w Lesznie, III Wydział Rodzinny i Nieletnich" in shown
    assert "sygn. akt III Nsm 77/26 z 2026-02-02" in shown
    # Reports every 3 months from the day the order reached the centre (6 February).
    for due in ("2026-05-06", "2026-08-06", "2026-11-06"):
        assert f"sprawozdanie do {due}" in shown
    voluntary = "Podstawa: wniosek pracownika socjalnego (art. 11 ust. 3 ustawy)"
    court = "Podstawa: postanowienie sądu (art. 109 § 2 pkt 1 Kodeksu rodzinnego i opiekuńczego)"
    first_day = csv_total(office, "2026-02-01", "2026-02-01")  # the day before the order
    assert (first_day[voluntary], first_day[court]) == ("1", "0")
    assert first_day["Rodziny zobowiązane przez sąd"] == "0"
    february = csv_total(office, "2026-02-01", "2026-02-28")
    assert (february[voluntary], february[court]) == ("0", "1")
    assert february["Rodziny zobowiązane przez sąd"] == "1"
    # Each fact sheet's document tells the basis that held on its own day.
    update = family(case, data_aktualizacji="2026-03-02", telefon="600 300 400")
    ingest(office, outside, update)
    first = document(office, case, "metryczka_rodziny_2026-02-01.docx")
    later = document(office, case, "metryczka_rodziny_2026-03-02.docx")
    assert "wniosek pracownika socjalnego" in first and "III Nsm 77/26" not in first
    assert "postanowienie sądu" in later and "III Nsm 77/26" in later
    assert "Sąd Rejonowy w Lesznie" in later


def csv_total(ws: Path, od: str, do: str) -> dict[str, str]:
    result = run("report", "--workspace", ws, "--od", od, "--do", do, "--format", "csv")
    assert result.exit_code == 0, result.output
    text = (ws / "raporty" / f"sprawozdanie_{od}_{do}.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    return next(r for r in rows if r["Asystent rodziny"] == "Razem")


@pytest.mark.parametrize(
    ("day", "level", "expected"),
    [
        ("2026-04-21", None, None),  # fifteen days before: not yet
        ("2026-04-22", "! wkrótce", "termin do 6.05.2026 r."),
        ("2026-05-06", "! wkrótce", "termin dziś"),
        ("2026-05-07", "✘ po terminie", "było do 6.05.2026 r.; 1 dzień po terminie"),
        ("2026-05-19", "✘ po terminie", "było do 6.05.2026 r.; 13 dni po terminie"),
    ],
)
def test_each_report_the_court_expects_is_announced_and_then_overdue(
    office: Path, outside: Path, day: str, level: str | None, expected: str | None
) -> None:
    case = "GOPS.AR.5.2026"
    ingest(office, outside, family(case, **COURT_SHEET), order(case))
    found = [
        line for line in alerts_on(office, day).splitlines() if "sprawozdanie dla sądu" in line
    ]
    if expected is None:
        assert found == []
        return
    assert len(found) == 1, found
    assert found[0].strip().startswith(f"{level}: {case} ({ANNA}): sprawozdanie dla sądu (sygn. ")
    assert found[0].endswith(expected)


def test_the_court_report_names_a_child_in_foster_care(office: Path, outside: Path) -> None:
    """Every document of a day names the children in foster care then; the court's too."""
    case = "GOPS.AR.13.2026"
    placed = {
        "formularz": "umieszczenie_dziecka",
        "sprawa": case,
        "data": "2026-04-01",
        "rodzaj": "umieszczenie",
        "dziecko": {"imie": "Oskar", "nazwisko": "Kowalski"},
        "forma": "rodzina_zastepcza_spokrewniona",
    }
    ingest(office, outside, family(case, **COURT_SHEET), order(case), placed)
    ingest(office, outside, court_letter(case, "2026-05-04"))
    text = document(office, case, "sprawozdanie_dla_sadu_2026-05-04.docx")
    assert (
        "Dzieci w pieczy zastępczej: Oskar Kowalski – rodzina zastępcza spokrewniona, od "
        "1.04.2026 r." in text
    )


def test_a_later_closing_does_not_change_what_was_due_on_an_earlier_day(
    office: Path, outside: Path
) -> None:
    """Alerts on a day count only forms dated by then: the court's term of 6 May was coming on
    28 April whether or not the work closed on 30 April; from the closing on, nothing is due."""
    case = "GOPS.AR.12.2026"
    ingest(office, outside, family(case, **COURT_SHEET), order(case))
    before = [line for line in alerts_on(office, "2026-04-28").splitlines() if "sądu" in line]
    assert len(before) == 1 and before[0].endswith("termin do 6.05.2026 r."), before
    closing = {
        "formularz": "zakonczenie_pracy",
        "sprawa": case,
        "data_zakonczenia": "2026-04-30",
        "przyczyna": "osiagniecie_celow",
        "podsumowanie": "Rodzina osiągnęła cele planu.",
    }
    ingest(office, outside, closing)
    assert [line for line in alerts_on(office, "2026-04-28").splitlines() if "sądu" in line] == (
        before
    )
    assert "sądu" not in alerts_on(office, "2026-05-04")


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_filed_report_closes_its_term_and_only_its_own(office: Path, outside: Path) -> None:
    case = "GOPS.AR.6.2026"
    ingest(
        office,
        outside,
        family(case, **COURT_SHEET),
        order(case),
        visit(case, "2026-03-03"),
        visit(case, "2026-04-14", "09:00", "10:00"),
        visit(case, "2026-05-12"),  # after the report's period
        court_letter(case, "2026-05-11", okres_do="2026-05-10"),  # five days late
    )
    assert "sprawozdanie dla sądu" not in alerts_on(office, "2026-05-11")
    assert "było do 6.05.2026 r." in alerts_on(office, "2026-05-10")  # before it was sent
    soon = alerts_on(office, "2026-07-23")  # the next term, 6 August, is 14 days away
    assert "termin do 6.08.2026 r." in soon
    assert "termin do 6.08.2026 r." not in alerts_on(office, "2026-07-22")
    shown = run("show", "--workspace", office, case).output
    assert "sprawozdanie do 2026-05-06: złożone po terminie (2026-05-11)" in shown
    # The figures: a report sent (late) in May; in August the term passed with nothing sent.
    may = csv_total(office, "2026-05-01", "2026-05-31")
    assert (may["Sprawozdania dla sądów"], may["W tym po terminie"]) == ("1", "1")
    assert may["Sprawozdania zaległe"] == "0"
    august = csv_total(office, "2026-08-01", "2026-08-31")
    assert (august["Sprawozdania dla sądów"], august["Sprawozdania zaległe"]) == ("0", "1")
    # The letter itself: addressed to the division, with the reference, the order and the
    # visits of its period counted from the records.
    text = document(office, case, "sprawozdanie_dla_sadu_2026-05-11.docx")
    in_order(
        text,
        "Gminny Ośrodek Pomocy Społecznej w Rydzynie",
        "Rydzyna, dnia 11 maja 2026 r.",
        f"Znak sprawy: {case}",
        "Sąd Rejonowy w Lesznie\nIII Wydział Rodzinny i Nieletnich",
        "Sygn. akt: III Nsm 77/26",
        "Sprawozdanie dla sądu",
        "Dotyczy: rodziny Kowalskich, zam. ul. Lipowa 7, 64-130 Rydzyna",
        "art. 109 § 4 Kodeksu rodzinnego i opiekuńczego, w związku z postanowieniem z dnia "
        "2 lutego 2026 r.",
        "za okres od 6 lutego 2026 r. do 10 maja 2026 r.",
        "I. Sytuacja rodziny",
        "Ojciec podjął pracę; rodzina spłaca zaległości w czynszu.",
        "II. Praca asystenta rodziny z rodziną",
        f"Asystent rodziny: {ANNA}. W okresie od 6 lutego 2026 r. do 10 maja 2026 r. asystent był "
        "w rodzinie 2 razy (łącznie 2 godz. 30 min), w dniach 3.03.2026 r., 14.04.2026 r.",
        "Trening budżetowy, dwa spotkania w szkole Oskara.",
        "III. Współpraca rodziny z asystentem",
        "Rodzice współpracują i dotrzymują ustaleń.",
        "IV. Wnioski",
        "Wskazana dalsza praca asystenta z rodziną.",
        "Otrzymują: adresat, do wiadomości: kurator sądowy Irena Wolna, a/a.",
    )
    assert "12.05.2026" not in text
    # Signatures side by side: the names on one line, their captions on the next.
    in_order(text, ANNA, "Halina Sowa", "(podpis asystenta rodziny)", "(podpis i pieczęć")


def test_given_report_dates_replace_the_interval(office: Path, outside: Path) -> None:
    case = "GOPS.AR.7.2026"
    dates = order(case, sprawozdania_co_miesiecy=None, terminy_sprawozdan=["2026-03-31"])
    dates.pop("sprawozdania_co_miesiecy")
    ingest(office, outside, family(case, **COURT_SHEET), dates)
    assert "termin do 31.03.2026 r." in alerts_on(office, "2026-03-17")
    assert "sprawozdanie dla sądu" not in alerts_on(office, "2026-03-16")
    assert "było do 31.03.2026 r." in alerts_on(office, "2026-04-01")
    assert "termin do 6.05" not in alerts_on(office, "2026-04-30")  # no interval besides


def test_an_opinion_and_a_notice_of_non_cooperation_are_letters_of_their_own(
    office: Path, outside: Path
) -> None:
    case = "GOPS.AR.8.2026"
    ingest(
        office,
        outside,
        family(case, **COURT_SHEET),
        order(case),
        court_letter(case, "2026-03-02", "opinia"),
        court_letter(case, "2026-03-09", "brak_wspolpracy"),
    )
    opinion = document(office, case, "sprawozdanie_dla_sadu_2026-03-02.docx")
    assert "Na wniosek Sądu, na podstawie art. 15 ust. 1 pkt 17 ustawy" in opinion
    assert "opinię o rodzinie i jej członkach" in opinion
    notice = document(office, case, "sprawozdanie_dla_sadu_2026-03-09.docx")
    assert (
        "Informuję, że rodzina nie współpracuje z asystentem rodziny, do czego została "
        "zobowiązana postanowieniem z dnia 2 lutego 2026 r." in notice
    )
    # Neither is the report the court expects: its first term is still open after them.
    assert "termin do 6.05.2026 r." in alerts_on(office, "2026-04-30")


def test_a_family_under_a_court_order_cannot_withdraw(office: Path, outside: Path) -> None:
    case = "GOPS.AR.9.2026"
    ingest(office, outside, family(case), consent(case, "2026-02-01"), order(case))
    output = ingest(
        office,
        outside,
        consent(case, "2026-03-10", "rezygnacja", przyczyna="Nie chcemy asystenta."),
        expect=1,
    )
    assert "zobowiązana postanowieniem sądu" in output
    assert "art. 109 § 2 pkt 1 Kodeksu rodzinnego i opiekuńczego" in output
    assert [c["rodzaj"] for c in records_of(office, "zgoda_rodziny")] == ["zgoda"]
    # Nor end the work by withdrawing: the closing's reason is refused too.
    closing = {
        "formularz": "zakonczenie_pracy",
        "sprawa": case,
        "data_zakonczenia": "2026-03-31",
        "przyczyna": "rezygnacja_rodziny",
        "podsumowanie": "Rodzina nie chce dalszej pracy.",
    }
    output = ingest(office, outside, closing, expect=1)
    assert "przyczyna" in output and "nie może z niej zrezygnować" in output
    assert records_of(office, "zakonczenie_pracy") == []
    # Before the order, the same family could still withdraw.
    ingest(
        office,
        outside,
        consent(case, "2026-02-01", "rezygnacja", przyczyna="Nie chcemy asystenta.", uwagi="x"),
    )


def test_the_closing_of_a_court_ordered_case_goes_to_the_court_too(
    office: Path, outside: Path
) -> None:
    case = "GOPS.AR.10.2026"
    closing = {
        "formularz": "zakonczenie_pracy",
        "sprawa": case,
        "data_zakonczenia": "2026-06-30",
        "przyczyna": "osiagniecie_celow",
        "podsumowanie": "Rodzina osiągnęła cele planu.",
    }
    ingest(office, outside, family(case), order(case), closing)
    text = document(office, case, "zakonczenie_pracy_2026-06-30.docx")
    assert (
        f"Otrzymują: pracownik socjalny {WORKER}, Sąd Rejonowy w Lesznie, III Wydział Rodzinny i "
        "Nieletnich (sygn. akt III Nsm 77/26), a/a." in text
    )
    voluntary = "GOPS.AR.11.2026"
    ingest(office, outside, family(voluntary), {**closing, "sprawa": voluntary})
    text = document(office, voluntary, "zakonczenie_pracy_2026-06-30.docx")
    assert f"Otrzymują: pracownik socjalny {WORKER}, a/a." in text
    assert "Sąd Rejonowy" not in text


# -- the assistant is not the social worker (art. 17 ust. 3) -------------------------------------


def test_the_assistant_may_not_be_the_familys_social_worker(office: Path, outside: Path) -> None:
    case = "GOPS.AR.12.2026"
    output = ingest(office, outside, family(case, asystent=WORKER), expect=1)
    assert "nie może zarazem wykonywać obowiązków pracownika socjalnego" in output
    assert "art. 17 ust. 3" in output
    # The one who requested the assistant is the family's social worker.
    ingest(office, outside, request(case, pracownik_socjalny=MAREK))
    output = ingest(office, outside, family(case, asystent=MAREK), expect=1)
    assert "złożyła wniosek o asystenta jako pracownik socjalny" in output
    ingest(office, outside, family(case))
    change = {
        "formularz": "przydzielenie_asystenta",
        "sprawa": case,
        "data": "2026-04-01",
        "rodzaj": "zmiana",
        "od": "2026-04-01",
        "asystent": WORKER,
    }
    output = ingest(office, outside, change, expect=1)
    assert "art. 17 ust. 3" in output
    assert records_of(office, "przydzielenie_asystenta") == []


# -- the plan's consultation with the social worker ------------------------------------------------


def plan(sprawa: str, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "plan_pracy",
        "sprawa": sprawa,
        "data_sporzadzenia": "2026-02-10",
        "okres_od": "2026-02-10",
        "okres_do": "2026-07-31",
        "diagnoza": "Zaległości w czynszu.",
        "cele": [
            {
                "cel": "Spłata zaległości w czynszu",
                "obszar": "budzet",
                "dzialania": [
                    {
                        "opis": "Plan spłaty z zarządcą",
                        "termin": "2026-03-31",
                        "odpowiedzialny": ANNA,
                    }
                ],
                "oczekiwany_rezultat": "Brak nowych zaległości",
            }
        ],
    }
    return data | changes


def test_the_plan_says_it_was_consulted_only_when_it_was(office: Path, outside: Path) -> None:
    consulted, never = "GOPS.AR.13.2026", "GOPS.AR.14.2026"
    ingest(
        office,
        outside,
        family(consulted),
        plan(consulted, data_konsultacji_z_pracownikiem_socjalnym="2026-02-09"),
        family(never),
        plan(never),
    )
    sentence = "w konsultacji z pracownikiem socjalnym"
    assert sentence in document(office, consulted, "plan_pracy_2026-02-10.docx")
    assert sentence not in document(office, never, "plan_pracy_2026-02-10.docx")
    alert = "plan pracy z rodziną z 10.02.2026 r. nie został skonsultowany z pracownikiem socjalnym"
    day = alerts_on(office, "2026-03-01")
    assert alert in day and day.count(alert) == 1 and "GOPS.AR.14.2026" in day
    assert alert not in alerts_on(office, "2026-08-01")  # no longer in force


# -- signed documents and their scans --------------------------------------------------------------


def signing(sprawa: str, name: str, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "podpisanie_dokumentu",
        "sprawa": sprawa,
        "dokument": name,
        "data": "2026-02-10",
        "podpisy": [
            {"osoba": "Ewa Kowalska", "podpis": "podpisal"},
            {
                "osoba": "Adam Kowalski",
                "podpis": "odmowa",
                "przyczyna_odmowy": "Nie zgadza się z celami planu.",
            },
            {"osoba": ANNA, "podpis": "podpisal"},
        ],
    }
    return data | changes


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_signed_document_is_frozen_and_a_new_version_goes_beside_it(
    office: Path, outside: Path
) -> None:
    case = "GOPS.AR.15.2026"
    ingest(
        office,
        outside,
        family(case),
        plan(case, data_konsultacji_z_pracownikiem_socjalnym="2026-02-09"),
    )
    folder = office / "dokumenty" / "GOPS.AR.15.2026"
    signed = folder / "plan_pracy_2026-02-10.docx"
    before = signed.read_bytes()
    output = ingest(office, outside, signing(case, "plan_pracy_2026-02-10"))
    assert records_of(office, "podpisanie_dokumentu")[0]["dokument"] == "plan_pracy_2026-02-10"
    shown = run("show", "--workspace", office, case).output
    assert (
        "podpisy 2026-02-10: Ewa Kowalska: podpisał(a); Adam Kowalski: odmówił(a) podpisu "
        f"(Nie zgadza się z celami planu.); {ANNA}: podpisał(a)" in shown
    )
    # Regenerating what says the same leaves the signed document as it is.
    result = run("generate", "--workspace", office, "plan_pracy", "--sprawa", case)
    assert "bez zmian" in result.output and signed.read_bytes() == before
    # A corrected plan makes a new version beside the signed one, and says so.
    output = ingest(
        office,
        outside,
        plan(case, data_konsultacji_z_pracownikiem_socjalnym="2026-02-09", okres_do="2026-08-31"),
    )
    assert "nowa wersja obok podpisanej; podpisana zostaje bez zmian" in output
    assert signed.read_bytes() == before
    beside = folder / "plan_pracy_2026-02-10_2.docx"
    assert "31 sierpnia 2026 r." in docx_text(beside)
    assert "31 sierpnia 2026 r." not in docx_text(signed)
    assert not (folder / "poprzednie").exists()
    # The new version is not signed: it can be regenerated in place.
    result = run("generate", "--workspace", office, "plan_pracy", "--sprawa", case)
    assert result.exit_code == 0 and "_3.docx" not in result.output


def test_a_signature_names_a_document_of_the_case(office: Path, outside: Path) -> None:
    case = "GOPS.AR.16.2026"
    ingest(office, outside, family(case))
    output = ingest(office, outside, signing(case, "kontrakt_2026-02-01.docx"), expect=1)
    assert "w sprawie nie ma dokumentu o tej nazwie" in output
    refused = signing(case, "metryczka_rodziny_2026-02-01.docx")
    refused["podpisy"][1].pop("przyczyna_odmowy")
    output = ingest(office, outside, refused, expect=1)
    assert "przy odmowie podpisu zapisz jej przyczynę" in output
    assert records_of(office, "podpisanie_dokumentu") == []


def test_a_scan_from_the_shared_folder_joins_its_document(office: Path) -> None:
    case = "GOPS.AR.17.2026"
    inbox = office / "wejscie"
    write_yaml(inbox / "metryczka.yaml", family(case))
    assert run("ingest", "--workspace", office, inbox / "metryczka.yaml").exit_code == 0
    # Named after the document, in a folder named after the case's folder in dokumenty/.
    (inbox / "GOPS.AR.17.2026").mkdir()
    scan = inbox / "GOPS.AR.17.2026" / "metryczka_rodziny_2026-02-01.pdf"
    scan.write_bytes(PDF)
    # Wrong ones: a "PDF" that is not one, a document the case does not have, no case folder.
    (inbox / "GOPS.AR.17.2026" / "kontrakt_2026-02-01.pdf").write_bytes(PDF + b"1")
    (inbox / "GOPS.AR.17.2026" / "metryczka_rodziny_2026-02-01.jpg").write_bytes(PDF + b"2")
    (inbox / "metryczka_rodziny_2026-02-01.png").write_bytes(b"\x89PNG\r\n")
    result = run(
        "ingest", "--workspace", office, *sorted(p for p in inbox.rglob("*") if p.is_file())
    )
    assert result.exit_code == 1
    stored = office / "dokumenty" / "GOPS.AR.17.2026" / "skany" / "metryczka_rodziny_2026-02-01.pdf"
    assert stored.read_bytes() == PDF
    assert not scan.exists()
    reports = {p.name: p.read_text(encoding="utf-8") for p in (office / "odrzucone").rglob("*.txt")}
    assert (
        "nie ma dokumentu kontrakt_2026-02-01.docx" in reports["kontrakt_2026-02-01.pdf.bledy.txt"]
    )
    assert "nie jest skanem w formacie" in reports["metryczka_rodziny_2026-02-01.jpg.bledy.txt"]
    assert (
        "nie wiadomo, której sprawy dotyczy skan"
        in reports["metryczka_rodziny_2026-02-01.png.bledy.txt"]
    )
    assert len(list(stored.parent.iterdir())) == 1
    shown = run("show", "--workspace", office, case).output
    assert "skan podpisanego dokumentu: skany/metryczka_rodziny_2026-02-01.pdf" in shown
    # A scanned document is frozen too: a correction goes beside it.
    write_yaml(inbox / "metryczka2.yaml", family(case, telefon="600 999 888"))
    result = run("ingest", "--workspace", office, inbox / "metryczka2.yaml")
    assert "nowa wersja obok podpisanej" in result.output
    # The archive package keeps the scan and names it in its index; erase leaves nothing.
    result = run("archive", "--workspace", office, case, "--force")
    assert result.exit_code == 0, result.output
    package = next((office / "archiwum").iterdir())
    assert (package / "data" / "dokumenty" / "skany" / stored.name).read_bytes() == PDF
    index = (package / "data" / "spis.txt").read_text(encoding="utf-8")
    assert "skan podpisanego dokumentu: skany/metryczka_rodziny_2026-02-01.pdf" in index
    result = run("erase", "--workspace", office, case, "--force", input=f"{case}\n")
    assert result.exit_code == 0, result.output
    assert not stored.exists() and not (office / "dokumenty" / "GOPS.AR.17.2026").exists()
    leftovers = [p for p in office.rglob("*") if p.is_file() and p.read_bytes().startswith(PDF)]
    assert leftovers == []  # the rejected scan for the case went too (its report named it)
    assert (office / "odrzucone" / "metryczka_rodziny_2026-02-01.png").exists()  # not its


@pytest.mark.parametrize("planted", ["skany", "poprzednie"])
def test_a_scan_and_its_earlier_version_never_leave_the_workspace(
    office: Path, outside: Path, planted: str
) -> None:
    """`skany` or `poprzednie` of a case made a link to a folder elsewhere (through the
    share): a signed scan, and the earlier one it replaces, stay in the case's folder."""
    case = "GOPS.AR.18.2026"
    inbox = office / "wejscie"
    write_yaml(inbox / "metryczka.yaml", family(case))
    assert run("ingest", "--workspace", office, inbox / "metryczka.yaml").exit_code == 0
    folder = office / "dokumenty" / "GOPS.AR.18.2026"
    (inbox / "GOPS.AR.18.2026").mkdir()
    scan = inbox / "GOPS.AR.18.2026" / "metryczka_rodziny_2026-02-01.pdf"
    scan.write_bytes(PDF)
    assert run("ingest", "--workspace", office, scan).exit_code == 0
    elsewhere = outside / "gdzie_indziej"
    elsewhere.mkdir()
    if planted == "poprzednie":
        (folder / "poprzednie").symlink_to(elsewhere, target_is_directory=True)
    else:
        (folder / "skany").rename(outside / "skany_ośrodka")
        (folder / "skany").symlink_to(elsewhere, target_is_directory=True)
    scan.write_bytes(PDF + b"%druga\n")
    assert run("ingest", "--workspace", office, scan).exit_code == 0
    assert list(elsewhere.iterdir()) == []
    for name in ("skany", "poprzednie"):
        assert not (folder / name).is_symlink()
    assert (folder / "skany" / "metryczka_rodziny_2026-02-01.pdf").read_bytes() == PDF + b"%druga\n"
