"""One bad file never stops the rest, and nothing is half-done (issue 14), on real processes.

Damaged Word files, names that are too long or not UTF-8, a fault in a stage of the real
service (injected through `sitecustomize`, as a bug would appear), a hard crash on one file, a
broken template, a full disk (a real tmpfs), a file put back beside a newer one of the same name,
and a bare carriage return in a one-line field.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import (
    FAMILY,
    VISIT,
    docx_text,
    form,
    run,
    start_watch,
    stop_watch,
    store_digest,
    stored,
    wait_for,
    watch_once,
    write_yaml,
)

from records.wordforms.build import blank_form, fill_form

CASE = "GOPS_AR_3_2026"


@pytest.fixture
def family(ws: Path, outside: Path) -> Path:
    assert run("ingest", "--workspace", ws, write_yaml(outside / "m.yaml", FAMILY)).exit_code == 0
    return ws


def visit(day: str, **changes: object) -> dict:
    return form(VISIT, data=day, ustalenia=[], **changes)


def word_visit(day: str) -> bytes:
    data = {**visit(day), "obecni": VISIT["obecni"]}
    return fill_form(blank_form("protokol_wizyty"), data)


def damaged(raw: bytes, how: str) -> bytes:
    """The form with its main part broken: a wrong CRC, or garbage in the deflate stream."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo("word/document.xml")
    data = bytearray(raw)
    if how == "crc":  # both copies of the CRC: the local header's and the central directory's
        data[info.header_offset + 14] ^= 0xFF
        eocd = raw.rfind(b"PK\x05\x06")
        (entries,) = struct.unpack_from("<H", raw, eocd + 10)
        (offset,) = struct.unpack_from("<I", raw, eocd + 16)
        for _ in range(entries):
            n, m, k = struct.unpack_from("<HHH", raw, offset + 28)
            if raw[offset + 46 : offset + 46 + n] == b"word/document.xml":
                data[offset + 16] ^= 0xFF
            offset += 46 + n + m + k
    else:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for position in range(start + 40, start + 200):
            data[position] = 0xA5
    return bytes(data)


def records_of(ws: Path) -> list[dict]:
    shard = stored(ws, f"{CASE.lower()}")
    return list(shard["rekordy"].values())


@pytest.mark.parametrize("how", ["crc", "deflate"])
def test_a_damaged_word_file_is_rejected_and_the_batch_goes_on(
    family: Path, outside: Path, how: str
) -> None:
    ws = family
    bad = outside / "zepsuty.docx"
    bad.write_bytes(damaged(word_visit("2026-02-20"), how))
    good = write_yaml(outside / "dobra.yaml", visit("2026-02-21"))
    result = run("ingest", "--workspace", ws, bad, good)
    assert result.exit_code == 1, result.output
    assert "dobra.yaml: przyjęto" in result.output
    report = (ws / "odrzucone" / "zepsuty.docx.bledy.txt").read_text(encoding="utf-8")
    assert "plik .docx jest uszkodzony" in report and "[docx_damaged]" in report
    # The same in the service, from its start: the damaged file does not stop it.
    (ws / "wejscie" / "zepsuty2.docx").write_bytes(damaged(word_visit("2026-02-22"), how))
    write_yaml(ws / "wejscie" / "dobra2.yaml", visit("2026-02-23"))
    finished = watch_once(ws, timeout=120)
    assert finished.returncode == 1, finished.stdout + finished.stderr  # one rejected
    assert "Traceback" not in finished.stdout + finished.stderr
    assert (ws / "przetworzone" / "dobra2.yaml").is_file()
    assert (ws / "odrzucone" / "zepsuty2.docx.bledy.txt").is_file()


