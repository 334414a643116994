"""Przydzielenie asystenta: who works with the family from when.

The fact sheet names the first assistant from `data_przydzielenia`; this form changes it from a
date: a first assignment (when the case began with a request or a court order), a change of
assistant, a substitution for a period (the regular assistant returns after it), a suspension of
the work for a period (nobody works with the family then), and its resumption. The document is
the letter that tells the family.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from records.errors import FieldError
from records.facts import AssignmentEvent
from records.models.common import Code, Date, FollowUpForm, Kind, LongText, Text
from records.models.rules import assistant_is_social_worker, future, ordered
from records.wordforms.layout import CASE, F, Layout, Section

LAYOUT = Layout(
    "przydzielenie_asystenta",
    "Przydzielenie asystenta rodziny",
    "Kto pracuje z rodziną od kiedy: przydzielenie, zmiana, zastępstwo, zawieszenie albo "
    "wznowienie pracy. Z formularza powstaje pismo informujące rodzinę.",
    (
        Section(
            "I. Przydzielenie",
            (
                CASE,
                F("data", "Data pisma", "date", required=True),
                F(
                    "rodzaj",
                    "Rodzaj",
                    "code",
                    vocabulary="rodzaj_przydzielenia",
                    required=True,
                ),
                F("asystent", "Asystent rodziny", hint="nie wypełniaj przy zawieszeniu"),
                F("od", "Od dnia", "date", required=True),
                F("do", "Do dnia", "date", hint="wymagane przy zastępstwie i zawieszeniu"),
            ),
        ),
        Section(
            "II. Przyczyna",
            (
                F("przyczyna", "Przyczyna", "long", hint="np. urlop, choroba, zmiana rejonu"),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)

TITLES = {
    "przydzielenie": "Informacja o przydzieleniu asystenta rodziny",
    "zmiana": "Informacja o zmianie asystenta rodziny",
    "zastepstwo": "Informacja o zastępstwie asystenta rodziny",
    "zawieszenie": "Informacja o zawieszeniu pracy asystenta rodziny",
    "wznowienie": "Informacja o wznowieniu pracy asystenta rodziny",
}

# The kinds that name who works with the family from `od`.
WITH_ASSISTANT = ("przydzielenie", "zmiana", "zastepstwo", "wznowienie")
FOR_A_PERIOD = ("zastepstwo", "zawieszenie")


class PrzydzielenieAsystenta(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "przydzielenie_asystenta",
        "Informacja o przydzieleniu asystenta rodziny",
        "data",
        LAYOUT,
        needs="family",
    )

    formularz: Literal["przydzielenie_asystenta"]
    data: Date
    rodzaj: Code("rodzaj_przydzielenia")
    asystent: Text | None = None
    od: Date
    do: Date | None = None
    przyczyna: LongText | None = None
    uwagi: LongText | None = None

    def natural_key(self, case: Any) -> str:
        return f"{self.KIND.code}:{self.rodzaj}:{self.od.isoformat()}"

    def fact(self, who: str, order: int) -> tuple[str, AssignmentEvent]:
        return "assignment_events", AssignmentEvent(
            self.rodzaj, self.od, self.do, self.asystent, order
        )

    def document_title(self) -> str:
        return TITLES[self.rodzaj]

    def document_values(self, case: Any) -> dict[str, Any]:
        """Who worked with the family before (the letter names whom a change or a substitution
        replaces): the regular assistant on the day before `od`."""
        return {"poprzedni_asystent": case.regular_assistant_on(self.od - dt.timedelta(days=1))}

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data") + ordered(self, "od", "do")
        if self.rodzaj in WITH_ASSISTANT and not self.asystent:
            errors.append(
                FieldError(
                    "asystent", "podaj asystenta rodziny, który pracuje z rodziną", "required"
                )
            )
        if self.rodzaj == "zawieszenie" and self.asystent:
            errors.append(
                FieldError(
                    "asystent",
                    "przy zawieszeniu pracy nie podaje się asystenta (nikt wtedy nie pracuje "
                    "z rodziną)",
                    "assistant_in_suspension",
                )
            )
        if self.rodzaj in FOR_A_PERIOD and self.do is None:
            errors.append(
                FieldError(
                    "do",
                    "przy zastępstwie i zawieszeniu podaj, do kiedy trwa",
                    "required",
                )
            )
        return errors

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        """The change must make sense on its first day (`case` is a records.case.Case)."""
        on = case.assignment_on(self.od)
        errors: list[FieldError] = []
        facts = case.facts
        if facts is not None and facts.start is not None and self.od < facts.start:
            errors.append(
                FieldError(
                    "od",
                    "data jest wcześniejsza niż data przydzielenia asystenta w metryczce rodziny",
                    "before_assignment",
                )
            )
            return errors
        worker = facts.social_worker_on(self.od) if facts is not None and facts.sheets else ""
        if self.asystent and worker and self.asystent.casefold() == worker.casefold():
            errors.append(
                assistant_is_social_worker(
                    "asystent", f"{worker} jest pracownikiem socjalnym rodziny"
                )
            )
        if self.rodzaj == "przydzielenie" and on is not None and on.asystent:
            same = (
                " ".join(on.asystent.split()).casefold()
                == " ".join((self.asystent or "").split()).casefold()
            )
            if not same:
                errors.append(
                    FieldError(
                        "rodzaj",
                        f"rodzina ma już asystenta ({on.asystent}) w dniu {self.od.isoformat()}; "
                        "inny asystent od tego dnia to rodzaj „zmiana”",
                        "already_assigned",
                    )
                )
            elif on.start != self.od:  # the letter of the assignment the fact sheet records
                errors.append(
                    FieldError(
                        "od",
                        f"{on.asystent} pracuje z rodziną już od {on.start.isoformat()}; pismo "
                        f"o przydzieleniu podaje w polu od ten dzień ({on.start.isoformat()})",
                        "already_assigned",
                    )
                )
        if self.rodzaj in ("zmiana", "zastepstwo") and on is not None:
            if on.asystent is None:
                errors.append(
                    FieldError(
                        "od",
                        "w tym dniu praca z rodziną jest zawieszona; najpierw wznów pracę "
                        "(rodzaj „wznowienie”)",
                        "suspended",
                    )
                )
            elif on.asystent == self.asystent:
                errors.append(
                    FieldError(
                        "asystent",
                        "ta osoba jest już asystentem tej rodziny w tym dniu",
                        "same_assistant",
                    )
                )
        if self.rodzaj == "zawieszenie" and on is not None and on.asystent is None:
            errors.append(
                FieldError("od", "praca z rodziną jest już wtedy zawieszona", "suspended")
            )
        if self.rodzaj == "wznowienie" and (on is None or on.asystent is not None):
            errors.append(
                FieldError(
                    "rodzaj",
                    "w tym dniu praca z rodziną nie jest zawieszona; wznowić można tylko pracę "
                    "zawieszoną",
                    "not_suspended",
                )
            )
        return errors
