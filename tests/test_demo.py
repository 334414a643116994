"""`asystent demo` on the packaged sample families: every value of every form reaches its document."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import docx.document
import pytest
import yaml
from conftest import docx_text, run
from docx.oxml.ns import qn

from records import polish
from records.models import FORMS, Form, for_display
from records.readers import read_form
from records.resources import data_dir

SAMPLES = data_dir("sample_data")
GOOD = sorted(p for p in SAMPLES.rglob("*.yaml") if p.parent.name != "bledne")
WRONG = sorted((SAMPLES / "bledne").glob("*.yaml"))
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "asystent-demo"
    result = run("demo", root)
    assert result.exit_code == 0, result.output
    return root


FIRST_SIX = {
    "metryczka_rodziny",
    "plan_pracy",
    "protokol_wizyty",
    "kontrakt",
    "ocena_okresowa",
    "zakonczenie_pracy",
}


def test_samples_cover_three_families_and_every_form_kind() -> None:
    families = {p.parent.name for p in GOOD}
    assert len(families) >= 3
    every = set()
    for family in families:
        kinds = {
            yaml.safe_load(p.read_text(encoding="utf-8"))["formularz"]
            for p in GOOD
            if p.parent.name == family
        }
        assert kinds >= FIRST_SIX, (family, kinds)
        every |= kinds
    assert every == set(FORMS)  # every kind has a sample
    assert len(WRONG) >= 5


def test_demo_prints_where_the_documents_are(demo: Path) -> None:
    shards = list((demo / "dane" / "sprawy").glob("*.json"))
    assert len(shards) >= 3
    for shard in shards:
        entries = json.loads(shard.read_text())["dokumenty"].values()
        assert {e["formularz"] for e in entries} >= FIRST_SIX
        for entry in entries:
            assert (demo / "dokumenty").rglob(entry["nazwa"])


def test_wrong_samples_are_rejected_with_reports(demo: Path) -> None:
    for sample in WRONG:
        reports = list((demo / "odrzucone").glob(f"{sample.name}.bledy.txt"))
        assert reports, sample.name
        assert "Błędy" in reports[0].read_text(encoding="utf-8")


# Kinds that make no document (a court order) are shown by the fact sheet and the case page.
DOCUMENTED = [p for p in GOOD if FORMS[read_form(p).data["formularz"]].KIND.document]


@pytest.mark.parametrize("sample", DOCUMENTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_value_of_a_sample_form_is_in_its_document(demo: Path, sample: Path) -> None:
    sha = hashlib.sha256(sample.read_bytes()).hexdigest()
    record, registry, folder = _record_of(demo, sha)
    entry = next(e for e in registry if e["klucz"] == record["klucz"])
    text = docx_text(folder / entry["nazwa"])
    data = read_form(sample).data
    shown = for_display(FORMS[data["formularz"]].model_validate(data))
    if FORMS[data["formularz"]].document_title is not Form.document_title:
        shown.pop(
            "rodzaj"
        )  # the title says it ("Informacja o zastępstwie...", "Opinia o rodzinie")
    missing = [forms for forms in _printed_values(shown) if not any(form in text for form in forms)]
    assert not missing, f"{entry['nazwa']} lacks {missing}"


def _record_of(demo: Path, sha: str) -> tuple[dict[str, Any], list[dict[str, Any]], Path]:
    for shard in (demo / "dane" / "sprawy").glob("*.json"):
        content = json.loads(shard.read_text())
        for record in content["rekordy"].values():
            if record["zrodlo"]["sha256"] == sha:
                folder = demo / "dokumenty" / record["sprawa"].replace("/", "_")
                return record, list(content["dokumenty"].values()), folder
    raise AssertionError(f"no record for {sha}")


def _printed_values(value: Any, key: str = "") -> list[tuple[str, ...]]:
    """Each value of a form as its document may print it: the form's values with codes in their
    words (`for_display`), dates Polish-style, times as HH:MM."""
    if key in ("formularz", "monitoring", "sprawa") or value is None or isinstance(value, bool):
        return []
    if isinstance(value, dict):
        return [v for k, item in value.items() for v in _printed_values(item, k)]
    if isinstance(value, list):
        return [v for item in value for v in _printed_values(item, key)]
    if isinstance(value, dt.date):
        return [(polish.date_long(value), polish.date_short(value))]
    if isinstance(value, dt.time):
        return [(value.strftime("%H:%M"),)]
    if not isinstance(value, str) or not value.strip():
        return []
    return [(value,)]


def test_installed_script_runs_the_demo_from_any_folder(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "asystent"
    result = subprocess.run(
        [str(script), "demo", "nowe-demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert str(tmp_path / "nowe-demo" / "dokumenty") in result.stdout
    assert len(list((tmp_path / "nowe-demo" / "dokumenty").rglob("*.docx"))) >= 18


def test_demo_reports_on_the_sample_year(demo: Path) -> None:
    cases = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["sprawa"]
        for p in GOOD
        if p.name.startswith("01_")
    }
    report = demo / "raporty" / "sprawozdanie_2026-01-01_2026-12-31.docx"
    lines = docx_text(report).splitlines()
    assert cases <= set(lines)
    assert lines[lines.index("Rodziny wspierane w okresie") + 1] == str(len(cases))
    table = (demo / "raporty" / "sprawozdanie_2026-01-01_2026-12-31.csv").read_text("utf-8-sig")
    total = next(row for row in table.splitlines() if row.startswith("Razem;"))
    assert total.split(";")[1] == str(len(cases))


def _signature_lines(document: docx.document.Document) -> list[int]:
    return [i for i, p in enumerate(document.paragraphs) if p.text.strip().startswith("……………")]


def test_every_document_numbers_its_pages_and_keeps_signatures_with_its_text(demo: Path) -> None:
    """Issue 19: "Strona X z Y" in every document; the signature lines never stand alone on a
    page (the text before them keeps with them, in paragraphs, which Word and LibreOffice both
    honour); numbered sections have no gaps; the contract and plan use the Act's words."""
    documents = [p for p in (demo / "dokumenty").rglob("*.docx") if "poprzednie" not in p.parts]
    assert len(documents) >= 40
    signed = 0
    for path in documents:
        document = docx.Document(str(path))
        footer = "".join(
            el.get(qn("w:instr")) or el.text or ""
            for section in document.sections
            for el in section.footer._element.iter(qn("w:instrText"), qn("w:fldSimple"))
        )
        assert "PAGE" in footer and "NUMPAGES" in footer, path.name
        assert "Strona" in docx_text(path), path.name
        lines = _signature_lines(document)
        if lines:
            signed += 1
            first = lines[0]
            before = [p for p in document.paragraphs[:first] if p.text.strip()][-1]
            assert before.paragraph_format.keep_with_next, (path.name, before.text)
            for p in document.paragraphs[before._p.getparent().index(before._p) : first]:
                assert p.paragraph_format.keep_with_next, (path.name, p.text)
        numbers = [
            m.group(1) for p in document.paragraphs if (m := re.match(r"^([IVX]+)\. ", p.text))
        ]
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
        assert numbers == roman[: len(numbers)], (path.name, numbers)
    assert signed >= 30
    contract = next(p for p in documents if p.name.startswith("kontrakt_"))
    text = docx_text(contract)
    assert "Kontrakt z rodziną" in text and "pomiędzy Miejski" not in text
    assert "art. 7 ust. 3" in text
    plan = next(p for p in documents if p.name.startswith("plan_pracy_"))
    assert "Przewidywane efekty" in docx_text(plan) and "Oczekiwany rezultat" not in docx_text(plan)
