"""All of the assistant's work (issue 17), through the real command line: notes beside visits,
monitoring as a period, the register of assistants, the monthly time sheet, the statutory
half-year lines and the grant by edition.

Every figure is worked by hand in the comments next to it; boundaries are checked on both sides.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import alerts_on, docx_text, in_order, ingest, records_of, run, visit_form

ANNA, MAREK, EWA, JAN = "Anna Wiśniewska", "Marek Nowicki", "Ewa Lis", "Jan Kos"
WORKER = "Piotr Zając"

HEADING = """\
[osrodek]
nazwa = "Gminny Ośrodek Pomocy Społecznej w Rydzynie"
adres = "ul. Rynek 1, 64-130 Rydzyna"
miejscowosc = "Rydzyna"
kierownik = "Halina Sowa"
asystenci = []
"""

# Anna: an employment contract since 2024; Marek: a contract of mandate since September 2025.
REGISTER = """
[[zatrudnienie]]
asystent = "Anna Wiśniewska"
forma = "umowa_o_prace"
etat = "1"
od = 2024-01-01
koszt_miesieczny = "7850,00"

[[zatrudnienie]]
asystent = "Marek Nowicki"
forma = "umowa_zlecenie"
od = 2025-09-01
stawka_godzinowa = "45,00"
"""


def configure(ws: Path, *sections: str) -> Path:
    (ws / "asystent.toml").write_text(HEADING + "".join(sections), encoding="utf-8")
    return ws


def family(sprawa: str, asystent: str, day: str, **changes: Any) -> dict[str, Any]:
    data = {
        "formularz": "metryczka_rodziny",
        "sprawa": sprawa,
        "asystent": asystent,
        "pracownik_socjalny": WORKER,
        "data_przydzielenia": day,
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
        ],
        "problemy": ["ubostwo"],
        "instytucje": [],
    }
    return data | changes


visit = visit_form


def note(sprawa: str, day: str, rodzaj: str, start: str, **length: Any) -> dict[str, Any]:
    """A note of `rodzaj` from `start`, lasting `godzina_do=` or `minuty=`."""
    return {
        "formularz": "notatka",
        "sprawa": sprawa,
        "data": day,
        "godzina_od": start,
        "rodzaj": rodzaj,
        "uczestnicy": ["Ewa Kowalska"],
        "tresc": f"Notatka {day} {start}.",
    } | length


def closing(sprawa: str, day: str, przyczyna: str, **changes: Any) -> dict[str, Any]:
    return {
        "formularz": "zakonczenie_pracy",
        "sprawa": sprawa,
        "data_zakonczenia": day,
        "przyczyna": przyczyna,
        "podsumowanie": "Praca zakończona.",
    } | changes


def substitution(sprawa: str, asystent: str, od: str, do: str) -> dict[str, Any]:
    return {
        "formularz": "przydzielenie_asystenta",
        "sprawa": sprawa,
        "data": od,
        "rodzaj": "zastepstwo",
        "asystent": asystent,
        "od": od,
        "do": do,
        "przyczyna": "Urlop wypoczynkowy asystentki.",
    }


def csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Polish Excel needs to read UTF-8
    assert b"\r\n" in raw
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


# -- the monthly time sheet ------------------------------------------------------------------------

A, B = "GOPS.AR.1.2026", "GOPS.AR.2.2026"


def march_of_two_assistants(ws: Path, outside: Path) -> None:
    """Anna works with family A, Marek with B and substitutes Anna in A on 9-13 March."""
    configure(ws, REGISTER)
    ingest(
        ws,
        outside,
        family(A, ANNA, "2026-02-01"),
        family(B, MAREK, "2026-02-15"),
        visit(A, "2026-02-27", "10:00", "11:00"),  # February: not in the March sheet
        visit(A, "2026-03-03", "10:00", "11:15"),  # Anna 75 min
        substitution(A, MAREK, "2026-03-09", "2026-03-13"),
        visit(A, "2026-03-10", "09:00", "10:30"),  # Marek, substituting: 90 min
        note(A, "2026-03-12", "towarzyszenie", "08:00", godzina_do="11:20"),  # Marek 200 min
        visit(B, "2026-03-12", "13:00", "15:00"),  # Marek 120 min
        note(B, "2026-03-16", "telefon", "18:00", minuty=25),  # Marek 25 min
        note(A, "2026-03-20", "szkola", "12:00", godzina_do="12:30"),  # Anna again: 30 min
        note(B, "2026-03-25", "rozprawa", "09:00", godzina_do="12:20"),  # Marek 200 min
        note(B, "2026-04-01", "telefon", "09:00", minuty=10),  # April: not in the March sheet
    )


def test_the_time_sheet_counts_visits_and_notes_for_whoever_did_them(
    ws: Path, outside: Path
) -> None:
    march_of_two_assistants(ws, outside)
    result = run("ewidencja", "--workspace", ws, "--miesiac", "2026-03", "--format", "csv")
    assert result.exit_code == 0, result.output
    # Anna: 75 + 30 = 105 min = 1 godz. 45 min, 2 entries on 2 days.
    # Marek: 90 + 200 + 120 + 25 + 200 = 635 min = 10 godz. 35 min = 10,58 h, on 10, 12, 16, 25.
    assert f"{ANNA}: wpisów 2, dni pracy 2, razem 1 godz. 45 min" in result.output
    assert (
        f"{MAREK}: wpisów 5, dni pracy 4, razem 10 godz. 35 min "
        "(umowa zlecenia: potwierdzenie liczby godzin)"
    ) in result.output
    rows = csv_rows(ws / "raporty" / "ewidencja_2026-03.csv")
    assert rows == [
        [
            "Asystent rodziny",
            "Data",
            "Znak sprawy",
            "Rodzaj pracy",
            "Od",
            "Do",
            "Minuty",
            "Godziny",
        ],
        [ANNA, "2026-03-03", A, "wizyta w rodzinie", "10:00", "11:15", "75", "1,25"],
        [ANNA, "2026-03-20", A, "kontakt ze szkołą", "12:00", "12:30", "30", "0,50"],
        [ANNA, "Razem", "", "", "", "", "105", "1,75"],
        [MAREK, "2026-03-10", A, "wizyta w rodzinie", "09:00", "10:30", "90", "1,50"],
        [
            MAREK,
            "2026-03-12",
            A,
            "towarzyszenie członkowi rodziny",
            "08:00",
            "11:20",
            "200",
            "3,33",
        ],
        [MAREK, "2026-03-12", B, "wizyta w rodzinie", "13:00", "15:00", "120", "2,00"],
        [MAREK, "2026-03-16", B, "rozmowa telefoniczna", "18:00", "18:25", "25", "0,42"],
        [MAREK, "2026-03-25", B, "udział w rozprawie sądowej", "09:00", "12:20", "200", "3,33"],
        [MAREK, "Razem", "", "", "", "", "635", "10,58"],
    ]


def test_the_time_sheet_document_has_a_page_per_assistant_to_sign(ws: Path, outside: Path) -> None:
    march_of_two_assistants(ws, outside)
    result = run("ewidencja", "--workspace", ws, "--miesiac", "2026-03")
    assert result.exit_code == 0, result.output
    text = docx_text(ws / "raporty" / "ewidencja_2026-03.docx")
    mandate = "potwierdzenie liczby godzin wykonania umowy zlecenia"
    in_order(
        text,
        "Gminny Ośrodek Pomocy Społecznej w Rydzynie",
        "Ewidencja czasu pracy asystenta rodziny",
        "marzec 2026",
        ANNA,
        "umowa o pracę w zadaniowym systemie czasu pracy",
        "3.03.2026 r.",
        "wizyta w rodzinie",
        "10:00–11:15",
        "1 godz. 15 min",
        "20.03.2026 r.",
        "kontakt ze szkołą",
        "Razem: 1 godz. 45 min",
        "(data i podpis asystenta rodziny)",
        "(data i podpis kierownika ośrodka)",
        MAREK,
        "umowa zlecenia (umowa o świadczenie usług)",
        "10.03.2026 r.",
        "udział w rozprawie sądowej",
        "Razem: 10 godz. 35 min",
        mandate,
        "art. 8b ust. 1 ustawy z dnia 10 października 2002 r. o minimalnym wynagrodzeniu za pracę",
        "(data i podpis asystenta rodziny)",
    )
    assert text.count(mandate) == 1  # Anna's employment contract needs no confirmation
    assert "27.02.2026" not in text and "1.04.2026" not in text
    # One assistant's sheet alone, named after them.
    alone = run("ewidencja", "--workspace", ws, "--miesiac", "2026-03", "--asystent", MAREK)
    assert alone.exit_code == 0, alone.output
    text = docx_text(ws / "raporty" / "ewidencja_2026-03_marek-nowicki.docx")
    assert MAREK in text and ANNA not in text and mandate in text


def test_a_note_crossing_midnight_is_refused_either_way_and_leaves_no_trace(
    ws: Path, outside: Path
) -> None:
    configure(ws, REGISTER)
    ingest(ws, outside, family(A, ANNA, "2026-02-01"))
    output = ingest(
        ws,
        outside,
        note(A, "2026-03-27", "telefon", "23:30", godzina_do="00:30"),
        note(A, "2026-03-27", "telefon", "23:50", minuty=20),
        expect=1,
    )
    assert output.count("północ") >= 2, output  # each file gets its own Polish message
    assert "godzina_do" in output and "minuty" in output
    assert "Traceback" not in output
    assert records_of(ws, "notatka") == []
    assert not list((ws / "dokumenty" / A).glob("notatka*"))
    # A note that ends at 23:59 is a day's work: accepted.
    ingest(ws, outside, note(A, "2026-03-27", "telefon", "23:30", godzina_do="23:59"))
    assert [n["godzina_od"] for n in records_of(ws, "notatka")] == ["23:30"]


def test_an_assistant_outside_the_register_on_the_forms_day_is_an_error(
    ws: Path, outside: Path
) -> None:
    configure(
        ws,
        REGISTER,
        f'\n[[zatrudnienie]]\nasystent = "{EWA}"\nforma = "umowa_o_prace"\n'
        "od = 2025-01-01\ndo = 2026-04-30\n",
    )
    output = ingest(
        ws,
        outside,
        family("GOPS.AR.5.2026", EWA, "2026-05-04"),  # the day after she left
        family("GOPS.AR.6.2026", "Zofia Nowa", "2026-03-02"),  # never employed
        expect=1,
    )
    assert (
        f"w rejestrze asystentów (asystent.toml) {EWA} nie ma umowy obejmującej dzień "
        "2026-05-04 (umowy: 2025-01-01 – 2026-04-30)"
    ) in output
    assert "Zofia Nowa nie ma w rejestrze asystentów" in output
    assert records_of(ws, "metryczka_rodziny") == []
    # Her last day is still hers, and a visit after she left is refused for the family's
    # assistant of that day.
    ingest(ws, outside, family("GOPS.AR.5.2026", EWA, "2026-04-30"))
    output = ingest(ws, outside, visit("GOPS.AR.5.2026", "2026-05-04", "10:00", "11:00"), expect=1)
    assert "nie ma umowy obejmującej dzień 2026-05-04" in output
    assert records_of(ws, "protokol_wizyty") == []


# -- monitoring after the closing ------------------------------------------------------------------


def test_monitoring_runs_for_the_offices_default_and_asks_for_contacts_and_a_closing_note(
    ws: Path, outside: Path
) -> None:
    configure(ws, REGISTER, "\n[monitorowanie]\nmiesiace = 3\ndni_bez_kontaktu = 30\n")
    ingest(
        ws, outside, family(A, ANNA, "2025-10-01"), closing(A, "2026-03-31", "osiagniecie_celow")
    )
    # The closing gives no end: 31 March + 3 months = 30 June, stored with the record.
    assert records_of(ws, "zakonczenie_pracy")[0]["monitoring_do"] == "2026-06-30"
    contact = "kontakt z rodziną monitorowaną"
    # No contact since the closing: due 31 March + 30 days = 30 April; "wkrótce" from 7 days
    # before (23 April), overdue from 1 May.
    assert "rodzina jest monitorowana do 30.06.2026 r." in alerts_on(ws, "2026-04-22")
    assert contact not in alerts_on(ws, "2026-04-22")
    assert f"{contact} do 30.04.2026 r. (od zakończenia pracy)" in alerts_on(ws, "2026-04-23")
    assert "brak kontaktu z rodziną monitorowaną od 31 dni" in alerts_on(ws, "2026-05-01")
    # A phone call on 20 April moves the next contact to 20 May. A closed case takes only
    # monitoring contacts: a note that is not one is refused.
    output = ingest(
        ws,
        outside,
        note(A, "2026-04-20", "telefon", "10:00", minuty=10, monitoring=True),
        note(A, "2026-05-25", "instytucja", "09:00", minuty=15),
        expect=1,
    )
    assert "praca z tą rodziną została zakończona 2026-03-31" in output
    assert [n["data"] for n in records_of(ws, "notatka")] == ["2026-04-20"]
    assert "brak kontaktu" not in alerts_on(ws, "2026-05-01")
    assert "do 20.05.2026 r. (ostatni kontakt 20.04.2026 r.)" in alerts_on(ws, "2026-05-13")
    assert contact not in alerts_on(ws, "2026-05-12")
    assert "brak kontaktu z rodziną monitorowaną od 36 dni" in alerts_on(ws, "2026-05-26")
    # The period ended without the note that closes it.
    missing = "brak notatki kończącej monitorowanie"
    assert missing not in alerts_on(ws, "2026-06-30")
    assert missing in alerts_on(ws, "2026-07-01")
    ingest(
        ws,
        outside,
        note(
            A,
            "2026-06-29",
            "telefon",
            "11:00",
            minuty=20,
            monitoring=True,
            podsumowanie_monitorowania=True,
        ),
    )
    assert missing not in alerts_on(ws, "2026-07-01")
    assert A not in alerts_on(ws, "2026-07-01")
    # A past day keeps what held on it.
    assert "rodzina jest monitorowana do 30.06.2026 r." in alerts_on(ws, "2026-06-15")


def test_a_summary_of_monitoring_must_be_a_monitoring_contact(ws: Path, outside: Path) -> None:
    configure(ws, REGISTER)
    ingest(ws, outside, family(A, ANNA, "2025-10-01"))
    output = ingest(
        ws,
        outside,
        note(A, "2026-04-20", "telefon", "10:00", minuty=10, podsumowanie_monitorowania=True),
        expect=1,
    )
    assert "notatka kończąca monitorowanie jest kontaktem monitorującym" in output
    assert records_of(ws, "notatka") == []


def test_notes_show_in_the_case_timeline_and_the_court_letter(ws: Path, outside: Path) -> None:
    march_of_two_assistants(ws, outside)
    shown = run("show", "--workspace", ws, B)
    assert shown.exit_code == 0, shown.output
    in_order(
        shown.output,
        "Wizyty i inne kontakty",
        "udział w rozprawie sądowej",
        "rozmowa telefoniczna",
        "wizyta",
    )
    folder = ws / "dokumenty" / B
    text = docx_text(folder / "notatka_2026-03-25.docx")
    in_order(text, "Notatka służbowa", "25 marca 2026 r.", "udział w rozprawie sądowej", "09:00")
    # A second note that day is a document of its own, named with its hour.
    ingest(ws, outside, note(B, "2026-03-25", "instytucja", "14:00", minuty=30))
    assert "kontakt z instytucją" in docx_text(folder / "notatka_2026-03-25_1400.docx")
    assert "udział w rozprawie sądowej" in docx_text(folder / "notatka_2026-03-25.docx")


# -- the statutory half-year lines -----------------------------------------------------------------

# Ewa left on 30 April; Jan works for a foundation commissioned under art. 190, on 0.75 of a post.
STAFF = (
    REGISTER
    + f"""
