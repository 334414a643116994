"""The ingestion pipeline: form file -> validated model -> stored record -> document -> filed away.

Stages, each with its own failure handling (`Status` and the codes of `Outcome` name them):
1. read      the file's bytes, once                  unreadable now       -> wait (office fault)
2. parse     (`readers.parse_form`)                  bad bytes or syntax  -> reject
3. validate  (`validate.validate_form`)              schema, rules, case  -> reject
4. admit     erased case, the sender's rights        (`records.access`)   -> reject
5. render    (`documents.prepare`, in the worker)    template problems    -> wait (office fault)
6. commit    document file, then record + registry   disk full            -> wait (office fault)
7. file away original to przetworzone/, or odrzucone/ + .bledy.txt

Exactly once: everything for one file happens under the store's write lock; the file's sha256 is
kept in its record and in the accepted-files index, so a file processed again after a crash (or
dropped twice) is recognised and never stored twice. A rejected file leaves no trace in the store.
Record and document are one unit of work: the document is rendered in memory before anything is
written, and the record is stored only together with its document's registry entry.

What is stored is what was read: the bytes are read once, hashed and parsed from that one copy,
and before the commit the file must be unchanged on disk and not open for writing, else the
attempt is dropped and the file waits to settle again.

Every file has its own last-resort boundary (`process`): an unexpected error becomes an outcome
with the code `unexpected`; a file that failed unexpectedly several times (or was being processed
when the service died, several times) is set aside in `odrzucone/` with a report, and the rest go
on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from records.access import may_see, submit_refusal
from records.accounts import Users
from records.case import Case
from records.documents import Issued, prepare, write
from records.errors import (
    AsystentError,
    FieldError,
    FormRejected,
    TemplateError,
    UsageError,
    os_error_text,
)
from records.fsutil import (
    atomic_write,
    fit_name,
    move_file,
    open_for_writing,
    sha256_bytes,
    unique_target,
)
from records.kept_facts import keep_facts
from records.log import get_logger
from records.models import DATE_FIELD, FORMS, Form, case_key
from records.models.common import normal_case_number
from records.readers import FormInput, is_ignored, parse_form, read_form
from records.scans import ScanTarget, check_scan, is_scan, store_scan, target_of
from records.settings import Workspace
from records.store import Record, Store, new_record_id, now, open_store
from records.text import shown
from records.validate import case_errors, check_form, loggable, parse_model, record_key

REPORT_SUFFIX = ".bledy.txt"
MAX_UNEXPECTED_FAILURES = 3  # a file that failed this often for no reason of its own is set aside
MAX_UNFINISHED_ATTEMPTS = 5  # ... or was in progress when the service died this often
_PARSES_KEPT = 1000


class Status(StrEnum):
    ACCEPTED = "przyjęty"
    REJECTED = "odrzucony"
    DUPLICATE = "duplikat"
    SKIPPED = "pominięty"
    FAILED = "błąd systemu"
    CHANGED = "w trakcie zapisu"


ACCEPTED, REJECTED, DUPLICATE, SKIPPED, FAILED, CHANGED = (
    Status.ACCEPTED,
    Status.REJECTED,
    Status.DUPLICATE,
    Status.SKIPPED,
    Status.FAILED,
    Status.CHANGED,
)


@dataclass
class Outcome:
    """What happened to one file; the CLI prints it, tests assert on it.

    `code` is stable (tests, the log, support): for FAILED it says whose fault it was: `template`,
    `disk`, `store_busy` (the office's: wait and retry) or `unexpected` (the program's)."""

    source: Path
    status: Status
    moved_to: Path | None = None
    sprawa: str | None = None
    formularz: str | None = None
    documents: list[Issued] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    report: Path | None = None
    message: str = ""
    code: str = ""
    notices: list[str] = field(default_factory=list)  # for an accepted form: what to know now


class FileChanged(Exception):
    """The file changed, or is still open for writing, after it was read: not finished yet."""


@dataclass(frozen=True)
class _Snapshot:
    raw: bytes
    sha256: str
    identity: tuple[int, int, int]


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
        self.store = store or open_store(ws)
        self.command = command
        self.today = today or dt.date.today()
        self.log = get_logger(ws.log_file)
        self._parsed: dict[str, FormInput | FormRejected] = {}  # by sha256, see `order`
        self.parses = 0  # how many times a form was parsed (tests count them)

    # -- many files ----------------------------------------------------------------------------
    def process_many(self, paths: list[Path], *, sender: str | None = None) -> list[Outcome]:
        """Family sheets first, then the other forms by their dates (SPEC "Order and retries")."""
        return [self.process(path, sender=sender) for path in self.order(paths)]

    def order(self, paths: list[Path]) -> list[Path]:
        """`order_files`, keeping each file's parse for when it is processed: a form is parsed
        once (the parse is found again by the sha256 of the bytes, so a file that changed in
        between is parsed anew)."""
        return order_files(paths, self._parse_for_order)

    def _parse_for_order(self, path: Path) -> FormInput:
        raw = path.read_bytes()
        return self._parse(raw, path.suffix, sha256_bytes(raw))

    def _parse(self, raw: bytes, suffix: str, sha: str) -> FormInput:
        """`parse_form`, once per content: FormRejected for a bad file, the same each time."""
        found = self._parsed.pop(sha, None)
        if found is None:
            self.parses += 1
            try:
                found = parse_form(raw, suffix)
            except FormRejected as rejection:
                found = rejection
        while len(self._parsed) >= _PARSES_KEPT:
            self._parsed.pop(next(iter(self._parsed)))
        self._parsed[sha] = found
        if isinstance(found, FormRejected):
            raise found
        return found

    # -- one file -------------------------------------------------------------------------------
    def process(
        self,
        path: Path,
        *,
        sender: str | None = None,
        in_place_rejected: bool = False,
        scan_of: ScanTarget | None = None,
    ) -> Outcome:
        """Take one file through every stage; never raises for a problem of one file.

        `sender`: the login of a web user who sent it (None: the shared folder or the command
        line, trusted as the office's own). `in_place_rejected`: a file already in odrzucone/.
        """
        try:
            return self._process(path, sender, in_place_rejected, scan_of)
        except FileChanged:
            self.log.info("Plik %s jest jeszcze zapisywany; poczekam, aż się skończy", path.name)
            return Outcome(
                path,
                CHANGED,
                message="plik jest jeszcze zapisywany przez inny program",
                code="changed",
            )
        except TemplateError as err:
            self.log.error("Nie przetworzono pliku %s: %s", path.name, err)
            return Outcome(path, FAILED, message=str(err), code="template")
        except OSError as err:
            text = os_error_text(err)
            self.log.error("Nie przetworzono pliku %s: %s; ponowię później", path.name, text)
            return Outcome(path, FAILED, message=text, code="disk")
        except AsystentError as err:
            self.log.error("Nie przetworzono pliku %s: %s", path.name, err)
            return Outcome(path, FAILED, message=str(err), code=err.code)
        except Exception as err:  # noqa: BLE001 - the last-resort boundary of one file
            self.log.error(
                "Nieoczekiwany błąd programu przy pliku %s (%s); plik czeka na ponowienie",
                path.name,
                type(err).__name__,
            )
            return Outcome(
                path,
                FAILED,
                message=f"nieoczekiwany błąd programu ({type(err).__name__})",
                code="unexpected",
            )

    def _process(
        self,
        path: Path,
        sender: str | None,
        in_place_rejected: bool,
        scan_of: ScanTarget | None = None,
    ) -> Outcome:
        if is_ignored(path) or not path.is_file():
            return Outcome(path, SKIPPED, message="plik tymczasowy lub systemowy albo już usunięty")
        rejected_name = self._rejected_name(path) if in_place_rejected else None
        if rejected_name is not None and sender is None:
            sender = self.store.sender_of(rejected_name)  # a retried upload keeps its sender
        with self.store.writing():
            if not path.exists():  # another process took it while we waited for the lock
                return Outcome(path, SKIPPED, message="plik został już zabrany")
            snapshot = _read(path)
            earlier = self.store.accepted(snapshot.sha256)
            if earlier:
                refusal = self._refusal_for_known_case(sender, earlier.get("sprawa"))
                if refusal:  # not even "a duplicate of ..." for someone else's case
                    return self._reject(path, [refusal], in_place_rejected, sender, snapshot)
                return self._duplicate(path, snapshot.sha256, earlier, in_place_rejected)
            counts = self.store.attempts(snapshot.sha256)
            if _worn_out(counts):
                return self._set_aside(path, counts, in_place_rejected)
            self.store.set_attempts(snapshot.sha256, {**counts, "proby": counts["proby"] + 1})
            try:
                if is_scan(path):
                    outcome, model = self._scan(path, snapshot, in_place_rejected, sender, scan_of)
                else:
                    outcome, model = self._stages(path, snapshot, in_place_rejected, sender)
            except (FileChanged, TemplateError, OSError, AsystentError):
                before = counts if counts["proby"] or counts["bledy"] else None  # not its fault
                self._quietly(self.store.set_attempts, snapshot.sha256, before)
                raise
            except Exception:
                failed = {**counts, "proby": counts["proby"] + 1, "bledy": counts["bledy"] + 1}
                self._quietly(self.store.set_attempts, snapshot.sha256, failed)
                raise
        if model is not None and (
            model.KIND.opens_case or model.formularz == "przydzielenie_asystenta"
        ):
            self._retry_waiting(model.sprawa)  # forms that waited for the case may fit it now
        return outcome

    def _stages(
        self, path: Path, snapshot: _Snapshot, in_place_rejected: bool, sender: str | None
    ) -> tuple[Outcome, Form | None]:
        """Parse, validate, admit, then accept or reject (under the lock, the file read)."""
        try:
            form = self._parse(snapshot.raw, path.suffix, snapshot.sha256)
        except FormRejected as rejection:
            return self._reject(path, rejection.errors, in_place_rejected, sender, snapshot), None
        finally:
            self._parsed.pop(snapshot.sha256, None)
        try:
            # The case rules also run beside schema errors, for the office's own files only: a
            # sender from the browser learns nothing about a case before their rights are checked.
            beyond = None if sender else self._case_rules
            model = parse_model(form.data, self.today, beyond).settled(self.ws.settings)
            case = Case.load(self.store, model.sprawa)  # the one read of the case for this form
            check_form(
                model,
                self.ws.settings,
                case,
                self.today,
                admit=lambda model: self._admit(model, sender, case),
            )
        except FormRejected as rejection:
            errors = form.where(self._with_suggestions(rejection.errors, form.data, sender))
            return self._reject(path, errors, in_place_rejected, sender, snapshot), None
        outcome = self._accept(path, snapshot, model, case, form, in_place_rejected, sender)
        return outcome, model

    def _scan(
        self,
        path: Path,
        snapshot: _Snapshot,
        in_place_rejected: bool,
        sender: str | None,
        scan_of: ScanTarget | None,
    ) -> tuple[Outcome, None]:
        """A scan of a signed document (records/scans.py): checked, stored beside the document,
        named in its registry entry; the document is frozen from then on."""
        try:
            number = scan_of.sprawa if scan_of else path.parent.name
            case = Case.load(self.store, number)
            check_scan(snapshot.raw, path.suffix, case.sprawa if case else None)
            found = target_of(Path(scan_of.dokument) if scan_of else path, case)
            target = scan_of or found
            if sender is not None and case is not None and case.facts is not None:
                person = self._sender_account(sender)
                if not (person.may("wysylanie") and may_see(person, case.facts, self.today)):
                    raise FormRejected.single(
                        "Ta sprawa nie jest przydzielona do Ciebie; skan nie został przyjęty.",
                        "access_denied",
                        "sprawa",
                    )
        except FormRejected as rejection:
            return self._reject(path, rejection.errors, in_place_rejected, sender, snapshot), None
        if case is None:  # target_of refused it above
            return self._reject(path, [], in_place_rejected, sender, snapshot), None
        _still_the_same(path, snapshot)
        stored, entry = store_scan(self.ws, case, target, snapshot.raw, path.suffix)
        self.store.register_document(case.sprawa, entry)
        keep_facts(self.store, case)
        self.store.mark_accepted(snapshot.sha256, {"plik": shown(path.name), "sprawa": case.sprawa})
        self.store.audit(
            "skan",
            sprawa=case.sprawa,
            dokument=target.dokument,
            plik_sha256=snapshot.sha256,
            polecenie=f"web:{sender}" if sender else self.command,
        )
        moved = move_file(path, self.ws.processed, fit_name(path.name))
        self.store.set_attempts(snapshot.sha256, None)
        self._clean_rejected(path, in_place_rejected)
        self.log.info(
            "Przyjęto skan %s (sprawa %s, dokument %s)", path.name, case.sprawa, target.dokument
        )
        issued = Issued(stored, "skan podpisanego dokumentu")
        return Outcome(path, ACCEPTED, moved, case.sprawa, "skan", [issued]), None

    def _quietly(self, action, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            action(*args)
        except Exception:  # noqa: BLE001 - bookkeeping must not hide the error being handled
            self.log.error("Nie udało się zapisać liczby prób przetworzenia pliku")

    def _case_rules(self, model: Form) -> list[FieldError]:
        return case_errors(model, self.ws.settings, Case.load(self.store, model.sprawa))

    def _with_suggestions(
        self, errors: list[FieldError], data: dict[str, Any], sender: str | None
    ) -> list[FieldError]:
        """A case number nobody has: name the nearest existing ones the sender may see (a typo
        is likelier than a form sent before its fact sheet)."""
        typed = data.get("sprawa")
        if not isinstance(typed, str) or not any(e.code == "case_missing" for e in errors):
            return errors
        near = difflib.get_close_matches(typed.strip(), self.store.case_numbers(), n=3, cutoff=0.7)
        if sender is not None:
            person = Users(self.ws).get(sender)
            near = [
                n
                for n in near
                if person is not None
                and (case := Case.load(self.store, n)) is not None
                and case.facts is not None
                and may_see(person, case.facts, self.today)
            ]
        if not near:
            return errors
        names = " albo ".join(f"„{n}”" for n in near)
        return [
            replace(
                e,
                message=f"nie ma sprawy o tym numerze; czy chodziło o {names}? Jeśli to nowa "
                f"sprawa: {e.message.removeprefix('nie ma jeszcze takiej sprawy: ')}",
            )
            if e.code == "case_missing"
            else e
            for e in errors
        ]

    # -- admitting a valid form --------------------------------------------------------------------
    def _admit(self, model: Form, sender: str | None, case: Case | None) -> None:
        """Refuse a form for an erased case, or one its sender may not send (FormRejected)."""
        if self.store.is_erased(model.sprawa):
            raise FormRejected.single(
                "dane tej sprawy zostały usunięte po upływie okresu przechowywania; formularz "
                "nie może jej utworzyć ponownie (jeśli to nowa sprawa, nadaj jej nowy numer)",
                "case_erased",
                "sprawa",
            )
        if sender is None:
            return
        person = self._sender_account(sender)
        refusal = submit_refusal(person, model, case.facts if case else None, self.today)
        if refusal:
            raise FormRejected.single(refusal, "access_denied", "sprawa")

    def _sender_account(self, sender: str):  # type: ignore[no-untyped-def]
        person = Users(self.ws).get(sender)
        if person is None or not person.aktywne:
            raise FormRejected.single(
                f"konto nadawcy ({sender}) nie istnieje albo jest wyłączone; formularz nie może "
                "zostać przyjęty w jego imieniu",
                "sender_unknown",
            )
        return person

    def _refusal_for_known_case(self, sender: str | None, sprawa: object) -> FieldError | None:
        """For a web sender, a file already accepted counts as theirs only if its case is."""
        if sender is None:
            return None
        try:
            person = self._sender_account(sender)
        except FormRejected as rejection:
            return rejection.errors[0]
        case = Case.load(self.store, sprawa) if isinstance(sprawa, str) else None
        if case is not None and case.facts is not None and may_see(person, case.facts, self.today):
            return None
        return FieldError(
            "sprawa",
            "Ta sprawa nie jest przydzielona do Ciebie; formularz nie został przyjęty.",
            "access_denied",
        )

    def _accept(
        self,
        path: Path,
        snapshot: _Snapshot,
        model: Form,
        case: Case | None,
        form: FormInput,
        in_place_rejected: bool,
        sender: str | None,
    ) -> Outcome:
        sprawa = case.sprawa if case else model.sprawa
        stored = [r for r in case.records if r.zrodlo["sha256"] == snapshot.sha256] if case else []
        command = f"web:{sender}" if sender else self.command
        if case is not None and stored:  # processed before a crash: finish the rest
            record = stored[0]
            after = case
        else:
            record = Record(
                id=new_record_id(),
                formularz=model.formularz,
                sprawa=sprawa,
                klucz=record_key(model, case),
                dane=model.model_dump(mode="json", exclude={"sprawa"}) | {"sprawa": sprawa},
                zrodlo={"plik": shown(path.name), "sha256": snapshot.sha256},
                przyjeto=now(),
                polecenie=command,
            )
            _same_when_read_back(record, model)
            after = case.with_record(record) if case else Case(sprawa, [record])
        issued, entry = None, None
        if model.KIND.document:
            prepared = prepare(self.ws, after, record)
            _still_the_same(path, snapshot)
            issued, entry = write(self.ws, prepared, after.documents, command=command)
        else:  # a kind shown on the fact sheet and the case page, with no document of its own
            _still_the_same(path, snapshot)
        if not stored:
            self.store.commit(record, entry)
        elif entry is not None:
            self.store.register_document(sprawa, entry)
        keep_facts(self.store, after)  # the office's pages read these, not every record
        self.store.mark_accepted(
            snapshot.sha256, {"plik": shown(path.name), "sprawa": sprawa, "rekord": record.id}
        )
        self.store.audit(
            "przyjecie",
            sprawa=sprawa,
            formularz=record.formularz,
            rekord=record.id,
            plik_sha256=snapshot.sha256,
            dokument=issued.path.name if issued else None,
            polecenie=command,
        )
        notices = self._caseload_notices(model)
        moved = move_file(path, self.ws.processed, fit_name(path.name))
        self.store.set_attempts(snapshot.sha256, None)
        self._clean_rejected(path, in_place_rejected)
        for note in form.notes:
            self.log.info("Plik %s: %s", path.name, note)
        for notice in notices:  # for the watched folder, where nobody reads the command's output
            self.log.warning("Plik %s: %s", path.name, notice)
        self.log.info(
            "Przyjęto plik %s (sprawa %s, %s); dokument: %s (%s)",
            path.name,
            sprawa,
            record.formularz,
            issued.path.name if issued else "brak (ten formularz nie ma dokumentu)",
            issued.status if issued else "—",
        )
        return Outcome(
            path,
            ACCEPTED,
            moved,
            sprawa,
            record.formularz,
            [issued] if issued else [],
            message="; ".join(form.notes),
            notices=notices,
        )

    def _caseload_notices(self, model: Form) -> list[str]:
        """A fact sheet or an assignment that gives an assistant a 16th family at once."""
        from records.deadlines import over_the_limit
        from records.kept_facts import all_facts
        from records.models import MetryczkaRodziny, PrzydzielenieAsystenta

        today = dt.date.today()
        name: str | None
        if isinstance(model, MetryczkaRodziny):
            name, first, last = model.asystent, model.data_przydzielenia, today
        elif isinstance(model, PrzydzielenieAsystenta) and model.rodzaj != "zawieszenie":
            name, first, last = model.asystent, model.od, model.do or today
        else:
            return []
        notice = over_the_limit(all_facts(self.store), name, first, last)
        return [notice] if notice else []

    def _duplicate(self, path: Path, sha: str, earlier: dict, in_place_rejected: bool) -> Outcome:
        moved = move_file(path, self.ws.processed, fit_name(path.name))
        self._clean_rejected(path, in_place_rejected)
        message = f"ta sama treść co przyjęty wcześniej plik {earlier.get('plik')}"
        self.log.info(
            "Pominięto duplikat %s: %s (sprawa %s)", path.name, message, earlier.get("sprawa")
        )
        self.store.audit("duplikat", sprawa=earlier.get("sprawa"), plik_sha256=sha)
        return Outcome(path, DUPLICATE, moved, earlier.get("sprawa"), message=message)

    def _reject(
        self,
        path: Path,
        errors: list[FieldError],
        in_place_rejected: bool,
        sender: str | None,
        snapshot: _Snapshot | None = None,
    ) -> Outcome:
        """File the original away with its report; the store is not touched (no trace)."""
        # The report (and who sent the file) first: a crash before the move leaves the file
        # waiting, never a rejected file without its reasons, nor an upload without its sender.
        if in_place_rejected:
            target = path
        else:
            name = fit_name(path.name, reserve=len(REPORT_SUFFIX))
            target = unique_target(self.ws.rejected, name)
        report = report_path(target)
        atomic_write(report, error_report(target.name, errors).encode("utf-8"))
        if sender is not None:
            self.store.remember_sender(self._relative(target), sender)
        if not in_place_rejected:
            moved = move_file(path, self.ws.rejected, target.name)
            if moved != target:  # the name was taken meanwhile: the report follows the file
                os.replace(report, report_path(moved))
                if sender is not None:
                    self.store.forget_sender(self._relative(target))
                    self.store.remember_sender(self._relative(moved), sender)
                target, report = moved, report_path(moved)
        if snapshot is not None:
            self.store.set_attempts(snapshot.sha256, None)
        self.log.warning(
            "Odrzucono plik %s: błędów %d (%s); opis w %s",
            path.name,
            len(errors),
            ", ".join(dict.fromkeys(loggable(e) for e in errors)),
            report.name,
        )
        return Outcome(path, REJECTED, target, errors=errors, report=report)

    # -- files that fail for no fault of their own --------------------------------------------------
    def _set_aside(self, path: Path, counts: dict[str, int], in_place_rejected: bool) -> Outcome:
        why = FieldError(
            "",
            "nie udało się przetworzyć pliku z powodu błędu programu (nie formularza), "
            f"mimo {counts.get('proby', 0)} prób; plik odłożono, aby nie wstrzymywał innych. "
            "Zgłoś to administratorowi; po naprawie programu uruchom: asystent retry",
            "set_aside",
        )
        self.log.error("Plik %s odłożono do odrzucone/ po kolejnych błędach programu", path.name)
        outcome = self._reject(path, [why], in_place_rejected, None)
        outcome.code = "set_aside"
        return outcome

    def clear_attempts(self, paths: list[Path]) -> None:
        """An explicit retry (`asystent retry`) gives set-aside files a fresh start."""
        for path in paths:
            try:
                self.store.set_attempts(sha256_bytes(path.read_bytes()), None)
            except OSError:
                continue

    # -- rejected files ---------------------------------------------------------------------------
    def _relative(self, path: Path) -> str:
        return path.relative_to(self.ws.rejected).as_posix()

    def withdraw(self, outcome: Outcome) -> None:
        """Take back a rejected file whose sender still has it in front of them (the browser's
        form keeps the values beside their errors): its copy in odrzucone/, its report and the
        note of who sent it are removed, so nothing of it is left."""
        if outcome.status != REJECTED or outcome.moved_to is None:
            return
        name = self._rejected_name(outcome.moved_to)
        outcome.moved_to.unlink(missing_ok=True)
        if outcome.report is not None:
            outcome.report.unlink(missing_ok=True)
        if name is not None:
            self.store.forget_sender(name)

    def _rejected_name(self, path: Path) -> str | None:
        try:
            return self._relative(path)
        except ValueError:
            return None

    def _clean_rejected(self, path: Path, in_place_rejected: bool) -> None:
        if in_place_rejected:
            report_path(path).unlink(missing_ok=True)
            name = self._rejected_name(path)
            if name is not None:
                self.store.forget_sender(name)

    def _retry_waiting(self, sprawa: str) -> None:
        """A family sheet arrived: rejected forms of that case get another go, where they lie.

        `odrzucone/` is small and is the only record of rejected files (a rejection leaves no trace
        in the store), so it is simply scanned. A form still wrong gets a fresh error report; an
        upload is retried as its sender, whose rights are checked again.
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
        """Process rejected files again, where they lie in odrzucone/ (after a fix in place).
        Only files there: any other (`/etc/passwd`) would be read and get an error report
        beside it; a new file goes through `ingest`."""
        if paths is None:
            paths = [p for p in self.ws.rejected.rglob("*") if p.is_file() and not is_ignored(p)]
        rejected = self.ws.rejected.resolve()
        for path in paths:
            if not path.resolve().is_relative_to(rejected):
                raise UsageError(
                    f"{path.name}: ponawia się tylko pliki z folderu odrzucone/ ({rejected}); "
                    "nowy plik przetwórz poleceniem asystent ingest."
                )
        self.clear_attempts(paths)
        return [self.process(p, in_place_rejected=True) for p in self.order(paths)]


def _worn_out(counts: dict[str, int]) -> bool:
    """Failed unexpectedly too often, or was in progress when the service died too often."""
    unfinished = counts["proby"] - counts["bledy"]
    return counts["bledy"] >= MAX_UNEXPECTED_FAILURES or unfinished >= MAX_UNFINISHED_ATTEMPTS


def _read(path: Path) -> _Snapshot:
    """The file's bytes, read once, with its identity before the read (to notice later change)."""
    if open_for_writing(path):
        raise FileChanged(path)
    before = _identity(path)
    raw = path.read_bytes()
    return _Snapshot(raw, sha256_bytes(raw), before)


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _still_the_same(path: Path, snapshot: _Snapshot) -> None:
    """Just before the commit: the file on disk is still the one that was read, and nobody is
    writing it (content changed after it was read is never committed)."""
    if _identity(path) != snapshot.identity or open_for_writing(path):
        raise FileChanged(path)


def _same_when_read_back(record: Record, model: Form) -> None:
    """The value that is validated is the value that is stored: the record, read back, must
    validate and equal the model (a guard against any normalisation that changes a value)."""
    try:
        again = FORMS[record.formularz].model_validate(record.dane | {"sprawa": model.sprawa})
    except ValidationError:
        raise AsystentError(
            "Wewnętrzny błąd: zapisany rekord nie przechodzi własnej walidacji; nie zapisano go.",
            code="record_roundtrip",
        ) from None
    if again != model:
        raise AsystentError(
            "Wewnętrzny błąd: rekord po zapisaniu różniłby się od formularza; nie zapisano go.",
            code="record_roundtrip",
        )


def error_report(name: str, errors: list[FieldError]) -> str:
    """The Polish text of `NAME.bledy.txt`: every error, field path first, with its code."""
    lines = [
        f"Plik: {shown(name)}",
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
        lines.append(f"{number}. {where}: {error.message} [{error.code}]")
    return "\n".join(lines) + "\n"


def report_path(path: Path) -> Path:
    """`NAME.bledy.txt` beside a rejected file."""
    return path.with_name(path.name + REPORT_SUFFIX)


def _case_of(path: Path) -> object:
    """The case a file names, normalised as validation normalises it."""
    try:
        named = read_form(path).data.get("sprawa")
    except Exception:  # noqa: BLE001 - an unreadable file simply names no case
        return None
    return normal_case_number(named) if isinstance(named, str) else None


def order_files(paths: list[Path], parse: Callable[[Path], FormInput] = read_form) -> list[Path]:
    """Family sheets first, then by the form's own date, then by name; unreadable files last."""

    def key(path: Path) -> tuple[int, str, str]:
        try:
            data = parse(path).data
        except Exception:  # noqa: BLE001 - one bad file never stops the others: it goes last
            return (2, "", path.name)
        kind = data.get("formularz")
        if isinstance(kind, str) and kind in FORMS and FORMS[kind].KIND.opens_case:
            return (0, "", path.name)
        date = data.get(DATE_FIELD[kind]) if isinstance(kind, str) and kind in FORMS else None
        return (1, date if isinstance(date, str) else "9999", path.name)

    return sorted(paths, key=key)
