"""PDF copies through one LibreOffice kept running (issue 20): converted, supervised, private.

Real LibreOffice, real documents of the demo, real processes killed; skipped where LibreOffice
or its `uno` module is not installed (`.ci/run` installs both).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    add_account,
    run,
    start_watch,
    stop_watch,
    visit_form,
    wait_for,
    web_client,
    write_yaml,
)

import records.pdf
from records.identity import case_folder
from records.pdf import OfficeServer, PdfError, pdf_of, uno_python
from records.settings import load_workspace
from records.web.app import create_app

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler is not installed",
)
CASE = "MOPS.AR.4011.12.2026"
FAMILY_CASE = "GOPS/AR/3/2026"  # the case of conftest's family_ws


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pdf") / "demo"
    made = run("demo", root)
    assert made.exit_code == 0, made.output
    return root


@pytest.fixture
def documents(demo: Path, tmp_path: Path) -> list[Path]:
    """Copies of three of the demo's documents of one case."""
    found = sorted((demo / "dokumenty" / CASE).glob("*.docx"))[:3]
    assert len(found) == 3
    copies = []
    for path in found:
        shutil.copy2(path, tmp_path / path.name)
        copies.append(tmp_path / path.name)
    return copies


@pytest.fixture
def cut(documents: list[Path], tmp_path: Path) -> Path:
    """A document cut short (a copy interrupted): LibreOffice cannot read it."""
    path = tmp_path / "ucięty.docx"
    path.write_bytes(documents[0].read_bytes()[:3000])
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def office_processes(pipe: str) -> list[str]:
    """The processes of the LibreOffice listening on `pipe`, and of its bridge."""
    found = subprocess.run(["pgrep", "-af", pipe], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if "pgrep" not in line]


def all_gone(pipe: str, work: Path) -> bool:
    """No LibreOffice of that pipe, nor its socket, nor its private folder (profile, PDFs)."""
    sockets = list(Path("/tmp").glob(f"OSL_PIPE_*_{pipe}"))
    return not office_processes(pipe) and not sockets and not work.exists()


