"""Pictures of a blank and a filled Word form for the README (needs LibreOffice and poppler).

python tools/form_pictures.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURES = {
    "formularz_pusty": ROOT / "forms" / "protokol_wizyty.docx",
    "formularz_wypelniony": ROOT
    / "sample_data"
    / "nowak_leszno"
    / "10_protokol_wizyty_2026-11-19_monitoring.docx",
}


def main() -> None:
    target = ROOT / "docs" / "img"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for name, source in PICTURES.items():
            shutil.copyfile(source, folder / f"{name}.docx")
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", work, f"{name}.docx"],
                cwd=work,
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "70",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    f"{name}.pdf",
                    str(target / name),
                ],
                cwd=work,
                check=True,
            )
            print(target / f"{name}.png")


if __name__ == "__main__":
    main()
