"""Polish conventions of official documents, as template filters (see docs/szablony.md).

Dates: `22 listopada 2026 r.` (genitive month, Babel's CLDR data) or `22.11.2026 r.`; amounts:
`16 202,25 zł` with non-breaking spaces, and in words through num2words; hours `1 godz. 30 min`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from records.text import folded

# babel and num2words load their Polish data when first used, not when a command starts: the
# office-wide commands print hours and dates, most never an amount or a month's name.

NBSP = "\u00a0"


def month_year(value: dt.date) -> str:
    """`marzec 2026` (the month in the nominative, as a time sheet's heading names it)."""
    from babel.dates import format_date

    return format_date(value, "LLLL y", locale="pl")


def date_long(value: dt.date) -> str:
    """`22 listopada 2026 r.`"""
    from babel.dates import format_date

    return f"{format_date(value, 'd MMMM y', locale='pl')} r."


def date_short(value: dt.date) -> str:
    """`2.03.2026 r.`: no leading zero in the day, the month keeps its zero (PWN)."""
    return f"{value.day}.{value.month:02d}.{value.year} r."


# Dates people may give for periods and days (reports, alerts): the Act dates from 2011, and a
# far year is a typo (9999 would overflow date arithmetic).
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
_MONTH_NAMES = (  # as a date is written (genitive), and as a month is named, by month
    "stycznia styczeń", "lutego luty", "marca marzec", "kwietnia kwiecień", "maja maj",
    "czerwca czerwiec", "lipca lipiec", "sierpnia sierpień", "września wrzesień",
    "października październik", "listopada listopad", "grudnia grudzień",
)  # fmt: skip
_MONTHS = {
    form: month
    for month, names in enumerate(_MONTH_NAMES, start=1)
    for name in names.split()
    for form in (name, folded(name))  # "wrzesnia" typed without diacritics too
}
_ROMAN = {
    r: i
    for i, r in enumerate(
        ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"], start=1
    )
}


class NoSuchDay(ValueError):
    """Written as a date, but the calendar has no such day (31.02.2026); `iso`: as written, in
    the ISO form (`2026-02-31`), for a model to say so of its field."""

    def __init__(self, year: int, month: int, day: int) -> None:
        self.iso = f"{year:04d}-{month:02d}-{day:02d}"
        super().__init__(self.iso)


def parse_user_date(text: str) -> dt.date:
    """A date as people in Poland write it: `30.06.2026`, `30-06-2026`, `30/06/2026`,
    `2026-06-30`, `30 czerwca 2026 r.`, `30 VI 2026`. ValueError if it is not written as a date,
    `NoSuchDay` if it is but the day does not exist (29.02.2027): the two get different words."""
    parts = _date_parts(text)
    if parts is None:
        raise ValueError(text)
    try:
        return dt.date(*parts)
    except ValueError:
        raise NoSuchDay(*parts) from None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written, whether or not such a day exists."""
    cleaned = re.sub(r"\s*r(oku|\.)?$", "", text.strip().casefold()).strip()
    compact = cleaned.replace(" ", "").replace(NBSP, "")
    if found := re.fullmatch(r"(\d{4})[-.](\d{1,2})[-.](\d{1,2})", compact):
        return int(found[1]), int(found[2]), int(found[3])
    if found := re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", compact):
        return int(found[3]), int(found[2]), int(found[1])
    if found := re.fullmatch(
        r"(\d{1,2})[.\s]*([^\W\d_]+)[.\s]*(\d{4})", cleaned.replace(NBSP, " ")
    ):
        month = _MONTHS.get(found[2]) or _ROMAN.get(found[2])
        if month is not None:
            return int(found[3]), month, int(found[1])
    return None


def checked_user_date(text: str) -> dt.date:
    """`parse_user_date` within the years people may mean; ValueError says what is wrong, as the
    end of a sentence whose subject the caller names (`Data „…” ` + reason)."""
    try:
        day = parse_user_date(text)
    except NoSuchDay:
        raise ValueError("nie istnieje w kalendarzu") from None
    except ValueError:
        raise ValueError("musi mieć postać DD.MM.RRRR (np. 30.06.2026) albo RRRR-MM-DD") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"jest spoza lat {EARLIEST_DATE.year}–{LATEST_DATE.year}")
    return day


def parse_decimal(value: object) -> Decimal:
    """`16 202,25` or `16202.25` (spaces, non-breaking spaces, a decimal comma); ValueError else."""
    try:
        return Decimal(str(value).replace(" ", "").replace(NBSP, "").replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"to nie jest kwota: {value!r}") from None


def amount(value: object) -> str:
    """`16 202,25 zł`, grouped with non-breaking spaces so the line never breaks inside."""
    from babel.numbers import format_decimal

    text = format_decimal(parse_decimal(value), format="#,##0.00", locale="pl")
    return text.replace(" ", NBSP) + NBSP + "zł"


def amount_in_words(value: object) -> str:
    """`szesnaście tysięcy dwieście dwa złote, dwadzieścia pięć groszy` (num2words, lang pl)."""
    from num2words import num2words

    return num2words(parse_decimal(value), lang="pl", to="currency", currency="PLN")


def pesel_masked(value: str | None) -> str:
    """`900402*****`: the birth date stays (the document prints it anyway), the rest is hidden."""
    if not value:
        return "—"
    return value[:6] + "*" * (len(value) - 6)


def names_list(values: Iterable[object]) -> str:
    """Items joined with commas; dates the short Polish way (`8.04.2026 r.`)."""
    return ", ".join(date_short(v) if isinstance(v, dt.date) else str(v) for v in values)


def hours(minutes: int) -> str:
    """`1 godz. 30 min`, `45 min`, `2 godz.`"""
    whole, rest = divmod(int(minutes), 60)
    parts = ([f"{whole} godz."] if whole else []) + ([f"{rest} min"] if rest or not whole else [])
    return " ".join(parts)


def hours_decimal(minutes: int) -> str:
    """`12,50`: hours with two decimals and a comma (CSV for Polish Excel). Babel's pattern
    "0.00" for Polish gives the same text (no grouping, hyphen-minus; a test compares them)
    at a twentieth of the cost: a report's spreadsheet writes one for each family."""
    value = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:.2f}".replace(".", ",")