def test_names_too_long_or_not_utf8_never_stop_the_service(family: Path) -> None:
    ws = family
    inbox = os.fsencode(ws / "wejscie")
    long_good = b"w" * 245 + b".yaml"  # 250 bytes: no room for " (2)" or ".bledy.txt"
    long_bad = "ż".encode() * 113 + b"z.yaml"  # 232 bytes
    odd_good = b"wizyta-\xff\xfe.yaml"  # not UTF-8 (a name from an old Windows-1250 share)
    odd_bad = b"zla-\xe9\nfa\xb3szywa linia.yaml"  # not UTF-8, with a newline
    for name, data in (
        (long_good, visit("2026-02-20")),
        (long_bad, visit("2026-02-21", godzina_do="09:00")),
        (odd_good, visit("2026-02-22")),
        (odd_bad, visit("2026-02-23", godzina_do="09:00")),
    ):
        with open(os.path.join(inbox, name), "wb") as handle:
            handle.write(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    for _ in range(2):  # a second start finds nothing left that could stop it
        finished = watch_once(ws, timeout=120)
        assert "Traceback" not in finished.stdout + finished.stderr, finished.stderr
    assert not os.listdir(inbox)
    assert len([r for r in records_of(ws) if r["formularz"] == "protokol_wizyty"]) == 2
    rejected = sorted(os.listdir(os.fsencode(ws / "odrzucone")))
    assert len(rejected) == 4  # two forms, each with its report
    assert all(len(name) <= 255 for name in rejected)
    log = (ws / "asystent.log").read_text(encoding="utf-8")
    assert "wizyta-\\xff\\xfe.yaml" in log  # escaped, not garbled and not lost
    assert "zla-\\xe9\\x0afa\\xb3szywa linia.yaml" in log  # one line, not two
    assert not any(line.startswith("fa") for line in log.splitlines())


FAULTS = """
import os
import records.validate as validate

_original = validate.case_errors


def case_errors(model, settings, store):
    text = getattr(model, "przebieg", "")
    if "BOOM" in text:
        raise RuntimeError("a bug in a stage")
    if "KRACH" in text:
        os._exit(3)  # a hard crash: nothing of the process survives this file
    return _original(model, settings, store)


validate.case_errors = case_errors
"""


@pytest.fixture
def faulty_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose `asystent` has a bug in its case rules for some forms."""
    folder = tmp_path / "usterka"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(textwrap.dedent(FAULTS))
    path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def test_a_file_that_breaks_a_stage_is_set_aside_and_the_rest_go_on(
    family: Path, faulty_env: dict[str, str]
) -> None:
    ws = family
    write_yaml(ws / "wejscie" / "bomba.yaml", visit("2026-02-20", przebieg="BOOM"))
    command = [sys.executable, "-m", "records", "watch", "--workspace", str(ws), "--once"]
    for attempt in range(4):
        write_yaml(ws / "wejscie" / f"dobra{attempt}.yaml", visit(f"2026-02-2{attempt + 1}"))
        finished = subprocess.run(
            command, capture_output=True, text=True, env=faulty_env, timeout=120
        )
        assert "Traceback" not in finished.stdout + finished.stderr
        assert (ws / "przetworzone" / f"dobra{attempt}.yaml").is_file()
        if attempt < 3:
            assert (ws / "wejscie" / "bomba.yaml").is_file()  # waits for another try
    report = (ws / "odrzucone" / "bomba.yaml.bledy.txt").read_text(encoding="utf-8")
    assert "[set_aside]" in report and "błędu programu" in report
    assert not (ws / "wejscie" / "bomba.yaml").exists()
    log = (ws / "asystent.log").read_text(encoding="utf-8")
    assert "Nieoczekiwany błąd programu przy pliku bomba.yaml (RuntimeError)" in log
    assert "a bug in a stage" not in log  # the exception's text could hold anything


def test_a_file_that_kills_the_service_ends_the_crash_loop(
    family: Path, faulty_env: dict[str, str]
) -> None:
    ws = family
    write_yaml(ws / "wejscie" / "krach.yaml", visit("2026-02-20", przebieg="KRACH"))
    write_yaml(ws / "wejscie" / "dobra.yaml", visit("2026-02-21"))
    command = [sys.executable, "-m", "records", "watch", "--workspace", str(ws), "--once"]
    codes = []
    for _ in range(8):  # what systemd's Restart=on-failure does
        finished = subprocess.run(
            command, capture_output=True, text=True, env=faulty_env, timeout=120
        )
        codes.append(finished.returncode)
        if finished.returncode != 3:
            break
    assert codes[:5] == [3] * 5 and codes[5] in (0, 1), codes
    assert (ws / "odrzucone" / "krach.yaml.bledy.txt").is_file()
    assert (ws / "przetworzone" / "dobra.yaml").is_file()
    # The explicit retry gives it a fresh start (after the program is fixed).
    result = run("retry", "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert (ws / "przetworzone" / "krach.yaml").is_file()


def _broken_template(ws: Path, text: str = "{{ dane.nie_ma_takiego_pola }}") -> None:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(ws / "szablony" / "protokol_wizyty.docx"))


def test_a_form_whose_document_cannot_be_made_is_not_stored(family: Path, outside: Path) -> None:
    ws = family
    _broken_template(ws)
    before = store_digest(ws)
    source = write_yaml(outside / "wizyta.yaml", visit("2026-02-20"))
    result = run("ingest", "--workspace", ws, source)
    assert result.exit_code == 1
    assert "błąd systemu" in result.output and "szablon" in result.output.lower()
    assert source.is_file()  # not filed away: it waits for the template to be fixed
    assert store_digest(ws) == before  # no record without its document
    assert run("check", "--workspace", ws).exit_code == 0
    (ws / "szablony" / "protokol_wizyty.docx").unlink()
    assert run("ingest", "--workspace", ws, source).exit_code == 0
    assert (ws / "dokumenty" / CASE / "protokol_wizyty_2026-02-20.docx").is_file()


@pytest.mark.tinydb_only  # edits the case file the way an older release could leave it
def test_check_names_a_record_whose_document_is_missing(family: Path, outside: Path) -> None:
    ws = family
    assert (
        run(
            "ingest", "--workspace", ws, write_yaml(outside / "w.yaml", visit("2026-02-20"))
        ).exit_code
        == 0
    )
    shard_path = ws / "dane" / "sprawy" / f"{CASE.lower()}.json"
    shard = json.loads(shard_path.read_text())
    shard["dokumenty"] = {
        k: v for k, v in shard["dokumenty"].items() if v["formularz"] != "protokol_wizyty"
    }
    shard_path.write_text(json.dumps(shard))  # as an older release could leave it
    result = run("check", "--workspace", ws)
    assert result.exit_code == 1
    assert "Protokół z wejścia do rodziny z 2026-02-20 nie ma dokumentu" in result.output


def test_a_file_put_back_never_replaces_a_newer_one(family: Path) -> None:
    ws = family
    (ws / "asystent.toml").write_text(
        (ws / "asystent.toml").read_text(encoding="utf-8") + "\n[dokumenty]\nlimit_czasu_s = 3\n",
        encoding="utf-8",
    )
    # A template slow enough to leave time for the user to drop a newer file meanwhile.
    loop = "{% for a in '" + "a" * 60 + "' %}"
    _broken_template(ws, loop * 5 + "{% endfor %}" * 5)
    watcher = start_watch(ws)
    try:
        write_yaml(
            ws / "wejscie" / "wizyta.yaml", visit("2026-02-20", przebieg="stara wersja " * 20)
        )
        wait_for(lambda: any((ws / ".w_toku").rglob("wizyta.yaml")), timeout=30)
        write_yaml(ws / "wejscie" / "wizyta.yaml", visit("2026-02-21", przebieg="nowa wersja"))
        wait_for(lambda: (ws / "wejscie" / "wizyta (2).yaml").is_file(), timeout=30)
    finally:
        stop_watch(watcher)
    names = {
        p.name: yaml.safe_load(p.read_text(encoding="utf-8"))["przebieg"]
        for p in (ws / "wejscie").iterdir()
    }
    assert names["wizyta.yaml"] == "nowa wersja"
    assert names["wizyta (2).yaml"].startswith("stara wersja")


def test_a_bare_carriage_return_is_refused_in_a_one_line_field(family: Path, outside: Path) -> None:
    ws = family
    bad = form(FAMILY, telefon="600 100\r200")
    result = run("ingest", "--workspace", ws, write_yaml(outside / "m2.yaml", bad))
    assert result.exit_code == 1
    assert "telefon: niedozwolony znak (znak nowej linii)" in result.output
    # In a field of several lines it is a line break, stored as validated.
    ok = write_yaml(
        outside / "w.yaml", visit("2026-02-20", przebieg="pierwsza\rdruga\u2028trzecia")
    )
    assert run("ingest", "--workspace", ws, ok).exit_code == 0
    stored = [r for r in records_of(ws) if r["formularz"] == "protokol_wizyty"][-1]
    assert stored["dane"]["przebieg"] == "pierwsza\ndruga\ntrzecia"
    assert run("check", "--workspace", ws).exit_code == 0
    assert run("families", "--workspace", ws).exit_code == 0
    later = write_yaml(outside / "w2.yaml", visit("2026-02-21"))
    assert run("ingest", "--workspace", ws, later).exit_code == 0
    assert "pierwsza" in docx_text(ws / "dokumenty" / CASE / "protokol_wizyty_2026-02-20.docx")


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small disk needs root")


@needs_root
def test_a_full_disk_makes_the_service_wait_not_stop(tmp_path: Path) -> None:
    disk = tmp_path / "maly_dysk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(disk)], check=True)
    try:
        ws = disk / "ws"
        assert run("init", ws).exit_code == 0
        metryczka = write_yaml(tmp_path / "m.yaml", FAMILY)
        assert run("ingest", "--workspace", ws, metryczka).exit_code == 0
        write_yaml(ws / "wejscie" / "wizyta.yaml", visit("2026-02-20"))
        filler = disk / "wypelniacz"
        with open(filler, "wb") as handle:  # the disk is full to the last block
            try:
                while True:
                    handle.write(b"\0" * 65536)
            except OSError:
                pass
        watcher = start_watch(ws, out=tmp_path)
        try:
            time.sleep(4)
            assert watcher.poll() is None  # still running
            assert (ws / "wejscie" / "wizyta.yaml").is_file()
            filler.unlink()  # the IT person frees some space
            wait_for(lambda: (ws / "przetworzone" / "wizyta.yaml").is_file(), timeout=60)
        finally:
            assert stop_watch(watcher) == 0
        text = next(tmp_path.glob("watch-*.out")).read_text(encoding="utf-8")
        assert "brak miejsca na dysku" in text
        assert "No space left" not in text and "Traceback" not in text
        assert (ws / "dokumenty" / CASE / "protokol_wizyty_2026-02-20.docx").is_file()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
        shutil.rmtree(disk, ignore_errors=True)


@pytest.mark.parametrize("how", ["empty", "crc", "text"])
def test_a_damaged_document_is_kept_aside_and_made_again(
    family: Path, outside: Path, how: str
) -> None:
    """A document file emptied by a crash of Word, damaged, or replaced by something else: the
    next `generate` (which `check` advises) keeps what is there as an earlier version and makes
    the document again; never a program error."""
    ws = family
    visit_form = write_yaml(outside / "w.yaml", visit("2026-02-20"))
    assert run("ingest", "--workspace", ws, visit_form).exit_code == 0
    [document] = [p for p in (ws / "dokumenty").rglob("protokol_wizyty*.docx")]
    good = document.read_bytes()
    bad = {"empty": b"", "crc": damaged(good, "crc"), "text": "notatki ąę".encode()}[how]
    document.write_bytes(bad)
    assert run("check", "--workspace", ws).exit_code == 1
    result = run("generate", "--all", "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert "nowa wersja: 1" in result.output and "Nieoczekiwany" not in result.output
    [kept] = list((document.parent / "poprzednie").iterdir())
    assert kept.read_bytes() == bad
    (outside / "dobry.docx").write_bytes(good)
    assert docx_text(document) == docx_text(outside / "dobry.docx")
    assert run("check", "--workspace", ws).exit_code == 0


@pytest.mark.parametrize("what", ["folder", "pipe", "link"])
def test_what_is_no_file_in_a_documents_place_is_put_aside_unread(
    family: Path, outside: Path, what: str
) -> None:
    """A folder, a pipe (reading it would wait for ever, holding the store's lock) or a link
    to a file outside the workspace, where a document belongs: put aside in poprzednie/ as it
    is, never read or followed, not registered as an earlier version, and the document made;
    an archive of the case holds nothing of what the link pointed at."""
    ws = family
    assert run("ingest", "--workspace", ws, write_yaml(outside / "w.yaml", visit("2026-02-20")))
    [document] = [p for p in (ws / "dokumenty").rglob("protokol_wizyty*.docx")]
    secret = outside / "sekret.txt"
    secret.write_text("PESEL 12345678901", encoding="utf-8")
    document.unlink()
    if what == "folder":
        document.mkdir()
    elif what == "pipe":
        os.mkfifo(document)
    else:
        document.symlink_to(secret)
    result = run("generate", "--all", "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert document.is_file() and not document.is_symlink()
    assert docx_text(document).count("Protokół z wejścia do rodziny") == 1
    [aside] = list((document.parent / "poprzednie").iterdir())
    assert aside.name.endswith("_nie_dokument") and (aside.is_symlink() or not aside.is_file())
    assert "nie_dokument" not in json.dumps(stored(ws, CASE.lower())["dokumenty"])
    assert run("check", "--workspace", ws).exit_code == 0
    case = next(iter(stored(ws, CASE.lower())["rekordy"].values()))["sprawa"]
    config = ws / "asystent.toml"
    text = config.read_text(encoding="utf-8").replace('symbol_jrwa = ""', 'symbol_jrwa = "4011"')
    config.write_text(text.replace('kategoria = ""', 'kategoria = "B10"'), encoding="utf-8")
    archived = run("archive", "--force", "--workspace", ws, case)
    assert archived.exit_code == 0, archived.output
    for path in (ws / "archiwum").rglob("*"):
        assert not path.is_symlink()
        assert not path.is_file() or b"12345678901" not in path.read_bytes()


def test_a_document_damaged_in_place_is_made_again_when_asked_for_by_name(
    family: Path, outside: Path
) -> None:
    """A failing disk or a restore can change a file and keep its size and time: `generate
    --all` trusts those, but the command `check` advises reads the file."""
    ws = family
    assert run("ingest", "--workspace", ws, write_yaml(outside / "w.yaml", visit("2026-02-20")))
    [document] = [p for p in (ws / "dokumenty").rglob("protokol_wizyty*.docx")]
    before = document.stat()
    good = document.read_bytes()
    document.write_bytes(damaged(good, "deflate"))
    os.utime(document, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "bez zmian: 2" in run("generate", "--all", "--workspace", ws).output
    checked = run("check", "--workspace", ws)
    assert checked.exit_code == 1
    advice = checked.output.split("wygeneruj go ponownie: asystent ")[1].splitlines()[0].split()
    again = run(*advice, "--workspace", ws)
    assert again.exit_code == 0 and "nowa wersja" in again.output, again.output
    (outside / "dobry.docx").write_bytes(good)
    assert docx_text(document) == docx_text(outside / "dobry.docx")
    assert run("check", "--workspace", ws).exit_code == 0


@pytest.mark.tinydb_only  # puts back the case file as it was before the documents' registration
def test_documents_written_but_never_registered_are_registered_by_the_next_run(
    family: Path, outside: Path
) -> None:
    """A failure between putting a case's documents in place and registering them (a full
    disk when the case file is written, a crash): the next run finds them on disk and
    registers them as they are (their file's own sha256 too), and `check` finds nothing
    wrong."""
    ws = family
    assert run("ingest", "--workspace", ws, write_yaml(outside / "w.yaml", visit("2026-02-20")))
    shard_path = ws / "dane" / "sprawy" / f"{CASE.lower()}.json"
    registered = shard_path.read_bytes()
    [folder] = (ws / "dokumenty").iterdir()
    [document] = folder.glob("protokol_wizyty*.docx")
    made = document.read_bytes()
    document.write_bytes(b"")  # Word crashed while saving it
    time.sleep(2.1)  # a zip's times count in two seconds: the new file's bytes differ
    assert "nowa wersja: 1" in run("generate", "--all", "--workspace", ws).output
    assert document.read_bytes() != made
    shard_path.write_bytes(registered)  # as if the case file's write had failed
    assert run("generate", "--all", "--workspace", ws).exit_code == 0
    checked = run("check", "--workspace", ws)
    assert checked.exit_code == 0, checked.output


def test_earlier_versions_never_leave_the_workspace_by_a_planted_link(
    family: Path, outside: Path
) -> None:
    """`poprzednie` made a link to a folder elsewhere (through the share): the earlier version,
    personal data, is still kept inside the case's folder, and nothing is written elsewhere."""
    ws = family
    assert run("ingest", "--workspace", ws, write_yaml(outside / "w.yaml", visit("2026-02-20")))
    [folder] = (ws / "dokumenty").iterdir()
    [document] = folder.glob("protokol_wizyty*.docx")
    elsewhere = outside / "gdzie_indziej"
    elsewhere.mkdir()
    (folder / "poprzednie").symlink_to(elsewhere, target_is_directory=True)
    document.write_bytes(b"")
    assert "nowa wersja: 1" in run("generate", "--all", "--workspace", ws).output
    assert list(elsewhere.iterdir()) == []
    versions = folder / "poprzednie"
    assert versions.is_dir() and not versions.is_symlink()
    assert [p.read_bytes() for p in versions.iterdir()] == [b""]
    assert run("check", "--workspace", ws).exit_code == 0
