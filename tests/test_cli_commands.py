"""The other commands through the real CLI: init, families, show, generate, forms, retry."""

from __future__ import annotations

import stat
from pathlib import Path

import docx
import yaml
from conftest import FAMILY, VISIT, docx_text, form, run, store_digest, stored, write_yaml

from records.models import FORMS

CASE = "GOPS_AR_3_2026"


def test_init_creates_the_workspace_and_is_idempotent(tmp_path: Path) -> None:
    root = tmp_path / "ośrodek"
    result = run("init", root)
    assert result.exit_code == 0, result.output
    for folder in (
        "wejscie",
        "przetworzone",
        "odrzucone",
        "dokumenty",
        "raporty",
        "szablony",
        "archiwum",
        "dane",
    ):
        assert (root / folder).is_dir(), folder
    assert stat.S_IMODE((root / "dane").stat().st_mode) == 0o700
    config = (root / "asystent.toml").read_text(encoding="utf-8")
    assert "[osrodek]" in config
    (root / "asystent.toml").write_text(config.replace("Miejscowość", "Leszno"), encoding="utf-8")
    (root / "raporty").rmdir()
    result = run("init", root)
    assert result.exit_code == 0
    first_line = result.output.splitlines()[0]
    assert first_line.endswith("utworzono raporty/"), first_line
    assert "Leszno" in (root / "asystent.toml").read_text(encoding="utf-8")


def test_internal_files_are_owner_only(family_ws: Path) -> None:
    for path in [family_ws / "asystent.log", *(family_ws / "dane").rglob("*")]:
        if path.name == ".lock" or path.is_dir():
            continue
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_log_names_files_and_fields_never_personal_data(family_ws: Path, outside: Path) -> None:
    bad = form(FAMILY, sprawa="GOPS/AR/8/2026")
    bad["czlonkowie"][0]["pesel"] = "90040212348"
    run("ingest", "--workspace", family_ws, write_yaml(outside / "zla.yaml", bad))
    log = (family_ws / "asystent.log").read_text(encoding="utf-8")
    assert "Przyjęto plik metryczka.yaml" in log and "Odrzucono plik zla.yaml" in log
    assert "czlonkowie[1].pesel" in log
    for secret in ("9004021234", "Kowalsk", "Ewa", "Lipowa"):
        assert secret not in log, secret
    audit = (family_ws / "dane" / "audyt.jsonl").read_text(encoding="utf-8")
    assert "9004021234" not in audit and "Kowalsk" not in audit


def test_families_lists_cases(family_ws: Path) -> None:
    result = run("families", "--workspace", family_ws)
    assert result.exit_code == 0
    assert "GOPS/AR/3/2026" in result.output and "Bolesławiec" in result.output
    assert "Anna Wiśniewska" in result.output and "aktywna" in result.output


def test_families_reads_the_workspace_from_the_environment(family_ws: Path, monkeypatch) -> None:
    monkeypatch.setenv("ASYSTENT_WORKSPACE", str(family_ws))
    assert "GOPS/AR/3/2026" in run("families").output


def test_show_prints_family_history_and_documents(family_ws: Path) -> None:
    result = run("show", "--workspace", family_ws, "GOPS/AR/3/2026")
    assert result.exit_code == 0
    for text in (
        "Ewa Kowalska",
        "Oskar Kowalski",
        "ul. Lipowa 7",
        "Metryczka rodziny z 2026-02-10",
        "Protokół z wejścia do rodziny z 2026-02-17",
        "metryczka_rodziny_2026-02-10.docx",
        "protokol_wizyty_2026-02-17.docx",
    ):
        assert text in result.output, text


def test_show_unknown_case_exits_1(family_ws: Path) -> None:
    result = run("show", "--workspace", family_ws, "NIE/MA/1/2026")
    assert result.exit_code == 1 and "Nie ma sprawy" in result.output


