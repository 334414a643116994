"""The records store in PostgreSQL (psycopg 3), for centres that outgrow one machine.

The same `records.store.Store` protocol as the TinyDB files, with the same behaviour: records are
append-only, a record and its document's registry entry are one transaction, the audit trail is
hash-chained line by line exactly as in `audyt.jsonl`, erasing leaves a keyed tombstone.

Several machines share one database safely:
- the write lock is a session advisory lock of the office (`pg_advisory_lock`), so every
  process's writes for one office are serialised the way the file lock serialises them on one
  machine; PostgreSQL releases it when a process dies, even by kill -9;
- acceptance is exactly once as on TinyDB: the pipeline does everything for one file under that
  lock, and a file seen again is known by its sha256 (a primary key here) or by its record;
- the lease of the one active `asystent watch` is another advisory lock, held by its own
  connection for as long as the service runs.

Offices are kept apart by the schema (`sql/0001_magazyn.sql`): row-level security lets an
office's database account see only rows with its own name. The process refuses to run as a
superuser or a BYPASSRLS account, who would see every office.

Connections are kept one per thread and address: the web server's threads and the watcher each
have their own session, and so their own place in the lock's queue.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from typing import Any

import msgspec
import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus
from psycopg.types.json import set_json_loads

from records.errors import AsystentError
from records.identity import case_key
from records.store import (
    _GENESIS,
    _LOCK_TIMEOUT_S,
    CaseFile,
    Lease,
    Record,
    StoreDump,
    StoreError,
    _line_hash,
    audit_chain_problems,
    chained,
    now,
    resealed,
)

_ENCODE = msgspec.json.Encoder(order="sorted").encode
_DECODE = msgspec.json.Decoder().decode
SCHEMA_FILES = "sql"
_local = threading.local()
_checked: dict[str, str] = {}  # address -> its account, once checked (role, schema version)
_lock_keys: dict[str, bytes] = {}  # address -> the office's secret, the key of its locks


def masked(address: str) -> str:
    """The address without its password, for messages and the log: the account, the server
    and the database, each only if it looks like one (a password with an unencoded `@` would
    otherwise spill into the server's name)."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(address)
    except psycopg.ProgrammingError:
        return "(błędny adres bazy danych)"

    def plain(key: str, default: str) -> str:
        value = str(parts.get(key) or default)
        return value if _PLAIN.fullmatch(value) else "(?)"

    return f"{plain('user', '?')}@{plain('host', 'localhost')}/{plain('dbname', '?')}"


_PLAIN = re.compile(r"[A-Za-z0-9_.\-/:\[\],]{1,200}")

# libpq's reasons, in the words an office understands (libpq's own text may quote the address).
_REASONS = (
    ("password authentication failed", "błędne konto albo hasło"),
    ("no password supplied", "brak hasła (wpisz je w pliku .pgpass konta usługi)"),
    ("does not exist", "nie ma takiej bazy albo konta"),
    ("timeout", "serwer nie odpowiedział na czas"),
    ("terminating connection", "serwer zakończył połączenie"),
    ("server closed the connection", "serwer zakończył połączenie"),
    ("connection refused", "serwer nie przyjmuje połączeń"),
    ("no such file or directory", "serwer nie działa pod tym adresem"),
    ("could not translate host name", "nieznana nazwa serwera"),
    ("ssl", "błąd połączenia szyfrowanego (SSL)"),
)


def _unavailable(address: str, err: Exception) -> StoreError:
    text = str(err).lower()
    if isinstance(err, psycopg.ProgrammingError):  # the address itself: never quote it
        reason = "błędny adres; sprawdź [magazyn] adres"
    else:
        reason = next((said for key, said in _REASONS if key in text), "brak połączenia")
    return StoreError(
        f"Baza danych {masked(address)} jest niedostępna ({reason}); "
        "spróbuj ponownie, gdy zadziała.",
        code="store_unavailable",
    )


# Every session: names resolve in pg_catalog only (nobody's function can stand in for ours),
# lock waits are bounded, and a dead peer is noticed within about a minute (a power cut on a
# watcher's machine ends its lease; a dead server ends our session), not after TCP's 2 hours.
_SESSION = (
    "-c search_path=pg_catalog,pg_temp -c lock_timeout={lock}s -c tcp_keepalives_idle=20 "
    "-c tcp_keepalives_interval=5 -c tcp_keepalives_count=4 -c tcp_user_timeout=60000"
)


def connect(address: str) -> psycopg.Connection[Any]:
    """A new connection in autocommit mode (transactions are explicit)."""
    try:
        conn = psycopg.connect(
            address,
            autocommit=True,
            connect_timeout=10,
            application_name="asystent",
            options=_SESSION.format(lock=_LOCK_TIMEOUT_S),
            keepalives=1,
            keepalives_idle=20,
            keepalives_interval=5,
            keepalives_count=4,
        )
    except (psycopg.OperationalError, psycopg.ProgrammingError) as err:
        raise _unavailable(address, err) from None
    set_json_loads(_DECODE, conn)  # the store's own decoder: several times json's speed
    return conn


class PgStore:
    """The records of one office (its database account) in a shared PostgreSQL database."""

    def __init__(self, address: str, office: str = "") -> None:
        self.address = address
        self.office = self._checked_office(office)

    # -- connection ------------------------------------------------------------------------------
    def _conn(self) -> psycopg.Connection[Any]:
        """The thread's connection, opened again if it was lost, except while this thread holds
        the write lock: the lock went with the lost session, and writing on without it could
        interleave with another machine's writes."""
        pool: dict[str, psycopg.Connection[Any]] = _local.__dict__.setdefault("conns", {})
        depth: dict[str, int] = _local.__dict__.setdefault("depth", {})
        conn = pool.get(self.address)
        if conn is None or conn.closed or conn.broken:
            if depth.get(self.address, 0):
                raise _unavailable(self.address, ConnectionError("połączenie przerwane"))
            conn = pool[self.address] = connect(self.address)
            depth[self.address] = 0
        return conn

    @contextmanager
    def _db(self) -> Iterator[psycopg.Connection[Any]]:
        """The thread's connection; a lost connection becomes a Polish `store_unavailable`
        (a fault of the office to wait out, never a fault of the file being processed)."""
        conn = self._conn()
        try:
            yield conn
        except pg_errors.InsufficientPrivilege:
            account = conn.info.user
            raise StoreError(
                f"Konto bazy danych {account} nie ma praw do tabel asystenta; administrator "
                f"bazy nadaje je poleceniem: GRANT asystent_osrodki TO {account};",
                code="store_account",
            ) from None
        except (psycopg.OperationalError, psycopg.InterfaceError) as err:
            if isinstance(err, pg_errors.LockNotAvailable):
                raise _busy() from None
            raise _unavailable(self.address, err) from None

    def _checked_office(self, office: str) -> str:
        """The office's account, checked once per process and address."""
        if self.address in _checked:
            account = _checked[self.address]
            if office and office != account:
                raise _other_office(office, account)
            return account
        with self._db() as conn:
            account, sees_all = conn.execute(
                "SELECT current_user, rolsuper OR rolbypassrls FROM pg_catalog.pg_roles "
                "WHERE rolname = current_user"
            ).fetchall()[0]
            version = _schema_version(conn)
            member = (
                conn.execute(
                    "SELECT pg_catalog.pg_has_role(current_user, 'asystent_osrodki', 'USAGE')"
                ).fetchall()[0][0]
                if version
                else True
            )
        if sees_all:
            raise StoreError(
                f"Konto bazy danych {account} widzi dane wszystkich ośrodków (superużytkownik "
                "albo BYPASSRLS); asystent łączy się tylko kontem swojego ośrodka.",
                code="store_account",
            )
        if office and office != account:
            raise _other_office(office, account)
        if not member:
            raise StoreError(
                f"Konto bazy danych {account} nie należy do ośrodków asystenta; administrator "
                f"bazy dodaje je poleceniem: GRANT asystent_osrodki TO {account};",
                code="store_account",
            )
        latest = len(schema_files())
        if version < latest:
            raise StoreError(
                f"Baza danych {masked(self.address)} nie ma tabel asystenta w wersji {latest}; "
                "administrator bazy przygotowuje je poleceniem: asystent store schema ADRES",
                code="store_schema",
            )
        if version > latest:
            raise StoreError(
                f"Baza danych {masked(self.address)} ma tabele nowszej wersji asystenta "
                f"({version}); zaktualizuj program na tym komputerze.",
                code="store_too_new",
            )
        _checked[self.address] = str(account)
        return str(account)

    # -- locking ---------------------------------------------------------------------------------
    def _lock_id(self, purpose: str) -> int:
        """The advisory lock of one purpose of this office. Advisory locks have no owners or
        rights, so the key comes from the office's secret (a row only the office can read):
        another office cannot take our lock to stop our work."""
        if self.address not in _lock_keys:
            _lock_keys[self.address] = self._office_key("zamki", "klucz")
        digest = hmac.new(_lock_keys[self.address], purpose.encode(), "sha256").digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the office's write lock (re-entrant within a thread); other writers wait.

        Taken and given back outside any transaction (a lock released inside one would let the
        next writer in before the commit). When giving it back fails, the session is closed,
        which releases it: a lock must never outlive its holder's work."""
        lock = self._lock_id("zapis")
        with self._db() as conn:
            depth: dict[str, int] = _local.depth
            if depth[self.address] == 0:
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    raise StoreError("Blokadę zapisu bierze się poza transakcją.", code="store")
                try:
                    conn.execute("SELECT pg_catalog.pg_advisory_lock(%s)", (lock,))
                except pg_errors.LockNotAvailable:
                    raise _busy() from None
            depth[self.address] += 1
        try:
            yield
        finally:
            depth[self.address] -= 1
            if depth[self.address] == 0 and not conn.closed:
                released = None
                with suppress(psycopg.Error):
                    if conn.info.transaction_status == TransactionStatus.IDLE:
                        row = conn.execute(
                            "SELECT pg_catalog.pg_advisory_unlock(%s)", (lock,)
                        ).fetchone()
                        released = row[0] if row else None
                if not released:
                    conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything this thread does with the store inside the block commits together."""
        with self._db() as conn, conn.transaction():
            yield

    def lease(self) -> Lease:
        return _AdvisoryLease(self.address, self._lock_id("usluga"))

    # -- cases and records -----------------------------------------------------------------------
    def find_case(self, sprawa: str) -> str | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT tresc->>'sprawa' FROM asystent.rekordy "
                "WHERE osrodek = current_user AND klucz = %s AND nr = 1",
                (case_key(sprawa),),
            ).fetchone()
        return row[0] if row else None

    def case_numbers(self) -> list[str]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT tresc->>'sprawa' FROM asystent.rekordy "
                'WHERE osrodek = current_user AND nr = 1 ORDER BY klucz COLLATE "C"'
            ).fetchall()
        return [row[0] for row in rows]

    def read_case(self, sprawa: str) -> CaseFile | None:
        """Records, documents and archives from one statement: one snapshot of the case."""
        key = case_key(sprawa)
        parts = ", ".join(
            f"(SELECT pg_catalog.json_agg(tresc ORDER BY nr) FROM asystent.{table} "  # noqa: S608
            "WHERE osrodek = current_user AND klucz = %(key)s)"
            for table in ("rekordy", "dokumenty", "archiwizacje")
        )
        with self._db() as conn:
            row = conn.execute(f"SELECT {parts}", {"key": key}).fetchall()[0]
        records, documents, archives = (part or [] for part in row)
        if not records:
            return None
        return CaseFile(
            records[0]["sprawa"], [Record.from_doc(d) for d in records], documents, archives
        )

    def case_stamps(self) -> dict[str, tuple[int, ...]]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT klucz, zmiana FROM asystent.sprawy WHERE osrodek = current_user"
            ).fetchall()
        return {key: (change,) for key, change in rows}

    def case_stamp(self, key: str) -> tuple[int, ...] | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT zmiana FROM asystent.sprawy WHERE osrodek = current_user AND klucz = %s",
                (key,),
            ).fetchone()
        return (row[0],) if row else None

    def add_record(self, record: Record) -> None:
        self.commit(record, None)

    def commit(self, record: Record, document: dict[str, Any] | None) -> None:
        """A record and the registry entry of its document, in one transaction."""
        key = case_key(record.sprawa)
        with self.writing(), self._db() as conn, conn.transaction():
            _touch(conn, key)
            conn.execute(
                "INSERT INTO asystent.rekordy (klucz, nr, tresc) VALUES (%s, "
                "(SELECT coalesce(max(nr), 0) + 1 FROM asystent.rekordy "
                " WHERE osrodek = current_user AND klucz = %s), %s::json)",
                (key, key, _ENCODE(record.__dict__).decode()),
            )
            if document is not None:
                _upsert_document(conn, key, document)

    # -- saved facts -----------------------------------------------------------------------------
    def read_facts(self, key: str) -> bytes | None:
        return self.read_facts_many([key])[key]

    def read_facts_many(self, keys: list[str]) -> dict[str, bytes | None]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT klucz, dane FROM asystent.fakty "
                "WHERE osrodek = current_user AND klucz = ANY(%s)",
                (keys,),
            ).fetchall()
        found = {key: bytes(data) for key, data in rows}
        return {key: found.get(key) for key in keys}

    def write_facts(self, key: str, data: bytes, stamp: tuple[int, ...]) -> None:
        """Saved only if `stamp` is still the case's stamp (one statement). A case erased at that
        moment takes its facts with it: then nothing is saved."""
        with self._db() as conn, suppress(pg_errors.ForeignKeyViolation):
            conn.execute(
                "INSERT INTO asystent.fakty (klucz, dane) SELECT %s, %s WHERE EXISTS ("
                " SELECT 1 FROM asystent.sprawy WHERE osrodek = current_user"
                " AND klucz = %s AND zmiana = %s) "
                "ON CONFLICT (osrodek, klucz) DO UPDATE SET dane = excluded.dane",
                (key, data, key, stamp[0]),
            )

    # -- accepted files --------------------------------------------------------------------------
    def accepted(self, sha256: str) -> dict[str, Any] | None:
        return self._get("przyjete", "sha256", sha256)

    def mark_accepted(self, sha256: str, info: dict[str, Any]) -> None:
        self._put("przyjete", "sha256", sha256, info)

    # -- documents and archives ------------------------------------------------------------------
    def register_document(self, sprawa: str, entry: dict[str, Any]) -> None:
        self.register_documents(sprawa, [entry])

    def register_documents(self, sprawa: str, entries: list[dict[str, Any]]) -> None:
        if not entries:
            return
        key = case_key(sprawa)
        with self.writing(), self._db() as conn, conn.transaction():
            _touch(conn, key)
            for entry in entries:
                _upsert_document(conn, key, entry)

    def register_archive(self, sprawa: str, entry: dict[str, Any]) -> None:
        key = case_key(sprawa)
        with self.writing(), self._db() as conn, conn.transaction():
            _touch(conn, key)
            conn.execute(
                "INSERT INTO asystent.archiwizacje (klucz, nr, tresc) VALUES (%s, "
                "(SELECT coalesce(max(nr), 0) + 1 FROM asystent.archiwizacje "
                " WHERE osrodek = current_user AND klucz = %s), %s::json)",
                (key, key, _ENCODE(entry).decode()),
            )

    # -- erasure ---------------------------------------------------------------------------------
    def erase_case(self, sprawa: str) -> None:
        """Every row of the case and the markers of its files, and a tombstone, in one
        transaction. (PostgreSQL keeps deleted rows on disk until VACUUM reclaims them, and in
        its write-ahead log and backups: see the README's section for the IT department.)"""
        key = case_key(sprawa)
        tombstone = self._tombstone_key(sprawa)
        with self.writing(), self._db() as conn, conn.transaction():
            found = _column(conn, "rekordy", key)
            number = found[0]["sprawa"] if found else None
            hashes = [doc["zrodlo"]["sha256"] for doc in found]
            for table in ("przyjete", "proby"):
                conn.execute(
                    f"DELETE FROM asystent.{table} WHERE osrodek = current_user "  # noqa: S608
                    "AND sha256 = ANY(%s)",
                    (hashes,),
                )
            if number is not None:  # scans have no record of their own
                conn.execute(
                    "DELETE FROM asystent.przyjete WHERE osrodek = current_user "
                    "AND tresc->>'sprawa' = %s",
                    (number,),
                )
            conn.execute(
                "DELETE FROM asystent.sprawy WHERE osrodek = current_user AND klucz = %s", (key,)
            )
            conn.execute(
                "INSERT INTO asystent.usuniete (znacznik, dzien) VALUES (%s, %s) "
                "ON CONFLICT (osrodek, znacznik) DO UPDATE SET dzien = excluded.dzien",
                (tombstone, now()[:10]),
            )

    def copies_of(self, sprawa: str) -> list[Path]:
        """None: the database holds each case once (its backups are the office's, README)."""
        return []

    def is_erased(self, sprawa: str) -> bool:
        with self._db() as conn:
            row = conn.execute(
                "SELECT 1 FROM asystent.usuniete WHERE osrodek = current_user AND znacznik = %s",
                (self._tombstone_key(sprawa),),
            ).fetchone()
        return row is not None

    def _tombstone_key(self, sprawa: str) -> str:
        return hmac.new(self._secret(), case_key(sprawa).encode("utf-8"), "sha256").hexdigest()

    def _secret(self) -> bytes:
        return self._office_key("sekrety", "sekret")

    def _office_key(self, table: str, column: str) -> bytes:
        """A random key of this office kept in `table` (made at its first use), readable by
        the office alone: the tombstones' key, the locks' key."""
        with self._db() as conn:
            conn.execute(
                f"INSERT INTO asystent.{table} ({column}) VALUES (%s) "  # noqa: S608 - our names
                "ON CONFLICT DO NOTHING",
                (secrets.token_hex(32),),
            )
            (key,) = conn.execute(
                f"SELECT {column} FROM asystent.{table} "  # noqa: S608 - our names
                "WHERE osrodek = current_user"
            ).fetchall()[0]
        return str(key).encode()

    # -- senders of rejected uploads; attempts at failing files ----------------------------------
    def sender_of(self, name: str) -> str | None:
        info = self._get("nadawcy", "skrot", _name_hash(name))
        return info["login"] if info and info.get("plik") == name else None

    def remember_sender(self, name: str, login: str) -> None:
        self._put("nadawcy", "skrot", _name_hash(name), {"plik": name, "login": login, "od": now()})

    def forget_sender(self, name: str) -> None:
        self._delete("nadawcy", "skrot", _name_hash(name))

    def attempts(self, sha256: str) -> dict[str, int]:
        counts = {"proby": 0, "bledy": 0}
        return counts | (self._get("proby", "sha256", sha256) or {})

    def set_attempts(self, sha256: str, counts: dict[str, int] | None) -> None:
        if counts is None:
            self._delete("proby", "sha256", sha256)
        else:
            self._put("proby", "sha256", sha256, counts)

    def _get(self, table: str, column: str, value: str) -> dict[str, Any] | None:
        with self._db() as conn:
            row = conn.execute(
                f"SELECT tresc FROM asystent.{table} "  # noqa: S608 - our own table names
                f"WHERE osrodek = current_user AND {column} = %s",
                (value,),
            ).fetchone()
        return row[0] if row else None

    def _put(self, table: str, column: str, value: str, content: dict[str, Any]) -> None:
        text = json.dumps(content, ensure_ascii=False)
        with self._db() as conn:
            conn.execute(
                f"INSERT INTO asystent.{table} ({column}, tresc) VALUES (%s, %s::json) "  # noqa: S608
                f"ON CONFLICT (osrodek, {column}) DO UPDATE SET tresc = excluded.tresc",
                (value, text),
            )

    def _delete(self, table: str, column: str, value: str) -> None:
        with self._db() as conn:
            conn.execute(
                f"DELETE FROM asystent.{table} "  # noqa: S608 - our own table names
                f"WHERE osrodek = current_user AND {column} = %s",
                (value,),
            )

    # -- audit -----------------------------------------------------------------------------------
    def audit(self, action: str, **facts: Any) -> None:
        self.audit_many(action, [facts])

    def audit_many(self, action: str, lines: list[dict[str, Any]]) -> None:
        """Lines chained exactly as in `audyt.jsonl`, appended in one transaction."""
        if not lines:
            return
        with self.writing(), self._db() as conn, conn.transaction():
            last = conn.execute(
                "SELECT nr, linia FROM asystent.audyt WHERE osrodek = current_user "
                "ORDER BY nr DESC LIMIT 1"
            ).fetchone()
            number, previous = (last[0], _line_hash(last[1].encode())) if last else (0, _GENESIS)
            texts = chained(action, lines, previous)
            rows = [(number + n, text) for n, text in enumerate(texts, start=1)]
            with conn.cursor() as cursor:
                cursor.executemany("INSERT INTO asystent.audyt (nr, linia) VALUES (%s, %s)", rows)

    def audit_lines(self) -> Iterator[str]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT linia FROM asystent.audyt WHERE osrodek = current_user ORDER BY nr"
            ).fetchall()
        yield from (row[0] for row in rows)

    def redact_audit(self, sprawa: str, pseudonym: str) -> tuple[int, str]:
        """As `TinyStore.redact_audit`: the case's lines pseudonymised, the chain sealed again."""
        with self.writing(), self._db() as conn, conn.transaction():
            rows = conn.execute(
                "SELECT nr, linia FROM asystent.audyt WHERE osrodek = current_user ORDER BY nr"
            ).fetchall()
            if not rows:
                return 0, _GENESIS
            tip = _line_hash(rows[-1][1].encode())
            changed, texts = resealed([text for _, text in rows], sprawa, pseudonym)
            rewritten = [
                (new, number) for (number, old), new in zip(rows, texts, strict=True) if new != old
            ]
            if changed:
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "UPDATE asystent.audyt SET linia = %s "
                        "WHERE osrodek = current_user AND nr = %s",
                        rewritten,
                    )
            return changed, tip

    # -- whole store (`asystent store migrate`) --------------------------------------------------
    def is_empty(self) -> bool:
        with self._db() as conn:
            tables = ("sprawy", "przyjete", "usuniete", "audyt", "nadawcy", "proby", "fakty")
            return not any(
                conn.execute(
                    f"SELECT 1 FROM asystent.{t} WHERE osrodek = current_user LIMIT 1"  # noqa: S608
                ).fetchone()
                for t in tables
            )

    def load(self, dump: StoreDump) -> None:
        """Everything of `dump` in one transaction: all of it, or nothing."""
        with self.writing(), self._db() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(
                "INSERT INTO asystent.sekrety (sekret) VALUES (%s) "
                "ON CONFLICT (osrodek) DO UPDATE SET sekret = excluded.sekret",
                (dump.secret,),
            )
            for case in dump.cases:
                key = case_key(case.sprawa)
                _touch(conn, key)
                for table, rows in (
                    ("rekordy", [r.__dict__ for r in case.records]),
                    ("archiwizacje", case.archives),
                ):
                    cur.executemany(
                        f"INSERT INTO asystent.{table} (klucz, nr, tresc) "  # noqa: S608
                        "VALUES (%s, %s, %s::json)",
                        [(key, n, _ENCODE(row).decode()) for n, row in enumerate(rows, 1)],
                    )
                cur.executemany(
                    "INSERT INTO asystent.dokumenty (klucz, nazwa, nr, tresc) "
                    "VALUES (%s, %s, %s, %s::json)",
                    [
                        (key, d["nazwa"], n, _ENCODE(d).decode())
                        for n, d in enumerate(case.documents, 1)
                    ],
                )
            for table, column, markers in (
                ("przyjete", "sha256", dump.accepted),
                ("nadawcy", "skrot", dump.senders),
                ("proby", "sha256", dump.attempts),
            ):
                cur.executemany(
                    f"INSERT INTO asystent.{table} ({column}, tresc) "  # noqa: S608
                    "VALUES (%s, %s::json)",
                    [(k, json.dumps(v, ensure_ascii=False)) for k, v in markers.items()],
                )
            cur.executemany(
                "INSERT INTO asystent.usuniete (znacznik, dzien) VALUES (%s, %s)",
                list(dump.tombstones.items()),
            )
            cur.executemany(
                "INSERT INTO asystent.audyt (nr, linia) VALUES (%s, %s)",
                list(enumerate(dump.audit, 1)),
            )

    def dump(self) -> StoreDump:
        """Everything stored (`StoreDump`), read under the write lock."""

        def markers(table: str, column: str) -> dict[str, Any]:
            rows = conn.execute(
                f"SELECT {column}, tresc FROM asystent.{table} "  # noqa: S608
                f'WHERE osrodek = current_user ORDER BY {column} COLLATE "C"'
            ).fetchall()
            return dict(rows)

        with self.writing():
            cases = [found for n in self.case_numbers() if (found := self.read_case(n))]
            with self._db() as conn:
                tombstones = conn.execute(
                    "SELECT znacznik, dzien FROM asystent.usuniete WHERE osrodek = current_user "
                    'ORDER BY znacznik COLLATE "C"'
                ).fetchall()
                return StoreDump(
                    cases,
                    markers("przyjete", "sha256"),
                    markers("nadawcy", "skrot"),
                    markers("proby", "sha256"),
                    dict(tombstones),
                    self._secret().decode(),
                    list(self.audit_lines()),
                )

    def check(self) -> list[str]:
        return audit_chain_problems(line.encode("utf-8") for line in self.audit_lines())

    def upgrades(self) -> list[str]:
        return []


