"""Stage 4b: stored records -> the case's official Word documents, versioned and registered.

A document once issued is part of the case file. Regenerating it writes a new file only when its
content changed; the earlier file then moves to `dokumenty/SPRAWA/poprzednie/` (never overwritten)
and the registry keeps, for every current document, its sha256, the template's sha256, the
record it was made from, and the fingerprint of its inputs (`wejscie_sha256`: the program, the
settings, the template and the case's records), by which a re-run knows a document is unchanged
without rendering it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from records.case import Case
from records.codes import VOCABULARIES
from records.errors import NotFoundError
from records.facts import CourtOrder, Member, Placement
from records.fsutil import (
    WriteBatch,
    aside_stamp,
    atomic_write,
    keep_copy,
    move_file,
    own_folder,
    sha256_bytes,
    sha256_file,
)
from records.gdpr import clause
from records.identity import case_key
from records.kept_facts import keep_facts_of_records_unchanged
from records.models import DOCUMENT_KINDS, SCHEMA_VERSION, case_folder, for_display
from records.polish import date_short, family_name
from records.resources import program_digest
from records.settings import Workspace
from records.store import Record, Store, now
from records.templates import template_for
from records.worker import template_worker

PREVIOUS = "poprzednie"


@dataclass(frozen=True)
class Issued:
    """One document written (or found unchanged) for one record."""

    path: Path
    status: str  # "nowy", "nowa wersja", "bez zmian"
    previous: Path | None = None


def build_context(ws: Workspace, case: Case, record: Record) -> dict[str, Any]:
    """Everything a template may use (documented in docs/szablony.md), as of the document's date.

    A document shows the family as it was on its own day: the fact sheet in force then (address,
    members, social worker, legal basis), the assistant who worked with the family then, and who
    was an adult then (age 18 on that day, whatever the `rola`). Regenerating a March protocol
    after a June change of address still shows the March address.
    """
    model = case.model(record)
    day = model.date
    rodzina = case.family_on(day)
    if rodzina is None or case.facts is None:
        raise NotFoundError(f"Sprawa {case.sprawa} nie ma metryczki rodziny.")
    facts = case.facts
    data = for_display(model) | model.document_values(case)
    rodzina["data_przydzielenia"] = case.start
    rodzina["nazwiska"] = ", ".join(dict.fromkeys(m["nazwisko"] for m in rodzina["czlonkowie"]))
    rodzina["nazwa"], rodzina["nazwa_dopelniacz"] = family_name(
        m["nazwisko"] for m in rodzina["czlonkowie"]
    )
    adult = [Member("", m["data_urodzenia"], "").adult_on(day) for m in rodzina["czlonkowie"]]
    rodzina["dorosli"] = [m for m, grown in zip(rodzina["czlonkowie"], adult, strict=True) if grown]
    rodzina["dzieci"] = [
        m for m, grown in zip(rodzina["czlonkowie"], adult, strict=True) if not grown
    ]
    placed = {p.child: p for p in facts.placed_on(day)}
    rodzina["w_pieczy"] = [_placement(p) for p in placed.values()]
    for member in rodzina["czlonkowie"]:
        stay = placed.get(f"{member['imie']} {member['nazwisko']}")
        member["piecza"] = _placement(stay)["opis"] if stay else ""
    basis = facts.basis_on(day)
    rodzina["podstawa"] = VOCABULARIES["podstawa_objecia"].get(basis, "nie podano")
    order = facts.court_order_on(day)
    asystent = getattr(model, "asystent", None) or case.assistant_on(day)
    return {
        "osrodek": msgspec.structs.asdict(ws.settings.osrodek),
        "sprawa": case.sprawa,
        "tytul": model.document_title(),
        "data_dokumentu": day,
        "asystent": asystent or case.regular_assistant_on(day) or rodzina["asystent"],
        "sad": _court(order),
        "postanowienia": [_court(o) for o in facts.court_orders if o.ordered <= day],
        "rodzina": rodzina,
        "dane": data,
        "kody": model.model_dump(mode="json"),  # codes as stored: {% if kody.rodzaj == ... %}
        "klauzula": clause(ws.settings),  # the GDPR clause, printed in the family's consent
    }


def _placement(stay: Placement) -> dict[str, Any]:
    """A child in foster care as templates print it (`rodzina.w_pieczy[]`)."""
    forma = VOCABULARIES["forma_pieczy"].get(stay.forma, stay.forma)
    return {
        "imie_nazwisko": stay.child,
        "od": stay.start,
        "forma": forma,
        "koordynator": stay.koordynator,
        "organizator": stay.organizator,
        "sygnatura": stay.sygnatura,
        "opis": f"w pieczy zastępczej od {date_short(stay.start)} ({forma})",
    }


def _court(order: CourtOrder | None) -> dict[str, Any] | None:
    """A court order as templates print it (`sad.sad`, `sad.wydzial`, `sad.sygnatura`...)."""
    if order is None:
        return None
    return {
        "sad": order.sad,
        "wydzial": order.wydzial,
        "sygnatura": order.sygnatura,
        "data_postanowienia": order.ordered,
        "data_wplywu": order.received,
        "kurator": order.kurator,
    }


def _document_name(case: Case, record: Record, digest: str) -> tuple[str, bool]:
    """`protokol_wizyty_2026-03-23.docx`; a second visit or note that day gets its hour added. True with
    it when the record's document is signed (frozen) and would now say something else: the name
    is then a new one beside it (the same text as the signed one is the signed one)."""
    beside = False
    for entry in case.documents:
        if entry["klucz"] == record.klucz:
            if not case.frozen(entry) or entry.get("tresc_sha256") == digest:
                return entry["nazwa"], False
            beside = True
    model = case.model(record)
    date = model.date.isoformat()
    taken = {entry["nazwa"] for entry in case.documents}
    name = f"{record.formularz}_{date}.docx"
    hour = getattr(model, "godzina_od", None)  # visits and notes: several a day
    if name in taken and hour is not None:
        name = f"{record.formularz}_{date}_{hour.strftime('%H%M')}.docx"
    number = 2
    base = name.removesuffix(".docx")
    while name in taken:
        name = f"{base}_{number}.docx"
        number += 1
    return name, beside


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
    beside_signed: bool = False  # a new version beside a signed (frozen) document
    inputs: str = ""  # inputs_digest: what the document was made from


_TEMPLATE_HASHES: dict[tuple[str, int, int, int], str] = {}


def template_sha256(template: Path) -> str:
    """The template file's sha256, read again only when the file changed (size, time, inode)."""
    info = template.stat()
    key = (str(template), info.st_size, info.st_mtime_ns, info.st_ino)
    known = _TEMPLATE_HASHES.get(key)
    if known is None:
        known = _TEMPLATE_HASHES[key] = sha256_file(template)
    return known


