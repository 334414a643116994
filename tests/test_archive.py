"""Archival packages and erasure (issue 7), on the demo workspace's sample families.

The Zieliński family (OPS/AR/7/2026, closed) is archived, its package checked with the bagit
library itself and tampered with; then the case is erased and every file left in the workspace,
zipped documents opened, is searched for its case number, names and PESEL numbers.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import bagit
import pytest
import yaml
from conftest import (
    FAMILY,
    VISIT,
    audit_lines,
    form,
    run,
    store_digest,
    store_rows,
    tree_digest,
    write_yaml,
)

from records.resources import data_dir
from records.settings import load_workspace
from records.store import open_store
from records.wordforms.build import blank_form, fill_form

CASE = "OPS/AR/7/2026"
FAMILY_DIR = data_dir("sample_data") / "zielinscy_wschowa"
CONFIG = '[archiwum]\nsymbol_jrwa = "4011"\nhaslo_jrwa = "Asystent rodziny"\nkategoria = "B10"\n'


@pytest.fixture
def demo_ws(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    result = run("demo", root)
    assert result.exit_code == 0, result.output
    return root


def package_of(ws: Path) -> Path:
    packages = [p for p in (ws / "archiwum").iterdir() if not p.name.startswith(".")]
    assert len(packages) == 1
    return packages[0]


def test_archive_holds_the_whole_case_and_is_a_valid_bag(demo_ws: Path) -> None:
    result = run("archive", "--workspace", demo_ws, CASE)
    assert result.exit_code == 0, result.output
    package = package_of(demo_ws)
    assert package.name == "OPS_AR_7_2026_" + package.name.rsplit("_", 1)[1]
    bag = bagit.Bag(str(package))
    bag.validate()  # the library's own full check: manifests, checksums, Payload-Oxum
    assert set(bag.algorithms) == {"sha256", "sha512"}
    info = bag.info
    assert info["External-Identifier"] == CASE
    assert info["Symbol-JRWA"] == "4011"
    assert info["Kategoria-Archiwalna"] == "B10"
    # From the first fact sheet to the note that ended the monitoring.
    assert info["Data-Od"] == "2026-03-02" and info["Data-Do"] == "2026-11-27"
    assert info["Przechowywac-Do"] == "2037-01-01"  # B10: 10 full years from 1 January 2027
    assert info["Source-Organization"].startswith("Miejski Ośrodek Pomocy Społecznej")
    data = package / "data"
    # Every original form, byte for byte.
    originals = sorted(
        hashlib.sha256(p.read_bytes()).hexdigest() for p in FAMILY_DIR.glob("*.yaml")
    )
    packed = sorted(
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (data / "formularze").iterdir()
    )
    assert packed == originals
    # Every generated document, identical to the workspace's.
    documents = demo_ws / "dokumenty" / "OPS_AR_7_2026"
    assert tree_digest(data / "dokumenty") == tree_digest(documents)
    # Records with their history, and the audit lines of this case.
    stored = json.loads((data / "rekordy.json").read_text(encoding="utf-8"))
    assert stored["sprawa"] == CASE
    assert len(stored["rekordy"]) == len(originals)
    assert {d["nazwa"] for d in stored["dokumenty"]} == {p.name for p in documents.glob("*.docx")}
    audit = [json.loads(line) for line in (data / "audyt.jsonl").read_text().splitlines()]
    assert audit and all(line["sprawa"] == CASE for line in audit)
    # The index lists every document with its date and kind.
    index = (data / "spis.txt").read_text(encoding="utf-8")
    assert "Symbol JRWA: 4011" in index and "Przechowywać do: 2037-01-01" in index
    assert "2026-03-18  Protokół z wejścia do rodziny  –  protokol_wizyty_2026-03-18.docx" in index
    assert (
        "2026-11-06  Sprawozdanie z zakończenia pracy z rodziną  –  zakonczenie_pracy_2026-11-06.docx"
        in index
    )
    for document in documents.glob("*.docx"):
        assert document.name in index
    # Archiving is on record.
    last = json.loads(audit_lines(demo_ws)[-1])
    assert last["czynnosc"] == "archiwizacja" and last["pakiet"] == package.name
    verified = run("archive", "--verify", package)
    assert verified.exit_code == 0
    assert "jest kompletna, a sumy kontrolne wszystkich plików się zgadzają" in verified.output


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (
            lambda d: d.joinpath("dokumenty", "kontrakt_2026-03-16.docx").write_bytes(b"zmieniony"),
            "Plik data/dokumenty/kontrakt_2026-03-16.docx został zmieniony (nie zgadzają się sumy: sha256, sha512).",
        ),
        (
            lambda d: d.joinpath("spis.txt").unlink(),
            "Brakuje pliku data/spis.txt.",
        ),
        (
            lambda d: d.joinpath("dopisany.txt").write_text("x"),
            "Plik data/dopisany.txt nie należy do paczki (nie ma go w manifeście).",
        ),
        (  # the same size: only the checksums can tell
            lambda d: d.joinpath("rekordy.json").write_bytes(
                d.joinpath("rekordy.json").read_bytes().replace(b"Zieli", b"Zieli".swapcase())
            ),
            "Plik data/rekordy.json został zmieniony",
        ),
    ],
)
def test_verify_names_the_changed_file(demo_ws: Path, tamper, message: str) -> None:
    assert run("archive", "--workspace", demo_ws, CASE).exit_code == 0
    package = package_of(demo_ws)
    tamper(package / "data")
    result = run("archive", "--verify", package)
    assert result.exit_code == 1
    assert message in result.output
    assert "jest NIEPOPRAWNA" in result.output
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(package)).validate()


def test_verify_refuses_what_is_not_a_package(tmp_path: Path) -> None:
    result = run("archive", "--verify", tmp_path)
    assert result.exit_code == 1
    assert "To nie jest poprawna paczka BagIt" in result.output
    assert run("archive", "--verify", tmp_path / "nie_ma").exit_code == 1


def test_open_case_needs_force_and_classification_is_required(
    family_ws: Path, tmp_path: Path
) -> None:
    result = run("archive", "--workspace", family_ws, "GOPS/AR/3/2026")
    assert result.exit_code == 2
    assert "[archiwum]" in result.output and "symbol_jrwa" in result.output
    config = family_ws / "asystent.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace('symbol_jrwa = ""', 'symbol_jrwa = "4011"')
        .replace('kategoria = ""', 'kategoria = "B10"'),
        encoding="utf-8",
    )
    result = run("archive", "--workspace", family_ws, "GOPS/AR/3/2026")
    assert result.exit_code == 2
    assert "nie jest zakończona" in result.output and "--force" in result.output
    assert not [p for p in (family_ws / "archiwum").iterdir()]
    result = run("archive", "--workspace", family_ws, "GOPS/AR/3/2026", "--force")
    assert result.exit_code == 0, result.output
    package = package_of(family_ws)
    bagit.Bag(str(package)).validate()
    assert bagit.Bag(str(package)).info["Zakonczenie-Sprawy"] == "sprawa niezakończona"
    assert run("archive", "--workspace", family_ws, "GOPS/AR/9/2026").exit_code == 1


# -- erasure ---------------------------------------------------------------------------------


def family_traces() -> list[str]:
    """What must not survive: the case number, the members' names and PESEL numbers."""
    sheet = yaml.safe_load((FAMILY_DIR / "01_metryczka_rodziny.yaml").read_text(encoding="utf-8"))
    traces = {CASE, "OPS_AR_7_2026", "ops_ar_7_2026"}
    for member in sheet["czlonkowie"]:
        traces.add(member["nazwisko"])
        traces.add(f"{member['imie']} {member['nazwisko']}")
        if member.get("pesel"):
            traces.add(str(member["pesel"]))
    return sorted(traces)


