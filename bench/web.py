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
import http.cookiejar
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import write_families

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
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(  # the real service, in its own process as in an office
            [
                sys.executable,
                "-m",
                "records",
                "serve",
                "--workspace",
                str(root),
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = opener.open(f"{base}/logowanie").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = {"login": "szef", "haslo": "haslo-do-testu", "csrf_token": token}
        began = time.perf_counter()  # logging in lands on the families page: the cold cache
        opener.open(f"{base}/logowanie", urllib.parse.urlencode(form).encode()).read()
        cold = (time.perf_counter() - began) * 1000
        print(f"login and first families page (every case read once): {cold:.0f} ms")
        url = f"{base}/sprawa/{TARGET}"
        body = opener.open(url).read().decode()
        assert body.count("<time>") == PER_CASE, "the case page must list every visit"
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            opener.open(url).read()
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"case page, {PER_CASE} visits, {CASES * PER_CASE:,} records stored: "
            f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms ({requests} requests)"
        )
        for name, path in (("families page", "/"), ("deadlines page", "/terminy")):
            times = []
            for _ in range(10):
                began = time.perf_counter()
                opener.open(f"{base}{path}").read()
                times.append((time.perf_counter() - began) * 1000)
            print(f"{name}, {CASES} families: median {statistics.median(times):.0f} ms")
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
