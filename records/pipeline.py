"""The ingestion pipeline: form file -> validated model -> stored record -> document -> filed away.

Stages, each with its own failure handling:
1. read      (`readers.read_form`)       bad bytes or syntax        -> reject
2. validate  (`validate.validate_form`)  schema, rules, case rules  -> reject
3. store     (`Store.add_record`)        append-only, atomic        -> system error, file stays
4. render    (`documents.issue`)         template problems          -> system error, file stays
5. file away (`fsutil.move_file`)        original to przetworzone/, or odrzucone/ + .bledy.txt

Exactly once: everything for one file happens under the store's write lock; the file's sha256 is
kept in its record and in the accepted-files index, so a file processed again after a crash (or
dropped twice) is recognised and never stored twice. A rejected file leaves no trace in the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from records.documents import Issued, issue
from records.errors import AsystentError, FieldError, FormRejected
from records.fsutil import atomic_write, move_file, sha256_file, unique_target
from records.log import get_logger
from records.models import DATE_FIELD, FORMS, Form, case_key
from records.readers import is_ignored, read_form
from records.settings import Workspace
from records.store import Record, Store, new_record_id, now, open_store
from records.validate import record_key, validate_form

ACCEPTED, REJECTED, DUPLICATE, SKIPPED, FAILED = (
    "przyjęty",
    "odrzucony",
    "duplikat",
    "pominięty",
    "błąd systemu",
)


@dataclass
class Outcome:
    """What happened to one file; the CLI prints it, tests assert on it."""

    source: Path
    status: str
    moved_to: Path | None = None
    sprawa: str | None = None
    formularz: str | None = None
    documents: list[Issued] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    report: Path | None = None
    message: str = ""


class Pipeline:
    """Processes form files for one workspace; `command` names who did it (ingest, watch, demo)."""

    def __init__(
        self,
        ws: Workspace,
        store: Store | None = None,
        *,
        command: str = "ingest",
        today: dt.date | None = None,
    ) -> None:
        self.ws = ws
        self.store = store or open_store(ws.data)
        self.command = command
        self.today = today or dt.date.today()
        self.log = get_logger(ws.log_file)

    # -- many files ----------------------------------------------------------------------------
    def process_many(self, paths: list[Path]) -> list[Outcome]:
        """Family sheets first, then the other forms by their dates (SPEC "Order and retries")."""
        return [self.process(path) for path in order_files(paths)]

    # -- one file -------------------------------------------------------------------------------
    def process(self, path: Path, *, in_place_rejected: bool = False) -> Outcome:
        """Take one file through every stage. `in_place_rejected`: a file already in odrzucone/."""
        if is_ignored(path) or not path.is_file():
            return Outcome(path, SKIPPED, message="plik tymczasowy lub systemowy albo już usunięty")
        with self.store.writing():
            if not path.exists():  # another process took it while we waited for the lock
                return Outcome(path, SKIPPED, message="plik został już zabrany")
            sha = sha256_file(path)
            earlier = self.store.accepted(sha)
            if earlier:
                return self._duplicate(path, sha, earlier, in_place_rejected)
            try:
                form = read_form(path)
            except FormRejected as rejection:
                return self._reject(path, rejection.errors, in_place_rejected)
            try:
                model = validate_form(form.data, self.ws.settings, self.store, self.today)
            except FormRejected as rejection:
                return self._reject(path, form.where(rejection.errors), in_place_rejected)
            try:
                outcome = self._accept(path, sha, model, form.notes, in_place_rejected)
            except AsystentError as err:
                self.log.error("Nie przetworzono pliku %s: %s", path.name, err)
                return Outcome(path, FAILED, message=str(err))
        if model.formularz == "metryczka_rodziny":
            self._retry_waiting(model.sprawa)
        return outcome

    def _accept(
        self, path: Path, sha: str, model: Form, notes: list[str], in_place_rejected: bool
    ) -> Outcome:
        sprawa = self.store.find_case(model.sprawa) or model.sprawa
        stored = [r for r in self.store.records(sprawa) if r.zrodlo["sha256"] == sha]
        if stored:  # processed before a crash: the record exists, finish the rest
            record = stored[0]
        else:
            record = Record(
                id=new_record_id(),
                formularz=model.formularz,
                sprawa=sprawa,
                klucz=record_key(model),
                dane=model.model_dump(mode="json", exclude={"sprawa"}) | {"sprawa": sprawa},
                zrodlo={"plik": path.name, "sha256": sha},
                przyjeto=now(),
                polecenie=self.command,
            )
            self.store.add_record(record)
        issued = issue(self.ws, self.store, record, command=self.command)
        self.store.mark_accepted(sha, {"plik": path.name, "sprawa": sprawa, "rekord": record.id})
        self.store.audit(
            "przyjecie",
            sprawa=sprawa,
            formularz=record.formularz,
            rekord=record.id,
            plik_sha256=sha,
            dokument=issued.path.name,
            polecenie=self.command,
        )
        moved = move_file(path, self.ws.processed)
        if in_place_rejected:
            report_path(path).unlink(missing_ok=True)
        for note in notes:
            self.log.info("Plik %s: %s", path.name, note)
        self.log.info(
            "Przyjęto plik %s (sprawa %s, %s); dokument: %s (%s)",
            path.name,
            sprawa,
            record.formularz,
            issued.path.name,
            issued.status,
        )
        return Outcome(
            path, ACCEPTED, moved, sprawa, record.formularz, [issued], message="; ".join(notes)
        )

    def _duplicate(self, path: Path, sha: str, earlier: dict, in_place_rejected: bool) -> Outcome:
        moved = move_file(path, self.ws.processed)
        if in_place_rejected:
            report_path(path).unlink(missing_ok=True)
        message = f"ta sama treść co przyjęty wcześniej plik {earlier.get('plik')}"
        self.log.info(
            "Pominięto duplikat %s: %s (sprawa %s)", path.name, message, earlier.get("sprawa")
        )
        self.store.audit("duplikat", sprawa=earlier.get("sprawa"), plik_sha256=sha)
        return Outcome(path, DUPLICATE, moved, earlier.get("sprawa"), message=message)

    def _reject(self, path: Path, errors: list[FieldError], in_place_rejected: bool) -> Outcome:
        """File the original away with its report; the store is not touched (no trace)."""
        # The report first: a crash before the move leaves the file waiting, never a rejected file
        # without its reasons.
        target = path if in_place_rejected else unique_target(self.ws.rejected, path.name)
        report = report_path(target)
        atomic_write(report, error_report(target.name, errors).encode("utf-8"))
        if not in_place_rejected:
            move_file(path, self.ws.rejected, target.name)
        fields = ", ".join(dict.fromkeys(e.path or "plik" for e in errors))
        self.log.warning(
            "Odrzucono plik %s: błędów %d (%s); opis w %s",
            path.name,
            len(errors),
            fields,
            report.name,
        )
        return Outcome(path, REJECTED, target, errors=errors, report=report)

    # -- forms waiting for their family sheet -----------------------------------------------------
    def _retry_waiting(self, sprawa: str) -> None:
        """A family sheet arrived: rejected forms of that case get another go, where they lie.

        `odrzucone/` is small and is the only record of rejected files (a rejection leaves no trace
        in the store), so it is simply scanned. A form still wrong gets a fresh error report.
        """
        for rejected in sorted(self.ws.rejected.rglob("*")):
            if rejected.is_file() and not is_ignored(rejected):
                waiting_for = _case_of(rejected)
                if isinstance(waiting_for, str) and case_key(waiting_for) == case_key(sprawa):
                    self.log.info(
                        "Ponawiam plik %s: metryczka sprawy %s już jest", rejected.name, sprawa
                    )
                    self.process(rejected, in_place_rejected=True)

    def retry(self, paths: list[Path] | None = None) -> list[Outcome]:
        """Process rejected files again, where they lie in odrzucone/ (after a fix in place)."""
        if paths is None:
            paths = [p for p in self.ws.rejected.rglob("*") if p.is_file() and not is_ignored(p)]
        return [self.process(p, in_place_rejected=True) for p in order_files(paths)]


def error_report(name: str, errors: list[FieldError]) -> str:
    """The Polish text of `NAME.bledy.txt`: every error, field path first."""
    lines = [
        f"Plik: {name}",
        f"Odrzucono: {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        "Formularz nie został przyjęty: nic z niego nie zapisano i nie utworzono żadnego dokumentu.",
        "Popraw poniższe błędy i wrzuć plik ponownie do folderu wejscie/",
        "(albo popraw go w tym folderze i uruchom: asystent retry).",
        "",
        f"Błędy ({len(errors)}):",
    ]
    for number, error in enumerate(errors, start=1):
        where = error.path or "cały plik"
        lines.append(f"{number}. {where}: {error.message}")
    return "\n".join(lines) + "\n"


def report_path(path: Path) -> Path:
    """`NAME.bledy.txt` beside a rejected file."""
    return path.with_name(path.name + ".bledy.txt")


def _case_of(path: Path) -> object:
    try:
        return read_form(path).data.get("sprawa")
    except (FormRejected, OSError):
        return None


def order_files(paths: list[Path]) -> list[Path]:
    """Family sheets first, then by the form's own date, then by name; unreadable files last."""

    def key(path: Path) -> tuple[int, str, str]:
        try:
            data = read_form(path).data
        except (FormRejected, OSError):
            return (2, "", path.name)
        kind = data.get("formularz")
        if kind == "metryczka_rodziny":
            return (0, "", path.name)
        date = data.get(DATE_FIELD[kind]) if kind in FORMS else None
        return (1, date if isinstance(date, str) else "9999", path.name)

    return sorted(paths, key=key)
