"""Sprawozdanie z zakończenia pracy z rodziną: closes the case and starts monitoring."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from records.errors import FieldError
from records.models.common import Code, Date, FollowUpForm, LongText, Text
from records.models.rules import future, ordered


class ZakonczeniePracy(FollowUpForm):
    formularz: Literal["zakonczenie_pracy"]
    data_zakonczenia: Date
    przyczyna: Code("przyczyna")
    przyczyna_opis: Text | None = None
    podsumowanie: LongText
    cele_osiagniete: LongText | None = None
    cele_nieosiagniete: LongText | None = None
    rekomendacje: LongText | None = None
    monitoring_do: Date | None = None

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data_zakonczenia")
        errors += ordered(self, "data_zakonczenia", "monitoring_do")
        if self.przyczyna == "inna" and not self.przyczyna_opis:
            errors.append(
                FieldError(
                    "przyczyna_opis",
                    "przy przyczynie „inna” opisz ją w polu przyczyna_opis",
                    "reason_description_missing",
                )
            )
        return errors
