"""Stored data of an earlier release, brought up to this release's schema, with a backup kept.

The store says which schema it holds (`dane/wersja.json`; a store without it is the first
release's, schema 1). Opening an older store upgrades it once, under the write lock: every case
file is copied to `dane/kopie/przed_wersja_N_<time>/` first, then rewritten atomically step by
step (`STEPS`), and a line in `dane/aktualizacje.jsonl` says what was done; `asystent check`
shows those lines. A store of a newer release than this one is not touched.

Schema 2 (the case history): every record says its schema version; each case file has a `sprawa`
table with its number as first recorded. Record keys and values are unchanged (a fact sheet
without `data_aktualizacji` keeps the key `metryczka_rodziny`: it is the first sheet, as it was
before), so documents made before the upgrade stay the documents of their records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from records.errors import AsystentError
from records.fsutil import aside_stamp, atomic_write, private_dir

SCHEMA = 2
MARKER = "wersja.json"
HISTORY = "aktualizacje.jsonl"
BACKUPS = "kopie"


def _to_2(data: dict[str, Any]) -> dict[str, Any]:
    records = data.get("rekordy", {})
    for doc in records.values():
        doc["wersja_schematu"] = 2
    first = records.get("1") or next(iter(records.values()), None)
    if first is not None:
        data["sprawa"] = {"1": {"numer": first["sprawa"], "wersja_schematu": 2}}
    return data


# From version N to N + 1, on the parsed JSON of one case file.
STEPS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _to_2}


class StoreTooNew(AsystentError):
    code = "store_too_new"
    exit_code = 2


def stored_schema(data_dir: Path) -> int:
    """The schema of the store in `data_dir` (1 for a store made before versions were kept)."""
    try:
        return int(json.loads((data_dir / MARKER).read_text(encoding="utf-8"))["wersja"])
    except FileNotFoundError:
        return 1 if any((data_dir / "sprawy").glob("*.json")) else SCHEMA
    except (ValueError, KeyError, TypeError):
        return 1


def upgrade(data_dir: Path, write: Callable[[Path, dict[str, Any]], None]) -> str | None:
    """Bring the store up to `SCHEMA` (the caller holds the write lock); returns what was done,
    in Polish, or None when there was nothing to do. `write` stores one case file atomically."""
    version = stored_schema(data_dir)
    if version > SCHEMA:
        raise StoreTooNew(
            f"Dane w {data_dir} zapisała nowsza wersja programu asystent (schemat {version}, "
            f"ten program zna {SCHEMA}); zainstaluj nową wersję programu."
        )
    if version == SCHEMA:
        if not (data_dir / MARKER).exists():
            _mark(data_dir)
        return None
    cases = sorted((data_dir / "sprawy").glob("*.json"))
    stamp = aside_stamp()
    backup = private_dir(data_dir / BACKUPS) / f"przed_wersja_{SCHEMA}_{stamp}"
    shutil.copytree(data_dir / "sprawy", backup / "sprawy")
    for path in cases:
        data = json.loads(path.read_text(encoding="utf-8"))
        for step in range(version, SCHEMA):
            data = STEPS[step](data)
        write(path, data)
    relative = backup.relative_to(data_dir.parent) if data_dir.parent in backup.parents else backup
    text = (
        f"Magazyn danych zaktualizowano z wersji {version} do {SCHEMA} "
        f"({dt.date.today().isoformat()}; plików spraw: {len(cases)}; kopia sprzed aktualizacji: "
        f"{relative})."
    )
    line = {"czas": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "opis": text}
    fd = os.open(data_dir / HISTORY, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    _mark(data_dir)
    return text


def _mark(data_dir: Path) -> None:
    atomic_write(data_dir / MARKER, json.dumps({"wersja": SCHEMA}).encode(), private=True)


def history(data_dir: Path) -> list[str]:
    """What upgrades of this store did, oldest first."""
    try:
        lines = (data_dir / HISTORY).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line)["opis"] for line in lines if line.strip()]
