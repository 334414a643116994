"""Niebieska Karta: the family's "Niebieska Karta" procedure (Act of 29 July 2005 on
counteracting domestic violence, art. 9d) and the assistant's part in the diagnostic-support group
(grupa diagnostyczno-pomocowa) of the interdisciplinary team.

When it started and who started it, its state and end, the group's meetings the assistant took
part in and the tasks given to the assistant. It makes no document (the procedure's forms are
the team's): the case page and `show` list it, for those who may see the case only. Like every
value of a form, none of it is ever written to the log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import Code, Date, FollowUpForm, Kind, LongText
from records.models.rules import future, ordered
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section, Table

LAYOUT = Layout(
    "niebieska_karta",
    "Procedura „Niebieska Karta”",
    "Procedura „Niebieska Karta” w rodzinie i udział asystenta w grupie "
    "diagnostyczno-pomocowej. Zmiana stanu procedury: ten sam formularz z tą samą datą wszczęcia.",
    (
        Section(
            "I. Procedura",
            (
                CASE,
                SUBSTITUTE,
                F("data_wszczecia", "Data wszczęcia procedury", "date", required=True),
                F(
                    "wszczynajacy",
                    "Kto wszczął procedurę",
                    "code",
                    vocabulary="wszczynajacy",
                    required=True,
                ),
                F(
                    "status",
                    "Stan procedury",
                    "code",
                    vocabulary="status_niebieskiej_karty",
                    required=True,
                ),
                F("data_zakonczenia", "Data zakończenia procedury", "date", hint="gdy zakończona"),
            ),
        ),
        Section(
            "II. Grupa diagnostyczno-pomocowa",
            (
                F(
                    "zadania_asystenta",
                    "Zadania asystenta rodziny",
                    "long",
                    hint="ustalone przez grupę",
                ),
                Table(
                    "spotkania_grupy",
                    "Spotkania grupy z udziałem asystenta",
                    (F("", "Data spotkania", "date", required=True),),
                    rows=4,
                ),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)


class NiebieskaKarta(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "niebieska_karta",
        "Procedura „Niebieska Karta”",
        "data_wszczecia",
        LAYOUT,
        document=False,
    )

    formularz: Literal["niebieska_karta"]
    data_wszczecia: Date
    wszczynajacy: Code("wszczynajacy")
    status: Code("status_niebieskiej_karty")
    data_zakonczenia: Date | None = None
    zadania_asystenta: LongText | None = None
    spotkania_grupy: list[Date] = Field(default=[], max_length=60)
    uwagi: LongText | None = None

    def natural_key(self, case: Any) -> str:
        """One procedure per start: a later form with the same start updates its state."""
        return f"{self.KIND.code}:{self.data_wszczecia.isoformat()}"

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data_wszczecia", "data_zakonczenia")
        errors += ordered(self, "data_wszczecia", "data_zakonczenia")
        if self.status == "zakonczona" and self.data_zakonczenia is None:
            errors.append(
                FieldError(
                    "data_zakonczenia", "podaj datę zakończenia zakończonej procedury", "required"
                )
            )
        if self.status == "w_toku" and self.data_zakonczenia is not None:
            errors.append(
                FieldError(
                    "status",
                    "procedura z datą zakończenia jest zakończona: wybierz stan „zakonczona”",
                    "status_mismatch",
                )
            )
        for number, day in enumerate(self.spotkania_grupy, start=1):
            if day < self.data_wszczecia or day > today:
                errors.append(
                    FieldError(
                        f"spotkania_grupy[{number}]",
                        "spotkanie grupy musi się odbyć między wszczęciem procedury a dniem "
                        "dzisiejszym",
                        "range_order",
                    )
                )
        return errors