class _AdvisoryLease:
    """A lease held by a connection of its own: it ends when the holder's process does (or,
    after a power cut, when the server's keepalives find the connection dead)."""

    def __init__(self, address: str, lock: int) -> None:
        self.address, self.lock = address, lock
        self._conn: psycopg.Connection[Any] | None = None

    def acquire(self, timeout: float) -> bool:
        if self._conn is None or self._conn.closed:
            self._conn = connect(self.address)
        deadline = time.monotonic() + timeout
        while True:
            try:
                row = self._conn.execute(
                    "SELECT pg_catalog.pg_try_advisory_lock(%s)", (self.lock,)
                ).fetchone()
            except psycopg.OperationalError as err:
                raise _unavailable(self.address, err) from None
            if row and row[0]:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))

    def held(self) -> bool:
        """Still ours: the session that took it is alive (it is lost only with the session)."""
        if self._conn is None or self._conn.closed:
            return False
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # the lock ends with the session
            self._conn = None


def _other_office(office: str, account: str) -> StoreError:
    return StoreError(
        f"Ośrodek „{office}” z asystent.toml nie zgadza się z kontem bazy danych "
        f"{account}; ośrodek to nazwa jego konta w bazie.",
        code="store_account",
    )


def _busy() -> StoreError:
    return StoreError(
        "Magazyn danych jest zajęty przez inny proces asystenta dłużej niż "
        f"{_LOCK_TIMEOUT_S} s; spróbuj ponownie później.",
        code="store_busy",
    )


