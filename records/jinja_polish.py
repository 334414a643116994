"""Jinja's messages about a template, in Polish: staff who edit templates in Word read them.

Jinja words its errors for programmers ("expected token 'end of print statement', got '{'").
The patterns below cover what a person typing tags in Word gets wrong: an unclosed `{{` or
`{% if %}`, a misspelt tag, filter or variable, a forbidden attribute. Anything else gets a
general Polish sentence; the English never reaches the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "end of template": "koniec szablonu",
    "name": "nazwa",
    "string": "tekst w cudzysłowie",
    "integer": "liczba",
    "float": "liczba",
    "operator": "działanie",
}


def _token(name: str) -> str:
    return _TOKENS.get(name, name)


def _quoted(name: str) -> str:
    return f"„{_token(name)}”"


def _blocks(text: str) -> str:
    names = re.findall(r"'(\w+)'", text)
    return " albo ".join(f"{{% {n} %}}" for n in names)


def _closing(text: str) -> str:
    """The tag that closes the block (`endif` of `'elif' or 'else' or 'endif'`)."""
    names = [n for n in re.findall(r"'(\w+)'", text) if n.startswith("end")]
    return f"{{% {names[-1]} %}}" if names else _blocks(text)


def _char(char: str) -> str:
    if char in "„”“‘’":
        return (
            f"cudzysłów drukarski {char} w znaczniku: Word zamienia cudzysłowy proste; "
            "wpisz ' albo \" (np. wklej z Notatnika)"
        )
    if char in "'\"":
        return f"niezamknięty cudzysłów {char} w znaczniku"
    return f"niedozwolony znak „{char}” w znaczniku"


_PATTERNS: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (
        r"expected token '(.+?)', got '(.+?)'",
        lambda m: f"oczekiwano {_quoted(m[1])}, a jest {_quoted(m[2])}",
    ),
    (
        r"unexpected end of template, expected '(.+?)'\.?",
        lambda m: f"szablon kończy się przed zamknięciem znacznika ({_quoted(m[1])})",
    ),
    (
        r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. "
        r"The innermost block that needs to be closed is '(\w+)'\.",
        lambda m: f"blok {{% {m[2]} %}} nie jest zamknięty (brakuje {_closing(m[1])})",
    ),
    (
        r"Encountered unknown tag '(\w+)'\. Jinja was looking for the following tags: (.+?)\. "
        r"The innermost block that needs to be closed is '(\w+)'\.",
        lambda m: (
            f"znacznik {{% {m[1]} %}} nie pasuje do otwartego bloku {{% {m[3]} %}} "
            f"(oczekiwano {_blocks(m[2])})"
        ),
    ),
    (
        r"Encountered unknown tag '(\w+)'\.?",
        lambda m: f"nieznany znacznik {{% {m[1]} %}} (literówka albo brak bloku, który zamyka)",
    ),
    (
        r"unexpected '(.+?)', expected '(.+?)'",
        lambda m: f"nieoczekiwany {_quoted(m[1])}, oczekiwano {_quoted(m[2])}",
    ),
    (r"unexpected '(.+?)'", lambda m: f"nieoczekiwany {_quoted(m[1])}"),
    (
        r"unexpected char (['\"])(.+?)\1 at \d+",
        lambda m: _char(m[2]),
    ),
    (
        r"Expected an expression, got '(.+?)'",
        lambda m: f"brakuje wyrażenia przed {_quoted(m[1])}",
    ),
    (r"No filter named '(.+?)'\.?", lambda m: f"nie ma filtru „{m[1]}” (docs/szablony.md)"),
    (r"No test named '(.+?)'\.?", lambda m: f"nie ma testu „{m[1]}”"),
    (r"'(\w+)' is undefined", lambda m: f"nie ma zmiennej „{m[1]}”"),
    (
        r"'.+?' has no attribute '(.+?)'",
        lambda m: f"nie ma pola „{m[1]}”",
    ),
    (
        r"access to attribute '(.+?)' of '.+?' object is unsafe\.?",
        lambda m: f"dostęp do „{m[1]}” jest w szablonach zabroniony",
    ),
]


def in_polish(message: str | None) -> str:
    """Jinja's `message` as a Polish phrase (no full stop), for "Szablon X: … (here)".
    A value of the wrong kind (text added to a number) raises Python's own TypeError, whose
    words are no more Polish: it gets the general sentence too."""
    text = (message or "").strip()
    for pattern, words in _PATTERNS:
        found = re.fullmatch(pattern, text, flags=re.DOTALL)
        if found is not None:
            return words(found)
    return "znacznika nie da się odczytać"


def failure(err: Exception) -> str:
    """Why filling a template failed, in Polish: Jinja's message, or for a value of the wrong
    kind (a name added to a number) what that means."""
    import jinja2

    if isinstance(err, jinja2.TemplateError):
        return in_polish(err.message)
    return "działanie na wartościach, które do siebie nie pasują, np. tekst i liczba"


def forbidden(err: Exception) -> str:
    """What a sandbox refused: our own limits speak Polish (`render.TemplateLimit`), Jinja's
    own refusals are translated."""
    return str(err) if getattr(err, "polish", False) else in_polish(str(err))
