"""Notatka służbowa: work for the family other than a home visit (a phone call, an institution,
escorting a parent, a team meeting, a court hearing, school), with how long it took.

With `monitoring: tak` it is a monitoring contact after the closing (art. 15 ust. 1 pkt 16);
`podsumowanie_monitorowania: tak` marks the note that ends the monitoring. Notes count in the
time sheet, the reports and the letters to the court beside the visit protocols.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from records.errors import FieldError
from records.facts import Note
from records.models.common import (
    Code,
    Date,
    Flag,
    FollowUpForm,
    Hour,
    Kind,
    LongText,
    Minutes,
    Text,
    UniqueList,
)
from records.models.rules import future
from records.wordforms.layout import CASE, SUBSTITUTE, F, Layout, Section, Table

LAYOUT = Layout(
    "notatka",
    "Notatka służbowa",
    "Praca na rzecz rodziny poza wizytą w domu: rozmowa telefoniczna, kontakt z instytucją, "
    "towarzyszenie, zespół interdyscyplinarny, rozprawa, szkoła. Poprawka: ta sama data i godzina "
    "rozpoczęcia.",
    (
        Section(
            "I. Kontakt",
            (
                CASE,
                SUBSTITUTE,
                F("data", "Data", "date", required=True),
                F("godzina_od", "Godzina rozpoczęcia", "time", required=True, hint="GG:MM"),
                F(
                    "godzina_do",
                    "Godzina zakończenia",
                    "time",
                    hint="GG:MM; albo podaj czas w minutach",
                ),
                F("minuty", "Czas (minuty)", hint="gdy nie podano godziny zakończenia"),
                F("rodzaj", "Rodzaj", "code", vocabulary="rodzaj_notatki", required=True),
                F("miejsce", "Miejsce / instytucja", hint="np. Powiatowy Urząd Pracy w Lesznie"),
                F("obszary_wsparcia", "Obszary wsparcia", "codes", vocabulary="obszary_wsparcia"),
                F("monitoring", "Kontakt monitorujący po zakończeniu pracy z rodziną", "flag"),
                F(
                    "podsumowanie_monitorowania",
                    "Notatka kończąca monitorowanie rodziny",
                    "flag",
                ),
            ),
        ),
        Section(
            "II. Uczestnicy",
            (
                Table(
                    "uczestnicy",
                    "Uczestnicy",
                    (F("", "Imię i nazwisko, instytucja", required=True),),
                    rows=4,
                    required=True,
                ),
            ),
        ),
        Section(
            "III. Treść",
            (
                F("tresc", "Treść notatki", "long", required=True),
                F("ustalenia", "Ustalenia", "long"),
            ),
        ),
    ),
)


class Notatka(FollowUpForm):
    KIND: ClassVar[Kind] = Kind("notatka", "Notatka służbowa", "data", LAYOUT, own_work=True)

    formularz: Literal["notatka"]
    data: Date
    godzina_od: Hour
    godzina_do: Hour | None = None
    minuty: Minutes | None = None
    rodzaj: Code("rodzaj_notatki")
    miejsce: Text | None = None
    obszary_wsparcia: UniqueList(Code("obszary_wsparcia")) = []
    monitoring: Flag = False
    podsumowanie_monitorowania: Flag = False
    uczestnicy: UniqueList(Text, min_length=1, max_length=40)
    tresc: LongText
    ustalenia: LongText | None = None

    def natural_key(self, case: Any) -> str:
        """A note per date and starting hour, as a visit."""
        return f"{self.KIND.code}:{self.data.isoformat()}T{self.godzina_od.strftime('%H:%M')}"

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data")
        start = self.godzina_od.hour * 60 + self.godzina_od.minute
        if self.godzina_do is not None:
            end = self.godzina_do.hour * 60 + self.godzina_do.minute
            if end <= start:
                errors.append(
                    FieldError(
                        "godzina_do",
                        "musi być późniejsza niż godzina rozpoczęcia; praca przez północ to dwie "
                        "notatki (do północy i od 0:00 następnego dnia)",
                        "crosses_midnight",
                    )
                )
            elif self.minuty is not None and self.minuty != end - start:
                errors.append(
                    FieldError(
                        "minuty",
                        f"od {self.godzina_od.strftime('%H:%M')} do "
                        f"{self.godzina_do.strftime('%H:%M')} to {end - start} min, a nie "
                        f"{self.minuty}; podaj godzinę zakończenia albo minuty",
                        "minutes_mismatch",
                    )
                )
        elif self.minuty is None:
            errors.append(
                FieldError(
                    "minuty",
                    "podaj godzinę zakończenia albo czas w minutach",
                    "required",
                )
            )
        elif start + self.minuty > 24 * 60:
            errors.append(
                FieldError(
                    "minuty",
                    "praca kończy się po północy; zapisz ją w dwóch notatkach (do północy i od "
                    "0:00 następnego dnia)",
                    "crosses_midnight",
                )
            )
        if self.podsumowanie_monitorowania and not self.monitoring:
            errors.append(
                FieldError(
                    "monitoring",
                    "notatka kończąca monitorowanie jest kontaktem monitorującym: zaznacz "
                    "monitoring: tak",
                    "summary_not_monitoring",
                )
            )
        return errors

    @property
    def minutes(self) -> int:
        if self.godzina_do is not None:
            start = self.godzina_od.hour * 60 + self.godzina_od.minute
            return self.godzina_do.hour * 60 + self.godzina_do.minute - start
        return self.minuty or 0

    @property
    def end(self) -> dt.time:
        if self.godzina_do is not None:
            return self.godzina_do
        total = self.godzina_od.hour * 60 + self.godzina_od.minute + self.minutes
        return dt.time(23, 59) if total >= 24 * 60 else dt.time(total // 60, total % 60)

    def fact(self, who: str, order: int) -> tuple[str, Note]:
        return "notes", Note(
            self.data,
            self.godzina_od,
            self.end,
            self.minutes,
            self.rodzaj,
            self.monitoring,
            self.podsumowanie_monitorowania,
            who,
            tuple(self.obszary_wsparcia),
        )

    def document_values(self, case: Any) -> dict[str, Any]:
        return {"minuty": self.minutes, "godzina_do": self.end}
