"""Drafts of browser forms: what a person has typed and not sent yet, kept for them alone.

A draft lives beside the store, in `dane/szkice/` (owner-only like the store's files, never in
the shared folder): one JSON file per draft with its author, its form kind, when it was saved
and the page's values as typed. Only its author lists, opens or removes it. It goes when its
form is accepted, when it is older than `[formularze] szkic_dni` days, and with its case's data
on erasure (`records.erase` looks for the case number and the members' PESEL numbers in these
files as it does in the inbox).

Drafts are not records: nothing in them is validated, and nothing reaches the store, the
documents or the reports until the form is sent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from records.errors import UsageError
from records.fsutil import atomic_write, private_dir
from records.settings import Workspace

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
        # Not ASCII-escaped: erasure finds a case's drafts by the text in them.
        raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if len(raw) > MAX_DRAFT_BYTES:
            raise UsageError("Szkic jest za duży, żeby go zapisać; wyślij formularz albo go skróć.")
        atomic_write(private_dir(self.folder) / f"{draft.id}.json", raw, private=True)
        return draft

    def of(self, login: str) -> list[Draft]:
        """The author's drafts, newest first (expired ones are removed on the way)."""
        found = [d for d in self._all() if d.login == login]
        return sorted(found, key=lambda d: d.saved, reverse=True)

    def get(self, login: str, draft_id: str) -> Draft | None:
        """The draft, if it exists, has not expired and is this person's."""
        if not _ID.fullmatch(draft_id or ""):
            return None
        draft = self._read(self.folder / f"{draft_id}.json")
        return draft if draft is not None and draft.login == login else None

    def remove(self, login: str, draft_id: str) -> bool:
        draft = self.get(login, draft_id)
        if draft is None:
            return False
        (self.folder / f"{draft.id}.json").unlink(missing_ok=True)
        return True

    def remove_expired(self) -> int:
        before = len(list(self.folder.glob("*.json"))) if self.folder.is_dir() else 0
        return before - len(self._all())

    def _all(self) -> list[Draft]:
        paths = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        return [d for d in map(self._read, paths) if d is not None]

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
