"""The two stores side by side at an office's and a county's scale: TinyDB files and PostgreSQL.

For 50,000 and 1,000,000 records (families of 25 forms: the fact sheet and 24 visit protocols)
prints, for each backend: storing one more record and reading one case (median ms, in-process),
and the `families` list and the whole office's `alerts` as a user runs them (a new process,
seconds), the first run building the facts of every case, the second reading the saved ones.
Records are loaded in bulk (the TinyDB case files written whole, PostgreSQL by COPY), as a
restore or a migration would leave them. PostgreSQL is a throwaway cluster of tests/pg.py with
fsync on, on this machine's disk.

    python bench/backends.py [SIZE ...]        (default 50000 1000000)
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

from common import stored_record, stored_values, write_families
from installed import as_installed

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from pg import start_cluster

from records.identity import case_key
from records.settings import init_workspace, load_workspace
from records.store import Record, open_store

PER_CASE = 25
START = dt.date(2026, 1, 15)


def families(cases: int) -> dict[str, list[dt.date]]:
    return {
        f"AR.4011.{n + 1}.2026": [
            START + dt.timedelta(days=7 * v + n % 7) for v in range(PER_CASE - 1)
        ]
        for n in range(cases)
    }


def load_postgresql(url: str, visits: dict[str, list[dt.date]]) -> None:
    """The same records as `write_families`, by COPY (one transaction)."""
    import msgspec
    import psycopg

    encode = msgspec.json.Encoder(order="sorted").encode
    family = stored_values("metryczka_rodziny")
    visit = stored_values("protokol_wizyty", nastepna_wizyta=None, ustalenia=[])
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy("COPY asystent.sprawy (klucz, zmiana) FROM STDIN") as copy:
            for number, sprawa in enumerate(visits, start=1):
                copy.write_row((case_key(sprawa), number))
        with cur.copy("COPY asystent.rekordy (klucz, nr, tresc) FROM STDIN") as copy:
            for sprawa, days in visits.items():
                key = case_key(sprawa)
                copy.write_row(
                    (
                        key,
                        1,
                        encode(
                            stored_record("metryczka_rodziny", sprawa, family, "metryczka_rodziny")
                        ).decode(),
                    )
                )
                for n, day in enumerate(days, start=2):
                    values = visit | {"data": day.isoformat()}
                    record = stored_record(
                        "protokol_wizyty", sprawa, values, f"protokol_wizyty:{day}T16:00"
                    )
                    copy.write_row((key, n, encode(record).decode()))
        cur.execute("SELECT setval('asystent.zmiany', %s)", (len(visits) + 1,))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE asystent.rekordy")
        conn.execute("VACUUM ANALYZE asystent.sprawy")


def median_ms(action, repeat: int = 21) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def command_s(root: Path, *args: str) -> float:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "records", *args, "--workspace", str(root)],
        stdout=subprocess.DEVNULL,
        env=as_installed(),
        check=False,
    )
    if done.returncode not in (0, 1):  # alerts exit 1 when something is overdue
        raise SystemExit(f"{args[0]} failed ({done.returncode})")
    return time.perf_counter() - began


def measure(root: Path, sprawa: str) -> list[str]:
    store = open_store(load_workspace(root))
    counter = iter(range(10**9))
    visit = stored_values("protokol_wizyty", nastepna_wizyta=None, ustalenia=[])

    def store_one() -> None:
        n = next(counter)
        store.add_record(Record(**stored_record("protokol_wizyty", sprawa, visit, f"nowa:{n}")))

    write = median_ms(store_one)
    read = median_ms(lambda: store.read_case(sprawa))
    figures = [f"{write:7.2f} ms", f"{read:7.2f} ms"]
    for args in (("families",), ("alerts", "--na-dzien", "2026-12-01")):
        figures.append(f"{command_s(root, *args):6.2f} s / {command_s(root, *args):5.2f} s")
    return figures


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or [50_000, 1_000_000]
    cluster = start_cluster(durable=True)
    print(
        f"{'records':>9} {'store':<10} | {'store one':>10} {'read case':>10} | "
        f"{'families (built / saved)':>24} | {'alerts (built / saved)':>22}"
    )
    try:
        for size in sizes:
            cases = size // PER_CASE
            visits = families(cases)
            middle = list(visits)[cases // 2]
            with tempfile.TemporaryDirectory() as folder:
                tiny = Path(folder) / "tinydb"
                init_workspace(tiny)
                write_families(load_workspace(tiny), visits)
                rows = measure(tiny, middle)
                print(
                    f"{size:>9} {'TinyDB':<10} | {rows[0]:>10} {rows[1]:>10} | {rows[2]:>24} | {rows[3]:>22}"
                )
                pg = Path(folder) / "postgresql"
                init_workspace(pg)
                url = cluster.url(cluster.office("bench"))
                config = pg / "asystent.toml"
                config.write_text(
                    config.read_text(encoding="utf-8") + f'\n[magazyn]\nadres = "{url}"\n',
                    encoding="utf-8",
                )
                load_postgresql(url, visits)
                rows = measure(pg, middle)
                print(
                    f"{size:>9} {'PostgreSQL':<10} | {rows[0]:>10} {rows[1]:>10} | {rows[2]:>24} | {rows[3]:>22}"
                )
    finally:
        cluster.stop()


if __name__ == "__main__":
    os.environ.pop("ASYSTENT_MAGAZYN", None)
    main()
