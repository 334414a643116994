"""One family case as a value: every version of its records, its documents and archival
packages, read from the store at once, and what follows from them.

Every operation loads a case once (under the store's lock when it will write) and hands this value
to the stages: validation (`validate.case_errors`), documents (`documents.prepare`), the access
rule (`access`), `show`, the archive, the web's case page. Which version of a record is current,
which fact sheet holds on a day, whether the case is closed, who works with the family on a day:
answered here (and in its `facts`, `records.facts.CaseFacts`), nowhere else.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import msgspec
from pydantic import ValidationError

from records.errors import AsystentError
from records.facts import Assignment, CaseFacts, Member, SheetFacts, placements_from, timeline
from records.models import FORMS, Form, for_display
from records.models.metryczka import MetryczkaRodziny
from records.models.przydzielenie import PrzydzielenieAsystenta
from records.models.wniosek import WniosekOAsystenta
from records.models.zakonczenie import ZakonczeniePracy
from records.store import Record, Store


class DamagedRecord(AsystentError):
    """A stored record that no longer validates against its form (edited outside the program)."""

    code = "record_damaged"


def current_records(records: Iterable[Record], kind: str | None = None) -> list[Record]:
    """The newest version of every record (same key = a correction), in the order they came."""
    newest: dict[str, Record] = {}
    for record in records:
        if kind is None or record.formularz == kind:
            newest.pop(record.klucz, None)
            newest[record.klucz] = record
    return list(newest.values())


def stored_model(record: Record) -> Form:
    """The validated model of a stored record. Stored records keep codes retired for new forms."""
    model_cls = FORMS.get(record.formularz)
    if model_cls is None:
        raise DamagedRecord(
            f"Sprawa {record.sprawa}: rekord {record.id} ma nieznany rodzaj formularza."
        )
    try:
        return model_cls.model_validate(record.dane, context={"stored": True})
    except ValidationError:
        raise DamagedRecord(
            f"Sprawa {record.sprawa}: rekord {record.id} ({record.formularz}) nie spełnia reguł "
            "formularza (zmieniony poza programem?)."
        ) from None


class Case:
    """A case as stored. Cheap to make; everything derived is computed once, on first use."""

    def __init__(
        self,
        sprawa: str,
        records: Iterable[Record],
        documents: Iterable[dict[str, Any]] = (),
        archives: Iterable[dict[str, Any]] = (),
    ) -> None:
        self.sprawa = sprawa
        self.records = tuple(records)
        self.documents = tuple(documents)
        self.archives = tuple(archives)
        self._models: dict[str, Form] = {}
        # for_display of a fact sheet, by id(), beside the sheet itself (so the id stays its)
        self._shown: dict[int, tuple[Form, dict[str, Any]]] = {}

    @classmethod
    def load(cls, store: Store, sprawa: str) -> Case | None:
        """The case a number names (in any spelling that shares its folder), read once."""
        found = store.read_case(sprawa)
        if found is None:
            return None
        return cls(found.sprawa, found.records, found.documents, found.archives)

    def with_record(self, record: Record) -> Case:
        """The case as it will be with one more record (before it is stored)."""
        grown = Case(self.sprawa, (*self.records, record), self.documents, self.archives)
        grown._models = dict(self._models)
        grown._shown = self._shown  # by the fact sheets' identity: the same models stay valid
        return grown

    def with_documents(self, documents: Iterable[dict[str, Any]]) -> Case:
        """The case with its registry of documents as it now is (during a batch). What follows
        from the records alone (models, facts, the fact sheets' display) is shared, not redone."""
        _ = (self.records_digest, self.facts)  # computed once, before copying: every copy has them
        updated = copy.copy(self)
        updated.documents = tuple(documents)
        return updated

    def without_key(self, key: str) -> Case:
        """The case without the versions of one record: what a correction is checked against."""
        kept = [r for r in self.records if r.klucz != key]
        return Case(self.sprawa, kept, self.documents, self.archives)

    # -- versions ----------------------------------------------------------------------------
    @cached_property
    def records_digest(self) -> str:
        """What the case's records say, hashed (every version, in order): documents made from a
        case with the same digest are the same documents (`documents.inputs_digest`)."""
        encoded = msgspec.json.encode([r.__dict__ for r in self.records], order="sorted")
        return hashlib.sha256(encoded).hexdigest()

    @cached_property
    def current(self) -> tuple[Record, ...]:
        return tuple(current_records(self.records))

    def is_current(self, record: Record) -> bool:
        return record.id in {r.id for r in self.current}

    def model(self, record: Record) -> Form:
        """The validated model of one of the case's records (validated once per case value)."""
        if record.id not in self._models:
            self._models[record.id] = stored_model(record)
        return self._models[record.id]

    @cached_property
    def damaged(self) -> tuple[Record, ...]:
        """Current records that no longer validate: left out of the facts, named by `check`."""
        bad = []
        for record in self.current:
            try:
                self.model(record)
            except DamagedRecord:
                bad.append(record)
        return tuple(bad)

    def of_kind(self, kind: str) -> list[tuple[Record, Any]]:
        """The current records of a kind that validate, with their models, by their dates."""
        damaged = {r.id for r in self.damaged}
        found = [
            (r, self.model(r)) for r in self.current if r.formularz == kind and r.id not in damaged
        ]
        return sorted(found, key=lambda pair: pair[1].date)

    def versions(self, key: str) -> list[Record]:
        return [r for r in self.records if r.klucz == key]

    # -- the fact sheet --------------------------------------------------------------------------
    @cached_property
    def sheets(self) -> tuple[MetryczkaRodziny, ...]:
        """Every fact sheet in force at some time: the first and its updates, by the day each
        holds from."""
        order = {r.id: i for i, r in enumerate(self.records)}
        pairs = self.of_kind("metryczka_rodziny")
        pairs.sort(key=lambda pair: (pair[1].holds_from, order[pair[0].id]))
        return tuple(model for _, model in pairs)

    @property
    def first_sheet(self) -> MetryczkaRodziny | None:
        return self.sheets[0] if self.sheets else None

    def sheet_on(self, day: Any) -> MetryczkaRodziny | None:
        """The fact sheet holding on `day` (the first one for a day before any holds)."""
        held = [s for s in self.sheets if s.holds_from <= day]
        return held[-1] if held else self.first_sheet

    @property
    def start(self) -> Any:
        """The day the first assistant was assigned (None: nobody yet)."""
        return self.facts.start if self.facts else None

    # -- the closing -----------------------------------------------------------------------------
    @cached_property
    def closing(self) -> ZakonczeniePracy | None:
        found = self.of_kind("zakonczenie_pracy")
        return found[-1][1] if found else None

    @cached_property
    def closing_record(self) -> Record | None:
        found = self.of_kind("zakonczenie_pracy")
        return found[-1][0] if found else None

    # -- dated facts -----------------------------------------------------------------------------
    @cached_property
    def facts(self) -> CaseFacts | None:
        """What held when. A case that began with a request or a court order has facts before
        it has a fact sheet (its family is the request's; nobody works with it yet)."""
        first = self.first_sheet
        request = self.request
        if first is None and request is None and not self.of_kind("postanowienie_sadu"):
            return None
        order = {r.id: i for i, r in enumerate(self.records)}
        damaged = {r.id for r in self.damaged}
        kept = [r for r in self.current if r.id not in damaged]
        events = [
            found[1]
            for r in kept
            if r.formularz == "przydzielenie_asystenta"
            and (found := self.model(r).fact("", order[r.id])) is not None
        ]
        assignments = timeline(
            first.data_przydzielenia if first else None, first.asystent if first else None, events
        )
        sheets = ([_request_facts(request)] if request else []) + [
            _sheet_facts(s) for s in self.sheets
        ]
        closing = self.closing
        base = CaseFacts(
            sprawa=self.sprawa,
            start=assignments[0].start if assignments else None,
            sheets=tuple(sheets),
            assignments=assignments,
            closed=closing.data_zakonczenia if closing else None,
            reason=closing.przyczyna if closing else None,
            monitoring_until=closing.monitoring_do if closing else None,
            requested=request.data_wniosku if request else None,
            has_fact_sheet=first is not None,
        )

        def who(model: Any) -> str:
            day = model.date
            return (
                getattr(model, "asystent", None)
                or base.assistant_on(day)
                or base.regular_assistant_on(day)
                or (first.asystent if first else "")
            )

        collected: dict[str, list[Any]] = {}
        for record in sorted(kept, key=lambda r: (self.model(r).date, order[r.id])):
            model = self.model(record)
            if record.formularz == "przydzielenie_asystenta":
                continue
            found = model.fact(who(model), order[record.id])
            if found is not None:
                collected.setdefault(found[0], []).append(found[1])
        events = collected.pop("placement_events", [])
        facts: dict[str, Any] = {name: tuple(items) for name, items in collected.items()}
        return msgspec.structs.replace(base, placements=placements_from(events), **facts)

    def signing(self, name: str) -> Any:
        """The record of who signed the document `name` (a `podpisanie_dokumentu`), if any."""
        found = [m for _, m in self.of_kind("podpisanie_dokumentu") if m.document_name == name]
        return found[-1] if found else None

    def frozen(self, entry: dict[str, Any]) -> bool:
        """A document signed (or refused, or scanned signed) is part of the file as it was:
        regenerating it makes a new version beside it, never over it."""
        return bool(entry.get("skan")) or self.signing(entry["nazwa"]) is not None

    def signatures(self, entry: dict[str, Any]) -> list[str]:
        """Who signed a document, who refused and why, to whom it went, and its scan: one line
        each, for `show` and the archive's index."""
        lines = []
        signed = self.signing(entry["nazwa"])
        if signed is not None:
            people = "; ".join(
                f"{p.osoba}: podpisał(a)"
                if p.podpis == "podpisal"
                else f"{p.osoba}: odmówił(a) podpisu ({p.przyczyna_odmowy})"
                for p in signed.podpisy
            )
            lines.append(f"podpisy {signed.data.isoformat()}: {people}")
            if signed.przekazano_komu:
                when = f" {signed.przekazano_data.isoformat()}" if signed.przekazano_data else ""
                lines.append(f"przekazano{when}: {signed.przekazano_komu}")
        if entry.get("skan"):
            lines.append(f"skan podpisanego dokumentu: {entry['skan']['nazwa']}")
        return lines

    @cached_property
    def request(self) -> WniosekOAsystenta | None:
        found = self.of_kind("wniosek_o_asystenta")
        return found[-1][1] if found else None

    def family_on(self, day: Any) -> dict[str, Any] | None:
        """The family as documents show it on `day`: the fact sheet in force, or before there
        is one, the family of the social worker's request (codes in their wording)."""
        sheet = self.sheet_on(day)
        if sheet is not None:
            known = self._shown.get(id(sheet))
            if known is None or known[0] is not sheet:  # one display per fact sheet
                known = self._shown[id(sheet)] = (sheet, for_display(sheet))
            shown = known[1]
            # A copy the caller may add to (members too); the sheet itself is never changed.
            return shown | {"czlonkowie": [dict(m) for m in shown["czlonkowie"]]}
        if self.request is None:
            return None
        shown = for_display(self.request)
        return {
            "asystent": "",
            "pracownik_socjalny": shown["pracownik_socjalny"],
            "data_przydzielenia": None,
            "data_aktualizacji": None,
            "podstawa_objecia": None,
            "sygnatura_postanowienia": None,
            "adres": shown["adres"],
            "telefon": shown["telefon"],
            "czlonkowie": [
                {
                    **member,
                    "pesel": None,
                    "dokument_tozsamosci": None,
                    "szkola_lub_praca": None,
                    "uwagi": None,
                }
                for member in shown["czlonkowie"]
            ],
            "problemy": shown["problemy"],
            "instytucje": [],
            "sytuacja_mieszkaniowa": None,
            "zasoby_rodziny": None,
            "uwagi": None,
        }

    def assignment_on(self, day: Any) -> Assignment | None:
        return self.facts.assignment_on(day) if self.facts else None

    def assistant_on(self, day: Any) -> str | None:
        return self.facts.assistant_on(day) if self.facts else None

    def regular_assistant_on(self, day: Any) -> str | None:
        return self.facts.regular_assistant_on(day) if self.facts else None

    def assignments(self) -> list[tuple[Record, PrzydzielenieAsystenta]]:
        return self.of_kind("przydzielenie_asystenta")


def _request_facts(request: WniosekOAsystenta) -> SheetFacts:
    """The family as the social worker's request describes it, until a fact sheet holds."""
    return SheetFacts(
        holds_from=request.data_wniosku,
        asystent="",
        social_worker=request.pracownik_socjalny,
        town=request.adres.miejscowosc,
        basis="",
        members=tuple(
            Member(f"{m.imie} {m.nazwisko}", m.data_urodzenia, m.rola) for m in request.czlonkowie
        ),
    )


def _sheet_facts(sheet: MetryczkaRodziny) -> SheetFacts:
    return SheetFacts(
        holds_from=sheet.holds_from,
        asystent=sheet.asystent,
        social_worker=sheet.pracownik_socjalny,
        town=sheet.adres.miejscowosc,
        basis=sheet.podstawa_objecia or "",
        members=tuple(
            Member(f"{m.imie} {m.nazwisko}", m.data_urodzenia, m.rola) for m in sheet.czlonkowie
        ),
    )
