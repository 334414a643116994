"""What `show` and the web's case page tell about one case: the same library call for both.

Everything comes from the `Case` (the fact sheet in force on the day, the assignment stretches,
every version of every record), so the command line and the browser cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from records.archive import record_date
from records.case import Case
from records.codes import RODZAJ_NOTATKI, RODZAJ_PRZYDZIELENIA, VOCABULARIES
from records.facts import Assignment, Member
from records.models import TITLES


@dataclass(frozen=True)
class Stretch:
    """One stretch of who works with the family, as people read it."""

    od: dt.date
    do: dt.date | None
    asystent: str | None
    opis: str


@dataclass(frozen=True)
class Contact:
    """A visit or a note in the case's timeline."""

    data: dt.date
    od: dt.time
    do: dt.time
    rodzaj: str  # "wizyta" or the note's kind in words
    monitoring: bool
    opis: str
    asystent: str


@dataclass(frozen=True)
class HistoryLine:
    przyjeto: str
    tytul: str
    data: str
    plik: str
    aktualny: bool
    formularz: str
    record_id: str
    przez: str = ""  # who or what sent it, in words


@dataclass
class CaseOverview:
    sprawa: str
    day: dt.date
    adres: str
    asystent: str | None
    pracownik_socjalny: str
    przydzielono: dt.date | None
    zakonczono: dt.date | None
    monitoring_do: dt.date | None
    stan: str
    podstawa: str = ""
    zgoda: str = ""
    czlonkowie: list[dict[str, Any]] = field(default_factory=list)
    przydzielenia: list[Stretch] = field(default_factory=list)
    postanowienia: list[dict[str, Any]] = field(default_factory=list)
    pisma_do_sadu: list[dict[str, Any]] = field(default_factory=list)
    kontakty: list[Contact] = field(default_factory=list)  # newest first
    piecza: list[dict[str, Any]] = field(default_factory=list)  # children's stays in foster care
    interwencje: list[dict[str, Any]] = field(default_factory=list)
    niebieskie_karty: list[dict[str, Any]] = field(default_factory=list)
    historia: list[HistoryLine] = field(default_factory=list)


def overview(case: Case, day: dt.date) -> CaseOverview:
    """The case as of `day` (today for `show`), with its whole history."""
    facts = case.facts
    family = case.family_on(day)
    if facts is None or family is None:
        raise ValueError("a case without a family has no overview")
    address = family["adres"]
    consent = facts.consent_on(day)
    placed = {p.child for p in facts.placed_on(day)}
    return CaseOverview(
        sprawa=case.sprawa,
        day=day,
        adres=f"{address['ulica']}, {address['kod_pocztowy']} {address['miejscowosc']}",
        asystent=facts.assistant_on(day),
        pracownik_socjalny=family["pracownik_socjalny"],
        przydzielono=facts.start,
        zakonczono=facts.closed,
        monitoring_do=facts.monitoring_until,
        stan=case.facts.state_on(day) if case.facts else "bez metryczki",
        podstawa=VOCABULARIES["podstawa_objecia"].get(facts.basis_on(day), "nie podano"),
        zgoda=(
            (
                "nie jest wymagana (postanowienie sądu)"
                if facts.basis_on(day) == "postanowienie_sadu"
                else "brak"
            )
            if consent is None
            else f"{'zgoda' if consent.given else 'rezygnacja'} z {consent.data.isoformat()} "
            f"({', '.join(consent.persons)})"
        ),
        czlonkowie=[
            {
                "imie_nazwisko": f"{m['imie']} {m['nazwisko']}",
                "urodzony": m["data_urodzenia"],
                "rola": m["rola"],
                "dorosly": Member("", m["data_urodzenia"], "").adult_on(day),
                "w_pieczy": f"{m['imie']} {m['nazwisko']}" in placed,
            }
            for m in family["czlonkowie"]
        ],
        piecza=[
            {
                "dziecko": p.child,
                "od": p.start,
                "do": p.end,
                "forma": VOCABULARIES["forma_pieczy"].get(p.forma, p.forma),
                "koordynator": p.koordynator,
                "organizator": p.organizator,
                "sygnatura": p.sygnatura,
            }
            for p in facts.placements
        ],
        interwencje=[_intervention(facts, m, day) for _, m in case.of_kind("interwencja")],
        niebieskie_karty=[
            {
                "wszczeto": m.data_wszczecia,
                "wszczynajacy": VOCABULARIES["wszczynajacy"][m.wszczynajacy],
                "stan": VOCABULARIES["status_niebieskiej_karty"][m.status],
                "zakonczono": m.data_zakonczenia,
                "zadania": " ".join((m.zadania_asystenta or "").split()),
                "spotkania": sorted(m.spotkania_grupy),
            }
            for _, m in case.of_kind("niebieska_karta")
        ],
        postanowienia=[
            {
                "sad": order.sad,
                "wydzial": order.wydzial,
                "sygnatura": order.sygnatura,
                "data": order.ordered,
                "kurator": order.kurator,
                "terminy": [
                    {
                        "termin": d.due,
                        "zlozono": d.filed,
                        "stan": _deadline_state(d.due, d.filed, day),
                    }
                    for d in facts.court_deadlines(day + dt.timedelta(days=60), day)
                    if d.sygnatura == order.sygnatura
                ],
            }
            for order in facts.court_orders
        ],
        pisma_do_sadu=[
            {
                "data": letter.data,
                "rodzaj": VOCABULARIES["rodzaj_pisma_do_sadu"].get(letter.rodzaj, letter.rodzaj),
                "sygnatura": letter.sygnatura,
            }
            for letter in facts.court_letters
        ],
        przydzielenia=[_stretch(a) for a in facts.assignments],
        kontakty=contacts(case),
        historia=[
            HistoryLine(
                przyjeto=record.przyjeto,
                tytul=TITLES.get(record.formularz, record.formularz),
                data=record_date(case, record),
                plik=record.zrodlo.get("plik", ""),
                aktualny=case.is_current(record),
                formularz=record.formularz,
                record_id=record.id,
                przez=sent_by(record.polecenie),
            )
            for record in case.records
        ],
    )