def contents(path: Path) -> list[bytes]:
    """The file's bytes as UTF-8 and as UTF-16 text, and for a zip (.docx) every readable member
    decompressed, also with its XML tags taken out (Word splits text into runs)."""
    raw = path.read_bytes()
    found = [raw]
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        found.append(raw.decode(encoding, errors="replace").encode("utf-8"))
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                try:
                    part = archive.read(name)
                except (zipfile.BadZipFile, zlib.error):
                    continue
                found += [part, re.sub(rb"<[^>]*>", b"", part)]
    return found


def traces_left(ws: Path, traces: list[str]) -> list[tuple[str, str]]:
    left = []
    encodings = {t: {t.encode(), json.dumps(t)[1:-1].encode()} for t in traces}
    for path in sorted(ws.rglob("*")):
        if not path.is_file():
            continue
        for blob in contents(path):
            for trace, forms in encodings.items():
                if any(f in blob for f in forms):
                    left.append((str(path.relative_to(ws)), trace))
        for trace in traces:
            if trace in str(path.relative_to(ws)):
                left.append((str(path.relative_to(ws)), trace))
    for table, rows in store_rows(ws).items():  # PostgreSQL: the office's rows
        for trace, forms in encodings.items():
            if any(f.decode() in row for f in forms for row in rows):
                left.append((f"postgresql:{table}", trace))
    return sorted(set(left))


