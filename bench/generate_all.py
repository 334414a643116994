"""`asystent generate --all` end to end, beside a plain docxtpl loop over the same records, one run.

The office: the demo's three families cloned to CASES cases (their records copied under new case
numbers and new record ids, no documents yet). Then, each measured in this run:

1. the baseline: what an office would otherwise script, a plain docxtpl loop that reads every case,
   builds each document's context with asystent's own `build_context` and sandbox, renders with
   `DocxTemplate` and saves the file (no registry, no versions, no audit);
2. `asystent generate --all` as a user runs it (a new process: start-up, records in, documents
   written, registered and audited); the texts of all documents are compared with the baseline's;
3. the same command again with nothing changed (goal: no rendering, well under a second);
4. `asystent ingest` of one visit, alone and started while a full `generate --all` runs: how
   long the batch makes it wait (goal: under 1 s).

    python bench/generate_all.py [CASES]      (default 20; the issue's figures: 20 and 200)
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import text_of
from docxtpl import DocxTemplate
from installed import as_installed

from records.case import Case
from records.demo import run_demo
from records.documents import build_context, select_records
from records.models import case_folder, case_key
from records.render import make_environment
from records.resources import data_dir
from records.settings import load_workspace
from records.store import open_store
from records.templates import template_for

NOWAK_CLONE = "MOPS.AR.4011.901.2026"  # the second clone: the demo's cases sorted by key


def build(root: Path, cases: int) -> Path:
    """The demo workspace with its cases cloned to `cases` cases and no documents."""
    ws = root / "biuro"
    run_demo(ws)
    folder = ws / "dane" / "sprawy"
    originals = sorted(folder.glob("*.json"))
    sources = []
    for path in originals:
        data = json.loads(path.read_text(encoding="utf-8"))
        number = next(iter(data["rekordy"].values()))["sprawa"]
        sources.append((number, data["rekordy"]))
        path.unlink()
    for index in range(cases):
        number, records = sources[index % len(sources)]
        # A new number of the same shape: its last digits before the year become the index.
        new = re.sub(r"(\d+)([./])(\d{4})$", rf"{900 + index}\g<2>\g<3>", number)
        text = json.dumps(records, ensure_ascii=False).replace(number, new)
        for old_id in {r["id"] for r in records.values()}:
            text = text.replace(old_id, uuid.uuid4().hex)
        (folder / f"{case_key(new)}.json").write_text(
            json.dumps({"rekordy": json.loads(text)}, ensure_ascii=False), encoding="utf-8"
        )
    shutil.rmtree(ws / "dokumenty")
    (ws / "dokumenty").mkdir()
    return ws


def plain_loop(ws_root: Path, out: Path) -> tuple[float, dict[str, bytes]]:
    ws = load_workspace(ws_root)
    began = time.perf_counter()
    store = open_store(ws)
    made = {}
    for sprawa, (case, ids) in select_records(store, sprawa=None, kind=None, date=None).items():
        by_id = {r.id: r for r in case.records}
        for record_id in ids:
            record = by_id[record_id]
            document = DocxTemplate(str(template_for(ws, record.formularz)))
            document.render(
                build_context(ws, case, record), jinja_env=make_environment(), autoescape=True
            )
            buffer = io.BytesIO()
            document.save(buffer)
            target = out / case_key(sprawa) / f"{record.id}.docx"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(buffer.getvalue())
            made[f"{case_key(sprawa)}/{record.id}"] = buffer.getvalue()
    return time.perf_counter() - began, made


def generate_all(ws: Path) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "records", "generate", "--all", "--workspace", str(ws)],
        capture_output=True,
        text=True,
        check=True,
        env=as_installed(),
    )
    return time.perf_counter() - began, done.stdout.strip().splitlines()[-1]


def ours(ws_root: Path) -> dict[str, bytes]:
    """Our documents by the same keys as the baseline's (case folder / record id)."""
    store = open_store(load_workspace(ws_root))
    found = {}
    for sprawa in store.case_numbers():
        case = Case.load(store, sprawa)
        assert case is not None
        for entry in case.documents:
            path = ws_root / "dokumenty" / case_folder(sprawa) / entry["nazwa"]
            found[f"{case_key(sprawa)}/{entry['rekord_id']}"] = path
    return {key: path.read_bytes() for key, path in found.items()}


def ingest_alone_and_during_generate(ws: Path, alone: Path, during: Path) -> tuple[float, float]:
    """Seconds `asystent ingest` of one visit takes, as a user runs it (a new process that
    starts its own template worker): first with nothing else running, then while `generate
    --all` re-renders everything on both cores. The difference is what the batch costs it."""
    by_itself = ingest(ws, alone)
    for path in (ws / "dane" / "sprawy").glob("*.json"):  # forget the documents' inputs
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("dokumenty", None)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    runner = subprocess.Popen(
        [sys.executable, "-m", "records", "generate", "--all", "--workspace", str(ws)],
        stdout=subprocess.DEVNULL,
        env=as_installed(),
    )
    time.sleep(1.5)  # well inside the batch
    meanwhile = ingest(ws, during)
    still_running = runner.poll() is None
    runner.wait()
    if not still_running:
        print("  (generate --all ended before the ingest: use more cases)")
    return by_itself, meanwhile


def ingest(ws: Path, visit: Path) -> float:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "records", "ingest", "--workspace", str(ws), str(visit)],
        capture_output=True,
        text=True,
        env=as_installed(),
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"the ingest failed: {done.stdout}{done.stderr}")
    return seconds


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as tmp:
        ws = build(Path(tmp), cases)
        plain_s, plain = plain_loop(ws, Path(tmp) / "plain")
        full_s, said = generate_all(ws)
        mine = ours(ws)
        count = len(plain)
        different = sum(text_of(plain[k]) != text_of(mine.get(k, b"")) for k in plain)
        again_s, said_again = generate_all(ws)
        print(f"{cases} cases, {count} documents; texts differing from the baseline: {different}")
        print(f"plain docxtpl loop:        {plain_s:6.2f} s ({count / plain_s:6.1f} documents/s)")
        print(f"asystent generate --all:   {full_s:6.2f} s ({count / full_s:6.1f} documents/s)")
        print(f"ratio: {plain_s / full_s:.2f}x   ({said})")
        print(f"unchanged re-run:          {again_s:6.2f} s   ({said_again})")
        family = data_dir("sample_data") / "nowak_leszno"
        sample = family / "09_protokol_wizyty_2026-11-12_monitoring.yaml"
        text = sample.read_text(encoding="utf-8").replace("MOPS.AR.4011.12.2026", NOWAK_CLONE)
        visits = []
        for day in ("13", "14"):
            visit = Path(tmp) / f"wizyta_{day}.yaml"
            visit.write_text(text.replace("data: 2026-11-12", f"data: 2026-11-{day}"), "utf-8")
            visits.append(visit)
        alone, during = ingest_alone_and_during_generate(ws, *visits)
        print(
            f"asystent ingest of one visit: {alone:.2f} s alone, {during:.2f} s during a full "
            f"generate --all (waited {max(0.0, during - alone):.2f} s)"
        )
        if different or len(mine) < count:
            sys.exit(1)


if __name__ == "__main__":
    main()
