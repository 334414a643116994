"""What each fillable Word form holds, in the order the form shows it, with its Polish labels.

One description serves both directions: `build` makes the blank form from it and `read` reads a
filled one with it, so the two cannot disagree. Each form kind's layout lives with its model
(`records/models/<kind>.py`, `KIND.layout`); this module holds the building blocks. A test checks
that every key of every model is in its layout and nothing else, so the forms cannot drift from
the models either.

Kinds of value: text (one line), long (several lines), date (a date picker), time (GG:MM),
code (a drop-down of a vocabulary in `records/codes.py`), flag (one check box), codes (one check
box per code of a vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WORD_FORM_VERSION = "1"


@dataclass(frozen=True)
class Field:
    key: str  # dotted path (`adres.ulica`); a column's key within its row; "" for a list of texts
    label: str
    kind: str = "text"
    vocabulary: str = (
        ""  # for code and codes: the name of a vocabulary in records.codes.VOCABULARIES
    )
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Table:
    """A list of items: one row per item, the user adds rows in Word."""

    key: str  # the list's key (`czlonkowie`); for actions: `cele.dzialania`
    title: str
    columns: tuple[Field, ...]
    rows: int = 3
    required: bool = False  # at least one row
    hint: str = ""
    parent_column: str = ""  # actions: the column naming their goal's number
    # A table whose rows add values to the items of another list (`czlonkowie`): its
    # `parent_column` names the item's row number in that list's table.
    merge_into: str = ""

    def column(self, key: str) -> Field | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Field | Table, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Layout:
    kind: str
    title: str
    intro: str
    sections: tuple[Section, ...]

    def fields(self) -> list[Field]:
        return [i for s in self.sections for i in s.items if isinstance(i, Field)]

    def tables(self) -> list[Table]:
        return [i for s in self.sections for i in s.items if isinstance(i, Table)]


def F(  # noqa: N802 - short, as the layouts below read like a table
    key: str,
    label: str,
    kind: str = "text",
    *,
    vocabulary: str = "",
    required: bool = False,
    hint: str = "",
) -> Field:
    return Field(key, label, kind, vocabulary, required, hint)


CASE = F("sprawa", "Znak sprawy", required=True, hint="np. GOPS.AR.4011.3.2026")
SUBSTITUTE = F(
    "asystent",
    "Asystent rodziny",
    hint="wypełnij tylko, gdy to inny asystent niż w metryczce (zastępstwo)",
)
