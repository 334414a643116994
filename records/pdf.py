"""PDF copies of documents through LibreOffice (`--pdf` on generate, ingest and watch; the web).

Starting LibreOffice costs a second or more; converting a document, about a tenth of one. So one
LibreOffice is kept running per process (`OfficeServer`) and converts one document at a time;
when it dies it is started again. It listens on an owner-only local pipe with a private profile:
not unoserver, whose LibreOffice listens on a TCP port any local account may connect to and drive
(UNO can run programs), on a server that holds children's records. It is driven through
`uno_bridge.py`, run by a Python that has LibreOffice's `uno` module (Debian's python3-uno; on
Windows and macOS the Python inside LibreOffice). Without one, each batch starts its own
LibreOffice (`soffice --convert-to`), as before.

The PDF lies beside its `.docx` under the same name: a rendition of the current document, remade
with it; the `.docx` is the document of record and keeps its versions.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import queue
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO

from records.errors import AsystentError
from records.fsutil import atomic_write

_BATCH_TIMEOUT_S = 600
_START_TIMEOUT_S = 120
_CONVERT_TIMEOUT_S = 120
_BUSY_TIMEOUT_S = 60
_BRIDGE = Path(__file__).with_name("uno_bridge.py")


class PdfError(AsystentError):
    code = "pdf"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise PdfError(
            "Nie znaleziono programu LibreOffice (soffice), który tworzy pliki PDF. Zainstaluj "
            "LibreOffice (Linux: apt-get install libreoffice-writer-nogui python3-uno; Windows: "
            "libreoffice.org) albo uruchom polecenie bez opcji --pdf.",
            code="pdf_no_libreoffice",
        )
    return found


Guard = Callable[[], AbstractContextManager[object]]


def available() -> bool:
    """Whether PDFs can be made here (the web shows its "PDF" links only then)."""
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def to_pdf(documents: list[Path], *, guard: Guard = contextlib.nullcontext) -> list[Path]:
    """Convert `.docx` files to PDFs beside them; returns the PDFs. Each PDF is put in place
    holding `guard` (the store's lock), and only while its document is still there: an erase
    during a conversion leaves no PDF behind. Every document is tried; the PdfError raised at
    the end names each one that failed."""
    if not documents:
        return []
    if uno_python() is None:
        return _batch_to_pdf(documents, guard)
    return shared_server().convert(documents, guard=guard)


def pdf_of(document: Path, *, guard: Guard = contextlib.nullcontext) -> Path:
    """The PDF of `document` as it is now: the one beside it when made from this very file
    (it carries the document's modification time), otherwise made now."""
    made = document.with_suffix(".pdf")
    if not (made.is_file() and made.stat().st_mtime_ns == document.stat().st_mtime_ns):
        to_pdf([document], guard=guard)
    return made


def _place(pdf: bytes, document: Path, stamp: int, guard: Guard) -> Path:
    """Write the PDF beside its document, stamped with the document's time read before the
    conversion: a document rewritten meanwhile no longer matches, and is converted again."""
    target = document.with_suffix(".pdf")
    with guard():
        if not document.is_file():
            raise PdfError(f"Dokument {document.name} usunięto, zanim powstał jego PDF.")
        atomic_write(target, pdf)
        os.utime(target, ns=(stamp, stamp))
    return target


@functools.cache
def uno_python() -> str | None:
    """A Python that can import LibreOffice's `uno`, or None (then no server, only batches)."""
    office = Path(os.path.realpath(soffice())).parent
    candidates = [sys.executable, "/usr/bin/python3", office / "python", office / "python.exe"]
    for candidate in map(str, candidates):
        if not os.access(candidate, os.X_OK):
            continue
        probe = [candidate, "-I", "-c", "import uno"]  # -I: never a uno.py of the folder it runs in
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            done = subprocess.run(  # noqa: S603
                probe, capture_output=True, timeout=60, env=_clean_env(), cwd=Path(__file__).parent
            )
            if done.returncode == 0:
                return candidate
    return None


_shared: OfficeServer | None = None
_shared_lock = threading.Lock()


def shared_server() -> OfficeServer:
    """This process's LibreOffice, started at its first conversion and stopped at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = OfficeServer()
            atexit.register(_shared.close)
        return _shared


class OfficeServer:
    """One LibreOffice kept running and supervised: started when first needed, started again
    when it died, stopped by `close` (or by its bridge when this process dies)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._work: Path | None = None
        self._office: subprocess.Popen[bytes] | None = None
        self._bridge: subprocess.Popen[str] | None = None
        self._answers: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._failed: dict[tuple[str, int], str] = {}  # (document, its time) -> why it failed
        self.starts = 0  # how many times LibreOffice was started (read by tests and bench)
        self.pipe = ""  # the name of its local pipe (owner-only socket /tmp/OSL_PIPE_<uid>_<pipe>)

    @property
    def office_pid(self) -> int | None:
        return self._office.pid if self._office and self._office.poll() is None else None

    def convert(
        self, documents: list[Path], *, guard: Guard = contextlib.nullcontext
    ) -> list[Path]:
        """PDFs beside `documents` (see `to_pdf`), one document at a time."""
        if not self._lock.acquire(timeout=_BUSY_TIMEOUT_S):  # many asked at once (the web)
            raise PdfError(
                "LibreOffice jest zajęty tworzeniem innych plików PDF; spróbuj za chwilę.",
                code="pdf_busy",
            )
        try:
            made, failed = [], []
            for document in documents:
                try:
                    made.append(self._convert_one(document, guard))
                except PdfError as error:
                    failed.append(str(error))
            if failed:
                raise PdfError(" ".join(failed))
            return made
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._stop(gently=True)

    def _convert_one(self, document: Path, guard: Guard) -> Path:
        try:
            stamp = document.stat().st_mtime_ns
        except OSError:
            raise PdfError(
                f"Nie ma dokumentu {document.name}, z którego miał powstać PDF."
            ) from None
        known = self._failed.get((str(document), stamp))
        if known:  # the same file failed before: not another two minutes of LibreOffice
            raise PdfError(known)
        for _attempt in range(2):  # LibreOffice died during the conversion: start it, try once more
            work = self._running()
            produced = work / "pdf" / f"{secrets.token_hex(8)}.pdf"
            try:
                answer = self._ask({"docx": str(document.resolve()), "pdf": str(produced)})
                if answer == "ok" and produced.is_file():
                    return _place(produced.read_bytes(), document, stamp, guard)
            finally:
                with contextlib.suppress(OSError):
                    produced.unlink()
            if answer == "timeout":
                self._stop(gently=False)
                raise self._remember(
                    document,
                    stamp,
                    f"LibreOffice nie skończył konwersji dokumentu {document.name} do PDF w ciągu "
                    f"{_CONVERT_TIMEOUT_S // 60} minut; przy następnej konwersji uruchomi się od "
                    "nowa.",
                )
            if answer != "gone" and self._alive():
                raise self._remember(
                    document, stamp, f"LibreOffice nie utworzył PDF z dokumentu {document.name}."
                )
            self._stop(gently=False)
        raise PdfError(f"LibreOffice przestał działać przy dokumencie {document.name}.")

    def _remember(self, document: Path, stamp: int, message: str) -> PdfError:
        self._failed[(str(document), stamp)] = message
        return PdfError(message)

    def _alive(self) -> bool:
        return all(p is not None and p.poll() is None for p in (self._office, self._bridge))

    def _running(self) -> Path:
        if self._work is not None and self._alive():
            return self._work
        self._stop(gently=False)
        return self._start()

    def _start(self) -> Path:
        python = uno_python()
        if python is None:
            raise PdfError("Brak modułu uno LibreOffice (Linux: apt-get install python3-uno).")
        work = Path(tempfile.mkdtemp(prefix="asystent-office-"))  # owner-only (0700)
        (work / "pdf").mkdir()
        pipe = self.pipe = f"asystent_{secrets.token_hex(12)}"
        self._work = work
        office = self._office = subprocess.Popen(  # noqa: S603
            [
                soffice(),
                f"-env:UserInstallation={(work / 'profil').as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=work,
            umask=0o077,  # the pipe and the profile: owner-only
            start_new_session=True,  # Ctrl+C in the terminal stops asystent, which stops it
        )
        self._bridge = subprocess.Popen(  # noqa: S603
            [python, "-I", str(_BRIDGE), pipe, str(_START_TIMEOUT_S), str(work), str(office.pid)],
            cwd=work,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=_clean_env(),
            start_new_session=True,
        )
        self._answers = queue.SimpleQueue()
        reader = threading.Thread(
            target=_read_lines, args=(self._bridge.stdout, self._answers), daemon=True
        )
        reader.start()
        self.starts += 1
        if self._next_answer(_START_TIMEOUT_S) != "gotowy":
            self._stop(gently=False)
            raise PdfError("LibreOffice nie uruchomił się do tworzenia plików PDF.")
        return work

    def _ask(self, job: dict[str, str]) -> str:
        stdin = self._bridge.stdin if self._bridge else None
        try:
            if stdin is None:
                return "gone"
            stdin.write(json.dumps(job) + "\n")
            stdin.flush()
        except OSError:
            return "gone"
        return self._next_answer(_CONVERT_TIMEOUT_S)

    def _next_answer(self, timeout: float) -> str:
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            return "timeout"
        if line is None:
            return "gone"
        try:
            answer = json.loads(line)
        except ValueError:
            return "gone"
        if answer.get("ok"):
            return "ok"
        return "gotowy" if answer.get("gotowy") else "blad"

    def _stop(self, *, gently: bool) -> None:
        bridge, office, work = self._bridge, self._office, self._work
        self._bridge = self._office = self._work = None
        if bridge is not None:
            with contextlib.suppress(OSError):
                if bridge.stdin is not None:
                    bridge.stdin.close()  # the bridge then shuts LibreOffice down
            _end(bridge, wait=5 if gently else 0)
        if office is not None:
            _end(office, wait=10 if gently else 0, group=True)
            _remove_pipe_socket(self.pipe)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _remove_pipe_socket(pipe: str) -> None:
    """The socket of LibreOffice's pipe, which a killed LibreOffice leaves in /tmp: only ours
    (`records.uno_bridge` removes it too when it shuts LibreOffice down, asystent gone)."""
    if os.name != "posix" or not pipe:
        return
    for folder in ("/tmp", "/var/tmp"):  # noqa: S108 - where LibreOffice puts its pipes
        path = Path(folder) / f"OSL_PIPE_{os.getuid()}_{pipe}"
        with contextlib.suppress(OSError):
            found = path.lstat()
            if stat.S_ISSOCK(found.st_mode) and found.st_uid == os.getuid():
                path.unlink()


def _end(process: subprocess.Popen, *, wait: float, group: bool = False) -> None:
    """Wait for `process` to end by itself, then kill it (and, with `group`, all it started:
    `soffice` is a launcher whose child `soffice.bin` would outlive it)."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=wait)
        if not group:
            return
    with contextlib.suppress(OSError):
        if group and hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the group is its pid
        else:
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _read_lines(stream: IO[str] | None, answers: queue.SimpleQueue[str | None]) -> None:
    for line in stream or ():
        answers.put(line)
    answers.put(None)


def _clean_env() -> dict[str, str]:
    """The environment for LibreOffice's Python: without asystent's own Python settings."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _batch_to_pdf(documents: list[Path], guard: Guard = contextlib.nullcontext) -> list[Path]:
    """Without a `uno` module: one `soffice --convert-to` run for the whole batch."""
    program = soffice()
    stamps = [document.stat().st_mtime_ns for document in documents]
    with tempfile.TemporaryDirectory(prefix="asystent-pdf-") as work:
        profile = Path(work) / "profil"  # a private profile: no clash with a LibreOffice in use
        outdir = Path(work) / "pdf"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, documents),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=_BATCH_TIMEOUT_S, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise PdfError("LibreOffice nie skończył konwersji do PDF w 10 minut.") from None
        made = []
        for document, stamp in zip(documents, stamps, strict=True):
            produced = outdir / f"{document.stem}.pdf"
            if not produced.is_file():
                raise PdfError(f"LibreOffice nie utworzył PDF z dokumentu {document.name}.")
            made.append(_place(produced.read_bytes(), document, stamp, guard))
    return made
