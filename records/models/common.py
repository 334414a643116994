"""Shared field types and the base of every form model.

Values arrive as text (the readers never let YAML or JSON guess types), and these types turn text
into dates, times and codes with Polish error messages. Each custom error has a stable code
(`pesel_checksum`, `date_format` ...) that tests and the log use.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import pesel as stdnum_pesel

from records import text as textrules
from records.codes import ALIASES, RETIRED, RETIRED_WHY, VOCABULARIES
from records.codes import offered as offered_codes
from records.errors import FieldError
from records.identity import SCHEMA_VERSION, case_folder, case_key  # noqa: F401 - models' names

MAX_LINE = 500
MAX_LONG_TEXT = 20_000


def _required(value: Any) -> None:
    """An empty value (`pole:` in YAML) means absent; for a required field that is the error."""
    if value is None:
        raise PydanticCustomError("required", "pole jest wymagane i nie może być puste")


def _text(value: Any, *, multiline: bool, max_length: int) -> str:
    _required(value)
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "oczekiwano tekstu, a podano listę lub zbiór pól")
    # The value that is checked is the value that is stored: normalise first (a bare \r becomes
    # a newline, which a one-line field then refuses), check after.
    value = textrules.normalise(value)
    bad = textrules.forbidden_character(value, multiline=multiline)
    if bad:
        raise PydanticCustomError(
            "text_forbidden_character",
            "niedozwolony znak ({bad}); usuń go z tekstu",
            {"bad": bad},
        )
    if not value:
        raise PydanticCustomError("required", "pole jest wymagane i nie może być puste")
    if len(value) > max_length:
        raise PydanticCustomError(
            "text_too_long",
            "tekst jest za długi ({length} znaków, najwięcej {limit})",
            {"length": len(value), "limit": max_length},
        )
    return value


Text = Annotated[str, BeforeValidator(lambda v: _text(v, multiline=False, max_length=MAX_LINE))]
"""One line of text: a name, a title, a short answer."""

LongText = Annotated[
    str, BeforeValidator(lambda v: _text(v, multiline=True, max_length=MAX_LONG_TEXT))
]
"""Free text that may span lines: the course of a visit, a summary."""


def ascii_form(value: Any) -> Any:
    """Digits and punctuation as ASCII (NFKC): a full-width `１２` is `12`, so one PESEL typed two
    ways is one PESEL, and what is stored is the plain form. Other text is left as it is."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _date(value: Any) -> dt.date:
    _required(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    value = ascii_form(value)
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_format", "data musi mieć postać RRRR-MM-DD, np. 2026-03-23")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_invalid", "taka data nie istnieje w kalendarzu") from None


Date = Annotated[dt.date, BeforeValidator(_date)]

_HOUR = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")


def _hour(value: Any) -> dt.time:
    _required(value)
    if isinstance(value, dt.time):
        return value
    value = ascii_form(value)
    match = _HOUR.match(value) if isinstance(value, str) else None
    if not match:
        raise PydanticCustomError("time_format", "godzina musi mieć postać GG:MM, np. 09:30")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise PydanticCustomError("time_invalid", "godzina spoza zakresu 00:00–23:59")
    return dt.time(hour, minute)


Hour = Annotated[
    dt.time,
    BeforeValidator(_hour),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
]


def _pesel(value: Any) -> str:
    _required(value)
    value = ascii_form(value)
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{11}", value):
        raise PydanticCustomError("pesel_format", "PESEL to 11 cyfr bez spacji i kresek")
    try:
        stdnum_pesel.validate(value)
    except InvalidChecksum:
        raise PydanticCustomError("pesel_checksum", "PESEL ma błędną cyfrę kontrolną") from None
    except StdnumError:
        raise PydanticCustomError(
            "pesel_date", "PESEL zawiera nieistniejącą datę urodzenia"
        ) from None
    return value


Pesel = Annotated[str, BeforeValidator(_pesel)]


def pesel_birth_date(pesel: str) -> dt.date:
    return stdnum_pesel.get_birth_date(pesel)


def _postal_code(value: Any) -> str:
    _required(value)
    value = ascii_form(value)
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{2}-[0-9]{3}", value):
        raise PydanticCustomError("postal_code", "kod pocztowy ma postać NN-NNN, np. 62-610")
    return value


PostalCode = Annotated[str, BeforeValidator(_postal_code)]

_CASE_NUMBER = re.compile(r"^[A-Za-z0-9._/-]{1,64}$")
# Names Windows reserves for devices, in any letter case and with any extension: a folder
# `dokumenty/CON` or `dokumenty/LPT1.2026` cannot exist there.
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$", re.IGNORECASE)


def normal_case_number(value: str) -> str:
    """The case number as the pipeline knows it: NFKC, outer white space (NBSP, tabs) removed.

    The one normalisation every part uses (validation, the access check of the web, retries),
    so that `"OPS/AR/7/2026 "` and `OPS/AR/7/2026` can never be two different cases to them.
    """
    return unicodedata.normalize("NFKC", value).strip()


