"""The dated facts of one case: what held from when to when. Reports, deadlines, the web's access
rule and documents all ask these, never the records themselves.

A case is not "the newest form of each kind" but a history (SPEC "The life of a case"):
- who works with the family: the fact sheet's assistant from `data_przydzielenia`, then each
  `przydzielenie_asystenta` (a change from a date, a substitution or a suspension for a period,
  a resumption); kept as `Assignment` stretches that cover the case's time without gaps;
- the fact sheet in force on a day (an update holds from its `data_aktualizacji`): address,
  members, social worker, legal basis;
- the closing, and the monitoring period after it;
- visits, notes, plans, contracts and assessments, each credited to whoever did it on its day.

`CaseFacts` is small and holds no form models, so a page or a report over every case of an office
keeps one per case (`FactsCache`). It is built by `records.case.Case.facts`.

Every fact is a frozen msgspec struct: typed, compared and hashed like a frozen dataclass, made
at import in a fraction of the time (a command reading the office starts faster) and decoded
from saved facts faster. They hold only dates, numbers, text and tuples of other facts, so they
can never be part of a reference cycle: `gc=False` keeps the garbage collector from scanning
the hundreds of thousands of them an office holds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
import threading
from collections.abc import Callable, Iterable

import msgspec

from records.identity import case_order

ADULT_AGE = 18
DAY = dt.timedelta(days=1)


class Assignment(msgspec.Struct, frozen=True, gc=False):
    """A stretch of the case's time with one state of work, from `start` to `end` (both included;
    `end` None: until something changes).

    `asystent`: who works with the family then (None: the work is suspended); `regular`: the
    assistant who returns after a substitution (the same as `asystent` otherwise); `rodzaj`: what
    made it (`metryczka`, or a code of `przydzielenie_asystenta`)."""

    start: dt.date
    end: dt.date | None
    asystent: str | None
    regular: str | None
    rodzaj: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class AssignmentEvent(msgspec.Struct, frozen=True, gc=False):
    """One `przydzielenie_asystenta`, as the timeline needs it (`order`: arrival)."""

    rodzaj: str
    od: dt.date
    do: dt.date | None
    asystent: str | None
    order: int


class Member(msgspec.Struct, frozen=True, gc=False):
    name: str
    born: dt.date
    rola: str

    def adult_on(self, day: dt.date) -> bool:
        """Adults and children are told apart by age on the day, not by `rola` (SPEC)."""
        return day >= reaches_age(self.born, ADULT_AGE)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or that month's last day when it has no such
    day (31 August + 6 months = 28 February), as dateutil's relativedelta counts: ten times
    faster, and an office's deadlines add months for every case."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def reaches_age(born: dt.date, years: int) -> dt.date:
    """The day someone born on `born` is `years` old: from the start of the day that matches the
    birthday, or of the month's last day when there is none, so 28 February for one born on
    29 February (art. 112 Kodeksu cywilnego)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a year without one
        return dt.date(born.year + years, 2, 28)


class SheetFacts(msgspec.Struct, frozen=True, gc=False):
    """What one version of the fact sheet says, from the day it holds."""

    holds_from: dt.date
    asystent: str
    social_worker: str
    town: str
    basis: str
    members: tuple[Member, ...]


# Visits and notes are most of a case's facts (dozens a year): saved as arrays, they halve what
# `records.kept_facts` reads and decodes for every case of the office.
class Visit(msgspec.Struct, frozen=True, array_like=True, gc=False):
    data: dt.date
    minutes: int
    monitoring: bool
    areas: tuple[str, ...]
    asystent: str
    start: dt.time | None = None
    end: dt.time | None = None


