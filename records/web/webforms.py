"""Forms in the browser, built from the same layouts as the Word forms (`records.wordforms.layout`,
one per kind beside its model): the same sections, labels, hints, required marks, vocabularies
and tables, so the three ways of filling a form (YAML, Word, the browser) cannot hold different
fields.

The page is a plain HTML form: a table's rows are added and removed by buttons that send the form
back (values kept); nothing needs JavaScript. Submitted, the values are put together as the Word
reader puts a Word form's together (`Assembler`: lists, actions under their goals, members'
details), written as a JSON form file and taken through the pipeline like any file from the
shared folder, with the sender recorded. A rejected submission is withdrawn from `odrzucone/`
(the values stay on the page, beside their errors); an accepted one is filed in
`przetworzone/` as its original.

A new form of a case starts from what the case holds (`known_values`), turned into the page's
inputs by `page_values`, the inverse of `WebForm.data`.

Names of inputs are the data's paths as people count rows: `adres.ulica`, `czlonkowie[2].pesel`,
`obecni[1]` (a list of texts).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from records import codes
from records.access import Person
from records.case import Case
from records.errors import FieldError
from records.models import LAYOUTS
from records.wordforms.assemble import Assembler, Rows, put_value, row_number
from records.wordforms.build import lookup, rows_for
from records.wordforms.layout import SUBSTITUTE, Field, Layout, Table
from records.wordforms.read import normalise

MAX_ROWS = 60  # a table's rows on one page (the Word form has no limit; nobody needs more)


@dataclass
class Input:
    """One control: its name, the page's id for it, what it shows, and its errors."""

    name: str
    spec: Field  # label, kind, hint, vocabulary from the layout
    value: str = ""
    chosen: tuple[str, ...] = ()  # `codes`: the ticked codes
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return _id(self.name)

    def options(self) -> list[tuple[str, str]]:
        """(code, Polish wording) of a drop-down or a list of check boxes."""
        return list(codes.offered(self.spec.vocabulary).items())


@dataclass
class TableRows:
    table: Table
    rows: list[list[Input]]  # one list of inputs per row, numbered from 1
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "tabela-" + self.table.key.replace(".", "-")


