"""The register of assistants (`[[zatrudnienie]]` in asystent.toml): who is employed when, by
whom and how (art. 17 ust. 1-2 of the Act).

Validation asks it whether the assistant of a form was employed on the form's day; the time
sheet whether an assistant works on a contract of mandate (then the sheet confirms the hours);
the statutory report how many assistants were employed at the end of a period, by form; the
grant what each month of work cost. An office without a register (an empty list) keeps the
behaviour of the first release: any name is accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from records.settings import EMPLOYMENT_FORMS, Employment, Settings

MANDATE = "umowa_zlecenie"


@dataclass(frozen=True)
class Register:
    contracts: tuple[Employment, ...]

    @classmethod
    def of(cls, settings: Settings) -> Register:
        return cls(tuple(settings.zatrudnienie))

    def __bool__(self) -> bool:
        return bool(self.contracts)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(c.asystent for c in self.contracts))

    def contract_on(self, name: str, day: dt.date) -> Employment | None:
        """The contract under which `name` works on `day` (the latest begun, if two overlap)."""
        found = [c for c in self.contracts if c.asystent == name and c.covers(day)]
        return max(found, key=lambda c: c.od) if found else None

    def employed_on(self, day: dt.date) -> list[Employment]:
        """Everyone's contract on `day`, one per assistant."""
        return [c for name in self.names if (c := self.contract_on(name, day)) is not None]

    def employed_between(self, first: dt.date, last: dt.date) -> list[str]:
        """Assistants with a contract on some day of [first, last]."""
        return [n for n in self.names if self.contracts_in(n, first, last)]

    def contracts_in(self, name: str, first: dt.date, last: dt.date) -> list[Employment]:
        return [
            c
            for c in self.contracts
            if c.asystent == name and c.od <= last and (c.do is None or c.do >= first)
        ]

    def not_employed_message(self, name: str, day: dt.date) -> str | None:
        """Why `name` cannot be the assistant of a form of `day`, or None when they can."""
        if not self or self.contract_on(name, day) is not None:
            return None
        own = [c for c in self.contracts if c.asystent == name]
        if not own:
            return (
                f"{name} nie ma w rejestrze asystentów ([[zatrudnienie]] w asystent.toml; "
                f"są: {', '.join(self.names)})"
            )
        periods = ", ".join(_period(c) for c in own)
        return (
            f"w rejestrze asystentów (asystent.toml) {name} nie ma umowy obejmującej dzień "
            f"{day.isoformat()} (umowy: {periods})"
        )


def form_of(contract: Employment) -> str:
    return EMPLOYMENT_FORMS[contract.forma]


def employer_of(contract: Employment, settings: Settings) -> str:
    return contract.pracodawca or settings.osrodek.nazwa


def _period(contract: Employment) -> str:
    until = contract.do.isoformat() if contract.do else "nadal"
    return f"{contract.od.isoformat()} – {until}"


def known_names(settings: Settings, extra: Iterable[str] = ()) -> list[str]:
    """The assistants an office names: its plain list, then its register, then `extra`."""
    return list(dict.fromkeys([*settings.osrodek.asystenci, *Register.of(settings).names, *extra]))