def test_erase_leaves_no_trace_of_the_family(demo_ws: Path) -> None:
    traces = family_traces()
    assert len(traces) >= 8
    assert traces_left(demo_ws, traces), "the test must see the family before erasing it"
    assert run("archive", "--workspace", demo_ws, CASE).exit_code == 0
    others = {
        name: tree_digest(demo_ws / "dokumenty" / name)
        for name in ("GOPS.AR.4011.3.2025", "MOPS.AR.4011.12.2026")
    }
    result = run("erase", "--workspace", demo_ws, CASE, input=f"{CASE}\n")
    assert result.exit_code == 0, result.output
    assert "Usunięto dane sprawy" in result.output
    # The demo case ended this year: the administrator is told the file plan says "not yet".
    assert "jeszcze nie teraz: okres przechowywania (kategoria" in result.output
    assert traces_left(demo_ws, traces) == []
    # The other families are untouched and the store, documents and audit chain check out.
    for name, digest in others.items():
        assert tree_digest(demo_ws / "dokumenty" / name) == digest
    families = run("families", "--workspace", demo_ws)
    assert CASE not in families.output and "MOPS.AR.4011.12.2026" in families.output
    checked = run("check", "--workspace", demo_ws)
    assert checked.exit_code == 0, checked.output
    # One audit line records the erasure, under a pseudonym, with counts only.
    last = json.loads(audit_lines(demo_ws)[-1])
    assert last["czynnosc"] == "usuniecie"
    assert last["sprawa"].startswith("usunieta-") and last["rekordow"] == 24
    assert last["zarchiwizowana"] is True
    # Dropping one of its forms again starts from nothing: the case is gone, not a duplicate.
    visit = demo_ws.parent / "04_protokol_wizyty_2026-03-18.yaml"
    shutil.copyfile(FAMILY_DIR / visit.name, visit)  # ingest moves the file it is given
    again = run("ingest", "--workspace", demo_ws, visit)
    assert again.exit_code == 1
    assert "dane tej sprawy zostały usunięte" in again.output


