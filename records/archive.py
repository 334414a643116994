"""A case -> a BagIt package for the archivist (`asystent archive`), and its verification.

The package (RFC 8493, made by the Library of Congress's `bagit` library, sha256 and sha512
manifests) holds under `data/`:

    formularze/    every original form file the case was built from
    dokumenty/     every generated document, earlier versions in dokumenty/poprzednie/
    rekordy.json   every version of every record, and the registry of documents
    audyt.jsonl    the audit trail's lines about the case
    spis.txt       a readable index: each document with its date and kind, each form

`bag-info.txt` names the office, the case, the dates of its first and last document, and the JRWA
symbol, heading and archival category from `asystent.toml` `[archiwum]`, with the year the
retention ends (categories B and BE: full calendar years from 1 January after the case closed).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit

from records.case import Case, DamagedRecord
from records.errors import AsystentError, NotFoundError, UsageError
from records.fsutil import fsync_dir, sha256_file
from records.kept_facts import keep_facts
from records.models import DATE_FIELD, TITLES, case_folder
from records.settings import Workspace
from records.store import Record, Store, now

# bagit reports progress and problems through logging, in English; we report in Polish.
logging.getLogger("bagit").addHandler(logging.NullHandler())
logging.getLogger("bagit").propagate = False

CHECKSUMS = ["sha256", "sha512"]
CATEGORY = re.compile(r"^(A|Bc|BE|B)-?(\d{1,3})?$")


class ArchiveError(AsystentError):
    exit_code = 1


@dataclass(frozen=True)
class Package:
    path: Path
    forms: int
    documents: int
    records: int


def archive_case(ws: Workspace, store: Store, sprawa: str, *, force: bool = False) -> Package:
    """Write the case's package into `archiwum/`; a closed case only, unless `force`.

    The store's write lock is held throughout, so a form accepted meanwhile cannot make the
    records and the documents in the package disagree.
    """
    with store.writing():
        return _archive(ws, store, sprawa, force)


def _archive(ws: Workspace, store: Store, sprawa: str, force: bool) -> Package:
    classification = _classification(ws)
    case = Case.load(store, sprawa)
    if case is None or case.facts is None:
        raise NotFoundError(f"Nie ma sprawy {sprawa}.")
    recorded, records, documents = case.sprawa, list(case.records), list(case.documents)
    facts = case.facts
    if facts.closed is None and not force:
        raise UsageError(
            f"Sprawa {recorded} nie jest zakończona (brak sprawozdania z zakończenia pracy). "
            "Archiwizuje się sprawy zakończone; aby mimo to utworzyć paczkę, dodaj --force."
        )
    until = facts.monitoring_until
    if facts.closed is not None and until is not None and until >= dt.date.today() and not force:
        raise UsageError(
            f"Rodzina ze sprawy {recorded} jest monitorowana do {until.isoformat()}; "
            "archiwizuje się sprawę po zakończeniu monitorowania (aby mimo to utworzyć paczkę, "
            "dodaj --force)."
        )
    folder = ws.documents / case_folder(recorded)
    dated = {r.id: record_date(case, r) for r in records}
    dates = sorted(dated.values())
    closed_on = facts.closed.isoformat() if facts.closed else None
    info = {
        "Source-Organization": ws.settings.osrodek.nazwa,
        "Organization-Address": ws.settings.osrodek.adres,
        "Contact-Name": ws.settings.osrodek.kierownik,
        "External-Identifier": recorded,
        "External-Description": f"Akta asystenta rodziny, sprawa {recorded}",
        "Znak-Sprawy": recorded,
        "Symbol-JRWA": classification["symbol_jrwa"],
        "Haslo-JRWA": classification["haslo_jrwa"],
        "Kategoria-Archiwalna": classification["kategoria"],
        "Data-Od": dates[0],
        "Data-Do": dates[-1],
        "Zakonczenie-Sprawy": closed_on or "sprawa niezakończona",
        "Przechowywac-Do": retention_end(classification["kategoria"], retention_start(case)),
    }
    ws.archive.mkdir(exist_ok=True)
    staging = ws.archive / f".w_toku-{uuid.uuid4().hex}"
    try:
        staging.mkdir()
        forms = _copy_originals(ws, records, staging / "formularze")
        copied = _copy_documents(folder, staging / "dokumenty")
        (staging / "rekordy.json").write_text(
            json.dumps(
                {
                    "sprawa": recorded,
                    "rekordy": [r.__dict__ for r in records],
                    "dokumenty": documents,
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        (staging / "audyt.jsonl").write_text(
            "".join(_audit_lines(store, recorded)), encoding="utf-8"
        )
        (staging / "spis.txt").write_text(
            _index(ws, recorded, info, records, documents, copied, forms, dated, case),
            encoding="utf-8",
        )
        bagit.make_bag(str(staging), info, checksums=CHECKSUMS)
        target = _free_name(ws.archive, f"{case_folder(recorded)}_{dt.date.today().isoformat()}")
        staging.rename(target)
        fsync_dir(ws.archive)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    store.register_archive(recorded, {"pakiet": target.name, "utworzono": now()})
    keep_facts(store, case)
    store.audit(
        "archiwizacja",
        sprawa=recorded,
        pakiet=target.name,
        dokumentow=len(copied),
        formularzy=len(forms),
        rekordow=len(records),
        wymuszono=force,
    )
    return Package(target, len(forms), len(copied), len(records))


def _classification(ws: Workspace) -> dict[str, str]:
    settings = ws.settings.archiwum
    missing = [name for name in ("symbol_jrwa", "kategoria") if not getattr(settings, name).strip()]
    if missing:
        raise UsageError(
            f"Uzupełnij w asystent.toml, w sekcji [archiwum]: {', '.join(missing)} (symbol i "
            "kategoria archiwalna z jednolitego rzeczowego wykazu akt ośrodka)."
        )
    if not CATEGORY.match(settings.kategoria.strip()):
        raise UsageError(
            f"Kategoria archiwalna „{settings.kategoria}” w asystent.toml nie ma postaci A, B10, "
            "BE5 albo Bc."
        )
    return {
        "symbol_jrwa": settings.symbol_jrwa.strip(),
        "haslo_jrwa": settings.haslo_jrwa.strip() or "akta asystenta rodziny",
        "kategoria": settings.kategoria.strip(),
    }


def retention_start(case: Case) -> dt.date | None:
    """The day retention counts from: the later of the case's last document and the end of
    monitoring (SPEC "The life of a case"); None while the case is not closed."""
    facts = case.facts
    if facts is None or facts.closed is None:
        return None
    days = [facts.closed, *([facts.monitoring_until] if facts.monitoring_until else [])]
    for record in case.records:
        try:
            days.append(dt.date.fromisoformat(record_date(case, record)[:10]))
        except ValueError:  # a damaged record without a readable date
            continue
    return max(days)


def destruction_date(category: str, start: dt.date) -> dt.date | None:
    """The first day files of `category` counted from `start` may be destroyed: B10 = 10 full
    calendar years from 1 January after it; None for A (never) and Bc (when no longer needed)."""
    match = CATEGORY.match(category.strip())
    if match is None or match.group(1) in ("A", "Bc") or not match.group(2):
        return None
    return dt.date(start.year + 1 + int(match.group(2)), 1, 1)


def retention_end(category: str, start: dt.date | None) -> str:
    """When the files may be destroyed, in words for the package's bag-info.txt.

    BE files are then appraised by the state archive; Bc once they are no longer needed.
    """
    match = CATEGORY.match(category.strip())
    kind = match.group(1) if match else ""
    if kind == "A":
        return "wieczyście (materiały archiwalne)"
    if kind == "Bc":
        return "do utraty przydatności praktycznej"
    end = destruction_date(category, start) if start is not None else None
    if end is None:
        return "liczony od zakończenia sprawy"
    after = " (następnie ekspertyza archiwum państwowego)" if kind == "BE" else ""
    return f"{end.isoformat()}{after}"


def record_date(case: Case, record: Record) -> str:
    """A record's own date (ISO), also for a record that no longer validates."""
    try:
        return case.model(record).date.isoformat()
    except DamagedRecord:
        return str(record.dane.get(DATE_FIELD.get(record.formularz, ""), record.przyjeto[:10]))


