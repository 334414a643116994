"""Time from a file's arrival in wejscie/ to its finished document, with the real `asystent watch`.

Goals: under 2 s on a local disk with native events (SPEC), and a median under 0.5 s for drops back
to back and spaced (issue 20). Each drop is a form moved into wejscie/ whole, as a program saving
elsewhere and moving it in does; the next comes when the previous one's document exists ("back to
back") or a second later. Prints the median and the slowest of N drops for the native observer
and for polling.

    python bench/watch_latency.py [N]
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

SCRIPT = Path(sys.executable).parent / "asystent"
FAMILY = {
    "formularz": "metryczka_rodziny",
    "sprawa": "BENCH/1/2026",
    "asystent": "Anna Wiśniewska",
    "pracownik_socjalny": "Piotr Zając",
    "data_przydzielenia": "2026-01-05",
    "adres": {"ulica": "ul. Lipowa 7", "kod_pocztowy": "59-700", "miejscowosc": "Bolesławiec"},
    "czlonkowie": [
        {"imie": "Ewa", "nazwisko": "Kowalska", "data_urodzenia": "1990-04-02", "rola": "matka"}
    ],
    "problemy": [],
    "instytucje": [],
}


def visit(day: int) -> dict:
    return {
        "formularz": "protokol_wizyty",
        "sprawa": "BENCH/1/2026",
        "data": (dt.date(2026, 1, 5) + dt.timedelta(days=day)).isoformat(),
        "godzina_od": "10:00",
        "godzina_do": "11:00",
        "obecni": ["Ewa Kowalska", "Anna Wiśniewska"],
        "cel_wizyty": "Wizyta",
        "przebieg": "Rozmowa o budżecie domowym.",
        "ustalenia": [],
    }


def measure(mode: list[str], drops: int, spacing: float) -> list[float]:
    root = Path(tempfile.mkdtemp()) / "ws"
    subprocess.run([str(SCRIPT), "init", str(root)], check=True, capture_output=True)
    family = root.parent / "m.yaml"
    family.write_text(yaml.safe_dump(FAMILY, allow_unicode=True), encoding="utf-8")
    subprocess.run(
        [str(SCRIPT), "ingest", "--workspace", str(root), str(family)],
        check=True,
        capture_output=True,
    )
    watcher = subprocess.Popen(
        [str(SCRIPT), "watch", "--workspace", str(root), *mode], stdout=subprocess.DEVNULL
    )
    time.sleep(2)  # let the service start
    times = []
    try:
        for day in range(drops):
            data = visit(day)
            source = root.parent / f"v{day}.yaml"
            source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            document = root / "dokumenty" / "BENCH_1_2026" / f"protokol_wizyty_{data['data']}.docx"
            began = time.perf_counter()
            os.replace(source, root / "wejscie" / source.name)
            while not document.exists():
                time.sleep(0.005)
            times.append(time.perf_counter() - began)
            time.sleep(spacing)
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=30)
    return times


def main() -> None:
    drops = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for label, mode in (
        ("native events", []),
        ("polling 0.5 s", ["--polling", "--interval", "0.5"]),
    ):
        for spacing, how in ((0.0, "back to back"), (1.0, "1 s apart")):
            times = measure(mode, drops, spacing)
            print(
                f"{label:15} {how:13} median {statistics.median(times):.3f} s, "
                f"slowest {max(times):.3f} s ({drops} files)"
            )


if __name__ == "__main__":
    main()
