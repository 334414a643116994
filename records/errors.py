"""One error hierarchy for the whole package.

Every exception carries a stable machine code (used by tests and the log) and a Polish message meant
for a social worker. The CLI is the one place that turns them into exit codes. Messages never quote
values from inside a form (PESEL, names): they name files, case numbers and field paths only.
"""

from __future__ import annotations

from dataclasses import dataclass


class AsystentError(Exception):
    """Base of every error we raise on purpose; `str(err)` is the Polish message."""

    code = "error"
    exit_code = 1

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class UsageError(AsystentError):
    """Wrong usage of the tool (exit 2), e.g. a folder that is not a workspace."""

    code = "usage"
    exit_code = 2


class NotFoundError(AsystentError):
    """A case, record or file that does not exist (exit 1)."""

    code = "not_found"


class TemplateError(AsystentError):
    """A template cannot be used: broken file, syntax error, forbidden construct."""

    code = "template"


@dataclass(frozen=True)
class FieldError:
    """One problem in a form: where (`czlonkowie[2].pesel`), what (Polish), and a stable code."""

    path: str
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FormRejected(AsystentError):
    """A form file that cannot be accepted; lists every problem found in it."""

    code = "form_rejected"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    @classmethod
    def single(cls, message: str, code: str, path: str = "") -> FormRejected:
        return cls([FieldError(path, message, code)])