def test_erase_needs_an_archive_and_the_typed_case_number(family_ws: Path) -> None:
    before = store_digest(family_ws)
    result = run("erase", "--workspace", family_ws, "GOPS/AR/3/2026", input="\n")
    assert result.exit_code == 2
    assert "nie została zarchiwizowana" in result.output and "--force" in result.output
    result = run(
        "erase", "--workspace", family_ws, "GOPS/AR/3/2026", "--force", input="GOPS/AR/3/202\n"
    )
    assert result.exit_code == 1
    assert "Nie potwierdzono: niczego nie usunięto." in result.output
    assert store_digest(family_ws) == before
    assert (family_ws / "dokumenty" / "GOPS_AR_3_2026").is_dir()
    result = run(
        "erase", "--workspace", family_ws, "GOPS/AR/3/2026", "--force", input="GOPS/AR/3/2026\n"
    )
    assert result.exit_code == 0, result.output
    assert not (family_ws / "dokumenty" / "GOPS_AR_3_2026").exists()
    assert list((family_ws / "przetworzone").iterdir()) == []
    assert run("show", "--workspace", family_ws, "GOPS/AR/3/2026").exit_code == 1


def test_erase_waits_for_the_service_to_stop(family_ws: Path) -> None:
    before = store_digest(family_ws)
    lease = open_store(load_workspace(family_ws)).lease()  # what a running service holds
    assert lease.acquire(timeout=0)
    try:
        result = run(
            "erase", "--workspace", family_ws, "GOPS/AR/3/2026", "--force", input="GOPS/AR/3/2026\n"
        )
    finally:
        lease.release()
    assert result.exit_code == 1
    assert "Działa usługa asystent watch" in result.output
    assert store_digest(family_ws) == before


def test_erase_takes_the_forms_waiting_or_rejected_for_the_case(
    family_ws: Path, tmp_path: Path
) -> None:
    waiting = write_yaml(family_ws / "wejscie" / "wizyta.yaml", form(VISIT, data="2026-02-24"))
    wrong = write_yaml(tmp_path / "zla.yaml", form(VISIT, godzina_do="09:00"))
    assert run("ingest", "--workspace", family_ws, wrong).exit_code == 1
    other = write_yaml(tmp_path / "inna.yaml", form(FAMILY, sprawa="GOPS/AR/4/2026"))
    assert run("ingest", "--workspace", family_ws, other).exit_code == 0
    result = run(
        "erase", "--workspace", family_ws, "GOPS/AR/3/2026", "--force", input="GOPS/AR/3/2026\n"
    )
    assert result.exit_code == 0, result.output
    assert not waiting.exists()
    assert list((family_ws / "odrzucone").iterdir()) == []
    assert [p.name for p in (family_ws / "przetworzone").iterdir()] == ["inna.yaml"]