def _case_number(value: Any) -> str:
    _required(value)
    if not isinstance(value, str):
        raise PydanticCustomError("case_number", "numer sprawy musi być tekstem")
    value = normal_case_number(value)
    segments = value.split("/")
    if any(_RESERVED.match(s) for s in segments):
        raise PydanticCustomError(
            "case_number_reserved",
            "niepoprawny numer sprawy: CON, PRN, AUX, NUL, COM1–COM9 i LPT1–LPT9 to nazwy "
            "zarezerwowane w systemie Windows i nie mogą być częścią numeru sprawy",
        )
    if any(s.endswith(".") for s in segments):
        raise PydanticCustomError(
            "case_number",
            "niepoprawny numer sprawy: część numeru między ukośnikami nie może kończyć się "
            "kropką (Windows nie utworzy takiego folderu)",
        )
    if (
        not _CASE_NUMBER.match(value)
        or ".." in value
        or value[0] in "./"
        or value[-1] in "./"
        or "//" in value
    ):
        raise PydanticCustomError(
            "case_number",
            "niepoprawny numer sprawy: dozwolone są litery bez polskich znaków, cyfry oraz "
            "znaki . / - _ (najwyżej 64 znaki, bez '..', nie może zaczynać się ani kończyć "
            "kropką lub ukośnikiem), np. AR.4011.14.2026",
        )
    return value


CaseNumber = Annotated[str, BeforeValidator(_case_number)]


@dataclass(frozen=True)
class Vocabulary:
    """Marks a field as holding codes of a vocabulary (`records.codes.VOCABULARIES`): how a
    document prints it and which codes a new form may use."""

    name: str


def _code(vocabulary: str):
    codes = VOCABULARIES[vocabulary]
    retired = RETIRED.get(vocabulary, frozenset())
    aliases = ALIASES.get(vocabulary, {})
    offered = list(offered_codes(vocabulary))
    by_label = {label.casefold(): code for code, label in codes.items()}

    def check(value: Any, info: ValidationInfo) -> str:
        _required(value)
        if not isinstance(value, str):
            raise PydanticCustomError("code_type", "oczekiwano jednego kodu z listy")
        key = value.strip()
        if key.casefold() in by_label and key not in codes:  # Word forms show the wording
            key = by_label[key.casefold()]
        stored = bool(info.context and info.context.get("stored"))
        if stored and key in codes:  # a stored record keeps its code and its wording
            return key
        if key in aliases:
            return aliases[key]
        if key in codes and key not in retired:
            return key
        if key in retired:
            raise PydanticCustomError(
                "code_retired",
                "tej wartości nie używa się już w nowych formularzach{why}; dozwolone: {allowed}",
                {
                    "why": f" ({RETIRED_WHY[key]})" if key in RETIRED_WHY else "",
                    "allowed": ", ".join(offered),
                },
            )
        hint = difflib.get_close_matches(key, offered, n=1)
        raise PydanticCustomError(
            "code_invalid",
            "niedozwolona wartość{hint}; dozwolone: {allowed}",
            {
                "hint": f" (czy chodziło o „{hint[0]}”?)" if hint else "",
                "allowed": ", ".join(offered),
            },
        )

    return BeforeValidator(check)


def Code(vocabulary: str) -> Any:  # noqa: N802 - reads like a type in the models
    """A code from a vocabulary of `records.codes.VOCABULARIES`. Codes retired for new forms
    (`records.codes.RETIRED`) stay valid in stored records (validated with context stored)."""
    return Annotated[str, _code(vocabulary), Vocabulary(vocabulary)]


def vocabulary_of(info: Any) -> str | None:
    """The vocabulary a field's annotation carries, also inside `list[...]` or `X | None`."""
    for item in getattr(info, "metadata", []) or []:
        if isinstance(item, Vocabulary):
            return item.name
    annotation = getattr(info, "annotation", info)
    for arg in get_args(annotation):
        for item in getattr(arg, "__metadata__", ()):
            if isinstance(item, Vocabulary):
                return item.name
        found = vocabulary_of(arg) if get_args(arg) else None
        if found:
            return found
    return None


def for_display(model: BaseModel) -> dict[str, Any]:
    """The model's values as templates print them: every code turned into its Polish wording
    (by the field's own vocabulary: `rodzaj` means different things in different forms)."""
    result: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        vocabulary = vocabulary_of(info)
        result[name] = _shown(value, VOCABULARIES.get(vocabulary or "", {}))
    return result


def _shown(value: Any, words: dict[str, str]) -> Any:
    if isinstance(value, BaseModel):
        return for_display(value)
    if isinstance(value, list | tuple):
        return [_shown(item, words) for item in value]
    if isinstance(value, str) and words:
        return words.get(value, value)
    return value


