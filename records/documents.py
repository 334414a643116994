"""Stage 4b: stored records -> the case's official Word documents, versioned and registered.

A document once issued is part of the case file. Regenerating it writes a new file only when its
content changed; the earlier file then moves to `dokumenty/SPRAWA/poprzednie/` (never overwritten)
and the registry keeps, for every current document, its sha256, the template's sha256 and the
record it was made from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from records import codes
from records.errors import NotFoundError
from records.fsutil import atomic_write, move_file, sha256_bytes, sha256_file
from records.models import DATE_FIELD, FORMS, TITLES, case_folder
from records.render import content_hash
from records.resources import data_dir
from records.settings import Workspace
from records.store import Record, Store, now
from records.validate import latest
from records.worker import template_worker

PREVIOUS = "poprzednie"


@dataclass(frozen=True)
class Issued:
    """One document written (or found unchanged) for one record."""

    path: Path
    status: str  # "nowy", "nowa wersja", "bez zmian"
    previous: Path | None = None


def template_for(ws: Workspace, kind: str) -> Path:
    """The office's own template from `szablony/` if there is one, else the packaged one."""
    own = ws.templates / f"{kind}.docx"
    return own if own.is_file() else data_dir("templates_docx") / f"{kind}.docx"


def current_records(records: list[Record], kind: str | None = None) -> list[Record]:
    """The newest version of every record (same key = a correction), in the order they came."""
    newest: dict[str, Record] = {}
    for record in records:
        if kind is None or record.formularz == kind:
            newest.pop(record.klucz, None)
            newest[record.klucz] = record
    return list(newest.values())