class Note(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """Work for the family other than a home visit (`notatka`), or a monitoring contact."""

    data: dt.date
    start: dt.time
    end: dt.time
    minutes: int
    rodzaj: str
    monitoring: bool
    closes_monitoring: bool  # the note that ends the monitoring
    asystent: str
    areas: tuple[str, ...] = ()


class PlacementEvent(msgspec.Struct, frozen=True, gc=False):
    """One `umieszczenie_dziecka`: a child placed in foster care, or returned home."""

    data: dt.date
    child: str
    placed: bool
    forma: str
    koordynator: str
    organizator: str
    sygnatura: str


class Placement(msgspec.Struct, frozen=True, gc=False):
    """A child of the family in foster care from `start` until the day it came home (`end`;
    None: still there). The work with the family goes on meanwhile (art. 10 ust. 4)."""

    child: str
    start: dt.date
    end: dt.date | None
    forma: str
    koordynator: str = ""
    organizator: str = ""
    sygnatura: str = ""

    def on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def placements_from(events: Iterable[PlacementEvent]) -> tuple[Placement, ...]:
    """Stays in foster care from the placements and returns in date order: a placement of a
    child already placed is a move to another form of care (the earlier stay ends that day)."""
    open_stays: dict[str, Placement] = {}
    done: list[Placement] = []
    for event in sorted(events, key=lambda e: e.data):
        current = open_stays.pop(event.child, None)
        if current is not None:
            done.append(msgspec.structs.replace(current, end=event.data))
        if event.placed:
            open_stays[event.child] = Placement(
                event.child,
                event.data,
                None,
                event.forma,
                event.koordynator,
                event.organizator,
                event.sygnatura,
            )
    return tuple(sorted([*done, *open_stays.values()], key=lambda p: (p.start, p.child)))


class Intervention(msgspec.Struct, frozen=True, gc=False):
    """An intervention when a child's safety was at risk (art. 15 ust. 1 pkt 12), and the day
    by which the family's situation is to be checked again."""

    data: dt.date
    start: dt.time | None
    check_by: dt.date
    asystent: str


class Period(msgspec.Struct, frozen=True, gc=False):
    """A plan or a contract: made on `made`, in force from `start` to `end` (both included)."""

    made: dt.date
    start: dt.date
    end: dt.date
    asystent: str
    consulted: bool = True  # a plan: consulted with the social worker (art. 15 ust. 1 pkt 1)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return self.start <= last and self.end >= first


class Assessment(msgspec.Struct, frozen=True, gc=False):
    data: dt.date
    asystent: str


class Consent(msgspec.Struct, frozen=True, gc=False):
    """The family's consent (`given`) or its withdrawal, from `data` on."""

    data: dt.date
    given: bool
    persons: tuple[str, ...]


class CourtOrder(msgspec.Struct, frozen=True, gc=False):
    """A court order obliging the family to work with an assistant, and its reporting terms."""

    sygnatura: str
    sad: str
    wydzial: str
    ordered: dt.date
    received: dt.date
    every_months: int | None
    terms: tuple[dt.date, ...]
    kurator: str | None

    def due_dates(self, until: dt.date) -> list[dt.date]:
        """The days reports are due, up to `until`: the dates the court gave, else every N
        months counted from the day the order reached the centre."""
        if self.terms:
            return sorted(d for d in self.terms if d <= until)
        if not self.every_months:
            return []
        found, step = [], 1
        while (due := add_months(self.received, self.every_months * step)) <= until:
            found.append(due)
            step += 1
        return found


class CourtLetter(msgspec.Struct, frozen=True, gc=False):
    """What the centre sent a court (`sprawozdanie_dla_sadu`)."""

    data: dt.date
    rodzaj: str  # sprawozdanie, opinia, brak_wspolpracy
    sygnatura: str


class CourtDeadline(msgspec.Struct, frozen=True, gc=False):
    sygnatura: str
    due: dt.date
    filed: dt.date | None  # the report that met it, if any


class CaseFacts(msgspec.Struct, frozen=True, gc=False):
    sprawa: str
    start: dt.date | None  # the first assignment; None: nobody assigned yet
    sheets: tuple[SheetFacts, ...]  # by the day each holds from (a request's family first)
    assignments: tuple[Assignment, ...]  # cover the case's time from `start`, no gaps
    closed: dt.date | None
    reason: str | None
    monitoring_until: dt.date | None
    requested: dt.date | None = None  # the social worker's request (art. 11 ust. 3)
    has_fact_sheet: bool = True
    # In the order of their forms' days (`Case.facts`; `deadlines` reads the visits from the
    # end), placements by their start.
    visits: tuple[Visit, ...] = ()
    notes: tuple[Note, ...] = ()
    plans: tuple[Period, ...] = ()
    contracts: tuple[Period, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    consents: tuple[Consent, ...] = ()
    court_orders: tuple[CourtOrder, ...] = ()
    court_letters: tuple[CourtLetter, ...] = ()
    placements: tuple[Placement, ...] = ()
    interventions: tuple[Intervention, ...] = ()

    # -- the fact sheet in force -----------------------------------------------------------------
    def sheet_on(self, day: dt.date) -> SheetFacts:
        """The fact sheet holding on `day` (the first one before any holds)."""
        for sheet in reversed(self.sheets):  # a few versions: the office asks for each case
            if sheet.holds_from <= day:
                return sheet
        return self.sheets[0]

    @property
    def latest(self) -> SheetFacts:
        return self.sheets[-1]

    @property
    def opened(self) -> dt.date:
        """The day the case began: the request, the court order, or the first assignment."""
        days = [d for d in (self.requested, self.start) if d is not None]
        days += [o.ordered for o in self.court_orders]
        return min(days) if days else dt.date.min

    @property
    def miejscowosc(self) -> str:
        return self.latest.town if self.sheets else ""

    @property
    def surnames(self) -> str:
        """The members' surnames (every version of the sheet), for searching."""
        names = [m.name.rsplit(" ", 1)[-1] for s in self.sheets for m in s.members]
        return ", ".join(dict.fromkeys(names))

    def social_worker_on(self, day: dt.date) -> str:
        return self.sheet_on(day).social_worker if self.sheets else ""

    def basis_on(self, day: dt.date) -> str:
        """The legal basis of the work on `day`: a court order from its date (whatever the fact
        sheet said), else what the fact sheet in force says, else the social worker's request
        if there is one; "" when none is known."""
        if any(order.ordered <= day for order in self.court_orders):
            return "postanowienie_sadu"
        sheet = self.sheet_on(day) if self.sheets else None
        if sheet is not None and sheet.basis:
            return sheet.basis
        return "wniosek_pracownika_socjalnego" if self.requested is not None else ""

    def children_on(self, day: dt.date) -> int:
        if not self.sheets:
            return 0
        return sum(1 for m in self.sheet_on(day).members if not m.adult_on(day))

    # -- consent and the court -------------------------------------------------------------------
    def consent_on(self, day: dt.date) -> Consent | None:
        """The family's latest consent or withdrawal on or before `day`."""
        given = [c for c in self.consents if c.data <= day]
        return given[-1] if given else None

    def court_order_on(self, day: dt.date, sygnatura: str | None = None) -> CourtOrder | None:
        """The court order in force on `day` (the latest), or the one with that reference."""
        orders = [o for o in self.court_orders if o.ordered <= day]
        if sygnatura is not None:
            orders = [o for o in self.court_orders if o.sygnatura == sygnatura]
        return orders[-1] if orders else None

    def court_deadlines(self, until: dt.date, known_on: dt.date) -> list[CourtDeadline]:
        """Every report a court expects up to `until`, as known on `known_on` (not after the
        work ended, if it had ended by then: a closing dated later does not take back the
        term a day before it still had), each matched with the earliest report sent for its
        order that has not met an earlier one."""
        found: list[CourtDeadline] = []
        ended = self.closed is not None and self.closed <= known_on
        last = min(until, self.closed) if ended and self.closed else until
        for order in self.court_orders:
            reports = sorted(
                letter.data
                for letter in self.court_letters
                if letter.rodzaj == "sprawozdanie" and letter.sygnatura == order.sygnatura
            )
            for due in order.due_dates(last):
                found.append(
                    CourtDeadline(order.sygnatura, due, reports.pop(0) if reports else None)
                )
        return found

    # -- who works with the family ---------------------------------------------------------------
    def assignment_on(self, day: dt.date) -> Assignment | None:
        for found in reversed(self.assignments):  # by start; a few stretches per case
            if found.start <= day:
                return found
        return None

    def assistant_on(self, day: dt.date) -> str | None:
        """Who works with the family on `day`: a substitute during a substitution, nobody while
        the work is suspended or before it began; after the closing, the one who monitors."""
        found = self.assignment_on(day)
        return found.asystent if found else None

    def regular_assistant_on(self, day: dt.date) -> str | None:
        found = self.assignment_on(day)
        return found.regular if found else None

    @property
    def asystent(self) -> str:
        """The assistant now (or last): for lists of cases."""
        last = self.assignments[-1] if self.assignments else None
        return (last.asystent or last.regular or "") if last else ""

    def active_on(self, day: dt.date) -> bool:
        """Counted in a caseload on `day`: begun, not closed (not on the closing day either)
        and not suspended."""
        return (
            self.start is not None
            and self.start <= day
            and (self.closed is None or day < self.closed)
            and self.assistant_on(day) is not None
        )

    def stretches(
        self, name: str | None, *, closing_day: bool = False
    ) -> list[tuple[dt.date, dt.date | None]]:
        """The days `name` works with the family (every assistant's when `name` is None), as
        (first, last) pairs; up to the day before the closing, or the closing day itself."""
        until = None
        if self.closed is not None:
            until = self.closed if closing_day else self.closed - DAY
        found = []
        for a in self.assignments:
            if a.asystent is None or (name is not None and a.asystent != name):
                continue
            end = a.end if until is None else (until if a.end is None else min(a.end, until))
            if end is not None and end < a.start:
                continue
            found.append((a.start, end))
        return found

    def days_worked(self, name: str | None, first: dt.date, last: dt.date) -> int:
        """Days in [first, last] on which `name` worked with the family (the caseload's days)."""
        total = 0
        for start, end in self.stretches(name):
            low, high = max(start, first), min(end or last, last)
            if high >= low:
                total += (high - low).days + 1
        return total

    def worked_with(self, name: str | None, first: dt.date, last: dt.date) -> bool:
        """Whether `name` worked with the family on some day of [first, last] (its closing day
        included: a case closed on the period's first day was supported in it)."""
        return any(
            start <= last and (end is None or end >= first)
            for start, end in self.stretches(name, closing_day=True)
        )

    def assistants_between(self, first: dt.date, last: dt.date) -> list[str]:
        names = [
            a.asystent
            for a in self.assignments
            if a.asystent and a.start <= last and (a.end is None or a.end >= first)
        ]
        return [n for n in dict.fromkeys(names) if self.worked_with(n, first, last)]

    # -- the case as a whole ---------------------------------------------------------------------
    def supported_in(self, first: dt.date, last: dt.date) -> bool:
        return self.worked_with(None, first, last)

    def open_on(self, day: dt.date) -> bool:
        """Work with the family has begun (an assistant assigned) and has not ended by `day`."""
        return (
            self.start is not None
            and self.start <= day
            and (self.closed is None or self.closed > day)
        )

    def closed_by(self, day: dt.date) -> bool:
        return self.closed is not None and self.closed <= day

    def child_placed_between(self, first: dt.date, last: dt.date) -> bool:
        """A child of the family was in foster care on some day of [first, last]."""
        return any(p.start <= last and (p.end is None or p.end > first) for p in self.placements)

    def placed_on(self, day: dt.date) -> list[Placement]:
        """The children in foster care on `day`."""
        return [p for p in self.placements if p.on(day)]

    def returns_between(self, first: dt.date, last: dt.date) -> int:
        """Children who came home from foster care in [first, last]."""
        return sum(1 for p in self.placements if p.end is not None and first <= p.end <= last)

    def follow_up(
        self, intervention: Intervention, until: dt.date
    ) -> tuple[list[dt.date], list[dt.date]]:
        """What followed an intervention by `until`: the days of visits and notes after it
        (later that day, if its hour is known, or a later day), and of those the ones that are
        its check (on or after its check day)."""
        day, start = intervention.data, intervention.start
        after = []
        work: list[Visit | Note] = [*self.visits, *self.notes]
        for item in work:
            later = item.data > day or (
                item.data == day
                and start is not None
                and item.start is not None
                and item.start > start
            )
            if later and item.data <= until:
                after.append(item.data)
        after.sort()
        return after, [d for d in after if d >= intervention.check_by]

    def monitored_on(self, day: dt.date) -> bool:
        """In the monitoring period: from the closing day to `monitoring_until` (none without it)."""
        return (
            self.closed is not None
            and self.monitoring_until is not None
            and self.closed <= day <= self.monitoring_until
        )

    def monitoring_contacts(self, until: dt.date) -> list[dt.date]:
        """The days of monitoring contacts (visits and notes) on or before `until`."""
        days = [v.data for v in self.visits if v.monitoring and v.data <= until]
        days += [n.data for n in self.notes if n.monitoring and n.data <= until]
        return sorted(days)

    def monitoring_closed_by(self, day: dt.date) -> dt.date | None:
        """The day of the note that ended the monitoring, if one came by `day`."""
        found = [n.data for n in self.notes if n.closes_monitoring and n.data <= day]
        return min(found) if found else None

    def suspended_on(self, day: dt.date) -> bool:
        return self.open_on(day) and self.assistant_on(day) is None

    def status_on(self, day: dt.date) -> str:
        """The case's state on `day` in one word, for lists: `aktywna`, `zawieszona`,
        `oczekuje` (nobody assigned yet), `zakończona` or `monitorowana` (closed, monitored)."""
        if self.closed is not None and self.closed <= day:
            monitored = self.monitored_on(day) and self.monitoring_until is not None
            return "monitorowana" if monitored else "zakończona"
        if self.start is None:
            return "oczekuje"
        return "zawieszona" if self.suspended_on(day) else "aktywna"

    def state_on(self, day: dt.date) -> str:
        """`aktywna`, `zawieszona do …`, `zakończona …, monitorowana do …`, `zakończona …`."""
        status = self.status_on(day)
        closed = self.closed.isoformat() if self.closed else ""
        if status == "monitorowana" and self.monitoring_until is not None:
            return f"zakończona {closed}, monitorowana do {self.monitoring_until.isoformat()}"
        if status == "zakończona":
            return f"zakończona {closed}"
        if status == "oczekuje":
            return "oczekuje na przydzielenie asystenta"
        if status == "zawieszona":
            stretch = self.assignment_on(day)
            return f"zawieszona do {stretch.end.isoformat()}" if stretch and stretch.end else status
        return status


def timeline(
    start: dt.date | None, first_assistant: str | None, events: Iterable[AssignmentEvent]
) -> tuple[Assignment, ...]:
    """Who works with the family when, as stretches without gaps from the first assignment.

    The regular assistant is the fact sheet's from `start`, then the one of the latest
    `przydzielenie`, `zmiana` or `wznowienie` in force; over it lie substitutions and suspensions
    for their periods (the latest sent wins where they overlap), and a suspension ends early on
    a resumption. SPEC: "A substitution holds from od to do, then the previous assistant returns;
    a suspended case is worked by nobody." A change of the regular assistant that begins during a
    substitution ends it (the latest assignment in force is the change: the new assistant takes
    the family from that day, as their letter to it says); one beginning during a suspension
    only says who resumes the work.
    """
    events = sorted(events, key=lambda e: (e.od, e.order))
    base: list[tuple[dt.date, int, str | None, str]] = []
    if start is not None:
        base.append((start, -1, first_assistant, "metryczka"))
    base += [
        (e.od, e.order, e.asystent, e.rodzaj)
        for e in events
        if e.rodzaj in ("przydzielenie", "zmiana", "wznowienie")
    ]
    overlays = [e for e in events if e.rodzaj in ("zastepstwo", "zawieszenie")]
    resumed = sorted(e.od for e in events if e.rodzaj == "wznowienie")
    if not base:
        return ()
    base.sort(key=lambda b: (b[0], b[1]))
    days = {b[0] for b in base} | {o.od for o in overlays} | {o.do + DAY for o in overlays if o.do}
    days |= set(resumed)
    first_day = base[0][0]
    stretches: list[Assignment] = []
    for day in sorted(d for d in days if d >= first_day):
        regular = [b for b in base if b[0] <= day][-1]
        over = [
            o
            for o in overlays
            if o.od <= day <= (o.do or day)
            and not (o.rodzaj == "zawieszenie" and any(o.od < r <= day for r in resumed))
            and not (o.rodzaj == "zastepstwo" and any(o.od < b[0] <= day for b in base))
        ]
        if over:
            top = max(over, key=lambda o: o.order)
            current = Assignment(day, None, top.asystent, regular[2], top.rodzaj)
        else:
            current = Assignment(day, None, regular[2], regular[2], regular[3])
        if stretches and (stretches[-1].asystent, stretches[-1].regular) == (
            current.asystent,
            current.regular,
        ):
            continue
        stretches.append(current)
    return tuple(
        Assignment(
            s.start,
            stretches[i + 1].start - DAY if i + 1 < len(stretches) else None,
            s.asystent,
            s.regular,
            s.rodzaj,
        )
        for i, s in enumerate(stretches)
    )


_AUTHOR = operator.attrgetter("asystent")


def cases_by_assistant(cases: Iterable[CaseFacts]) -> dict[str, list[CaseFacts]]:
    """Each name the cases' facts hold (assigned, substituting, or the author of a visit, note,
    plan, contract, assessment or intervention) with the cases that hold it, in their order.
    One assistant's figures come from these cases alone: an office of 2,000 families has some
    140 assistants, and counting each over every case would take minutes."""
    found: dict[str, list[CaseFacts]] = {}
    for case in cases:
        names = {n for a in case.assignments for n in (a.asystent, a.regular) if n}
        for done in (
            case.visits,
            case.notes,
            case.plans,
            case.contracts,
            case.assessments,
            case.interventions,
        ):
            names.update(map(_AUTHOR, done))
        for name in names:
            found.setdefault(name, []).append(case)
    return found


class FactsCache:
    """Case facts kept between requests of the web interface: a case is read and its facts built
    again only when its file in the store changed (its stamp), so a page over every family stays
    fast at 50,000 records."""

    def __init__(self, build: Callable[[str], CaseFacts | None]) -> None:
        self._build = build
        self._cached: dict[str, tuple[tuple[int, ...], CaseFacts | None]] = {}
        self._lock = threading.Lock()  # the web server answers from several threads

    def all(self, stamps: dict[str, tuple[int, ...]]) -> list[CaseFacts]:
        with self._lock:
            for key, stamp in stamps.items():
                cached = self._cached.get(key)
                if cached is None or cached[0] != stamp:
                    self._cached[key] = (stamp, self._build(key))
            for gone in set(self._cached) - set(stamps):
                del self._cached[gone]
            facts = [f for _, f in self._cached.values() if f is not None]
        return sorted(facts, key=lambda f: case_order(f.sprawa))
