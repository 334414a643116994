"""Stage 3: the records store. Every accepted form is kept, nothing is ever overwritten.

Layout under `dane/` (owner-only):
    sprawy/<case key>.json    one TinyDB file per family case: its records and its documents
    przyjete/<sha256>.json    one marker per accepted file (duplicate detection in O(1))
    nadawcy/<hash>.json       who sent a rejected web upload, so its retry checks that person
    proby/<sha256>.json       attempts at a file that failed unexpectedly (set aside after a few)
    usuniete.json             tombstones of erased cases (keyed hashes, no case numbers)
    audyt.jsonl               append-only audit trail (no personal data)
    .lock                     the write lock: one writer at a time across processes

The same `Store` protocol has a PostgreSQL implementation (`records.pgstore`) for centres that
share one database across machines; `open_store` picks the one the workspace's settings name.

Why one file per case: TinyDB rereads and rewrites its whole file on every operation, so a single
file for the office grows slower with every visit; a case file stays small for a decade. Every
write goes through `AtomicJSONStorage` (temp file, fsync, rename), because TinyDB's own storage
overwrites in place and a crash can leave it unreadable.

Records are append-only. A form that corrects an earlier one (same case and same natural key,
e.g. a visit on the same day and hour) becomes the new version; the old one stays in history.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import msgspec
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage, Storage

from records import upgrade
from records.errors import AsystentError
from records.fsutil import atomic_write, fsync_dir, private_dir, read_many, stats_of
from records.identity import SCHEMA_VERSION, case_folder, case_key, is_case_file_of

if TYPE_CHECKING:
    from filelock import FileLock

    from records.settings import Workspace

_LOCK_TIMEOUT_S = 120
_ENCODE = msgspec.json.Encoder(order="sorted").encode
_DECODE = msgspec.json.Decoder().decode


class StoreError(AsystentError):
    code = "store"


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file and never reads damage as 'empty'."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = _DECODE(raw)
            if not isinstance(data, dict):
                raise msgspec.DecodeError("not an object")
        except msgspec.DecodeError:  # not JSON, not UTF-8, or not the object of tables
            raise StoreError(
                f"Plik magazynu {self.path.name} jest uszkodzony; przywróć go z kopii zapasowej.",
                code="store_corrupt",
            ) from None
        return {name: _by_doc_id(table) for name, table in data.items()}

    def write(self, data: dict[str, Any]) -> None:
        # Compact UTF-8 JSON, keys sorted, from msgspec: a 100-record case in a fraction of the
        # milliseconds json's encoder takes (each write rewrites the whole case file).
        atomic_write(self.path, _ENCODE(data), private=True)

    def close(self) -> None:
        pass


def _by_doc_id(table: Any) -> Any:
    """A table's documents in the order they were inserted (their ids are numbers: "10" comes
    after "9"). The file keeps its keys sorted as text, and TinyDB serves a table in the order
    it reads it: read as text, the tenth record would come before the second, and a correction
    made later would look older than the version it corrects."""
    if not isinstance(table, dict) or not all(str(k).isdigit() for k in table):
        return table
    return dict(sorted(table.items(), key=lambda item: int(item[0])))


@dataclass(frozen=True)
class Record:
    """One accepted form as stored: its values and where they came from."""

    id: str
    formularz: str
    sprawa: str
    klucz: str
    dane: dict[str, Any]
    zrodlo: dict[str, str]
    przyjeto: str
    polecenie: str
    wersja_schematu: int = SCHEMA_VERSION

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Record:
        return cls(**{name: doc[name] for name in cls.__dataclass_fields__ if name in doc})


@dataclass(frozen=True)
class CaseFile:
    """Everything stored about one case, read at once."""

    sprawa: str
    records: list[Record]
    documents: list[dict[str, Any]]
    archives: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class StoreDump:
    """Everything a store holds but the saved facts (derived): what `asystent store migrate`
    copies from one backend into another, and compares afterwards."""

    cases: list[CaseFile]
    accepted: dict[str, dict[str, Any]]  # sha256 -> marker
    senders: dict[str, dict[str, Any]]  # hash of the rejected file's name -> who sent it
    attempts: dict[str, dict[str, int]]  # sha256 -> counts
    tombstones: dict[str, str]  # keyed hash of an erased case -> day erased
    secret: str  # the key of those hashes
    audit: list[str]  # the audit trail's lines, exactly


class Lease(Protocol):
    """The right to be the workspace's one active `asystent watch` (or to run without one)."""

    def acquire(self, timeout: float) -> bool: ...
    def held(self) -> bool: ...
    def release(self) -> None: ...


