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
from records.render import CompiledTemplate, content_hash, render_docx
from records.resources import data_dir
from records.settings import Workspace
from records.store import Record, Store, now
from records.validate import latest

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


class TemplateCache:
    """Compiled templates for a batch (`generate --all`), keyed by the file's identity, so that a
    template replaced during the batch is compiled again, never served stale."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[Path, int, int], CompiledTemplate] = {}

    def render(self, template: Path, context: dict[str, Any]) -> bytes:
        stat = template.stat()
        key = (template, stat.st_mtime_ns, stat.st_size)
        if key not in self._compiled:
            self._compiled[key] = CompiledTemplate(template)
        return self._compiled[key].render(context)


def issue(
    ws: Workspace,
    store: Store,
    record: Record,
    *,
    command: str,
    cache: TemplateCache | None = None,
) -> Issued:
    """Render the document of `record` into `dokumenty/SPRAWA/`, keeping any earlier version."""
    records = store.records(record.sprawa)
    registry = store.documents(record.sprawa)
    template = template_for(ws, record.formularz)
    context = build_context(ws, record, records)
    data = cache.render(template, context) if cache else render_docx(template, context)
    digest = content_hash(data)
    folder = ws.documents / case_folder(record.sprawa)
    name = _document_name(record, registry)
    target = folder / name
    entry = next((e for e in registry if e["nazwa"] == name), None)
    previous = list(entry.get("poprzednie", [])) if entry else []
    moved = None
    status = "nowy"
    if target.exists():
        # The file itself decides, not the registry: after a crash between writing a document
        # and registering it, the file is there with the same content and only needs registering.
        if content_hash(target.read_bytes()) == digest:
            if entry and entry["tresc_sha256"] == digest and entry["rekord_id"] == record.id:
                return Issued(target, "bez zmian")
            status = "bez zmian"
            data = target.read_bytes()  # the same document: only its registry entry is renewed
        else:
            stamp = dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
            moved = move_file(target, folder / PREVIOUS, f"{target.stem}_{stamp}.docx")
            previous.append({"nazwa": f"{PREVIOUS}/{moved.name}", "przeniesiono": now()})
            status = "nowa wersja"
    if status != "bez zmian":
        atomic_write(target, data)
    store.register_document(
        record.sprawa,
        {
            "nazwa": name,
            "klucz": record.klucz,
            "formularz": record.formularz,
            "rekord_id": record.id,
            "sha256": sha256_bytes(data),
            "tresc_sha256": digest,
            "szablon": str(template),
            "szablon_sha256": sha256_file(template),
            "utworzono": now(),
            "polecenie": command,
            "poprzednie": previous,
        },
    )
    return Issued(target, status, moved)


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


def regenerate(
    ws: Workspace,
    store: Store,
    record: Record,
    *,
    command: str,
    cache: TemplateCache | None = None,
) -> Issued:
    """Issue a record's document again, and say so in the audit trail."""
    issued = issue(ws, store, record, command=command, cache=cache)
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
    records = store.records(record.sprawa)
    data = render_docx(template_for(ws, record.formularz), build_context(ws, record, records))
    name = _document_name(record, store.documents(record.sprawa))
    target = folder / name
    atomic_write(target, data)
    return target