def test_generate_keeps_the_earlier_version_when_the_template_changes(family_ws: Path) -> None:
    folder = family_ws / "dokumenty" / CASE
    current = folder / "protokol_wizyty_2026-02-17.docx"
    first = current.read_bytes()
    result = run(
        "generate", "--workspace", family_ws, "protokol_wizyty", "--sprawa", "GOPS/AR/3/2026"
    )
    assert result.exit_code == 0, result.output
    assert "bez zmian" in result.output and current.read_bytes() == first

    template = docx.Document()
    template.add_paragraph("NOWY WZÓR {{ sprawa }} {{ dane.przebieg }}")
    template.save(str(family_ws / "szablony" / "protokol_wizyty.docx"))
    result = run(
        "generate",
        "--workspace",
        family_ws,
        "protokol_wizyty",
        "--sprawa",
        "GOPS/AR/3/2026",
        "--data",
        "2026-02-17",
    )
    assert result.exit_code == 0, result.output
    assert "NOWY WZÓR GOPS/AR/3/2026" in docx_text(current)
    previous = list((folder / "poprzednie").glob("protokol_wizyty_2026-02-17_*.docx"))
    assert len(previous) == 1 and previous[0].read_bytes() == first
    shown = run("show", "--workspace", family_ws, "GOPS/AR/3/2026").output
    assert f"poprzednie/{previous[0].name}" in shown and "protokol_wizyty_2026-02-17.docx" in shown


