"""Which template makes a document, and an office-wide report (`sprawozdanie`, the time sheet,
the statutory lines) written from one.

Kept apart from `records.documents` (a case's documents, which load the form models) and from
`records.render` (docxtpl and lxml): a report is rendered in the template worker, so the process
asking for it loads neither.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from records.fsutil import atomic_write
from records.resources import data_dir
from records.worker import template_worker
from records.zipsafety import DAMAGE

if TYPE_CHECKING:
    from records.settings import Workspace


def template_for(ws: Workspace, kind: str) -> Path:
    """The office's own template from `szablony/` if there is one, else the packaged one."""
    own = ws.templates / f"{kind}.docx"
    return own if own.is_file() else data_dir("templates_docx") / f"{kind}.docx"


def prepare_report(ws: Workspace, kind: str) -> None:
    """Start the worker and compile the report's template in the background while the caller
    gathers the report's figures (a second core does it): `write_report` then finds both
    ready. What goes wrong there is reported by `write_report`."""
    template_worker(ws).warm_up(template_for(ws, kind))


def write_report(
    ws: Workspace, kind: str, context: dict[str, Any], path: Path
) -> tuple[Path, bool]:
    """A report from its template into `path`; (path, False) when the file there already says
    the same, and is left as it is."""
    data = template_worker(ws).render(template_for(ws, kind), context)
    if path.is_file() and same_document(path.read_bytes(), data):
        return path, False
    atomic_write(path, data)
    return path, True


def same_document(a: bytes, b: bytes) -> bool:
    """Whether two documents this program rendered say the same: every part but docProps/ the
    same once unzipped (the renderer is deterministic). For a report about to be written again:
    far cheaper than `records.render.content_hash`, which must also match what Word or another
    engine wrote."""

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {
                i.filename: archive.read(i)
                for i in archive.infolist()
                if not i.filename.startswith("docProps/")
            }

    try:
        return parts(a) == parts(b)
    except (*DAMAGE, RuntimeError):
        return False  # a damaged file on disk is written again
