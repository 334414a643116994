"""Reports, deadlines and grants (issue 6), checked against figures computed by hand.

The workspace holds five cases with known dates, visits and closings. The period under report is
the first half of 2026. Every expected number below is worked out in the comments next to it.

    T/1/2026  Anna Wiśniewska  2025-11-01 - open; 2 children
              visits 2025-12-20 (60 min, before the period), 2026-01-10 (90), 2026-03-05 (60)
              plan 2025-11-10..2026-05-31, contract 2025-11-10..2026-02-28, assessment 2026-05-01
    T/2/2026  Anna Wiśniewska  2026-02-01 - closed 2026-04-30 (brak współpracy); court order; 1 child
              visit 2026-02-05 (135 min), monitoring visit 2026-06-10 (45), monitoring until 07-31
    T/3/2026  Marek Nowicki    2026-01-15 - closed 2026-06-30 (osiągnięcie celów); 3 children
              visit 2026-01-20 (60 min) made by Anna Wiśniewska as a substitute,
              visit 2026-06-25 (90 min) by Marek Nowicki
    T/4/2026  Marek Nowicki    2026-07-05 - starts after the period
    T/5/2025  Anna Wiśniewska  2025-03-01 - closed 2025-12-15, before the period
    T/6/2025  Marek Nowicki    2025-06-01 - closed 2026-01-01, the period's first day (resigned)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import FAMILY, VISIT, docx_text, form, run, write_yaml

from records.kept_facts import all_facts
from records.render import content_hash
from records.reports import build_report
from records.settings import load_workspace
from records.store import open_store

ANNA, MAREK = "Anna Wiśniewska", "Marek Nowicki"
PERIOD = ("--od", "2026-01-01", "--do", "2026-06-30")


def family(sprawa: str, asystent: str, start: str, children: int, **extra: Any) -> dict:
    members = [FAMILY["czlonkowie"][0]] + [
        {
            "imie": f"Dziecko{n}",
            "nazwisko": "Kowalski",
            "data_urodzenia": f"201{n}-01-0{n + 1}",
            "rola": "dziecko",
        }
        for n in range(children)
    ]
    return form(
        FAMILY,
        sprawa=sprawa,
        asystent=asystent,
        data_przydzielenia=start,
        czlonkowie=members,
        **extra,
    )


def visit(sprawa: str, day: str, start: str, end: str, areas: list[str], **extra: Any) -> dict:
    return form(
        VISIT,
        sprawa=sprawa,
        data=day,
        godzina_od=start,
        godzina_do=end,
        obszary_wsparcia=areas,
        ustalenia=[],
        **extra,
    )


def closing(sprawa: str, day: str, reason: str, **extra: Any) -> dict:
    return {
        "formularz": "zakonczenie_pracy",
        "sprawa": sprawa,
        "data_zakonczenia": day,
        "przyczyna": reason,
        "podsumowanie": "Praca zakończona.",
        **extra,
    }


def period_form(kind: str, sprawa: str, made: str, start: str, end: str) -> dict:
    if kind == "plan_pracy":
        return {
            "formularz": kind,
            "sprawa": sprawa,
            "data_sporzadzenia": made,
            "okres_od": start,
            "okres_do": end,
            "cele": [
                {
                    "cel": "Uporządkowanie budżetu",
                    "dzialania": [
                        {"opis": "Zeszyt wydatków", "odpowiedzialny": "matka", "termin": end}
                    ],
                    "oczekiwany_rezultat": "Brak zadłużenia",
                }
            ],
        }
    return {
        "formularz": kind,
        "sprawa": sprawa,
        "data_zawarcia": made,
        "okres_od": start,
        "okres_do": end,
        "cel": "Współpraca",
        "zobowiazania_rodziny": ["Obecność na spotkaniach"],
        "zobowiazania_asystenta": ["Wsparcie"],
    }


FORMS = [
    family("T/1/2026", ANNA, "2025-11-01", 2),
    visit("T/1/2026", "2025-12-20", "10:00", "11:00", ["zdrowie"]),
    visit("T/1/2026", "2026-01-10", "10:00", "11:30", ["budzet", "szkola"]),
    visit("T/1/2026", "2026-03-05", "09:00", "10:00", ["budzet"]),
    period_form("plan_pracy", "T/1/2026", "2025-11-10", "2025-11-10", "2026-05-31"),
    period_form("kontrakt", "T/1/2026", "2025-11-10", "2025-11-10", "2026-02-28"),
    {
        "formularz": "ocena_okresowa",
        "sprawa": "T/1/2026",
        "data": "2026-05-01",
        "okres_od": "2025-11-01",
        "okres_do": "2026-04-30",
        "realizacja_celow": [{"cel": "Budżet", "stopien": "czesciowo"}],
        "wnioski": "Kontynuować.",
    },
    family(
        "T/2/2026",
        ANNA,
        "2026-02-01",
        1,
        podstawa_objecia="postanowienie_sadu",
        sygnatura_postanowienia="III Nsm 12/26",
    ),
    visit("T/2/2026", "2026-02-05", "12:00", "14:15", ["rodzicielstwo"]),
    closing("T/2/2026", "2026-04-30", "brak_wspolpracy", monitoring_do="2026-07-31"),
    visit("T/2/2026", "2026-06-10", "10:00", "10:45", [], monitoring="tak"),
    family("T/3/2026", MAREK, "2026-01-15", 3),
    visit("T/3/2026", "2026-01-20", "08:00", "09:00", ["sprawy_urzedowe"], asystent=ANNA),
    visit("T/3/2026", "2026-06-25", "15:00", "16:30", ["zatrudnienie"]),
    closing("T/3/2026", "2026-06-30", "osiagniecie_celow"),
    family("T/4/2026", MAREK, "2026-07-05", 0),
    family("T/5/2025", ANNA, "2025-03-01", 1),
    closing("T/5/2025", "2025-12-15", "zmiana_miejsca_zamieszkania"),
    family("T/6/2025", MAREK, "2025-06-01", 0),
    closing("T/6/2025", "2026-01-01", "rezygnacja_rodziny"),
]

# Anna: families T/1 and T/2; visits 01-10 (90), 03-05 (60), 02-05 (135), 06-10 (45, monitoring)
# and 01-20 in Marek's case (60): 5 visits, 390 min. Marek: T/3; visit 06-25 (90).
EXPECTED = {
    ANNA: {
        "Rodziny wspierane w okresie": "2",
        "Rodziny nowe": "1",
        "Rodziny, z którymi zakończono pracę": "1",
        "Zakończenie: brak współpracy rodziny": "1",
        "Zakończenie: osiągnięcie celów": "0",
        "Rodziny zobowiązane przez sąd": "1",
        "Dzieci w rodzinach": "3",
        "Wizyty": "5",
        "W tym wizyty monitorujące": "1",
        "Godziny pracy bezpośredniej": "6,50",
        "Plany pracy w mocy": "1",
        "Kontrakty w mocy": "1",
        "Oceny okresowe": "1",
        "Najwięcej rodzin jednocześnie": "2",  # T/1 and T/2 from 02-01
        "Wizyty i notatki – budżet domowy": "2",
        "Wizyty i notatki – nauka szkolna dzieci": "1",
        "Wizyty i notatki – kompetencje rodzicielskie": "1",
        "Wizyty i notatki – sprawy urzędowe": "1",
        "Wizyty i notatki – zdrowie i higiena": "0",  # the 2025-12-20 visit is before the period
        "Wizyty i notatki – zatrudnienie i kwalifikacje": "0",
    },
    MAREK: {
        "Rodziny wspierane w okresie": "2",  # T/3 and T/6 (closed on the first day)
        "Rodziny nowe": "1",
        "Rodziny, z którymi zakończono pracę": "2",  # on the period's first and last day
        "Zakończenie: osiągnięcie celów": "1",
        "Zakończenie: rezygnacja rodziny ze współpracy": "1",
        "Zakończenie: brak współpracy rodziny": "0",
        "Rodziny zobowiązane przez sąd": "0",
        "Dzieci w rodzinach": "3",
        "Wizyty": "1",
        "W tym wizyty monitorujące": "0",
        "Godziny pracy bezpośredniej": "1,50",
        "Plany pracy w mocy": "0",
        "Kontrakty w mocy": "0",
        "Oceny okresowe": "0",
        "Najwięcej rodzin jednocześnie": "1",  # T/6 no longer counts on its closing day
        "Wizyty i notatki – zatrudnienie i kwalifikacje": "1",
        "Wizyty i notatki – sprawy urzędowe": "0",  # that visit was Anna's
    },
    "Ewa Lis": {
        "Rodziny wspierane w okresie": "0",
        "Wizyty": "0",
        "Godziny pracy bezpośredniej": "0,00",
    },
    "Razem": {
        "Rodziny wspierane w okresie": "4",
        "Rodziny nowe": "2",
        "Rodziny, z którymi zakończono pracę": "3",
        "Zakończenie: rezygnacja rodziny ze współpracy": "1",
        "Zakończenie: brak współpracy rodziny": "1",
        "Zakończenie: osiągnięcie celów": "1",
        "Zakończenie: zmiana miejsca zamieszkania": "0",  # T/5 closed in 2025
        "Rodziny zobowiązane przez sąd": "1",
        "Dzieci w rodzinach": "6",
        "Wizyty": "6",
        "W tym wizyty monitorujące": "1",
        "Godziny pracy bezpośredniej": "8,00",  # 390 + 90 = 480 min
        "Plany pracy w mocy": "1",
        "Kontrakty w mocy": "1",
        "Oceny okresowe": "1",
        "Najwięcej rodzin jednocześnie": "3",  # T/1, T/2, T/3 from 02-01
        "Wizyty i notatki – budżet domowy": "2",
        "Wizyty i notatki – zatrudnienie i kwalifikacje": "1",
    },
}


@pytest.fixture(scope="module")
def report_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("raporty") / "ws"
    assert run("init", root).exit_code == 0
    settings = root / "asystent.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "asystenci = []", f'asystenci = ["{ANNA}", "{MAREK}", "Ewa Lis"]'
        ),
        encoding="utf-8",
    )
    inbox = root.parent / "formularze"
    inbox.mkdir()
    files = [write_yaml(inbox / f"{n:02d}.yaml", data) for n, data in enumerate(FORMS)]
    result = run("ingest", "--workspace", root, *files)
    assert result.exit_code == 0, result.output
    return root


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Polish Excel needs the UTF-8 BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert header[0] == "Asystent rodziny"
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_csv_report_has_every_figure_computed_by_hand(report_ws: Path) -> None:
    result = run("report", "--workspace", report_ws, *PERIOD, "--format", "csv")
    assert result.exit_code == 0, result.output
    path = report_ws / "raporty" / "sprawozdanie_2026-01-01_2026-06-30.csv"
    table = read_csv(path)
    assert list(table) == [ANNA, MAREK, "Ewa Lis", "Razem"]
    for who, expected in EXPECTED.items():
        for header, value in expected.items():
            assert table[who][header] == value, (who, header)
    assert b"\r\n" in path.read_bytes() and b";" in path.read_bytes()


def test_a_stray_copy_of_a_case_file_is_not_a_second_family(
    report_ws: Path, tmp_path: Path
) -> None:
    """A copy of a case file left beside it (a sync conflict, a backup made by hand) holds the
    same case number under another file name: it is not counted as a second family, and
    `check` names it. Left alone, the family and its visits were counted twice."""
    root = tmp_path / "ws"
    shutil.copytree(report_ws, root)
    ws = load_workspace(root)
    od, do = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    before = build_report(ws, all_facts(open_store(ws)), od, do, today=dt.date(2026, 12, 3))
    folder = root / "dane" / "sprawy"
    data = json.loads((folder / "t_1_2026.json").read_text(encoding="utf-8"))
    data["rekordy"] = {
        number: record
        for number, record in data["rekordy"].items()
        if record["dane"].get("data") != "2026-03-05"  # the copy lacks the March visit
    }
    (folder / "t_1_2026 (kopia).json").write_text(json.dumps(data), encoding="utf-8")
    report = build_report(ws, all_facts(open_store(ws)), od, do, today=dt.date(2026, 12, 3))
    lines = [(line.wizyty, line.minuty) for line in report.families if line.sprawa == "T/1/2026"]
    assert lines == [(2, 150)]  # 10 January (90 min) and 5 March (60 min): the case's own file
    assert report.total == before.total and report.families == before.families
    listed = run("families", "--workspace", root).output
    assert listed.count("T/1/2026") == 1
    checked = run("check", "--workspace", root)
    assert checked.exit_code == 1
    assert (
        "Plik dane/sprawy/t_1_2026 (kopia).json zawiera sprawę T/1/2026, której plikiem jest "
        "t_1_2026.json. Program go pomija: to kopia" in checked.output
    )
    (folder / "t_1_2026.json").unlink()  # the copy alone: it is to be renamed, and says so
    assert "zmień jego nazwę na t_1_2026.json" in run("check", "--workspace", root).output


def test_same_period_gives_the_same_report(report_ws: Path) -> None:
    first = run("report", "--workspace", report_ws, *PERIOD)
    assert first.exit_code == 0, first.output
    path = report_ws / "raporty" / "sprawozdanie_2026-01-01_2026-06-30.docx"
    before = path.read_bytes()
    again = run("report", "--workspace", report_ws, *PERIOD)
    assert "bez zmian" in again.output
    assert path.read_bytes() == before
    # Regenerated from scratch, the content is the same too.
    path.unlink()
    assert run("report", "--workspace", report_ws, *PERIOD).exit_code == 0
    assert content_hash(path.read_bytes()) == content_hash(before)


def test_docx_report_states_figures_families_and_deadlines(report_ws: Path) -> None:
    result = run(
        "report",
        "--workspace",
        report_ws,
        *PERIOD,
        "--dotacja",
        "16 202,25",
        "--koszt-miesieczny",
        "2500",
    )
    assert result.exit_code == 0, result.output
    path = report_ws / "raporty" / "sprawozdanie_2026-01-01_2026-06-30.docx"
    text = docx_text(path).replace("\u00a0", " ")
    lines = text.splitlines()

    def value_after(label: str) -> str:
        return lines[lines.index(label) + 1]

    assert "za okres od 1 stycznia 2026 r. do 30 czerwca 2026 r." in text
    assert value_after("Rodziny wspierane w okresie") == "4"
    assert value_after("w tym rodziny nowe") == "2"
    assert value_after("Rodziny, z którymi zakończono pracę") == "3"
    assert value_after("Rodziny zobowiązane przez sąd do pracy z asystentem") == "1"
    assert value_after("Dzieci w rodzinach wspieranych") == "6"
    assert value_after("Wizyty (wejścia do rodzin)") == "6, w tym monitorujących: 1"
    assert value_after("Czas pracy bezpośredniej z rodzinami (wizyty)") == "8 godz."
    assert value_after("Czas pracy z rodzinami razem") == "8 godz."  # no notes here
    assert value_after("Najwięcej rodzin jednocześnie") == "3"
    assert value_after("osiągnięcie celów") == "1"
    assert value_after("brak współpracy rodziny") == "1"
    assert value_after("budżet domowy") == "2"
    # Per assistant: name, families, new, closed, children, visits, notes, time, monitored, peak.
    anna = lines.index(ANNA, lines.index("Najwięcej naraz"))
    assert lines[anna : anna + 10] == [
        ANNA,
        "2",
        "1",
        "1",
        "3",
        "5",
        "0",
        "6 godz. 30 min",
        "1",
        "2",
    ]
    # The list of families: exactly the four supported in the period.
    for case in ("T/1/2026", "T/2/2026", "T/3/2026", "T/6/2025"):
        assert case in lines
    assert "T/4/2026" not in text and "T/5/2025" not in text
    # Deadlines on the period's last day, overdue first and by date.
    assert "I. Terminy wymagające uwagi (stan na dzień 30 czerwca 2026 r.)" in lines
    overdue = [
        line for line in lines if line.startswith(("kontrakt obow", "brak wizyty", "plan pracy"))
    ]
    assert overdue == [
        "kontrakt obowiązywał do 28.02.2026 r. i nie ma nowego; 122 dni po terminie",
        "brak wizyty u rodziny od 117 dni (ostatnia wizyta 5.03.2026 r.)",
        "plan pracy z rodziną obowiązywał do 31.05.2026 r. i nie ma nowego; 30 dni po terminie",
    ]
    assert (
        "praca zakończona 30.04.2026 r.; rodzina jest monitorowana do 31.07.2026 r. "
        "(zostało 31 dni)" in lines
    )
    assert "Dotacja 16 202,25 zł (słownie: szesnaście tysięcy dwieście dwa złote" in text
    assert "6 pełnych miesięcy i 1 202,25 zł na część kolejnego miesiąca" in text
    footer = docx.Document(str(path)).sections[0].footer.paragraphs[0].text
    assert footer == "Sprawozdanie z pracy asystenta rodziny za okres 1.01.2026 r. – 30.06.2026 r."


def test_report_for_one_assistant(report_ws: Path) -> None:
    result = run(
        "report",
        "--workspace",
        report_ws,
        *PERIOD,
        "--asystent",
        "marek nowicki",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    path = report_ws / "raporty" / "sprawozdanie_2026-01-01_2026-06-30_marek-nowicki.csv"
    table = read_csv(path)
    assert list(table) == [MAREK]
    for header, value in EXPECTED[MAREK].items():
        assert table[MAREK][header] == value, header
    # Marek's deadlines only: none of Anna's cases.
    assert "T/1/2026" not in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--od", "2026-07-01", "--do", "2026-06-30"), 2, "--od"),
        (
            ("--od", "2026-13-01", "--do", "2026-06-30"),
            2,
            "Data „2026-13-01” nie istnieje w kalendarzu",
        ),
        (("--od", "2026-13", "--do", "2026-06-30"), 2, "RRRR-MM-DD"),
        ((*PERIOD, "--asystent", "Marek Nowicky"), 1, "Czy chodziło o „Marek Nowicki”"),
        ((*PERIOD, "--dotacja", "1000"), 2, "--koszt-miesieczny"),
        ((*PERIOD, "--dotacja", "dużo", "--koszt-miesieczny", "2500"), 2, "nie jest kwotą"),
    ],
)
def test_report_refuses_wrong_options(
    report_ws: Path, args: tuple, code: int, message: str
) -> None:
    reports = set((report_ws / "raporty").iterdir())
    result = run("report", "--workspace", report_ws, *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert set((report_ws / "raporty").iterdir()) == reports


def alert_lines(ws: Path, day: str) -> list[str]:
    result = run("alerts", "--workspace", ws, "--na-dzien", day)
    assert result.exit_code == 0, result.output
    return result.output.replace("\u00a0", " ").splitlines()


def test_alerts_on_a_day_in_february(report_ws: Path) -> None:
    # T/1: last visit 01-10, 41 days; contract ends 02-28, 8 days away. T/3: last visit 01-20.
    # T/2: last visit 02-05, 15 days: not yet due. Nobody has an assessment due (first by 05-01).
    # T/1's plan of 2025-11-10, in force, gives no date of consulting the social worker.
    assert alert_lines(report_ws, "2026-02-20") == [
        "Terminy na dzień 20.02.2026 r. (po terminie: 3, wkrótce: 1):",
        f"  ✘ po terminie: T/1/2026 ({ANNA}): plan pracy z rodziną z 10.11.2025 r. nie został "
        "skonsultowany z pracownikiem socjalnym (art. 15 ust. 1 pkt 1 ustawy)",
        f"  ✘ po terminie: T/1/2026 ({ANNA}): brak wizyty u rodziny od 41 dni "
        "(ostatnia wizyta 10.01.2026 r.)",
        f"  ✘ po terminie: T/3/2026 ({MAREK}): brak wizyty u rodziny od 31 dni "
        "(ostatnia wizyta 20.01.2026 r.)",
        f"  ! wkrótce: T/1/2026 ({ANNA}): kontrakt obowiązuje do 28.02.2026 r.; przygotuj nowy",
    ]


def test_assessment_deadline_is_six_calendar_months(report_ws: Path) -> None:
    # T/1's assessment of 2026-05-01 is due again on 2026-11-01: due that day, overdue the next.
    on_time = [line for line in alert_lines(report_ws, "2026-11-01") if "oceny" in line]
    assert on_time == [
        f"  ! wkrótce: T/1/2026 ({ANNA}): termin okresowej oceny sytuacji rodziny: 1.11.2026 r. "
        "(ostatnia ocena okresowa 1.05.2026 r.)"
    ]
    late = [line for line in alert_lines(report_ws, "2026-11-02") if "oceny" in line]
    assert late == [
        f"  ✘ po terminie: T/1/2026 ({ANNA}): brak okresowej oceny sytuacji rodziny od ponad "
        "6 miesięcy (ostatnia ocena okresowa 1.05.2026 r.); termin minął 1.11.2026 r., 1 dzień temu"
    ]


def test_alerts_without_anything_due(ws: Path, tmp_path: Path) -> None:
    result = run("alerts", "--workspace", ws)
    assert result.exit_code == 0
    assert "brak przekroczonych i zbliżających się" in result.output


def test_more_than_fifteen_families_at_once(ws: Path, tmp_path: Path) -> None:
    files = [
        write_yaml(
            tmp_path / f"m{n}.yaml",
            family(f"L/{n}/2026", ANNA, f"2026-03-{n:02d}", 1),
        )
        for n in range(1, 17)
    ]
    files.append(
        write_yaml(
            tmp_path / "end.yaml",
            closing("L/1/2026", "2026-03-20", "inna", przyczyna_opis="przeprowadzka"),
        )
    )
    assert run("ingest", "--workspace", ws, *files).exit_code == 0
    # 03-16: 16 families open at once; 03-20: L/1 closed, 15 left, within the limit.
    over = [line for line in alert_lines(ws, "2026-03-16") if "jednocześnie" in line]
    assert over == [
        f"  ✘ po terminie: {ANNA}: asystent prowadzi jednocześnie 16 rodzin (stan na 16.03.2026 r.); "
        "ustawa pozwala najwyżej na 15 (art. 15 ust. 4 ustawy o wspieraniu rodziny i systemie "
        "pieczy zastępczej)"
    ]
    assert not [line for line in alert_lines(ws, "2026-03-20") if "jednocześnie" in line]
    # The report for March finds the peak inside the period even though it ended by the 31st.
    result = run("report", "--workspace", ws, "--od", "2026-03-01", "--do", "2026-03-31")
    assert "jednocześnie 16 rodzin (stan na 16.03.2026 r.)" in result.output.replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("kwota", "koszt", "expected"),
    [
        # Ostróda 2013 (DOMAIN.md): 16 202,25 zł at 2 500 zł a month.
        (
            "16202.25",
            "2500",
            "pokrywa 6,48 miesiąca pracy asystenta rodziny przy koszcie 2 500,00 zł miesięcznie: 6 pełnych miesięcy i 1 202,25 zł na część kolejnego miesiąca.",
        ),
        # The 9 months Ostróda asked for: 22 500 zł.
        (
            "22 500,00 zł",
            "2500",
            "pokrywa 9,00 miesiąca pracy asystenta rodziny przy koszcie 2 500,00 zł miesięcznie: 9 pełnych miesięcy.",
        ),
        ("5000", "2500", "2 pełne miesiące."),
        ("2600", "2500", "1 pełny miesiąc i 100,00 zł na część kolejnego miesiąca."),
    ],
)
def test_dotacja_counts_months_of_work(kwota: str, koszt: str, expected: str) -> None:
    result = run("dotacja", "--kwota", kwota, "--koszt-miesieczny", koszt)
    assert result.exit_code == 0, result.output
    assert expected in result.output.replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("kwota", "koszt", "message"),
    [
        ("16202.255", "2500", "dwa miejsca po przecinku"),
        ("-5", "2500", "dodatnia"),
        ("100", "0", "większy od zera"),
        ("NaN", "2500", "--kwota: „NaN” nie jest kwotą"),
        ("1e400", "1", "--kwota: kwota musi być dodatnia i mniejsza niż miliard"),  # not rounded
        ("100", "1e-400", "--koszt-miesieczny: kwota może mieć najwyżej dwa miejsca"),
    ],
)
def test_dotacja_refuses_wrong_amounts(kwota: str, koszt: str, message: str) -> None:
    result = run("dotacja", "--kwota", kwota, "--koszt-miesieczny", koszt)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_name_typed_as_a_formula_stays_text_in_the_csv(ws: Path, tmp_path: Path) -> None:
    sheet = write_yaml(tmp_path / "m.yaml", family("F/1/2026", '=HYPERLINK("x")', "2026-03-02", 1))
    assert run("ingest", "--workspace", ws, sheet).exit_code == 0
    assert run("report", "--workspace", ws, *PERIOD, "--format", "csv").exit_code == 0
    table = read_csv(ws / "raporty" / "sprawozdanie_2026-01-01_2026-06-30.csv")
    assert list(table) == ['\'=HYPERLINK("x")', "Razem"]


def test_the_printed_summary_gives_the_documents_working_time(tmp_path: Path) -> None:
    """The line `report` prints names the same working time as the document's "razem" row
    (visits and notes), and the visits' part as its "(wizyty)" row: it once printed the
    visits' time alone as "czas pracy", which the document and the web call something else."""
    assert run("demo", tmp_path / "demo").exit_code == 0
    result = run(
        "report", "--workspace", tmp_path / "demo", "--od", "2026-01-01", "--do", "2026-06-30"
    )
    assert result.exit_code == 0, result.output
    lines = docx_text(tmp_path / "demo" / "raporty" / "sprawozdanie_2026-01-01_2026-06-30.docx")
    lines = lines.replace("\u00a0", " ").splitlines()
    total = lines[lines.index("Czas pracy z rodzinami razem") + 1]
    visits = lines[lines.index("Czas pracy bezpośredniej z rodzinami (wizyty)") + 1]
    assert total != visits  # the demo's families have notes
    printed = result.output.replace("\u00a0", " ")
    assert f"czas pracy z rodzinami: {total} (w tym wizyty: {visits})" in printed
