"""Rendering 500 documents: a plain docxtpl loop against the compiled-template engine, one run.

Both use the same template (the 2-page family fact sheet), the same sandboxed environment and the
same 500 contexts; the script checks that every pair of documents has the same text, then prints
documents per second for both and the ratio. Goal: at least 20x.

    python bench/render.py [N]
"""

from __future__ import annotations

import copy
import io
import sys
import tempfile
import time
from pathlib import Path

from common import text_of
from docxtpl import DocxTemplate

from records.case import Case
from records.demo import run_demo
from records.documents import build_context
from records.render import CompiledTemplate, make_environment
from records.resources import data_dir
from records.settings import load_workspace
from records.store import open_store


def contexts(count: int) -> list[dict]:
    """The demo's own fact-sheet context (`build_context`, as documents get it), `count` times
    with the first member's name changed, so no two documents are the same."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "demo"
        run_demo(root)
        ws = load_workspace(root)
        case = Case.load(open_store(ws), "MOPS.AR.4011.12.2026")
        assert case is not None
        sheet = next(r for r in case.current if r.formularz == "metryczka_rodziny")
        context = build_context(ws, case, sheet)
    result = []
    for number in range(count):
        data = copy.deepcopy(context)
        data["rodzina"]["czlonkowie"][0]["imie"] = f"Katarzyna {number}"
        data["dane"]["czlonkowie"][0]["imie"] = f"Katarzyna {number}"
        result.append(data)
    return result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    template = data_dir("templates_docx") / "metryczka_rodziny.docx"
    batch = contexts(count)

    began = time.perf_counter()
    plain = []
    for context in batch:
        document = DocxTemplate(str(template))
        document.render(context, jinja_env=make_environment(), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
        plain.append(buffer.getvalue())
    plain_s = time.perf_counter() - began

    began = time.perf_counter()
    engine = CompiledTemplate(template)
    fast = [engine.render(context) for context in batch]
    fast_s = time.perf_counter() - began

    different = sum(text_of(a) != text_of(b) for a, b in zip(plain, fast, strict=True))
    print(f"{count} documents of {template.name}; texts differing: {different}")
    print(f"plain docxtpl loop: {count / plain_s:8.1f} documents/s ({plain_s:.1f} s)")
    print(f"compiled template:  {count / fast_s:8.1f} documents/s ({fast_s:.1f} s)")
    print(f"ratio: {plain_s / fast_s:.1f}x")
    if different:
        sys.exit(1)


if __name__ == "__main__":
    main()
