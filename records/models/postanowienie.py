"""Postanowienie sądu: a court order obliging the family to work with an assistant (art. 109 § 2
pkt 1 of the Family Code), and the terms at which the court expects reports (art. 109 § 4).

From the order's date the case is court-ordered, whatever the fact sheet said; reports fall due
every N months from the day the order reached the centre, or on the dates the court gave. It makes
no document of its own: the fact sheet and the case page show it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.facts import CourtOrder
from records.models.common import Date, Form, Kind, LongText, Months, Text
from records.models.rules import future, ordered
from records.wordforms.layout import CASE, F, Layout, Section, Table

LAYOUT = Layout(
    "postanowienie_sadu",
    "Postanowienie sądu",
    "Postanowienie sądu rodzinnego zobowiązujące rodzinę do pracy z asystentem rodziny (art. 109 "
    "§ 2 pkt 1 Kodeksu rodzinnego i opiekuńczego) i terminy sprawozdań dla sądu. Może otwierać "
    "sprawę.",
    (
        Section(
            "I. Postanowienie",
            (
                CASE,
                F("sad", "Sąd", required=True, hint="np. Sąd Rejonowy w Lesznie"),
                F(
                    "wydzial",
                    "Wydział",
                    required=True,
                    hint="np. III Wydział Rodzinny i Nieletnich",
                ),
                F("sygnatura", "Sygnatura akt", required=True, hint="np. III Nsm 123/26"),
                F("data_postanowienia", "Data postanowienia", "date", required=True),
                F("data_wplywu", "Data wpływu do ośrodka", "date", required=True),
                F("kurator", "Kurator sądowy", hint="imię i nazwisko, jeśli sąd go wyznaczył"),
            ),
        ),
        Section(
            "II. Sprawozdania dla sądu",
            (
                F(
                    "sprawozdania_co_miesiecy",
                    "Sprawozdania co ile miesięcy",
                    hint="liczba, np. 3; albo wypisz terminy w tabeli",
                ),
                Table(
                    "terminy_sprawozdan",
                    "Terminy sprawozdań",
                    (F("", "Termin sprawozdania", "date", required=True),),
                    rows=4,
                ),
            ),
        ),
        Section(
            "III. Treść",
            (
                F("tresc", "Co postanowił sąd", "long"),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)


class PostanowienieSadu(Form):
    KIND: ClassVar[Kind] = Kind(
        "postanowienie_sadu",
        "Postanowienie sądu",
        "data_postanowienia",
        LAYOUT,
        document=False,
        opens_case=True,
        needs="case",
    )

    formularz: Literal["postanowienie_sadu"]
    sad: Text
    wydzial: Text
    sygnatura: Text
    data_postanowienia: Date
    data_wplywu: Date
    sprawozdania_co_miesiecy: Months | None = None
    terminy_sprawozdan: list[Date] = Field(default=[], max_length=40)
    kurator: Text | None = None
    tresc: LongText | None = None
    uwagi: LongText | None = None

    def natural_key(self, case: Any) -> str:
        """One order per reference: a later form with the same sygnatura corrects it."""
        return f"{self.KIND.code}:{self.sygnatura}"

    def fact(self, who: str, order: int) -> tuple[str, CourtOrder]:
        return "court_orders", CourtOrder(
            self.sygnatura,
            self.sad,
            self.wydzial,
            self.data_postanowienia,
            self.data_wplywu,
            self.sprawozdania_co_miesiecy,
            tuple(sorted(self.terminy_sprawozdan)),
            self.kurator,
        )

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data_postanowienia", "data_wplywu")
        errors += ordered(self, "data_postanowienia", "data_wplywu")
        if self.sprawozdania_co_miesiecy and self.terminy_sprawozdan:
            errors.append(
                FieldError(
                    "terminy_sprawozdan",
                    "podaj albo co ile miesięcy, albo terminy sprawozdań, nie oba",
                    "report_terms_twice",
                )
            )
        for number, due in enumerate(self.terminy_sprawozdan, start=1):
            if due < self.data_postanowienia:
                errors.append(
                    FieldError(
                        f"terminy_sprawozdan[{number}]",
                        "termin sprawozdania nie może być wcześniejszy niż data postanowienia",
                        "range_order",
                    )
                )
        return errors
