"""Case facts -> "Sprawozdanie z pracy asystenta rodziny" for a period, as .docx or .csv.

Every figure comes from stored records (docs/raporty.md defines each one), and nothing depends on
the time the report is made: the same period gives the same report. The .docx comes from the
`sprawozdanie` template like every other document; the .csv is for spreadsheets (UTF-8 with BOM,
semicolons, Polish headers, as Polish Excel expects).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec
from defusedcsv import csv

from records import codes
from records.deadlines import Alert, alerts, caseload_peak
from records.errors import NotFoundError, UsageError
from records.facts import CaseFacts, cases_by_assistant
from records.fsutil import atomic_write
from records.polish import hours_decimal
from records.settings import Workspace
from records.staff import Register, known_names

if TYPE_CHECKING:
    from records.grant import Coverage

TEMPLATE = "sprawozdanie"
TITLE = "Sprawozdanie z pracy asystenta rodziny"
TOTAL = "Razem"


@dataclass
class Figures:
    """The report's figures for one assistant, or for everyone (`TOTAL`)."""

    asystent: str
    rodziny: int = 0
    nowe: int = 0
    zakonczone: int = 0
    przyczyny: Counter[str] = field(default_factory=Counter)
    z_postanowienia_sadu: int = 0
    z_dziecmi_w_pieczy: int = 0  # a child in foster care on some day of the period
    powroty: int = 0  # children back home from foster care in the period
    interwencje: int = 0
    dzieci: int = 0
    wizyty: int = 0
    wizyty_monitorujace: int = 0
    minuty: int = 0
    notatki: int = 0
    notatki_monitorujace: int = 0
    minuty_notatek: int = 0
    monitorowane: int = 0
    dni_pracy: int = 0
    plany: int = 0
    kontrakty: int = 0
    oceny: int = 0
    obszary: Counter[str] = field(default_factory=Counter)
    najwiecej_rodzin: int = 0
    podstawy: Counter[str] = field(default_factory=Counter)  # supported families by legal basis
    wnioski: int = 0
    zgody: int = 0
    rezygnacje: int = 0
    sprawozdania_sadowe: int = 0
    sprawozdania_po_terminie: int = 0
    sprawozdania_zalegle: int = 0

    def copy_as(self, label: str) -> Figures:
        """A copy under another label, its counters copied too: four times faster than
        `copy.deepcopy`, once for each of an office's assistants."""
        copied = copy.copy(self)
        copied.asystent = label
        for name, value in vars(self).items():
            if isinstance(value, Counter):
                setattr(copied, name, Counter(value))
        return copied

    def for_template(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values["przyczyny"] = _labelled(self.przyczyny, codes.PRZYCZYNA_ZAKONCZENIA)
        values["obszary"] = _labelled(self.obszary, codes.OBSZARY_WSPARCIA)
        values["podstawy"] = _labelled(self.podstawy, BASES)
        values["minuty_razem"] = self.minuty + self.minuty_notatek
        return values


# The legal bases a family is counted by (art. 11 ust. 3 and 1a of the Act, art. 109 KRO,
# "Za życiem"), and "not given" for a fact sheet that does not say.
BASES = {**codes.PODSTAWA_OBJECIA, "": "nie podano"}


class CaseLine(msgspec.Struct, frozen=True, gc=False):
    """One family in the report's list: where its figures come from (a struct: thousands)."""

    sprawa: str
    asystent: str
    miejscowosc: str
    przydzielono: dt.date | None
    zakonczono: dt.date | None
    przyczyna: str | None
    dzieci: int
    wizyty: int
    minuty: int


@dataclass
class Report:
    od: dt.date
    do: dt.date
    asystent: str | None
    as_of: dt.date  # the day the deadlines are checked on: the period's end, or today
    per_assistant: list[Figures]
    total: Figures
    families: list[CaseLine]
    alerts: list[Alert]
    grant: Coverage | None = None

    def context(self, ws: Workspace) -> dict[str, Any]:
        """What the `sprawozdanie` template receives (docs/szablony.md)."""
        return {
            "osrodek": msgspec.structs.asdict(ws.settings.osrodek),
            "tytul": TITLE,
            "okres": {"od": self.od, "do": self.do},
            "asystent": self.asystent,
            "na_dzien": self.as_of,
            "alerty": [a.for_template() for a in self.alerts],
            "razem": self.total.for_template(),
            "asystenci": [f.for_template() for f in self.per_assistant],
            "rodziny": [
                {
                    **msgspec.structs.asdict(line),
                    "przyczyna": codes.PRZYCZYNA_ZAKONCZENIA.get(line.przyczyna or "", ""),
                }
                for line in self.families
            ],
            "dotacja": self.grant.for_template() if self.grant else None,
        }


def build_report(
    ws: Workspace,
    cases: list[CaseFacts],
    od: dt.date,
    do: dt.date,
    *,
    asystent: str | None = None,
    today: dt.date,
    grant: Coverage | None = None,
) -> Report:
    if od > do:
        raise UsageError("Początek okresu (--od) musi być nie późniejszy niż koniec (--do).")
    if asystent is not None:
        asystent = known_assistant(asystent, ws, cases)
    work = _work_done(cases, od, do, asystent)
    names = _assistants(ws, cases, od, do, work.by_author) if asystent is None else [asystent]
    mine = cases_by_assistant(cases)
    per_assistant = [
        _court_figures(
            _figures(name, mine.get(name, []), od, do, only=name, work=work.by_author),
            mine.get(name, []),
            od,
            do,
            min(do, today),
        )
        for name in names
    ]
    as_of = min(do, today)
    counted = cases if asystent is None else mine.get(asystent, [])
    total = _court_figures(
        _figures(asystent or TOTAL, counted, od, do, only=asystent, work=work.by_author),
        counted,
        od,
        do,
        as_of,
    )
    found = alerts(cases, as_of, since=od, contact_every=ws.settings.monitorowanie.dni_bez_kontaktu)
    if asystent is not None:
        found = [a for a in found if a.asystent == asystent]
    families = [
        _case_line(case, od, do, asystent, done)
        for case, done in zip(cases, work.by_case, strict=True)
        if case.worked_with(asystent, od, do)
    ]
    return Report(od, do, asystent, as_of, per_assistant, total, families, found, grant)


def known_assistant(name: str, ws: Workspace, cases: list[CaseFacts]) -> str:
    """The name as the office spells it (any letter case), or NotFoundError with a hint."""
    known = set(known_names(ws.settings))
    known |= {a.asystent for c in cases for a in c.assignments if a.asystent}
    known |= {v.asystent for c in cases for v in c.visits}
    known |= {n.asystent for c in cases for n in c.notes}
    by_folded = {k.casefold(): k for k in known}
    if name.strip().casefold() in by_folded:
        return by_folded[name.strip().casefold()]
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f" Czy chodziło o „{close[0]}”?" if close else ""
    raise NotFoundError(
        f"Nie ma asystenta „{name}” ani w asystent.toml, ani w zapisanych sprawach.{hint}"
    )


def _assistants(
    ws: Workspace,
    cases: list[CaseFacts],
    od: dt.date,
    do: dt.date,
    work: dict[str | None, Figures],
) -> list[str]:
    """Everyone on the centre's list or employed in the period by its register, and anyone
    else who worked in the period: assigned, or the author of a visit or note (the authors
    `_work_done` found, not a second pass over every visit)."""
    listed = list(
        dict.fromkeys(
            [*ws.settings.osrodek.asystenci, *Register.of(ws.settings).employed_between(od, do)]
        )
    )
    names = dict.fromkeys(listed)
    for case in cases:
        for name in case.assistants_between(od, do):
            names.setdefault(name)
    for author in work:
        if author:  # None: the total
            names.setdefault(author)
    return listed + sorted(n for n in names if n not in listed)


class _Work(NamedTuple):
    """What `_work_done` found: figures by author (None: everyone's), and each family's visits
    and minutes worked (visits and notes), in the order of the cases it was given: each line
    its own, not looked up by case number."""

    by_author: dict[str | None, Figures]
    by_case: list[tuple[int, int]]


# What `_work_done` counts for each author, summed into the total.
_WORK_FIELDS = (
    "wizyty",
    "wizyty_monitorujace",
    "minuty",
    "notatki",
    "notatki_monitorujace",
    "minuty_notatek",
)


def _work_done(cases: list[CaseFacts], od: dt.date, do: dt.date, asystent: str | None) -> _Work:
    """The period's visits and notes as figures of whoever made them, and under None the sum
    of those, in one pass: a year holds tens of thousands, and the report needs them for each
    assistant and for the total, and each family's line. With `asystent` (the report of one),
    only that assistant's are counted, and None holds theirs too. Each visit is added to its
    author's figures only; areas are counted once at the end (one Counter.update, not one per
    visit)."""
    found: dict[str | None, Figures] = {}
    areas: dict[str | None, list[str]] = {}
    by_case: list[tuple[int, int]] = []

    def of(author: str) -> Figures:
        if author not in found:
            found[author], areas[author] = Figures(author), []
        return found[author]

    for case in cases:
        visits = minutes = 0
        for visit in case.visits:
            if od <= visit.data <= do and asystent in (None, visit.asystent):
                figures = of(visit.asystent)
                figures.wizyty += 1
                figures.wizyty_monitorujace += visit.monitoring
                figures.minuty += visit.minutes
                areas[visit.asystent].extend(visit.areas)
                visits += 1
                minutes += visit.minutes
        for note in case.notes:
            if od <= note.data <= do and asystent in (None, note.asystent):
                figures = of(note.asystent)
                figures.notatki += 1
                figures.notatki_monitorujace += note.monitoring
                figures.minuty_notatek += note.minutes
                areas[note.asystent].extend(note.areas)
                minutes += note.minutes
        by_case.append((visits, minutes))
    total = Figures(TOTAL)
    for author, figures in found.items():
        figures.obszary.update(areas[author])
        for name in _WORK_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        total.obszary.update(figures.obszary)
    found[None] = total
    return _Work(found, by_case)


def _figures(
    label: str,
    cases: list[CaseFacts],
    od: dt.date,
    do: dt.date,
    only: str | None,
    work: dict[str | None, Figures],
) -> Figures:
    """The figures of one assistant (`only`), or of everyone when `only` is None.

    A family counts for each assistant who worked with it on some day of the period (so a change
    of assistant in the middle gives the family to both, and `dni_pracy` splits its days between
    them); its start for the one who began, its closing for the one who closed it; visits,
    plans, contracts and assessments for whoever made them, on their days."""

    def counts(name: str | None) -> bool:
        return only is None or name == only

    # visits and notes credited to whoever made them, counted once for every figure (`work`)
    figures = (work.get(only) or Figures(label)).copy_as(label)
    for case in cases:
        requested_here = case.requested is not None and od <= case.requested <= do
        if only is None:  # a request counts before anyone works with the family
            figures.wnioski += requested_here
        if not case.worked_with(only, od, do):
            continue
        if only is not None:
            figures.wnioski += requested_here
        consents = [
            c for c in case.consents if od <= c.data <= do and counts(_holder(case, c.data))
        ]
        figures.zgody += sum(1 for c in consents if c.given)
        figures.rezygnacje += sum(1 for c in consents if not c.given)
        figures.rodziny += 1
        started = case.start
        figures.nowe += (
            started is not None and od <= started <= do and counts(case.assistant_on(started))
        )
        if case.closed is not None and od <= case.closed <= do and counts(_closer(case)):
            figures.zakonczone += 1
            figures.przyczyny[case.reason or ""] += 1
        day = _last_day_worked(case, only, od, do)
        basis = case.basis_on(day)
        figures.z_postanowienia_sadu += basis == "postanowienie_sadu"
        if only is None:  # as the statutory report counts them
            figures.z_dziecmi_w_pieczy += case.child_placed_between(od, do)
            figures.powroty += case.returns_between(od, do)
        else:  # on the assistant's own days with the family; a return on its day
            figures.z_dziecmi_w_pieczy += any(
                case.child_placed_between(first, last)
                for first, last in _days_of(case, only, od, do)
            )
            figures.powroty += sum(
                1
                for p in case.placements
                if p.end is not None and od <= p.end <= do and _holder(case, p.end) == only
            )
        figures.podstawy[basis] += 1
        figures.dzieci += case.children_on(day)
        figures.dni_pracy += case.days_worked(only, od, do)
    for case in cases:
        last_day = min(do, case.closed) if case.closed else do
        figures.interwencje += sum(
            1 for i in case.interventions if od <= i.data <= do and counts(i.asystent)
        )
        if _monitored_in(case, od, do) and counts(case.assistant_on(case.closed or do)):
            figures.monitorowane += 1
        figures.plany += sum(
            1 for p in case.plans if counts(p.asystent) and p.overlaps(od, last_day)
        )
        figures.kontrakty += sum(
            1 for p in case.contracts if counts(p.asystent) and p.overlaps(od, last_day)
        )
        figures.oceny += sum(
            1 for a in case.assessments if counts(a.asystent) and od <= a.data <= do
        )
    figures.najwiecej_rodzin = caseload_peak(cases, od, do, only)[0]
    return figures


def _monitored_in(case: CaseFacts, od: dt.date, do: dt.date) -> bool:
    """Monitored on some day of the period (from its closing day to the end of monitoring,
    or to the note that ended it)."""
    if case.closed is None or case.monitoring_until is None:
        return False
    last = min(case.monitoring_until, case.monitoring_closed_by(do) or case.monitoring_until)
    return case.closed <= do and last >= od


def _court_figures(
    figures: Figures, cases: list[CaseFacts], od: dt.date, do: dt.date, as_of: dt.date
) -> Figures:
    """Reports to courts (art. 109 § 4 KRO): sent in the period, sent after their term, and
    due in the period but not sent by `as_of` (the period's end, or today)."""
    only = None if figures.asystent == TOTAL else figures.asystent
    for case in cases:
        for letter in case.court_letters:
            who = case.assistant_on(letter.data) or case.regular_assistant_on(letter.data)
            if letter.rodzaj == "sprawozdanie" and od <= letter.data <= do and only in (None, who):
                figures.sprawozdania_sadowe += 1
        for deadline in case.court_deadlines(do, as_of):
            if not od <= deadline.due <= do:
                continue
            who = case.assistant_on(deadline.due) or case.regular_assistant_on(deadline.due)
            if only not in (None, who):
                continue
            if deadline.filed is not None and deadline.filed > deadline.due:
                figures.sprawozdania_po_terminie += 1
            if deadline.filed is None or deadline.filed > as_of:
                figures.sprawozdania_zalegle += deadline.due < as_of
    return figures


def _closer(case: CaseFacts) -> str | None:
    """Who closed the case: the one working with the family on its closing day."""
    if case.closed is None:
        return None
    return case.assistant_on(case.closed) or case.regular_assistant_on(case.closed)


def _holder(case: CaseFacts, day: dt.date) -> str | None:
    """Whose an event of `day` is (a consent, a child's return): the assistant of that day, and
    before anyone worked with the family (a consent at the request), the first assistant's."""
    on = case.assistant_on(day) or case.regular_assistant_on(day)
    if on is None and case.start is not None and day < case.start:
        return case.assistant_on(case.start)
    return on


def _days_of(
    case: CaseFacts, name: str | None, od: dt.date, do: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """The stretches of the period in which `name` (anyone: None) worked with the family, its
    closing day included."""
    found = []
    for start, end in case.stretches(name, closing_day=True):
        first, last = max(start, od), min(end or do, do)
        if first <= last:
            found.append((first, last))
    return found


def _last_day_worked(case: CaseFacts, name: str | None, od: dt.date, do: dt.date) -> dt.date:
    """The last day of the period on which `name` worked with the family (the family's
    children and legal basis are counted as of that day)."""
    return max((last for _, last in _days_of(case, name, od, do)), default=od)


def _case_line(
    case: CaseFacts, od: dt.date, do: dt.date, asystent: str | None, work: tuple[int, int]
) -> CaseLine:
    """The family's line; `work`: its visits and minutes worked in the period (`_work_done`)."""
    visits, minutes = work
    day = _last_day_worked(case, asystent, od, do)
    return CaseLine(
        sprawa=case.sprawa,
        asystent=asystent or ", ".join(case.assistants_between(od, do)),
        miejscowosc=case.sheet_on(day).town,
        przydzielono=case.start,
        zakonczono=case.closed if case.closed and case.closed <= do else None,
        przyczyna=case.reason if case.closed and case.closed <= do else None,
        dzieci=case.children_on(day),
        wizyty=visits,
        minuty=minutes,  # hours worked: visits and notes
    )


def _labelled(counter: Counter[str], vocabulary: dict[str, str]) -> list[dict[str, Any]]:
    """Every code of the vocabulary with its count, in the vocabulary's order (zeros too)."""
    return [
        {"kod": code, "nazwa": label, "liczba": counter[code]} for code, label in vocabulary.items()
    ]


# -- output --------------------------------------------------------------------------------------


def report_name(report: Report, extension: str) -> str:
    name = f"sprawozdanie_{report.od.isoformat()}_{report.do.isoformat()}"
    if report.asystent:
        from slugify import slugify  # only a report of one assistant: the office's starts faster

        name += "_" + slugify(report.asystent)
    return f"{name}.{extension}"


def write_docx(ws: Workspace, report: Report) -> tuple[Path, bool]:
    """The report as a Word document in `raporty/`; (path, False) when it was already there."""
    from records.templates import write_report  # the worker loads only for a .docx

    return write_report(ws, TEMPLATE, report.context(ws), ws.reports / report_name(report, "docx"))


CSV_HEADERS = [
    ("asystent", "Asystent rodziny"),
    ("rodziny", "Rodziny wspierane w okresie"),
    ("nowe", "Rodziny nowe"),
    ("zakonczone", "Rodziny, z którymi zakończono pracę"),
    *[(f"przyczyna:{c}", f"Zakończenie: {t}") for c, t in codes.PRZYCZYNA_ZAKONCZENIA.items()],
    ("z_postanowienia_sadu", "Rodziny zobowiązane przez sąd"),
    ("z_dziecmi_w_pieczy", "Rodziny z dziećmi w pieczy zastępczej"),
    ("powroty", "Powroty dzieci z pieczy zastępczej"),
    ("interwencje", "Interwencje"),
    ("dzieci", "Dzieci w rodzinach"),
    ("wizyty", "Wizyty"),
    ("wizyty_monitorujace", "W tym wizyty monitorujące"),
    ("godziny", "Godziny pracy bezpośredniej"),
    ("notatki", "Notatki (praca poza wizytami)"),
    ("notatki_monitorujace", "W tym kontakty monitorujące"),
    ("godziny_notatek", "Godziny pracy poza wizytami"),
    ("godziny_razem", "Godziny pracy z rodzinami razem"),
    ("monitorowane", "Rodziny monitorowane"),
    ("dni_pracy", "Dni pracy z rodzinami"),
    ("plany", "Plany pracy w mocy"),
    ("kontrakty", "Kontrakty w mocy"),
    ("oceny", "Oceny okresowe"),
    ("najwiecej_rodzin", "Najwięcej rodzin jednocześnie"),
    *[(f"podstawa:{c}", f"Podstawa: {t}") for c, t in BASES.items()],
    ("wnioski", "Wnioski o asystenta"),
    ("zgody", "Zgody rodzin"),
    ("rezygnacje", "Rezygnacje rodzin"),
    ("sprawozdania_sadowe", "Sprawozdania dla sądów"),
    ("sprawozdania_po_terminie", "W tym po terminie"),
    ("sprawozdania_zalegle", "Sprawozdania zaległe"),
    *[(f"obszar:{c}", f"Wizyty i notatki – {t}") for c, t in codes.OBSZARY_WSPARCIA.items()],
]


def csv_bytes(report: Report) -> bytes:
    """A header row, one row per assistant and a total row (the period is in the file's name);
    hours with a decimal comma, as Polish Excel reads them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for _, header in CSV_HEADERS])
    rows = report.per_assistant if report.asystent else [*report.per_assistant, report.total]
    for figures in rows:
        writer.writerow([_csv_value(figures, key) for key, _ in CSV_HEADERS])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(figures: Figures, key: str) -> str | int:
    if key.startswith("przyczyna:"):
        return figures.przyczyny[key.removeprefix("przyczyna:")]
    if key.startswith("obszar:"):
        return figures.obszary[key.removeprefix("obszar:")]
    if key.startswith("podstawa:"):
        return figures.podstawy[key.removeprefix("podstawa:")]
    if key == "godziny":
        return hours_decimal(figures.minuty)
    if key == "godziny_notatek":
        return hours_decimal(figures.minuty_notatek)
    if key == "godziny_razem":
        return hours_decimal(figures.minuty + figures.minuty_notatek)
    return getattr(figures, key)


def write_csv(ws: Workspace, report: Report) -> tuple[Path, bool]:
    data = csv_bytes(report)
    path = ws.reports / report_name(report, "csv")
    if path.is_file() and path.read_bytes() == data:
        return path, False
    atomic_write(path, data)
    return path, True
