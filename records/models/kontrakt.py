"""Kontrakt: the individual contract between the assistant and the family."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import Date, FollowUpForm, LongText, Text
from records.models.rules import future, ordered


class Kontrakt(FollowUpForm):
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

    def rules(self, today: dt.date) -> list[FieldError]:
        return future(self, today, "data_zawarcia") + ordered(self, "okres_od", "okres_do")