[[zatrudnienie]]
asystent = "{EWA}"
forma = "umowa_o_prace"
od = 2025-01-01
do = 2026-04-30

[[zatrudnienie]]
asystent = "{JAN}"
forma = "umowa_o_prace"
pracodawca = "Fundacja Rodzina Razem"
etat = "0,75"
od = 2026-01-01
"""
)

C = [f"GOPS.AR.{n}.2026" for n in range(1, 8)]


def half_year(ws: Path, outside: Path) -> None:
    """Seven families; six were supported in January-June 2026."""
    configure(ws, STAFF)
    second_child = {
        "imie": "Lena",
        "nazwisko": "Kowalska",
        "data_urodzenia": "2019-05-05",
        "rola": "dziecko",
    }
    three = family(
        C[2],
        JAN,
        "2026-01-10",
        podstawa_objecia="postanowienie_sadu",
        sygnatura_postanowienia="III Nsm 77/26",
    )
    three["czlonkowie"] = [*three["czlonkowie"], second_child]
    ingest(
        ws,
        outside,
        family(C[0], ANNA, "2026-01-05"),  # new; closed 25 June, "inna" -> inne
        family(C[1], EWA, "2025-11-01"),  # closed 31 March on goals reached, monitored to 30 June
        three,  # new, court-ordered, two children
        family(C[3], MAREK, "2026-02-01"),  # new; the family withdrew on 15 May
        family(C[4], ANNA, "2026-03-01"),  # new; no cooperation, closed 10 June
        family(C[5], EWA, "2025-09-01"),  # moved away on 28 February, monitored to 31 May
        family(C[6], ANNA, "2026-07-01"),  # after the period: counted nowhere
        closing(C[0], "2026-06-25", "inna", przyczyna_opis="Rodzina objęta inną formą wsparcia."),
        closing(C[1], "2026-03-31", "osiagniecie_celow", monitoring_do="2026-06-30"),
        closing(C[3], "2026-05-15", "rezygnacja_rodziny"),
        closing(C[4], "2026-06-10", "brak_wspolpracy"),
        closing(C[5], "2026-02-28", "zmiana_miejsca_zamieszkania", monitoring_do="2026-05-31"),
    )


# Worked by hand for 1 January - 30 June 2026:
EXPECTED = {
    "1": "3",  # on 30 June: Anna, Marek, Jan (Ewa left on 30 April)
    "1a": "2",  # Anna, Jan
    "1b": "1",  # Marek
    "1c": "1",  # Jan (the foundation)
    "1d": "1,75",  # 1 (Anna) + 0,75 (Jan); Marek's mandate is no post
    "2": "6",  # families 1-6; family 7 starts on 1 July
    "2a": "1",  # family 3
    "2b": "0",  # no child placed in foster care
    "2c": "4",  # families 1, 3, 4, 5
    "2d": "7",  # one child in each of families 1-6, two in family 3
    "3": "5",  # families 1, 2, 4, 5, 6
    "3a": "1",  # family 2
    "3b": "1",  # family 4
    "3c": "1",  # family 5 (brak_wspolpracy)
    "3d": "2",  # family 1 (inna) and 6 (zmiana_miejsca_zamieszkania)
    "4": "2",  # families 2 and 6
    "5": "",  # expenses: typed in from the centre's books
    "5a": "",
}


def test_the_statutory_lines_for_a_half_year(ws: Path, outside: Path) -> None:
    half_year(ws, outside)
    args = ("report", "--workspace", ws, "--od", "2026-01-01", "--do", "2026-06-30", "--statutowe")
    result = run(*args, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = csv_rows(ws / "raporty" / "sprawozdanie_statutowe_2026-01-01_2026-06-30.csv")
    assert rows[0] == ["Nr", "Wiersz", "Wartość", "Skąd"]
    assert {row[0]: row[2] for row in rows[1:]} == EXPECTED
    sources = {row[0]: row[3] for row in rows[1:]}
    assert sources["1"] == "rejestr asystentów: umowy obejmujące ostatni dzień okresu"
    assert sources["5"] == "uzupełnij z ewidencji ośrodka"
    assert "  3d  w tym z innych przyczyn: 2" in result.output
    # The same lines as a document, line by line.
    result = run(*args)
    assert result.exit_code == 0, result.output
    text = docx_text(ws / "raporty" / "sprawozdanie_statutowe_2026-01-01_2026-06-30.docx")
    in_order(
        text,
        "Gminny Ośrodek Pomocy Społecznej w Rydzynie",
        "1 stycznia 2026 r.",
        "30 czerwca 2026 r.",
        "1\nAsystenci rodziny – stan na ostatni dzień okresu (osoby)\n3",
        "1d\nEtaty asystentów zatrudnionych na podstawie umowy o pracę",
        "1,75",
        "3b\nw tym ze względu na rezygnację rodziny ze współpracy\n1",
        "4\nRodziny monitorowane po zakończeniu pracy z asystentem rodziny\n2",
        "5\nWydatki na wynagrodzenia",
        "uzupełnij z ewidencji ośrodka",
    )


def test_without_a_register_the_assistant_lines_are_left_to_fill_in(
    ws: Path, outside: Path
) -> None:
    configure(ws)
    ingest(ws, outside, family(A, ANNA, "2026-01-05"))
    args = ("--od", "2026-01-01", "--do", "2026-06-30", "--statutowe", "--format", "csv")
    result = run("report", "--workspace", ws, *args)
    assert result.exit_code == 0, result.output
    rows = {r[0]: r for r in csv_rows(next((ws / "raporty").glob("sprawozdanie_statutowe_*")))}
    assert rows["1"][2] == "" and "brak rejestru asystentów" in rows["1"][3]
    assert rows["1d"][2] == ""
    assert rows["2"][2] == "1"  # the families are still counted from the records


def test_the_office_edits_the_lines_for_a_new_edition_of_the_form(ws: Path, outside: Path) -> None:
    half_year(ws, outside)
    own = ws / "szablony" / "sprawozdanie_statutowe.toml"
    own.parent.mkdir(exist_ok=True)
    own.write_text(
        'formularz = "WRiSPZ-G"\nedycja = "2027"\n'
        '[przyczyny]\nzmiana_miejsca_zamieszkania = "rezygnacja"\n'
        '[[wiersz]]\nnr = "7"\ntekst = "Rodziny zakończone – rezygnacja"\n'
        'miara = "zakonczone:rezygnacja"\n'
        '[[wiersz]]\nnr = "8"\ntekst = "Liczba spotkań zespołu"\n',
        encoding="utf-8",
    )
    args = ("--od", "2026-01-01", "--do", "2026-06-30", "--statutowe", "--format", "csv")
    result = run("report", "--workspace", ws, *args)
    assert result.exit_code == 0, result.output
    rows = csv_rows(ws / "raporty" / "sprawozdanie_statutowe_2026-01-01_2026-06-30.csv")
    # Family 4 withdrew, family 6 moved away (now mapped to withdrawal); "inna" stays "inne".
    assert rows[1:] == [
        [
            "7",
            "Rodziny zakończone – rezygnacja",
            "2",
            "sprawozdania z zakończenia pracy z datą w okresie, według przyczyny",
        ],
        ["8", "Liczba spotkań zespołu", "", "uzupełnij z ewidencji ośrodka"],
    ]
    own.write_text('[[wiersz]]\nnr = "1"\ntekst = "Asystenci"\nmiara = "asystentki"\n', "utf-8")
    result = run("report", "--workspace", ws, *args)
    assert result.exit_code != 0
    assert "wiersz 1 (1) ma nieznaną miarę „asystentki”" in result.output
    assert "Traceback" not in result.output


def test_the_office_is_reminded_of_its_reports_naming_the_period(ws: Path, outside: Path) -> None:
    configure(ws, REGISTER)
    ingest(ws, outside, family(A, ANNA, "2026-01-05"))
    half = "sprawozdanie rzeczowo-finansowe z zadań wspierania rodziny za I półrocze 2026 r."
    assert half not in alerts_on(ws, "2026-06-30")  # the period has not ended
    first = alerts_on(ws, "2026-07-01")
    assert f"informacja: ośrodek: {half} (1.01.2026 r. – 30.06.2026 r.) do 31.07.2026 r." in first
    assert f"informacja: ośrodek: {half}" in alerts_on(ws, "2026-07-16")
    assert f"wkrótce: ośrodek: {half}" in alerts_on(ws, "2026-07-17")  # 14 days before
    assert half not in alerts_on(ws, "2026-08-01")
    second = "za II półrocze 2026 r. (1.07.2026 r. – 31.12.2026 r.) do 31.01.2027 r."
    assert second in alerts_on(ws, "2027-01-02")
    yearly = "roczne sprawozdanie z realizacji zadań wspierania rodziny dla rady gminy za 2026 r."
    assert yearly not in alerts_on(ws, "2027-02-28")  # more than 30 days before 31 March
    assert f"{yearly} do 31.03.2027 r. (art. 179 ust. 1 ustawy)" in alerts_on(ws, "2027-03-01")


# -- the grant by edition --------------------------------------------------------------------------

GRANT_STAFF = """
[[zatrudnienie]]
asystent = "Anna Wiśniewska"
forma = "umowa_o_prace"
etat = "0,5"
od = 2023-01-01
koszt_miesieczny = "4000"

