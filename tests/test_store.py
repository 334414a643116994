"""The records store: no lost update across processes, intact after SIGKILL, tamper-evident.

Each test runs on the embedded store, and on PostgreSQL with `--magazyn postgresql`."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PG_MODE, VISIT, audit_lines, form, new_office_url, run, write_yaml

from records.settings import load_workspace
from records.store import Record, Store, TinyStore, new_record_id, now


def open_test_store(spec: str) -> Store:
    """The store a test names: a PostgreSQL address, else a folder for TinyDB files."""
    if spec.startswith("postgresql://"):
        from records.pgstore import PgStore

        return PgStore(spec)
    return TinyStore(Path(spec))


@pytest.fixture
def spec(tmp_path: Path) -> str:
    return new_office_url() if PG_MODE else str(tmp_path / "dane")


WRITER = """
import sys
sys.path.insert(0, sys.argv[3])
from test_store import open_test_store
from records.store import Record, new_record_id, now
store = open_test_store(sys.argv[1])
for n in range(100000):
    record = Record(id=new_record_id(), formularz="protokol_wizyty", sprawa="AR/1/2026",
                    klucz=f"k{sys.argv[2]}-{n}", dane={"przebieg": "x" * 2000}, zrodlo={"plik": "f", "sha256": str(n)},
                    przyjeto=now(), polecenie="test")
    store.add_record(record)
    store.audit("test", sprawa="AR/1/2026", numer=n)
    if n == 0:
        print("zapisano", flush=True)  # the test kills it only from now on
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


def _write_many(spec: str, writer: int) -> None:
    store = open_test_store(spec)
    for number in range(25):
        store.add_record(_record(writer, number))
        store.audit("test", sprawa="AR/1/2026", pisarz=writer, numer=number)


def test_several_processes_writing_one_case_lose_no_update(spec: str) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(spec, n)) for n in range(4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
        assert process.exitcode == 0
    store = open_test_store(spec)
    found = store.read_case("AR/1/2026")
    assert found is not None
    keys = {r.klucz for r in found.records}
    assert keys == {f"w{w}-{n}" for w in range(4) for n in range(25)}
    assert store.check() == []
    assert len(list(store.audit_lines())) == 100


def test_a_writer_killed_mid_write_never_damages_the_store(spec: str) -> None:
    rng = random.Random(4)
    counts = []
    here = str(Path(__file__).parent)
    for attempt in range(15):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, spec, str(attempt), here], stdout=subprocess.PIPE
        )
        assert writer.stdout is not None
        try:  # killed at a random moment after its first write, however slowly it started
            ready, _, _ = select.select([writer.stdout], [], [], 120)
            assert ready and writer.stdout.readline() == b"zapisano\n", "no first write"
            time.sleep(rng.uniform(0.0, 0.8))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=30)
            writer.stdout.close()
        store = open_test_store(spec)
        assert store.check() == [], attempt  # every file parses, the audit chain holds
        found = store.read_case("AR/1/2026")
        counts.append(len(found.records) if found else 0)
    # nothing lost: each writer's records, its first one at least, are there after its kill
    assert all(b > a for a, b in itertools.pairwise([0, *counts])), counts


def test_the_office_lists_each_case_with_the_stamp_it_has_alone(spec: str) -> None:
    """`families` uses a case's saved facts only while the stamp listed for the office equals
    the stamp the facts were saved under (taken from that one case): the two must agree."""
    store = open_test_store(spec)
    for number, sprawa in enumerate(["AR/1/2026", "AR/2/2026", "AR/2/2026"]):
        store.add_record(replace(_record(0, number), sprawa=sprawa))
    stamps = store.case_stamps()
    assert len(stamps) == 2
    assert all(store.case_stamp(key) == stamp for key, stamp in stamps.items())


def test_an_edited_audit_line_breaks_the_chain(family_ws: Path) -> None:
    lines = audit_lines(family_ws)
    assert len(lines) >= 2
    entry = json.loads(lines[0])
    entry["kto"] = "ktoś inny"
    edited = json.dumps(entry, ensure_ascii=False)
    address = load_workspace(family_ws).settings.magazyn.adres
    if address:  # the office's own account may rewrite a line (erasure does): check sees it
        import psycopg

        with psycopg.connect(address, autocommit=True) as conn:
            conn.execute("UPDATE asystent.audyt SET linia = %s WHERE nr = 1", (edited,))
    else:
        audit = family_ws / "dane" / "audyt.jsonl"
        audit.write_text("\n".join([edited, *lines[1:]]) + "\n", encoding="utf-8")
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


@pytest.mark.tinydb_only
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
    assert any('"czynnosc": "wglad"' in line for line in audit_lines(family_ws))
