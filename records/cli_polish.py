"""click's own words in Polish: usage lines, help headings, and its usage errors.

click marks its texts for gettext but ships no Polish catalogue, so a user would read "Usage:",
"Missing option" or "Show this message and exit." between Polish sentences. `install()` gives
click's modules a translation of their own messages; `PolishCommand` and `PolishGroup` name the
metavariables in Polish. Anything not listed here stays as click wrote it.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

MESSAGES = {
    "Usage:": "Użycie:",
    "Options": "Opcje",
    "Commands": "Polecenia",
    "Positional arguments": "Argumenty",
    "Show this message and exit.": "Pokaż tę pomoc i zakończ.",
    "Show the version and exit.": "Pokaż wersję programu i zakończ.",
    "Error: {message}": "Błąd: {message}",
    "Try '{command} {option}' for help.": "Pomoc: {command} {option}",
    "No such command {name!r}.": "nie ma polecenia {name!r}.",
    "No such option {name!r}.": "nie ma opcji {name!r}.",
    "Missing command.": "brak polecenia.",
    "Missing option": "brak wymaganej opcji",
    "Missing argument": "brak wymaganego argumentu",
    "Missing parameter": "brak wymaganego parametru",
    "Missing parameter: {param_name}": "brak wymaganego parametru: {param_name}",
    "Missing {param_type}": "brak: {param_type}",
    "Invalid value for {param_hint}: {message}": "niepoprawna wartość {param_hint}: {message}",
    "Invalid value: {message}": "niepoprawna wartość: {message}",
    "Option {name!r} does not take a value.": "opcja {name!r} nie przyjmuje wartości.",
    "Aborted!": "Przerwano.",
    "Repeat for confirmation": "Powtórz, aby potwierdzić",
    "Error: The two entered values do not match.": "Błąd: wpisane wartości się różnią.",
    "Error: invalid input": "Błąd: niepoprawna odpowiedź",
    "Do you want to continue?": "Czy kontynuować?",
    "Confirm the action without prompting.": "Potwierdź bez pytania.",
    "required": "wymagane",
    "default: {default}": "domyślnie: {default}",
    "env var: {var}": "zmienna środowiskowa: {var}",
    "Choose from:\n\t{choices}": "Wybierz jedną z:\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} nie istnieje.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} jest folderem.",
    "{name} {filename!r} is a file.": "{name} {filename!r} jest plikiem.",
    "{name} {filename!r} is not readable.": "{name} {filename!r}: brak prawa odczytu.",
    "{name} {filename!r} is not writable.": "{name} {filename!r}: brak prawa zapisu.",
    "file": "plik",
    "directory": "folder",
    "path": "ścieżka",
    "{value!r} is not a valid {number_type}.": "{value!r} to nie jest liczba.",
    "{value} is not in the range {range}.": "{value} jest poza zakresem {range}.",
}

PLURALS = {
    "Did you mean {possibility}?": "Czy chodziło o {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Czy chodziło o: {possibilities}?)",
    "Got unexpected extra argument ({args})": "nieoczekiwany dodatkowy argument ({args})",
    "Got unexpected extra arguments ({args})": "nieoczekiwane dodatkowe argumenty ({args})",
    "{value!r} is not {choice}.": "{value!r} to nie {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} nie jest żadną z wartości: {choices}.",
    "Option {name!r} requires an argument.": "opcja {name!r} wymaga wartości.",
    "Option {name!r} requires {nargs} arguments.": "opcja {name!r} wymaga {nargs} wartości.",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    chosen = singular if count == 1 else plural
    return PLURALS.get(chosen, chosen)


def install() -> None:
    """Give click's modules the Polish texts (their `_` and `ngettext` are looked up at call
    time, so replacing the module globals is enough)."""
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
        click.utils,
    ):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


class PolishCommand(click.Command):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("options_metavar", "[OPCJE]")
        super().__init__(*args, **kwargs)


class PolishGroup(click.Group):
    command_class = PolishCommand

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("options_metavar", "[OPCJE]")
        kwargs.setdefault("subcommand_metavar", "POLECENIE [ARGUMENTY]...")
        super().__init__(*args, **kwargs)


PolishGroup.group_class = PolishGroup
