"""Kontrakt: the individual contract between the assistant and the family."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.facts import Period
from records.models.common import Date, FollowUpForm, Kind, LongText, Text
from records.models.rules import future, ordered
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section, Table

LAYOUT = Layout(
    "kontrakt",
    "Kontrakt z rodziną",
    "Kontrakt zawierany przez asystenta rodziny z rodziną (nie kontrakt socjalny pracownika "
    "socjalnego).",
    (
        Section(
            "I. Kontrakt",
            (
                CASE,
                SUBSTITUTE,
                F("data_zawarcia", "Data zawarcia", "date", required=True),
                F("okres_od", "Obowiązuje od", "date", required=True),
                F("okres_do", "Obowiązuje do", "date", required=True),
                F("cel", "Cel współpracy", "long", required=True),
                F("czestotliwosc_spotkan", "Częstotliwość spotkań"),
            ),
        ),
        Section(
            "II. Zobowiązania",
            (
                Table(
                    "zobowiazania_rodziny",
                    "Rodzina zobowiązuje się do",
                    (F("", "Zobowiązanie rodziny", "long", required=True),),
                    rows=5,
                    required=True,
                ),
                Table(
                    "zobowiazania_asystenta",
                    "Asystent zobowiązuje się do",
                    (F("", "Zobowiązanie asystenta", "long", required=True),),
                    rows=5,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Strony kontraktu",
            (
                Table(
                    "strony_kontraktu",
                    "Strony kontraktu",
                    (F("", "Członek rodziny (imię i nazwisko)", required=True),),
                    rows=3,
                    hint="puste: dorośli członkowie rodziny z metryczki",
                ),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)


class Kontrakt(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "kontrakt", "Kontrakt z rodziną", "data_zawarcia", LAYOUT, own_work=True
    )

    formularz: Literal["kontrakt"]
    data_zawarcia: Date
    okres_od: Date
    okres_do: Date
    cel: LongText
    zobowiazania_rodziny: list[LongText] = Field(min_length=1, max_length=50)
    zobowiazania_asystenta: list[LongText] = Field(min_length=1, max_length=50)
    czestotliwosc_spotkan: Text | None = None
    strony_kontraktu: list[Text] = Field(default=[], max_length=20)
    uwagi: LongText | None = None

    def fact(self, who: str, order: int) -> tuple[str, Period]:
        return "contracts", Period(self.data_zawarcia, self.okres_od, self.okres_do, who)

    def rules(self, today: dt.date) -> list[FieldError]:
        return future(self, today, "data_zawarcia") + ordered(self, "okres_od", "okres_do")
