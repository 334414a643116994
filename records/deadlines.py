"""Case facts -> the legal and practical deadlines that are due or overdue on a given day.

The rules (docs/raporty.md explains each with its legal basis):
- an assistant works with more than 15 families at once (art. 15 ust. 4 of the Act);
- a family has had no periodic assessment for more than six months (art. 15 ust. 1 pkt 15);
- the family's plan or contract has passed its end date and no newer one is in force;
- an open case has had no visit for 30 days;
- a closed case is being monitored (information, with the end of monitoring), has had no
  monitoring contact for `[monitorowanie] dni_bez_kontaktu` days, or its monitoring ended without
  a note ending it;
- the work with a family is suspended (information, with the end of the suspension);
- consent, reports to courts and plans not consulted (issue 16);
- the office's own reports: the half-year statutory report (by 31 July and 31 January, art. 176
  pkt 6) and the annual report to the council (by 31 March, art. 179 ust. 1): `office_alerts`.

Every alert goes to whoever works with the family on the day it is about (a substitute during a
substitution); the caseload counts, for each day and assistant, the families that assistant
works with that day.

Only what is dated on or before the day counts, so the alerts for a past day never change when
later forms arrive.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import msgspec

from records.facts import DAY, CaseFacts, Period, add_months
from records.polish import date_short

MAX_FAMILIES = 15  # art. 15 ust. 4 of the Act (20 before 2015)
ASSESSMENT_EVERY_MONTHS = 6  # art. 15 ust. 1 pkt 15
MAX_DAYS_WITHOUT_VISIT = 30
SOON = dt.timedelta(days=14)  # "wkrótce": a deadline within two weeks
VISIT_SOON = dt.timedelta(days=7)
MONITORING_CONTACT_DAYS = 30  # asystent.toml [monitorowanie] dni_bez_kontaktu
OFFICE_NOTICE = dt.timedelta(days=30)  # the office's own reports are announced a month ahead

URGENT = "pilne"  # a child's safety: before everything else
OVERDUE = "po_terminie"
DUE_SOON = "wkrotce"
INFO = "informacja"
LEVELS = {URGENT: "pilne", OVERDUE: "po terminie", DUE_SOON: "wkrótce", INFO: "informacja"}


class Alert(msgspec.Struct, frozen=True, gc=False):
    """One deadline. A struct, not a dataclass: an office's list holds thousands, and a frozen
    dataclass takes fifteen times as long to make."""

    level: str  # URGENT, OVERDUE, DUE_SOON or INFO
    kind: str  # stable code: liczba_rodzin, ocena_okresowa, plan_pracy, kontrakt, wizyta, …
    sprawa: str  # "" for an assistant's caseload
    asystent: str
    deadline: dt.date
    text: str

    def for_template(self) -> dict[str, object]:
        return {
            "poziom": LEVELS[self.level],
            "rodzaj": self.kind,
            "sprawa": self.sprawa,
            "asystent": self.asystent,
            "termin": self.deadline,
            "opis": self.text,
        }


def alerts(
    cases: list[CaseFacts],
    day: dt.date,
    since: dt.date | None = None,
    *,
    contact_every: int = MONITORING_CONTACT_DAYS,
) -> list[Alert]:
    """Deadlines due or overdue on `day`; a caseload over the limit is looked for since `since`.

    Each alert goes to whoever works with the family on `day` (a substitute during a
    substitution). A suspended case has one informational alert and no deadlines; a closed case
    is monitored."""
    found = _caseload(cases, since or day, day)
    for case in cases:
        if case.opened > day:
            continue
        if not case.closed_by(day):
            found += _consent(case, day) + _court_reports(case, day)
        if case.start is None or case.start > day:
            continue
        if not case.closed_by(day) or case.monitored_on(day):
            found += _interventions(case, day)
        if case.suspended_on(day):
            found += _suspension(case, day)
        elif case.open_on(day):
            found += _assessment(case, day)
            found += _period(case, day, "plan_pracy", case.plans, "plan pracy z rodziną")
            found += _period(case, day, "kontrakt", case.contracts, "kontrakt")
            found += _consultation(case, day)
            found += _visit(case, day)
        else:
            found += _monitoring(case, day, contact_every)
    return by_urgency(found)


_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def by_urgency(found: list[Alert]) -> list[Alert]:
    """Urgent first, then overdue, soon, information; within a level by deadline."""
    return sorted(found, key=lambda a: (_RANK[a.level], a.deadline, a.sprawa, a.kind))


def caseload_peak(
    cases: list[CaseFacts], first: dt.date, last: dt.date, name: str | None = None
) -> tuple[int, dt.date]:
    """The most families `name` worked with at once between two days (everyone's when None),
    and the first day it happened: substitutions count for the substitute on their days only;
    suspended and monitored families for nobody (SPEC, art. 15 ust. 4)."""
    changes: dict[dt.date, int] = defaultdict(int)
    for case in cases:
        for start, end in case.stretches(name):
            low, high = max(start, first), min(end or last, last)
            if high >= low:
                changes[low] += 1
                changes[high + DAY] -= 1
    best, best_day, running = 0, first, 0
    for change_day in sorted(changes):
        running += changes[change_day]
        if running > best:
            best, best_day = running, change_day
    return best, best_day


def over_the_limit(
    cases: list[CaseFacts], name: str | None, first: dt.date, last: dt.date
) -> str | None:
    """What to tell whoever just gave `name` a family, if from `first` to `last` they work with
    more than 15 at once (art. 15 ust. 4): said when the form is accepted, not only in alerts.
    The form is accepted all the same: the record of what happened is kept."""
    if not name:
        return None
    mine = [c for c in cases if any(a.asystent == name for a in c.assignments)]
    peak, day = caseload_peak(mine, first, max(first, last), name)
    if peak <= MAX_FAMILIES:
        return None
    return (
        f"{name} prowadzi w dniu {date_short(day)} jednocześnie {peak} rodzin; ustawa pozwala "
        f"najwyżej na {MAX_FAMILIES} (art. 15 ust. 4 ustawy o wspieraniu rodziny i systemie "
        "pieczy zastępczej). Formularz przyjęto; rozważ przydzielenie rodziny innemu asystentowi."
    )


def _caseload(cases: list[CaseFacts], first: dt.date, last: dt.date) -> list[Alert]:
    mine: dict[str, list[CaseFacts]] = {}  # a caseload counts assignments only
    for case in cases:
        for name in {a.asystent for a in case.assignments if a.asystent}:
            mine.setdefault(name, []).append(case)
    found = []
    for name in sorted(mine):
        peak, on = caseload_peak(mine[name], first, last, name)
        if peak > MAX_FAMILIES:
            found.append(
                Alert(
                    OVERDUE,
                    "liczba_rodzin",
                    "",
                    name,
                    on,
                    f"asystent prowadzi jednocześnie {peak} rodzin (stan na {date_short(on)}); "
                    f"ustawa pozwala najwyżej na {MAX_FAMILIES} (art. 15 ust. 4 ustawy o "
                    "wspieraniu rodziny i systemie pieczy zastępczej)",
                )
            )
    return found


def _assessment(case: CaseFacts, day: dt.date) -> list[Alert]:
    if case.start is None:
        return []
    made = [a.data for a in case.assessments if a.data <= day]
    since = max(made) if made else case.start
    deadline = add_months(since, ASSESSMENT_EVERY_MONTHS)
    what = (
        f"ostatnia ocena okresowa {date_short(since)}"
        if made
        else (f"bez oceny okresowej od przydzielenia asystenta {date_short(since)}")
    )
    if day > deadline:
        return [
            _alert(
                OVERDUE,
                "ocena_okresowa",
                case,
                day,
                deadline,
                f"brak okresowej oceny sytuacji rodziny od ponad 6 miesięcy ({what}); "
                f"termin minął {date_short(deadline)}, {_days(day - deadline)} temu",
            )
        ]
    if deadline - day <= SOON:
        return [
            _alert(
                DUE_SOON,
                "ocena_okresowa",
                case,
                day,
                deadline,
                f"termin okresowej oceny sytuacji rodziny: {date_short(deadline)} ({what})",
            )
        ]
    return []


def _period(
    case: CaseFacts, day: dt.date, kind: str, periods: tuple[Period, ...], name: str
) -> list[Alert]:
    made = [p for p in periods if p.made <= day]
    if not made:
        return []
    end = max(p.end for p in made)
    if end < day:
        return [
            _alert(
                OVERDUE,
                kind,
                case,
                day,
                end,
                f"{name} obowiązywał do {date_short(end)} i nie ma nowego; "
                f"{_days(day - end)} po terminie",
            )
        ]
    in_force = any(p.start <= day <= p.end for p in made)
    if in_force and end - day <= SOON:
        return [
            _alert(
                DUE_SOON,
                kind,
                case,
                day,
                end,
                f"{name} obowiązuje do {date_short(end)}; przygotuj nowy",
            )
        ]
    return []


def _visit(case: CaseFacts, day: dt.date) -> list[Alert]:
    if case.start is None:
        return []
    held = _last_visit(case, day)
    resumed = [a.start for a in case.assignments if a.start <= day and a.rodzaj == "wznowienie"]
    last = max([*held, case.start, *resumed])
    deadline = last + dt.timedelta(days=MAX_DAYS_WITHOUT_VISIT)
    if held and last == held[0]:
        what = f"ostatnia wizyta {date_short(last)}"
    elif resumed and last == max(resumed):
        what = f"bez wizyty od wznowienia pracy {date_short(last)}"
    else:
        what = f"bez wizyty od przydzielenia asystenta {date_short(last)}"
    if day > deadline:
        return [
            _alert(
                OVERDUE,
                "wizyta",
                case,
                day,
                deadline,
                f"brak wizyty u rodziny od {_days(day - last)} ({what})",
            )
        ]
    if deadline - day <= VISIT_SOON:
        return [
            _alert(
                DUE_SOON,
                "wizyta",
                case,
                day,
                deadline,
                f"{MAX_DAYS_WITHOUT_VISIT} dni bez wizyty minie {date_short(deadline)} ({what})",
            )
        ]
    return []


def _last_visit(case: CaseFacts, day: dt.date) -> list[dt.date]:
    """The day of the last home visit (not a monitoring one) on or before `day`, if any: the
    visits are in date order, so from the end (an office asks this for every open case)."""
    for visit in reversed(case.visits):
        if visit.data <= day and not visit.monitoring:
            return [visit.data]
    return []


def _consent(case: CaseFacts, day: dt.date) -> list[Alert]:
    """A case on the social worker's request works with the family's consent (art. 8 ust. 3);
    after a withdrawal the work is to be closed."""
    if case.basis_on(day) != "wniosek_pracownika_socjalnego":
        return []
    given = case.consent_on(day)
    if given is None:
        since = case.requested or case.start or day
        return [
            _alert(
                OVERDUE,
                "zgoda",
                case,
                day,
                since,
                "brak pisemnej zgody rodziny na współpracę z asystentem rodziny (art. 8 ust. 3 "
                "ustawy): wyślij formularz zgoda_rodziny",
            )
        ]
    if not given.given:
        return [
            _alert(
                OVERDUE,
                "rezygnacja",
                case,
                day,
                given.data,
                f"rodzina zrezygnowała ze współpracy {date_short(given.data)}; zakończ pracę "
                "z rodziną (zakończenie pracy z przyczyną „rezygnacja rodziny ze współpracy”)",
            )
        ]
    return []


def _court_reports(case: CaseFacts, day: dt.date) -> list[Alert]:
    """Each report a court expects (art. 109 § 4 KRO): soon in its last two weeks (its own day
    included), overdue after it, until a report for that order is sent."""
    found = []
    for deadline in case.court_deadlines(day + SOON, day):
        if deadline.filed is not None and deadline.filed <= day:
            continue
        if day > deadline.due:
            found.append(
                _alert(
                    OVERDUE,
                    "sprawozdanie_dla_sadu",
                    case,
                    day,
                    deadline.due,
                    f"sprawozdanie dla sądu (sygn. akt {deadline.sygnatura}) było do "
                    f"{date_short(deadline.due)}; {_days(day - deadline.due)} po terminie",
                )
            )
        else:
            when = "dziś" if deadline.due == day else f"do {date_short(deadline.due)}"
            found.append(
                _alert(
                    DUE_SOON,
                    "sprawozdanie_dla_sadu",
                    case,
                    day,
                    deadline.due,
                    f"sprawozdanie dla sądu (sygn. akt {deadline.sygnatura}): termin {when}",
                )
            )
    return found


def _consultation(case: CaseFacts, day: dt.date) -> list[Alert]:
    """The plan is made in consultation with the social worker (art. 15 ust. 1 pkt 1)."""
    return [
        _alert(
            OVERDUE,
            "konsultacja_planu",
            case,
            day,
            plan.made,
            f"plan pracy z rodziną z {date_short(plan.made)} nie został skonsultowany "
            "z pracownikiem socjalnym (art. 15 ust. 1 pkt 1 ustawy)",
        )
        for plan in case.plans
        if plan.made <= day and plan.start <= day <= plan.end and not plan.consulted
    ]


def _suspension(case: CaseFacts, day: dt.date) -> list[Alert]:
    stretch = case.assignment_on(day)
    until = stretch.end if stretch and stretch.end else day
    return [
        _alert(
            INFO,
            "zawieszenie",
            case,
            day,
            until,
            f"praca z rodziną jest zawieszona do {date_short(until)}",
        )
    ]


def _monitoring(case: CaseFacts, day: dt.date, contact_every: int) -> list[Alert]:
    """The monitoring period after the closing (art. 15 ust. 1 pkt 16): its end, a contact at
    least every `contact_every` days, and a note that ends it."""
    until = case.monitoring_until
    if case.closed is None or until is None:
        return []
    ended = case.monitoring_closed_by(day)
    if ended is not None:
        return []
    if day > until:
        return [
            _alert(
                OVERDUE,
                "monitoring_koniec",
                case,
                day,
                until,
                f"monitorowanie rodziny zakończyło się {date_short(until)}; brak notatki "
                "kończącej monitorowanie (notatka z monitoring: tak i "
                "podsumowanie_monitorowania: tak)",
            )
        ]
    found = [
        _alert(
            INFO,
            "monitoring",
            case,
            day,
            until,
            f"praca zakończona {date_short(case.closed)}; rodzina jest monitorowana do "
            f"{date_short(until)} (zostało {_days(until - day)})",
        )
    ]
    contacts = case.monitoring_contacts(day)
    last = max([case.closed, *contacts])
    due = last + dt.timedelta(days=contact_every)
    since = f"ostatni kontakt {date_short(last)}" if contacts else "od zakończenia pracy"
    if day > due:
        found.append(
            _alert(
                OVERDUE,
                "monitoring_kontakt",
                case,
                day,
                due,
                f"brak kontaktu z rodziną monitorowaną od {_days(day - last)} ({since}; "
                f"kontakt co najmniej co {contact_every} dni)",
            )
        )
    elif due - day <= VISIT_SOON and due <= until:
        found.append(
            _alert(
                DUE_SOON,
                "monitoring_kontakt",
                case,
                day,
                due,
                f"kontakt z rodziną monitorowaną do {date_short(due)} ({since})",
            )
        )
    return found


def _interventions(case: CaseFacts, day: dt.date) -> list[Alert]:
    """After an intervention (art. 15 ust. 1 pkt 12): urgent until a visit or note follows it,
    and again once its check day has passed with no contact from that day on."""
    found = []
    for item in case.interventions:
        if item.data > day:
            continue
        since = f"interwencja z {date_short(item.data)}"
        after, checked = case.follow_up(item, day)
        if not after:
            found.append(
                _alert(
                    URGENT,
                    "interwencja",
                    case,
                    day,
                    item.check_by,
                    f"{since}: brak wizyty ani notatki po interwencji; sprawdź bezpieczeństwo "
                    f"dziecka (termin sprawdzenia {date_short(item.check_by)})",
                )
            )
        elif not checked:
            if day > item.check_by:
                found.append(
                    _alert(
                        URGENT,
                        "interwencja_sprawdzenie",
                        case,
                        day,
                        item.check_by,
                        f"{since}: minął termin ponownego sprawdzenia sytuacji dziecka "
                        f"({date_short(item.check_by)}), a od tego dnia nie było wizyty ani "
                        "notatki",
                    )
                )
            elif item.check_by - day <= VISIT_SOON:
                found.append(
                    _alert(
                        DUE_SOON,
                        "interwencja_sprawdzenie",
                        case,
                        day,
                        item.check_by,
                        f"{since}: ponowne sprawdzenie sytuacji dziecka do "
                        f"{date_short(item.check_by)}",
                    )
                )
    return found


def office_alerts(day: dt.date) -> list[Alert]:
    """The office's reports of the Act, in the 30 days before their deadline (and after their
    period): informational first, "wkrótce" in the last two weeks. Nobody's case: they go to
    management."""
    year = day.year
    due = [
        # (deadline, period start, period end, what)
        (dt.date(year, 1, 31), dt.date(year - 1, 7, 1), dt.date(year - 1, 12, 31), "half"),
        (dt.date(year, 7, 31), dt.date(year, 1, 1), dt.date(year, 6, 30), "half"),
        (dt.date(year, 3, 31), dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31), "year"),
    ]
    found = []
    for deadline, first, last, what in due:
        if not (last < day <= deadline and deadline - day <= OFFICE_NOTICE):
            continue
        period = f"{date_short(first)} – {date_short(last)}"
        if what == "half":
            half = "I" if first.month == 1 else "II"
            kind, text = (
                "sprawozdanie_statutowe",
                f"sprawozdanie rzeczowo-finansowe z zadań wspierania rodziny za {half} półrocze "
                f"{first.year} r. ({period}) do {date_short(deadline)} (art. 176 pkt 6 ustawy; "
                f"asystent report --od {first.isoformat()} --do {last.isoformat()} --statutowe)",
            )
        else:
            kind, text = (
                "sprawozdanie_roczne",
                f"roczne sprawozdanie z realizacji zadań wspierania rodziny dla rady gminy za "
                f"{first.year} r. do {date_short(deadline)} (art. 179 ust. 1 ustawy)",
            )
        level = DUE_SOON if deadline - day <= SOON else INFO
        found.append(Alert(level, kind, "", "", deadline, text))
    return found


def _alert(
    level: str, kind: str, case: CaseFacts, day: dt.date, deadline: dt.date, text: str
) -> Alert:
    """An alert of a case, for whoever works with the family on `day`."""
    found = case.assignment_on(day)
    who = ((found.asystent or found.regular) if found else None) or case.asystent
    return Alert(level, kind, case.sprawa, who, deadline, text)


def _days(delta: dt.timedelta) -> str:
    days = delta.days
    return "1 dzień" if days == 1 else f"{days} dni"