def test_generate_out_writes_copies_elsewhere(family_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "kopie"
    result = run(
        "generate",
        "--workspace",
        family_ws,
        "metryczka_rodziny",
        "--sprawa",
        "gops/ar/3/2026",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert "Kowalska" in docx_text(out / "metryczka_rodziny_2026-02-10.docx")


def test_generate_errors(family_ws: Path) -> None:
    result = run("generate", "--workspace", family_ws, "kontrakt", "--sprawa", "GOPS/AR/3/2026")
    assert result.exit_code == 1 and "nie ma formularza kontrakt" in result.output
    result = run(
        "generate",
        "--workspace",
        family_ws,
        "protokol_wizyty",
        "--sprawa",
        "GOPS/AR/3/2026",
        "--data",
        "31.02.2026",  # the Polish way is fine (17.02.2026), an impossible day is not
    )
    assert result.exit_code == 2 and "Data „31.02.2026” nie istnieje w kalendarzu" in result.output
    assert run("generate", "--nie-ma-takiej-opcji").exit_code == 2


def test_a_corrected_visit_is_a_new_version_of_the_same_record(
    family_ws: Path, outside: Path
) -> None:
    fixed = write_yaml(outside / "poprawka.yaml", form(VISIT, przebieg="Poprawiony opis wizyty."))
    result = run("ingest", "--workspace", family_ws, fixed)
    assert result.exit_code == 0, result.output
    folder = family_ws / "dokumenty" / CASE
    assert "Poprawiony opis wizyty." in docx_text(folder / "protokol_wizyty_2026-02-17.docx")
    assert len(list((folder / "poprzednie").glob("*.docx"))) == 1
    shown = run("show", "--workspace", family_ws, "GOPS/AR/3/2026").output
    assert "[zastąpiony nowszą wersją]" in shown


def test_retry_processes_a_fixed_file_in_place(family_ws: Path, outside: Path) -> None:
    bad = write_yaml(outside / "w.yaml", form(VISIT, data="2026-02-30"))
    assert run("ingest", "--workspace", family_ws, bad).exit_code == 1
    rejected = family_ws / "odrzucone" / "w.yaml"
    rejected.write_text(
        rejected.read_text(encoding="utf-8").replace("2026-02-30", "2026-02-27"), encoding="utf-8"
    )
    result = run("retry", "--workspace", family_ws)
    assert result.exit_code == 0, result.output
    assert not any((family_ws / "odrzucone").iterdir())
    assert (family_ws / "przetworzone" / "w.yaml").is_file()
    assert (family_ws / "dokumenty" / CASE / "protokol_wizyty_2026-02-27.docx").is_file()


def test_retry_takes_only_files_from_the_rejected_folder(family_ws: Path, outside: Path) -> None:
    """`retry FILE` outside odrzucone/ is refused: it would read any file and write an error
    report beside it (`retry /etc/passwd` left /etc/passwd.bledy.txt)."""
    stray = write_yaml(outside / "obcy.yaml", form(VISIT, data="2026-02-30"))
    before = store_digest(family_ws)
    result = run("retry", "--workspace", family_ws, stray)
    assert result.exit_code == 2, result.output
    assert "obcy.yaml: ponawia się tylko pliki z folderu odrzucone/" in result.output
    assert "asystent ingest" in result.output and "Traceback" not in result.output
    assert stray.is_file() and sorted(p.name for p in outside.iterdir()) == ["obcy.yaml"]
    assert store_digest(family_ws) == before


def test_blank_forms_are_written_and_document_every_key(tmp_path: Path) -> None:
    result = run("forms", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for kind, model in FORMS.items():
        text = (tmp_path / f"{kind}.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert data["formularz"] == kind
        for key in _all_keys(model):
            assert f"{key}:" in text, f"{kind}: {key}"


def _all_keys(model) -> set[str]:
    keys = set()
    for name, field in model.model_fields.items():
        keys.add(name)
        for arg in [field.annotation, *getattr(field.annotation, "__args__", ())]:
            inner = getattr(arg, "__args__", (arg,))
            for candidate in (arg, *inner):
                if isinstance(candidate, type) and hasattr(candidate, "model_fields"):
                    keys |= _all_keys(candidate)
    return keys


def test_registry_records_provenance(family_ws: Path) -> None:
    shard = stored(family_ws, "gops_ar_3_2026")
    entries = list(shard["dokumenty"].values())
    assert {e["nazwa"] for e in entries} == {
        "metryczka_rodziny_2026-02-10.docx",
        "protokol_wizyty_2026-02-17.docx",
    }
    for entry in entries:
        assert (
            len(entry["sha256"]) == 64 and len(entry["szablon_sha256"]) == 64 and entry["rekord_id"]
        )


def test_generate_all_regenerates_every_document_after_a_template_change(
    family_ws: Path, outside: Path
) -> None:
    second = write_yaml(outside / "w2.yaml", form(VISIT, data="2026-02-24"))
    assert run("ingest", "--workspace", family_ws, second).exit_code == 0
    result = run("generate", "--workspace", family_ws, "--all")
    assert result.exit_code == 0, result.output
    assert "Gotowe: bez zmian: 3" in result.output
    template = docx.Document()
    template.add_paragraph("NOWY NAGŁÓWEK {{ sprawa }} {{ dane.data }}")
    template.save(str(family_ws / "szablony" / "protokol_wizyty.docx"))
    result = run("generate", "--workspace", family_ws, "--all", "--sprawa", "GOPS/AR/3/2026")
    assert result.exit_code == 0, result.output
    assert "bez zmian: 1" in result.output and "nowa wersja: 2" in result.output
    folder = family_ws / "dokumenty" / CASE
    assert "NOWY NAGŁÓWEK GOPS/AR/3/2026 24 lutego 2026 r." in docx_text(
        folder / "protokol_wizyty_2026-02-24.docx"
    )
    assert len(list((folder / "poprzednie").glob("*.docx"))) == 2


def test_generate_needs_a_kind_and_case_or_all(family_ws: Path) -> None:
    result = run("generate", "--workspace", family_ws)
    assert result.exit_code == 2 and "--all" in result.output


def test_generate_and_ingest_write_pdf_copies(family_ws: Path, outside: Path) -> None:
    result = run(
        "generate",
        "--workspace",
        family_ws,
        "metryczka_rodziny",
        "--sprawa",
        "GOPS/AR/3/2026",
        "--pdf",
    )
    assert result.exit_code == 0, result.output
    pdf = family_ws / "dokumenty" / CASE / "metryczka_rodziny_2026-02-10.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    visit = write_yaml(outside / "w.yaml", form(VISIT, data="2026-02-26"))
    result = run("ingest", "--workspace", family_ws, "--pdf", visit)
    assert result.exit_code == 0, result.output
    assert (
        (family_ws / "dokumenty" / CASE / "protokol_wizyty_2026-02-26.pdf")
        .read_bytes()
        .startswith(b"%PDF")
    )


def test_pdf_without_libreoffice_says_so_before_any_work(family_ws: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = run("generate", "--workspace", family_ws, "--all", "--pdf")
    assert result.exit_code == 1
    assert (
        "Nie znaleziono programu LibreOffice" in result.output
        and "bez opcji --pdf" in result.output
    )
