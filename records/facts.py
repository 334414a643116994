"""Stored records -> the dated facts of each case that reports and deadlines count.

One place reads a case's current records (the newest version of each) and keeps only what the
activity report and the deadline alerts need: when the case started and closed, why, who works
with it, its children, visits, plans, contracts and assessments. Every record is attributed to the
assistant written in its form, else to the case's assistant from the newest fact sheet.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from records.documents import current_records
from records.models import FORMS, Form
from records.store import Record, Store


@dataclass(frozen=True)
class Visit:
    data: dt.date
    minutes: int
    monitoring: bool
    areas: tuple[str, ...]
    asystent: str


@dataclass(frozen=True)
class Period:
    """A plan or a contract: made on `made`, in force from `start` to `end` (both included)."""

    made: dt.date
    start: dt.date
    end: dt.date
    asystent: str

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return self.start <= last and self.end >= first


@dataclass(frozen=True)
class Assessment:
    data: dt.date
    asystent: str


@dataclass(frozen=True)
class CaseFacts:
    sprawa: str
    asystent: str
    social_worker: str
    miejscowosc: str
    surnames: str  # the members' distinct surnames, for searching
    start: dt.date
    basis: str
    children: int
    closed: dt.date | None
    reason: str | None
    monitoring_until: dt.date | None
    visits: tuple[Visit, ...]
    plans: tuple[Period, ...]
    contracts: tuple[Period, ...]
    assessments: tuple[Assessment, ...]

    def supported_in(self, first: dt.date, last: dt.date) -> bool:
        """Worked with at some time in the period (a case closed on its first day counts)."""
        return self.start <= last and (self.closed is None or self.closed >= first)

    def open_on(self, day: dt.date) -> bool:
        """Counted in the assistant's caseload on that day (not any more on the closing day)."""
        return self.start <= day and (self.closed is None or self.closed > day)

    def closed_by(self, day: dt.date) -> bool:
        return self.closed is not None and self.closed <= day


def current_models(records: list[Record]) -> dict[str, Form]:
    """Record id -> the validated model of each current record (typed dates, times, codes)."""
    return {r.id: FORMS[r.formularz].model_validate(r.dane) for r in current_records(records)}


def case_facts(records: list[Record], models: dict[str, Form] | None = None) -> CaseFacts | None:
    """The facts of one case, or None for a case without a fact sheet (cannot happen in use).
    `models`: the case's `current_models`, when the caller has them already."""
    current = current_records(records)
    family_records = [r for r in current if r.formularz == "metryczka_rodziny"]
    if not family_records:
        return None
    by_id = models if models is not None else current_models(records)
    family = by_id[family_records[-1].id]
    models = [by_id[r.id] for r in current]

    def who(model) -> str:
        return getattr(model, "asystent", None) or family.asystent

    closing = next((m for m in models if m.formularz == "zakonczenie_pracy"), None)
    return CaseFacts(
        sprawa=family_records[-1].sprawa,
        asystent=family.asystent,
        social_worker=family.pracownik_socjalny,
        miejscowosc=family.adres.miejscowosc,
        surnames=", ".join(dict.fromkeys(m.nazwisko for m in family.czlonkowie)),
        start=family.data_przydzielenia,
        basis=family.podstawa_objecia,
        children=sum(1 for member in family.czlonkowie if member.rola == "dziecko"),
        closed=closing.data_zakonczenia if closing else None,
        reason=closing.przyczyna if closing else None,
        monitoring_until=closing.monitoring_do if closing else None,
        visits=tuple(
            Visit(m.data, m.minutes, m.monitoring, tuple(m.obszary_wsparcia), who(m))
            for m in models
            if m.formularz == "protokol_wizyty"
        ),
        plans=tuple(
            Period(m.data_sporzadzenia, m.okres_od, m.okres_do, who(m))
            for m in models
            if m.formularz == "plan_pracy"
        ),
        contracts=tuple(
            Period(m.data_zawarcia, m.okres_od, m.okres_do, who(m))
            for m in models
            if m.formularz == "kontrakt"
        ),
        assessments=tuple(
            Assessment(m.data, who(m)) for m in models if m.formularz == "ocena_okresowa"
        ),
    )


def all_case_facts(store: Store) -> list[CaseFacts]:
    """Every case in the store, in the order of their case numbers."""
    facts = [case_facts(records) for records in store.all_records().values()]
    return sorted((f for f in facts if f is not None), key=lambda f: f.sprawa)


class FactsCache:
    """Case facts kept between requests of the web interface: a case is read and validated again
    only when its file in the store changed (its stamp), so a page over every family stays fast
    at 50,000 records."""

    def __init__(self) -> None:
        self._cached: dict[str, tuple[tuple[int, ...], CaseFacts | None]] = {}
        self._lock = threading.Lock()  # the web server answers from several threads

    def all(self, store: Store) -> list[CaseFacts]:
        with self._lock:
            return self._all(store)

    def _all(self, store: Store) -> list[CaseFacts]:
        stamps = store.case_stamps()
        for key, stamp in stamps.items():
            cached = self._cached.get(key)
            if cached is None or cached[0] != stamp:
                self._cached[key] = (stamp, case_facts(store.records(key)))
        for gone in set(self._cached) - set(stamps):
            del self._cached[gone]
        facts = [f for _, f in self._cached.values() if f is not None]
        return sorted(facts, key=lambda f: f.sprawa)