def _copy_originals(ws: Workspace, records: list[Record], target: Path) -> list[str]:
    """Each accepted original, found in `przetworzone/` by its sha256 (its name may have changed)."""
    target.mkdir()
    by_hash = processed_files_by_hash(ws, {r.zrodlo["sha256"] for r in records})
    names: list[str] = []
    for record in records:
        source = by_hash.get(record.zrodlo["sha256"])
        if source is None:
            raise ArchiveError(
                f"Brakuje oryginału formularza {record.zrodlo['plik']} w folderze przetworzone/ "
                f"(rekord z {record.przyjeto[:10]}); paczka byłaby niepełna i nie powstała."
            )
        name = f"{len(names) + 1:03d}_{source.name}"
        shutil.copy2(source, target / name)
        names.append(name)
    return names


def processed_files_by_hash(ws: Workspace, wanted: set[str]) -> dict[str, Path]:
    """The first file in `przetworzone/` with each sha256 of `wanted`."""
    found: dict[str, Path] = {}
    for digest, path in processed_files(ws, wanted):
        found.setdefault(digest, path)
    return found


def processed_files(ws: Workspace, wanted: set[str]) -> list[tuple[str, Path]]:
    """Every file in `przetworzone/` whose sha256 is one of `wanted` (dropped duplicates too)."""
    found = []
    for path in sorted(ws.processed.rglob("*")):
        if path.is_file():
            digest = sha256_file(path)
            if digest in wanted:
                found.append((digest, path))
    return found


