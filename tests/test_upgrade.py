"""A workspace written by the first release opens in this one (issue 15).

`fixtures/workspace_release1.zip` was made by the release before the case history (commit
000d39c): two families ingested through its `asystent ingest`, one visit corrected, and the
office's copies of that release's templates in `szablony/`. Opened now, its store is upgraded once
with a backup kept, `check` says so and finds nothing wrong, and regenerating every document with
the office's templates gives the same text (and, by content, the same documents).
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from conftest import docx_text, run, write_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "workspace_release1.zip"


@pytest.fixture
def old_ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    with zipfile.ZipFile(FIXTURE) as archive:
        archive.extractall(root)
    for folder in [root / "dane", *(p for p in (root / "dane").rglob("*") if p.is_dir())]:
        os.chmod(folder, 0o700)
    return root


def texts(ws: Path) -> dict[str, str]:
    return {
        str(p.relative_to(ws)): docx_text(p) for p in sorted((ws / "dokumenty").rglob("*.docx"))
    }


def test_the_first_releases_workspace_is_upgraded_once_with_a_backup(old_ws: Path) -> None:
    ws = old_ws
    originals = {p.name: p.read_bytes() for p in (ws / "dane" / "sprawy").glob("*.json")}
    assert not (ws / "dane" / "wersja.json").exists()
    before = texts(ws)
    result = run("check", "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert "Magazyn danych zaktualizowano z wersji 1 do 2" in result.output
    assert "plików spraw: 2" in result.output
    backups = list((ws / "dane" / "kopie").glob("przed_wersja_2_*/sprawy"))
    assert len(backups) == 1
    assert {p.name: p.read_bytes() for p in backups[0].glob("*.json")} == originals
    assert json.loads((ws / "dane" / "wersja.json").read_text()) == {"wersja": 2}
    for shard in (ws / "dane" / "sprawy").glob("*.json"):
        records = json.loads(shard.read_text())["rekordy"].values()
        assert {r["wersja_schematu"] for r in records} == {2}
    # Opened again: nothing more to do, and check tells the same single upgrade.
    again = run("check", "--workspace", ws)
    assert again.exit_code == 0 and again.output.count("zaktualizowano") == 1
    assert len(list((ws / "dane" / "kopie").iterdir())) == 1
    # The same documents, by their text, after regenerating every one.
    generated = run("generate", "--workspace", ws, "--all")
    assert generated.exit_code == 0, generated.output
    assert "nowa wersja" not in generated.output and "bez zmian" in generated.output
    assert texts(ws) == before


def test_an_upgraded_case_goes_on_as_before(old_ws: Path, tmp_path: Path) -> None:
    ws = old_ws
    visit = {
        "formularz": "protokol_wizyty",
        "sprawa": "MOPS.AR.4011.12.2026",
        "data": "2026-03-03",
        "godzina_od": "16:00",
        "godzina_do": "17:00",
        "obecni": ["Katarzyna Nowak", "Anna Wiśniewska"],
        "cel_wizyty": "Budżet domowy",
        "przebieg": "Rozmowa o rachunkach.",
        "ustalenia": [],
    }
    result = run("ingest", "--workspace", ws, write_yaml(tmp_path / "w.yaml", visit))
    assert result.exit_code == 0, result.output
    text = docx_text(ws / "dokumenty" / "MOPS.AR.4011.12.2026" / "protokol_wizyty_2026-03-03.docx")
    assert "Rozmowa o rachunkach." in text and "Anna Wiśniewska" in text
    shown = run("show", "--workspace", ws, "MOPS.AR.4011.12.2026", "--historia")
    assert shown.exit_code == 0
    assert "zastąpiony nowszą wersją" in shown.output  # the corrected visit's first version
    families = run("families", "--workspace", ws)
    assert "OPS/AR/7/2026" in families.output and "zakończona 2026-11-06" in families.output
    assert (
        run("report", "--workspace", ws, "--od", "2026-01-01", "--do", "2026-06-30").exit_code == 0
    )
    assert run("check", "--workspace", ws).exit_code == 0
