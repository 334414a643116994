"""The records store at an office's scale, beside a plain single-file TinyDB doing the same work.

For 1,000, 10,000 and 50,000 stored records (families of ~100 visit protocols of ~2 KB each),
prints the median time to store one more protocol and to read one whole case; then the same
for one case of 1,000 records (ten such cases in the office). Both stores are built in bulk
(inserting 50,000 records one at a time into plain TinyDB would take hours), then timed on
single operations. Goals: under 20 ms for both at 50,000, at least 50x faster than plain (the
first release); storing one under 2 ms at any case size up to 1,000 records (issue 20).

    python bench/store.py [SIZE ...]

The two backends side by side at an office's and a county's scale, TinyDB files and PostgreSQL:

    python bench/store.py postgresql [SIZE ...]        (default 50000 1000000)

For each size (families of 25 forms: the fact sheet and 24 visit protocols) and backend it
prints storing one more record and reading one case (median ms, in-process), and the
`families` list and the whole office's `alerts` as a user runs them (a new process, seconds):
the first run builds the facts of every case, the second reads the saved ones. Records are
loaded in bulk (TinyDB case files written whole, PostgreSQL by COPY), as a restore or a migration
would leave them. PostgreSQL is a throwaway cluster (tests/pg.py) with fsync on, on this disk.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import stored_record, stored_values, write_families
from installed import as_installed
from tinydb import Query, TinyDB

from records.models import case_key
from records.settings import init_workspace, load_workspace
from records.store import AtomicJSONStorage, Record, TinyStore, new_record_id, now, open_store

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

PER_CASE = 100
LARGEST_CASE = 1_000  # issue 20: under 2 ms "at any case size up to 1,000 records"
TEXT = "Omówiono wydatki z ostatniego tygodnia i plan zakupów; syn pokazał zeszyty szkolne. " * 18


def visit(case: str, number: int) -> dict:
    return Record(
        id=new_record_id(),
        formularz="protokol_wizyty",
        sprawa=case,
        klucz=f"protokol_wizyty:{number}",
        dane={"sprawa": case, "data": "2026-03-02", "godzina_od": "16:00", "przebieg": TEXT},
        zrodlo={"plik": f"wizyta_{number}.yaml", "sha256": f"{number:064d}"},
        przyjeto=now(),
        polecenie="bench",
    ).__dict__


def build(size: int, root: Path, per_case: int) -> tuple[TinyStore, Path, list[str]]:
    cases = [f"AR.4011.{n}.2026" for n in range(size // per_case)]
    store = TinyStore(root / "dane")
    everything: dict[str, dict] = {}
    for case in cases:
        records = {str(i + 1): visit(case, i) for i in range(per_case)}
        AtomicJSONStorage(str(root / "dane" / "sprawy" / f"{case_key(case)}.json")).write(
            {"rekordy": records}
        )
        everything.update({f"{case}-{k}": v for k, v in records.items()})
    plain = root / "plain.json"
    plain.write_text(
        json.dumps({"rekordy": {str(i + 1): v for i, v in enumerate(everything.values())}})
    )
    return store, plain, cases


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def measure(size: int, per_case: int = PER_CASE) -> tuple[float, float, float, float]:
    """Median ms: (ours store one, plain store one, ours read case, plain read case)."""
    with tempfile.TemporaryDirectory() as folder:
        store, plain_path, cases = build(size, Path(folder), per_case)
        case = cases[len(cases) // 2]
        counter = iter(range(10**9))
        ours_write = timed(
            lambda: store.add_record(Record(**visit(case, per_case + next(counter)))), 21
        )
        ours_read = timed(lambda: store.read_case(case), 21)
        repeat = 3 if size >= 10_000 else 7

        def plain_insert() -> None:
            with TinyDB(str(plain_path)) as plain:
                plain.table("rekordy").insert(visit(case, per_case + next(counter)))

        def plain_search() -> None:  # a fresh open, as a command does: no warm query cache
            with TinyDB(str(plain_path)) as plain:
                plain.table("rekordy").search(Query().sprawa == case)

        plain_write = timed(plain_insert, repeat)
        plain_read = timed(plain_search, repeat)
    return ours_write, plain_write, ours_read, plain_read


def main() -> None:
    if sys.argv[1:2] == ["postgresql"]:
        compare_backends([int(s) for s in sys.argv[2:]] or [50_000, 1_000_000])
        return
    sizes = [int(s) for s in sys.argv[1:]] or [1_000, 10_000, 50_000]
    print(
        f"{'records':>8} {'per case':>8} | {'store one (ms)':>15} {'plain':>9} {'x':>6} | "
        f"{'read case (ms)':>15} {'plain':>9} {'x':>6}"
    )
    # the office's sizes with cases of 100 records, then one of the goal's largest cases
    for size, per_case in [*((size, PER_CASE) for size in sizes), (10_000, LARGEST_CASE)]:
        ours_write, plain_write, ours_read, plain_read = measure(size, per_case)
        print(
            f"{size:>8} {per_case:>8} | {ours_write:>15.1f} {plain_write:>9.1f} "
            f"{plain_write / ours_write:>6.0f} | "
            f"{ours_read:>15.1f} {plain_read:>9.1f} {plain_read / ours_read:>6.0f}"
        )


FAMILY_FORMS = 25
START = dt.date(2026, 1, 15)


def office(cases: int) -> dict[str, list[dt.date]]:
    return {
        f"AR.4011.{n + 1}.2026": [
            START + dt.timedelta(days=7 * v + n % 7) for v in range(FAMILY_FORMS - 1)
        ]
        for n in range(cases)
    }


def load_postgresql(url: str, visits: dict[str, list[dt.date]]) -> None:
    """The same records as `write_families`, in one transaction (COPY FROM is refused on tables
    with row-level security; psycopg's executemany pipelines the inserts)."""
    import msgspec
    import psycopg

    encode = msgspec.json.Encoder(order="sorted").encode
    family = stored_values("metryczka_rodziny")
    visit = stored_values("protokol_wizyty", nastepna_wizyta=None, ustalenia=[])
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO asystent.sprawy (klucz, zmiana) VALUES (%s, %s)",
            [(case_key(sprawa), n) for n, sprawa in enumerate(visits, start=1)],
        )
        rows = []
        for sprawa, days in visits.items():
            key = case_key(sprawa)
            sheet = stored_record("metryczka_rodziny", sprawa, family, "metryczka_rodziny")
            rows.append((key, 1, encode(sheet).decode()))
            for n, day in enumerate(days, start=2):
                values = visit | {"data": day.isoformat()}
                record = stored_record("protokol_wizyty", sprawa, values, f"wizyta:{day}")
                rows.append((key, n, encode(record).decode()))
            if len(rows) >= 20_000:
                cur.executemany("INSERT INTO asystent.rekordy VALUES (DEFAULT, %s, %s, %s)", rows)
                rows = []
        cur.executemany("INSERT INTO asystent.rekordy VALUES (DEFAULT, %s, %s, %s)", rows)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE asystent.rekordy")
        conn.execute("VACUUM ANALYZE asystent.sprawy")


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