def killed_asystent(first: Path, *more: Path, then: str = "") -> tuple[str, Path]:
    """A process that converts `first` in its shared LibreOffice, runs `then` (which may use
    `more`, as sys.argv[2:]), and is killed with SIGKILL; returns that LibreOffice's pipe and
    private folder."""
    script = (
        "import os, signal, sys, threading, time\n"
        "from pathlib import Path\n"
        "from records.pdf import shared_server\n"
        "server = shared_server()\n"
        "server.convert([Path(sys.argv[1])])\n"
        "print(server.pipe, server._work, flush=True)\n"
        f"{then}"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    command = [sys.executable, "-c", script, str(first), *map(str, more)]
    done = subprocess.run(command, capture_output=True, text=True)
    said = done.stdout.split()
    assert len(said) == 2 and said[0].startswith("asystent_"), done.stderr
    return said[0], Path(said[1])


needs_uno = pytest.mark.skipif(uno_python() is None, reason="LibreOffice's uno is not installed")


@needs_uno
def test_one_libreoffice_converts_them_all_and_each_pdf_says_what_its_document_says(
    documents: list[Path],
) -> None:
    server = OfficeServer()
    try:
        made = server.convert(documents)
        assert made == [d.with_suffix(".pdf") for d in documents]
        assert server.starts == 1
        for document, pdf in zip(documents, made, strict=True):
            assert pdf.read_bytes().startswith(b"%PDF")
            text = " ".join(pdf_text(pdf).split())
            assert "MOPS.AR.4011.12.2026" in text
            # stamped with its document's time: a later edit of the document is seen as newer
            assert pdf.stat().st_mtime_ns == document.stat().st_mtime_ns
        server.convert(documents[:1])
        assert server.starts == 1
    finally:
        server.close()


@needs_uno
def test_a_libreoffice_that_died_is_started_again(documents: list[Path]) -> None:
    server = OfficeServer()
    try:
        server.convert(documents[:1])
        pid = server.office_pid
        assert pid is not None
        found = subprocess.run(["pgrep", "-g", str(pid), "soffice.bin"], capture_output=True)
        os.kill(int(found.stdout.split()[0]), signal.SIGKILL)  # the office itself, as a crash
        time.sleep(0.3)
        dead_pipe = server.pipe
        (pdf,) = server.convert(documents[1:2])
        assert server.starts == 2 and pdf.read_bytes().startswith(b"%PDF")
        # the killed LibreOffice left its socket in /tmp: removed when it was replaced
        assert server.pipe != dead_pipe and not list(Path("/tmp").glob(f"OSL_PIPE_*_{dead_pipe}"))
    finally:
        server.close()
    assert not office_processes(server.pipe)
    wait_for(lambda: not list(Path("/tmp").glob(f"OSL_PIPE_*_{server.pipe}")), timeout=20)


@needs_uno
def test_its_pipe_is_owner_only_and_closing_leaves_nothing(documents: list[Path]) -> None:
    server = OfficeServer()
    server.convert(documents[:1])
    (socket,) = Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_{server.pipe}")
    mode = socket.stat().st_mode
    assert stat.S_ISSOCK(mode) and mode & 0o077 == 0  # nobody else may connect and drive it
    work = server._work
    assert work is not None and work.is_dir()
    server.close()
    wait_for(lambda: all_gone(server.pipe, work), timeout=20)


@needs_uno
def test_when_asystent_is_killed_its_libreoffice_and_profile_go_too(
    documents: list[Path],
) -> None:
    pipe, work = killed_asystent(documents[0])
    wait_for(lambda: all_gone(pipe, work), timeout=30)


@needs_uno
def test_a_document_it_cannot_read_is_a_polish_error_and_the_next_one_converts(
    documents: list[Path], cut: Path
) -> None:
    server = OfficeServer()
    try:
        with pytest.raises(PdfError, match=r"nie utworzył PDF z dokumentu ucięty\.docx"):
            server.convert([cut])
        assert not cut.with_suffix(".pdf").exists()
        (pdf,) = server.convert(documents[:1])
        assert pdf.read_bytes().startswith(b"%PDF") and server.starts == 1
    finally:
        server.close()


def test_pdf_of_converts_once_and_again_after_the_document_changed(documents: list[Path]) -> None:
    document = documents[0]
    pdf = pdf_of(document)
    first = pdf.stat()
    assert pdf_of(document).stat().st_ino == first.st_ino  # current: not converted again
    os.utime(document)  # the document rewritten (regenerated, or edited by hand)
    again = pdf_of(document)
    assert again.stat().st_mtime_ns == document.stat().st_mtime_ns != first.st_mtime_ns


def test_watch_with_pdf_makes_a_pdf_for_each_accepted_form(family_ws: Path, tmp_path: Path) -> None:
    days = ("2026-03-03", "2026-03-05")
    process = start_watch(family_ws, "--pdf", out=tmp_path)
    try:
        for day in days:
            write_yaml(family_ws / "wejscie" / f"wizyta {day}.yaml", visit_form(FAMILY_CASE, day))
        folder = family_ws / "dokumenty" / case_folder(FAMILY_CASE)
        wait_for(
            lambda: all((folder / f"protokol_wizyty_{day}.pdf").is_file() for day in days),
            timeout=90,
        )
    finally:
        assert stop_watch(process) == 0
    said = "\n".join(p.read_text() for p in tmp_path.glob("watch-*.out"))
    assert "✔ PDF: dokumenty" in said and "Traceback" not in said
    assert "5 marca 2026" in " ".join(pdf_text(folder / "protokol_wizyty_2026-03-05.pdf").split())


def test_web_gives_a_pdf_to_who_may_see_the_case_and_audits_it(demo: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(demo, ws)
    add_account(ws, "szef", "kierownik", "Barbara Przykładowa", "haslo-szefa-123")
    client = web_client(ws, "szef", "haslo-szefa-123")
    name = sorted((ws / "dokumenty" / CASE).glob("*.docx"))[0].name
    assert f"/sprawa/{CASE}/pdf/{name}" in client.get(f"/sprawa/{CASE}").get_data(as_text=True)
    answer = client.get(f"/sprawa/{CASE}/pdf/{name}")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    assert "attachment" in answer.headers["Content-Disposition"]
    assert name.replace(".docx", ".pdf") in (ws / "dane" / "audyt.jsonl").read_text("utf-8")
    assert client.get(f"/sprawa/{CASE}/pdf/nie_ma.docx").status_code == 404
    stranger = create_app(load_workspace(ws)).test_client()
    assert stranger.get(f"/sprawa/{CASE}/pdf/{name}").status_code == 302  # to the login page


def big_document(tmp_path: Path) -> Path:
    """A document LibreOffice needs a few seconds for."""
    import docx

    document = docx.Document()
    for number in range(6000):
        document.add_paragraph(f"Akapit {number}: " + "treść protokołu " * 12)
    path = tmp_path / "duży.docx"
    document.save(str(path))
    return path


@needs_uno
def test_killed_in_the_middle_of_a_conversion_asystent_leaves_no_libreoffice_nor_pdf(
    documents: list[Path], tmp_path: Path
) -> None:
    converting = (
        "threading.Thread(target=server.convert, args=([Path(sys.argv[2])],)).start()\n"
        "time.sleep(1.0)\n"
    )
    pipe, work = killed_asystent(documents[0], big_document(tmp_path), then=converting)
    wait_for(lambda: all_gone(pipe, work), timeout=30)  # the PDF being made lay in `work`
    assert not (tmp_path / "duży.pdf").exists()


@needs_uno
def test_a_socket_of_another_account_or_open_to_others_is_refused(tmp_path: Path) -> None:
    """Someone who binds the pipe's name first (it is in the process list) gets nothing."""
    import socket as sockets

    name = f"asystent_test_{os.getpid()}"
    path = Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}")
    check = (
        "import sys; sys.path.insert(0, sys.argv[1]); import uno_bridge\n"
        "try:\n    print(uno_bridge._socket_is_ours(sys.argv[2]))\n"
        "except PermissionError as error:\n    print('odmowa', error)\n"
    )
    bridge_folder = str(Path(uno_bridge_file()).parent)

    def verdict() -> str:
        done = subprocess.run(
            [str(uno_python()), "-I", "-c", check, bridge_folder, name],
            capture_output=True,
            text=True,
        )
        return done.stdout.strip() or done.stderr

    listener = sockets.socket(sockets.AF_UNIX)
    try:
        listener.bind(str(path))
        os.chmod(path, 0o777)  # noqa: S103 - the very mistake refused
        assert verdict().startswith("odmowa")  # others may connect to it
        os.chmod(path, 0o700)
        assert verdict() == "True"
        if os.getuid() == 0:
            os.chown(path, 65534, 65534)  # nobody's
            assert verdict().startswith("odmowa")
    finally:
        listener.close()
        path.unlink(missing_ok=True)


def uno_bridge_file() -> str:
    """The bridge's file (it imports `uno`, which this Python does not have)."""
    return str(Path(records.pdf.__file__).with_name("uno_bridge.py"))


@needs_uno
def test_no_pdf_is_left_for_a_document_erased_during_its_conversion(
    documents: list[Path], tmp_path: Path
) -> None:
    folder = tmp_path / "sprawa"
    folder.mkdir()
    document = folder / documents[0].name
    shutil.copy2(documents[0], document)

    @contextlib.contextmanager
    def erased_meanwhile() -> Iterator[None]:  # what an erase holding the store's lock does
        shutil.rmtree(folder)
        yield

    server = OfficeServer()
    try:
        with pytest.raises(PdfError, match="usunięto, zanim powstał jego PDF"):
            server.convert([document], guard=erased_meanwhile)
    finally:
        server.close()
    assert not folder.exists()  # not made again by the PDF


@needs_uno
def test_every_document_is_tried_and_a_failed_one_is_not_tried_again(
    documents: list[Path], cut: Path
) -> None:
    server = OfficeServer()
    try:
        with pytest.raises(PdfError, match=r"ucięty\.docx") as failed:
            server.convert([cut, documents[1]])
        assert "PDF" in str(failed.value)
        assert documents[1].with_suffix(".pdf").is_file()  # the next one was made all the same
        began = time.monotonic()
        with pytest.raises(PdfError, match=r"ucięty\.docx"):
            server.convert([cut])
        assert time.monotonic() - began < 0.5  # remembered: LibreOffice not asked again
    finally:
        server.close()
