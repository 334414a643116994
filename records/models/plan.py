"""Plan pracy z rodziną: goals, actions, who does them, deadlines, expected effects (art. 15 ust. 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.facts import Period
from records.models.common import Code, Date, FollowUpForm, Kind, LongText, Model, Text
from records.models.rules import future, not_before, ordered
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section, Table


class Dzialanie(Model):
    opis: LongText
    odpowiedzialny: Text
    termin: Date


class Cel(Model):
    cel: LongText
    obszar: Code("obszar") | None = None
    dzialania: list[Dzialanie] = Field(min_length=1, max_length=50)
    oczekiwany_rezultat: LongText


LAYOUT = Layout(
    "plan_pracy",
    "Plan pracy z rodziną",
    "Cele ponumeruj w pierwszej kolumnie; w tabeli działań wpisz numer celu, którego dotyczą.",
    (
        Section(
            "I. Informacje o planie",
            (
                CASE,
                SUBSTITUTE,
                F("data_sporzadzenia", "Data sporządzenia", "date", required=True),
                F("okres_od", "Okres realizacji od", "date", required=True),
                F("okres_do", "Okres realizacji do", "date", required=True),
                F(
                    "data_konsultacji_z_pracownikiem_socjalnym",
                    "Data konsultacji z pracownikiem socjalnym",
                    "date",
                ),
            ),
        ),
        Section(
            "II. Diagnoza i zasoby",
            (
                F("diagnoza", "Diagnoza potrzeb i problemów", "long"),
                F("zasoby_rodziny", "Zasoby rodziny", "long"),
            ),
        ),
        Section(
            "III. Cele (art. 15 ust. 3 ustawy)",
            (
                Table(
                    "cele",
                    "Cele",
                    (
                        F("nr", "Nr celu", required=True),
                        F("cel", "Cel", "long", required=True),
                        F("obszar", "Obszar", "code", vocabulary="obszar"),
                        F("oczekiwany_rezultat", "Przewidywane efekty", "long", required=True),
                    ),
                    rows=3,
                    required=True,
                ),
                Table(
                    "cele.dzialania",
                    "Działania",
                    (
                        F("nr_celu", "Nr celu", required=True),
                        F("opis", "Działanie", "long", required=True),
                        F("odpowiedzialny", "Odpowiedzialny", required=True),
                        F("termin", "Termin", "date", required=True),
                    ),
                    rows=6,
                    required=True,
                    parent_column="nr_celu",
                ),
            ),
        ),
        Section(
            "IV. Dziecko w pieczy zastępczej: plan pomocy dziecku (art. 15 ust. 1 pkt 2 ustawy)",
            (
                F(
                    "plan_pomocy_dziecku_data",
                    "Data planu pomocy dziecku",
                    "date",
                    hint="tylko gdy dziecko z rodziny jest w pieczy zastępczej",
                ),
                F("koordynator", "Koordynator rodzinnej pieczy zastępczej", hint="imię i nazwisko"),
                Table(
                    "wspolne_spotkania",
                    "Wspólne spotkania z koordynatorem",
                    (F("", "Data spotkania", "date", required=True),),
                    rows=3,
                ),
                F(
                    "uzgodnienia_z_koordynatorem",
                    "Uzgodnienia z koordynatorem i planem pomocy dziecku",
                    "long",
                ),
            ),
        ),
        Section("V. Uwagi", (F("uwagi", "Uwagi", "long"),)),
    ),
)


class PlanPracy(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "plan_pracy", "Plan pracy z rodziną", "data_sporzadzenia", LAYOUT, own_work=True
    )

    formularz: Literal["plan_pracy"]
    data_sporzadzenia: Date
    okres_od: Date
    okres_do: Date
    diagnoza: LongText | None = None
    zasoby_rodziny: LongText | None = None
    cele: list[Cel] = Field(min_length=1, max_length=30)
    data_konsultacji_z_pracownikiem_socjalnym: Date | None = None
    plan_pomocy_dziecku_data: Date | None = None
    koordynator: Text | None = None
    wspolne_spotkania: list[Date] = Field(default=[], max_length=40)
    uzgodnienia_z_koordynatorem: LongText | None = None
    uwagi: LongText | None = None

    def fact(self, who: str, order: int) -> tuple[str, Period]:
        consulted = self.data_konsultacji_z_pracownikiem_socjalnym is not None
        return "plans", Period(self.data_sporzadzenia, self.okres_od, self.okres_do, who, consulted)

    def document_values(self, case: Any) -> dict[str, Any]:
        """The coordinator the plan works with: its own, else the placement's."""
        facts = case.facts if case is not None else None
        placed = facts.placed_on(self.data_sporzadzenia) if facts is not None else []
        named = [p.koordynator for p in placed if p.koordynator]
        return {"koordynator_pieczy": self.koordynator or ", ".join(dict.fromkeys(named))}

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(
            self,
            today,
            "data_sporzadzenia",
            "data_konsultacji_z_pracownikiem_socjalnym",
            "plan_pomocy_dziecku_data",
        )
        errors += ordered(self, "okres_od", "okres_do")
        for g, goal in enumerate(self.cele, start=1):
            for a, action in enumerate(goal.dzialania, start=1):
                path = f"cele[{g}].dzialania[{a}].termin"
                errors += not_before(
                    path, action.termin, self.data_sporzadzenia, "data sporządzenia planu"
                )
        return errors