def _copy_documents(folder: Path, target: Path) -> list[str]:
    if not folder.is_dir():
        target.mkdir()
        return []
    shutil.copytree(folder, target, ignore=_not_files)
    return [str(p.relative_to(target)) for p in sorted(target.rglob("*")) if p.is_file()]


def _not_files(folder: str, names: list[str]) -> list[str]:
    """Links, pipes and devices in a case's documents folder: never followed into the package
    (a link planted through the share could point at any file of the server)."""
    skipped = []
    for name in names:
        mode = os.lstat(os.path.join(folder, name)).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            skipped.append(name)
    return skipped


def _audit_lines(store: Store, sprawa: str) -> Iterator[str]:
    for line in store.audit_lines():
        if json.loads(line).get("sprawa") == sprawa:
            yield line + "\n"


def _index(
    ws: Workspace,
    sprawa: str,
    info: dict[str, str],
    records: list[Record],
    documents: list[dict[str, Any]],
    copied: list[str],
    forms: list[str],
    dated: dict[str, str],
    case: Case,
) -> str:
    lines = [
        "SPIS ZAWARTOŚCI PACZKI ARCHIWALNEJ",
        "",
        f"Ośrodek: {ws.settings.osrodek.nazwa}, {ws.settings.osrodek.adres}",
        f"Znak sprawy: {sprawa}",
        f"Symbol JRWA: {info['Symbol-JRWA']} ({info['Haslo-JRWA']}), "
        f"kategoria archiwalna: {info['Kategoria-Archiwalna']}",
        f"Daty skrajne: {info['Data-Od']} – {info['Data-Do']}",
        f"Zakończenie sprawy: {info['Zakonczenie-Sprawy']}",
        f"Przechowywać do: {info['Przechowywac-Do']}",
        "",
        "DOKUMENTY (folder dokumenty/)",
    ]
    for number, entry in enumerate(sorted(documents, key=_document_order(dated)), start=1):
        date = dated.get(entry.get("rekord_id", ""), "—")
        kind = TITLES.get(entry.get("formularz", ""), entry.get("formularz", ""))
        lines.append(f"{number:3d}. {date}  {kind}  –  {entry['nazwa']}")
        lines.append(f"      sha256 {entry['sha256']}")
        lines += [f"      {line}" for line in case.signatures(entry)]
    registered = {entry["nazwa"] for entry in documents}
    others = [name for name in copied if name not in registered]
    if others:
        lines += ["", "WCZEŚNIEJSZE WERSJE I KOPIE PDF (folder dokumenty/)"]
        lines += [f"     {name}" for name in others]
    lines += ["", "FORMULARZE ŹRÓDŁOWE (folder formularze/)"]
    for number, (name, record) in enumerate(zip(forms, records, strict=True), start=1):
        date = dated[record.id]
        lines.append(
            f"{number:3d}. {date}  {TITLES.get(record.formularz, record.formularz)}  –  {name} "
            f"(przyjęto {record.przyjeto[:10]})"
        )
    lines += [
        "",
        "Pozostałe pliki: rekordy.json (każda wersja każdego rekordu i rejestr dokumentów),",
        "audyt.jsonl (wpisy dziennika audytu dotyczące sprawy).",
        "Sumy kontrolne wszystkich plików: manifest-sha256.txt i manifest-sha512.txt (BagIt).",
        "Sprawdzenie paczki: asystent archive --verify ŚCIEŻKA",
        "",
    ]
    return "\n".join(lines)


