"""`asystent check`: verify the workspace's store and case files, and say what is wrong in Polish.

- every case file of the store parses, and every record still validates against its form model;
- every current record has its document (record and document are made together, so a record
  without one means damage or an interrupted older release);
- every registered document exists with the sha256 it was registered with (a hand-edited or
  deleted document is named), earlier versions included;
- the audit trail's hash chain is unbroken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from records.documents import PREVIOUS, current_records
from records.fsutil import sha256_file
from records.models import DATE_FIELD, FORMS, TITLES, case_folder
from records.settings import Workspace
from records.store import StoreError, open_store


@dataclass
class CheckResult:
    cases: int = 0
    records: int = 0
    documents: int = 0
    problems: list[str] = field(default_factory=list)


def check_workspace(ws: Workspace) -> CheckResult:
    store = open_store(ws.data)
    result = CheckResult(problems=store.check())
    try:
        cases = store.cases()
    except StoreError:
        return result  # already reported by store.check()
    for case in cases:
        result.cases += 1
        for record in store.records(case.sprawa):
            result.records += 1
            try:
                FORMS[record.formularz].model_validate(record.dane)
            except (KeyError, ValidationError):
                result.problems.append(
                    f"Sprawa {case.sprawa}: rekord {record.id} ({record.formularz}) nie spełnia "
                    "reguł formularza (zmieniony poza programem?)."
                )
        folder = ws.documents / case_folder(case.sprawa)
        registry = store.documents(case.sprawa)
        documented = {entry["rekord_id"] for entry in registry}
        for record in current_records(store.records(case.sprawa)):
            if record.id not in documented:
                date = record.dane.get(DATE_FIELD.get(record.formularz, ""), "")
                result.problems.append(
                    f"Sprawa {case.sprawa}: formularz {TITLES.get(record.formularz, record.formularz)} "
                    f"z {date} nie ma dokumentu; utwórz go: asystent generate {record.formularz} "
                    f"--sprawa {case.sprawa} --data {date}"
                )
        for entry in registry:
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
    return result
