"""Metryczka rodziny: the family's fact sheet, the first form of every case."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import (
    Code,
    Date,
    Form,
    LongText,
    Model,
    Pesel,
    PostalCode,
    Text,
    UniqueList,
    pesel_birth_date,
)

MAX_MEMBERS = 30


class Adres(Model):
    ulica: Text
    kod_pocztowy: PostalCode
    miejscowosc: Text
    gmina: Text | None = None


class Czlonek(Model):
    imie: Text
    nazwisko: Text
    data_urodzenia: Date
    pesel: Pesel | None = None
    dokument_tozsamosci: Text | None = None  # when there is no PESEL (art. 38d of the Act)
    rola: Code("rola")
    szkola_lub_praca: Text | None = None
    uwagi: LongText | None = None


class Instytucja(Model):
    nazwa: Text
    rodzaj: Code("rodzaj")
    kontakt: Text | None = None
    osoba_kontaktowa: Text | None = None


class MetryczkaRodziny(Form):
    opens_case: ClassVar[bool] = True

    formularz: Literal["metryczka_rodziny"]
    asystent: Text
    pracownik_socjalny: Text
    data_przydzielenia: Date
    podstawa_objecia: Code("podstawa_objecia") = "wniosek_pracownika_socjalnego"
    sygnatura_postanowienia: Text | None = None
    adres: Adres
    telefon: Text | None = None
    czlonkowie: list[Czlonek] = Field(min_length=1, max_length=MAX_MEMBERS)
    problemy: UniqueList(Code("problemy"))
    instytucje: list[Instytucja]
    sytuacja_mieszkaniowa: LongText | None = None
    zasoby_rodziny: LongText | None = None
    uwagi: LongText | None = None

    def rules(self, today: dt.date) -> list[FieldError]:
        errors: list[FieldError] = []
        if self.data_przydzielenia > today:
            errors.append(_future("data_przydzielenia"))
        if self.podstawa_objecia == "postanowienie_sadu" and not self.sygnatura_postanowienia:
            errors.append(
                FieldError(
                    "sygnatura_postanowienia",
                    "przy objęciu rodziny na podstawie postanowienia sądu podaj jego sygnaturę",
                    "court_reference_missing",
                )
            )
        seen: dict[str, int] = {}
        for number, member in enumerate(self.czlonkowie, start=1):
            path = f"czlonkowie[{number}]"
            if member.data_urodzenia > today:
                errors.append(_future(f"{path}.data_urodzenia"))
            if member.pesel:
                if pesel_birth_date(member.pesel) != member.data_urodzenia:
                    errors.append(
                        FieldError(
                            f"{path}.pesel",
                            "PESEL nie zgadza się z datą urodzenia "
                            f"({path}.data_urodzenia); sprawdź oba pola",
                            "pesel_birth_date_mismatch",
                        )
                    )
                if member.pesel in seen:
                    errors.append(
                        FieldError(
                            f"{path}.pesel",
                            f"ten sam PESEL co czlonkowie[{seen[member.pesel]}]",
                            "pesel_duplicate",
                        )
                    )
                seen.setdefault(member.pesel, number)
        return errors


def _future(path: str) -> FieldError:
    return FieldError(path, "data nie może być późniejsza niż dzisiejsza", "date_in_future")