@dataclass
class WebForm:
    """A form of one kind as the page shows it: typed values (text as entered) and row counts."""

    layout: Layout
    values: dict[str, list[str]]  # input name -> values sent (several for check boxes)
    rows: dict[str, int]  # table key -> rows shown
    summary: list[tuple[str, str, str]] = field(default_factory=list)  # (where, what, input id)
    beside: dict[str, list[str]] = field(default_factory=dict)  # input or table id -> errors
    draft: str = ""  # the id of the author's draft this page continues (`records.drafts`)
    focus: str = ""  # the input that takes the focus when the page comes back (a row's)
    notice: str = ""  # why a button did nothing (a table at its most rows)
    max_rows = MAX_ROWS

    def __post_init__(self) -> None:
        """Every table has a row count, 1 to MAX_ROWS (a draft saved before a table was added
        to the layout, a count the browser sent changed)."""
        self.rows = {
            t.key: min(max(self.rows.get(t.key, t.rows), 1), MAX_ROWS) for t in self.layout.tables()
        }

    @classmethod
    def blank(cls, kind: str, known: dict[str, Any] | None = None) -> WebForm:
        """A new form, started from `known`: what the case already holds, in a form file's
        shape (`{"sprawa": ..., "obecni": [...]}`, a fact sheet's values for its update)."""
        layout = LAYOUTS[kind]
        values, filled = page_values(layout, known or {})
        rows = {
            t.key: max(t.rows, filled[t.key] + 1) if filled[t.key] else t.rows
            for t in layout.tables()
        }
        return cls(layout, values, rows)

    @classmethod
    def sent(cls, kind: str, form: Any) -> WebForm:
        """The form as the browser sent it (a werkzeug MultiDict), with a row added or removed
        when one of those buttons was pressed (the focus then goes to that row, as it would
        with the page's script)."""
        layout = LAYOUTS[kind]
        values = {name: form.getlist(name) for name in form}
        rows = {
            t.key: row_number(form.get(f"wiersze:{t.key}", "")) or t.rows for t in layout.tables()
        }
        page = cls(layout, values, rows, draft=form.get("szkic", ""))
        tables = {t.key: t for t in layout.tables()}
        added = tables.get(form.get("dodaj_wiersz", ""))
        if added is not None and page.rows[added.key] >= MAX_ROWS:
            page.notice = f"Tabela „{added.title}” ma już najwięcej wierszy ({MAX_ROWS})."
        elif added is not None:
            page.rows[added.key] += 1
            page.focus = page._first_input(added, page.rows[added.key])
        removed = re.fullmatch(r"(.+)\[(\d{1,3})\]", form.get("usun_wiersz", ""))
        table = tables.get(removed.group(1)) if removed else None
        if removed and table and 1 <= int(removed.group(2)) <= page.rows[table.key]:
            number = int(removed.group(2))
            cls._remove_row(layout, page.values, table.key, number, page.rows)
            page.focus = page._first_input(table, min(number, page.rows[table.key]))
        return page

    @staticmethod
    def _first_input(table: Table, row: int) -> str:
        column = next(c for c in table.columns if c.key != "nr")
        return _id(_cell(table.key, row, column))

    @staticmethod
    def _remove_row(
        layout: Layout, values: dict[str, list[str]], key: str, number: int, rows: dict[str, int]
    ) -> None:
        table = next(t for t in layout.tables() if t.key == key)
        for row in range(number, rows[key] + 1):
            for column in table.columns:
                here, below = _cell(key, row, column), _cell(key, row + 1, column)
                values[here] = values.pop(below, [])
        rows[key] = max(rows[key] - 1, 1)
        # Rows of other tables that name a row of this one by its number (a member's details,
        # a goal's actions) follow it: the removed row's number is cleared, later ones go down.
        for other, column in _references(layout, key):
            for row in range(1, rows[other.key] + 1):
                name = _cell(other.key, row, column)
                named = row_number((values.get(name) or [""])[0])
                if named == number:
                    values[name] = [""]
                elif named is not None and named > number:
                    values[name] = [str(named - 1)]

    @property
    def numbered(self) -> set[str]:
        """Tables whose rows other tables name by number: the page shows the numbers."""
        return {t.key for t in self.layout.tables() if _references(self.layout, t.key)}

    def typed(self) -> dict[str, list[str]]:
        """What the person typed into this form's inputs, nothing else the page sent (its
        buttons, its token): what a draft keeps."""
        names = set()
        for _, items in self.sections():
            for item in items:
                cells = (
                    [c for row in item.rows for c in row] if isinstance(item, TableRows) else [item]
                )
                names |= {c.name for c in cells if c.spec.key != "nr"}
        return {n: v for n, v in self.values.items() if n in names and any(x.strip() for x in v)}

    def text(self, name: str) -> str:
        sent = self.values.get(name) or [""]
        return sent[0]

    # -- what the page shows ---------------------------------------------------------------------
    def sections(self) -> list[tuple[str, list[Input | TableRows]]]:
        shown: list[tuple[str, list[Input | TableRows]]] = []
        for section in self.layout.sections:
            items: list[Input | TableRows] = []
            for item in section.items:
                if isinstance(item, Table):
                    items.append(self._table(item))
                elif item.kind == "codes":
                    chosen = tuple(self.values.get(item.key, []))
                    items.append(Input(item.key, item, chosen=chosen))
                else:
                    items.append(Input(item.key, item, self.text(item.key)))
            shown.append((section.title, items))
        return shown

    def _table(self, table: Table) -> TableRows:
        rows = []
        for number in range(1, self.rows[table.key] + 1):
            row = []
            for column in table.columns:
                name = _cell(table.key, number, column)
                value = str(number) if column.key == "nr" else self.text(name)
                row.append(Input(name, column, value))
            rows.append(row)
        return TableRows(table, rows)

    # -- what the form holds ---------------------------------------------------------------------
    def data(self) -> tuple[dict[str, Any], Assembler]:
        """The form's values as a form file holds them, and the assembler that knows where
        each value was."""
        assembler = Assembler(self.layout)
        data: dict[str, Any] = {"formularz": self.layout.kind}
        for item in self.layout.fields():
            assembler.places[item.key] = item.label
            if item.kind == "codes":
                data[item.key] = [c for c in self.values.get(item.key, []) if c]
            elif item.kind == "flag":
                put_value(data, item.key, "tak" if self.text(item.key) == "tak" else "nie")
            else:
                put_value(data, item.key, normalise(item, self.text(item.key)))
        rows: Rows = {}
        for table in self.layout.tables():
            assembler.places[table.key] = table.title
            found = []
            for number in range(1, self.rows[table.key] + 1):
                values = {
                    column.key: (
                        str(number)
                        if column.key == "nr"
                        else normalise(column, self.text(_cell(table.key, number, column)))
                    )
                    for column in table.columns
                }
                if any(v for k, v in values.items() if k != "nr"):
                    found.append((number, values))
            rows[table.key] = found
        for table in self.layout.tables():  # "Nr osoby" names a row as the page shows it
            if table.merge_into and table.key in rows:
                positions = {n: i for i, (n, _) in enumerate(rows[table.merge_into], start=1)}
                for _, values in rows[table.key]:
                    named = row_number(values.get(table.parent_column) or "")
                    if named is not None:
                        values[table.parent_column] = str(positions.get(named, 0))
        assembler.lists(data, rows)
        return data, assembler

    def show_errors(self, errors: list[FieldError], assembler: Assembler) -> None:
        """Each error beside its input (and all of them in the summary at the top), in the
        form's own words: "Członkowie rodziny, wiersz 3, PESEL: ...". `errors` are the
        pipeline's, or the assembler's own (a row naming a member or goal that is not there)."""
        self.summary = []
        self.beside = {}
        own = errors is assembler.errors
        for index, error in enumerate(errors):
            path = error.key or error.path
            where = assembler.describe(path) if path else "formularz"
            cell = assembler.cells.get(index) if own else None
            target = _id(cell) if cell else self._input_id(path, assembler)
            message = self._in_words(error.message)
            self.summary.append((where, message, target))
            if target:
                self.beside.setdefault(target, []).append(message)

    def _in_words(self, message: str) -> str:
        """A rule's message names other fields by key (`w polu godzina_od`): the page says
        their labels, as the person sees them (`w polu „Godzina rozpoczęcia”`)."""
        labels = {f.key: f.label for f in self.layout.fields()}
        return re.sub(
            r"\b[a-z]+(?:_[a-z]+)+\b",
            lambda m: f"„{labels[m.group(0)]}”" if m.group(0) in labels else m.group(0),
            message,
        )

    def _input_id(self, path: str, assembler: Assembler) -> str:
        """The id of the input a data path came from: a field, a cell of the row the item came
        from (a member's detail in its detail table, an action in the actions table), or the
        table when the error is about the list as a whole ("" when it is no one input's)."""
        if path in {f.key for f in self.layout.fields()}:
            return _id(path)
        tables = {t.key: t for t in self.layout.tables()}
        match = re.fullmatch(
            r"(?P<item>[a-z_]+\[\d+\](?:\.dzialania\[\d+\])?)(?:\.(?P<column>[a-z_]+))?(?:\[\d+\])?",
            path,
        )
        if match:
            item, column = match.group("item"), match.group("column") or ""
            found = assembler.rows_of.get(f"{item}.{column}") or assembler.rows_of.get(item)
            if found:
                table = tables[found[0]]
                if table.column(column) is not None:
                    return _id(_cell(table.key, found[1], table.column(column)))  # type: ignore[arg-type]
                if not table.columns[0].key:  # a list of texts: the row's one input
                    return _id(f"{table.key}[{found[1]}]")
            listed = re.sub(r"\[\d+\]", "", item) + (f".{column}" if column else "")
            if listed in tables:  # `cele[1].dzialania`: no action for this goal
                return "tabela-" + listed.replace(".", "-")
        plain = re.sub(r"\[\d+\].*$", "", path)
        if plain in tables:
            return "tabela-" + plain.replace(".", "-")
        return ""


