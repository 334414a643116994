"""`asystent watch` as a real process on a real folder: native and polling observers, files written
slowly, duplicates, a graceful stop, SIGKILL in the middle of a batch, and two watchers at once."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time
from pathlib import Path

import pytest
import yaml
from conftest import (
    FAMILY,
    VISIT,
    accepted_count,
    docx_text,
    form,
    run,
    start_watch,
    stop_watch,
    stored,
    wait_for,
    watch_once,
    write_yaml,
)

from records.watch import StabilityTracker

CASE = "GOPS_AR_3_2026"
start, run_once, stop = start_watch, watch_once, stop_watch


@pytest.fixture
def family_only(ws: Path, outside: Path) -> Path:
    assert (
        run("ingest", "--workspace", ws, write_yaml(outside / "metryczka.yaml", FAMILY)).exit_code
        == 0
    )
    return ws


def _drop(ws: Path, name: str, data: dict) -> Path:
    """Write elsewhere, then move in: how a finished copy arrives."""
    temp = ws.parent / f"tmp-{Path(name).name}"
    write_yaml(temp, data)
    target = ws / "wejscie" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, target)
    return target


@pytest.mark.parametrize(
    "mode", [[], ["--polling", "--interval", "0.2"]], ids=["native", "polling"]
)
def test_dropped_files_become_documents_or_reports(family_only: Path, mode: list[str]) -> None:
    ws = family_only
    watcher = start(ws, *mode)
    try:
        _drop(ws, "wizyta.yaml", VISIT)
        folder = ws / "dokumenty" / CASE
        wait_for(lambda: (folder / "protokol_wizyty_2026-02-17.docx").is_file())
        _drop(ws, "podfolder/zla.yaml", form(VISIT, godzina_do="09:00"))
        wait_for(lambda: (ws / "odrzucone" / "zla.yaml.bledy.txt").is_file())
        _drop(ws, "kopia.yaml", VISIT)
        wait_for(lambda: (ws / "przetworzone" / "kopia.yaml").is_file())
        windows = yaml.safe_dump(
            form(VISIT, data="2026-02-19", przebieg="Zażółć gęślą jaźń"), allow_unicode=True
        )
        (ws.parent / "cp1250.yaml").write_bytes(windows.replace("\n", "\r\n").encode("cp1250"))
        os.replace(ws.parent / "cp1250.yaml", ws / "wejscie" / "cp1250.yaml")
        wait_for(lambda: (ws / "przetworzone" / "cp1250.yaml").is_file())
        for name in ("~$wizyta.docx", "Thumbs.db", "desktop.ini"):
            (ws / "wejscie" / name).write_bytes(b"x")
        time.sleep(1.5)
    finally:
        assert stop(watcher) == 0
    assert "godzina_do" in (ws / "odrzucone" / "zla.yaml.bledy.txt").read_text(encoding="utf-8")
    shard = stored(ws, "gops_ar_3_2026")
    sources = sorted(r["zrodlo"]["plik"] for r in shard["rekordy"].values())
    assert sources == ["cp1250.yaml", "metryczka.yaml", "wizyta.yaml"]  # not kopia, not zla
    assert any(r["dane"].get("przebieg") == "Zażółć gęślą jaźń" for r in shard["rekordy"].values())
    assert sorted(p.name for p in (ws / "wejscie").iterdir() if p.is_file()) == [
        "Thumbs.db",
        "desktop.ini",
        "~$wizyta.docx",
    ]
    log = (ws / "asystent.log").read_text(encoding="utf-8")
    assert "Pominięto duplikat kopia.yaml" in log and "Odrzucono plik zla.yaml" in log
    assert "cp1250.yaml: plik w kodowaniu Windows-1250 przekodowano na UTF-8" in log
    assert "Usługa watch zatrzymana" in log


def test_a_slowly_written_file_is_not_read_early(family_only: Path) -> None:
    ws = family_only
    watcher = start(ws)
    try:
        raw = yaml.safe_dump(VISIT, allow_unicode=True, sort_keys=False).encode("utf-8")
        target = ws / "wejscie" / "powoli.yaml"
        with open(target, "wb") as handle:
            for start_at in range(0, len(raw), 40):  # a slow copy: a chunk every 0.2 s for ~3 s
                handle.write(raw[start_at : start_at + 40])
                handle.flush()
                time.sleep(0.2)
        wait_for(lambda: (ws / "przetworzone" / "powoli.yaml").is_file())
    finally:
        stop(watcher)
    assert not any((ws / "odrzucone").iterdir())


def test_once_processes_what_waits_and_exits(family_only: Path) -> None:
    ws = family_only
    _drop(ws, "a.yaml", VISIT)
    _drop(ws, "b.yaml", form(VISIT, data="2026-02-24"))
    result = run_once(ws, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (ws / "przetworzone").iterdir()) == [
        "a.yaml",
        "b.yaml",
        "metryczka.yaml",
    ]


def _visits(count: int) -> list[dict]:
    """`count` distinct visits of the Kowalski family, four a day from its assignment on."""
    start_day = dt.date(2026, 2, 10)
    return [
        form(
            VISIT,
            data=(start_day + dt.timedelta(days=i // 4)).isoformat(),
            godzina_od=f"{8 + 2 * (i % 4):02d}:00",
            godzina_do=f"{9 + 2 * (i % 4):02d}:00",
            ustalenia=[],
            przebieg=f"Wizyta numer {i + 1}.",
        )
        for i in range(count)
    ]


def _assert_exactly_once(ws: Path, dropped: list[str]) -> None:
    """Every dropped file processed once: one original filed, one record, one document."""
    count = len(dropped)
    assert not [p for p in (ws / "wejscie").rglob("*") if p.is_file()]
    assert not any((ws / "odrzucone").iterdir())
    processed = sorted(p.name for p in (ws / "przetworzone").iterdir())
    assert processed == sorted(["metryczka.yaml", *dropped])
    shard = stored(ws, "gops_ar_3_2026")  # parses: intact
    visits = [r for r in shard["rekordy"].values() if r["formularz"] == "protokol_wizyty"]
    assert len(visits) == count
    assert len({r["zrodlo"]["sha256"] for r in visits}) == count
    assert len({r["klucz"] for r in visits}) == count
    documents = list((ws / "dokumenty" / CASE).glob("protokol_wizyty_*.docx"))
    assert len(documents) == count
    for document in documents:  # every one complete: it opens and holds its visit
        assert "Wizyta numer" in docx_text(document)
    assert not (ws / "dokumenty" / CASE / "poprzednie").exists()
    assert not list(ws.rglob(".*.tmp"))
    assert accepted_count(ws) == count + 1


def test_sigkill_during_a_batch_loses_and_duplicates_nothing(family_only: Path) -> None:
    ws = family_only
    count = 300
    for i, visit in enumerate(_visits(count)):
        write_yaml(ws / "wejscie" / f"w{i:03d}.yaml", visit)
    rng = random.Random(2026)
    kills_mid_batch = 0

    def inbox() -> int:
        return len(list((ws / "wejscie").glob("*.yaml")))

    for _ in range(20):  # about 40 files/s once started
        before = inbox()
        watcher = start(ws)
        # killed at a random moment once it has taken a file, however slowly it started (on a
        # busy machine a start can outlast any fixed sleep, and no kill then falls mid-batch)
        wait_for(lambda: inbox() < before, timeout=120)  # noqa: B023 - called here, at once
        time.sleep(rng.uniform(0.0, 0.8))
        watcher.send_signal(signal.SIGKILL)
        watcher.wait(timeout=30)
        waiting = inbox()
        if waiting == 0:
            break
        kills_mid_batch += waiting < count
    assert kills_mid_batch >= 3  # the kills really fell in the middle of the batch
    result = run_once(ws, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    _assert_exactly_once(ws, [f"w{i:03d}.yaml" for i in range(count)])


def test_two_watchers_on_one_workspace_process_each_file_once(family_only: Path) -> None:
    ws = family_only
    count = 200
    first, second = start(ws), start(ws, "--polling", "--interval", "0.2")
    try:
        for i, visit in enumerate(_visits(count)):
            _drop(ws, f"w{i:03d}.yaml", visit)
        wait_for(lambda: len(list((ws / "przetworzone").iterdir())) == count + 1, timeout=600)
        first.send_signal(signal.SIGKILL)  # the standby takes over what might still come
        first.wait(timeout=30)
        _drop(
            ws,
            "w_po.yaml",
            form(VISIT, data="2026-05-01", ustalenia=[], przebieg="Wizyta numer 201."),
        )
        wait_for(lambda: (ws / "przetworzone" / "w_po.yaml").is_file(), timeout=60)
    finally:
        stop(second)
    _assert_exactly_once(ws, [f"w{i:03d}.yaml" for i in range(count)] + ["w_po.yaml"])


def test_sigterm_finishes_the_file_in_progress_and_leaves_the_rest(family_only: Path) -> None:
    ws = family_only
    count = 60
    for i, visit in enumerate(_visits(count)):
        write_yaml(ws / "wejscie" / f"w{i:03d}.yaml", visit)
    watcher = start(ws)
    wait_for(lambda: len(list((ws / "przetworzone").iterdir())) > 5, timeout=60)
    assert stop(watcher) == 0
    waiting = {p.name for p in (ws / "wejscie").glob("*.yaml")}
    done = {p.name for p in (ws / "przetworzone").iterdir()} - {"metryczka.yaml"}
    assert waiting and done and waiting | done == {f"w{i:03d}.yaml" for i in range(count)}
    assert not (ws / ".w_toku").exists() or not list((ws / ".w_toku").rglob("*.yaml"))
    shard = stored(ws, "gops_ar_3_2026")
    assert len(
        [r for r in shard["rekordy"].values() if r["formularz"] == "protokol_wizyty"]
    ) == len(done)
    assert len(list((ws / "dokumenty" / CASE).glob("*.docx"))) == len(done) + 1


def test_a_file_claimed_by_a_killed_service_goes_back_to_the_queue(family_only: Path) -> None:
    ws = family_only
    claims = ".w_toku"
    abandoned = ws / claims / "inny-komputer-123" / "w.yaml"
    abandoned.parent.mkdir(parents=True)
    write_yaml(abandoned, VISIT)
    result = run_once(ws, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ws / "przetworzone" / "w.yaml").is_file()
    assert not list((ws / claims).rglob("*"))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_stability_tracker_waits_for_size_and_mtime_to_settle(tmp_path: Path) -> None:
    clock = FakeClock()
    tracker = StabilityTracker(settle=2.0, clock=clock)
    path = tmp_path / "f.yaml"
    path.write_text("a")
    tracker.touch(path)
    clock.now = 1.9
    assert tracker.ready() == []
    path.write_text("ab")  # still growing: the clock starts again
    clock.now = 3.0
    assert tracker.ready() == []
    clock.now = 5.1
    assert tracker.ready() == [path]
    assert tracker.ready() == []  # handed over once


def test_a_file_its_writer_closed_goes_at_once_but_only_if_nothing_holds_or_changes_it(
    tmp_path: Path,
) -> None:
    """A close-after-write event says the file is complete: no settling, but the other checks
    stand (a writer still holding it, a change after the event). A creation is taken as a file
    moved in whole only when the system answers for sure that nobody writes it; otherwise (a
    writer of another user, a system that cannot tell) it settles."""
    clock = FakeClock()
    held: set[Path] = set()
    unsure: set[Path] = set()
    tracker = StabilityTracker(
        settle=2.0,
        clock=clock,
        busy=lambda p: p in held,
        surely_idle=lambda p: p not in held and p not in unsure,
    )
    closed, growing = tmp_path / "closed.yaml", tmp_path / "growing.yaml"
    moved_in, being_written = tmp_path / "moved.yaml", tmp_path / "written.yaml"
    for path in (closed, growing, moved_in, being_written):
        path.write_text("a")
    held.add(closed)
    unsure.add(being_written)
    tracker.touch(closed, event="closed")
    tracker.touch(growing, event="closed")
    tracker.touch(moved_in, event="created")
    tracker.touch(being_written, event="created")
    growing.write_text("ab")  # written again after the event: it settles like any other
    assert tracker.ready() == [moved_in]  # the closed one is still held by another writer
    held.clear()
    assert tracker.ready() == [closed]
    clock.now = 2.1
    assert sorted(tracker.ready()) == [growing, being_written]


def test_stability_tracker_forgets_removed_files(tmp_path: Path) -> None:
    clock = FakeClock()
    tracker = StabilityTracker(settle=0.5, clock=clock)
    path = tmp_path / "f.yaml"
    path.write_text("a")
    tracker.touch(path)
    path.unlink()
    clock.now = 10
    assert tracker.ready() == [] and len(tracker) == 0
