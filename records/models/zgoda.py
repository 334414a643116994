"""Zgoda rodziny: the family's consent to work with the assistant, or its withdrawal.

Family support is given "za jej zgodą i aktywnym udziałem" (art. 8 ust. 3 of the Act), so a case
opened on the social worker's request needs the written consent of the adult members; a family
working on consent may withdraw (`rezygnacja`), but not one obliged by a court (art. 109 § 2 pkt 1
of the Family Code): then the court is told instead (`sprawozdanie_dla_sadu`, `brak_wspolpracy`).
The document carries the GDPR information clause (art. 13 GDPR), from `asystent.toml` `[rodo]`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from records.errors import FieldError
from records.facts import Consent
from records.models.common import Code, Date, Flag, Form, Kind, LongText, Text, UniqueList
from records.models.rules import future
from records.wordforms.layout import CASE, F, Layout, Section, Table

LAYOUT = Layout(
    "zgoda_rodziny",
    "Zgoda rodziny na współpracę z asystentem rodziny",
    "Zgoda dorosłych członków rodziny na współpracę z asystentem (art. 8 ust. 3 ustawy) albo "
    "rezygnacja ze współpracy. Dokument zawiera klauzulę informacyjną RODO.",
    (
        Section(
            "I. Zgoda albo rezygnacja",
            (
                CASE,
                F("data", "Data", "date", required=True),
                F("rodzaj", "Rodzaj", "code", vocabulary="rodzaj_zgody", required=True),
                F(
                    "klauzula_informacyjna",
                    "Rodzina otrzymała klauzulę informacyjną RODO",
                    "flag",
                    required=True,
                ),
            ),
        ),
        Section(
            "II. Osoby",
            (
                Table(
                    "osoby",
                    "Osoby podpisujące",
                    (F("", "Imię i nazwisko (dorosły członek rodziny)", required=True),),
                    rows=3,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Przyczyna rezygnacji",
            (
                F("przyczyna", "Przyczyna rezygnacji", "long", hint="tylko przy rezygnacji"),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)

TITLES = {
    "zgoda": "Zgoda rodziny na współpracę z asystentem rodziny",
    "rezygnacja": "Oświadczenie o rezygnacji ze współpracy z asystentem rodziny",
}


class ZgodaRodziny(Form):
    KIND: ClassVar[Kind] = Kind(
        "zgoda_rodziny",
        "Zgoda rodziny na współpracę z asystentem rodziny",
        "data",
        LAYOUT,
        needs="family",
    )

    formularz: Literal["zgoda_rodziny"]
    data: Date
    rodzaj: Code("rodzaj_zgody")
    osoby: UniqueList(Text, min_length=1, max_length=20)
    klauzula_informacyjna: Flag
    przyczyna: LongText | None = None
    uwagi: LongText | None = None

    def natural_key(self, case: Any) -> str:
        return f"{self.KIND.code}:{self.rodzaj}:{self.data.isoformat()}"

    def document_title(self) -> str:
        return TITLES[self.rodzaj]

    def fact(self, who: str, order: int) -> tuple[str, Consent]:
        return "consents", Consent(self.data, self.rodzaj == "zgoda", tuple(self.osoby))

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data")
        if not self.klauzula_informacyjna:
            errors.append(
                FieldError(
                    "klauzula_informacyjna",
                    "przekaż rodzinie klauzulę informacyjną (jest w dokumencie zgody) i zaznacz, "
                    "że ją otrzymała (art. 13 RODO)",
                    "gdpr_clause_missing",
                )
            )
        return errors

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        """The persons are adult members of the family on the day; a family under a court
        order cannot withdraw."""
        errors: list[FieldError] = []
        facts = case.facts if case is not None else None
        if facts is None:
            return errors
        sheet = facts.sheet_on(self.data)
        adults = {m.name for m in sheet.members if m.adult_on(self.data)} if sheet else set()
        everyone = {m.name for m in sheet.members} if sheet else set()
        for number, person in enumerate(self.osoby, start=1):
            if person in adults:
                continue
            why = (
                "ta osoba nie jest pełnoletnia w tym dniu; zgodę podpisują dorośli członkowie rodziny"
                if person in everyone
                else "tej osoby nie ma wśród członków rodziny w metryczce (wpisz imię i nazwisko "
                "tak jak w metryczce)"
            )
            errors.append(FieldError(f"osoby[{number}]", why, "not_an_adult_member"))
        if self.rodzaj == "rezygnacja" and facts.basis_on(self.data) == "postanowienie_sadu":
            errors.append(
                FieldError(
                    "rodzaj",
                    "rodzina jest zobowiązana postanowieniem sądu do pracy z asystentem (art. 109 § 2 "
                    "pkt 1 Kodeksu rodzinnego i opiekuńczego) i nie może z niej zrezygnować; "
                    "poinformuj sąd: formularz sprawozdanie_dla_sadu z rodzajem brak_wspolpracy",
                    "withdrawal_under_court_order",
                )
            )
        return errors