class FileLease:
    """A lease held as a file lock in the workspace (one machine; the embedded store)."""

    def __init__(self, path: Path) -> None:
        from filelock import FileLock

        self._lock = FileLock(str(path), mode=0o600)

    def acquire(self, timeout: float) -> bool:
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            return False
        return True

    def held(self) -> bool:
        return bool(self._lock.is_locked)  # a lock of this process: lost only with it

    def release(self) -> None:
        self._lock.release()


WATCH_LEASE = "asystent.watch.lock"


class Store(Protocol):
    """What the rest of the package needs from a records store (TinyDB today, maybe SQL later).

    A store keeps records, registries and the audit trail; it does not interpret them: which
    version is current or what held on a day is `records.case.Case`, built from `read_case`."""

    def writing(self) -> Any: ...
    def find_case(self, sprawa: str) -> str | None: ...
    def case_numbers(self) -> list[str]: ...
    def read_case(self, sprawa: str) -> CaseFile | None: ...
    def case_stamps(self) -> dict[str, tuple[int, ...]]: ...
    def case_stamp(self, key: str) -> tuple[int, ...] | None: ...
    def read_facts(self, key: str) -> bytes | None: ...
    def read_facts_many(self, keys: list[str]) -> dict[str, bytes | None]: ...
    def write_facts(self, key: str, data: bytes, stamp: tuple[int, ...]) -> None: ...
    def add_record(self, record: Record) -> None: ...
    def commit(self, record: Record, document: dict[str, Any] | None) -> None: ...
    def accepted(self, sha256: str) -> dict[str, Any] | None: ...
    def mark_accepted(self, sha256: str, info: dict[str, Any]) -> None: ...
    def register_document(self, sprawa: str, entry: dict[str, Any]) -> None: ...
    def register_documents(self, sprawa: str, entries: list[dict[str, Any]]) -> None: ...
    def register_archive(self, sprawa: str, entry: dict[str, Any]) -> None: ...
    def erase_case(self, sprawa: str) -> None: ...
    def copies_of(self, sprawa: str) -> list[Path]: ...
    def is_erased(self, sprawa: str) -> bool: ...
    def sender_of(self, name: str) -> str | None: ...
    def remember_sender(self, name: str, login: str) -> None: ...
    def forget_sender(self, name: str) -> None: ...
    def attempts(self, sha256: str) -> dict[str, int]: ...
    def set_attempts(self, sha256: str, counts: dict[str, int] | None) -> None: ...
    def redact_audit(self, sprawa: str, pseudonym: str) -> tuple[int, str]: ...
    def audit(self, action: str, **facts: Any) -> None: ...
    def audit_many(self, action: str, lines: list[dict[str, Any]]) -> None: ...
    def audit_lines(self) -> Iterator[str]: ...
    def lease(self) -> Lease: ...
    def check(self) -> list[str]: ...
    def upgrades(self) -> list[str]: ...


