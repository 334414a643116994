"""Seconds per PDF: asystent's LibreOffice kept running (`watch --pdf`, `serve`, `--pdf` batches)
against a fresh LibreOffice per document (`soffice --convert-to`, what one would otherwise run),
and one `soffice --convert-to` for the whole batch (asystent's way without LibreOffice's `uno`).

The documents are the demo's (N of them, default 10); the server's start is counted apart (a
service pays it once). Goal of issue 20: under 0.15 s per PDF.

    python bench/pdf.py [N]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from records.demo import run_demo
from records.pdf import OfficeServer, _batch_to_pdf


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        run_demo(root)
        documents = sorted(
            p for p in (root / "dokumenty").rglob("*.docx") if "poprzednie" not in p.parts
        )[:count]
        folders = {}
        for way in ("fresh", "batch", "server"):
            folders[way] = Path(tmp) / way
            folders[way].mkdir()
            for number, path in enumerate(documents):
                shutil.copyfile(path, folders[way] / f"{number:02d}_{path.name}")
        began = time.perf_counter()
        for path in sorted(folders["fresh"].glob("*.docx")):
            _batch_to_pdf([path])
        fresh = (time.perf_counter() - began) / len(documents)
        began = time.perf_counter()
        _batch_to_pdf(sorted(folders["batch"].glob("*.docx")))
        batch = (time.perf_counter() - began) / len(documents)
        server = OfficeServer()
        try:
            warm = sorted(folders["server"].glob("*.docx"))
            began = time.perf_counter()
            server.convert(warm[:1])
            start = time.perf_counter() - began
            began = time.perf_counter()
            server.convert(warm)
            kept = (time.perf_counter() - began) / len(documents)
        finally:
            server.close()
        print(f"{len(documents)} documents of the demo")
        print(
            f"asystent, LibreOffice kept running:   {kept:.3f} s per PDF (its start: {start:.1f} s)"
        )
        print(f"a fresh LibreOffice per document:     {fresh:.3f} s per PDF")
        print(f"one soffice --convert-to, the batch:  {batch:.3f} s per PDF")
        print(
            f"ratio to a fresh LibreOffice: {fresh / kept:.1f}x; to the batch: {batch / kept:.1f}x"
        )


if __name__ == "__main__":
    main()