def _document_order(dated: dict[str, str]):
    def key(entry: dict[str, Any]) -> tuple[str, str]:
        return (dated.get(entry.get("rekord_id", ""), ""), entry["nazwa"])

    return key


def _free_name(folder: Path, name: str) -> Path:
    target, number = folder / name, 2
    while target.exists():
        target = folder / f"{name}_{number}"
        number += 1
    return target


# -- verification ----------------------------------------------------------------------------


def verify_package(path: Path) -> list[str]:
    """Problems with a package, in Polish, each naming its file; an empty list means it is intact."""
    if not path.is_dir():
        raise NotFoundError(f"Nie ma folderu {path} (podaj folder paczki z archiwum/).")
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError as err:
        return [f"To nie jest poprawna paczka BagIt ({err})."]
    try:
        bag.validate()
        return []
    except bagit.BagValidationError as err:
        details = list(err.details or [])
    if not details:  # the quick size check failed first: find out which files
        for check in (bag._validate_completeness, lambda: bag._validate_entries(1)):
            try:
                check()
            except bagit.BagValidationError as err:
                details += err.details or []
    return _describe(details) or ["Paczka nie przeszła sprawdzenia."]


def _describe(details: list[Any]) -> list[str]:
    """One sentence per file: missing, changed (whichever checksums), or not in the manifest."""
    by_path: dict[str, list[Any]] = {}
    for detail in details:
        by_path.setdefault(str(getattr(detail, "path", "")), []).append(detail)
    problems = []
    for path, found in by_path.items():
        kinds = {type(d) for d in found}
        if bagit.FileMissing in kinds:
            problems.append(f"Brakuje pliku {path}.")
        elif bagit.ChecksumMismatch in kinds:
            algorithms = ", ".join(
                sorted(d.algorithm for d in found if isinstance(d, bagit.ChecksumMismatch))
            )
            problems.append(f"Plik {path} został zmieniony (nie zgadzają się sumy: {algorithms}).")
        elif bagit.UnexpectedFile in kinds:
            problems.append(f"Plik {path} nie należy do paczki (nie ma go w manifeście).")
        else:
            problems += [f"Błąd paczki: {d}" for d in found]
    return problems
