"""Small checks shared by the form models' `rules()`: dates not in the future, ordered ranges."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from records.errors import FieldError

# Art. 17 ust. 3 of the Act: the assistant does not also do a social worker's job in the gmina.
NOT_A_SOCIAL_WORKER = (
    "asystent rodziny nie może zarazem wykonywać obowiązków pracownika socjalnego na terenie tej "
    "samej gminy (art. 17 ust. 3 ustawy o wspieraniu rodziny i systemie pieczy zastępczej)"
)


def assistant_is_social_worker(path: str, who: str) -> FieldError:
    """`who` says how the person is the family's social worker (or its assistant)."""
    return FieldError(path, f"{who}; {NOT_A_SOCIAL_WORKER}", "assistant_is_social_worker")


def future(model: BaseModel, today: dt.date, *fields: str) -> list[FieldError]:
    """Dates that cannot lie after today (a visit that happened, a document signed)."""
    return [
        FieldError(name, "data nie może być późniejsza niż dzisiejsza", "date_in_future")
        for name in fields
        if getattr(model, name) is not None and getattr(model, name) > today
    ]


def ordered(model: BaseModel, start: str, end: str, *, strict: bool = False) -> list[FieldError]:
    """`end` must come after `start` (or on the same day/time, unless strict)."""
    first, last = getattr(model, start), getattr(model, end)
    if first is None or last is None or last > first or (last == first and not strict):
        return []
    word = "późniejsza niż" if strict else "nie wcześniejsza niż"
    return [FieldError(end, f"wartość musi być {word} w polu {start}", "range_order")]


def not_before(path: str, value: dt.date | None, limit: dt.date, what: str) -> list[FieldError]:
    """A deadline or follow-up date that may not precede the form's own date (`what` names it)."""
    if value is None or value >= limit:
        return []
    return [FieldError(path, f"data nie może być wcześniejsza niż {what}", "range_order")]
