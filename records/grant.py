"""The ministry's "Asystent rodziny" grant, by the rules of its edition.

Older editions funded posts, budgeted in months of employment: Ostróda asked for 22 500 zł for
nine months and received 16 202,25 zł, so at 2 500 zł a month the assistant works 6 full months
(6,48): `coverage`. Later editions cover a share of the employment costs (80 % in 2023, 30 % in
2024), sometimes up to a cap per post, and pay a supplement per month worked (200 zł in 2024,
proportional to the post; a contract of mandate counts a month from 120 hours): `compute_grant`,
from the register of assistants and the time sheets (hours worked are visits and notes, not
visit hours alone). The editions' rules are data (`templates_docx/dotacje.toml`).
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from defusedcsv import csv
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from records.errors import UsageError
from records.facts import DAY, CaseFacts, add_months
from records.polish import NBSP, amount, amount_in_words, parse_decimal
from records.resources import data_dir
from records.settings import Workspace
from records.staff import MANDATE, Register
from records.timesheet import entries_of

_CENT = Decimal("0.01")
_MAX = Decimal("1000000000")
# CLDR's Polish plural forms (through Babel): 1 miesiąc, 2-4 and 22-24 miesiące, 5-21 miesięcy.
_PLURAL = Locale.parse("pl").plural_form
_MONTHS = {"one": "pełny miesiąc", "few": "pełne miesiące", "many": "pełnych miesięcy"}


@dataclass(frozen=True)
class Coverage:
    grant: Decimal
    monthly_cost: Decimal
    months: Decimal  # rounded to hundredths
    full_months: int
    remainder: Decimal  # what is left after the full months

    @property
    def text(self) -> str:
        months = format_decimal(self.months, format="0.00", locale="pl")
        line = (
            f"Dotacja {amount(self.grant)} (słownie: {amount_in_words(self.grant)}) pokrywa "
            f"{months} miesiąca pracy asystenta rodziny przy koszcie {amount(self.monthly_cost)} "
            f"miesięcznie: {_months(self.full_months)}"
        )
        if self.remainder:
            line += f" i {amount(self.remainder)} na część kolejnego miesiąca"
        return line + "."

    def for_template(self) -> dict[str, object]:
        return {
            "kwota": self.grant,
            "koszt_miesieczny": self.monthly_cost,
            "miesiace": format_decimal(self.months, format="0.00", locale="pl"),
            "pelne_miesiace": self.full_months,
            "reszta": self.remainder,
            "opis": self.text,
        }


def _months(count: int) -> str:
    return f"{count}{NBSP}{_MONTHS.get(_PLURAL(count), _MONTHS['many'])}"


def parse_amount(value: str, name: str) -> Decimal:
    """`16202.25`, `16 202,25` or `16202,25 zł`; a clear Polish message for anything else."""
    try:
        number: Decimal | None = parse_decimal(value.strip().removesuffix("zł"))
    except ValueError:
        number = None
    if number is None or not number.is_finite():
        raise UsageError(f"{name}: „{value}” nie jest kwotą (przykład: 16202,25).")
    if not Decimal(0) <= number < _MAX:  # first: 1e400 cannot even be rounded to grosze
        raise UsageError(f"{name}: kwota musi być dodatnia i mniejsza niż miliard złotych.")
    if number != number.quantize(_CENT):
        raise UsageError(f"{name}: kwota może mieć najwyżej dwa miejsca po przecinku.")
    return number


def coverage(grant: Decimal, monthly_cost: Decimal) -> Coverage:
    if monthly_cost <= 0:
        raise UsageError(
            "--koszt-miesieczny: miesięczny koszt pracy asystenta musi być większy od zera."
        )
    full = int((grant / monthly_cost).to_integral_value(rounding=ROUND_DOWN))
    return Coverage(
        grant=grant,
        monthly_cost=monthly_cost,
        months=(grant / monthly_cost).quantize(_CENT, rounding=ROUND_HALF_UP),
        full_months=full,
        remainder=grant - full * monthly_cost,
    )


# -- editions of the programme: share of costs, cap, supplement per month worked ------------------

EDITIONS_FILE = "dotacje.toml"
_HUNDRED = Decimal(100)


class Edition(BaseModel):
    """One year's rules (`templates_docx/dotacje.toml`, or the office's `szablony/dotacje.toml`)."""

    model_config = ConfigDict(extra="forbid")
    nazwa: str = ""
    udzial_kosztow: Decimal = Field(default=Decimal(0), ge=0, le=100)  # percent of the costs
    limit_kosztow_miesiecznie: Decimal | None = Field(default=None, ge=0)  # per full-time post
    dodatek_miesieczny: Decimal = Field(default=Decimal(0), ge=0)  # per month worked, x etat
    dodatek_limit: Decimal | None = Field(default=None, ge=0)  # per assistant in the edition
    prog_godzin: int = Field(default=0, ge=0, le=744)  # a mandate's month counts from these hours

    @field_validator(
        "udzial_kosztow",
        "limit_kosztow_miesiecznie",
        "dodatek_miesieczny",
        "dodatek_limit",
        mode="before",
    )
    @classmethod
    def _polish_decimal(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(" ", "").replace(NBSP, "").replace(",", ".")
            return value or None
        return value


@dataclass(frozen=True)
class GrantMonth:
    """One assistant's month: what it cost, what the grant covers, the supplement."""

    asystent: str
    first: dt.date
    forma: str
    etat: Decimal
    days: int  # days of the month under a contract
    minutes: int  # hours worked: the time sheet's visits and notes
    cost: Decimal | None  # None: the register gives no cost for this contract
    covered: Decimal
    supplement: Decimal
    worked: bool  # counts as a month worked for the supplement


