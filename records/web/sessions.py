"""Sessions of the web interface that the server can end.

Flask's session is a signed cookie: valid until it expires, whatever the server thinks, so a copied
cookie would outlive a logout. Here the cookie carries a random session id, and the server keeps
the ids it issued (`dane/sesje.json`, owner-only, hashed: the file holds no usable cookie). A
request is logged in only while its id is listed, unexpired, for an account that still exists,
is active, and has the session version the id was issued under:

- logout removes the id (a copy of the cookie stops working at once);
- a password change raises the account's session version (every older session ends; the one that
  changed it is issued anew);
- removing or disabling an account ends its sessions too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import threading
from pathlib import Path

from filelock import FileLock

from records.fsutil import atomic_write

SESSIONS_FILE = "sesje.json"
SESSION_HOURS = 8  # an office day


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class Sessions:
    """The registry of live sessions; one per workspace, shared by the server's threads."""

    def __init__(
        self, data: Path, lifetime: dt.timedelta = dt.timedelta(hours=SESSION_HOURS)
    ) -> None:
        self.path = data / SESSIONS_FILE
        self.lifetime = lifetime
        self._lock = FileLock(str(data / ".sesje.lock"), mode=0o600)
        self._memory = threading.Lock()
        self._cached: tuple[tuple[int, int], dict[str, dict]] | None = None

    def _load(self) -> dict[str, dict]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._memory:
            if self._cached and self._cached[0] == stamp:
                return self._cached[1]
            try:
                sessions = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                sessions = {}
            self._cached = (stamp, sessions)
            return sessions

    def _change(self, edit) -> None:  # type: ignore[no-untyped-def]
        with self._lock:
            sessions = dict(self._load())
            edit(sessions)
            now = dt.datetime.now().astimezone()
            live = {k: v for k, v in sessions.items() if dt.datetime.fromisoformat(v["do"]) > now}
            atomic_write(self.path, json.dumps(live, sort_keys=True).encode(), private=True)

    def open(self, login: str, version: int) -> str:
        """A new session for `login`; returns its id (kept in the signed cookie only)."""
        sid = secrets.token_urlsafe(32)
        until = dt.datetime.now().astimezone() + self.lifetime
        entry = {"login": login, "wersja": version, "do": until.isoformat(timespec="seconds")}
        self._change(lambda sessions: sessions.__setitem__(_digest(sid), entry))
        return sid

    def valid(self, sid: str, login: str, version: int) -> bool:
        entry = self._load().get(_digest(sid))
        if entry is None or entry["login"] != login or entry["wersja"] != version:
            return False
        return dt.datetime.fromisoformat(entry["do"]) > dt.datetime.now().astimezone()

    def ends(self, sid: str) -> dt.datetime | None:
        """When the session ends (a form page says so: what is typed after that is lost
        unless it was saved as a draft)."""
        entry = self._load().get(_digest(sid))
        return dt.datetime.fromisoformat(entry["do"]) if entry else None

    def close(self, sid: str) -> None:
        self._change(lambda sessions: sessions.pop(_digest(sid), None))

    def close_all(self, login: str) -> None:
        """End every session of an account (removed, disabled, or its password changed)."""

        def drop(sessions: dict[str, dict]) -> None:
            for key in [k for k, v in sessions.items() if v["login"] == login]:
                del sessions[key]

        self._change(drop)
