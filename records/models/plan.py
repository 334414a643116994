"""Plan pracy z rodziną: goals, actions, who does them, deadlines, expected effects (art. 15 ust. 3)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import Code, Date, FollowUpForm, LongText, Model, Text
from records.models.rules import future, not_before, ordered


class Dzialanie(Model):
    opis: LongText
    odpowiedzialny: Text
    termin: Date


class Cel(Model):
    cel: LongText
    obszar: Code("obszar") | None = None
    dzialania: list[Dzialanie] = Field(min_length=1, max_length=50)
    oczekiwany_rezultat: LongText


class PlanPracy(FollowUpForm):
    formularz: Literal["plan_pracy"]
    data_sporzadzenia: Date
    okres_od: Date
    okres_do: Date
    diagnoza: LongText | None = None
    zasoby_rodziny: LongText | None = None
    cele: list[Cel] = Field(min_length=1, max_length=30)
    data_konsultacji_z_pracownikiem_socjalnym: Date | None = None
    uwagi: LongText | None = None

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(
            self, today, "data_sporzadzenia", "data_konsultacji_z_pracownikiem_socjalnym"
        )
        errors += ordered(self, "okres_od", "okres_do")
        for g, goal in enumerate(self.cele, start=1):
            for a, action in enumerate(goal.dzialania, start=1):
                path = f"cele[{g}].dzialania[{a}].termin"
                errors += not_before(
                    path, action.termin, self.data_sporzadzenia, "data sporządzenia planu"
                )
        return errors
