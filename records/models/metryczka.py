"""Metryczka rodziny: the family's fact sheet, the first form of every case."""

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
    Pesel,
    PostalCode,
    Text,
    UniqueList,
    for_display,
    pesel_birth_date,
)
from records.models.rules import assistant_is_social_worker
from records.wordforms.layout import CASE, F, Layout, Section, Table

MAX_MEMBERS = 30
# Art. 16 ust. 1 pkt 1 of the Act, as the fact sheet prints them.
MEMBER_DETAILS = (
    ("obywatelstwo", "obywatelstwo"),
    ("stan_cywilny", "stan cywilny"),
    ("wyksztalcenie", "wykształcenie"),
    ("zawod", "zawód"),
    ("miejsce_pracy", "miejsce pracy"),
    ("zrodla_dochodu", "źródła dochodu"),
    ("sytuacja_prawna", "sytuacja prawna"),
    ("miejsce_pobytu", "miejsce pobytu"),
    ("rozwoj", "rozwój"),
)


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
    # What art. 16 ust. 1 pkt 1 of the Act lets the assistant know; all optional.
    obywatelstwo: Text | None = None
    stan_cywilny: Code("stan_cywilny") | None = None
    wyksztalcenie: Code("wyksztalcenie") | None = None
    zawod: Text | None = None
    miejsce_pracy: Text | None = None
    zrodla_dochodu: Text | None = None
    # ...and for a child: the legal situation, where the child is now, development.
    sytuacja_prawna: Text | None = None
    miejsce_pobytu: Text | None = None
    rozwoj: LongText | None = None


class Instytucja(Model):
    nazwa: Text
    rodzaj: Code("rodzaj_instytucji")
    kontakt: Text | None = None
    osoba_kontaktowa: Text | None = None