_SETTINGS_JSON: dict[int, tuple[object, bytes]] = {}


def _settings_json(ws: Workspace) -> bytes:
    """The settings as JSON, once per settings object (kept alive here, so its id stays its)."""
    settings = ws.settings
    known = _SETTINGS_JSON.get(id(settings))
    if known is None or known[0] is not settings:
        known = _SETTINGS_JSON[id(settings)] = (settings, msgspec.json.encode(settings))
    return known[1]


def inputs_digest(ws: Workspace, case: Case, record: Record, template: Path) -> str:
    """What a document is made from, hashed without building its context: the program, the
    office's settings, the template, and what the case's records say. Equal digests mean the
    same document, so a re-run skips it; any new record of the case (or a record changed outside
    the program) makes its documents render again, and only those whose text changed are
    rewritten."""
    digest = hashlib.sha256(f"{program_digest()}\0{SCHEMA_VERSION}".encode())
    digest.update(_settings_json(ws) + b"\0" + template_sha256(template).encode() + b"\0")
    digest.update(record.id.encode() + b"\0" + case.records_digest.encode())
    return digest.hexdigest()


def prepare(ws: Workspace, case: Case, record: Record) -> Prepared:
    """Render `record`'s document in the template worker (hard limits on time and memory);
    `case` holds the record (as it will be stored) and the registry of its documents."""
    template = template_for(ws, record.formularz)
    inputs = inputs_digest(ws, case, record, template)
    data, digest = template_worker(ws).render_hashed(template, build_context(ws, case, record))
    name, beside = _document_name(case, record, digest)
    return Prepared(record, name, data, digest, template, template_sha256(template), beside, inputs)


