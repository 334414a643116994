"""Each case's facts, kept beside its file at every write, so that what reads the whole office
(`families`, `alerts`, `report`, the web's families and deadlines pages) reads 2,000 small files
instead of 50,000 records.

The saved facts are a cache of `Case.facts`, never the truth: they are used only while the case
file has the stamp it had when they were saved and the same program reads them; otherwise they
are built from the records again (and saved for the next reader). `asystent check` compares them
with facts built afresh. This module imports no form model, so those commands start quickly; the
records are read (`records.case`) only when facts must be built. They are encoded and decoded
with msgspec, which checks every field's type as pydantic would, several times faster: decoding
the facts of 2,000 cases is most of what `families` does.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import msgspec

from records.facts import CaseFacts
from records.identity import case_key, case_order, is_case_file_of
from records.resources import program_digest
from records.store import Store, StoreError

if TYPE_CHECKING:
    from records.case import Case


class SavedFacts(msgspec.Struct, frozen=True, gc=False):
    """A case's facts as saved: valid while its file has `stamp` and `program` reads them."""

    stamp: tuple[int, ...]
    program: str
    fakty: CaseFacts | None

    def holds_for(self, stamp: tuple[int, ...]) -> bool:
        """Whether these facts may be used for the case file that now has `stamp`."""
        return self.stamp == stamp and self.program == program_digest()


_ENCODER = msgspec.json.Encoder()
_ONE = msgspec.json.Decoder(SavedFacts)
_MANY = msgspec.json.Decoder(list[SavedFacts])


def all_facts(store: Store) -> list[CaseFacts]:
    """The facts of every case of the office, by case number."""
    with _collector_paused():
        return _all_facts(store)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """An office's facts are a hundred thousand objects made at once, none in a reference cycle:
    left on, the garbage collector scans them again and again while they are made (two thirds
    of the decoding's time at 2,000 cases). The facts themselves are never tracked; the tuples
    holding them are, until the collector's first pass after this one finds them untrackable.
    Only the thread that paused it resumes it."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _all_facts(store: Store) -> list[CaseFacts]:
    stamps = store.case_stamps()
    raw = store.read_facts_many(list(stamps))
    found: dict[str, CaseFacts | None] = {}
    kept = [key for key, data in raw.items() if data is not None]
    try:  # one parse for the whole office; one by one only if some file is damaged
        saved = dict(
            zip(
                kept,
                _MANY.decode(b"[" + b",".join(raw[k] or b"" for k in kept) + b"]"),
                strict=True,
            )
        )
    except (msgspec.DecodeError, ValueError):  # ValueError: a file holding more than one value
        saved = {key: s for key in kept if (s := saved_facts(store, key)) is not None}
    for key, stamp in stamps.items():
        entry = saved.get(key)
        if entry is not None and entry.holds_for(stamp):
            found[key] = _its_own(key, entry.fakty)
        else:
            found[key] = _its_own(key, _rebuilt(store, key, stamp))
    return sorted((f for f in found.values() if f is not None), key=lambda f: case_order(f.sprawa))


def _its_own(key: str, facts: CaseFacts | None) -> CaseFacts | None:
    """The facts of the case whose file this is; None for a copy of another case's file
    (`identity.is_case_file_of`), which would count the family twice."""
    return facts if facts is None or is_case_file_of(key, facts.sprawa) else None


def facts_of(store: Store, key: str) -> CaseFacts | None:
    """One case's facts by its key: the saved ones if its file has not changed since, else built
    from its records (and saved)."""
    stamp = store.case_stamp(key)
    if stamp is None:
        return None
    saved = saved_facts(store, key)
    if saved is not None and saved.holds_for(stamp):
        return _its_own(key, saved.fakty)
    return _its_own(key, _rebuilt(store, key, stamp))


def _rebuilt(store: Store, key: str, stamp: tuple[int, ...]) -> CaseFacts | None:
    """Facts built from the records, saved under the stamp taken before reading them: if the
    file changed meanwhile, that stamp is older than the file and the next reader builds again."""
    from records.case import Case

    case = Case.load(store, key)
    facts = case.facts if case is not None else None
    _save(store, key, stamp, facts)
    return facts


def _save(store: Store, key: str, stamp: tuple[int, ...], facts: CaseFacts | None) -> None:
    """Saved only if the case file is still the one the facts come from (never after an erase,
    which would leave names behind): the store checks the stamp under its lock."""
    store.write_facts(key, _ENCODER.encode(SavedFacts(stamp, program_digest(), facts)), stamp)


def keep_facts(store: Store, case: Case) -> None:
    """Save the facts of a case just written: call it holding the store's lock, right after the
    write, so that the stamp is that of the file the facts come from."""
    key = case_key(case.sprawa)
    stamp = store.case_stamp(key)
    if stamp is not None:
        _save(store, key, stamp, case.facts)


def keep_facts_of_records_unchanged(
    store: Store, case: Case, before: tuple[int, ...] | None
) -> None:
    """After a write that changed no record (`generate` registering documents): the facts
    saved for the file with stamp `before` are the facts of the file as it is now, saved again
    under its new stamp without building them. Built only if none were saved for `before`.
    Call it holding the store's lock, as `keep_facts`."""
    key = case_key(case.sprawa)
    stamp = store.case_stamp(key)
    if stamp is None or stamp == before:  # gone, or not written after all (nothing to register)
        return
    saved = saved_facts(store, key)
    if saved is not None and before is not None and saved.holds_for(before):
        _save(store, key, stamp, saved.fakty)
    else:
        _save(store, key, stamp, case.facts)


def saved_facts(store: Store, key: str) -> SavedFacts | None:
    """The facts saved beside a case's file, whether still valid or not (None: none readable)."""
    raw = store.read_facts(key)
    if raw is None:
        return None
    try:
        return _ONE.decode(raw)
    except msgspec.DecodeError:  # ValidationError is one
        return None  # damaged, or written by an older program: rebuilt when read


def saved_facts_problems(store: Store) -> list[str]:
    """Saved facts, still taken as valid, that differ from the facts the records give now
    (`asystent check`). They are only a cache: each such file is saved again, built afresh."""
    from records.case import Case

    problems = []
    for key, stamp in store.case_stamps().items():
        saved = saved_facts(store, key)
        if saved is None or not saved.holds_for(stamp):
            continue  # stale: never used, rebuilt on the next read
        try:
            case = Case.load(store, key)
        except StoreError:
            continue  # a damaged case file: store.check() names it
        facts = case.facts if case is not None else None
        if saved.fakty != facts:
            problems.append(
                f"Zapisane fakty sprawy {case.sprawa if case else key} różniły się od "
                "wyliczonych z rekordów; zostały wyliczone ponownie."
            )
            _save(store, key, stamp, facts)
    return problems