class TinyStore:
    """The default store: TinyDB files in the workspace's `dane/` folder."""

    def __init__(self, root: Path, lease: Path | None = None) -> None:
        self.root = private_dir(root)
        self._lease = lease or root / WATCH_LEASE
        self._cases = private_dir(root / "sprawy")
        self._accepted = private_dir(root / "przyjete")
        self._facts = private_dir(root / "fakty")  # each case's facts as of its last write
        self._senders = root / "nadawcy"
        self._attempts = root / "proby"
        self._file_lock: FileLock | None = None  # made at the first write (`_lock`)
        self._making_lock = threading.Lock()
        self.case_reads: Counter[str] = Counter()  # reads of each case file (tests count them)
        moved = root / MOVED
        if moved.exists():
            raise StoreError(
                f"Dane tej przestrzeni przeniesiono do bazy PostgreSQL ({_json_or_empty(moved).get('baza', '?')}); "
                "wpisz jej adres w asystent.toml ([magazyn] adres) i uruchom program ponownie.",
                code="store_moved",
            )
        if not (root / upgrade.MARKER).exists() or upgrade.stored_schema(root) != upgrade.SCHEMA:
            with self.writing():  # a new store is marked; an older one is upgraded, once
                upgrade.upgrade(root, self._write_case_file)

    def _write_case_file(self, path: Path, data: dict[str, Any]) -> None:
        AtomicJSONStorage(str(path)).write(data)

    def upgrades(self) -> list[str]:
        """What upgrading this store from earlier releases did (`asystent check` shows it)."""
        return upgrade.history(self.root)

    # -- locking -------------------------------------------------------------------------------
    @property
    def _lock(self) -> FileLock:
        """Made at the first write: `families`, `alerts` and `report` only read, and start
        faster without importing filelock. One per store, even when two threads first write
        at once (two would wait for each other, each re-entrant only for itself)."""
        with self._making_lock:
            if self._file_lock is None:
                from filelock import FileLock

                self._file_lock = FileLock(
                    str(self.root / ".lock"), timeout=_LOCK_TIMEOUT_S, mode=0o600
                )
            return self._file_lock

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the workspace's write lock (re-entrant); other writers wait for it."""
        from filelock import Timeout

        try:
            with self._lock:
                yield
        except Timeout:
            raise StoreError(
                "Magazyn danych jest zajęty przez inny proces asystenta dłużej niż "
                f"{_LOCK_TIMEOUT_S} s; spróbuj ponownie później.",
                code="store_busy",
            ) from None

    # -- cases and records -----------------------------------------------------------------------
    def _db(self, sprawa: str) -> TinyDB:
        return TinyDB(str(self._cases / f"{case_key(sprawa)}.json"), storage=AtomicJSONStorage)

    def find_case(self, sprawa: str) -> str | None:
        """The case number as first recorded, for any spelling that shares its folder."""
        if not (self._cases / f"{case_key(sprawa)}.json").exists():
            return None
        with self._db(sprawa) as db:
            first = db.table("rekordy").get(doc_id=1)
        return first["sprawa"] if first else None

    @contextmanager
    def _transaction(self, sprawa: str) -> Iterator[TinyDB]:
        """The case's tables in memory; written back in one atomic file write if the block ends
        without an error, so several changes land together or not at all."""
        with self.writing():
            storage = AtomicJSONStorage(str(self._cases / f"{case_key(sprawa)}.json"))
            db = TinyDB(storage=MemoryStorage)
            current = storage.read()
            if current is not None:
                db.storage.write(current)
            yield db
            storage.write(db.storage.read() or {})

    def add_record(self, record: Record) -> None:
        """One insert is one atomic file write: a crash leaves the case as it was, or with it."""
        self.commit(record, None)

    def commit(self, record: Record, document: dict[str, Any] | None) -> None:
        """A record and the registry entry of its document, in one write: both or neither."""
        with self._transaction(record.sprawa) as db:
            db.table("rekordy").insert(record.__dict__)
            if document is not None:
                db.table("dokumenty").upsert(document, Query().nazwa == document["nazwa"])

    def case_numbers(self) -> list[str]:
        """Every case's number as first recorded, in the order of their keys."""
        numbers = []
        for path in sorted(self._cases.glob("*.json"), key=lambda p: p.stem):
            number = _number_in(AtomicJSONStorage(str(path)).read() or {})
            if number is not None and is_case_file_of(path.stem, number):  # not a copy
                numbers.append(number)
        return numbers

    def read_case(self, sprawa: str) -> CaseFile | None:
        """Everything stored about a case from one read of its file: records, documents and
        archival packages (`records.case.Case.load` builds the case from it)."""
        path = self._cases / f"{case_key(sprawa)}.json"
        if not path.exists():
            return None
        self.case_reads[case_key(sprawa)] += 1
        data = AtomicJSONStorage(str(path)).read() or {}
        docs = list(data.get("rekordy", {}).values())
        if not docs:
            return None
        return CaseFile(
            docs[0]["sprawa"],
            [Record.from_doc(d) for d in docs],
            list(data.get("dokumenty", {}).values()),
            list(data.get("archiwizacje", {}).values()),
        )

    def case_stamps(self) -> dict[str, tuple[int, ...]]:
        """Each case file's key and a stamp that changes whenever the file is rewritten."""
        return {key: _stamp(stat) for key, stat in stats_of(self._cases, ".json").items()}

    def case_stamp(self, key: str) -> tuple[int, ...] | None:
        """One case file's stamp (see `case_stamps`), None if there is no such case."""
        try:
            return _stamp((self._cases / f"{key}.json").stat())
        except FileNotFoundError:
            return None

    # -- saved facts (records.case.facts_of) ------------------------------------------------------
    def read_facts(self, key: str) -> bytes | None:
        return self.read_facts_many([key])[key]

    def read_facts_many(self, keys: list[str]) -> dict[str, bytes | None]:
        found = read_many(self._facts, [f"{key}.json" for key in keys])
        return {key: found[f"{key}.json"] for key in keys}

    def write_facts(self, key: str, data: bytes, stamp: tuple[int, ...]) -> None:
        """Save facts built from the case file with `stamp`, if that is still its stamp: under
        the lock, so an erase or a newer write in between leaves nothing saved. Saved facts are
        derived, but they hold names and dates of birth: owner-only, written whole, and erased
        with the case."""
        with self.writing():
            if self.case_stamp(key) == stamp:  # a cache, checked by its stamp: not synced
                atomic_write(self._facts / f"{key}.json", data, private=True, durable=False)

    # -- accepted files (duplicates) --------------------------------------------------------------
    def accepted(self, sha256: str) -> dict[str, Any] | None:
        path = self._accepted / f"{sha256}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def mark_accepted(self, sha256: str, info: dict[str, Any]) -> None:
        payload = json.dumps(info, ensure_ascii=False).encode("utf-8")
        atomic_write(self._accepted / f"{sha256}.json", payload, private=True)

    # -- documents -------------------------------------------------------------------------------
    def register_document(self, sprawa: str, entry: dict[str, Any]) -> None:
        """Add or replace the entry of one current document (by its file name), in one write."""
        self.register_documents(sprawa, [entry])

    def register_documents(self, sprawa: str, entries: list[dict[str, Any]]) -> None:
        """Add or replace the entries of several documents of one case, in one write."""
        if not entries:
            return
        with self._transaction(sprawa) as db:
            table = db.table("dokumenty")
            for entry in entries:
                table.upsert(entry, Query().nazwa == entry["nazwa"])

    # -- archival packages and erasure ----------------------------------------------------------
    def register_archive(self, sprawa: str, entry: dict[str, Any]) -> None:
        with self._transaction(sprawa) as db:
            db.table("archiwizacje").insert(entry)

    def erase_case(self, sprawa: str) -> None:
        """Remove the case's file, the markers of its accepted files and any temp file left over,
        and leave a tombstone so that a form for it is refused, never a new case."""
        with self.writing():
            key = case_key(sprawa)
            found = self.read_case(sprawa)
            for record in found.records if found else []:
                (self._accepted / f"{record.zrodlo['sha256']}.json").unlink(missing_ok=True)
                self.set_attempts(record.zrodlo["sha256"], None)
            for marker in self._accepted.glob("*.json"):  # scans have no record of their own
                if found and _json_or_empty(marker).get("sprawa") == found.sprawa:
                    marker.unlink()
            for leftover in self._cases.glob(f".{key}.json.*"):
                leftover.unlink()
            (self._facts / f"{key}.json").unlink(missing_ok=True)
            for leftover in self._facts.glob(f".{key}.json.*"):
                leftover.unlink()
            fsync_dir(self._facts)
            tombstones = self._tombstones()
            tombstones[self._tombstone_key(sprawa)] = now()[:10]
            payload = json.dumps(tombstones, sort_keys=True).encode("utf-8")
            atomic_write(self.root / TOMBSTONES, payload, private=True)
            (self._cases / f"{key}.json").unlink(missing_ok=True)
            fsync_dir(self._cases)
            fsync_dir(self._accepted)

    def is_erased(self, sprawa: str) -> bool:
        return self._tombstone_key(sprawa) in self._tombstones()

    def copies_of(self, sprawa: str) -> list[Path]:
        """Files in the store's folder that hold the case besides its own file: the copies an
        upgrade kept (`dane/kopie/`) and copies under another name in `dane/sprawy/` (a sync
        conflict, a backup made by hand). `erase` removes them with the case."""
        key = case_key(sprawa)
        backups = self.root / upgrade.BACKUPS
        found = []
        for path in [*sorted(backups.rglob("*.json")), *sorted(self._cases.glob("*.json"))]:
            if path.parent == self._cases and path.stem == key:
                continue  # its own file: `erase_case`
            if path.stem == key or _holds_case(path, sprawa):
                found.append(path)
        return found

    def _tombstones(self) -> dict[str, str]:
        try:
            return json.loads((self.root / TOMBSTONES).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _tombstone_key(self, sprawa: str) -> str:
        """A keyed hash of the case's identity: recognises the number, cannot be read back to it
        (case numbers are guessable, so a plain hash would not do)."""
        return hmac.new(self._secret(), case_key(sprawa).encode("utf-8"), "sha256").hexdigest()

    def _secret(self) -> bytes:
        path = self.root / SECRET_FILE
        if not path.exists():
            atomic_write(path, secrets.token_hex(32).encode(), private=True)
        return path.read_bytes().strip()

    # -- who sent a rejected upload; attempts at failing files ----------------------------------
    def _sender_file(self, name: str) -> Path:
        return (
            self._senders
            / f"{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()}.json"
        )

    def sender_of(self, name: str) -> str | None:
        """The login that sent the rejected file `name` (its path in odrzucone/) from the web."""
        try:
            info = json.loads(self._sender_file(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return info["login"] if info.get("plik") == name else None

    def remember_sender(self, name: str, login: str) -> None:
        payload = json.dumps({"plik": name, "login": login, "od": now()}, ensure_ascii=False)
        private_dir(self._senders)
        atomic_write(
            self._sender_file(name), payload.encode("utf-8", "surrogateescape"), private=True
        )

    def forget_sender(self, name: str) -> None:
        self._sender_file(name).unlink(missing_ok=True)

    def attempts(self, sha256: str) -> dict[str, int]:
        """How often processing a file began (`proby`) and failed unexpectedly (`bledy`)."""
        counts = {"proby": 0, "bledy": 0}
        with suppress(FileNotFoundError):
            counts |= json.loads((self._attempts / f"{sha256}.json").read_text(encoding="utf-8"))
        return counts

    def set_attempts(self, sha256: str, counts: dict[str, int] | None) -> None:
        path = self._attempts / f"{sha256}.json"
        if counts is None:
            path.unlink(missing_ok=True)
            return
        private_dir(self._attempts)
        atomic_write(path, json.dumps(counts).encode("utf-8"), private=True)

    def redact_audit(self, sprawa: str, pseudonym: str) -> tuple[int, str]:
        """Replace the case number in the audit trail with a pseudonym and drop file hashes.

        The chain is sealed again from the first changed line; the erasure's own audit line (added
        next) names the hash the chain ended with before, so the rewrite is itself on record.
        Returns the number of lines changed and the hash the chain ended with before.
        """
        path = self.root / AUDIT_FILE
        with self.writing():
            if not path.exists():
                return 0, _GENESIS
            _cut_torn_tail(path)
            tip = _last_line_hash(path)
            texts = [
                line.decode("utf-8") for line in path.read_bytes().splitlines() if line.strip()
            ]
            changed, out = resealed(texts, sprawa, pseudonym)
            if changed:
                atomic_write(path, "".join(t + "\n" for t in out).encode("utf-8"), private=True)
            return changed, tip

    # -- audit -----------------------------------------------------------------------------------
    def audit(self, action: str, **facts: Any) -> None:
        """Append one line to the audit trail: who, what, when, which case; never form values.

        Each line carries the sha256 of the line before it (`poprzedni`), so an edited, removed
        or reordered line breaks the chain and `asystent check` names where.
        """
        self.audit_many(action, [facts])

    def audit_many(self, action: str, lines: list[dict[str, Any]]) -> None:
        """Several lines of one action (a batch of documents), chained, in one durable append."""
        if not lines:
            return
        path = self.root / AUDIT_FILE
        with self.writing():
            _cut_torn_tail(path)
            text = chained(action, lines, _last_line_hash(path))
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write("".join(t + "\n" for t in text))
                handle.flush()
                os.fsync(handle.fileno())

    def audit_lines(self) -> Iterator[str]:
        """The audit trail's lines, oldest first (without their line ends)."""
        path = self.root / AUDIT_FILE
        if path.exists():
            text = path.read_bytes().decode("utf-8", "surrogateescape")
            yield from (line for line in text.split("\n") if line.strip())

    def lease(self) -> Lease:
        return FileLease(self._lease)

    def mark_moved(self, where: str) -> None:
        """After `asystent store migrate`: this store is no longer the workspace's."""
        payload = json.dumps({"baza": where, "od": now()}, ensure_ascii=False).encode("utf-8")
        atomic_write(self.root / MOVED, payload, private=True)

    def dump(self) -> StoreDump:
        """Everything stored (`StoreDump`), read under the write lock."""

        def folder(path: Path) -> dict[str, Any]:
            found = sorted(path.glob("*.json")) if path.is_dir() else []
            return {marker.stem: json.loads(marker.read_text(encoding="utf-8")) for marker in found}

        with self.writing():
            cases = [found for n in self.case_numbers() if (found := self.read_case(n))]
            return StoreDump(
                cases,
                folder(self._accepted),
                folder(self._senders),
                folder(self._attempts),
                self._tombstones(),
                self._secret().decode(),
                list(self.audit_lines()),
            )

    def check(self) -> list[str]:
        """Problems in the store itself, in Polish: unreadable case files, a broken audit chain."""
        problems: list[str] = []
        for path in sorted(self._cases.glob("*.json")):
            try:
                data = AtomicJSONStorage(str(path)).read() or {}
            except StoreError as err:
                problems.append(str(err))
                continue
            number = _number_in(data)
            if number is not None and not is_case_file_of(path.stem, number):
                own = f"{case_key(number)}.json"
                what = (
                    "to kopia (np. konflikt synchronizacji albo kopia zapasowa zrobiona "
                    "ręcznie); przenieś go poza folder dane/"
                    if (self._cases / own).exists()
                    else f"pliku {own} nie ma: jeśli to jedyny plik tej sprawy, zmień jego "
                    f"nazwę na {own}"
                )
                problems.append(
                    f"Plik dane/sprawy/{path.name} zawiera sprawę {number}, której plikiem jest "
                    f"{own}. Program go pomija: {what}."
                )
        for marker in sorted(self._accepted.glob("*.json")):
            try:
                json.loads(marker.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                problems.append(f"Znacznik przyjętego pliku {marker.name} jest uszkodzony.")
        return problems + audit_chain_problems(
            line.encode("utf-8", "surrogateescape") for line in self.audit_lines()
        )


AUDIT_FILE = "audyt.jsonl"
MOVED = "PRZENIESIONO.json"  # the store was moved into PostgreSQL (records.store_migrate)
TOMBSTONES = "usuniete.json"
SECRET_FILE = ".sekret"  # noqa: S105 - the name of the file, not a secret
_GENESIS = "0" * 64


def _pseudonymised(line: dict[str, Any], sprawa: str, pseudonym: str) -> dict[str, Any]:
    """The line with the case number (also as a folder name, `GOPS_AR_3_2026`) replaced, and
    without the hash of the original file (it could confirm whom a file was about)."""
    spellings = sorted({sprawa, case_folder(sprawa)}, key=len, reverse=True)
    result = {}
    for key, value in line.items():
        if key == "plik_sha256":
            continue
        if isinstance(value, str):
            for spelling in spellings:
                value = re.sub(re.escape(spelling), pseudonym, value, flags=re.IGNORECASE)
        result[key] = value
    return result


def _stamp(stat: os.stat_result) -> tuple[int, ...]:
    """A file's stamp: changes whenever it is rewritten (an atomic rewrite is a new inode)."""
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def chained(action: str, lines: list[dict[str, Any]], previous: str) -> list[str]:
    """Audit lines of one action, each naming the hash of the line before it (`previous` for the
    first): who, what, when, which case; never form values. The same text in both stores."""
    texts = []
    for facts in lines:
        line = {"czas": now(), "kto": _user(), "czynnosc": action, **facts}
        written = json.dumps(line | {"poprzedni": previous}, ensure_ascii=False, sort_keys=True)
        previous = _line_hash(written.encode("utf-8"))
        texts.append(written)
    return texts


def resealed(texts: list[str], sprawa: str, pseudonym: str) -> tuple[int, list[str]]:
    """The trail with the case's lines pseudonymised and every line chained again from the
    start: (how many lines named the case, the new text of every line)."""
    changed, previous, out = 0, _GENESIS, []
    for text in texts:
        line = json.loads(text)
        named = line.get("sprawa")
        if named is not None and case_key(str(named)) == case_key(sprawa):
            line = _pseudonymised(line, sprawa, pseudonym)
            changed += 1
        line["poprzedni"] = previous
        new = json.dumps(line, ensure_ascii=False, sort_keys=True)
        previous = _line_hash(new.encode("utf-8"))
        out.append(new)
    return changed, out


def _line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def _cut_torn_tail(path: Path) -> None:
    """A line a killed process left half-written was never part of the trail: drop it."""
    try:
        with open(path, "rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(max(0, size - 65536))
            tail = handle.read()
            if tail.endswith(b"\n"):
                return
            handle.truncate(size - len(tail) + tail.rfind(b"\n") + 1)
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return


def _last_line_hash(path: Path) -> str:
    """The hash of the last audit line, read from the file's end (cost independent of its size)."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 65536))
            lines = [line for line in handle.read().split(b"\n") if line.strip()]
    except FileNotFoundError:
        return _GENESIS
    return _line_hash(lines[-1]) if lines else _GENESIS


def audit_chain_problems(lines: Iterable[bytes]) -> list[str]:
    """Check that every audit line names the hash of the line before it."""
    expected = _GENESIS
    for number, line in enumerate(lines, start=1):
        try:
            previous = json.loads(line)["poprzedni"]
        except (ValueError, KeyError, TypeError):
            return [f"Dziennik audytu: wiersz {number} jest uszkodzony."]
        if previous != expected:
            return [
                f"Dziennik audytu: łańcuch przerwany w wierszu {number} "
                "(wpis zmieniony, usunięty albo dopisany poza programem)."
            ]
        expected = _line_hash(line)
    return []


def open_store(ws: Workspace) -> Store:
    """The workspace's store: PostgreSQL when its settings (or $ASYSTENT_MAGAZYN) give an
    address, else the TinyDB files in `dane/`. The one place that picks the backend."""
    address = os.environ.get("ASYSTENT_MAGAZYN") or ws.settings.magazyn.adres
    if address:
        try:
            from records.pgstore import PgStore
        except ImportError:
            raise StoreError(
                "Magazyn w bazie PostgreSQL wymaga pakietu psycopg: "
                "pip install 'asystent[postgresql]'",
                code="store_unavailable",
            ) from None
        return PgStore(address, ws.settings.magazyn.osrodek)
    return TinyStore(ws.data, lease=ws.root / WATCH_LEASE)


def new_record_id() -> str:
    return uuid.uuid4().hex


def now() -> str:
    """Timestamp used in records, registries and the audit trail (local time with offset)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - some service accounts have no user name
        return "nieznany"


def _holds_case(path: Path, sprawa: str) -> bool:
    """Whether a case file (or a copy of one) holds records of `sprawa`; one that cannot be
    read counts if its text names the case (erasure would rather take too much of a copy)."""
    try:
        data = AtomicJSONStorage(str(path)).read() or {}
    except StoreError:
        from records.text import whole_words

        text = path.read_bytes().decode("utf-8", errors="replace")
        return whole_words([sprawa.casefold()]).search(text.casefold()) is not None
    number = _number_in(data)
    return number is not None and case_key(number) == case_key(sprawa)


def _number_in(data: Any) -> str | None:
    """The case number a case file's records carry (its first record's), None if it has none."""
    records = data.get("rekordy") if isinstance(data, dict) else None
    first = next(iter(records.values()), None) if isinstance(records, dict) else None
    number = first.get("sprawa") if isinstance(first, dict) else None
    return number if isinstance(number, str) else None


def _json_or_empty(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