@dataclass(frozen=True)
class GrantResult:
    edition: str
    name: str
    od: dt.date
    do: dt.date
    months: tuple[GrantMonth, ...]

    def per_assistant(self) -> dict[str, tuple[Decimal, Decimal]]:
        found: dict[str, tuple[Decimal, Decimal]] = {}
        for month in self.months:
            covered, supplement = found.get(month.asystent, (Decimal(0), Decimal(0)))
            found[month.asystent] = (covered + month.covered, supplement + month.supplement)
        return found

    @property
    def total(self) -> tuple[Decimal, Decimal]:
        return (
            sum((m.covered for m in self.months), Decimal(0)),
            sum((m.supplement for m in self.months), Decimal(0)),
        )


def editions_file(ws: Workspace) -> Path:
    own = ws.root / "szablony" / EDITIONS_FILE
    return own if own.is_file() else data_dir("templates_docx") / EDITIONS_FILE


def load_edition(ws: Workspace, year: str) -> tuple[Edition, Path]:
    path = editions_file(ws)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("edycja", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"Plik {path} ma błędny format: {err}") from None
    if year not in raw:
        known = ", ".join(sorted(raw)) or "żadnej"
        raise UsageError(
            f"W pliku {path} nie ma edycji {year} (są: {known}); dodaj [edycja.{year}] "
            "w szablony/dotacje.toml"
        )
    try:
        return Edition.model_validate(raw[year]), path
    except ValidationError as err:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in err.errors())
        raise UsageError(f"Plik {path}, edycja {year}: błędne wartości ({fields})") from None


def compute_grant(
    ws: Workspace, cases: list[CaseFacts], year: str, od: dt.date, do: dt.date
) -> GrantResult:
    """Each assistant's months of [od, do] under a contract of the register, by the edition's
    rules. Hours worked come from the time sheets (visits and notes), never visit hours alone."""
    if od > do:
        raise UsageError("Początek okresu (--od) musi być nie późniejszy niż koniec (--do).")
    edition, _ = load_edition(ws, year)
    register = Register.of(ws.settings)
    if not register:
        raise UsageError(
            "Dotację liczy się z rejestru asystentów: dodaj w asystent.toml sekcje "
            "[[zatrudnienie]] (forma, etat, od, koszt_miesieczny albo stawka_godzinowa)."
        )
    months: list[GrantMonth] = []
    paid: dict[str, Decimal] = {}
    for first in _months_between(od, do):
        last = add_months(first, 1) - DAY
        low, high = max(first, od), min(last, do)
        worked = entries_of(cases, low, high)
        for name in register.employed_between(low, high):
            month = _month(edition, register, name, first, low, high, worked.get(name, []))
            if edition.dodatek_limit is not None:  # the cap per assistant in the edition
                left = max(edition.dodatek_limit - paid.get(name, Decimal(0)), Decimal(0))
                month = replace(month, supplement=min(month.supplement, left))
            paid[name] = paid.get(name, Decimal(0)) + month.supplement
            months.append(month)
    return GrantResult(year, edition.nazwa, od, do, tuple(months))


