"""`asystent demo`: a workspace filled from `sample_data/`, to see the whole flow in a minute.

Every sample family's forms go through the real pipeline; the deliberately wrong samples in
`sample_data/bledne/` must be rejected. The demo succeeds when every sample went as intended.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from records.fsutil import atomic_write
from records.kept_facts import all_facts
from records.pipeline import ACCEPTED, DUPLICATE, REJECTED, Outcome, Pipeline
from records.reports import build_report, write_csv, write_docx
from records.resources import data_dir
from records.settings import CONFIG_NAME, Workspace, init_workspace, load_workspace
from records.store import open_store

WRONG_SAMPLES = "bledne"

DEMO_CONFIG = """\
# Ustawienia ośrodka demonstracyjnego (dane fikcyjne).
[osrodek]
nazwa = "Miejski Ośrodek Pomocy Społecznej w Przykładowie (dane demonstracyjne)"
adres = "ul. Słoneczna 12, 64-100 Przykładowo"
miejscowosc = "Przykładowo"
kierownik = "Barbara Przykładowa"

[archiwum]
# Przykładowa klasyfikacja; ośrodek wpisuje symbol i kategorię ze swojego wykazu akt.
symbol_jrwa = "4011"
haslo_jrwa = "Asystent rodziny – akta rodzin (dane demonstracyjne)"
kategoria = "B10"

[monitorowanie]
# Zakończenie pracy bez daty monitorowania: monitorowanie przez 3 miesiące.
miesiace = 3
dni_bez_kontaktu = 30

# Rejestr asystentów: Anna Wiśniewska na umowę o pracę, Marek Nowicki na umowę zlecenia.
[[zatrudnienie]]
asystent = "Anna Wiśniewska"
forma = "umowa_o_prace"
etat = 1
od = 2024-01-01
koszt_miesieczny = "7850,00"

[[zatrudnienie]]
asystent = "Marek Nowicki"
forma = "umowa_zlecenie"
od = 2025-09-01
stawka_godzinowa = "45,00"
"""


@dataclass
class DemoResult:
    root: Path
    outcomes: list[tuple[Outcome, bool]]  # each outcome, and whether it was the intended one
    reports: list[Path]  # the activity report for the samples' year, as .docx and .csv

    @property
    def ok(self) -> bool:
        return all(intended for _, intended in self.outcomes)


def run_demo(root: Path) -> DemoResult:
    config = root / CONFIG_NAME
    if not config.exists():  # a fresh demo: a fictional office; an existing workspace keeps its own
        atomic_write(config, DEMO_CONFIG.encode("utf-8"))
    root, _ = init_workspace(root)
    ws = load_workspace(root)
    samples = data_dir("sample_data")
    copied: list[tuple[Path, bool]] = []
    for source in sorted(samples.rglob("*")):
        if source.is_file() and source.suffix in (
            ".yaml",
            ".yml",
            ".json",
            ".docx",
            ".jpg",
            ".pdf",
        ):
            relative = source.relative_to(samples)
            target = ws.inbox / relative.parent.name / relative.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied.append((target, relative.parts[0] == WRONG_SAMPLES))
    wrong = {path for path, is_wrong in copied if is_wrong}
    outcomes = Pipeline(ws, command="demo").process_many([path for path, _ in copied])
    _remove_empty_folders(ws.inbox)
    return DemoResult(
        root,
        [
            (o, o.status == REJECTED if o.source in wrong else o.status in (ACCEPTED, DUPLICATE))
            for o in outcomes
        ],
        _year_report(ws),
    )


def _year_report(ws: Workspace) -> list[Path]:
    """The report for the calendar year of the newest sample visit, in both formats."""
    cases = all_facts(open_store(ws))
    if not cases:
        return []
    year = max((v.data for c in cases for v in c.visits), default=dt.date.today()).year
    report = build_report(
        ws, cases, dt.date(year, 1, 1), dt.date(year, 12, 31), today=dt.date.today()
    )
    return [write_docx(ws, report)[0], write_csv(ws, report)[0]]


def _remove_empty_folders(inbox: Path) -> None:
    for folder in sorted(inbox.rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
