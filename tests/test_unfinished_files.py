"""A file still being written is never read (issue 14): slow copies with long pauses, copies that
set the final size first (all NUL bytes until the data comes), locally and through a real Samba
share written Explorer-style, with native events and with polling. Every form is processed once,
whole, and none is rejected for being read too early."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import samba
import yaml
from conftest import FAMILY, VISIT, form, run, start_watch, stop_watch, stored, wait_for, write_yaml

CASE = "GOPS_AR_3_2026"
MODES = pytest.mark.parametrize(
    "mode", [[], ["--polling", "--interval", "0.5"]], ids=["native", "polling"]
)


@pytest.fixture
def family(ws: Path, outside: Path) -> Path:
    assert run("ingest", "--workspace", ws, write_yaml(outside / "m.yaml", FAMILY)).exit_code == 0
    return ws


def visit_bytes(day: str, marker: str) -> bytes:
    data = form(
        VISIT, data=day, ustalenia=[], przebieg=f"Początek. {'Treść wizyty. ' * 30}{marker}"
    )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def stored_visits(ws: Path) -> dict[str, str]:
    shard = stored(ws, f"{CASE.lower()}")
    return {
        r["dane"]["data"]: r["dane"]["przebieg"]
        for r in shard["rekordy"].values()
        if r["formularz"] == "protokol_wizyty"
    }


def _slow_local_copy(target: Path, data: bytes, *, presize: bool, pause: float) -> None:
    with open(target, "wb") as handle:
        if presize:  # the final size first: the file reads as NUL bytes
            handle.truncate(len(data))
            handle.flush()
            time.sleep(pause)
            handle.seek(0)
        for start in range(0, len(data), 200):
            handle.write(data[start : start + 200])
            handle.flush()
            time.sleep(pause)


@MODES
@pytest.mark.parametrize("presize", [False, True], ids=["appending", "final_size_first"])
def test_a_local_copy_with_long_pauses_is_read_only_when_finished(
    family: Path, mode: list[str], presize: bool
) -> None:
    ws = family
    watcher = start_watch(ws, *mode)
    try:
        time.sleep(1.0)
        data = visit_bytes("2026-02-20", "KONIEC")
        pause = 2.6 if mode else 1.3  # longer than the settling time of either mode
        _slow_local_copy(ws / "wejscie" / "wizyta.yaml", data, presize=presize, pause=pause)
        wait_for(lambda: (ws / "przetworzone" / "wizyta.yaml").is_file(), timeout=60)
    finally:
        assert stop_watch(watcher) == 0
    assert stored_visits(ws)["2026-02-20"].endswith("KONIEC")
    assert not any((ws / "odrzucone").iterdir())


pytestmark_samba = pytest.mark.skipif(not samba.available(), reason="Samba needs smbd and root")


@pytestmark_samba
@MODES
def test_forms_copied_through_a_samba_share_explorer_style_are_each_processed_once(
    family: Path, tmp_path: Path, mode: list[str]
) -> None:
    ws = family
    days = [f"2026-02-{day}" for day in range(20, 26)]
    with samba.samba_share(ws / "wejscie", tmp_path / "samba") as share:
        watcher = start_watch(ws, *mode)
        try:
            time.sleep(1.0)
            copies = [
                threading.Thread(
                    target=samba.copy_like_explorer,
                    args=(share, f"wizyta_{day}.yaml", visit_bytes(day, f"KONIEC {day}")),
                    kwargs={"chunk": 300, "pause": 1.2 if not mode else 2.4},
                )
                for day in days
            ]
            for copy in copies:
                copy.start()
                time.sleep(0.3)
            for copy in copies:
                copy.join(timeout=120)
            wait_for(lambda: len(list((ws / "przetworzone").glob("wizyta_*"))) == len(days), 90)
            time.sleep(1.0)
        finally:
            assert stop_watch(watcher) == 0
    visits = stored_visits(ws)
    assert sorted(visits) == days
    for day in days:
        assert visits[day].endswith(f"KONIEC {day}")  # whole, never read half-way
    assert not any((ws / "odrzucone").iterdir())  # none read early and rejected as NUL bytes
    assert len(list((ws / "dokumenty" / CASE).glob("protokol_wizyty_*.docx"))) == len(days)
