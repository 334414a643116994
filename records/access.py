"""Who may see a case and who may send forms for it: the one access policy.

The web's pages, its uploads and the retry of a rejected upload all ask here, and they ask about
the case the pipeline itself decided on (the validated, normalised case number), never about text
as typed: a trailing space, a tab or an NBSP in `sprawa` cannot make a form look like one for a
new case.

- An assistant sees the cases they work with; a social worker the cases whose fact sheet names
  them; roles with `sprawy` (manager, office, archivist) see every case.
- Sending a form needs `wysylanie` and a case the person may see. A form that opens a new case
  must name the sender in it (an assistant as `asystent`, a social worker as
  `pracownik_socjalny`), so nobody can open a case in another's name.
"""

from __future__ import annotations

from typing import Protocol

from records.facts import CaseFacts


class Person(Protocol):
    login: str
    rola: str
    nazwa: str

    def may(self, permission: str) -> bool: ...

    @property
    def sees_all(self) -> bool: ...


def may_see(person: Person, case: CaseFacts) -> bool:
    if person.sees_all:
        return True
    if person.rola == "asystent":
        return case.asystent == person.nazwa
    if person.rola == "pracownik_socjalny":
        return case.social_worker == person.nazwa
    return False


def submit_refusal(person: Person, form: object, case: CaseFacts | None) -> str | None:
    """Why `person` may not send this validated form (None: they may). `case`: the facts of the
    existing case the form is for, or None when the form opens a new one."""
    if not person.may("wysylanie"):
        return "Twoja rola nie pozwala wysyłać formularzy."
    if case is not None:
        if may_see(person, case):
            return None
        return "Ta sprawa nie jest przydzielona do Ciebie; formularz nie został przyjęty."
    if person.sees_all or not getattr(form, "opens_case", False):
        return None  # no case yet: the case rules say so, and a retry asks here again
    field = "asystent" if person.rola == "asystent" else "pracownik_socjalny"
    if getattr(form, field, None) != person.nazwa:
        return (
            f"Nowa sprawa może być założona tylko w Twoim imieniu: pole {field} musi wskazywać "
            f"Ciebie ({person.nazwa})."
        )
    return None
