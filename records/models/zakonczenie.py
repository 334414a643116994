"""Sprawozdanie z zakończenia pracy z rodziną: closes the case and starts monitoring."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from records.errors import FieldError
from records.facts import add_months
from records.models.common import Code, Date, FollowUpForm, Kind, LongText, Text
from records.models.rules import future, ordered
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section

LAYOUT = Layout(
    "zakonczenie_pracy",
    "Sprawozdanie z zakończenia pracy z rodziną",
    "Zamyka sprawę; później można dodawać tylko protokoły wizyt monitorujących.",
    (
        Section(
            "I. Zakończenie",
            (
                CASE,
                SUBSTITUTE,
                F("data_zakonczenia", "Data zakończenia pracy", "date", required=True),
                F(
                    "przyczyna",
                    "Przyczyna zakończenia",
                    "code",
                    vocabulary="przyczyna",
                    required=True,
                ),
                F("przyczyna_opis", "Opis przyczyny", hint="wymagany przy przyczynie „inna”"),
                F("monitoring_do", "Monitorowanie rodziny do", "date"),
            ),
        ),
        Section(
            "II. Podsumowanie",
            (
                F("podsumowanie", "Podsumowanie pracy z rodziną", "long", required=True),
                F("cele_osiagniete", "Cele osiągnięte", "long"),
                F("cele_nieosiagniete", "Cele nieosiągnięte", "long"),
                F("rekomendacje", "Rekomendacje", "long"),
            ),
        ),
    ),
)


class ZakonczeniePracy(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "zakonczenie_pracy",
        "Sprawozdanie z zakończenia pracy z rodziną",
        "data_zakonczenia",
        LAYOUT,
    )

    formularz: Literal["zakonczenie_pracy"]
    data_zakonczenia: Date
    przyczyna: Code("przyczyna")
    przyczyna_opis: Text | None = None
    podsumowanie: LongText
    cele_osiagniete: LongText | None = None
    cele_nieosiagniete: LongText | None = None
    rekomendacje: LongText | None = None
    monitoring_do: Date | None = None

    def natural_key(self, case: object) -> str:
        """One closing per case: a later one corrects it."""
        return self.KIND.code

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

    def settled(self, settings: Any) -> ZakonczeniePracy:
        """Without `monitoring_do`, the office's `[monitorowanie] miesiace` from the closing;
        not for a family that moved away (another gmina supports it now)."""
        months = settings.monitorowanie.miesiace
        moved = self.przyczyna == "zmiana_miejsca_zamieszkania"
        if self.monitoring_do is not None or not months or moved:
            return self
        until = add_months(self.data_zakonczenia, months)
        return self.model_copy(update={"monitoring_do": until})

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        """A family obliged by a court cannot end the work by withdrawing (as with its consent,
        records/models/zgoda.py): the court is told it does not cooperate."""
        facts = case.facts if case is not None else None
        if (
            facts is None
            or self.przyczyna != "rezygnacja_rodziny"
            or facts.basis_on(self.data_zakonczenia) != "postanowienie_sadu"
        ):
            return []
        return [
            FieldError(
                "przyczyna",
                "rodzina jest zobowiązana postanowieniem sądu do pracy z asystentem (art. 109 § 2 "
                "pkt 1 Kodeksu rodzinnego i opiekuńczego) i nie może z niej zrezygnować; gdy "
                "rodzina nie współpracuje, poinformuj sąd (sprawozdanie_dla_sadu z rodzajem "
                "brak_wspolpracy) i wybierz przyczynę „brak współpracy rodziny” albo „inna”",
                "withdrawal_under_court_order",
            )
        ]
