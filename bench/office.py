"""The office-wide commands at 50,000 records (2,000 families of 25 forms, 14 families to each of
143 assistants, as the Act's limit of 15 makes an office of that size), one run.

`families`, `alerts` and a year's `report` read the facts saved at each case's last write
(`dane/fakty/`), not every record. The records are written straight into the store's files, as
an older release or a restore from backup would leave them: no saved facts yet. So each command
runs twice as a user runs it (a new process): the first builds and saves the facts of every
case (the baseline: what each run cost before facts were kept), the second reads them.
Prints seconds and peak memory of each. Goal for the second: under 0.3 s and 150 MiB. Then
the web's families and deadlines pages, from the real `asystent serve` (goal: the same).
The report is measured as a spreadsheet (its figures) and as the Word document, which also
renders a row for each of the 2,000 families and each deadline (6,000 here: no consents).

    python bench/office.py [CASES]      (default 2000)
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import peak_mib, serving, write_families
from installed import as_installed

from records.accounts import Users
from records.settings import init_workspace, load_workspace

PER_CASE = 25
PER_ASSISTANT = 14  # the Act allows 15 families at once (art. 15 ust. 4): 143 assistants


def build(root: Path, cases: int) -> None:
    init_workspace(root)
    start = dt.date(2026, 1, 15)
    numbers = [f"AR.4011.{number + 1}.2026" for number in range(cases)]
    write_families(
        load_workspace(root),
        {
            sprawa: [start + dt.timedelta(days=7 * v + number % 7) for v in range(PER_CASE - 1)]
            for number, sprawa in enumerate(numbers)
        },
        {sprawa: f"Asystent {n // PER_ASSISTANT + 1}" for n, sprawa in enumerate(numbers)},
    )


def timed(root: Path, *args: str) -> tuple[float, float]:
    """Seconds and peak MiB of one `asystent` command in its own process."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "records", *args, "--workspace", str(root)],
        stdout=subprocess.DEVNULL,
        env=as_installed(),
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # alerts exit 1 when something is overdue
        raise SystemExit(f"{args[0]} failed ({process.returncode})")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        began = time.perf_counter()
        build(root, cases)
        print(
            f"built {cases * PER_CASE:,} records ({cases} cases) in {time.perf_counter() - began:.1f} s"
        )
        commands = {
            "families": ("families",),
            "alerts": ("alerts", "--na-dzien", "2026-12-01"),
            "report (a year)": (
                "report",
                "--od",
                "2026-01-01",
                "--do",
                "2026-12-31",
                "--format",
                "csv",
            ),
            "report, Word": ("report", "--od", "2026-01-01", "--do", "2026-12-31"),
        }
        for name, args in commands.items():
            for saved in (root / "dane" / "fakty").glob("*.json"):  # as if never kept
                saved.unlink()
            cold, cold_mib = timed(root, *args)
            os.sync()  # the facts just saved are a cache, not synced: not the next run's to flush
            warm, warm_mib = timed(root, *args)
            print(
                f"{name:<16} facts built: {cold:5.2f} s {cold_mib:5.0f} MiB   "
                f"facts saved: {warm:5.2f} s {warm_mib:5.0f} MiB   ratio {cold / warm:4.1f}x"
            )
        Users(load_workspace(root)).add("szef", "kierownik", "Kierownik", "haslo-do-testu")
        with serving(root, "szef", "haslo-do-testu") as served:  # the facts are saved by now
            print(f"web: login and first families page {served.login_ms / 1000:5.2f} s")
            for name, path in (("families page", "/"), ("deadlines page", "/terminy")):
                median = statistics.median(served.get_ms(path) for _ in range(10))
                print(f"web: {name:<15} {median / 1000:5.2f} s (median of 10)")
            print(f"web: the service's peak memory {peak_mib(served.pid):.0f} MiB")


if __name__ == "__main__":
    main()