[[zatrudnienie]]
asystent = "Marek Nowicki"
forma = "umowa_zlecenie"
od = 2023-06-01
stawka_godzinowa = "40"
"""


def marek_works(ws: Path, outside: Path) -> None:
    """Marek's hours in 2024: 130 in January, 100 in February, 120 in March, none in April
    (ten-hour days: 13, 10 and 12 visits, the last of March's hours as a note)."""
    configure(ws, GRANT_STAFF)
    forms: list[dict[str, Any]] = [family(B, MAREK, "2023-12-01")]
    forms += [visit(B, f"2024-01-{d:02d}", "08:00", "18:00") for d in range(2, 15)]
    forms += [visit(B, f"2024-02-{d:02d}", "08:00", "18:00") for d in range(1, 11)]
    forms += [visit(B, f"2024-03-{d:02d}", "08:00", "18:00") for d in range(1, 12)]
    forms.append(note(B, "2024-03-29", "instytucja", "08:00", minuty=600))
    ingest(ws, outside, *forms)


def grant_rows(ws: Path, name: str) -> dict[tuple[str, str], list[str]]:
    rows = csv_rows(ws / "raporty" / name)
    assert rows[0][:3] == ["Asystent rodziny", "Miesiąc", "Forma zatrudnienia"]
    return {(r[0], r[1]): r[2:] for r in rows[1:]}


def test_the_2024_grant_shares_costs_and_pays_the_supplement_for_months_over_120_hours(
    ws: Path, outside: Path
) -> None:
    marek_works(ws, outside)
    args = ("dotacja", "--workspace", ws, "--edycja", "2024", "--od", "2024-01-01")
    result = run(*args, "--do", "2024-04-30")
    assert result.exit_code == 0, result.output
    rows = grant_rows(ws, "dotacja_2024_2024-01-01_2024-04-30.csv")
    # Anna, half a post at 4000 zł a month: 30 % = 1200 zł; supplement 200 zł x 0,5 = 100 zł.
    for month in ("2024-01", "2024-02", "2024-03", "2024-04"):
        days = {"2024-01": "31", "2024-02": "29", "2024-03": "31", "2024-04": "30"}[month]
        assert rows[(ANNA, month)] == [
            "umowa o pracę",
            "0,5",
            days,
            "0,00",
            "tak",
            "4000,00",
            "1200,00",
            "100,00",
        ]
    # Marek at 40 zł an hour: cost = hours x 40, 30 % of it; 200 zł from 120 hours a month.
    assert rows[(MAREK, "2024-01")][3:] == ["130,00", "tak", "5200,00", "1560,00", "200,00"]
    assert rows[(MAREK, "2024-02")][3:] == ["100,00", "nie", "4000,00", "1200,00", "0,00"]
    assert rows[(MAREK, "2024-03")][3:] == ["120,00", "tak", "4800,00", "1440,00", "200,00"]
    assert rows[(MAREK, "2024-04")][3:] == ["0,00", "nie", "0,00", "0,00", "0,00"]
    # Totals: Anna 4 x 1200 = 4800 and 4 x 100 = 400; Marek 1560 + 1200 + 1440 = 4200 and 400.
    assert rows[(ANNA, "Razem")][-2:] == ["4800,00", "400,00"]
    assert rows[(MAREK, "Razem")][-2:] == ["4200,00", "400,00"]
    assert rows[("Razem", "")][-2:] == ["9000,00", "800,00"]
    said = result.output.replace("\xa0", " ")
    assert (
        "Razem: dofinansowanie kosztów 9 000,00 zł, dodatki 800,00 zł, łącznie 9 800,00 zł" in said
    )


def test_an_offices_own_edition_caps_costs_per_post_and_the_supplement_per_assistant(
    ws: Path, outside: Path
) -> None:
    marek_works(ws, outside)
    own = ws / "szablony" / "dotacje.toml"
    own.parent.mkdir(exist_ok=True)
    own.write_text(
        '[edycja.2030]\nnazwa = "Program testowy"\nudzial_kosztow = "80"\n'
        'limit_kosztow_miesiecznie = "2500"\ndodatek_miesieczny = "150"\n'
        'dodatek_limit = "300"\nprog_godzin = 120\n',
        encoding="utf-8",
    )
    args = ("dotacja", "--workspace", ws, "--edycja", "2030", "--od", "2024-01-01")
    result = run(*args, "--do", "2024-05-31")
    assert result.exit_code == 0, result.output
    rows = grant_rows(ws, "dotacja_2030_2024-01-01_2024-05-31.csv")
    # Anna: 80 % of 4000 = 3200, capped at 2500 x 0,5 post = 1250 a month, 5 months = 6250;
    # supplement 150 x 0,5 = 75 a month, 5 x 75 = 375 capped at 300 (May gets 0).
    assert [rows[(ANNA, f"2024-0{m}")][-2:] for m in range(1, 6)] == [
        ["1250,00", "75,00"],
        ["1250,00", "75,00"],
        ["1250,00", "75,00"],
        ["1250,00", "75,00"],
        ["1250,00", "0,00"],
    ]
    # Marek: January 80 % of 5200 = 4160, capped at 2500 (a month worked: a full post);
    # February 100 h, not a month worked: 3200 capped at 2500 x 100/120 = 2083,33;
    # March 80 % of 4800 = 3840 capped at 2500; April and May nothing.
    # Supplements: 150 in January and March = 300, the limit exactly.
    assert rows[(MAREK, "2024-01")][-2:] == ["2500,00", "150,00"]
    assert rows[(MAREK, "2024-02")][-2:] == ["2083,33", "0,00"]
    assert rows[(MAREK, "2024-03")][-2:] == ["2500,00", "150,00"]
    assert rows[(MAREK, "Razem")][-2:] == ["7083,33", "300,00"]
    assert rows[("Razem", "")][-2:] == ["13333,33", "600,00"]
    assert "Program testowy" in result.output


def test_a_grant_edition_the_file_does_not_know_is_a_polish_error(ws: Path) -> None:
    configure(ws, GRANT_STAFF)
    args = ("--od", "2024-01-01", "--do", "2024-12-31")
    result = run("dotacja", "--workspace", ws, "--edycja", "1999", *args)
    assert result.exit_code != 0
    assert "nie ma edycji 1999 (są: 2014, 2024, 2025)" in result.output
    configure(ws)  # no register: the grant cannot be worked out
    result = run("dotacja", "--workspace", ws, "--edycja", "2024", *args)
    assert result.exit_code != 0
    assert "Dotację liczy się z rejestru asystentów" in result.output


@pytest.mark.parametrize("bad", ['etat = "1,5"', 'forma = "etat"', 'od = "wczoraj"'])
def test_a_wrong_register_entry_is_named_in_polish(ws: Path, bad: str) -> None:
    entry = {"etat": 'etat = "1"', "forma": 'forma = "umowa_o_prace"', "od": "od = 2026-01-01"}
    entry[bad.split(" ")[0]] = bad
    configure(ws, f'\n[[zatrudnienie]]\nasystent = "{ANNA}"\n' + "\n".join(entry.values()) + "\n")
    result = run("alerts", "--workspace", ws)
    assert result.exit_code != 0
    assert "zatrudnienie" in result.output and "Traceback" not in result.output
