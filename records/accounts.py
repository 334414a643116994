"""Accounts of the web interface, their roles, and what each role may do.

Accounts live in `dane/uzytkownicy.json` (owner-only, written atomically) with argon2 password
hashes. An assistant or a social worker is tied to the name the forms use (`asystent`,
`pracownik_socjalny` in the fact sheet); which cases that lets them see is `records.access`.

Logins are compared in their normal form (`normal_login`: NFKC, no outer spaces, lower case), so
"Anna ", "anna" and "ＡＮＮＡ" are one account to the login, to its throttle and to `users add`.
Each account has a session version: changing the password or removing the account ends every
session made before (`records.web.sessions` checks it on each request).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, replace

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from records.errors import NotFoundError, UsageError
from records.fsutil import atomic_write
from records.settings import Workspace
from records.store import now

USERS_FILE = "uzytkownicy.json"
MIN_PASSWORD = 10

ROLES = {
    "asystent": "asystent rodziny",
    "pracownik_socjalny": "pracownik socjalny",
    "kierownik": "kierownik",
    "sekretariat": "sekretariat",
    "archiwista": "archiwista",
}

# What each role may do. "sprawy_wlasne": only the families that name this person.
PERMISSIONS: dict[str, set[str]] = {
    "asystent": {"sprawy_wlasne", "wysylanie", "generowanie", "terminy", "sprawozdanie"},
    "pracownik_socjalny": {"sprawy_wlasne", "wysylanie", "terminy"},
    "kierownik": {
        "sprawy",
        "wysylanie",
        "generowanie",
        "terminy",
        "sprawozdanie",
        "szablony",
        "konta",
    },
    "sekretariat": {"sprawy", "wysylanie", "generowanie", "szablony"},
    "archiwista": {"sprawy", "archiwizacja"},
}

_HASHER = PasswordHasher()
_dummy: list[str] = []  # made on first use: nothing is computed at import time


def _dummy_hash() -> str:
    """Verified when the login is unknown, so a wrong login takes as long as a wrong password."""
    if not _dummy:
        _dummy.append(_HASHER.hash("nie-ma-takiego-konta"))
    return _dummy[0]


def normal_login(login: str) -> str:
    return unicodedata.normalize("NFKC", login).strip().casefold()


@dataclass(frozen=True)
class User:
    login: str
    rola: str
    nazwa: str  # the name forms use for this person ("Anna Wiśniewska"); for others, any name
    haslo: str  # argon2 hash
    utworzono: str
    wersja_sesji: int = 1  # raised by a password change: sessions of an older version end
    aktywne: bool = True

    def may(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.rola]

    @property
    def sees_all(self) -> bool:
        return self.may("sprawy")


class Users:
    def __init__(self, ws: Workspace) -> None:
        self.path = ws.data / USERS_FILE

    def _load(self) -> dict[str, dict]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, users: dict[str, dict]) -> None:
        data = json.dumps(users, ensure_ascii=False, indent=2).encode("utf-8")
        atomic_write(self.path, data, private=True)

    def get(self, login: str) -> User | None:
        """The account of a login as typed (compared in its normal form), or None."""
        wanted = normal_login(login)
        for key, found in self._load().items():
            if normal_login(key) == wanted:
                return User(**found)
        return None

    def all(self) -> list[User]:
        return [User(**u) for _, u in sorted(self._load().items())]

    def add(self, login: str, rola: str, nazwa: str, password: str) -> User:
        login = normal_login(login)
        if not login.isascii() or not login.replace(".", "").replace("_", "").isalnum():
            raise UsageError("Login może zawierać tylko litery bez polskich znaków, cyfry, . i _.")
        if rola not in ROLES:
            raise UsageError(f"Nieznana rola „{rola}”; dostępne: {', '.join(ROLES)}.")
        if rola in ("asystent", "pracownik_socjalny") and not nazwa.strip():
            raise UsageError(
                "Dla asystenta i pracownika socjalnego podaj --nazwa: imię i nazwisko tak, jak "
                "występuje w formularzach (po nim program wie, które rodziny ta osoba widzi)."
            )
        if len(password) < MIN_PASSWORD:
            raise UsageError(f"Hasło musi mieć co najmniej {MIN_PASSWORD} znaków.")
        users = self._load()
        if self.get(login) is not None:
            raise UsageError(f"Konto „{login}” już istnieje.")
        user = User(login, rola, nazwa.strip() or login, _HASHER.hash(password), now())
        users[login] = asdict(user)
        self._save(users)
        return user

    def remove(self, login: str) -> None:
        users = self._load()
        user = self.get(login)
        if user is None:
            raise NotFoundError(f"Nie ma konta „{login}”.")
        del users[user.login]
        self._save(users)

    def set_password(self, login: str, password: str) -> User:
        """A new password; every session of the account made before it ends."""
        if len(password) < MIN_PASSWORD:
            raise UsageError(f"Hasło musi mieć co najmniej {MIN_PASSWORD} znaków.")
        users = self._load()
        user = self.get(login)
        if user is None:
            raise NotFoundError(f"Nie ma konta „{login}”.")
        changed = replace(user, haslo=_HASHER.hash(password), wersja_sesji=user.wersja_sesji + 1)
        users[user.login] = asdict(changed)
        self._save(users)
        return changed

    def set_active(self, login: str, active: bool) -> User:
        """Disable an account (its sessions end: their version is passed) or enable it again."""
        users = self._load()
        user = self.get(login)
        if user is None:
            raise NotFoundError(f"Nie ma konta „{login}”.")
        changed = replace(user, aktywne=active, wersja_sesji=user.wersja_sesji + 1)
        users[user.login] = asdict(changed)
        self._save(users)
        return changed

    def authenticate(self, login: str, password: str) -> User | None:
        user = self.get(login)
        if user is not None and not user.aktywne:
            user = None
        try:
            _HASHER.verify(user.haslo if user else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        return user
