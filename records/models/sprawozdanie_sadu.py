"""Sprawozdanie dla sądu: what the centre writes to a family court.

- `sprawozdanie`: the report at the terms the court set (art. 109 § 4 of the Family Code), for a
  period; it meets the earliest report the order still expects;
- `opinia`: an opinion on the family and its members on the court's request (art. 15 ust. 1
  pkt 17 of the Act);
- `brak_wspolpracy`: information that a family the court obliged does not cooperate.
Each is a letter to the court's division with the case reference, the family's situation, the
assistant's work in the period (counted from the records), its cooperation and the conclusions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, ClassVar, Literal

from records.codes import RODZAJ_NOTATKI
from records.errors import FieldError
from records.facts import CourtLetter
from records.models.common import Code, Date, FollowUpForm, Kind, LongText, Text
from records.models.rules import future, ordered
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section

LAYOUT = Layout(
    "sprawozdanie_dla_sadu",
    "Sprawozdanie dla sądu",
    "Sprawozdanie w terminie wyznaczonym przez sąd, opinia o rodzinie na wniosek sądu albo "
    "informacja o braku współpracy rodziny. Wizyty w okresie program policzy sam.",
    (
        Section(
            "I. Pismo",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data pisma", "date", required=True),
                F("rodzaj", "Rodzaj", "code", vocabulary="rodzaj_pisma_do_sadu", required=True),
                F("sygnatura", "Sygnatura akt sądu", required=True),
                F(
                    "sad",
                    "Sąd",
                    hint="tylko gdy w sprawie nie ma postanowienia o tej sygnaturze",
                ),
                F("wydzial", "Wydział", hint="jak wyżej"),
                F("okres_od", "Okres od", "date", hint="wymagany w sprawozdaniu"),
                F("okres_do", "Okres do", "date", hint="wymagany w sprawozdaniu"),
            ),
        ),
        Section(
            "II. Treść",
            (
                F("sytuacja_rodziny", "Sytuacja rodziny", "long", required=True),
                F("podjete_dzialania", "Działania asystenta w okresie", "long"),
                F("wspolpraca_rodziny", "Współpraca rodziny z asystentem", "long", required=True),
                F("wnioski", "Wnioski", "long", required=True),
            ),
        ),
    ),
)

TITLES = {
    "sprawozdanie": "Sprawozdanie dla sądu",
    "opinia": "Opinia o rodzinie",
    "brak_wspolpracy": "Informacja dla sądu o braku współpracy rodziny",
}


class SprawozdanieDlaSadu(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "sprawozdanie_dla_sadu",
        "Sprawozdanie dla sądu",
        "data",
        LAYOUT,
        needs="family",
        own_work=True,
    )

    formularz: Literal["sprawozdanie_dla_sadu"]
    data: Date
    rodzaj: Code("rodzaj_pisma_do_sadu")
    sygnatura: Text
    sad: Text | None = None
    wydzial: Text | None = None
    okres_od: Date | None = None
    okres_do: Date | None = None
    sytuacja_rodziny: LongText
    podjete_dzialania: LongText | None = None
    wspolpraca_rodziny: LongText
    wnioski: LongText

    def natural_key(self, case: Any) -> str:
        return f"{self.KIND.code}:{self.rodzaj}:{self.sygnatura}:{self.data.isoformat()}"

    def document_title(self) -> str:
        return TITLES[self.rodzaj]

    def fact(self, who: str, order: int) -> tuple[str, CourtLetter]:
        return "court_letters", CourtLetter(self.data, self.rodzaj, self.sygnatura)

    def period(self, case: Any) -> tuple[dt.date, dt.date]:
        """The period the letter is about: its own, else from the start of the work."""
        start = self.okres_od
        if start is None:
            facts = case.facts if case is not None else None
            start = (facts.start or facts.opened) if facts is not None else self.data
        return start, self.okres_do or self.data

    def document_values(self, case: Any) -> dict[str, Any]:
        """The court it goes to (from the order with this reference, else the form), and the
        visits of the period counted from the records."""
        facts = case.facts
        order = facts.court_order_on(self.data, self.sygnatura) if facts else None
        first, last = self.period(case)
        visits = [v for v in facts.visits if first <= v.data <= last] if facts else []
        notes = [n for n in facts.notes if first <= n.data <= last] if facts else []
        return {
            "sad": self.sad or (order.sad if order else ""),
            "wydzial": self.wydzial or (order.wydzial if order else ""),
            "postanowienie": (
                {"data": order.ordered, "kurator": order.kurator} if order is not None else None
            ),
            "okres": {"od": first, "do": last},
            "wizyty": len(visits),
            "wizyty_daty": [v.data for v in visits],
            "minuty": sum(v.minutes for v in visits),
            "notatki": len(notes),
            "minuty_notatek": sum(n.minutes for n in notes),
            "notatki_rodzaje": [
                f"{RODZAJ_NOTATKI[kind]} ({count})"
                for kind, count in Counter(n.rodzaj for n in notes).items()
            ],
        }

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data", "okres_do") + ordered(self, "okres_od", "okres_do")
        if self.rodzaj == "sprawozdanie":
            for name in ("okres_od", "okres_do"):
                if getattr(self, name) is None:
                    errors.append(
                        FieldError(
                            name,
                            "sprawozdanie obejmuje okres: podaj jego początek i koniec",
                            "required",
                        )
                    )
        return errors

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        facts = case.facts if case is not None else None
        order = facts.court_order_on(self.data, self.sygnatura) if facts else None
        if order is not None:
            return []
        if self.rodzaj == "sprawozdanie":
            return [
                FieldError(
                    "sygnatura",
                    "w sprawie nie ma postanowienia sądu o tej sygnaturze; sprawozdania składa się "
                    "w sprawie z postanowienia (wyślij najpierw formularz postanowienie_sadu)",
                    "court_order_unknown",
                )
            ]
        return [
            FieldError(name, "podaj sąd i wydział, do którego idzie pismo", "required")
            for name in ("sad", "wydzial")
            if not getattr(self, name)
        ]
