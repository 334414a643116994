"""Protokół z wejścia do rodziny: one visit (entry into the family)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.facts import Visit
from records.models.common import (
    Code,
    Date,
    Flag,
    FollowUpForm,
    Hour,
    Kind,
    LongText,
    Model,
    Text,
    UniqueList,
)
from records.models.rules import future, not_before, ordered
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section, Table


class Ustalenie(Model):
    zadanie: LongText
    termin: Date
    odpowiedzialny: Text


LAYOUT = Layout(
    "protokol_wizyty",
    "Protokół z wejścia do rodziny",
    "Jeden formularz = jedna wizyta. Poprawka: wyślij formularz z tą samą datą i godziną "
    "rozpoczęcia.",
    (
        Section(
            "I. Wizyta",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data wizyty", "date", required=True),
                F("godzina_od", "Godzina rozpoczęcia", "time", required=True, hint="GG:MM"),
                F("godzina_do", "Godzina zakończenia", "time", required=True, hint="GG:MM"),
                F("miejsce", "Miejsce", hint="domyślnie miejsce zamieszkania rodziny"),
                F("monitoring", "Wizyta monitorująca po zakończeniu pracy z rodziną", "flag"),
                F("nastepna_wizyta", "Planowana następna wizyta", "date"),
            ),
        ),
        Section(
            "II. Obecni",
            (
                Table(
                    "obecni",
                    "Obecni",
                    (F("", "Imię i nazwisko (także asystenta)", required=True),),
                    rows=4,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Przebieg",
            (
                F("cel_wizyty", "Cel wizyty", "long", required=True),
                F("obszary_wsparcia", "Obszary wsparcia", "codes", vocabulary="obszary_wsparcia"),
                F(
                    "realizacja_poprzednich_ustalen",
                    "Realizacja ustaleń z poprzedniej wizyty",
                    "long",
                ),
                F("przebieg", "Przebieg wizyty", "long", required=True),
            ),
        ),
        Section(
            "IV. Ustalenia",
            (
                Table(
                    "ustalenia",
                    "Ustalenia",
                    (
                        F("zadanie", "Zadanie", "long", required=True),
                        F("termin", "Termin", "date", required=True),
                        F("odpowiedzialny", "Odpowiedzialny", required=True),
                    ),
                    rows=4,
                ),
            ),
        ),
        Section("V. Uwagi", (F("uwagi", "Uwagi i obserwacje", "long"),)),
    ),
)


class ProtokolWizyty(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "protokol_wizyty", "Protokół z wejścia do rodziny", "data", LAYOUT, own_work=True
    )

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

    def natural_key(self, case: object) -> str:
        """A visit per date and starting hour."""
        return f"{self.KIND.code}:{self.data.isoformat()}T{self.godzina_od.strftime('%H:%M')}"

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data")
        errors += ordered(self, "godzina_od", "godzina_do", strict=True)
        errors += not_before("nastepna_wizyta", self.nastepna_wizyta, self.data, "data tej wizyty")
        for number, item in enumerate(self.ustalenia, start=1):
            path = f"ustalenia[{number}].termin"
            errors += not_before(path, item.termin, self.data, "data wizyty")
        return errors

    def fact(self, who: str, order: int) -> tuple[str, Visit]:
        return "visits", Visit(
            self.data,
            self.minutes,
            self.monitoring,
            tuple(self.obszary_wsparcia),
            who,
            self.godzina_od,
            self.godzina_do,
        )

    def document_values(self, case: object) -> dict[str, int]:
        return {"minuty": self.minutes}

    @property
    def minutes(self) -> int:
        """Length of the visit in minutes (reports count hours of direct work)."""
        start = self.godzina_od.hour * 60 + self.godzina_od.minute
        return self.godzina_do.hour * 60 + self.godzina_do.minute - start
