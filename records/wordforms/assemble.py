"""A form's values, put together from its fields and the rows of its tables, the same way for
every way of filling it in (a Word form, the browser's form): lists from their tables, actions
under their goals by the goal's number, and rows that add values to another list's items (the
members' details) by the item's number. It also remembers where each value was on the form, so
an error says "Członkowie rodziny, wiersz 3, PESEL" rather than `czlonkowie[2].pesel`."""

from __future__ import annotations

import re
from typing import Any

from records.errors import FieldError
from records.wordforms.layout import Layout, Table

Rows = dict[str, list[tuple[int, dict[str, str | None]]]]  # table key -> (row number, values)


class Assembler:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.errors: list[FieldError] = []
        self.places: dict[str, str] = {}  # data path -> where the form shows it
        # data path of a list's item, or of a value a detail row adds to one -> the table and
        # the row it came from (`czlonkowie[2].data_urodzenia` -> ("czlonkowie_dane", 3))
        self.rows_of: dict[str, tuple[str, int]] = {}
        self.cells: dict[int, str] = {}  # index of an error in `errors` -> its row's cell

    def error(self, where: str, message: str, code: str, cell: str = "") -> None:
        """`cell`: the name of the input on the browser's page (`czlonkowie_dane[3].nr_czlonka`)."""
        if cell:
            self.cells[len(self.errors)] = cell
        self.errors.append(FieldError(where, message, code))

    @staticmethod
    def label_of(layout: Table, key: str) -> str:
        column = layout.column(key)
        return column.label if column is not None else key

    def lists(self, data: dict[str, Any], rows: Rows) -> None:
        for table_layout in self.layout.tables():
            if table_layout.parent_column or table_layout.key not in rows:
                continue
            items: list[Any] = []
            for index, (number, values) in enumerate(rows[table_layout.key], start=1):
                self.places[f"{table_layout.key}[{index}]"] = (
                    f"{table_layout.title}, wiersz {number}"
                )
                self.rows_of[f"{table_layout.key}[{index}]"] = (table_layout.key, number)
                if not table_layout.columns[0].key:
                    items.append(values[""])
                else:
                    items.append({k: v for k, v in values.items() if k != "nr"})
            data[table_layout.key] = items
        if "cele" in data:
            self.actions(data, rows.get("cele.dzialania", []), rows.get("cele", []))
        for table_layout in self.layout.tables():
            if table_layout.merge_into and table_layout.key in rows:
                self.merge(data, table_layout, rows[table_layout.key])

    def merge(self, data: dict[str, Any], layout: Table, rows: list) -> None:
        """Rows that add values to the items of another list, found by the item's number."""
        items = data.get(layout.merge_into) or []
        seen: set[int] = set()
        for number, values in rows:
            nr = row_number(values.get(layout.parent_column) or "")
            where = f"{layout.title}, wiersz {number}"
            if nr is None or not 1 <= nr <= len(items):
                self.error(
                    f"{where}, {self.label_of(layout, layout.parent_column)}",
                    "podaj numer wiersza osoby z tabeli powyżej",
                    "docx_member_unknown",
                    cell=f"{layout.key}[{number}].{layout.parent_column}",
                )
                continue
            if nr in seen:
                self.error(
                    where,
                    "ta osoba ma już wiersz w tej tabeli",
                    "docx_member_twice",
                    cell=f"{layout.key}[{number}].{layout.parent_column}",
                )
                continue
            seen.add(nr)
            item = items[nr - 1]
            for column in layout.columns:
                if column.key != layout.parent_column:
                    path = f"{layout.merge_into}[{nr}].{column.key}"
                    self.rows_of[path] = (layout.key, number)
            if isinstance(item, dict):
                item.update({k: v for k, v in values.items() if k != layout.parent_column})

    def actions(self, data: dict[str, Any], actions: list, goals: list) -> None:
        """Each action goes to the goal whose number its "Nr celu" names."""
        layout = next(t for t in self.layout.tables() if t.key == "cele.dzialania")
        by_number: dict[str, int] = {}
        for index, (number, values) in enumerate(goals, start=1):
            by_number[(values.get("nr") or str(number)).strip().rstrip(".")] = index
            data["cele"][index - 1]["dzialania"] = []
        for number, values in actions:
            goal = (values.get("nr_celu") or "").strip().rstrip(".")
            if goal not in by_number:
                self.error(
                    f"{layout.title}, wiersz {number}, Nr celu",
                    "nie ma celu o tym numerze w tabeli „Cele”",
                    "docx_goal_unknown",
                    cell=f"{layout.key}[{number}].nr_celu",
                )
                continue
            index = by_number[goal]
            actions_of_goal = data["cele"][index - 1]["dzialania"]
            actions_of_goal.append({k: v for k, v in values.items() if k != "nr_celu"})
            path = f"cele[{index}].dzialania[{len(actions_of_goal)}]"
            self.places[path] = f"{layout.title}, wiersz {number}"
            self.rows_of[path] = (layout.key, number)

    def describe(self, path: str) -> str:
        """`czlonkowie[2].pesel` -> `Członkowie rodziny, wiersz 3, PESEL`."""
        if path in self.places:
            return self.places[path]
        match = re.match(r"^(.*\[\d+\])(?:\.([a-z_]+))?(?:\[(\d+)\])?$", path)
        if match and match.group(1) in self.places:
            where = self.places[match.group(1)]
            list_key = re.sub(r"\[\d+\]", "", match.group(1))
            column = match.group(2)
            if column:
                where += f", {self._column_label(list_key, column)}"
            return where
        plain = re.sub(r"\[\d+\]", "", path)
        return self.places.get(plain, path)

    def _column_label(self, list_key: str, column: str) -> str:
        for table_layout in self.layout.tables():
            if table_layout.key == list_key:
                found = table_layout.column(column)
                if found:
                    return found.label
            if table_layout.key == f"{list_key}.{column}":
                return table_layout.title
            if table_layout.merge_into == list_key and (found := table_layout.column(column)):
                return found.label
        return column


def row_number(text: str) -> int | None:
    """A row number as people write it ("3", "3."), or None: only ASCII digits count ("²"
    is a digit to Python's isdigit, not to int())."""
    text = text.strip().rstrip(".")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 4 else None


def put_value(data: dict[str, Any], key: str, value: Any) -> None:
    """`adres.ulica` -> data["adres"]["ulica"]."""
    *parents, last = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value
