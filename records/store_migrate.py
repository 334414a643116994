"""`asystent store migrate --do ADRES`: a workspace's embedded store copied into PostgreSQL.

Everything the TinyDB files hold goes over in one transaction: every version of every record in
its order, the documents registry with its hashes, archival packages, accepted-file markers,
senders and attempts, the tombstones of erased cases with their key, and the audit trail line by
line (so its hash chain is the same chain). Afterwards both stores are read back whole and
compared, and `check` runs on both. The saved facts are derived: they are built again from the
copied records.

Only a store that `check` finds in order is moved, and the copy must pass `check` too, else
nothing is committed. The files of the workspace (documents, originals, templates) stay where
they are. The TinyDB files are then marked as moved (`dane/PRZENIESIONO.json`): a process still
configured for them (a `serve` not yet restarted) refuses to write there instead of writing
records the database would never see. The office then names the database in `asystent.toml`
(`[magazyn] adres`).
"""

from __future__ import annotations

from dataclasses import dataclass

from records.errors import AsystentError
from records.kept_facts import all_facts
from records.pgstore import PgStore, masked
from records.settings import Workspace
from records.store import WATCH_LEASE, StoreDump, TinyStore


@dataclass
class Migration:
    office: str  # the database account the data went to
    cases: int
    records: int
    documents: int
    audit_lines: int


def migrate(ws: Workspace, address: str) -> Migration:
    """Copy the workspace's TinyDB store into the office of `address`; verify the copy."""
    from records.check import check_workspace

    if ws.settings.magazyn.adres:
        raise AsystentError(
            "Ta przestrzeń robocza już używa bazy PostgreSQL ([magazyn] adres w asystent.toml)."
        )
    source = TinyStore(ws.data, lease=ws.root / WATCH_LEASE)
    target = PgStore(address, ws.settings.magazyn.osrodek)
    lease = source.lease()
    if not lease.acquire(timeout=0):
        raise AsystentError(
            "Działa usługa asystent watch tej przestrzeni; zatrzymaj ją na czas przenoszenia "
            "danych i spróbuj ponownie."
        )
    try:
        with source.writing():  # nothing written to the files meanwhile
            with target.writing(), target.transaction():  # all of it, or nothing
                if not target.is_empty():
                    raise AsystentError(
                        f"Ośrodek {target.office} w bazie {masked(address)} ma już dane; "
                        "dane przenosi się tylko do pustego ośrodka."
                    )
                problems = check_workspace(ws, source).problems
                if problems:
                    raise MigrationRefused(problems)
                dump = source.dump()
                target.load(dump)
                copied = target.dump()  # read back inside the transaction: a difference undoes all
                if repr(copied) != repr(dump):  # values, and the order of every key and list
                    raise AsystentError(
                        "Dane w bazie różnią się od danych przestrzeni po przeniesieniu: "
                        f"{_first_difference(dump, copied)}. Zgłoś to administratorowi."
                    )
                target.audit("przeniesienie_magazynu", skad="TinyDB", sprawy=len(dump.cases))
                all_facts(target)  # the saved facts, built again from the copied records
                problems = check_workspace(ws, target).problems
                if problems:
                    raise AsystentError(
                        "Kopia w bazie nie przeszła sprawdzenia; niczego nie przeniesiono: "
                        + "; ".join(problems)
                    )
            source.mark_moved(masked(address))  # committed: the files are not the store now
    finally:
        lease.release()
    return Migration(
        office=target.office,
        cases=len(dump.cases),
        records=sum(len(c.records) for c in dump.cases),
        documents=sum(len(c.documents) for c in dump.cases),
        audit_lines=len(dump.audit),
    )


class MigrationRefused(AsystentError):
    """The embedded store has problems (`check`): they are fixed first, then moved."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "Przed przeniesieniem napraw problemy, które znalazło sprawdzenie (asystent check): "
            + "; ".join(problems)
        )


def _first_difference(before: StoreDump, after: StoreDump) -> str:
    for name in before.__dataclass_fields__:
        if repr(getattr(before, name)) != repr(getattr(after, name)):
            return f"część {name}"
    return "nieznana część"
