"""`asystent erase`: remove every trace of a case from the workspace when its retention ends.

Erasure is the end of retention, run as a controlled process (GDPR art. 17(3)(b) and (d): files
kept under the Act are not erased on request). It is planned first, so the user confirms exactly
what will go, then carried out with the service stopped and the store locked:

- the case's file in the store, and the markers of its accepted files;
- `dokumenty/SPRAWA/` (every version, PDFs too);
- copies of its file in `dane/` (kept by an upgrade, or under another name);
- its originals in `przetworzone/` (found by sha256, dropped duplicates too);
- forms about it waiting in `wejscie/` or rejected in `odrzucone/`, with their error reports,
  and drafts of browser forms that name it (`dane/szkice/`);
- reports in `raporty/` that list it, and its packages in `archiwum/`;
- in the audit trail its case number becomes a pseudonym; in the log, lines naming it or its
  files are blanked. One audit line records the erasure, without personal data.

What erasure cannot reach (backups, shadow copies of the share) is listed in the README.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import bagit

from records.archive import CATEGORY, destruction_date, processed_files, retention_start
from records.case import Case
from records.drafts import Drafts
from records.errors import NotFoundError, UsageError
from records.fsutil import atomic_write
from records.log import get_logger
from records.models import case_folder, case_key
from records.pipeline import REPORT_SUFFIX, report_path
from records.polish import date_long
from records.settings import Workspace
from records.store import Record, Store
from records.text import whole_words

ERASED_LINE = "[wpis usunięty razem z danymi sprawy]"


@dataclass
class ErasurePlan:
    sprawa: str
    records: int
    archived: bool
    originals: list[Path] = field(default_factory=list)
    documents: Path | None = None
    forms_elsewhere: list[Path] = field(default_factory=list)  # waiting or rejected, with reports
    drafts: list[Path] = field(default_factory=list)  # browser forms put aside (`records.drafts`)
    reports: list[Path] = field(default_factory=list)
    packages: list[Path] = field(default_factory=list)
    copies: list[Path] = field(default_factory=list)  # of its file in dane/ (`copies_of`)
    others: list[str] = field(default_factory=list)  # other cases' numbers (`_numbers`)
    file_names: set[str] = field(default_factory=set)  # names the log may mention
    not_yet: str | None = None  # why the file plan says "not yet" (retention), if it does

    def summary(self) -> list[str]:
        documents = (
            sum(1 for p in self.documents.rglob("*") if p.is_file()) if self.documents else 0
        )
        return [
            f"rekordy w magazynie danych: {self.records}",
            f"dokumenty (z wcześniejszymi wersjami): {documents}",
            f"oryginały formularzy w przetworzone/: {len(self.originals)}",
            f"formularze oczekujące lub odrzucone: {len(self.forms_elsewhere)}",
            f"szkice formularzy z przeglądarki: {len(self.drafts)}",
            f"raporty wymieniające sprawę: {len(self.reports)}",
            f"paczki archiwalne w archiwum/: {len(self.packages)}",
            f"kopie pliku sprawy w dane/ (sprzed aktualizacji, pod inną nazwą): {len(self.copies)}",
        ]


def erasable_from(ws: Workspace, case: Case, today: dt.date) -> str | None:
    """Why the case's data may not be erased yet, in words for office staff (None: it may).

    The retention period of the centre's file plan counts full calendar years from 1 January
    after the later of the case's last document and the end of monitoring (SPEC); category A
    is never destroyed; BE may be after its years (the state archive's appraisal is on paper).
    """
    facts = case.facts
    if facts is None or facts.closed is None:
        return "sprawa nie jest zakończona"
    if not case.archives:
        return "najpierw utwórz paczkę archiwalną sprawy"
    until = facts.monitoring_until
    if until is not None and until >= today:
        return f"rodzina jest monitorowana do {date_long(until)}"
    category = ws.settings.archiwum.kategoria.strip()
    match = CATEGORY.match(category)
    if match is None:
        return f"kategoria archiwalna „{category}” w ustawieniach nie jest rozpoznana"
    if match.group(1) == "A":
        return "akta kategorii A przechowuje się wieczyście"
    start = retention_start(case)
    end = destruction_date(category, start) if start is not None else None
    if end is not None and today < end:
        return f"okres przechowywania (kategoria {category}) kończy się {date_long(end)}"
    return None


def plan_erasure(ws: Workspace, store: Store, sprawa: str, *, force: bool) -> ErasurePlan:
    case = Case.load(store, sprawa)
    if case is None:
        raise NotFoundError(f"Nie ma sprawy {sprawa}.")
    recorded = case.sprawa
    archived = bool(case.archives)
    if not archived and not force:
        raise UsageError(
            f"Sprawa {recorded} nie została zarchiwizowana. Najpierw utwórz paczkę "
            f"(asystent archive {recorded}) i przekaż ją archiwiście; usunięcie bez paczki "
            "wymaga --force."
        )
    facts = case.facts
    until = facts.monitoring_until if facts else None
    if facts is not None and not force:
        if facts.closed is None:
            raise UsageError(
                f"Sprawa {recorded} nie jest zakończona; usuwa się dane spraw zakończonych "
                "(usunięcie mimo to wymaga --force)."
            )
        if until is not None and until >= dt.date.today():
            raise UsageError(
                f"Rodzina ze sprawy {recorded} jest monitorowana do {date_long(until)}; dane "
                "można usunąć po zakończeniu monitorowania (mimo to: --force)."
            )
    records = list(case.records)
    plan = ErasurePlan(recorded, len(records), archived)
    plan.not_yet = erasable_from(ws, case, dt.date.today()) if archived else None
    wanted = {r.zrodlo["sha256"] for r in records} | _scan_hashes(case.documents)
    plan.originals = [path for _, path in processed_files(ws, wanted)]
    folder = ws.documents / case_folder(recorded)
    plan.documents = folder if folder.exists() else None
    needles = _identifying(recorded, records)
    others = [n for n in store.case_numbers() if case_key(n) != case_key(recorded)]
    plan.others = _numbers(others)  # read once: every case file (the log is blanked with it)
    places = [ws.inbox, ws.rejected, ws.claims, ws.uploads]
    plan.forms_elsewhere = _files_naming(needles, places, plan.others)
    pesels = [n for n in needles if n.isdigit()]
    plan.drafts = Drafts(ws).about(recorded, pesels, others={case_key(n) for n in others})
    plan.reports = [p for p in sorted(ws.reports.glob("*.docx")) if _docx_mentions(p, recorded)]
    plan.reports += [p for p in sorted(ws.reports.glob("*.csv")) if _mentions(p, needles)]
    plan.packages = _packages_of(ws, recorded)
    plan.copies = store.copies_of(recorded)
    plan.file_names = {r.zrodlo["plik"] for r in records} | {p.name for p in plan.originals}
    plan.file_names |= {p.name for p in plan.forms_elsewhere}
    return plan


def carry_out(ws: Workspace, store: Store, plan: ErasurePlan) -> str:
    """Remove everything in the plan; returns the pseudonym the audit trail now uses."""
    pseudonym = f"usunieta-{uuid.uuid4().hex[:12]}"
    with store.writing():
        for path in plan.copies:
            path.unlink(missing_ok=True)
        for path in [*plan.originals, *plan.forms_elsewhere, *plan.drafts, *plan.reports]:
            path.unlink(missing_ok=True)
            report_path(path).unlink(missing_ok=True)
            if path.is_relative_to(ws.rejected):
                store.forget_sender(path.relative_to(ws.rejected).as_posix())
        for tree in [plan.documents, *plan.packages]:
            if tree is not None:
                shutil.rmtree(tree, ignore_errors=False)
        store.erase_case(plan.sprawa)
        changed, previous_tip = store.redact_audit(plan.sprawa, pseudonym)
        blanked = _blank_log_lines(ws, _numbers([plan.sprawa]), plan.file_names, plan.others)
        store.audit(
            "usuniecie",
            sprawa=pseudonym,
            rekordow=plan.records,
            oryginalow=len(plan.originals),
            raportow=len(plan.reports),
            paczek=len(plan.packages),
            szkicow=len(plan.drafts),
            zarchiwizowana=plan.archived,
            wpisow_audytu_zmienionych=changed,
            wierszy_dziennika_usunietych=blanked,
            lancuch_przed_usunieciem=previous_tip,
        )
    get_logger(ws.log_file).info("Usunięto dane sprawy (w dzienniku audytu: %s)", pseudonym)
    return pseudonym


def _numbers(numbers: Iterable[str]) -> list[str]:
    """Case numbers as files and the log write them: as recorded and as their folder names,
    without regard to letter case."""
    return sorted({v.casefold() for n in numbers for v in (n, case_folder(n))})


def _identifying(sprawa: str, records: list[Record]) -> list[str]:
    """What marks a file as being about the case: its number (as recorded and as its folder
    name) and its members' PESEL numbers, compared without regard to letter case."""
    needles = set(_numbers([sprawa]))
    for record in records:
        for member in record.dane.get("czlonkowie", []) or []:
            if isinstance(member, dict) and member.get("pesel"):
                needles.add(str(member["pesel"]))
    return sorted(needles)


def _files_naming(needles: list[str], folders: list[Path], others: list[str]) -> list[Path]:
    """Files in `folders` whose decoded text names the case (error reports go with them): by its
    number, or by a member's PESEL unless the file names another case (`others`: the same
    mother in a new family's case, whose forms are that case's)."""
    numbers = [n for n in needles if not n.isdigit()]
    pesels = [n for n in needles if n.isdigit()]
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if not path.is_file() or path.name.endswith(REPORT_SUFFIX):
                continue
            report = report_path(path)  # a rejected scan names its case only in its report
            texts = [path, report] if report.is_file() else [path]
            if any(_mentions(t, numbers) for t in texts) or (
                any(_mentions(t, pesels) for t in texts)
                and not any(_mentions(t, others) for t in texts)
            ):
                found.append(path)
    return found


def _scan_hashes(documents: Iterable[dict[str, Any]]) -> set[str]:
    """The scans of signed documents, current and replaced: their originals go too."""
    found = set()
    for entry in documents:
        scans = [entry.get("skan") or {}, *entry.get("poprzednie", [])]
        found |= {scan["sha256"] for scan in scans if scan.get("sha256")}
    return found


def _mentions(path: Path, needles: list[str]) -> bool:
    """Whether any of `needles` is in the file's text, decoded the way the readers decode
    (UTF-8, UTF-16 with or without a BOM, Windows-1250), and inside every part of a zip (a
    Word form keeps its text compressed), with the XML tags between Word's runs taken out."""
    try:
        raw = path.read_bytes()
    except OSError:
        return False
    pattern = whole_words(needles)
    return any(pattern.search(text) for text in _texts(raw))


def _texts(raw: bytes) -> list[str]:
    texts = []
    for part in _zip_parts(raw):
        xml = part.decode("utf-8", errors="replace")
        # Word splits text into runs between tags; paragraphs, cells and breaks separate words.
        words = re.sub(r"</w:(?:p|tc)>|<w:(?:br|cr|tab)\b[^>]*>", "\n", xml)
        texts += [xml, re.sub(r"<[^>]*>", "", words)]
    for encoding in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1250"):
        texts.append(raw.decode(encoding, errors="replace"))
    return [unicodedata.normalize("NFKC", text).casefold() for text in texts]


_LOCAL_HEADER = b"PK\x03\x04"


def _inflate(packed: bytes, limit: int) -> bytes:
    """As much of a deflate stream as decodes before it breaks."""
    inflater = zlib.decompressobj(-15)
    out = bytearray()
    for position in range(0, len(packed), 4096):
        try:
            out += inflater.decompress(packed[position : position + 4096], max(1, limit - len(out)))
        except zlib.error:
            break
        if len(out) >= limit or inflater.eof:
            break
    return bytes(out)


_MAX_INFLATED = 50_000_000


def _zip_parts(raw: bytes) -> list[bytes]:
    """Every part of a zip, inflated as far as it goes: read from the local headers, not the
    central directory, and without checking CRCs, so a damaged Word form (often the reason it
    was rejected) still gives up the text it holds."""
    parts: list[bytes] = []
    total = 0
    start = raw.find(_LOCAL_HEADER)
    while start != -1 and len(raw) >= start + 30 and total < _MAX_INFLATED:
        method, _, _, _, packed, _, name_length, extra_length = struct.unpack_from(
            "<HHHIIIHH", raw, start + 8
        )
        data_start = start + 30 + name_length + extra_length
        end = data_start + packed if packed else len(raw)
        chunk = raw[data_start:end]
        if method == 8:
            chunk = _inflate(chunk, _MAX_INFLATED - total)
        parts.append(chunk)
        total += len(chunk)
        start = raw.find(_LOCAL_HEADER, max(start + 4, end if packed else start + 4))
    return parts


def _docx_mentions(path: Path, sprawa: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return whole_words([escape(sprawa)]).search(xml) is not None


def _packages_of(ws: Workspace, sprawa: str) -> list[Path]:
    packages = []
    for folder in sorted(p for p in ws.archive.iterdir() if p.is_dir()):
        try:
            identifier = bagit.Bag(str(folder)).info.get("External-Identifier")
        except bagit.BagError:
            continue
        if isinstance(identifier, str) and case_key(identifier) == case_key(sprawa):
            packages.append(folder)
    return packages


def _blank_log_lines(
    ws: Workspace, numbers: list[str], file_names: set[str], others: list[str]
) -> int:
    """Blank every log line (rotated files too) that names the case (`numbers`: see `_numbers`),
    or one of its files and no other case: `02_plan_pracy.yaml` of another family stays."""
    case = whole_words(numbers)
    other = whole_words(others)
    names = "|".join(re.escape(name.casefold()) for name in sorted(file_names) if name)
    file = re.compile(rf"(?<![\w.-])(?:{names})(?![\w-])" if names else "$^")
    logger = get_logger(ws.log_file)
    for handler in logger.handlers:  # reopened on the next line logged
        handler.close()
    blanked = 0
    for path in sorted(ws.log_file.parent.glob(ws.log_file.name + "*")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        out = []
        for line in lines:
            folded = line.casefold()
            if case.search(folded) or (file.search(folded) and not other.search(folded)):
                stamp = line[:19] if _is_timestamp(line[:19]) else ""
                out.append(f"{stamp} INFO  {ERASED_LINE}\n".lstrip())
                blanked += 1
            else:
                out.append(line)
        if out != lines:
            atomic_write(path, "".join(out).encode("utf-8"), private=True)
    return blanked


def _is_timestamp(text: str) -> bool:
    try:
        dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True
