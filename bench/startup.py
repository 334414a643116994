"""How long `asystent` takes to start, and how much memory, one run.

Each command runs N times in a new process (the median is printed) with `--help`, which starts
the program and parses the command line but does no work: the start-up cost every command pays.
The baseline is what each command paid before the command line imported the library lazily: the
same interpreter importing every module the old `records/cli.py` imported at its top (the web
stack and the models included). Goal: under 0.15 s.

    python bench/startup.py [N]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from installed import as_installed

COMMANDS = [["--help"], ["families", "--help"], ["ingest", "--help"], ["generate", "--help"]]
EVERYTHING = (
    "import records.cli, records.accounts, records.archive, records.check, records.demo, "
    "records.documents, records.pipeline, records.reports, records.watch, records.web.app, "
    "records.wordforms.build"
)


def once(args: list[str]) -> tuple[float, float]:
    began = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, env=as_installed())
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - began, usage.ru_maxrss / 1024


def median(args: list[str], runs: int) -> tuple[float, float]:
    results = [once(args) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    base, base_mib = median([sys.executable, "-c", EVERYTHING], runs)
    print(f"baseline (the whole library imported): {base:.3f} s, {base_mib:.0f} MiB")
    for command in COMMANDS:
        took, mib = median([sys.executable, "-m", "records", *command], runs)
        label = "asystent " + " ".join(command)
        print(f"{label:<28} {took:.3f} s, {mib:3.0f} MiB   ratio {base / took:.1f}x")


if __name__ == "__main__":
    main()
