"""PDF copies of documents through LibreOffice headless (`--pdf` on generate and ingest).

One `soffice` process converts a whole batch (starting LibreOffice costs seconds; converting a
document, a fraction of one). The PDF lies beside its `.docx` under the same name: it is a
rendition of the current document, remade with it; the `.docx` is the document of record and keeps
its versions.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from records.errors import AsystentError
from records.fsutil import atomic_write

_TIMEOUT_S = 600


class PdfError(AsystentError):
    code = "pdf"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise PdfError(
            "Nie znaleziono programu LibreOffice (soffice), który tworzy pliki PDF. Zainstaluj "
            "LibreOffice (Linux: apt-get install libreoffice-writer-nogui; Windows: "
            "libreoffice.org) albo uruchom polecenie bez opcji --pdf.",
            code="pdf_no_libreoffice",
        )
    return found


def to_pdf(documents: list[Path]) -> list[Path]:
    """Convert `.docx` files to PDFs beside them, in one LibreOffice run; returns the PDFs."""
    if not documents:
        return []
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="asystent-pdf-") as work:
        profile = Path(work) / "profil"  # a private profile: no clash with a LibreOffice in use
        outdir = Path(work) / "pdf"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, documents),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=_TIMEOUT_S, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise PdfError("LibreOffice nie skończył konwersji do PDF w 10 minut.") from None
        made = []
        for document in documents:
            produced = outdir / f"{document.stem}.pdf"
            if not produced.is_file():
                raise PdfError(f"LibreOffice nie utworzył PDF z dokumentu {document.name}.")
            target = document.with_suffix(".pdf")
            atomic_write(target, produced.read_bytes())
            made.append(target)
    return made