LAYOUT = Layout(
    "metryczka_rodziny",
    "Metryczka rodziny",
    "Pierwszy formularz sprawy. Aktualizacja: ta sama sprawa i data aktualizacji, od której "
    "obowiązują nowe dane (zmianę asystenta zgłasza się formularzem przydzielenia).",
    (
        Section(
            "I. Dane sprawy",
            (
                CASE,
                F("asystent", "Asystent rodziny", required=True),
                F("pracownik_socjalny", "Pracownik socjalny", required=True),
                F("data_przydzielenia", "Data przydzielenia asystenta", "date", required=True),
                F(
                    "data_aktualizacji",
                    "Data aktualizacji",
                    "date",
                    hint="tylko w aktualizacji metryczki: od kiedy obowiązują nowe dane",
                ),
                F(
                    "podstawa_objecia",
                    "Podstawa objęcia wsparciem",
                    "code",
                    vocabulary="podstawa_objecia",
                ),
                F(
                    "sygnatura_postanowienia",
                    "Sygnatura postanowienia sądu",
                    hint="tylko przy postanowieniu sądu",
                ),
                F("adres.ulica", "Ulica i numer", required=True),
                F("adres.kod_pocztowy", "Kod pocztowy", required=True, hint="NN-NNN"),
                F("adres.miejscowosc", "Miejscowość", required=True),
                F("adres.gmina", "Gmina"),
                F("telefon", "Telefon"),
            ),
        ),
        Section(
            "II. Członkowie rodziny",
            (
                Table(
                    "czlonkowie",
                    "Członkowie rodziny",
                    (
                        F("imie", "Imię", required=True),
                        F("nazwisko", "Nazwisko", required=True),
                        F("data_urodzenia", "Data urodzenia", "date", required=True),
                        F("pesel", "PESEL"),
                        F("dokument_tozsamosci", "Dokument tożsamości", hint="gdy brak PESEL"),
                        F("rola", "Rola w rodzinie", "code", vocabulary="rola", required=True),
                        F("szkola_lub_praca", "Szkoła / praca"),
                        F("uwagi", "Uwagi", "long"),
                    ),
                    rows=6,
                    required=True,
                ),
                Table(
                    "czlonkowie_dane",
                    "Dane członków rodziny (art. 16 ust. 1 pkt 1 ustawy)",
                    (
                        F("nr_czlonka", "Nr osoby", required=True),
                        F("obywatelstwo", "Obywatelstwo"),
                        F("stan_cywilny", "Stan cywilny", "code", vocabulary="stan_cywilny"),
                        F("wyksztalcenie", "Wykształcenie", "code", vocabulary="wyksztalcenie"),
                        F("zawod", "Zawód"),
                        F("miejsce_pracy", "Miejsce pracy"),
                        F("zrodla_dochodu", "Źródła dochodu"),
                    ),
                    rows=4,
                    hint="nr osoby = numer jej wiersza w tabeli powyżej; wszystko opcjonalne",
                    parent_column="nr_czlonka",
                    merge_into="czlonkowie",
                ),
                Table(
                    "czlonkowie_dzieci",
                    "Dzieci: sytuacja prawna, miejsce pobytu, rozwój",
                    (
                        F("nr_czlonka", "Nr osoby", required=True),
                        F("sytuacja_prawna", "Sytuacja prawna dziecka"),
                        F("miejsce_pobytu", "Aktualne miejsce pobytu"),
                        F("rozwoj", "Rozwój psychofizyczny", "long"),
                    ),
                    rows=3,
                    hint="np. władza rodzicielska ograniczona; internat, piecza zastępcza",
                    parent_column="nr_czlonka",
                    merge_into="czlonkowie",
                ),
            ),
        ),
        Section(
            "III. Problemy rodziny (art. 7 ustawy o pomocy społecznej)",
            (F("problemy", "Problemy rodziny", "codes", vocabulary="problemy"),),
        ),
        Section(
            "IV. Instytucje współpracujące z rodziną",
            (
                Table(
                    "instytucje",
                    "Instytucje współpracujące",
                    (
                        F("nazwa", "Nazwa", required=True),
                        F(
                            "rodzaj",
                            "Rodzaj",
                            "code",
                            vocabulary="rodzaj_instytucji",
                            required=True,
                        ),
                        F("kontakt", "Kontakt"),
                        F("osoba_kontaktowa", "Osoba kontaktowa"),
                    ),
                    rows=3,
                ),
            ),
        ),
        Section(
            "V. Sytuacja rodziny",
            (
                F("sytuacja_mieszkaniowa", "Sytuacja mieszkaniowa", "long"),
                F("zasoby_rodziny", "Zasoby i mocne strony rodziny", "long"),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)


class MetryczkaRodziny(Form):
    KIND: ClassVar[Kind] = Kind(
        "metryczka_rodziny", "Metryczka rodziny", "data_przydzielenia", LAYOUT, opens_case=True
    )

    formularz: Literal["metryczka_rodziny"]
    asystent: Text
    pracownik_socjalny: Text
    data_przydzielenia: Date
    data_aktualizacji: Date | None = None
    # No default: a court-ordered family entered without it must not silently count as voluntary;
    # the case's basis comes from its history (records.facts.CaseFacts.basis_on).
    podstawa_objecia: Code("podstawa_objecia") | None = None
    sygnatura_postanowienia: Text | None = None
    adres: Adres
    telefon: Text | None = None
    czlonkowie: list[Czlonek] = Field(min_length=1, max_length=MAX_MEMBERS)
    problemy: UniqueList(Code("problemy"))
    instytucje: list[Instytucja]
    sytuacja_mieszkaniowa: LongText | None = None
    zasoby_rodziny: LongText | None = None
    uwagi: LongText | None = None

    def natural_key(self, case: object) -> str:
        """The first fact sheet (and its corrections), or an update that holds from its date."""
        if self.data_aktualizacji is None:
            return self.KIND.code
        return f"{self.KIND.code}:{self.data_aktualizacji.isoformat()}"

    @property
    def holds_from(self) -> dt.date:
        """The day its values hold from: its update's date, or the assignment's."""
        return self.data_aktualizacji or self.data_przydzielenia

    @property
    def date(self) -> dt.date:
        return self.holds_from

    def rules(self, today: dt.date) -> list[FieldError]:
        errors: list[FieldError] = []
        if self.data_przydzielenia > today:
            errors.append(_future("data_przydzielenia"))
        if self.asystent.casefold() == self.pracownik_socjalny.casefold():
            errors.append(
                assistant_is_social_worker("asystent", "ta sama osoba jest pracownikiem socjalnym")
            )
        if self.data_aktualizacji is not None:
            if self.data_aktualizacji > today:
                errors.append(_future("data_aktualizacji"))
            if self.data_aktualizacji < self.data_przydzielenia:
                errors.append(
                    FieldError(
                        "data_aktualizacji",
                        "aktualizacja nie może być wcześniejsza niż data przydzielenia asystenta",
                        "range_order",
                    )
                )
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

    def document_values(self, case: Any) -> dict[str, Any]:
        """Each member with `szczegoly`: the art. 16 data given, as one line for the document."""
        members = for_display(self)["czlonkowie"]
        for member in members:
            member["szczegoly"] = "; ".join(
                f"{label}: {member[key]}" for key, label in MEMBER_DETAILS if member.get(key)
            )
        return {"czlonkowie": members}

    def _not_the_social_worker(self, case: Any) -> list[FieldError]:
        """Art. 17 ust. 3 across the case: whoever requested the assistant or is the family's
        social worker is not its assistant, and the assistant working with the family on the
        sheet's day (a substitute too) is not named its social worker."""
        request = case.request
        workers = {request.pracownik_socjalny.casefold()} if request is not None else set()
        errors = []
        if self.asystent.casefold() in workers:
            errors.append(
                assistant_is_social_worker(
                    "asystent",
                    "ta osoba złożyła wniosek o asystenta jako pracownik socjalny rodziny",
                )
            )
        working = {
            name.casefold()
            for name in (
                case.assistant_on(self.holds_from),
                case.regular_assistant_on(self.holds_from),
            )
            if name
        }
        if self.pracownik_socjalny.casefold() in working:
            errors.append(
                assistant_is_social_worker(
                    "pracownik_socjalny", "ta osoba jest asystentem rodziny w tej sprawie"
                )
            )
        return errors

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        """An update keeps the case's start, and names the assistant who works with the family
        on its date (a change of assistant is a `przydzielenie_asystenta`)."""
        if case is None:
            return []
        errors = self._not_the_social_worker(case)
        if case.start is None:
            return errors
        if self.data_aktualizacji is None and not case.sheets:
            regular = case.regular_assistant_on(self.data_przydzielenia)
            if case.start != self.data_przydzielenia or regular != self.asystent:
                errors.append(
                    FieldError(
                        "asystent",
                        f"asystenta przydzielono już od {case.start.isoformat()} "
                        f"({case.regular_assistant_on(case.start)}); metryczka ma wskazywać tę "
                        "samą osobę i datę przydzielenia",
                        "assignment_differs",
                    )
                )
            return errors
        if self.data_przydzielenia != case.start:
            errors.append(
                FieldError(
                    "data_przydzielenia",
                    f"sprawa ma datę przydzielenia asystenta {case.start.isoformat()}; "
                    "aktualizacja metryczki jej nie zmienia",
                    "start_changed",
                )
            )
        if self.data_aktualizacji is not None:
            regular = case.regular_assistant_on(self.data_aktualizacji)
            if regular is not None and regular != self.asystent:
                errors.append(
                    FieldError(
                        "asystent",
                        f"w dniu aktualizacji asystentem rodziny jest {regular}; zmianę "
                        "asystenta zgłasza się formularzem przydzielenie_asystenta",
                        "assistant_change_needs_assignment",
                    )
                )
        return errors


def _future(path: str) -> FieldError:
    return FieldError(path, "data nie może być późniejsza niż dzisiejsza", "date_in_future")