def measure_backend(root: Path, sprawa: str) -> list[str]:
    store = open_store(load_workspace(root))
    counter = iter(range(10**9))
    visit = stored_values("protokol_wizyty", nastepna_wizyta=None, ustalenia=[])

    def store_one() -> None:
        n = next(counter)
        store.add_record(Record(**stored_record("protokol_wizyty", sprawa, visit, f"nowa:{n}")))

    write = timed(store_one, 21)
    read = timed(lambda: store.read_case(sprawa), 21)
    figures = [f"{write:7.2f} ms", f"{read:7.2f} ms"]
    for args in (("families",), ("alerts", "--na-dzien", "2026-12-01")):
        forget_facts(root)
        figures.append(f"{command_s(root, *args):6.2f} s / {command_s(root, *args):5.2f} s")
    return figures


def forget_facts(root: Path) -> None:
    """As a restore from backup leaves the store: records without saved facts."""
    address = load_workspace(root).settings.magazyn.adres
    if address:
        import psycopg

        with psycopg.connect(address, autocommit=True) as conn:
            conn.execute("DELETE FROM asystent.fakty")
    for saved in (root / "dane" / "fakty").glob("*.json"):
        saved.unlink()


def compare_backends(sizes: list[int]) -> None:
    from pg import start_cluster  # the tests' throwaway cluster

    os.environ.pop("ASYSTENT_MAGAZYN", None)
    cluster = start_cluster(durable=True)
    print(
        f"{'records':>9} {'store':<10} | {'store one':>10} {'read case':>10} | "
        f"{'families (built / saved)':>24} | {'alerts (built / saved)':>22}"
    )
    try:
        for size in sizes:
            cases = size // FAMILY_FORMS
            visits = office(cases)
            middle = list(visits)[cases // 2]
            with tempfile.TemporaryDirectory() as folder:
                tiny = Path(folder) / "tinydb"
                init_workspace(tiny)
                write_families(load_workspace(tiny), visits)
                rows = measure_backend(tiny, middle)
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
                rows = measure_backend(pg, middle)
                print(
                    f"{size:>9} {'PostgreSQL':<10} | {rows[0]:>10} {rows[1]:>10} | {rows[2]:>24} | {rows[3]:>22}"
                )
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