def test_erase_reaches_every_copy_and_the_case_never_comes_back(demo_ws: Path) -> None:
    """A rejected UTF-16 form, a rejected (damaged) Word form, a claim of a killed watcher and an
    upload of a killed web server all hold the family's data; none survives the erasure, and
    the claim cannot bring the case back."""
    ws = demo_ws
    traces = family_traces()
    sheet = (FAMILY_DIR / "01_metryczka_rodziny.yaml").read_text(encoding="utf-8")
    broken_yaml = sheet.replace("czlonkowie:", "czlonkowie: [\n", 1)  # a syntax error
    utf16 = ws.parent / "metryczka_utf16.yaml"
    utf16.write_bytes(broken_yaml.encode("utf-16"))
    data = yaml.safe_load(sheet)
    word = fill_form(blank_form("metryczka_rodziny"), data)
    damaged = ws.parent / "metryczka_word.docx"
    damaged.write_bytes(_damage_part(word, "docProps/app.xml"))
    for path in (utf16, damaged):
        assert run("ingest", "--workspace", ws, path).exit_code == 1
    claim = ws / ".w_toku" / "serwer-4242" / "01_metryczka_rodziny.yaml"
    claim.parent.mkdir(parents=True)
    shutil.copyfile(FAMILY_DIR / "01_metryczka_rodziny.yaml", claim)
    upload = ws / "dane" / "wysylane" / "0123456789abcdef" / "metryczka.yaml"
    upload.parent.mkdir(parents=True)
    shutil.copyfile(FAMILY_DIR / "01_metryczka_rodziny.yaml", upload)
    # copies of case files in the store's folder (TinyDB files: a database has no such copies):
    # what an upgrade kept, and a sync conflict's
    files = ws / "dane" / "sprawy"
    kept = ws / "dane" / "kopie" / "przed_wersja_2_20260101-120000" / "sprawy"
    in_files = (files / "ops_ar_7_2026.json").is_file()
    if in_files:
        kept.mkdir(parents=True)
        for name in ("ops_ar_7_2026.json", "mops.ar.4011.12.2026.json"):
            shutil.copyfile(files / name, kept / name)
        shutil.copyfile(files / "ops_ar_7_2026.json", files / "ops_ar_7_2026 (kopia).json")
    assert run("archive", "--workspace", ws, CASE).exit_code == 0
    result = run("erase", "--workspace", ws, CASE, input=f"{CASE}\n")
    assert result.exit_code == 0, result.output
    assert traces_left(ws, traces) == []
    assert not claim.exists() and not upload.exists()
    copies = 2 if in_files else 0
    assert f"kopie pliku sprawy w dane/ (sprzed aktualizacji, pod inną nazwą): {copies}" in (
        result.output
    )
    if in_files:
        assert [p.name for p in kept.iterdir()] == ["mops.ar.4011.12.2026.json"]  # another's
    # The service starts again: nothing comes back, and the case's forms are refused by name.
    finished = subprocess.run(
        [sys.executable, "-m", "records", "watch", "--workspace", str(ws), "--once"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert not (ws / "dane" / "sprawy" / "ops_ar_7_2026.json").exists()
    again = ws.parent / "ponownie.yaml"
    shutil.copyfile(FAMILY_DIR / "01_metryczka_rodziny.yaml", again)
    refused = run("ingest", "--workspace", ws, again)
    assert refused.exit_code == 1
    assert "dane tej sprawy zostały usunięte po upływie okresu przechowywania" in refused.output
    assert not (ws / "dane" / "sprawy" / "ops_ar_7_2026.json").exists()


def test_erase_leaves_other_families_forms_and_log_lines_alone(demo_ws: Path) -> None:
    """The same mother in another family's case (her PESEL in that case's waiting form) and a file
    name every family uses (02_plan_pracy.yaml) are not this case's: they stay."""
    ws = demo_ws
    sheet = yaml.safe_load((FAMILY_DIR / "01_metryczka_rodziny.yaml").read_text(encoding="utf-8"))
    pesel = next(str(m["pesel"]) for m in sheet["czlonkowie"] if m.get("pesel"))
    other = yaml.safe_load(
        (data_dir("sample_data") / "nowak_leszno" / "01_metryczka_rodziny.yaml").read_text(
            encoding="utf-8"
        )
    )
    other["czlonkowie"][0]["pesel"] = pesel
    theirs = write_yaml(ws / "wejscie" / "aktualizacja_mops.yaml", other)
    ours = write_yaml(ws / "wejscie" / "wizyta_bez_znaku.yaml", {"pesel": pesel})
    log = ws / "asystent.log"
    shared = [
        line for line in log.read_text(encoding="utf-8").splitlines() if "02_plan_pracy" in line
    ]
    assert len(shared) == 3  # one per family
    assert run("archive", "--workspace", ws, CASE).exit_code == 0
    result = run("erase", "--workspace", ws, CASE, input=f"{CASE}\n")
    assert result.exit_code == 0, result.output
    assert theirs.is_file() and not ours.exists()
    left = log.read_text(encoding="utf-8")
    assert [line for line in shared if CASE not in line] == [
        line for line in left.splitlines() if "02_plan_pracy" in line
    ]
    assert CASE not in left


def _damage_part(raw: bytes, name: str) -> bytes:
    """The zip with garbage in one part's deflate stream (the rest intact)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(name)
    data = bytearray(raw)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for position in range(start, start + min(info.compress_size, 40)):
        data[position] ^= 0x5A
    return bytes(data)