_TRUE = {"tak", "true", "t", "1"}
_FALSE = {"nie", "false", "n", "0"}


def _flag(value: Any) -> bool:
    _required(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
        return value.strip().casefold() in _TRUE
    raise PydanticCustomError("flag", "wpisz „tak” albo „nie”")


Flag = Annotated[bool, BeforeValidator(_flag)]


def _months(value: Any) -> int:
    _required(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a stored record holds the number it was given
    value = ascii_form(value)
    if (
        not isinstance(value, str)
        or not re.fullmatch(r"[0-9]{1,2}", value)
        or not 1 <= int(value) <= 24
    ):
        raise PydanticCustomError("months", "podaj liczbę miesięcy od 1 do 24, np. 3")
    return int(value)


Months = Annotated[int, BeforeValidator(_months)]
"""A number of months (1–24), e.g. how often a court expects reports."""


def _minutes(value: Any) -> int:
    _required(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    value = ascii_form(value)
    if (
        not isinstance(value, str)
        or not re.fullmatch(r"[0-9]{1,4}", value)
        or not 1 <= int(value) <= 24 * 60
    ):
        raise PydanticCustomError("minutes", "podaj liczbę minut od 1 do 1440, np. 20")
    return int(value)


Minutes = Annotated[int, BeforeValidator(_minutes)]
"""A length of work in minutes (1–1440), e.g. a phone call."""


def _unique(items: list) -> list:
    if len(set(items)) != len(items):
        raise PydanticCustomError("duplicate_items", "ta sama wartość podana więcej niż raz")
    return items


def UniqueList(item: Any, **field: Any) -> Any:  # noqa: N802
    return Annotated[list[item], Field(**field), AfterValidator(_unique)]


class Model(BaseModel):
    """Base of every model read from a form: strict keys, no values in error texts."""

    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,
        validate_default=False,
        frozen=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        """SPEC: an empty optional value means absent, so it takes the field's default."""
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {
            key: value
            for key, value in data.items()
            if not (value is None and key in fields and not fields[key].is_required())
        }


@dataclass(frozen=True)
class Kind:
    """What makes a form kind, in one place: each model class carries one (`KIND`).

    `code` is the `formularz` value; `title` the document's title (and how the kind is named to
    people); `date_field` the form's own date, which names its document, orders waiting files
    and is the day the document is "as of"; `layout` the fillable Word form; `document`: whether
    the kind makes a document from `templates_docx/<code>.docx`; `opens_case`: may be the first
    form of a case; `needs`: what the case must already hold (`sheet`: a fact sheet, for the
    work with the family; `family`: a fact sheet or the social worker's request, whose family
    the document addresses; `case`: only the case); `own_work`: the form records work done on
    its day (a visit, a note, an assessment), so whoever worked with the family that day may
    send it later; a form that decides something from its day on (who works with the family,
    consent, a court order, a placement, the closing) needs someone who holds the case today.
    """

    code: str
    title: str
    date_field: str
    layout: Any  # records.wordforms.layout.Layout (pure data)
    document: bool = True
    opens_case: bool = False
    needs: str = "sheet"
    own_work: bool = False


class Form(Model):
    """Keys every form starts with; a subclass is one form kind (`KIND`)."""

    KIND: ClassVar[Kind]

    formularz: str
    sprawa: CaseNumber

    @property
    def date(self) -> dt.date:
        """The form's own date (`KIND.date_field`)."""
        return getattr(self, self.KIND.date_field)

    def natural_key(self, case: Any) -> str:
        """What makes a later form of the case a correction of this one (then it is the new
        version): by default the kind and the form's date. `case`: the case it goes to."""
        return f"{self.KIND.code}:{self.date.isoformat()}"

    def document_title(self) -> str:
        """The title its document carries (some kinds have several)."""
        return self.KIND.title

    def document_values(self, case: Any) -> dict[str, Any]:
        """Values its document shows beyond the form's own, from the case (`dane.<name>`)."""
        return {}

    def fact(self, who: str, order: int) -> tuple[str, Any] | None:
        """What this form adds to its case's dated facts (`records.facts.CaseFacts`): the name
        of the collection and the fact. `who`: whoever did it (the form's `asystent`, else the
        assistant of its day); `order`: its place among the case's records."""
        return None

    def rules(self, today: dt.date) -> list[FieldError]:
        """Checks across the form's own fields (ranges in order, no future dates...)."""
        return []

    def case_rules(self, case: Any, settings: Any) -> list[FieldError]:
        """Checks against the case the form goes to, beyond the ones every kind shares."""
        return []

    def settled(self, settings: Any) -> Form:
        """The form with the office's defaults for what it leaves out, fixed when it is accepted
        (a later change of the settings does not rewrite closed cases)."""
        return self


class FollowUpForm(Form):
    """A form about an existing case; `asystent` defaults to the case's assistant."""

    asystent: Text | None = None
