"""Template work in a separate process with hard limits on time and memory.

Staff edit templates, so a template is untrusted code. The sandbox (`records.render`) refuses what
it can recognise, but a loop over a long literal, a recursive macro or `|center(1500000000)`
still runs for minutes or allocates gigabytes. So every render and every check of a template
happens in a worker process that the service can kill:

- time: the caller waits at most `time_limit` seconds for an answer, then kills the worker (the
  next call starts a fresh one) and reports the template in Polish;
- memory: the worker limits its own address space at start (POSIX `RLIMIT_AS`; on Windows a job
  object with a process memory limit), so an allocation beyond it fails inside the worker;
- a template that failed on a limit is remembered by its file's identity and refused at once
  until the file changes, so one bad template does not cost the limit for every form.

The worker is `python -m records.worker`, connected through `multiprocessing.connection` (a Unix
socket or a Windows named pipe) with a random key: a plain subprocess behaves the same on Linux
and Windows and needs no re-import of the caller's `__main__`. Each process keeps compiled templates
between calls, so a batch compiles each template once per process. There are up to two
processes (one per core): a service renders through one, and `generate --all` renders two cases
at once; a template stopped at a limit in one process does not stop the other.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from records.errors import TemplateError

DEFAULT_TIME_LIMIT_S = 20.0
DEFAULT_MEMORY_LIMIT_MB = 1024
_START_TIMEOUT_S = 30.0


class TemplateWorker:
    """Up to `processes` worker processes, each started on first use and again after it was
    killed; thread-safe. One call goes to one process at a time; a second process starts only
    when two calls overlap (`generate --all` renders two cases at once, one per core)."""

    def __init__(
        self,
        time_limit: float = DEFAULT_TIME_LIMIT_S,
        memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
        processes: int = 1,
    ) -> None:
        self.time_limit = time_limit
        self.memory_limit_mb = memory_limit_mb
        self._idle = [_Process() for _ in range(max(1, processes))]
        self._all = list(self._idle)
        self._free = threading.Condition()
        self._refused: dict[tuple[str, int, int], TemplateError] = {}
        self._warming: _WarmUp | None = None
        self._warming_lock = threading.Lock()

    def warm_up(self, template: Path) -> None:
        """Start a process and compile `template` in it, in the background, while the caller
        counts on the other core (with one process, one core, it would only compete with the
        counting): the next call waits for it and finds both ready. What went wrong (a broken
        template, a process that would not start) is raised by the next call of the same
        template, so it is reported once, where it always was, and never waited for twice."""
        if len(self._all) < 2:
            return
        self._after_warm_up(None)  # one at a time: a second waits for the first
        warm = _WarmUp(template)

        def compile_template() -> None:
            try:
                self._call("compile", template, str(template), warming=warm)
            except Exception as err:  # noqa: BLE001 - kept for the call that needs the template
                warm.error = err
            finally:
                warm.done.set()

        thread = threading.Thread(target=compile_template, daemon=True)
        with self._warming_lock:
            self._warming = warm
            thread.start()

    # -- calls -------------------------------------------------------------------------------
    def render(self, template: Path, context: dict[str, Any]) -> bytes:
        """The finished document of `template` with `context`; TemplateError on any problem."""
        return self._call("render", template, str(template), context)

    def render_hashed(self, template: Path, context: dict[str, Any]) -> tuple[bytes, str]:
        """The finished document and its `records.render.content_hash`, both made in the worker."""
        data, digest = self._call("render_hashed", template, str(template), context)
        return data, digest

    def check(self, job: str, template: Path, *args: Any) -> Any:
        """Run one of the worker's check jobs (`records.worker_jobs.JOBS`) on `template`."""
        return self._call(job, template, *args)

    def _call(self, job: str, template: Path, *args: Any, warming: _WarmUp | None = None) -> Any:
        identity = _identity(template)
        if warming is None:
            self._after_warm_up(identity)
        if identity in self._refused:
            raise self._refused[identity]
        with self._process(warming is not None) as process:
            conn = process.started(self.memory_limit_mb)
            try:
                conn.send((job, args))
                if not conn.poll(self.time_limit):
                    process.kill()
                    raise self._remember(identity, _too_slow(template.name, self.time_limit))
                answer = conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                process.kill()
                if warming is not None and warming.abandoned:  # killed by close(), not its fault
                    raise TemplateError("Przerwano przy zamykaniu.", code="worker_closed") from None
                raise self._remember(identity, _too_big(template.name)) from None
            except BaseException:  # Ctrl+C meanwhile: its answer must never reach the next call
                process.kill()
                raise
            if answer[0] == "memory":
                process.kill()  # it may be left in a bad state: the next call starts afresh
        status = answer[0]
        if status == "ok":
            return answer[1]
        if status == "template":
            raise TemplateError(answer[2], code=answer[1])
        if status == "memory":
            raise self._remember(identity, _too_big(template.name))
        raise TemplateError(
            f"Szablonu {template.name} nie udało się wypełnić (błąd programu: {answer[1]}).",
            code="template_render",
        )

    def _after_warm_up(self, identity: tuple[str, int, int] | None) -> None:
        """Wait for a warm-up under way (then the warmed process is the idle one used last);
        raise what went wrong in it if this call is for the same, unchanged template."""
        with self._warming_lock:  # left in place while waited for: close() must still find it
            warm = self._warming
        if warm is None:
            return
        warm.done.wait()  # not Thread.join: after a Ctrl+C there, is_alive() can stay True
        with self._warming_lock:
            if self._warming is warm:
                self._warming = None
            error, warm.error = warm.error, None  # raised once, by whichever call comes first
        if error is not None and not warm.abandoned and warm.identity == identity:
            raise error

    def _remember(self, identity: tuple[str, int, int], error: TemplateError) -> TemplateError:
        if identity[1]:
            self._refused[identity] = error
        return error

    @contextmanager
    def _process(self, warming: bool = False) -> Iterator[_Process]:
        """An idle process, the one used last first (so a service keeps to one)."""
        with self._free:
            while not self._idle:
                self._free.wait()
            process = self._idle.pop()
        try:
            with process.lock:  # so that close() at exit waits for a call under way
                process.warming = warming
                try:
                    yield process
                finally:
                    process.warming = False
        finally:
            with self._free:
                self._idle.append(process)
                self._free.notify()

    def close(self) -> None:
        """Stop the processes (at exit). One only warming up is killed at once: waiting for it
        would keep a command that failed meanwhile from ending, up to the time limit."""
        with self._warming_lock:
            warm, self._warming = self._warming, None
        if warm is not None:
            warm.abandoned = True
            deadline = time.monotonic() + _START_TIMEOUT_S / 10
            while not warm.done.is_set() and time.monotonic() < deadline:
                for process in self._all:  # and what it starts meanwhile, until it gives up
                    if process.warming:
                        process.abandon()
                warm.done.wait(0.02)
        for process in self._all:
            process.close()