def contacts(case: Case) -> list[Contact]:
    """Visits and notes, newest first: the work with the family as it happened."""
    found = [
        Contact(
            m.data,
            m.godzina_od,
            m.godzina_do,
            "wizyta w rodzinie",
            m.monitoring,
            m.cel_wizyty,
            m.asystent or case.assistant_on(m.data) or "",
        )
        for _, m in case.of_kind("protokol_wizyty")
    ]
    found += [
        Contact(
            m.data,
            m.godzina_od,
            m.end,
            RODZAJ_NOTATKI[m.rodzaj],
            m.monitoring,
            m.tresc.splitlines()[0],
            m.asystent or case.assistant_on(m.data) or "",
        )
        for _, m in case.of_kind("notatka")
    ]
    return sorted(found, key=lambda c: (c.data, c.od), reverse=True)


_SENDERS = {
    "watch": "folder wspólny (usługa watch)",
    "ingest": "polecenie asystent ingest",
    "retry": "ponownie przetworzony odrzucony plik (asystent retry)",
    "demo": "dane przykładowe (asystent demo)",
    "web": "przeglądarka",
    "upgrade": "aktualizacja programu",
}


def sent_by(command: str) -> str:
    """`web:anna` -> `przeglądarka, konto anna`; `watch` -> `folder wspólny (usługa watch)`."""
    source, _, login = command.partition(":")
    said = _SENDERS.get(source, command)
    return f"{said}, konto {login}" if login else said


def _intervention(facts: Any, model: Any, day: dt.date) -> dict[str, Any]:
    """An intervention with what followed it: the first contact after it, and the check."""
    _, intervention = model.fact("", 0)  # the fact the form adds to its case
    after, checked = facts.follow_up(intervention, day)
    if not after:
        followed = "brak wizyty ani notatki po interwencji"
    elif checked:
        followed = f"sprawdzono {checked[0].isoformat()}"
    elif day > model.termin_sprawdzenia:
        followed = "termin sprawdzenia minął bez kontaktu"
    else:
        followed = (
            f"kontakt {after[0].isoformat()}; sprawdzenie do {model.termin_sprawdzenia.isoformat()}"
        )
    return {
        "data": model.data,
        "zagrozenie": " ".join(model.zagrozenie.split()),
        "powiadomiono": [VOCABULARIES["powiadomiono"][c] for c in model.powiadomiono],
        "termin": model.termin_sprawdzenia,
        "stan": followed,
    }


def _deadline_state(due: dt.date, filed: dt.date | None, day: dt.date) -> str:
    if filed is not None and filed <= day:
        return (
            "złożone w terminie" if filed <= due else f"złożone po terminie ({filed.isoformat()})"
        )
    return "po terminie" if day > due else "oczekuje"


def _stretch(stretch: Assignment) -> Stretch:
    if stretch.asystent is None:
        text = "praca zawieszona"
    elif stretch.rodzaj == "zastepstwo":
        text = f"zastępstwo: {stretch.asystent} (za: {stretch.regular})"
    elif stretch.rodzaj == "metryczka":
        text = f"{stretch.asystent} (metryczka rodziny)"
    else:
        text = f"{stretch.asystent} ({RODZAJ_PRZYDZIELENIA.get(stretch.rodzaj, stretch.rodzaj)})"
    return Stretch(stretch.start, stretch.end, stretch.asystent, text)
