"""Accounts of the web interface, their roles, and what each role may do.

Accounts live in `dane/uzytkownicy.json` (owner-only, written atomically) with argon2 password
hashes. An assistant or a social worker is tied to the name the forms use (`asystent`,
`pracownik_socjalny` in the fact sheet), and sees only the families that name them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

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
    "kierownik": {"sprawy", "wysylanie", "generowanie", "terminy", "sprawozdanie", "szablony"},
    "sekretariat": {"sprawy", "wysylanie", "generowanie", "szablony"},
    "archiwista": {"sprawy", "archiwizacja"},
}

_HASHER = PasswordHasher()
# Verified when the login is unknown, so a wrong login takes as long as a wrong password.
_DUMMY = _HASHER.hash("nie-ma-takiego-konta")


@dataclass(frozen=True)
class User:
    login: str
    rola: str
    nazwa: str  # the name forms use for this person ("Anna Wiśniewska"); for others, any name
    haslo: str  # argon2 hash
    utworzono: str

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
        found = self._load().get(login)
        return User(**found) if found else None

    def all(self) -> list[User]:
        return [User(**u) for _, u in sorted(self._load().items())]

    def add(self, login: str, rola: str, nazwa: str, password: str) -> User:
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
        if login in users:
            raise UsageError(f"Konto „{login}” już istnieje.")
        user = User(login, rola, nazwa.strip() or login, _HASHER.hash(password), now())
        users[login] = asdict(user)
        self._save(users)
        return user

    def remove(self, login: str) -> None:
        users = self._load()
        if login not in users:
            raise NotFoundError(f"Nie ma konta „{login}”.")
        del users[login]
        self._save(users)

    def authenticate(self, login: str, password: str) -> User | None:
        user = self.get(login)
        try:
            _HASHER.verify(user.haslo if user else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        return user
