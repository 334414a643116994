"""Stage 2: a dict of text -> a validated form model, or every problem found, in Polish.

Three layers, each adding field-path errors (`czlonkowie[2].pesel`, list items counted from 1):
1. the schema (pydantic): keys, types, formats, codes, PESEL checksum;
2. the form's own rules (`model.rules(today)`): ranges in order, no future dates, PESEL vs birth date;
3. the case rules, against the `Case` the form goes to (loaded by the caller; this module never
   reads the store): the case exists, is not closed or suspended, the assistant is known, and the
   kind's own `case_rules`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from records.case import Case
from records.errors import FieldError, FormRejected
from records.models import FORMS, Form
from records.settings import Settings
from records.staff import Register


def validate_form(
    data: dict[str, Any],
    settings: Settings,
    case: Case | None,
    today: dt.date,
    admit: Callable[[Form], None] | None = None,
) -> Form:
    """The validated model of `data`, or FormRejected listing every error.

    A pure function of the form, the settings and the case it goes to (`case`: as loaded under
    the store's lock; None when no case has that number). `admit` (the pipeline's check of the
    sender's rights) runs on the model before anything is said about the case: a person who may
    not send for a case learns nothing of its state."""
    model = parse_model(data, today).settled(settings)
    check_form(model, settings, case, today, admit)
    return model


def check_form(
    model: Form,
    settings: Settings,
    case: Case | None,
    today: dt.date,
    admit: Callable[[Form], None] | None = None,
) -> None:
    """The checks after the schema: admission, the form's own rules, the case rules."""
    if admit is not None:
        admit(model)
    errors = model.rules(today) + case_errors(model, settings, case)
    if errors:
        raise FormRejected(errors)


def parse_model(
    data: dict[str, Any],
    today: dt.date | None = None,
    beyond: Callable[[Form], list[FieldError]] | None = None,
) -> Form:
    """The schema (keys, types, formats, codes). On errors, FormRejected with every one found,
    and with the form's own rules that can still be checked (`rules_beyond`): a bad date does
    not hide that the visit ends before it starts. `beyond` adds checks run the same way (the
    case rules, for a sender who may learn about the case)."""
    model_cls = _form_class(data)
    try:
        return model_cls.model_validate(data)
    except ValidationError as err:
        found = [_translate(dict(e), model_cls) for e in err.errors()]
        failed = {e["loc"][0] for e in err.errors() if e["loc"]}
        found += rules_beyond(model_cls, data, failed, today or dt.date.today(), beyond)
        raise FormRejected(found) from None


# Stand-ins for a field the schema refused, to run the other rules: two far apart, so a rule
# comparing with the stand-in fails in one run and not the other, and is not reported.
_STAND_INS: dict[Any, tuple[str, str]] = {
    dt.date: ("2000-01-01", "2099-12-31"),
    dt.time: ("00:00", "23:59"),
}


def rules_beyond(
    model_cls: type[Form],
    data: dict[str, Any],
    failed: set[Any],
    today: dt.date,
    beyond: Callable[[Form], list[FieldError]] | None = None,
) -> list[FieldError]:
    """The form's own rules (`rules(today)`) on the fields the schema accepted: each refused
    field is replaced by stand-ins (from the blank form of the kind), and only the errors that
    appear whatever the stand-in, about fields that were not replaced, are kept."""
    sample = _blank_values(model_cls.KIND.code)
    runs: list[set[tuple[str, str, str]]] = []
    for variant in (0, 1):
        trial = dict(data)
        for key in failed:
            if not isinstance(key, str):
                return []
            if key not in model_cls.model_fields:  # a key the form does not have (a typo)
                trial.pop(key, None)
                continue
            stand_in = _stand_in(model_cls, key, sample, variant)
            if stand_in is None:
                trial.pop(key, None)
            else:
                trial[key] = stand_in
        try:
            model = model_cls.model_validate(trial)
            errors = model.rules(today) + (beyond(model) if beyond is not None else [])
        except (ValidationError, ValueError, TypeError, KeyError, AttributeError):
            return []
        runs.append(
            {
                (e.path, e.message, e.code)
                for e in errors
                if not any(e.path == k or e.path.startswith((f"{k}.", f"{k}[")) for k in failed)
            }
        )
    kept = runs[0] & runs[1]
    return [FieldError(path, message, code) for path, message, code in sorted(kept)]


def _stand_in(model_cls: type[Form], key: str, sample: dict[str, Any], variant: int) -> Any:
    info = model_cls.model_fields[key]
    if not info.is_required():
        return None
    if info.annotation in _STAND_INS:
        return _STAND_INS[info.annotation][variant]
    return sample.get(key)


def _blank_values(kind: str) -> dict[str, Any]:
    from records.readers import read_form
    from records.resources import data_dir

    try:
        return read_form(data_dir("forms") / f"{kind}.yaml").data
    except Exception:  # noqa: BLE001 - no blank form: the rules are simply not run
        return {}


def _form_class(data: dict[str, Any]) -> type[Form]:
    kind = data.get("formularz")
    allowed = ", ".join(FORMS)
    if not kind:
        raise FormRejected.single(
            f"brak pola „formularz”; wpisz rodzaj formularza, jeden z: {allowed}",
            "kind_missing",
            path="formularz",
        )
    if not isinstance(kind, str) or kind not in FORMS:
        hint = difflib.get_close_matches(str(kind), FORMS, n=1)
        guess = f" (czy chodziło o „{hint[0]}”?)" if hint else ""
        raise FormRejected.single(
            f"nieznany rodzaj formularza{guess}; dozwolone: {allowed}", "kind_unknown", "formularz"
        )
    return FORMS[kind]


def field_path(loc: tuple[int | str, ...]) -> str:
    """`('czlonkowie', 1, 'pesel')` -> `czlonkowie[2].pesel`: people count from 1."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part + 1}]"
        elif not _is_internal(part):
            path += f".{part}" if path else part
    return path


def _is_internal(part: str) -> bool:
    """pydantic adds union branches and validator names to a location; people do not need them."""
    return part.startswith(("function-", "nullable[", "union[")) or part in {"str", "none", "list"}


def _translate(error: dict[str, Any], model_cls: type[BaseModel]) -> FieldError:
    kind = error["type"]
    path = field_path(error["loc"])
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return FieldError(path, "brak wymaganego pola", "required")
    if error.get("input", "") is None and kind != "extra_forbidden":
        return FieldError(path, "pole jest wymagane i nie może być puste", "required")
    if kind == "extra_forbidden":
        known = _fields_at(model_cls, error["loc"][:-1])
        hint = difflib.get_close_matches(str(error["loc"][-1]), known, n=1)
        guess = f"; czy chodziło o „{hint[0]}”?" if hint else ""
        return FieldError(path, f"nieznane pole (literówka?){guess}", "unknown_field")
    if kind in ("list_type", "tuple_type"):
        return FieldError(
            path, "oczekiwano listy (każda pozycja w nowej linii, zaczęta od „- ”)", "list_type"
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return FieldError(path, "oczekiwano zbioru pól w postaci „klucz: wartość”", "mapping_type")
    if kind == "too_short":
        return FieldError(
            path, "lista nie może być pusta: podaj co najmniej jedną pozycję", "empty"
        )
    if kind == "too_long":
        limit = ctx.get("max_length", "")
        return FieldError(path, f"za dużo pozycji (najwięcej {limit})", "too_many")
    if kind in ("string_type", "str_type"):
        return FieldError(path, "oczekiwano tekstu", "text_type")
    if kind == "literal_error":
        return FieldError(path, "niedozwolona wartość", "literal")
    # Our own validators raise PydanticCustomError with a Polish message and a stable code.
    return FieldError(path, error["msg"], kind)


def _fields_at(model_cls: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Names of the fields of the (sub)model at `loc`, for 'did you mean' hints."""
    current: Any = model_cls
    for part in loc:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The model inside `list[Model]`, `Model | None` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# -- what the log may say about an error -------------------------------------------------------


def _known_keys() -> frozenset[str]:
    names: set[str] = {"formularz", "sprawa"}

    def visit(model: Any) -> None:
        for name, info in model.model_fields.items():
            names.add(name)
            inner = _inner_model(info.annotation)
            if inner is not None and inner is not model:
                visit(inner)

    for model in FORMS.values():
        visit(model)
    return frozenset(names)


KNOWN_KEYS = _known_keys()
_SEGMENT = re.compile(r"^([a-z_]+)((?:\[\d+\])*)$")


def loggable(error: FieldError) -> str:
    """An error as the log and the service's console may show it: its code, and its field path
    only when the path is made of the forms' own keys. A key as typed can be anything (a line
    like `Katarzyna Zbigniewska 92061442149: matka` makes a key of a name and a PESEL)."""
    path = error.key or error.path
    return f"{path}: {error.code}" if path and _made_of_keys(path) else error.code


def public(error: FieldError) -> str:
    """An error as a console or a page shows it: its place (unless that is a key as typed,
    which may hold anything) and its message (which never quotes the form)."""
    if error.key:
        shown_path = error.path if _made_of_keys(error.key) else "pole spoza formularza"
    elif not error.path or _made_of_keys(error.path) or error.code.startswith("docx_"):
        shown_path = error.path  # a Word form's own labels, or no place at all
    else:
        shown_path = "pole spoza formularza"
    return f"{shown_path}: {error.message}" if shown_path else error.message


def _made_of_keys(path: str) -> bool:
    segments = path.split(".")
    return all((m := _SEGMENT.match(s)) is not None and m.group(1) in KNOWN_KEYS for s in segments)


# -- case rules --------------------------------------------------------------------------------


def case_errors(model: Form, settings: Settings, case: Case | None) -> list[FieldError]:
    """The rules every kind shares about its case, then the kind's own (`model.case_rules`)."""
    errors = _assistant_known(model, settings, case)
    kind = model.KIND
    facts = case.facts if case is not None else None
    if kind.opens_case:
        if case is not None and case.sprawa != model.sprawa:
            errors.append(
                FieldError(
                    "sprawa",
                    f"sprawa o tym numerze jest już zapisana jako „{case.sprawa}”: użyj dokładnie "
                    "tej pisowni (wielkość liter oraz / i _ się liczą)",
                    "case_spelling",
                )
            )
            return errors
    elif facts is None:
        errors.append(
            FieldError(
                "sprawa",
                "nie ma jeszcze takiej sprawy: najpierw wyślij metryczkę rodziny (albo wniosek "
                "o asystenta lub postanowienie sądu); ten plik zostanie wtedy przyjęty "
                "automatycznie",
                "case_missing",
            )
        )
        return errors
    elif kind.needs == "sheet" and not facts.has_fact_sheet:
        errors.append(
            FieldError(
                "sprawa",
                "sprawa nie ma jeszcze metryczki rodziny: najpierw wyślij metryczkę; ten plik "
                "zostanie wtedy przyjęty automatycznie",
                "fact_sheet_missing",
            )
        )
        return errors
    elif kind.needs == "family" and not facts.sheets:
        errors.append(
            FieldError(
                "sprawa",
                "sprawa nie ma jeszcze danych rodziny: najpierw wyślij metryczkę rodziny albo "
                "wniosek o asystenta; ten plik zostanie wtedy przyjęty automatycznie",
                "family_missing",
            )
        )
        return errors
    if case is None or facts is None:
        return errors + model.case_rules(None, settings)
    errors += _timeline_errors(model, case)
    if not errors:
        errors += model.case_rules(case.without_key(model.natural_key(case)), settings)
    return errors


def _assistant_known(model: Form, settings: Settings, case: Case | None) -> list[FieldError]:
    """The form's assistant is on the office's list, and employed on the form's day by the
    register of assistants: the one it names, else the one working with the family that day."""
    if not hasattr(model, "asystent"):
        return []
    named = model.asystent
    known = settings.osrodek.asystenci
    if named and known and named not in known:
        return [
            FieldError(
                "asystent",
                f"tej osoby nie ma na liście asystentów w asystent.toml (są: {', '.join(known)})",
                "assistant_unknown",
            )
        ]
    day = getattr(model, "od", None) or model.date
    # A suspension names nobody (and may well follow an assistant's leaving).
    implicit = case is not None and model.KIND.code != "przydzielenie_asystenta"
    name = named or (case.assistant_on(day) if implicit and case is not None else None)
    why = Register.of(settings).not_employed_message(name, day) if name else None
    if why is None:
        return []
    if not named:
        why += (
            "; wpisz w polu asystent, kto pracował z rodziną, albo zgłoś zmianę asystenta "
            "(przydzielenie_asystenta)"
        )
    return [FieldError("asystent", why, "assistant_not_employed")]


def _timeline_errors(model: Form, case: Case) -> list[FieldError]:
    """The form must fit the case's life: from the assignment on; after the closing only what
    monitoring allows; nothing while the work is suspended."""
    facts = case.facts
    if facts is None:  # checked by the caller
        return []
    date_field = model.KIND.date_field
    date = model.date
    errors: list[FieldError] = []
    if model.KIND.needs == "sheet" and facts.start is not None and date < facts.start:
        errors.append(
            FieldError(
                date_field,
                "data jest wcześniejsza niż data przydzielenia asystenta w metryczce rodziny",
                "before_assignment",
            )
        )
    monitoring = getattr(model, "monitoring", False)
    if facts.closed is None:
        if monitoring:
            errors.append(
                FieldError(
                    "monitoring",
                    "kontakt monitorujący (wizyta albo notatka z monitoring: tak) jest możliwy "
                    "dopiero po zakończeniu pracy z rodziną",
                    "monitoring_open_case",
                )
            )
        elif facts.suspended_on(date) and model.KIND.code != "przydzielenie_asystenta":
            found = facts.assignment_on(date)
            until = f" do {found.end.isoformat()}" if found and found.end else ""
            errors.append(
                FieldError(
                    date_field,
                    f"w tym dniu praca z rodziną była zawieszona{until}; formularz z tej daty nie "
                    "może zostać przyjęty",
                    "case_suspended",
                )
            )
        return errors
    closed_on = facts.closed.isoformat()
    is_correction = model.KIND.code == "zakonczenie_pracy"
    if monitoring:
        if date < facts.closed:
            errors.append(
                FieldError(
                    "data",
                    "kontakt monitorujący musi się odbyć po dacie zakończenia pracy z rodziną",
                    "monitoring_before_closing",
                )
            )
    elif not is_correction:
        errors.append(
            FieldError(
                "sprawa",
                f"praca z tą rodziną została zakończona {closed_on}; do zamkniętej sprawy "
                "można dodać tylko protokół wizyty albo notatkę z monitoring: tak (kontakt "
                "monitorujący)",
                "case_closed",
            )
        )
    return errors


def record_key(model: Form, case: Case | None) -> str:
    """What makes two forms of one case the same record (the later one is a new version)."""
    return model.natural_key(case)