def for_display(value: Any, key: str = "") -> Any:
    """Model values as templates print them: codes turned into their Polish wording."""
    vocabulary = codes.FIELD_VOCABULARY.get(key)
    if isinstance(value, dict):
        return {k: for_display(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [for_display(v, key) for v in value]
    if vocabulary and isinstance(value, str):
        return vocabulary.get(value, value)
    return value


def build_context(ws: Workspace, record: Record, records: list[Record]) -> dict[str, Any]:
    """Everything a template may use (documented in docs/szablony.md)."""
    family_record = latest(records, "metryczka_rodziny")
    family = FORMS["metryczka_rodziny"].model_validate(family_record.dane).model_dump()
    model = FORMS[record.formularz].model_validate(record.dane)
    data = for_display(model.model_dump())
    if record.formularz == "protokol_wizyty":
        data["minuty"] = model.minutes
    rodzina = for_display(family)
    surnames = dict.fromkeys(member["nazwisko"] for member in family["czlonkowie"])
    rodzina["nazwiska"] = ", ".join(surnames)
    rodzina["dorosli"] = [
        shown
        for shown, member in zip(rodzina["czlonkowie"], family["czlonkowie"], strict=True)
        if member["rola"] != "dziecko"
    ]
    return {
        "osrodek": ws.settings.osrodek.model_dump(),
        "sprawa": record.sprawa,
        "tytul": TITLES[record.formularz],
        "data_dokumentu": getattr(model, DATE_FIELD[record.formularz]),
        "asystent": data.get("asystent") or family["asystent"],
        "rodzina": rodzina,
        "dane": data,
    }


def _document_name(record: Record, registry: list[dict[str, Any]]) -> str:
    """`protokol_wizyty_2026-03-23.docx`; a second visit that day gets its hour added."""
    for entry in registry:
        if entry["klucz"] == record.klucz:
            return entry["nazwa"]
    date = record.dane[DATE_FIELD[record.formularz]]
    taken = {entry["nazwa"] for entry in registry}
    name = f"{record.formularz}_{date}.docx"
    if name in taken and record.formularz == "protokol_wizyty":
        name = f"{record.formularz}_{date}_{record.dane['godzina_od'].replace(':', '')}.docx"
    number = 2
    base = name.removesuffix(".docx")
    while name in taken:
        name = f"{base}_{number}.docx"
        number += 1
    return name


@dataclass(frozen=True)
class Prepared:
    """A record's document rendered in memory and not yet written: nothing is on disk until the
    pipeline commits it together with its record (both or neither)."""

    record: Record
    name: str
    data: bytes
    digest: str  # content_hash: what the document says, blind to zip timestamps
    template: Path
    template_sha256: str


def prepare(
    ws: Workspace, record: Record, records: list[Record], registry: list[dict[str, Any]]
) -> Prepared:
    """Render `record`'s document in the template worker (hard limits on time and memory)."""
    template = template_for(ws, record.formularz)
    data = template_worker(ws).render(template, build_context(ws, record, records))
    return Prepared(
        record,
        _document_name(record, registry),
        data,
        content_hash(data),
        template,
        sha256_file(template),
    )


def write(
    ws: Workspace, prepared: Prepared, registry: list[dict[str, Any]], *, command: str
) -> tuple[Issued, dict[str, Any] | None]:
    """Put a prepared document into `dokumenty/SPRAWA/`, keeping any earlier version.

    Returns what happened and the registry entry the store must keep (None: nothing to record,
    the same document is already registered for the same record).
    """
    record = prepared.record
    folder = ws.documents / case_folder(record.sprawa)
    target = folder / prepared.name
    entry = next((e for e in registry if e["nazwa"] == prepared.name), None)
    previous = list(entry.get("poprzednie", [])) if entry else []
    data = prepared.data
    moved = None
    status = "nowy"
    if target.exists():
        # The file itself decides, not the registry: after a crash between writing a document
        # and registering it, the file is there with the same content and only needs registering.
        on_disk = target.read_bytes()
        if content_hash(on_disk) == prepared.digest:
            if (
                entry
                and entry["tresc_sha256"] == prepared.digest
                and entry["rekord_id"] == record.id
            ):
                return Issued(target, "bez zmian"), None
            status = "bez zmian"
            data = on_disk  # the same document: only its registry entry is renewed
        else:
            stamp = dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
            moved = move_file(target, folder / PREVIOUS, f"{target.stem}_{stamp}.docx")
            previous.append({"nazwa": f"{PREVIOUS}/{moved.name}", "przeniesiono": now()})
            status = "nowa wersja"
    if status != "bez zmian":
        atomic_write(target, data)
    new_entry = {
        "nazwa": prepared.name,
        "klucz": record.klucz,
        "formularz": record.formularz,
        "rekord_id": record.id,
        "sha256": sha256_bytes(data),
        "tresc_sha256": prepared.digest,
        "szablon": str(prepared.template),
        "szablon_sha256": prepared.template_sha256,
        "utworzono": now(),
        "polecenie": command,
        "poprzednie": previous,
    }
    return Issued(target, status, moved), new_entry


def select_records(
    store: Store, *, sprawa: str | None, kind: str | None, date: dt.date | None
) -> list[Record]:
    """The current records whose documents `generate` should make: one case or all, one kind or
    all, one date or all. Raises NotFoundError, naming what was not found."""
    if sprawa:
        recorded = store.find_case(sprawa)
        if not recorded:
            raise NotFoundError(f"Nie ma sprawy {sprawa}. Listę spraw pokazuje: asystent families")
        cases = [recorded]
    else:
        cases = [case.sprawa for case in store.cases()]
    selected = [
        record
        for case in cases
        for record in current_records(store.records(case), kind)
        if date is None or record.dane[DATE_FIELD[record.formularz]] == date.isoformat()
    ]
    if not selected:
        what = f"formularza {kind}" if kind else "formularzy"
        when = f" z dnia {date.isoformat()}" if date else ""
        where = f"Sprawa {cases[0]}" if sprawa else "Żadna sprawa"
        raise NotFoundError(f"{where} nie ma {what}{when}.")
    return selected


def regenerate(ws: Workspace, store: Store, record: Record, *, command: str) -> Issued:
    """Issue a record's document again, and say so in the audit trail."""
    with store.writing():
        registry = store.documents(record.sprawa)
        prepared = prepare(ws, record, store.records(record.sprawa), registry)
        issued, entry = write(ws, prepared, registry, command=command)
        if entry is not None:
            store.register_document(record.sprawa, entry)
        store.audit(
            "generowanie",
            sprawa=record.sprawa,
            rekord=record.id,
            dokument=issued.path.name,
            wynik=issued.status,
        )
    return issued


def render_to(ws: Workspace, store: Store, record: Record, folder: Path) -> Path:
    """Render a copy of a record's document into another folder (`generate --out`); unregistered."""
    registry = store.documents(record.sprawa)
    prepared = prepare(ws, record, store.records(record.sprawa), registry)
    target = folder / prepared.name
    atomic_write(target, prepared.data)
    return target
