"""Interwencja: what the assistant did when a child's safety was at risk (art. 15 ust. 1 pkt 12
of the Act: "podejmowanie działań interwencyjnych i zaradczych w sytuacji zagrożenia
bezpieczeństwa dzieci i rodziny").

The threat, what was done, who was told, and the day by which the family's situation is to be
checked again. Until a visit or a note follows it, and again when the check day passes with no
contact from that day on, the case has an urgent alert ("pilne"), first in every list of
deadlines and on the families page. Document: "Notatka z interwencji".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from records.errors import FieldError
from records.facts import Intervention
from records.models.common import (
    Code,
    Date,
    FollowUpForm,
    Hour,
    Kind,
    LongText,
    Text,
    UniqueList,
)
from records.models.rules import future, not_before
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section, Table

LAYOUT = Layout(
    "interwencja",
    "Notatka z interwencji",
    "Działania interwencyjne w sytuacji zagrożenia bezpieczeństwa dziecka (art. 15 ust. 1 pkt 12 "
    "ustawy). Poprawka: ta sama data i godzina.",
    (
        Section(
            "I. Interwencja",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data interwencji", "date", required=True),
                F("godzina", "Godzina", "time", hint="GG:MM"),
                F("miejsce", "Miejsce", hint="np. mieszkanie rodziny, szkoła"),
                F(
                    "termin_sprawdzenia",
                    "Termin ponownego sprawdzenia sytuacji dziecka",
                    "date",
                    required=True,
                ),
            ),
        ),
        Section(
            "II. Dzieci, których dotyczy",
            (
                Table(
                    "dzieci",
                    "Dzieci",
                    (F("", "Imię i nazwisko dziecka", required=True),),
                    rows=3,
                ),
            ),
        ),
        Section(
            "III. Zagrożenie i działania",
            (
                F("zagrozenie", "Na czym polegało zagrożenie", "long", required=True),
                F("dzialania", "Podjęte działania", "long", required=True),
                F(
                    "powiadomiono",
                    "Powiadomiono",
                    "codes",
                    vocabulary="powiadomiono",
                ),
                F(
                    "powiadomiono_opis",
                    "Kogo i kiedy powiadomiono",
                    "long",
                    hint="np. dzielnicowy st. sierż. Jan Nowak, 14:20",
                ),
                F("dalsze_kroki", "Dalsze kroki", "long"),
            ),
        ),
    ),
)


class Interwencja(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "interwencja", "Notatka z interwencji", "data", LAYOUT, own_work=True
    )

    formularz: Literal["interwencja"]
    data: Date
    godzina: Hour | None = None
    miejsce: Text | None = None
    termin_sprawdzenia: Date
    dzieci: UniqueList(Text, max_length=20) = []
    zagrozenie: LongText
    dzialania: LongText
    powiadomiono: UniqueList(Code("powiadomiono")) = []
    powiadomiono_opis: LongText | None = None
    dalsze_kroki: LongText | None = None

    def natural_key(self, case: Any) -> str:
        hour = self.godzina.strftime("%H:%M") if self.godzina else ""
        return f"{self.KIND.code}:{self.data.isoformat()}T{hour}"

    def fact(self, who: str, order: int) -> tuple[str, Intervention]:
        return "interventions", Intervention(self.data, self.godzina, self.termin_sprawdzenia, who)

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data")
        errors += not_before(
            "termin_sprawdzenia", self.termin_sprawdzenia, self.data, "data interwencji"
        )
        return errors

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        """The children named are members of the family on the day."""
        facts = case.facts if case is not None else None
        if facts is None:
            return []
        members = {m.name for m in facts.sheet_on(self.data).members}
        return [
            FieldError(
                f"dzieci[{number}]",
                "tej osoby nie ma wśród członków rodziny w metryczce (wpisz imię i nazwisko tak "
                "jak w metryczce)",
                "not_a_member",
            )
            for number, name in enumerate(self.dzieci, start=1)
            if name not in members
        ]
