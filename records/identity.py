"""What names a case on disk: its folder under `dokumenty/`, its key in the store, and the version
of the stored records' schema. Kept apart from the form models so the store and the office-wide
commands start without loading them."""

from __future__ import annotations

import re

SCHEMA_VERSION = 2  # records.upgrade brings older stored records up to it


def case_folder(sprawa: str) -> str:
    """The folder of a case under `dokumenty/`: `/` becomes `_` (SPEC)."""
    return sprawa.replace("/", "_")


def case_key(sprawa: str) -> str:
    """Two case numbers with the same key share a folder on Windows, so they are one case."""
    return case_folder(sprawa).casefold()


def is_case_file_of(key: str, sprawa: str) -> bool:
    """Whether the case file named `key` is the file of case `sprawa`. Every write goes to the
    file its case's own key names, so a file of another name holding the case is a copy (a sync
    conflict, a backup made by hand): skipped, and named by `asystent check`."""
    return case_key(sprawa) == key


def case_order(sprawa: str) -> tuple[tuple[int, int | str], ...]:
    """How lists of cases are sorted: numbers as numbers, so AR.4011.9.2026 comes before
    AR.4011.10.2026 (as an office numbers its files), letters without regard to case."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.findall(r"\d+|\D+", sprawa)
    )