def unchanged(
    ws: Workspace, case: Case, record: Record, *, verify_files: bool = False
) -> Path | None:
    """The record's current document when nothing it is made from changed since it was issued
    (same record, template, context and program), else None: known without rendering it.
    `verify_files` (a document asked for by name) also reads the file: one damaged in place
    with its size and time unchanged (a failing disk, a restore) is then made again too."""
    entries = [e for e in case.documents if e.get("rekord_id") == record.id]
    if not entries:
        return None
    inputs = inputs_digest(ws, case, record, template_for(ws, record.formularz))
    for entry in entries:
        path = ws.documents / case_folder(case.sprawa) / entry["nazwa"]
        if entry.get("wejscie_sha256") == inputs and entry.get("plik") == file_stamp(path):
            if verify_files and sha256_file(path) != entry.get("sha256"):
                continue
            return path  # and the file is the one written (not edited by hand since)
    return None


_LARGEST_DOCUMENT = 50_000_000  # zipsafety's limit for all of a package's parts, unpacked


def _found_file(target: Path) -> bytes | None:
    """What is in a document's place, if it is a file that could be a document; anything else
    there (a folder, a link, a pipe, a device, a file larger than any document) is put aside
    in `poprzednie/` unread, never followed, and not registered as an earlier version: it is
    not one this program wrote."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISREG(info.st_mode) and info.st_size <= _LARGEST_DOCUMENT:
        # opened so that a pipe or a link swapped in since the lstat is never waited on or
        # followed, and read only if it is still a regular file
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(target, flags | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            return None  # removed meanwhile: nothing there to keep
        except OSError:  # a link now, or not ours to read: put aside below
            fd = None
        if fd is not None:
            with os.fdopen(fd, "rb") as handle:
                if stat.S_ISREG(os.fstat(fd).st_mode):
                    data = handle.read(_LARGEST_DOCUMENT + 1)
                    if len(data) <= _LARGEST_DOCUMENT:
                        return data
    aside = f"{target.stem}_{aside_stamp()}_nie_dokument"
    move_file(target, own_folder(target.parent, PREVIOUS), aside)
    return None


def file_stamp(path: Path) -> list[int] | None:
    """A document file's size and modification time: a file edited or replaced by hand since
    it was written has others, and is made again rather than taken as unchanged."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return [info.st_size, info.st_mtime_ns]


def write(
    ws: Workspace,
    prepared: Prepared,
    registry: Iterable[dict[str, Any]],
    *,
    command: str,
    batch: WriteBatch | None = None,
) -> tuple[Issued, dict[str, Any] | None]:
    """Put a prepared document into `dokumenty/SPRAWA/`, keeping any earlier version.

    Returns what happened and the registry entry the store must keep (None: nothing to record,
    the same document is already registered for the same record). With a `batch`, the file is
    in place only once the batch is committed, which the caller does before registering it.
    """
    record = prepared.record
    folder = ws.documents / case_folder(record.sprawa)
    target = folder / prepared.name
    entry = next((e for e in registry if e["nazwa"] == prepared.name), None)
    previous = list(entry.get("poprzednie", [])) if entry else []
    data = prepared.data
    moved = None
    status = "nowy"
    on_disk = _found_file(target)
    if on_disk is not None:
        # The file itself decides, not the registry: after a crash between writing a document
        # and registering it, the file is there with the same content and only needs registering.
        from records.render import found_document_hash

        if found_document_hash(on_disk) == prepared.digest:
            if (
                entry
                and entry["tresc_sha256"] == prepared.digest
                and entry["rekord_id"] == record.id
            ):
                if entry.get("wejscie_sha256") == prepared.inputs and entry.get(
                    "plik"
                ) == file_stamp(target):
                    return Issued(target, "bez zmian"), None
                # The same text from other inputs (a later record, an edited template) or a file
                # touched without a change: only what it was made from is renewed, so the next
                # run skips it.
                renewed = entry | {
                    "sha256": sha256_bytes(on_disk),
                    "wejscie_sha256": prepared.inputs,
                    "szablon": str(prepared.template),
                    "szablon_sha256": prepared.template_sha256,
                    "plik": file_stamp(target),
                }
                return Issued(target, "bez zmian"), renewed
            status = "bez zmian"
            data = on_disk  # the same document: only its registry entry is renewed
        else:
            aside = keep_copy if batch is None else batch.keep_copy
            kept_as = f"{target.stem}_{aside_stamp()}.docx"
            moved = aside(target, own_folder(folder, PREVIOUS), kept_as)
            previous.append({"nazwa": f"{PREVIOUS}/{moved.name}", "przeniesiono": now()})
            status = "nowa wersja"
    if status == "bez zmian":
        on_disk_stamp = file_stamp(target)
    else:
        if batch is None:
            atomic_write(target, data)
            on_disk_stamp = file_stamp(target)
        else:  # in place at the batch's commit, as it is now (a rename keeps size and time)
            written = batch.write(target, data)
            on_disk_stamp = [written.st_size, written.st_mtime_ns]
        if prepared.beside_signed:
            status = "nowa wersja obok podpisanej; podpisana zostaje bez zmian"
    new_entry = {
        "nazwa": prepared.name,
        "klucz": record.klucz,
        "formularz": record.formularz,
        "rekord_id": record.id,
        "sha256": sha256_bytes(data),
        "tresc_sha256": prepared.digest,
        "szablon": str(prepared.template),
        "szablon_sha256": prepared.template_sha256,
        "wejscie_sha256": prepared.inputs,
        "plik": on_disk_stamp,
        "utworzono": now(),
        "polecenie": command,
        "poprzednie": previous,
        **({"skan": entry["skan"]} if entry and entry.get("skan") else {}),
    }
    return Issued(target, status, moved), new_entry