def known_values(case: Case, kind: str, person: Person, today: dt.date) -> dict[str, Any]:
    """What a new form of `case` starts with, in a form file's shape: its number; the
    assistant when a substitute fills it in (the layouts' `asystent` is for that); for a
    visit, the family's members and the assistant as those present (crossed out by removing
    a row); for an update of the fact sheet, the one in force today, dated today; for an
    assessment, the goals of the work plan in force."""
    values: dict[str, Any] = {"sprawa": case.sprawa}
    facts = case.facts
    sheet = case.sheet_on(today)
    substitute = SUBSTITUTE in LAYOUTS[kind].fields() and person.rola == "asystent"
    if substitute and facts is not None and facts.regular_assistant_on(today) != person.nazwa:
        values["asystent"] = person.nazwa
    if kind == "protokol_wizyty" and facts is not None and sheet is not None:
        who = facts.assistant_on(today) or facts.regular_assistant_on(today)
        present = [f"{m.imie} {m.nazwisko}" for m in sheet.czlonkowie]
        values["obecni"] = present + ([who] if who else [])
    elif kind == "metryczka_rodziny" and sheet is not None:
        values = sheet.model_dump(mode="json") | {"data_aktualizacji": today.isoformat()}
    elif kind == "ocena_okresowa":
        plans = [model for _, model in case.of_kind("plan_pracy") if model.date <= today]
        if plans:
            values["realizacja_celow"] = [{"cel": goal.cel} for goal in plans[-1].cele]
    return values


