"""Drafts of browser forms: what a person has typed and not sent yet, kept for them alone.

A draft lives beside the store, in `dane/szkice/AUTHOR/ID.json` (owner-only like the store's
files, never in the shared folder; AUTHOR is a hash of the login): its author, its form kind,
when it was saved and the page's values as typed. Only its author lists, opens or removes it.
It goes when its form is accepted, when it is older than `[formularze] szkic_dni` days (checked
by the web server and the watcher), when its author's account is removed, and with its case on
erasure (`Drafts.about`: the case number in its case field, or a member's PESEL anywhere).

Drafts are not records: nothing in them is validated, and nothing reaches the store, the
documents or the reports until the form is sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import time
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from records.errors import UsageError
from records.fsutil import atomic_write, private_dir
from records.identity import case_key
from records.settings import Workspace
from records.text import whole_words

MAX_DRAFTS = 30  # per person: a draft is a form put aside, not a filing cabinet
MAX_DRAFT_BYTES = 512 * 1024
_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Draft:
    id: str
    login: str
    kind: str
    saved: dt.datetime
    values: dict[str, list[str]]  # input name -> values as typed
    rows: dict[str, int]  # table key -> rows shown

    @property
    def sprawa(self) -> str:
        return (self.values.get("sprawa") or [""])[0].strip()


class Drafts:
    def __init__(self, ws: Workspace) -> None:
        self.folder = ws.data / "szkice"
        self.keep = dt.timedelta(days=ws.settings.formularze.szkic_dni)

    def expires(self, draft: Draft) -> dt.datetime:
        return draft.saved + self.keep

    def save(
        self,
        login: str,
        kind: str,
        values: dict[str, list[str]],
        rows: dict[str, int],
        draft_id: str = "",
    ) -> Draft:
        """A new draft, or the author's draft `draft_id` replaced by what the page holds now."""
        earlier = self.get(login, draft_id) if draft_id else None
        if earlier is None and len(self.of(login)) >= MAX_DRAFTS:
            raise UsageError(
                f"Masz już {MAX_DRAFTS} szkiców. Wyślij albo usuń niektóre (strona główna), "
                "zanim zapiszesz kolejny."
            )
        draft = Draft(
            earlier.id if earlier else uuid.uuid4().hex,
            login,
            kind,
            dt.datetime.now().replace(microsecond=0),
            values,
            rows,
        )
        payload = {
            "autor": draft.login,
            "formularz": draft.kind,
            "zapisano": draft.saved.isoformat(),
            "wartosci": draft.values,
            "wiersze": draft.rows,
        }
        raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if len(raw) > MAX_DRAFT_BYTES:
            raise UsageError("Szkic jest za duży, żeby go zapisać; wyślij formularz albo go skróć.")
        private_dir(self.folder)
        atomic_write(private_dir(self._own(login)) / f"{draft.id}.json", raw, private=True)
        return draft

    def of(self, login: str) -> list[Draft]:
        """The author's drafts, newest first (expired ones are removed on the way)."""
        folder = self._own(login)
        found = [self._read(p) for p in folder.glob("*.json")] if folder.is_dir() else []
        return sorted(
            (d for d in found if d is not None and d.login == login),
            key=lambda d: d.saved,
            reverse=True,
        )

    def get(self, login: str, draft_id: str) -> Draft | None:
        """The draft, if it exists, has not expired and is this person's."""
        if not _ID.fullmatch(draft_id or ""):
            return None
        draft = self._read(self._own(login) / f"{draft_id}.json")
        return draft if draft is not None and draft.login == login else None

    def remove(self, login: str, draft_id: str) -> Draft | None:
        """The author's draft, removed (None: there was none)."""
        draft = self.get(login, draft_id)
        if draft is not None:
            (self._own(login) / f"{draft.id}.json").unlink(missing_ok=True)
        return draft

    def remove_all(self, login: str) -> int:
        """Every draft of an account that is removed: a new account of the same login is
        another person."""
        folder = self._own(login)
        count = len(list(folder.glob("*.json"))) if folder.is_dir() else 0
        shutil.rmtree(folder, ignore_errors=True)
        return count

    def remove_expired(self) -> int:
        """Drafts past their day, and what a killed save left half-written; returns how many
        drafts went."""
        gone = 0
        for path in self.folder.glob("*/*") if self.folder.is_dir() else []:
            if path.suffix == ".json":
                gone += self._read(path) is None
            elif time.time() - path.stat().st_mtime > 3600:
                path.unlink(missing_ok=True)
        return gone

    def about(self, sprawa: str, pesels: Iterable[str], others: Iterable[str] = ()) -> list[Path]:
        """The files of drafts about a case, whoever wrote them: the case number in their case
        field (compared as case numbers are), or one of `pesels` as a whole number in any
        field (a new case's fact sheet, a case number mistyped) unless the case field names
        another existing case (`others`: their keys), whose draft it is."""
        other_keys = set(others)
        pesel = whole_words([p for p in pesels if p])
        found = []
        for path in sorted(self.folder.glob("*/*.json")) if self.folder.is_dir() else []:
            draft = self._read(path)
            if draft is None:
                continue
            typed = unicodedata.normalize("NFKC", draft.sprawa).strip()
            texts = (v for values in draft.values.values() for v in values)
            if case_key(typed) == case_key(sprawa) or (
                case_key(typed) not in other_keys and any(pesel.search(t) for t in texts)
            ):
                found.append(path)
        return found

    def _own(self, login: str) -> Path:
        return self.folder / hashlib.sha256(login.encode("utf-8")).hexdigest()[:32]

    def _read(self, path: Path) -> Draft | None:
        """The draft in `path`; an expired or unreadable one is removed (None)."""
        try:
            raw = json.loads(path.read_bytes())
            draft = Draft(
                path.stem,
                str(raw["autor"]),
                str(raw["formularz"]),
                dt.datetime.fromisoformat(raw["zapisano"]),
                {str(k): [str(v) for v in vs] for k, vs in dict(raw["wartosci"]).items()},
                {str(k): int(v) for k, v in dict(raw["wiersze"]).items()},
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            path.unlink(missing_ok=True)  # half a draft helps nobody; it may hold personal data
            return None
        if dt.datetime.now() >= self.expires(draft):
            path.unlink(missing_ok=True)
            return None
        return draft