def _column(conn: psycopg.Connection[Any], table: str, key: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT tresc FROM asystent.{table} "  # noqa: S608 - our own table names
        "WHERE osrodek = current_user AND klucz = %s ORDER BY nr",
        (key,),
    ).fetchall()
    return [row[0] for row in rows]


def _touch(conn: psycopg.Connection[Any], key: str) -> None:
    """The case exists and has a new stamp (saved facts of the old one no longer hold)."""
    conn.execute(
        "INSERT INTO asystent.sprawy (klucz) VALUES (%s) "
        "ON CONFLICT (osrodek, klucz) DO UPDATE SET zmiana = asystent.sprawy.zmiana + 1",
        (key,),
    )


def _upsert_document(conn: psycopg.Connection[Any], key: str, entry: dict[str, Any]) -> None:
    """Add an entry, or merge it into the one of the same file name (TinyDB's upsert)."""
    row = conn.execute(
        "SELECT tresc FROM asystent.dokumenty WHERE osrodek = current_user "
        "AND klucz = %s AND nazwa = %s",
        (key, entry["nazwa"]),
    ).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO asystent.dokumenty (klucz, nazwa, nr, tresc) VALUES (%s, %s, "
            "(SELECT coalesce(max(nr), 0) + 1 FROM asystent.dokumenty "
            " WHERE osrodek = current_user AND klucz = %s), %s::json)",
            (key, entry["nazwa"], key, _ENCODE(entry).decode()),
        )
    else:
        conn.execute(
            "UPDATE asystent.dokumenty SET tresc = %s::json "
            "WHERE osrodek = current_user AND klucz = %s AND nazwa = %s",
            (_ENCODE(row[0] | entry).decode(), key, entry["nazwa"]),
        )