def _month(
    edition: Edition,
    register: Register,
    name: str,
    first: dt.date,
    low: dt.date,
    high: dt.date,
    entries: list[Any],
) -> GrantMonth:
    days_in_month = (add_months(first, 1) - first).days
    contract = max(register.contracts_in(name, low, high), key=lambda c: c.od)
    start, end = max(low, contract.od), min(high, contract.do or high)
    days = (end - start).days + 1
    share = Decimal(days) / Decimal(days_in_month)
    minutes = sum(e.minutes for e in entries)
    hours_worked = Decimal(minutes) / 60
    mandate = contract.forma == MANDATE
    if mandate:
        cost = (
            (contract.stawka_godzinowa * hours_worked)
            if contract.stawka_godzinowa is not None
            else None
        )
        worked = hours_worked >= edition.prog_godzin if edition.prog_godzin else minutes > 0
        # The cap per post: a full post for a month worked, else the share of the threshold.
        post = Decimal(1)
        if not worked and edition.prog_godzin:
            post = hours_worked / edition.prog_godzin
        supplement = edition.dodatek_miesieczny if worked else Decimal(0)
    else:
        cost = contract.koszt_miesieczny * share if contract.koszt_miesieczny is not None else None
        worked = days > 0
        post = contract.etat * share
        supplement = edition.dodatek_miesieczny * contract.etat * share
    covered = (cost or Decimal(0)) * edition.udzial_kosztow / _HUNDRED
    if edition.limit_kosztow_miesiecznie is not None:
        covered = min(covered, edition.limit_kosztow_miesiecznie * post)
    return GrantMonth(
        asystent=name,
        first=first,
        forma=contract.forma,
        etat=contract.etat,
        days=days,
        minutes=minutes,
        cost=cost.quantize(_CENT, rounding=ROUND_HALF_UP) if cost is not None else None,
        covered=covered.quantize(_CENT, rounding=ROUND_HALF_UP),
        supplement=supplement.quantize(_CENT, rounding=ROUND_HALF_UP),
        worked=worked,
    )


def _months_between(od: dt.date, do: dt.date) -> list[dt.date]:
    found, month = [], od.replace(day=1)
    while month <= do:
        found.append(month)
        month = add_months(month, 1)
    return found


GRANT_CSV_HEADERS = [
    "Asystent rodziny",
    "Miesiąc",
    "Forma zatrudnienia",
    "Etat",
    "Dni umowy",
    "Godziny pracy (ewidencja)",
    "Miesiąc przepracowany",
    "Koszt zatrudnienia",
    "Dofinansowanie kosztów",
    "Dodatek",
]


def grant_csv(result: GrantResult) -> bytes:
    """One row per assistant and month, a total row per assistant and for everyone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(GRANT_CSV_HEADERS)

    def money(value: Decimal | None) -> str:
        return "" if value is None else format_decimal(value, format="0.00", locale="pl")

    for month in sorted(result.months, key=lambda m: (m.asystent, m.first)):
        writer.writerow(
            [
                month.asystent,
                f"{month.first:%Y-%m}",
                "umowa zlecenia" if month.forma == MANDATE else "umowa o pracę",
                format_decimal(month.etat, format="0.##", locale="pl"),
                month.days,
                format_decimal(
                    (Decimal(month.minutes) / 60).quantize(_CENT), format="0.00", locale="pl"
                ),
                "tak" if month.worked else "nie",
                money(month.cost),
                money(month.covered),
                money(month.supplement),
            ]
        )
    for name, (covered, supplement) in result.per_assistant().items():
        writer.writerow([name, "Razem", "", "", "", "", "", "", money(covered), money(supplement)])
    covered, supplement = result.total
    writer.writerow(["Razem", "", "", "", "", "", "", "", money(covered), money(supplement)])
    return buffer.getvalue().encode("utf-8-sig")
