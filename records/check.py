"""`asystent check`: verify the workspace's store and case files, and say what is wrong in Polish.

- every case file of the store parses, and every record still validates against its form model;
- every current record has its document (record and document are made together, so a record
  without one means damage or an interrupted older release);
- every registered document exists with the sha256 it was registered with (a hand-edited or
  deleted document is named), earlier versions included;
- the audit trail's hash chain is unbroken;
- the facts saved at each case's last write (`dane/fakty/`, read by the office-wide commands and
  pages) equal the facts built from its records now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from records.archive import record_date
from records.case import Case, DamagedRecord, stored_model
from records.documents import PREVIOUS
from records.fsutil import sha256_file
from records.kept_facts import saved_facts_problems
from records.models import DOCUMENT_KINDS, TITLES, case_folder
from records.settings import Workspace
from records.store import Store, StoreError, open_store


@dataclass
class CheckResult:
    cases: int = 0
    records: int = 0
    documents: int = 0
    problems: list[str] = field(default_factory=list)
    upgrades: list[str] = field(default_factory=list)  # what upgrading the store did, in Polish


def check_workspace(ws: Workspace, store: Store | None = None) -> CheckResult:
    """Check `store` (by default the workspace's own) against the workspace's documents."""
    store = store or open_store(ws)
    result = CheckResult(problems=store.check())
    result.upgrades = store.upgrades()
    try:
        numbers = store.case_numbers()
    except StoreError:
        return result  # already reported by store.check()
    for number in numbers:
        try:
            case = Case.load(store, number)
        except StoreError:
            continue  # already reported by store.check()
        if case is None:
            continue
        result.cases += 1
        result.records += len(case.records)
        for record in case.records:
            try:
                stored_model(record)
            except DamagedRecord as err:
                result.problems.append(str(err))
        damaged = {r.id for r in case.damaged}
        documented = {entry["rekord_id"] for entry in case.documents}
        for record in case.current:
            if record.formularz in DOCUMENT_KINDS and record.id not in documented:
                title = TITLES.get(record.formularz, record.formularz)
                date = record_date(case, record)
                fix = (
                    ""
                    if record.id in damaged
                    else f"; utwórz go: asystent generate {record.formularz} --sprawa "
                    f"{case.sprawa} --data {date}"
                )
                result.problems.append(
                    f"Sprawa {case.sprawa}: formularz {title} z {date} nie ma dokumentu{fix}"
                )
        folder = ws.documents / case_folder(case.sprawa)
        for entry in case.documents:
            result.documents += 1
            path = folder / entry["nazwa"]
            if not path.is_file():
                result.problems.append(f"Sprawa {case.sprawa}: brak dokumentu {path.name}.")
            elif sha256_file(path) != entry["sha256"]:
                result.problems.append(
                    f"Sprawa {case.sprawa}: dokument {path.name} zmieniono poza programem "
                    f"(inna suma kontrolna niż przy jego utworzeniu); wygeneruj go ponownie: "
                    f"asystent generate {entry['formularz']} --sprawa {case.sprawa}"
                )
            for old in entry.get("poprzednie", []):
                if not (folder / old["nazwa"]).is_file():
                    result.problems.append(
                        f"Sprawa {case.sprawa}: brak poprzedniej wersji {old['nazwa']} "
                        f"(folder {PREVIOUS}/)."
                    )
    result.problems += saved_facts_problems(store)
    return result
