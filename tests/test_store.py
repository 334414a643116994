"""The records store: no lost update across processes, intact after SIGKILL, tamper-evident."""

from __future__ import annotations

import json
import multiprocessing
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import VISIT, form, run, write_yaml

from records.store import Record, TinyStore, new_record_id, now

WRITER = """
import sys
from pathlib import Path
from records.store import Record, TinyStore, new_record_id, now
store = TinyStore(Path(sys.argv[1]))
for n in range(100000):
    record = Record(id=new_record_id(), formularz="protokol_wizyty", sprawa="AR/1/2026",
                    klucz=f"k{sys.argv[2]}-{n}", dane={"przebieg": "x" * 2000}, zrodlo={"plik": "f", "sha256": str(n)},
                    przyjeto=now(), polecenie="test")
    store.add_record(record)
    store.audit("test", sprawa="AR/1/2026", numer=n)
"""


def _record(writer: int, number: int) -> Record:
    return Record(
        id=new_record_id(),
        formularz="protokol_wizyty",
        sprawa="AR/1/2026",
        klucz=f"w{writer}-{number}",
        dane={"przebieg": "tekst " * 100},
        zrodlo={"plik": f"w{writer}-{number}.yaml", "sha256": f"{writer}-{number}"},
        przyjeto=now(),
        polecenie="test",
    )


def _write_many(root: str, writer: int) -> None:
    store = TinyStore(Path(root))
    for number in range(25):
        store.add_record(_record(writer, number))
        store.audit("test", sprawa="AR/1/2026", pisarz=writer, numer=number)


def test_several_processes_writing_one_case_lose_no_update(tmp_path: Path) -> None:
    root = tmp_path / "dane"
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(str(root), n)) for n in range(4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
        assert process.exitcode == 0
    store = TinyStore(root)
    keys = {r.klucz for r in store.read_case("AR/1/2026").records}
    assert keys == {f"w{w}-{n}" for w in range(4) for n in range(25)}
    assert store.check() == []
    assert len((root / "audyt.jsonl").read_text().splitlines()) == 100


def test_a_writer_killed_mid_write_never_damages_the_store(tmp_path: Path) -> None:
    root = tmp_path / "dane"
    rng = random.Random(4)
    counts = []
    for attempt in range(15):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(root), str(attempt)])
        time.sleep(rng.uniform(0.3, 1.2))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        store = TinyStore(root)
        assert store.check() == [], attempt  # every file parses, the audit chain holds
        found = store.read_case("AR/1/2026")
        counts.append(len(found.records) if found else 0)
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0  # progress, nothing lost


def test_an_edited_audit_line_breaks_the_chain(family_ws: Path) -> None:
    audit = family_ws / "dane" / "audyt.jsonl"
    lines = audit.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 2
    entry = json.loads(lines[0])
    entry["kto"] = "ktoś inny"
    audit.write_text(
        "\n".join([json.dumps(entry, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8"
    )
    result = run("check", "--workspace", family_ws)
    assert result.exit_code == 1
    assert "łańcuch przerwany w wierszu 2" in result.output


def test_check_names_a_changed_and_a_missing_document(family_ws: Path) -> None:
    assert run("check", "--workspace", family_ws).exit_code == 0
    folder = family_ws / "dokumenty" / "GOPS_AR_3_2026"
    (folder / "protokol_wizyty_2026-02-17.docx").unlink()
    with open(folder / "metryczka_rodziny_2026-02-10.docx", "ab") as handle:
        handle.write(b"zmiana")
    result = run("check", "--workspace", family_ws)
    assert result.exit_code == 1
    assert "brak dokumentu protokol_wizyty_2026-02-17.docx" in result.output
    assert "dokument metryczka_rodziny_2026-02-10.docx zmieniono poza programem" in result.output


@pytest.mark.parametrize("damage", ['{"rekordy": {', "[]", "null", '"tekst"', "\ufeff{}"])
def test_check_names_a_damaged_case_file(family_ws: Path, damage: str) -> None:
    (family_ws / "dane" / "sprawy" / "gops_ar_3_2026.json").write_text(damage, encoding="utf-8")
    result = run("check", "--workspace", family_ws)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "gops_ar_3_2026.json jest uszkodzony" in result.output, result.output


def test_show_history_lists_every_version_with_its_source(family_ws: Path, outside: Path) -> None:
    fixed = write_yaml(outside / "poprawka.yaml", form(VISIT, przebieg="Poprawiony opis."))
    assert run("ingest", "--workspace", family_ws, fixed).exit_code == 0
    shown = run("show", "--workspace", family_ws, "GOPS/AR/3/2026", "--historia").output
    assert "protokol_wizyty:2026-02-17T10:00" in shown
    assert "wersja 1:" in shown and "plik wizyta.yaml" in shown
    assert "wersja 2:" in shown and "plik poprawka.yaml" in shown and "(aktualna)" in shown
    audit = (family_ws / "dane" / "audyt.jsonl").read_text(encoding="utf-8")
    assert '"czynnosc": "wglad"' in audit
