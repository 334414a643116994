"""Protokół z wejścia do rodziny: one visit (entry into the family)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import (
    Code,
    Date,
    Flag,
    FollowUpForm,
    Hour,
    LongText,
    Model,
    Text,
    UniqueList,
)
from records.models.rules import future, not_before, ordered


class Ustalenie(Model):
    zadanie: LongText
    termin: Date
    odpowiedzialny: Text


class ProtokolWizyty(FollowUpForm):
    formularz: Literal["protokol_wizyty"]
    data: Date
    godzina_od: Hour
    godzina_do: Hour
    miejsce: Text = "miejsce zamieszkania rodziny"
    monitoring: Flag = False  # a contact after the case was closed (art. 15 ust. 1 pkt 16)
    obecni: UniqueList(Text, min_length=1, max_length=40)
    cel_wizyty: LongText
    obszary_wsparcia: UniqueList(Code("obszary_wsparcia")) = []
    realizacja_poprzednich_ustalen: LongText | None = None
    przebieg: LongText
    ustalenia: list[Ustalenie] = Field(max_length=50)
    uwagi: LongText | None = None
    nastepna_wizyta: Date | None = None

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data")
        errors += ordered(self, "godzina_od", "godzina_do", strict=True)
        errors += not_before("nastepna_wizyta", self.nastepna_wizyta, self.data, "data tej wizyty")
        for number, item in enumerate(self.ustalenia, start=1):
            path = f"ustalenia[{number}].termin"
            errors += not_before(path, item.termin, self.data, "data wizyty")
        return errors

    @property
    def minutes(self) -> int:
        """Length of the visit in minutes (reports count hours of direct work)."""
        start = self.godzina_od.hour * 60 + self.godzina_od.minute
        return self.godzina_do.hour * 60 + self.godzina_do.minute - start
