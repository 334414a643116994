"""Podpisanie dokumentu: who signed an issued document and when, or who refused and why, and to
whom and when it was handed over (the periodic assessment goes to the employer, art. 15 ust. 1
pkt 15 of the Act).

What the family and the assistant sign is the case file, not the .docx: once signed, a document
is frozen, and regenerating it makes a new, unsigned version beside it. A scan of the signed
paper (PDF or image) is accepted too (`records.scans`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from records.errors import FieldError
from records.models.common import Code, Date, Form, Kind, LongText, Model, Text
from records.models.rules import future, not_before
from records.wordforms.layout import CASE, F, Layout, Section, Table


class Podpis(Model):
    osoba: Text
    podpis: Code("podpis")
    przyczyna_odmowy: LongText | None = None


LAYOUT = Layout(
    "podpisanie_dokumentu",
    "Podpisanie dokumentu",
    "Kto podpisał wydany dokument i kiedy, kto odmówił podpisu i dlaczego, komu dokument "
    "przekazano. Dokument podpisany nie zmienia się: nowa wersja powstaje obok niego.",
    (
        Section(
            "I. Dokument",
            (
                CASE,
                F(
                    "dokument",
                    "Dokument",
                    required=True,
                    hint="nazwa pliku z dokumenty/SPRAWA/, np. kontrakt_2026-03-16.docx",
                ),
                F("data", "Data podpisania", "date", required=True),
                F("przekazano_komu", "Przekazano", hint="komu, np. pracodawcy asystenta"),
                F("przekazano_data", "Data przekazania", "date"),
            ),
        ),
        Section(
            "II. Podpisy",
            (
                Table(
                    "podpisy",
                    "Podpisy",
                    (
                        F("osoba", "Imię i nazwisko", required=True),
                        F("podpis", "Podpis", "code", vocabulary="podpis", required=True),
                        F("przyczyna_odmowy", "Przyczyna odmowy", "long"),
                    ),
                    rows=4,
                    required=True,
                ),
                F("uwagi", "Uwagi", "long"),
            ),
        ),
    ),
)


class PodpisanieDokumentu(Form):
    KIND: ClassVar[Kind] = Kind(
        "podpisanie_dokumentu",
        "Podpisanie dokumentu",
        "data",
        LAYOUT,
        document=False,
        needs="case",
        own_work=True,
    )

    formularz: Literal["podpisanie_dokumentu"]
    dokument: Text
    data: Date
    podpisy: list[Podpis] = Field(min_length=1, max_length=20)
    przekazano_komu: Text | None = None
    przekazano_data: Date | None = None
    uwagi: LongText | None = None

    def natural_key(self, case: Any) -> str:
        """One record of signatures per document: a later one corrects it."""
        return f"{self.KIND.code}:{self.document_name}"

    @property
    def document_name(self) -> str:
        return self.dokument if self.dokument.lower().endswith(".docx") else f"{self.dokument}.docx"

    def rules(self, today: dt.date) -> list[FieldError]:
        errors = future(self, today, "data", "przekazano_data")
        errors += not_before("przekazano_data", self.przekazano_data, self.data, "data podpisania")
        if self.przekazano_data is not None and not self.przekazano_komu:
            errors.append(
                FieldError("przekazano_komu", "napisz, komu przekazano dokument", "required")
            )
        for number, podpis in enumerate(self.podpisy, start=1):
            if podpis.podpis == "odmowa" and not podpis.przyczyna_odmowy:
                errors.append(
                    FieldError(
                        f"podpisy[{number}].przyczyna_odmowy",
                        "przy odmowie podpisu zapisz jej przyczynę (tak, jak ją podała osoba)",
                        "required",
                    )
                )
        return errors

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        names = {entry["nazwa"] for entry in case.documents} if case is not None else set()
        if self.document_name in names:
            return []
        return [
            FieldError(
                "dokument",
                "w sprawie nie ma dokumentu o tej nazwie; wpisz nazwę pliku tak, jak w folderze "
                "dokumenty/ sprawy (np. kontrakt_2026-03-16.docx)",
                "document_unknown",
            )
        ]
