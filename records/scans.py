"""Scans of signed documents: the paper the family and the assistant signed, kept with the case.

A scan is a PDF, JPEG or PNG file. It arrives through the browser (the case page names the case
and the document) or through the shared folder, named after the document and put in a folder
named after the case's folder under `dokumenty/`:

    wejscie/OPS_AR_7_2026/kontrakt_2026-03-16.pdf

It is checked to be what its name says (the first bytes of a PDF, JPEG or PNG) and stored as
`dokumenty/SPRAWA/skany/<document>.<ext>` (an earlier scan of the same document moves to
`poprzednie/`), and the document's registry entry names it: from then on the document is frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from records.case import Case
from records.documents import PREVIOUS
from records.errors import FormRejected
from records.fsutil import aside_stamp, atomic_write, move_file, own_folder, sha256_bytes
from records.models import case_folder
from records.settings import Workspace
from records.store import now

SCAN_SUFFIXES = {
    ".pdf": b"%PDF-",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}
MAX_SCAN_BYTES = 20_000_000
SCANS = "skany"


@dataclass(frozen=True)
class ScanTarget:
    """The case and the document a scan is of."""

    sprawa: str
    dokument: str  # the document's file name in dokumenty/SPRAWA/


def is_scan(path: Path) -> bool:
    return path.suffix.lower() in SCAN_SUFFIXES


def check_scan(raw: bytes, suffix: str, sprawa: str | None) -> None:
    """A PDF or an image as its name says, within the size limit (FormRejected else). The
    message names the case when the folder told it (so that erasing the case finds it)."""
    of = f"skan do sprawy {sprawa}: " if sprawa else ""
    if len(raw) > MAX_SCAN_BYTES:
        raise FormRejected.single(
            f"{of}skan jest za duży (najwięcej {MAX_SCAN_BYTES // 1_000_000} MB); zeskanuj w niższej "
            "rozdzielczości",
            "scan_too_large",
        )
    if not raw.startswith(SCAN_SUFFIXES[suffix.lower()]):
        raise FormRejected.single(
            f"{of}plik nie jest skanem w formacie, który wskazuje jego nazwa ({suffix}); zapisz skan "
            "jako PDF, JPG albo PNG",
            "scan_format",
        )


def target_of(path: Path, case: Case | None) -> ScanTarget:
    """Which document of which case a scan from the shared folder is of (its folder names the
    case, its name the document)."""
    if case is None:
        raise FormRejected.single(
            "nie wiadomo, której sprawy dotyczy skan: włóż go do folderu o nazwie takiej jak "
            "folder sprawy w dokumenty/ (np. wejscie/OPS_AR_7_2026/kontrakt_2026-03-16.pdf)",
            "scan_case_unknown",
        )
    name = f"{path.stem}.docx"
    if not any(entry["nazwa"] == name for entry in case.documents):
        raise FormRejected.single(
            f"w sprawie {case.sprawa} nie ma dokumentu {name}: nazwij skan tak jak dokument "
            "(np. kontrakt_2026-03-16.pdf)",
            "scan_document_unknown",
        )
    return ScanTarget(case.sprawa, name)


def store_scan(
    ws: Workspace, case: Case, target: ScanTarget, raw: bytes, suffix: str
) -> tuple[Path, dict[str, Any]]:
    """Write the scan into the case's folder; returns it and the registry entry to keep."""
    entry = next(e for e in case.documents if e["nazwa"] == target.dokument)
    case_documents = ws.documents / case_folder(case.sprawa)
    folder = own_folder(case_documents, SCANS)
    path = folder / f"{Path(target.dokument).stem}{suffix.lower()}"
    previous = list(entry.get("poprzednie", []))
    if path.exists() or path.is_symlink():
        moved = move_file(
            path,
            own_folder(case_documents, PREVIOUS),
            f"{path.stem}_skan_{aside_stamp()}{path.suffix}",
        )
        replaced = entry.get("skan") or {}
        previous.append(
            {
                "nazwa": f"poprzednie/{moved.name}",
                "przeniesiono": now(),
                "sha256": replaced.get("sha256", ""),
            }
        )
    atomic_write(path, raw)
    scan = {"nazwa": f"{SCANS}/{path.name}", "sha256": sha256_bytes(raw), "przyjeto": now()}
    return path, {**entry, "skan": scan, "poprzednie": previous}
