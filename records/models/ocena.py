"""Okresowa ocena sytuacji rodziny: at least every six months (art. 15 ust. 1 pkt 15)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import Code, Date, FollowUpForm, LongText, Model
from records.models.rules import future, ordered


class RealizacjaCelu(Model):
    cel: LongText
    stopien: Code("stopien")
    komentarz: LongText | None = None


class OcenaOkresowa(FollowUpForm):
    formularz: Literal["ocena_okresowa"]
    data: Date
    okres_od: Date
    okres_do: Date
    realizacja_celow: list[RealizacjaCelu] = Field(min_length=1, max_length=30)
    zmiany_w_rodzinie: LongText | None = None
    wspolpraca_rodziny: LongText | None = None
    wnioski: LongText
    rekomendacja: Code("rekomendacja") | None = None

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
