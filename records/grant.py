"""How many months of an assistant's work a grant covers (the ministry's "Asystent rodziny").

Grants are budgeted in months of employment: Ostróda asked for 22 500 zł for nine months and
received 16 202,25 zł, so at 2 500 zł a month the assistant works 6 full months (6,48).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_decimal

from records.errors import UsageError
from records.polish import NBSP, amount, amount_in_words, parse_decimal

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
    if number != number.quantize(_CENT):
        raise UsageError(f"{name}: kwota może mieć najwyżej dwa miejsca po przecinku.")
    if not Decimal(0) <= number < _MAX:
        raise UsageError(f"{name}: kwota musi być dodatnia i mniejsza niż miliard złotych.")
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