def select_records(
    store: Store, *, sprawa: str | None, kind: str | None, date: dt.date | None
) -> dict[str, tuple[Case, list[str]]]:
    """The records whose documents `generate` should make, by case: one case or all, one kind or
    all, one date or all (the case as read, and record ids, current versions only).
    NotFoundError names what is not."""
    if sprawa:
        recorded = store.find_case(sprawa)
        if not recorded:
            raise NotFoundError(f"Nie ma sprawy {sprawa}. Listę spraw pokazuje: asystent families")
        numbers = [recorded]
    else:
        numbers = store.case_numbers()
    selected: dict[str, tuple[Case, list[str]]] = {}
    for number in numbers:
        case = Case.load(store, number)
        if case is None:
            continue
        ids = [
            record.id
            for record in case.current
            if record.formularz in DOCUMENT_KINDS
            and (kind is None or record.formularz == kind)
            and (date is None or (record not in case.damaged and case.model(record).date == date))
        ]
        if ids:
            selected[case.sprawa] = (case, ids)
    if not selected:
        what = f"formularza {kind}" if kind else "formularzy"
        when = f" z dnia {date.isoformat()}" if date else ""
        where = f"Sprawa {numbers[0]}" if sprawa else "Żadna sprawa"
        raise NotFoundError(f"{where} nie ma {what}{when}.")
    return selected


def regenerate(
    ws: Workspace,
    store: Store,
    sprawa: str,
    ids: list[str],
    *,
    command: str,
    read: Case | None = None,
    verify_files: bool = False,
) -> list[Issued]:
    """Issue documents of one case again, and say so in the audit trail.

    A document whose inputs are unchanged is skipped without rendering: an unchanged re-run
    reads and writes nothing. The rest render outside the store's lock, which is then taken only
    to write them; if the case changed meanwhile (an ingest), they are made again under it.
    `read`: the case as the caller already read it (`select_records`), not read again here.
    `verify_files`: documents asked for by name are read to see they are whole (`unchanged`).
    """
    ahead = render_ahead(ws, store, sprawa, ids, read=read, verify_files=verify_files)
    return issue(ws, store, ahead, command=command)


@dataclass
class Ahead:
    """A case's documents rendered outside the store's lock, to be issued (`issue`)."""

    case: Case
    pending: list[str]  # the records whose documents are to be written
    issued: list[Issued]  # those already unchanged
    prepared: list[Prepared]


