"""The records store at an office's scale, beside a plain single-file TinyDB doing the same work.

For 1,000, 10,000 and 50,000 stored records (families of ~100 visit protocols of ~2 KB each),
prints the median time to store one more protocol and to read one whole case. Both stores are
built in bulk (inserting 50,000 records one at a time into plain TinyDB would take hours), then
timed on single operations. Goal: under 20 ms for both at 50,000, at least 50x faster than plain.

    python bench/store.py [SIZE ...]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tinydb import Query, TinyDB

from records.models import case_key
from records.store import AtomicJSONStorage, Record, TinyStore, new_record_id, now

PER_CASE = 100
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


def build(size: int, root: Path) -> tuple[TinyStore, Path, list[str]]:
    cases = [f"AR.4011.{n}.2026" for n in range(size // PER_CASE)]
    store = TinyStore(root / "dane")
    everything: dict[str, dict] = {}
    for case in cases:
        records = {str(i + 1): visit(case, i) for i in range(PER_CASE)}
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


def measure(size: int) -> tuple[float, float, float, float]:
    """Median ms: (ours store one, plain store one, ours read case, plain read case)."""
    with tempfile.TemporaryDirectory() as folder:
        store, plain_path, cases = build(size, Path(folder))
        case = cases[len(cases) // 2]
        counter = iter(range(10**9))
        ours_write = timed(
            lambda: store.add_record(Record(**visit(case, PER_CASE + next(counter)))), 21
        )
        ours_read = timed(lambda: store.read_case(case), 21)
        repeat = 3 if size >= 10_000 else 7

        def plain_insert() -> None:
            with TinyDB(str(plain_path)) as plain:
                plain.table("rekordy").insert(visit(case, PER_CASE + next(counter)))

        def plain_search() -> None:  # a fresh open, as a command does: no warm query cache
            with TinyDB(str(plain_path)) as plain:
                plain.table("rekordy").search(Query().sprawa == case)

        plain_write = timed(plain_insert, repeat)
        plain_read = timed(plain_search, repeat)
    return ours_write, plain_write, ours_read, plain_read


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or [1_000, 10_000, 50_000]
    print(
        f"{'records':>8} | {'store one (ms)':>15} {'plain':>9} {'x':>6} | {'read case (ms)':>15} {'plain':>9} {'x':>6}"
    )
    for size in sizes:
        ours_write, plain_write, ours_read, plain_read = measure(size)
        print(
            f"{size:>8} | {ours_write:>15.1f} {plain_write:>9.1f} {plain_write / ours_write:>6.0f} | "
            f"{ours_read:>15.1f} {plain_read:>9.1f} {plain_read / ours_read:>6.0f}"
        )


if __name__ == "__main__":
    main()
