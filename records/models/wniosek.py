"""Wniosek o przydzielenie asystenta rodziny: the social worker's request after the community
interview (art. 11 ust. 1–3 of the Act). It opens the case; the fact sheet completes it later.

The document is the request as the centre files it, addressed to the head of the centre, with a
place for the head's decision (art. 11 ust. 4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import (
    Code,
    Date,
    Form,
    Kind,
    LongText,
    Model,
    Text,
    UniqueList,
)
from records.models.metryczka import Adres
from records.models.rules import future, ordered
from records.wordforms.layout import CASE, F, Layout, Section, Table


class CzlonekRodziny(Model):
    """A member of the family as the social worker knows it at the interview."""

    imie: Text
    nazwisko: Text
    data_urodzenia: Date
    rola: Code("rola")


LAYOUT = Layout(
    "wniosek_o_asystenta",
    "Wniosek o przydzielenie asystenta rodziny",
    "Wniosek pracownika socjalnego do kierownika ośrodka po przeprowadzeniu wywiadu "
    "środowiskowego (art. 11 ust. 3 ustawy). Otwiera sprawę; metryczka rodziny ją uzupełni.",
    (
        Section(
            "I. Wniosek",
            (
                CASE,
                F("pracownik_socjalny", "Pracownik socjalny", required=True),
                F("data_wniosku", "Data wniosku", "date", required=True),
                F("data_wywiadu", "Data wywiadu środowiskowego", "date", required=True),
                F("adres.ulica", "Ulica i numer", required=True),
                F("adres.kod_pocztowy", "Kod pocztowy", required=True, hint="NN-NNN"),
                F("adres.miejscowosc", "Miejscowość", required=True),
                F("adres.gmina", "Gmina"),
                F("telefon", "Telefon"),
            ),
        ),
        Section(
            "II. Rodzina",
            (
                Table(
                    "czlonkowie",
                    "Członkowie rodziny",
                    (
                        F("imie", "Imię", required=True),
                        F("nazwisko", "Nazwisko", required=True),
                        F("data_urodzenia", "Data urodzenia", "date", required=True),
                        F("rola", "Rola w rodzinie", "code", vocabulary="rola", required=True),
                    ),
                    rows=6,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Problemy rodziny (art. 7 ustawy o pomocy społecznej)",
            (F("problemy", "Problemy rodziny", "codes", vocabulary="problemy"),),
        ),
        Section(
            "IV. Uzasadnienie",
            (
                F("uzasadnienie", "Uzasadnienie wniosku", "long", required=True),
                F("proponowane_wsparcie", "Proponowany zakres wsparcia asystenta", "long"),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)


class WniosekOAsystenta(Form):
    KIND: ClassVar[Kind] = Kind(
        "wniosek_o_asystenta",
        "Wniosek o przydzielenie asystenta rodziny",
        "data_wniosku",
        LAYOUT,
        opens_case=True,
        needs="case",
    )

    formularz: Literal["wniosek_o_asystenta"]
    pracownik_socjalny: Text
    data_wniosku: Date
    data_wywiadu: Date
    adres: Adres
    telefon: Text | None = None
    czlonkowie: list[CzlonekRodziny] = Field(min_length=1, max_length=30)
    problemy: UniqueList(Code("problemy"))
    uzasadnienie: LongText
    proponowane_wsparcie: LongText | None = None
    uwagi: LongText | None = None

    def natural_key(self, case: Any) -> str:
        """One request per case: a later one corrects it."""
        return self.KIND.code

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data_wniosku", "data_wywiadu")
        errors += ordered(self, "data_wywiadu", "data_wniosku")
        return errors