def render_ahead(
    ws: Workspace,
    store: Store,
    sprawa: str,
    ids: list[str],
    *,
    read: Case | None = None,
    verify_files: bool = False,
) -> Ahead:
    """The first half of `regenerate`, which holds no lock: `generate --all` renders the next
    case's documents in it while the one before is written. `verify_files`: see `unchanged`."""
    case = read if read is not None else Case.load(store, sprawa)
    if case is None:
        raise NotFoundError(f"Nie ma sprawy {sprawa}.")
    by_id = {record.id: record for record in case.records}
    issued_all: list[Issued] = []
    pending = []
    for record_id in ids:
        same = unchanged(ws, case, by_id[record_id], verify_files=verify_files)
        if same is None:
            pending.append(record_id)
        else:
            issued_all.append(Issued(same, "bez zmian"))
    pending = [i for i in pending if by_id[i] not in case.damaged]  # check names those
    prepared = _prepare_all(ws, case, [by_id[i] for i in pending]) if pending else []
    return Ahead(case, pending, issued_all, prepared)


def issue(ws: Workspace, store: Store, ahead: Ahead, *, command: str) -> list[Issued]:
    """The second half of `regenerate`: write what was rendered, under the store's lock."""
    case, pending, issued_all = ahead.case, ahead.pending, list(ahead.issued)
    if not pending:
        return issued_all
    rendered: list[Prepared] | None = ahead.prepared
    with store.writing():
        now_case = Case.load(store, case.sprawa)
        if now_case is None:
            raise NotFoundError(f"Nie ma sprawy {case.sprawa}.")
        if now_case.records_digest != case.records_digest or list(now_case.documents) != list(
            case.documents
        ):
            rendered = None  # changed while rendering: render again, now under the lock
        registry = list(now_case.documents)
        now_by_id = {record.id: record for record in now_case.records}
        entries, lines = [], []
        # The files first, all made durable at once, then their registry in one write of the
        # case file, then the audit lines in one append: a crash between leaves documents that
        # the next run finds on disk and only registers.
        with WriteBatch() as batch:
            for number, record_id in enumerate(pending):
                if record_id not in now_by_id:
                    continue  # erased or replaced meanwhile
                record = now_by_id[record_id]
                prepared = (
                    rendered[number]
                    if rendered
                    else prepare(ws, now_case.with_documents(registry), record)
                )
                issued, entry = write(ws, prepared, registry, command=command, batch=batch)
                if entry is not None:
                    entries.append(entry)
                    registry = _replaced(registry, entry)
                lines.append(
                    {
                        "sprawa": now_case.sprawa,
                        "rekord": record.id,
                        "dokument": issued.path.name,
                        "wynik": issued.status,
                    }
                )
                issued_all.append(issued)
            batch.commit()
        before = store.case_stamp(case_key(now_case.sprawa))
        store.register_documents(now_case.sprawa, entries)
        store.audit_many("generowanie", lines)
        # same facts, new file stamp; built (if none were saved) from the case as read ahead,
        # whose records are these and whose models are validated already, not under the lock
        keep_facts_of_records_unchanged(store, case if rendered else now_case, before)
    return issued_all


def _prepare_all(ws: Workspace, case: Case, records: list[Record]) -> list[Prepared]:
    """Render several documents of a case before writing any: each one's name is chosen as if
    the ones before it were already registered (two visits on one day get two names)."""
    registry = list(case.documents)
    made = []
    for record in records:
        prepared = prepare(ws, case.with_documents(registry), record)
        made.append(prepared)
        provisional = {
            "nazwa": prepared.name,
            "klucz": record.klucz,
            "formularz": record.formularz,
            "rekord_id": record.id,
            "tresc_sha256": prepared.digest,
        }
        registry = _replaced(registry, provisional)
    return made


def _replaced(registry: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The registry with `entry` in place of the one of the same file name (or added)."""
    return [e for e in registry if e["nazwa"] != entry["nazwa"]] + [entry]


def render_to(ws: Workspace, store: Store, sprawa: str, ids: list[str], folder: Path) -> list[Path]:
    """Copies of documents in another folder (`generate --out`); not registered."""
    case = Case.load(store, sprawa)
    if case is None:
        raise NotFoundError(f"Nie ma sprawy {sprawa}.")
    by_id = {record.id: record for record in case.records}
    made = []
    for record_id in ids:
        if by_id[record_id] in case.damaged:
            continue  # `check` names it; it cannot be rendered
        prepared = prepare(ws, case, by_id[record_id])
        target = folder / prepared.name
        atomic_write(target, prepared.data)
        made.append(target)
    return made
