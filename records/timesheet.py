"""`asystent ewidencja`: an assistant's month of work, day by day, from visits and notes.

Each visit protocol and note counts for whoever did it on its day (the form's `asystent`, else
the assistant working with the family then: a substitute during a substitution). For an assistant
on a contract of mandate the sheet is the confirmation of the hours worked that the minimum wage
act asks for (art. 8b ust. 1 of the Act of 10 October 2002 on the minimum wage); the register of
assistants in asystent.toml says who that is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from defusedcsv import csv
from slugify import slugify

from records.codes import RODZAJ_NOTATKI
from records.facts import CaseFacts
from records.fsutil import atomic_write
from records.polish import hours, hours_decimal, month_year
from records.settings import Workspace
from records.staff import MANDATE, Register, employer_of, form_of

TEMPLATE = "ewidencja"
TITLE = "Ewidencja czasu pracy asystenta rodziny"
VISIT = "wizyta w rodzinie"


@dataclass(frozen=True)
class Entry:
    """One piece of work on one day."""

    data: dt.date
    sprawa: str
    rodzaj: str
    od: dt.time | None
    do: dt.time | None
    minutes: int
    monitoring: bool


@dataclass(frozen=True)
class Sheet:
    asystent: str
    first: dt.date
    last: dt.date
    entries: tuple[Entry, ...]
    forma: str  # the form of employment in words, "" when the register does not say
    pracodawca: str
    mandate: bool  # a contract of mandate on some day of the month: the sheet confirms hours

    @property
    def minutes(self) -> int:
        return sum(e.minutes for e in self.entries)

    @property
    def days(self) -> int:
        return len({e.data for e in self.entries})

    def for_template(self) -> dict[str, Any]:
        return {
            "asystent": self.asystent,
            "forma": self.forma,
            "pracodawca": self.pracodawca,
            "zlecenie": self.mandate,
            "wpisy": [
                {
                    "data": e.data,
                    "sprawa": e.sprawa,
                    "rodzaj": e.rodzaj + (" (monitorowanie)" if e.monitoring else ""),
                    "godziny": f"{e.od:%H:%M}–{e.do:%H:%M}" if e.od and e.do else "",
                    "minuty": e.minutes,
                }
                for e in self.entries
            ],
            "minuty": self.minutes,
            "dni": self.days,
            "wizyty": sum(e.rodzaj == VISIT for e in self.entries),
            "notatki": sum(e.rodzaj != VISIT for e in self.entries),
        }


def parse_month(value: str) -> tuple[dt.date, dt.date]:
    """`2026-03` -> the first and the last day of March 2026 (ValueError otherwise)."""
    year, _, month = value.partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and len(month) == 2):
        raise ValueError(value)
    first = dt.date(int(year), int(month), 1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def entries_of(cases: list[CaseFacts], first: dt.date, last: dt.date) -> dict[str, list[Entry]]:
    """Every visit and note of [first, last], by who did it."""
    found: dict[str, list[Entry]] = {}
    for case in cases:
        for visit in case.visits:
            if first <= visit.data <= last and visit.asystent:
                found.setdefault(visit.asystent, []).append(
                    Entry(
                        visit.data,
                        case.sprawa,
                        VISIT,
                        visit.start,
                        visit.end,
                        visit.minutes,
                        visit.monitoring,
                    )
                )
        for note in case.notes:
            if first <= note.data <= last and note.asystent:
                found.setdefault(note.asystent, []).append(
                    Entry(
                        note.data,
                        case.sprawa,
                        RODZAJ_NOTATKI[note.rodzaj],
                        note.start,
                        note.end,
                        note.minutes,
                        note.monitoring,
                    )
                )
    return found


def build_sheets(
    ws: Workspace,
    cases: list[CaseFacts],
    first: dt.date,
    last: dt.date,
    asystent: str | None = None,
) -> list[Sheet]:
    """One sheet per assistant with work in the month or a contract in it (an assistant on a
    contract of mandate with no hours still gets a sheet: it confirms zero)."""
    register = Register.of(ws.settings)
    worked = entries_of(cases, first, last)
    names = list(dict.fromkeys([*register.employed_between(first, last), *sorted(worked)]))
    if asystent is not None:
        names = [n for n in names if n == asystent] or [asystent]
    sheets = []
    for name in names:
        contracts = register.contracts_in(name, first, last)
        entries = sorted(worked.get(name, []), key=lambda e: (e.data, e.od or dt.time(), e.sprawa))
        sheets.append(
            Sheet(
                asystent=name,
                first=first,
                last=last,
                entries=tuple(entries),
                forma="; ".join(dict.fromkeys(form_of(c) for c in contracts)),
                pracodawca="; ".join(dict.fromkeys(employer_of(c, ws.settings) for c in contracts)),
                mandate=any(c.forma == MANDATE for c in contracts),
            )
        )
    return sheets


def context(ws: Workspace, sheets: list[Sheet], first: dt.date, last: dt.date) -> dict[str, Any]:
    """What the `ewidencja` template receives (docs/szablony.md)."""
    return {
        "osrodek": msgspec.structs.asdict(ws.settings.osrodek),
        "tytul": TITLE,
        "miesiac": month_year(first),
        "okres": {"od": first, "do": last},
        "arkusze": [s.for_template() for s in sheets],
    }


def file_name(first: dt.date, asystent: str | None, extension: str) -> str:
    name = f"ewidencja_{first:%Y-%m}"
    return f"{name}_{slugify(asystent)}.{extension}" if asystent else f"{name}.{extension}"


def write_docx(
    ws: Workspace, sheets: list[Sheet], first: dt.date, last: dt.date, asystent: str | None
) -> tuple[Path, bool]:
    from records.templates import write_report  # the worker loads only for a .docx

    path = ws.reports / file_name(first, asystent, "docx")
    return write_report(ws, TEMPLATE, context(ws, sheets, first, last), path)


CSV_HEADERS = [
    "Asystent rodziny",
    "Data",
    "Znak sprawy",
    "Rodzaj pracy",
    "Od",
    "Do",
    "Minuty",
    "Godziny",
]


def csv_bytes(sheets: list[Sheet]) -> bytes:
    """One row per piece of work and a total row per assistant; UTF-8 with a BOM, `;`, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for sheet in sheets:
        for e in sheet.entries:
            writer.writerow(
                [
                    sheet.asystent,
                    e.data.isoformat(),
                    e.sprawa,
                    e.rodzaj + (" (monitorowanie)" if e.monitoring else ""),
                    f"{e.od:%H:%M}" if e.od else "",
                    f"{e.do:%H:%M}" if e.do else "",
                    e.minutes,
                    hours_decimal(e.minutes),
                ]
            )
        writer.writerow(
            [sheet.asystent, "Razem", "", "", "", "", sheet.minutes, hours_decimal(sheet.minutes)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(ws: Workspace, sheets: list[Sheet], first: dt.date, asystent: str | None) -> Path:
    path = ws.reports / file_name(first, asystent, "csv")
    data = csv_bytes(sheets)
    if not (path.is_file() and path.read_bytes() == data):
        atomic_write(path, data)
    return path


def summary(sheet: Sheet) -> str:
    """`Anna Wiśniewska: 14 wpisów w 9 dniach, 21 godz. 30 min` for the command line."""
    return (
        f"{sheet.asystent}: wpisów {len(sheet.entries)}, dni pracy {sheet.days}, razem "
        f"{hours(sheet.minutes)}"
    )
