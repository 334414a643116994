"""One error hierarchy for the whole package.

Every exception carries a stable machine code (used by tests and the log) and a Polish message meant
for a social worker. The CLI is the one place that turns them into exit codes. Messages never quote
values from inside a form (PESEL, names): they name files, case numbers and field paths only.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from records.text import shown


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
    """One problem in a form: where (`czlonkowie[2].pesel`), what (Polish), and a stable code.

    `path` is where the person sees it (a Word form: "Członkowie rodziny, wiersz 3, PESEL");
    `key` keeps the path in the form's keys when `path` was translated for a Word form."""

    path: str
    message: str
    code: str
    key: str = ""

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


# What the operating system says, in Polish: strerror is English ("No space left on device").
_OS_REASONS = {
    errno.ENOSPC: "brak miejsca na dysku",
    errno.EDQUOT: "przekroczony przydział miejsca na dysku",
    errno.EROFS: "dysk jest tylko do odczytu",
    errno.EIO: "błąd odczytu lub zapisu dysku",
    errno.EACCES: "brak uprawnień do pliku lub folderu",
    errno.EPERM: "system nie pozwala na tę operację (uprawnienia)",
    errno.ENOENT: "plik lub folder nie istnieje",
    errno.EEXIST: "plik o tej nazwie już istnieje",
    errno.ENAMETOOLONG: "nazwa pliku jest za długa",
    errno.EISDIR: "to folder, a nie plik",
    errno.ENOTDIR: "część ścieżki nie jest folderem",
    errno.ENOTEMPTY: "folder nie jest pusty",
    errno.EBUSY: "plik jest zajęty przez inny program",
    errno.ETXTBSY: "plik jest zajęty przez inny program",
    errno.EMFILE: "za dużo otwartych plików",
    errno.ENFILE: "za dużo otwartych plików w systemie",
    errno.EXDEV: "nie można przenieść pliku między dyskami",
    errno.ETIMEDOUT: "przekroczony czas oczekiwania (sieć lub dysk sieciowy)",
    errno.EHOSTDOWN: "komputer w sieci jest niedostępny",
    errno.EHOSTUNREACH: "komputer w sieci jest niedostępny",
    errno.ECONNREFUSED: "połączenie odrzucone",
    errno.EADDRINUSE: "ten adres i port są już zajęte przez inny program",
    errno.EADDRNOTAVAIL: "ten adres nie należy do tego komputera",
}
# Windows error codes that Python does not map onto errno values.
_WINDOWS_REASONS = {
    32: "plik jest otwarty w innym programie",
    33: "część pliku jest zablokowana przez inny program",
    112: "brak miejsca na dysku",
}


def os_error_text(err: OSError) -> str:
    """A Polish sentence for an operating-system error, with the file it concerns."""
    reason = _WINDOWS_REASONS.get(getattr(err, "winerror", None) or -1) or _OS_REASONS.get(
        err.errno or -1, f"błąd systemu operacyjnego nr {err.errno}"
    )
    if err.filename:
        return f"{reason} ({shown(str(err.filename))})"
    return reason


def is_disk_full(err: OSError) -> bool:
    return err.errno in (errno.ENOSPC, errno.EDQUOT) or getattr(err, "winerror", None) == 112