def _name_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()


# -- the schema ----------------------------------------------------------------------------------
def schema_files() -> list[tuple[str, str]]:
    """The schema's versioned SQL files, in order: (name, text)."""
    folder = resources.files("records") / SCHEMA_FILES
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in names]


def _schema_version(conn: psycopg.Connection[Any]) -> int:
    try:
        row = conn.execute("SELECT coalesce(max(wersja), 0) FROM asystent.wersje").fetchone()
    except (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName):
        return 0
    return int(row[0]) if row else 0


def apply_schema(address: str) -> list[str]:
    """Bring the database's tables to this release's version; returns the files applied.

    Run by the database's administrator (the tables' owner), once per release; each file is
    applied in one transaction with what it changes recorded in `asystent.wersje`."""
    applied = []
    conn = connect(address)
    try:
        with conn.transaction():
            conn.execute("SET LOCAL search_path = pg_catalog, pg_temp")
            conn.execute(
                "SELECT pg_catalog.pg_advisory_xact_lock("
                "pg_catalog.hashtextextended('asystent:schemat', 0))"
            )
            conn.execute("CREATE SCHEMA IF NOT EXISTS asystent")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS asystent.wersje (wersja integer PRIMARY KEY, "
                "plik text NOT NULL, sha256 text NOT NULL, kiedy timestamptz NOT NULL DEFAULT now())"
            )
            done = dict(conn.execute("SELECT wersja, sha256 FROM asystent.wersje").fetchall())
            for number, (name, text) in enumerate(schema_files(), start=1):
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                if number in done:
                    if done[number] != digest:
                        raise StoreError(
                            f"Plik schematu {name} różni się od zastosowanego w bazie; "
                            "nie zmienia się plików już zastosowanych.",
                            code="store_schema",
                        )
                    continue
                conn.execute(text.encode())  # our own file, no parameters: many statements
                conn.execute(
                    "INSERT INTO asystent.wersje (wersja, plik, sha256) VALUES (%s, %s, %s)",
                    (number, name, digest),
                )
                applied.append(name)
    except psycopg.errors.InsufficientPrivilege as err:
        raise AsystentError(
            f"Konto {masked(address)} nie może zmieniać tabel bazy ({err.diag.message_primary}); "
            "schemat zakłada właściciel bazy."
        ) from None
    finally:
        conn.close()
    return applied


def close_connections() -> None:
    """Close this thread's connections (a test between workspaces, a service stopping)."""
    for conn in _local.__dict__.pop("conns", {}).values():
        with suppress(psycopg.Error):
            conn.close()
    _local.__dict__.pop("depth", None)