class _WarmUp:
    """A compile started ahead of the call that needs it (`TemplateWorker.warm_up`)."""

    def __init__(self, template: Path) -> None:
        self.identity = _identity(template)
        self.done = threading.Event()  # set when the compile has ended, however
        self.error: Exception | None = None
        self.abandoned = False  # the worker was closed meanwhile: its outcome means nothing


class _Process:
    """One worker process and its connection; used by one call at a time (`TemplateWorker`)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()  # held by the call using it, and by kill() and close()
        self.warming = False  # the call holding it is a warm-up (`TemplateWorker.close`)
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._memory_limit_mb = 0

    def started(self, memory_limit_mb: int) -> Connection:
        """The running process, or a new one (none yet, it died, or the limit has changed)."""
        running = self._process is not None and self._process.poll() is None
        if self._conn is not None and running and self._memory_limit_mb == memory_limit_mb:
            return self._conn
        self.kill()
        self._memory_limit_mb = memory_limit_mb
        key = secrets.token_bytes(32)
        family = "AF_PIPE" if sys.platform == "win32" else "AF_UNIX"
        address = None
        if family == "AF_UNIX":  # a private folder: the socket is ours alone
            address = os.path.join(tempfile.mkdtemp(prefix="asystent-"), "worker")
        try:
            with Listener(address, family=family, authkey=key) as listener:
                self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                    [sys.executable, "-m", "records.worker", str(listener.address)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                stdin = self._process.stdin
                if stdin is not None:  # the key goes by a pipe, never on the command line
                    with contextlib.suppress(OSError):  # it died already: _accept says so
                        stdin.write(key.hex().encode() + b"\n" + f"{memory_limit_mb}\n".encode())
                        stdin.close()
                self._conn = _accept(listener, self._process)
        finally:
            if address:  # the listener removed its socket when it closed
                shutil.rmtree(os.path.dirname(address), ignore_errors=True)
        return self._conn

    def kill(self) -> None:
        with self.lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self._process is not None:
                if self._process.poll() is None:
                    self._process.kill()
                self._process.wait()
                self._process = None

    def abandon(self) -> None:
        """Kill the process without waiting for the call holding it (a warm-up at exit): that
        call then ends on the closed connection, or at once if it was still starting it."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def close(self) -> None:
        """Ask the process to stop (at exit), then make sure it has."""
        with self.lock:
            if self._conn is not None and self._process is not None:
                try:
                    self._conn.send(None)
                    self._process.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self.kill()


