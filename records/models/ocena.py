"""Okresowa ocena sytuacji rodziny: at least every six months (art. 15 ust. 1 pkt 15)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.facts import Assessment
from records.models.common import Code, Date, FollowUpForm, Kind, LongText, Model
from records.models.rules import future, ordered
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section, Table


class RealizacjaCelu(Model):
    cel: LongText
    stopien: Code("stopien")
    komentarz: LongText | None = None


LAYOUT = Layout(
    "ocena_okresowa",
    "Okresowa ocena sytuacji rodziny",
    "Ocena co najmniej raz na 6 miesięcy (art. 15 ust. 1 pkt 15 ustawy).",
    (
        Section(
            "I. Ocena",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data oceny", "date", required=True),
                F("okres_od", "Okres objęty oceną od", "date", required=True),
                F("okres_do", "Okres objęty oceną do", "date", required=True),
                F("rekomendacja", "Rekomendacja", "code", vocabulary="rekomendacja"),
            ),
        ),
        Section(
            "II. Realizacja celów planu pracy",
            (
                Table(
                    "realizacja_celow",
                    "Realizacja celów",
                    (
                        F("cel", "Cel", "long", required=True),
                        F(
                            "stopien",
                            "Stopień realizacji",
                            "code",
                            vocabulary="stopien",
                            required=True,
                        ),
                        F("komentarz", "Komentarz", "long"),
                    ),
                    rows=4,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Ocena sytuacji",
            (
                F("zmiany_w_rodzinie", "Zmiany w sytuacji rodziny", "long"),
                F("wspolpraca_rodziny", "Współpraca rodziny z asystentem", "long"),
                F("wnioski", "Wnioski", "long", required=True),
            ),
        ),
    ),
)


class OcenaOkresowa(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "ocena_okresowa", "Okresowa ocena sytuacji rodziny", "data", LAYOUT, own_work=True
    )

    formularz: Literal["ocena_okresowa"]
    data: Date
    okres_od: Date
    okres_do: Date
    realizacja_celow: list[RealizacjaCelu] = Field(min_length=1, max_length=30)
    zmiany_w_rodzinie: LongText | None = None
    wspolpraca_rodziny: LongText | None = None
    wnioski: LongText
    rekomendacja: Code("rekomendacja") | None = None

    def fact(self, who: str, order: int) -> tuple[str, Assessment]:
        return "assessments", Assessment(self.data, who)

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data") + ordered(self, "okres_od", "okres_do")
        if self.okres_do > self.data:
            errors.append(
                FieldError(
                    "okres_do",
                    "ocena obejmuje okres, który już minął: koniec okresu nie może być "
                    "późniejszy niż data oceny",
                    "range_order",
                )
            )
        return errors