def page_values(
    layout: Layout, data: dict[str, Any]
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """A form's values (a form file's, a record's) as the page's inputs, and the rows each
    table needs for them: the inverse of `WebForm.data`."""
    values: dict[str, list[str]] = {}
    for item in layout.fields():
        value = lookup(data, item.key)
        if item.kind == "codes":
            values[item.key] = [str(code) for code in value or []]
        elif item.kind == "flag":
            if str(value).strip().lower() in ("tak", "true", "1"):
                values[item.key] = ["tak"]
        elif value not in (None, ""):
            values[item.key] = [str(value)]
    filled = {}
    for table in layout.tables():
        rows = rows_for(table, data)
        filled[table.key] = len(rows)
        for number, row in enumerate(rows, start=1):
            for column in table.columns:
                value = row.get(column.key)
                if value not in (None, ""):
                    values[_cell(table.key, number, column)] = [str(value)]
    return values, filled


def _references(layout: Layout, key: str) -> list[tuple[Table, Field]]:
    """The columns of other tables that hold a row number of table `key`."""
    found = []
    for table in layout.tables():
        names_rows_of_key = table.merge_into == key or (
            not table.merge_into and table.key.rsplit(".", 1)[0] == key  # cele.dzialania
        )
        column = table.column(table.parent_column) if table.parent_column else None
        if names_rows_of_key and column is not None:
            found.append((table, column))
    return found


def _id(name: str) -> str:
    """The page's id of the input called `name` (`czlonkowie[2].pesel` -> `pole-czlonkowie-2-pesel`)."""
    return "pole-" + re.sub(r"[^a-z0-9]+", "-", name).strip("-")


def _cell(key: str, row: int, column: Field) -> str:
    return f"{key}[{row}]" + (f".{column.key}" if column.key else "")