def _accept(listener: Listener, process: subprocess.Popen[bytes]) -> Connection:
    """The worker's connection, or a Polish error if it never came up: at once when the process
    ended (it failed to start, or close() killed it), else after `_START_TIMEOUT_S`."""
    result: list[Connection] = []

    def accept() -> None:
        with contextlib.suppress(Exception):  # it died in the handshake: reported below
            result.append(listener.accept())

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not result and process.poll() is None and time.monotonic() < deadline:
        thread.join(0.05)
    thread.join(0.05)  # a connection made just before the process ended
    if not result:
        process.kill()
        _wake(listener, thread)
        raise TemplateError(
            "Nie udało się uruchomić procesu, który wypełnia szablony dokumentów.",
            code="worker_start",
        )
    return result[0]


def _wake(listener: Listener, thread: threading.Thread) -> None:
    """End the thread still waiting in `accept()`: closing the listener does not wake it on
    Linux, so connect and hang up at once; its handshake then fails and it returns."""
    address = listener.address
    if not thread.is_alive() or not isinstance(address, str) or sys.platform == "win32":
        return
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(1)
        sock.connect(address)
    thread.join(1)


def _identity(template: Path) -> tuple[str, int, int]:
    try:
        stat = template.stat()
    except OSError:
        return (str(template), 0, 0)
    return (str(template), stat.st_mtime_ns, stat.st_size)


def _too_slow(name: str, limit: float) -> TemplateError:
    return TemplateError(
        f"Szablon {name} działał dłużej niż {limit:g} s i został przerwany (pętla bez końca albo "
        "zbyt kosztowne obliczenia w znacznikach {% %}); popraw szablon.",
        code="template_timeout",
    )


def _too_big(name: str) -> TemplateError:
    return TemplateError(
        f"Szablon {name} potrzebował więcej pamięci, niż wolno szablonowi, i został przerwany "
        "(np. bardzo długi tekst tworzony w znacznikach); popraw szablon.",
        code="template_memory",
    )


_shared: TemplateWorker | None = None
_shared_lock = threading.Lock()


def shared_worker(
    time_limit: float | None = None, memory_limit_mb: int | None = None
) -> TemplateWorker:
    """The process's one worker (a service renders through it for its whole life)."""
    global _shared
    with _shared_lock:
        if _shared is None:  # one process per core, up to two (a second one only when needed)
            _shared = TemplateWorker(processes=min(2, os.cpu_count() or 1))
            atexit.register(_shared.close)
        if time_limit is not None:
            _shared.time_limit = time_limit
        if memory_limit_mb is not None:  # each process restarts with it at its next call
            _shared.memory_limit_mb = memory_limit_mb
        return _shared


def template_worker(ws: Any) -> TemplateWorker:
    """The shared worker with the limits the workspace's settings give (`[dokumenty]`)."""
    documents = ws.settings.dokumenty
    return shared_worker(documents.limit_czasu_s, documents.limit_pamieci_mb)


# -- the worker's side ---------------------------------------------------------------------------


def _limit_memory(megabytes: int) -> None:
    """Cap this process's memory: an allocation past it raises MemoryError here."""
    limit = megabytes * 1024 * 1024
    if sys.platform == "win32":
        _windows_job_limit(limit)
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _windows_job_limit(limit: int) -> None:  # pragma: no cover - Windows only
    """A job object with a per-process memory limit, holding this process."""
    import ctypes
    from ctypes import wintypes

    class IoCounters(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_ulonglong)
            for name in (
                "ReadOperationCount",
                "WriteOperationCount",
                "OtherOperationCount",
                "ReadTransferCount",
                "WriteTransferCount",
                "OtherTransferCount",
            )
        ]

    class BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", wintypes.DWORD),
            ("SchedulingClass", wintypes.DWORD),
        ]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", BasicLimits),
            ("IoInfo", IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    job = kernel32.CreateJobObjectW(None, None)
    info = ExtendedLimits()
    info.BasicLimitInformation.LimitFlags = 0x100 | 0x2000  # PROCESS_MEMORY | KILL_ON_JOB_CLOSE
    info.ProcessMemoryLimit = limit
    kernel32.SetInformationJobObject(job, 9, ctypes.byref(info), ctypes.sizeof(info))
    kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess())


def _serve(address: str, key: bytes, memory_mb: int) -> None:
    _limit_memory(memory_mb)
    from records.worker_jobs import JOBS  # imported after the limit: the templates' code runs there

    family = "AF_PIPE" if sys.platform == "win32" else "AF_UNIX"
    with Client(address, family=family, authkey=key) as conn:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            job, args = message
            try:
                conn.send(("ok", JOBS[job](*args)))
            except TemplateError as err:
                conn.send(("template", err.code, str(err)))
            except MemoryError:
                conn.send(("memory",))
                return
            except Exception as err:  # noqa: BLE001 - reported to the caller, never a traceback
                conn.send(("error", type(err).__name__))


if __name__ == "__main__":
    _secret = bytes.fromhex(sys.stdin.readline().strip())
    _memory = int(sys.stdin.readline().strip())
    _serve(sys.argv[1], _secret, _memory)
