"""Seconds per PDF: a fresh LibreOffice per document (a single `ingest --pdf`) against one
LibreOffice converting a batch (`generate --all --pdf`, `records.pdf.to_pdf`), one run.

The documents are the demo's (N of them, default 10). Goal of issue 20: under 0.15 s per PDF with
a LibreOffice kept running by the service; that server is not built yet, so this prints the two
ways that exist and their ratio.

    python bench/pdf.py [N]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from records.demo import run_demo
from records.pdf import to_pdf


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        run_demo(root)
        documents = sorted(
            p for p in (root / "dokumenty").rglob("*.docx") if "poprzednie" not in p.parts
        )
        documents = documents[:count]
        single = Path(tmp) / "single"
        batch = Path(tmp) / "batch"
        for folder in (single, batch):
            folder.mkdir()
            for number, path in enumerate(documents):
                shutil.copyfile(path, folder / f"{number:02d}_{path.name}")
        began = time.perf_counter()
        for path in sorted(single.glob("*.docx")):
            to_pdf([path])
        each = (time.perf_counter() - began) / len(documents)
        began = time.perf_counter()
        to_pdf(sorted(batch.glob("*.docx")))
        batched = (time.perf_counter() - began) / len(documents)
        print(f"{len(documents)} documents of the demo")
        print(f"a fresh LibreOffice per document: {each:.2f} s per PDF")
        print(f"one LibreOffice for the batch:    {batched:.2f} s per PDF")
        print(f"ratio: {each / batched:.1f}x")


if __name__ == "__main__":
    main()
