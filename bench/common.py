"""What the benchmarks share: families written straight into the store's files as the pipeline
would leave them (bench/web.py, bench/office.py), and a document's text for comparing outputs
(bench/render.py, bench/generate_all.py).

The scripts import it as `common`: `python bench/NAME.py` puts this folder on the import path.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree

from records.models import FORMS, case_key
from records.readers import read_form
from records.resources import data_dir
from records.settings import Workspace
from records.store import AtomicJSONStorage, Record, new_record_id, now

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def stored_values(kind: str, **changes: object) -> dict:
    """A valid form's stored values, validated once (the forms in forms/ are valid)."""
    data = read_form(data_dir("forms") / f"{kind}.yaml").data | changes
    return FORMS[kind].model_validate(data).model_dump(mode="json")


def stored_record(kind: str, sprawa: str, values: dict, key: str) -> dict:
    return Record(
        id=new_record_id(),
        formularz=kind,
        sprawa=sprawa,
        klucz=key,
        dane=values | {"sprawa": sprawa},
        zrodlo={"plik": f"{kind}.yaml", "sha256": new_record_id() * 2},
        przyjeto=now(),
        polecenie="bench",
    ).__dict__


def write_families(
    ws: Workspace, visits: dict[str, list[dt.date]], assistants: dict[str, str] | None = None
) -> None:
    """One case file per case number: the sample fact sheet and a visit on each given day, by
    the sample's assistant or the one `assistants` gives the case."""
    family = stored_values("metryczka_rodziny")
    visit = stored_values("protokol_wizyty", nastepna_wizyta=None, ustalenia=[])
    for sprawa, days in visits.items():
        who = {"asystent": (assistants or {}).get(sprawa, family["asystent"])}
        records = [stored_record("metryczka_rodziny", sprawa, family | who, "metryczka_rodziny")]
        for day in days:
            key = f"protokol_wizyty:{day.isoformat()}T{visit['godzina_od']}"
            values = visit | who | {"data": day.isoformat()}
            records.append(stored_record("protokol_wizyty", sprawa, values, key))
        AtomicJSONStorage(str(ws.data / "sprawy" / f"{case_key(sprawa)}.json")).write(
            {"rekordy": {str(i + 1): r for i, r in enumerate(records)}}
        )


def text_of(data: bytes) -> str:
    """Every paragraph of a .docx's body, headers and footers, one a line."""
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