@cache
def _plural_form() -> Callable[[int], str]:
    from babel import Locale

    return Locale.parse("pl").plural_form


def counted(count: int, one: str, few: str, many: str) -> str:
    """`1 plik`, `3 pliki`, `32 pliki`, `5 plików`, `12 plików` (CLDR's Polish plural rules)."""
    word = {"one": one, "few": few}.get(_plural_form()(count), many)
    return f"{count} {word}"


# Adjectival surnames: the family in the plural, who they are and whose (Zielińscy, Zielińskich).
_ADJECTIVAL = (
    ("dzki", "dzka", "dzcy", "dzkich"),
    ("cki", "cka", "ccy", "ckich"),
    ("ski", "ska", "scy", "skich"),
)


def family_name(surnames: Iterable[str]) -> tuple[str, str]:
    """A family's name in the plural, nominative and genitive: `Zieliński, Zielińska` ->
    (`Zielińscy`, `Zielińskich`); `Nowak` -> (`Nowakowie`, `Nowaków`). Two names are joined
    with "i"; a name these rules do not cover is left as it is."""
    nominative: list[str] = []
    genitive: list[str] = []
    for name in dict.fromkeys(s.strip() for s in surnames if s.strip()):
        forms = _plural(name)
        if forms[0] not in nominative:
            nominative.append(forms[0])
            genitive.append(forms[1])
    return " i ".join(nominative), " i ".join(genitive)


def _plural(name: str) -> tuple[str, str]:
    if "-" in name:  # a double surname: each part on its own
        parts = [_plural(part) for part in name.split("-")]
        return "-".join(p[0] for p in parts), "-".join(p[1] for p in parts)
    for masculine, feminine, many, whose in _ADJECTIVAL:
        for ending in (masculine, feminine):
            if name.endswith(ending) and len(name) > len(ending):
                stem = name[: -len(ending)]
                return stem + many, stem + whose
    if name[-1:].isalpha() and name[-1].lower() not in "aeiouyąęó":
        return name + "owie", name + "ów"
    return name, name
