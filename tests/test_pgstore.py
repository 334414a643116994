"""PostgreSQL as the store: offices kept apart by the schema, a workspace migrated from TinyDB
with nothing changed, and two services on two "machines" sharing one database and one inbox.

These run against the throwaway cluster of tests/pg.py in every run (the other store, pipeline,
watcher and web tests run on PostgreSQL too with `--magazyn postgresql`, as .ci/run does)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import (
    FAMILY,
    VISIT,
    form,
    pg_cluster,
    run,
    stop_watch,
    stored,
    tree_digest,
    wait_for,
    write_yaml,
)

from records.pgstore import PgStore, apply_schema
from records.settings import load_workspace
from records.store import Record, StoreError, TinyStore, new_record_id, now

# Each test sets up its own offices: with --magazyn postgresql they would only run twice.
pytestmark = pytest.mark.tinydb_only

SCRIPT = Path(__file__).parent.parent / ".venv" / "bin" / "asystent"


@pytest.fixture(scope="module")
def cluster() -> Any:
    return pg_cluster()


# Another computer's name for a watcher: a UTS namespace of its own (root and util-linux).
needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"), reason="unshare --uts wymaga roota"
)


def _record(sprawa: str, n: int = 1) -> Record:
    return Record(
        id=new_record_id(),
        formularz="protokol_wizyty",
        sprawa=sprawa,
        klucz=f"k{n}",
        dane={"przebieg": "Rozmowa z matką.", "sprawa": sprawa},
        zrodlo={"plik": f"w{n}.yaml", "sha256": f"{sprawa}-{n}"},
        przyjeto=now(),
        polecenie="test",
    )


def _with_office(ws: Path, url: str) -> None:
    config = ws / "asystent.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + f'\n[magazyn]\nadres = "{url}"\n', encoding="utf-8"
    )


def test_an_office_sees_and_changes_only_its_own_rows(cluster: Any) -> None:
    krakow, tarnow = cluster.office("krakow"), cluster.office("tarnow")
    PgStore(cluster.url(krakow)).commit(_record("AR/1/2026"), {"nazwa": "a.docx", "sha256": "x"})
    PgStore(cluster.url(krakow)).mark_accepted("abc", {"sprawa": "AR/1/2026"})
    PgStore(cluster.url(krakow)).audit("przyjecie", sprawa="AR/1/2026")
    other = PgStore(cluster.url(tarnow))
    assert other.read_case("AR/1/2026") is None
    assert other.case_numbers() == [] and other.accepted("abc") is None
    assert list(other.audit_lines()) == []
    with psycopg.connect(cluster.url(tarnow), autocommit=True) as conn:  # past the program too
        for table in ("sprawy", "rekordy", "dokumenty", "przyjete", "audyt"):
            rows = conn.execute(f"SELECT count(*) FROM asystent.{table}").fetchall()  # noqa: S608
            assert rows == [(0,)], table
        assert conn.execute("UPDATE asystent.rekordy SET tresc = '{}'").rowcount == 0
        assert conn.execute("DELETE FROM asystent.przyjete").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security
            conn.execute(
                "INSERT INTO asystent.przyjete (osrodek, sha256, tresc) VALUES (%s, 'z', '{}')",
                (krakow,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the trail is append-only
            conn.execute("DELETE FROM asystent.audyt")
    mine = PgStore(cluster.url(krakow))
    found = mine.read_case("AR/1/2026")
    assert found is not None and len(found.records) == 1 and mine.accepted("abc")


def test_an_offices_queries_use_the_indexes(cluster: Any) -> None:
    """The office's condition (row-level security) and the case key reach the primary key: a
    case is read by index, not by scanning every office's rows (a collation that differed from
    current_user's once made every read a full scan)."""
    office = cluster.office()
    PgStore(cluster.url(office)).commit(_record("AR/9/2026"), {"nazwa": "a.docx", "sha256": "x"})
    with psycopg.connect(cluster.url(office), autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        for query in (
            "SELECT tresc FROM asystent.rekordy WHERE osrodek = current_user AND klucz = 'ar_9_2026'",
            "SELECT tresc FROM asystent.dokumenty WHERE klucz = 'ar_9_2026'",
            "SELECT tresc FROM asystent.rekordy WHERE osrodek = current_user AND nr = 1",
        ):
            plan = "\n".join(row[0] for row in conn.execute("EXPLAIN " + query).fetchall())
            assert "Index" in plan and "Seq Scan" not in plan, plan


def test_the_service_refuses_an_account_that_sees_every_office(cluster: Any) -> None:
    with pytest.raises(StoreError, match="widzi dane wszystkich ośrodków"):
        PgStore(cluster.admin)
    office = cluster.office()
    with pytest.raises(StoreError, match="nie zgadza się z kontem bazy danych"):
        PgStore(cluster.url(office), "inny_osrodek")
    cluster.sql("CREATE ROLE obcy_uzytkownik LOGIN")  # not in asystent_osrodki
    with pytest.raises(StoreError, match="GRANT asystent_osrodki TO obcy_uzytkownik"):
        PgStore(cluster.url("obcy_uzytkownik"))


def test_the_schema_is_applied_once_and_named_in_a_message(cluster: Any) -> None:
    assert apply_schema(cluster.admin) == []  # already there: nothing to do
    shown = run("store", "schema", cluster.admin)
    assert shown.exit_code == 0 and "nic do zmiany" in shown.output
    cluster.sql("CREATE DATABASE pusta", dbname="postgres")
    office = cluster.office()
    with pytest.raises(StoreError, match="asystent store schema"):
        PgStore(cluster.url(office, dbname="pusta"))


def test_a_connection_lost_while_writing_stops_the_write_and_is_opened_again(
    cluster: Any,
) -> None:
    office = cluster.office()
    store = PgStore(cluster.url(office))
    with pytest.raises(StoreError, match="jest niedostępna"), store.writing():
        cluster.disconnect(office)  # the database restarted, or the network went away
        store.commit(_record("AR/2/2026"), None)
    assert store.read_case("AR/2/2026") is None  # nothing half-written; connected again
    store.commit(_record("AR/2/2026"), None)
    assert store.read_case("AR/2/2026") is not None


def test_the_address_may_come_from_the_environment(
    cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    monkeypatch.setenv("ASYSTENT_MAGAZYN", cluster.url(cluster.office()))
    assert (
        run("ingest", "--workspace", root, write_yaml(tmp_path / "m.yaml", FAMILY)).exit_code == 0
    )
    assert not list((root / "dane").glob("sprawy/*.json"))  # nothing in the embedded store
    assert stored(root, "GOPS/AR/3/2026")["rekordy"]


def test_an_unreachable_database_is_a_polish_message_without_the_password(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    _with_office(root, "postgresql://jan:tajne-haslo@/asystent?host=/nie/ma/takiego")
    result = run("families", "--workspace", root)
    assert result.exit_code != 0
    assert "Baza danych jan@/nie/ma/takiego/asystent jest niedostępna" in result.output
    assert "tajne-haslo" not in result.output and "Traceback" not in result.output


def test_a_migrated_demo_keeps_every_record_document_and_figure(
    cluster: Any, tmp_path: Path
) -> None:
    root = tmp_path / "demo"
    made = run("demo", root)
    assert made.exit_code == 0, made.output
    ws = load_workspace(root)
    documents = tree_digest(root / "dokumenty")
    figures = {
        "families": run("families", "--workspace", root).output,
        "alerts": run("alerts", "--workspace", root, "--na-dzien", "2026-06-30").output,
    }
    report = run(
        "report", "--workspace", root, "--od", "2026-01-01", "--do", "2026-12-31", "--format", "csv"
    )
    assert report.exit_code == 0, report.output
    csv_before = _report_files(root)

    office = cluster.office("mops")
    url = cluster.url(office)
    before = TinyStore(ws.data).dump()
    moved = run("store", "migrate", "--workspace", root, "--do", url)
    assert moved.exit_code == 0, moved.output
    assert "Kopia sprawdzona" in moved.output and f'osrodek = "{office}"' in moved.output
    assert f"spraw {len(before.cases)}," in moved.output
    after = PgStore(url).dump()
    assert json.loads(after.audit.pop())["czynnosc"] == "przeniesienie_magazynu"
    assert repr(after) == repr(before)  # every version, document hash and audit line, in order
    stale = run("families", "--workspace", root)  # a process still set up for the files
    assert stale.exit_code != 0 and "przeniesiono do bazy PostgreSQL" in stale.output
    _with_office(root, url)

    assert run("check", "--workspace", root).exit_code == 0
    again = run("generate", "--workspace", root, "--all")
    assert again.exit_code == 0, again.output
    assert tree_digest(root / "dokumenty") == documents  # nothing made again, byte for byte
    assert run("families", "--workspace", root).output == figures["families"]
    assert (
        run("alerts", "--workspace", root, "--na-dzien", "2026-06-30").output == figures["alerts"]
    )
    for path in (root / "raporty").iterdir():
        path.unlink()
    report = run(
        "report", "--workspace", root, "--od", "2026-01-01", "--do", "2026-12-31", "--format", "csv"
    )
    assert report.exit_code == 0, report.output
    assert _report_files(root) == csv_before

    twice = run("store", "migrate", "--workspace", root, "--do", url)
    assert twice.exit_code != 0 and "już używa bazy PostgreSQL" in twice.output


def _report_files(root: Path) -> dict[str, str]:
    """The report's CSV text (the .docx carries the time it was made)."""
    return {
        p.name: p.read_text(encoding="utf-8-sig") for p in sorted((root / "raporty").glob("*.csv"))
    }


def test_migrating_into_an_office_that_has_data_is_refused(cluster: Any, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    sheet = write_yaml(tmp_path / "metryczka.yaml", FAMILY)
    assert run("ingest", "--workspace", root, sheet).exit_code == 0
    office = cluster.office()
    PgStore(cluster.url(office)).commit(_record("INNA/1/2026"), None)
    result = run("store", "migrate", "--workspace", root, "--do", cluster.url(office))
    assert result.exit_code != 0 and "ma już dane" in result.output
    assert PgStore(cluster.url(office)).case_numbers() == ["INNA/1/2026"]


def test_a_store_with_problems_is_not_moved(cluster: Any, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    sheet = write_yaml(tmp_path / "metryczka.yaml", FAMILY)
    assert run("ingest", "--workspace", root, sheet).exit_code == 0
    for document in (root / "dokumenty").rglob("*.docx"):
        document.unlink()  # deleted by hand: check names it
    office = cluster.office()
    result = run("store", "migrate", "--workspace", root, "--do", cluster.url(office))
    assert result.exit_code != 0 and "Przed przeniesieniem napraw problemy" in result.output
    assert PgStore(cluster.url(office)).is_empty()
    assert run("families", "--workspace", root).exit_code == 0  # the files are still the store


@needs_root
def test_a_watcher_that_loses_its_database_session_stops_and_takes_the_lease_again(
    cluster: Any, tmp_path: Path
) -> None:
    office = cluster.office()
    root = _family_in_office(tmp_path, cluster.url(office))
    watcher = _on_another_machine(root, "komputer-a")
    try:
        wait_for(lambda: "Obserwuję" in (root.parent / "watch-komputer-a.out").read_text())
        cluster.disconnect(office)  # the server restarted, or a cable was pulled
        said = root.parent / "watch-komputer-a.out"
        wait_for(lambda: "Utracono połączenie z bazą danych" in said.read_text(), timeout=30)
        write_yaml(root / "wejscie" / "wizyta.yaml", VISIT)
        wait_for(lambda: (root / "przetworzone" / "wizyta.yaml").is_file(), timeout=60)
    finally:
        stop_watch(watcher)
    assert "Traceback" not in said.read_text()


def _family_in_office(tmp_path: Path, url: str) -> Path:
    """A workspace whose store is the office at `url`, holding the Kowalski family."""
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    _with_office(root, url)
    assert (
        run("ingest", "--workspace", root, write_yaml(tmp_path / "m.yaml", FAMILY)).exit_code == 0
    )
    return root


def _on_another_machine(ws: Path, host: str) -> subprocess.Popen:
    """`asystent watch` in a UTS namespace of its own: another computer's name, the same
    database and the same inbox (the shared folder)."""
    log = open(ws.parent / f"watch-{host}.out", "w")  # noqa: SIM115 - lives with the process
    command = f"hostname {host} && exec {SCRIPT} watch --workspace {ws}"
    return subprocess.Popen(
        ["unshare", "--uts", "sh", "-c", command], stdout=log, stderr=subprocess.STDOUT
    )


@needs_root
def test_two_machines_share_one_database_and_inbox_and_take_over(
    cluster: Any, tmp_path: Path
) -> None:
    root = _family_in_office(tmp_path, cluster.url(cluster.office()))
    count = 120
    visits = [
        form(
            VISIT,
            data=f"2026-{3 + i // 28:02d}-{1 + i % 28:02d}",
            ustalenia=[],
            przebieg=f"Wizyta {i}.",
        )
        for i in range(count)
    ]
    first = _on_another_machine(root, "komputer-a")
    second = _on_another_machine(root, "komputer-b")
    try:
        for i, visit in enumerate(visits[:60]):
            write_yaml(root / "wejscie" / f"w{i:03d}.yaml", visit)
        wait_for(lambda: len(list((root / "przetworzone").iterdir())) > 20, timeout=120)
        first.send_signal(signal.SIGKILL)  # the active one dies mid-batch, without warning
        first.wait(timeout=30)
        time.sleep(1.5)  # the standby takes the lease and the abandoned claims
        first = _on_another_machine(root, "komputer-a")
        second.send_signal(signal.SIGKILL)
        second.wait(timeout=30)
        second = _on_another_machine(root, "komputer-b")
        for i, visit in enumerate(visits[60:], start=60):
            write_yaml(root / "wejscie" / f"w{i:03d}.yaml", visit)
        wait_for(lambda: len(list((root / "przetworzone").iterdir())) == count + 1, timeout=600)
    finally:
        for process in (first, second):
            if process.poll() is None:
                stop_watch(process)
    shard = stored(root, "GOPS/AR/3/2026")
    visits_stored = [r for r in shard["rekordy"].values() if r["formularz"] == "protokol_wizyty"]
    assert len(visits_stored) == count  # nothing lost, nothing twice
    assert len({r["zrodlo"]["sha256"] for r in visits_stored}) == count
    assert len(list((root / "dokumenty" / "GOPS_AR_3_2026").glob("protokol_wizyty_*"))) == count
    assert not list((root / "wejscie").glob("*.yaml"))
    assert not any((root / ".w_toku").rglob("*.yaml")) if (root / ".w_toku").exists() else True
    assert run("check", "--workspace", root).exit_code == 0
