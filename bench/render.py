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
import time
import zipfile

from docxtpl import DocxTemplate
from lxml import etree

from records.documents import for_display
from records.models import FORMS
from records.readers import read_form
from records.render import CompiledTemplate, make_environment
from records.resources import data_dir

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OFFICE = {
    "nazwa": "MOPS w Lesznie",
    "adres": "ul. Słowiańska 1, 64-100 Leszno",
    "miejscowosc": "Leszno",
}


def text_of(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [
            n
            for n in archive.namelist()
            if n == "word/document.xml" or n.startswith(("word/header", "word/footer"))
        ]
        return "\n".join(
            "".join(t.text or "" for t in p.iter(W + "t"))
            for name in sorted(parts)
            for p in etree.fromstring(archive.read(name)).iter(W + "p")
        )


def contexts(count: int) -> list[dict]:
    sample = data_dir("sample_data") / "nowak_leszno" / "01_metryczka_rodziny.yaml"
    family = for_display(
        FORMS["metryczka_rodziny"].model_validate(read_form(sample).data).model_dump()
    )
    result = []
    for number in range(count):
        data = copy.deepcopy(family)
        data["czlonkowie"][0]["imie"] = f"Katarzyna {number}"
        result.append(
            {
                "osrodek": OFFICE,
                "sprawa": f"MOPS.AR.4011.{number}.2026",
                "tytul": "Metryczka rodziny",
                "data_dokumentu": data["data_przydzielenia"],
                "asystent": data["asystent"],
                "rodzina": data | {"nazwiska": "Nowak", "dorosli": data["czlonkowie"][:1]},
                "dane": data,
            }
        )
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
