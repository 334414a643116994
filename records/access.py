"""Who may see a case and who may send forms for it: the one access policy.

The web's pages, its uploads and the retry of a rejected upload all ask here, and they ask about
the case the pipeline itself decided on (the validated, normalised case number), never about text
as typed: a trailing space, a tab or an NBSP in `sprawa` cannot make a form look like one for a
new case.

- An assistant sees the cases they work with today, by the assignment periods: the regular
  assistant, and a substitute during the substitution (after the closing, the assistant who
  monitors the family); a social worker the cases whose fact sheet in force names them; roles
  with `sprawy` (manager, office, archivist) see every case.
- Sending a form needs `wysylanie` and a case the person may see, or a record of work done on a
  day on which they worked with the family (an assistant documents their own past visits,
  notes and assessments; `Kind.own_work`). Who works with the family, its consent, a court
  order, a placement, a fact sheet's update or the closing only someone holding the case today. A form that opens a
  new case must name the sender in it (an assistant as `asystent`, a social worker as
  `pracownik_socjalny`), so nobody can open a case in another's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from records.facts import CaseFacts


class Person(Protocol):
    @property
    def login(self) -> str: ...

    @property
    def rola(self) -> str: ...

    @property
    def nazwa(self) -> str: ...

    def may(self, permission: str) -> bool: ...

    @property
    def sees_all(self) -> bool: ...


def may_see(person: Person, case: CaseFacts, today: dt.date) -> bool:
    if person.sees_all:
        return True
    return _works_with(person, case, today)


def _documents_own_work(person: Person, form: object, case: CaseFacts, today: dt.date) -> bool:
    """A record of work done on a past day when `person` worked with the family (`Kind.own_work`):
    a former assistant documents their visits; they cannot assign, close or decide anything."""
    day = getattr(form, "date", today)
    own_work = getattr(getattr(form, "KIND", None), "own_work", False)
    return own_work and day <= today and _works_with(person, case, day)


def _works_with(person: Person, case: CaseFacts, day: dt.date) -> bool:
    if person.rola == "asystent":
        return person.nazwa in (case.assistant_on(day), case.regular_assistant_on(day))
    if person.rola == "pracownik_socjalny":
        return case.social_worker_on(day) == person.nazwa
    return False


def submit_refusal(
    person: Person, form: object, case: CaseFacts | None, today: dt.date
) -> str | None:
    """Why `person` may not send this validated form (None: they may). `case`: the facts of the
    existing case the form is for, or None when the form opens a new one."""
    if not person.may("wysylanie"):
        return "Twoja rola nie pozwala wysyłać formularzy."
    if case is not None:
        if may_see(person, case, today) or _documents_own_work(person, form, case, today):
            return None
        return "Ta sprawa nie jest przydzielona do Ciebie; formularz nie został przyjęty."
    if person.sees_all or not form.KIND.opens_case:  # type: ignore[attr-defined]
        return None  # no case yet: the case rules say so, and a retry asks here again
    field = "asystent" if person.rola == "asystent" else "pracownik_socjalny"
    if getattr(form, field, None) != person.nazwa:
        return (
            f"Nowa sprawa może być założona tylko w Twoim imieniu: pole {field} musi wskazywać "
            f"Ciebie ({person.nazwa})."
        )
    return None
