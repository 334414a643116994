"""The case page of the web interface at an office's scale.

50,000 stored records: 250 families of 200 forms each (a fact sheet and 199 visit protocols,
the target family a fact sheet and 200 visits), written straight into the store's files as the
pipeline would leave them. The real `asystent serve` runs in its own process on a local port and the case page
of the target family is fetched over HTTP, logged in, as a browser would. Prints the median and
95th percentile. Goal: under 100 ms.

    python bench/web.py [REQUESTS]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import serving, write_families

from records.accounts import Users
from records.settings import init_workspace, load_workspace

CASES, PER_CASE = 250, 200
TARGET = "AR.4011.1.2026"


def build(root: Path) -> None:
    init_workspace(root)
    ws = load_workspace(root)
    start = dt.date(2026, 1, 15)
    visits = {}
    for number in range(CASES):
        sprawa = f"AR.4011.{number + 1}.2026"
        count = PER_CASE if sprawa == TARGET else PER_CASE - 1
        visits[sprawa] = [start + dt.timedelta(days=1 + v) for v in range(count)]
    write_families(ws, visits)
    Users(ws).add("szef", "kierownik", "Kierownik", "haslo-do-testu")


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        began = time.perf_counter()
        build(root)
        print(f"built {CASES * PER_CASE:,} records in {time.perf_counter() - began:.1f} s")
        with serving(root, "szef", "haslo-do-testu") as served:
            print(f"login and first families page (every case read once): {served.login_ms:.0f} ms")
            url = f"/sprawa/{TARGET}"
            body = served.opener.open(served.base + url).read().decode()
            assert body.count("<time>") == PER_CASE, "the case page must list every visit"
            times = sorted(served.get_ms(url) for _ in range(requests))
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            print(
                f"case page, {PER_CASE} visits, {CASES * PER_CASE:,} records stored: "
                f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms ({requests} requests)"
            )
            for name, path in (("families page", "/"), ("deadlines page", "/terminy")):
                median = statistics.median(served.get_ms(path) for _ in range(10))
                print(f"{name}, {CASES} families: median {median:.0f} ms")


if __name__ == "__main__":
    main()
