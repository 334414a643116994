"""Umieszczenie dziecka: a child of the family placed in foster care, or back home.

A placement does not end the work with the family: the assistant works for the child's return
(art. 10 ust. 4, art. 15 ust. 1 pkt 2 of the Act), with the foster-care coordinator and the
child's help plan. So the case stays open, the fact sheet, the plan and the documents show the
child as placed, and the reports count families with placed children and the returns. It makes
no document of its own (the court's order and the county's papers are the documents).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from records.errors import FieldError
from records.facts import PlacementEvent
from records.models.common import Code, Date, FollowUpForm, Kind, LongText, Model, Text
from records.models.rules import future
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section


class Dziecko(Model):
    imie: Text
    nazwisko: Text

    @property
    def name(self) -> str:
        return f"{self.imie} {self.nazwisko}"


LAYOUT = Layout(
    "umieszczenie_dziecka",
    "Umieszczenie dziecka w pieczy zastępczej",
    "Umieszczenie dziecka z rodziny w pieczy zastępczej albo jego powrót do rodziny. Praca "
    "z rodziną trwa dalej (art. 10 ust. 4 ustawy).",
    (
        Section(
            "I. Dziecko",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data umieszczenia albo powrotu", "date", required=True),
                F(
                    "rodzaj",
                    "Rodzaj",
                    "code",
                    vocabulary="rodzaj_umieszczenia",
                    required=True,
                ),
                F("dziecko.imie", "Imię dziecka", required=True, hint="jak w metryczce"),
                F("dziecko.nazwisko", "Nazwisko dziecka", required=True),
            ),
        ),
        Section(
            "II. Piecza zastępcza",
            (
                F(
                    "forma",
                    "Forma pieczy zastępczej",
                    "code",
                    vocabulary="forma_pieczy",
                    hint="przy umieszczeniu",
                ),
                F("sad", "Sąd", hint="np. Sąd Rejonowy w Lesznie"),
                F("sygnatura_postanowienia", "Sygnatura postanowienia sądu"),
                F(
                    "organizator",
                    "Organizator rodzinnej pieczy zastępczej",
                    hint="np. Powiatowe Centrum Pomocy Rodzinie w Lesznie",
                ),
                F("koordynator", "Koordynator rodzinnej pieczy zastępczej", hint="imię i nazwisko"),
                F(
                    "koordynator_kontakt",
                    "Kontakt do koordynatora",
                    hint="telefon, e-mail",
                ),
                F("plan_pomocy_dziecku_data", "Data planu pomocy dziecku", "date"),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)


class UmieszczenieDziecka(FollowUpForm):
    KIND: ClassVar[Kind] = Kind(
        "umieszczenie_dziecka",
        "Umieszczenie dziecka w pieczy zastępczej",
        "data",
        LAYOUT,
        document=False,
    )

    formularz: Literal["umieszczenie_dziecka"]
    data: Date
    rodzaj: Code("rodzaj_umieszczenia")
    dziecko: Dziecko
    forma: Code("forma_pieczy") | None = None
    sad: Text | None = None
    sygnatura_postanowienia: Text | None = None
    organizator: Text | None = None
    koordynator: Text | None = None
    koordynator_kontakt: Text | None = None
    plan_pomocy_dziecku_data: Date | None = None
    uwagi: LongText | None = None

    def natural_key(self, case: Any) -> str:
        """One placement (or return) of a child on a day."""
        return f"{self.KIND.code}:{self.rodzaj}:{self.dziecko.name}:{self.data.isoformat()}"

    def document_title(self) -> str:
        return "Powrót dziecka do rodziny" if self.rodzaj == "powrot" else self.KIND.title

    def fact(self, who: str, order: int) -> tuple[str, PlacementEvent]:
        return "placement_events", PlacementEvent(
            self.data,
            self.dziecko.name,
            self.rodzaj == "umieszczenie",
            self.forma or "",
            self.koordynator or "",
            self.organizator or "",
            self.sygnatura_postanowienia or "",
        )

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data", "plan_pomocy_dziecku_data")
        if self.rodzaj == "umieszczenie" and self.forma is None:
            errors.append(
                FieldError(
                    "forma", "podaj formę pieczy zastępczej, w której jest dziecko", "required"
                )
            )
        return errors

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        """The child is a child of the family on the day; a return follows a placement."""
        facts = case.facts if case is not None else None
        if facts is None:
            return []
        sheet = facts.sheet_on(self.data)
        members = {m.name: m for m in sheet.members}
        child = members.get(self.dziecko.name)
        if child is None:
            children = [m.name for m in sheet.members if not m.adult_on(self.data)]
            return [
                FieldError(
                    "dziecko",
                    "tego dziecka nie ma wśród członków rodziny w metryczce (wpisz imię i nazwisko "
                    f"tak jak w metryczce; dzieci: {', '.join(children) or 'brak'})",
                    "not_a_child_member",
                )
            ]
        if child.adult_on(self.data):
            return [
                FieldError(
                    "dziecko",
                    "ta osoba jest w tym dniu pełnoletnia; pieczę zastępczą sprawuje się nad "
                    "dzieckiem (osobę pełnoletnią w pieczy zapisz w uwagach)",
                    "not_a_child_member",
                )
            ]
        placed = {p.child for p in facts.placed_on(self.data)}
        if self.rodzaj == "powrot" and self.dziecko.name not in placed:
            return [
                FieldError(
                    "rodzaj",
                    "to dziecko nie jest w tym dniu w pieczy zastępczej; najpierw zapisz jego "
                    "umieszczenie (rodzaj: umieszczenie)",
                    "not_placed",
                )
            ]
        return []
