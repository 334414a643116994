"""`asystent watch`: the service that turns every file dropped into `wejscie/` into records.

The watcher only finds files that are completely written and hands them to the pipeline:
- events (watchdog: native, or polling for network shares where inotify sees nothing) and a full
  rescan at start and every minute (events are dropped on overflow and split on Windows moves) both
  feed a `StabilityTracker`;
- a file is ready when it still exists, its size and mtime have not changed for `settle` seconds
  by our own clock, and it can be opened for reading (Windows: Word still holding it cannot);
- one service per workspace holds the lease `asystent.watch.lock`; a second one waits, saying which
  one is active;
- each ready file is claimed by an atomic rename into `.w_toku/<computer-process>/` before any work
  (a rename fails for everyone but one, also over SMB), so a file is never processed twice even if
  leases fail on a network share; the pipeline also works under the store's write lock. Claimed
  files left by a killed service go back to the inbox when the next one starts. A file that fails
  for a system reason (a broken template) goes back to the inbox and is retried after a pause.
A stop request (Ctrl+C, SIGTERM) lets the file in progress finish.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from records.drafts import Drafts
from records.errors import AsystentError, os_error_text
from records.fsutil import (
    atomic_write,
    move_file,
    open_for_writing,
    surely_not_open_for_writing,
    unique_target,
)
from records.log import get_logger
from records.pipeline import CHANGED, Outcome, Pipeline
from records.readers import is_ignored, looks_unfinished
from records.settings import Workspace
from records.store import Lease

RETRY_AFTER_FAILURE_S = 10.0  # a broken template or a full disk: try again after this
LEASE_INFO = "asystent.watch.json"
RESCAN_S = 60.0
TICK_S = 0.1
LEASE_CHECK_S = 2.0  # how often the service checks that it still holds its lease
MOVE_PAIRING_S = 0.02  # see _pair_moves_quickly
UNFINISHED_WAIT_S = (
    300.0  # a zero-filled or cut-off file is awaited this long after its last change
)


class StabilityTracker:
    """Decides when a file is completely written; driven by an injectable clock.

    Ready means: it still exists, its size and mtime have not changed for `settle` seconds, no
    program has it open for writing (`busy`, asked of the system), it can be opened, and its
    content does not look cut off (`unfinished`: zero-filled or a zip without its end). A file
    that still looks unfinished is held back for up to `unfinished_wait` seconds after its last
    change; after that it goes on (and is rejected with the reason).
    """

    def __init__(
        self,
        settle: float,
        clock: Callable[[], float] = time.monotonic,
        *,
        busy: Callable[[Path], bool] = open_for_writing,
        surely_idle: Callable[[Path], bool] = surely_not_open_for_writing,
        unfinished: Callable[[Path], bool] = lambda path: _content_unfinished(path),
        unfinished_wait: float = UNFINISHED_WAIT_S,
    ) -> None:
        self.settle = settle
        self.clock = clock
        self.busy = busy
        self.surely_idle = surely_idle
        self.unfinished = unfinished
        self.unfinished_wait = unfinished_wait
        self._seen: dict[Path, tuple[tuple[int, int], float]] = {}

    def touch(self, path: Path, *, event: str | None = None) -> None:
        """A sign of life from `path` (an event, or a rescan that found it).

        It need not settle when the system said its writer closed it or it was moved within the
        inbox (`event="closed"`), or when it appeared (`"created"`: a file moved in from
        elsewhere arrives so) and the system answers for sure that nobody has it open for
        writing. It is still checked when it goes: unchanged since, no writer holding it,
        readable, not cut off."""
        signature = _signature(path)
        complete = event == "closed" or (event == "created" and self.surely_idle(path))
        if signature is None:
            self._seen.pop(path, None)
        elif complete:
            self._seen[path] = (signature, self.clock() - self.settle)
        elif path not in self._seen or self._seen[path][0] != signature:
            self._seen[path] = (signature, self.clock())

    def ready(self) -> list[Path]:
        """Files unchanged for `settle` seconds that can be read; forgotten once returned."""
        now = self.clock()
        done: list[Path] = []
        for path, (signature, since) in list(self._seen.items()):
            current = _signature(path)
            if current is None:  # removed before we got to it: not an error
                del self._seen[path]
            elif current != signature:
                self._seen[path] = (current, now)
            elif not self._still_waiting(path, now - since):
                del self._seen[path]
                done.append(path)
        return done

    def _still_waiting(self, path: Path, unchanged_for: float) -> bool:
        if unchanged_for < self.settle or not _readable(path) or self.busy(path):
            return True
        return unchanged_for < self.unfinished_wait and self.unfinished(path)

    def __len__(self) -> int:
        return len(self._seen)


def _content_unfinished(path: Path) -> bool:
    try:
        return looks_unfinished(path.read_bytes(), path.suffix)
    except OSError:
        return True


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def _readable(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError:  # e.g. a sharing violation while Word or a copy still holds it
        return False
    return True


class _Inbox(FileSystemEventHandler):
    """Hands every path an event names to the main thread, with what the event says of it
    (`StabilityTracker.touch`); does no work itself.

    Only the system's own events (`native`) are passed on as "closed" (closed after writing, or
    renamed within the inbox) or "created" (a move into the inbox from elsewhere arrives so, as
    does the start of a new file's writing). Polled events are guesses from comparing listings:
    those files always settle."""

    def __init__(self, paths: queue.SimpleQueue[tuple[Path, str | None]], *, native: bool) -> None:
        self.paths = paths
        self.native = native

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("deleted", "opened", "closed_no_write"):
            return
        target = getattr(event, "dest_path", "") or event.src_path
        kind = {"closed": "closed", "moved": "closed", "created": "created"}.get(event.event_type)
        self.paths.put((Path(os.fsdecode(target)), kind if self.native else None))


@dataclass
class WatchOptions:
    polling: bool = False
    interval: float = 1.0  # seconds between polls of a network share
    settle: float | None = None  # seconds a file must stay unchanged; default by observer kind
    once: bool = False

    @property
    def settle_seconds(self) -> float:
        if self.settle is not None:
            return self.settle
        return max(2.0, 2 * self.interval) if self.polling else 0.5


class Watcher:
    """The service loop for one workspace."""

    def __init__(
        self,
        ws: Workspace,
        options: WatchOptions,
        stop: threading.Event | None = None,
        on_outcome: Callable[[Outcome], None] = lambda outcome: None,
    ) -> None:
        self.ws = ws
        self.on_outcome = on_outcome
        self.options = options
        self.stop = stop or threading.Event()
        self.log = get_logger(ws.log_file)
        self.pipeline = Pipeline(ws, command="watch")
        self.tracker = StabilityTracker(options.settle_seconds)
        self.events: queue.SimpleQueue[tuple[Path, str | None]] = queue.SimpleQueue()
        self.outcomes: list[Outcome] = []
        self.claims = ws.claims / f"{socket.gethostname()}-{os.getpid()}"
        self.deferred: dict[Path, float] = {}  # failed for a system reason: retry after a pause

    def run(self, announce: Callable[[str], None] = print) -> list[Outcome]:
        while True:
            with self._lease(announce) as lease:
                if self.stop.is_set():
                    return self.outcomes
                polled = f"odpytywanie co {self.options.interval:.1f} s"
                kind = polled if self.options.polling else "zdarzenia systemu"
                self.log.info("Usługa watch uruchomiona (%s), folder %s", kind, self.ws.inbox)
                if self.options.once:
                    announce(f"Przetwarzam pliki czekające w {self.ws.inbox}.")
                else:
                    announce(f"Obserwuję {self.ws.inbox} ({kind}). Zatrzymanie: Ctrl+C.")
                self._guarded(self._remove_stale_temp_files)
                self._guarded(Drafts(self.ws).remove_expired)  # personal data past its day
                self._guarded(self._return_abandoned_claims)
                self._guarded(self._rescan)
                if self.options.once:
                    self._drain_until_empty()
                    lost = False
                else:
                    lost = self._serve(lease)
                if self.claims.is_dir() and not any(self.claims.iterdir()):
                    self.claims.rmdir()
                self.log.info("Usługa watch zatrzymana")
            if not lost or self.stop.is_set():
                return self.outcomes
            said = "Utracono połączenie z bazą danych, które dawało tej usłudze prawo do pracy"
            announce(f"{said}; czekam, aż znów będzie można pracować.")
            self.log.error("%s; czekam na nie ponownie", said)

    def _serve(self, lease: Lease) -> bool:
        """Watch until stopped; True if the lease was lost meanwhile (the database's session
        that held it ended: another service may be active now, so this one stops taking files)."""
        # watchdog reports its own threads' hiccups through logging, in English, to stderr
        # (e.g. on stop: "queue_events() called when the thread is inactive"); the log is ours.
        quiet = logging.getLogger("watchdog")
        quiet.addHandler(logging.NullHandler())
        quiet.propagate = False
        _pair_moves_quickly()
        observer = (
            PollingObserver(timeout=self.options.interval) if self.options.polling else Observer()
        )
        inbox = _Inbox(self.events, native=not self.options.polling)
        observer.schedule(inbox, str(self.ws.inbox), recursive=True)
        observer.start()
        last_scan = last_check = time.monotonic()
        try:
            while not self.stop.is_set():
                if time.monotonic() - last_check >= LEASE_CHECK_S:
                    if not lease.held():
                        return True
                    last_check = time.monotonic()
                self._guarded(self._tick)
                if time.monotonic() - last_scan >= RESCAN_S:
                    self._guarded(self._rescan)
                    self._guarded(Drafts(self.ws).remove_expired)
                    last_scan = time.monotonic()
                self.stop.wait(TICK_S)
        finally:
            observer.stop()
            observer.join(timeout=5)
        return False

    def _drain_until_empty(self) -> None:
        while len(self.tracker) and not self.stop.is_set():
            self._guarded(self._tick)
            self.stop.wait(TICK_S)

    def _guarded(self, step: Callable[[], object]) -> None:
        """The service keeps running whatever one round meets (a share gone, a full disk)."""
        try:
            step()
        except OSError as err:
            self.log.error("Usługa watch: %s; ponowię za chwilę", os_error_text(err))
            self.stop.wait(5.0)
        except Exception as err:  # noqa: BLE001 - the service's own last resort
            self.log.error(
                "Usługa watch: nieoczekiwany błąd (%s); działam dalej", type(err).__name__
            )
            self.stop.wait(5.0)

    def _tick(self) -> None:
        while True:
            try:
                path, said = self.events.get_nowait()
            except queue.Empty:
                break
            if path not in self.deferred and _wanted(path, self.ws.inbox):
                self.tracker.touch(path, event=said)
        now = time.monotonic()
        for path, until in list(self.deferred.items()):
            if until <= now:  # its pause is over: it settles and goes again
                del self.deferred[path]
                self.tracker.touch(path)
        ready = [p for p in self.tracker.ready() if p not in self.deferred]
        for path in self.pipeline.order(ready):
            if self.stop.is_set():  # stop requested: the rest stay waiting, untouched
                break
            try:
                self._process(path)
            except OSError as err:  # claiming or putting back failed: the file stays where it is
                self.log.error("Plik %s: %s; ponowię później", path.name, os_error_text(err))
                self.deferred[path] = now + RETRY_AFTER_FAILURE_S

    def _process(self, path: Path) -> None:
        claimed = self._claim(path)
        if claimed is None:  # taken by another service, removed, or still held by a program
            return
        outcome = self.pipeline.process(claimed)  # never raises for a problem of one file
        if claimed.exists():  # not finished, or a fault to wait out: back to the inbox
            back = move_file(claimed, path.parent, path.name)  # never over a newer file
            if outcome.status == CHANGED:
                self.tracker.touch(back)  # settles again, no pause
            else:
                self.deferred[back] = time.monotonic() + RETRY_AFTER_FAILURE_S
        if outcome.status == CHANGED:
            return
        outcome.source = path
        self.outcomes.append(outcome)
        self.on_outcome(outcome)

    def _claim(self, path: Path) -> Path | None:
        """Take the file out of the inbox with one atomic rename before touching its content."""
        self.claims.mkdir(parents=True, exist_ok=True)
        target = unique_target(self.claims, path.name)
        try:
            os.rename(path, target)
        except OSError:
            return None
        return target

    def _return_abandoned_claims(self) -> None:
        """Files a killed service had claimed go back to the inbox (we hold the lease now)."""
        root = self.ws.claims
        for claimed in sorted(root.glob("*/*")) if root.is_dir() else []:
            if claimed.is_file():
                back = move_file(claimed, self.ws.inbox, claimed.name)
                self.log.info("Plik %s wrócił do kolejki po przerwanej pracy usługi", back.name)
        for folder in root.glob("*") if root.is_dir() else []:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def _remove_stale_temp_files(self) -> None:
        """Temp files of atomic writes cut short by a crash (never a finished file)."""
        with self.pipeline.store.writing():
            for folder in (self.ws.data, self.ws.documents, self.ws.rejected):
                for temp in folder.rglob(".*.tmp"):
                    temp.unlink(missing_ok=True)

    def _rescan(self) -> None:
        for path in sorted(self.ws.inbox.rglob("*")):
            if path not in self.deferred and path.is_file() and _wanted(path, self.ws.inbox):
                self.tracker.touch(path)

    @contextmanager
    def _lease(self, announce: Callable[[str], None]) -> Iterator[Lease]:
        lock = self.pipeline.store.lease()
        info = self.ws.root / LEASE_INFO
        told = False
        while not self.stop.is_set():
            if lock.acquire(timeout=1):
                break
            if not told:
                announce(
                    f"Inna usługa asystent watch już obsługuje tę przestrzeń ({_holder(info)}); czekam."
                )
                self.log.info("Czekam: tę przestrzeń obsługuje już %s", _holder(info))
                told = True
        else:
            yield lock
            return
        try:
            me = {
                "komputer": socket.gethostname(),
                "pid": os.getpid(),
                "od": time.strftime("%Y-%m-%d %H:%M:%S"),
            }
            try:
                atomic_write(info, json.dumps(me, ensure_ascii=False).encode("utf-8"), private=True)
            except OSError as err:  # only the note of who is active: the service works without
                self.log.error("Nie zapisano informacji o usłudze: %s", os_error_text(err))
            yield lock
        finally:
            lock.release()


@contextmanager
def service_stopped(ws: Workspace, why: str) -> Iterator[None]:
    """Hold the service's lease for a command that must not run beside it (erasing a case)."""
    from records.store import open_store

    lock = open_store(ws).lease()
    if not lock.acquire(timeout=0):
        raise AsystentError(
            f"Działa usługa asystent watch ({_holder(ws.root / LEASE_INFO)}); zatrzymaj ją na czas, "
            f"gdy {why}, i spróbuj ponownie."
        )
    try:
        yield
    finally:
        lock.release()


def _holder(info: Path) -> str:
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
        return f"komputer {data['komputer']}, proces {data['pid']}, od {data['od']}"
    except (OSError, ValueError, KeyError):
        return "nieznany proces"


def _pair_moves_quickly() -> None:
    """watchdog holds an IN_MOVED_FROM without its IN_MOVED_TO for 0.5 s, to pair the two halves
    of a rename, and every later event of the folder waits behind it. Each file the watcher
    claims is renamed out of the inbox, so each one held the next file's events back by 0.5 s.
    The kernel queues both halves of a rename together, so a short wait still pairs them."""
    try:
        from watchdog.observers.inotify_move_event_grouper import InotifyMoveEventGrouper
    except ImportError:  # not Linux, or another watchdog: its own default stands
        return
    InotifyMoveEventGrouper.delay = MOVE_PAIRING_S


def _wanted(path: Path, inbox: Path) -> bool:
    """Form files in the inbox; not our own temp files, hidden folders or editors' lock files."""
    try:
        relative = path.relative_to(inbox)
    except ValueError:
        return False
    return not any(part.startswith(".") for part in relative.parts) and not is_ignored(path)


def install_stop_handlers(stop: threading.Event) -> None:
    """Ctrl+C and SIGTERM ask the loop to stop after the file in progress."""

    def handler(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, handler)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)
