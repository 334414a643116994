"""Stage 1: a form file -> a dict whose every value is text (or None, a list, a dict).

Nothing here guesses types: YAML 1.1 would turn `pesel: 03220512345` into an octal number and
`9:05` into 545, so every scalar stays the text the user typed and the models do the typing.
Everything that could hurt is refused before it is built: files over 1 MB, anchors and aliases
(billion laughs), tags (`!!python/...`), duplicate keys, several documents, nesting deeper than 20.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from records.errors import FieldError, FormRejected

MAX_FILE_BYTES = 1_000_000
MAX_DOCX_BYTES = 10_000_000
MAX_DEPTH = 20
TEXT_SUFFIXES = {".yaml", ".yml", ".json"}
WORD_SUFFIXES = {".docx", ".docm"}

# Non-ASCII characters a real Polish text in Windows-1250 holds; anything else means a wrong guess.
_POLISH_CP1250 = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”“‚’‘–—…«»§°·×äöüÄÖÜéÉ")


@dataclass
class FormInput:
    """What a reader got from a file: the raw keys and values, and notes for the log."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    # How the form shows a field path (a Word form: "Członkowie rodziny, wiersz 3, PESEL").
    describe: Callable[[str], str] | None = None

    def where(self, errors: list[FieldError]) -> list[FieldError]:
        """Errors with their field paths named the way the form shows them."""
        if self.describe is None:
            return errors
        return [
            FieldError(
                self.describe(e.path),
                in_form_terms(e.message, self.describe),
                e.code,
                key=e.key or e.path,
            )
            for e in errors
        ]


_KEY_IN_MESSAGE = re.compile(r"\b(w polu|pole) ([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\b")


def in_form_terms(message: str, describe: Callable[[str], str]) -> str:
    """A message written for a YAML form, as a Word form's filler reads it: dates the way the
    form asks for them, fields by their labels instead of their keys."""
    message = message.replace("RRRR-MM-DD, np. 2026-03-23", "DD.MM.RRRR, np. 23.03.2026")
    message = message.replace("RRRR-MM-DD", "DD.MM.RRRR")

    def label(match: re.Match[str]) -> str:
        shown = describe(match.group(2))
        return f"{match.group(1)} „{shown}”" if shown != match.group(2) else match.group(0)

    return _KEY_IN_MESSAGE.sub(label, message)


def read_form(path: Path) -> FormInput:
    """Read a form file of any supported kind; raises FormRejected with a Polish reason."""
    suffix = path.suffix.lower()
    refuse_suffix(suffix)
    limit = _limit(suffix)
    size = path.stat().st_size
    if size > limit:  # refused from its size, without reading it
        raise too_large(size, limit)
    return parse_form(path.read_bytes(), suffix)


def parse_form(raw: bytes, suffix: str) -> FormInput:
    """The form in `raw`, the bytes of a file with this suffix (`.yaml`, `.docx`...).

    The pipeline reads a file once and hands the same bytes to its hash and to this parser, so
    what is stored is exactly what was hashed, even if the file changes on disk meanwhile.
    """
    suffix = suffix.lower()
    refuse_suffix(suffix)
    if len(raw) > _limit(suffix):
        raise too_large(len(raw), _limit(suffix))
    if suffix in (".docx", ".docm"):
        from records.wordforms.read import parse_word_form  # Word forms have their own reader

        return parse_word_form(raw, suffix)
    text, notes = decode(raw)
    if not text.strip():
        raise FormRejected.single("plik jest pusty", "file_empty")
    data = _load_json(text) if suffix == ".json" else _load_yaml(text)
    if data is None:
        raise FormRejected.single(
            "plik nie zawiera żadnych pól formularza (same komentarze)", "file_empty"
        )
    if not isinstance(data, dict):
        raise FormRejected.single(
            "formularz musi być zbiorem pól w postaci „klucz: wartość”", "not_a_mapping"
        )
    _check_depth(data)
    return FormInput(data=data, notes=notes)


def refuse_suffix(suffix: str) -> None:
    """Files that are not forms, refused from their name alone, each with what to do instead."""
    if suffix in (".doc", ".odt", ".rtf"):
        raise FormRejected.single(
            f"format „{suffix}” nie jest przyjmowany; otwórz plik i zapisz go jako „Dokument "
            "programu Word (.docx)”, albo wypełnij pusty formularz z asystent forms --docx",
            "format_unsupported",
        )
    if suffix not in TEXT_SUFFIXES | WORD_SUFFIXES:
        raise FormRejected.single(
            f"nieobsługiwany rodzaj pliku „{suffix or 'bez rozszerzenia'}”; "
            "wrzucaj formularze Word (.docx) albo pliki .yaml, .yml lub .json",
            "format_unsupported",
        )


def _limit(suffix: str) -> int:
    return MAX_DOCX_BYTES if suffix in WORD_SUFFIXES else MAX_FILE_BYTES


def too_large(size: int, limit: int) -> FormRejected:
    extra = "; usuń z formularza zdjęcia i wklejone obrazy" if limit == MAX_DOCX_BYTES else ""
    return FormRejected.single(
        f"plik jest za duży ({file_size(size)}, najwięcej {file_size(limit)}){extra}",
        "file_too_large",
    )


def file_size(size: int) -> str:
    """`986 kB`, `1,4 MB`: one unit system (decimal, as Windows Explorer's "MB" reads to users)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    text = f"{size / 1_000_000:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} MB"


def looks_unfinished(raw: bytes, suffix: str) -> bool:
    """Bytes of a file that is still being copied: a copy that set the final size first is
    zero-filled at its end (Windows Explorer over SMB does that), and a .docx whose end has not
    arrived has no end of its zip directory. The watcher waits for such a file a while longer."""
    if not raw or raw.endswith(b"\0" * min(len(raw), 16)):
        return True
    if suffix.lower() in WORD_SUFFIXES:
        return b"PK\x05\x06" not in raw[-(65_536 + 22) :]
    return False


def decode(raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or plausible Windows-1250; never garbled."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), ["plik w kodowaniu UTF-16 przekodowano na UTF-8"]
    if b"\x00" in raw:
        raise FormRejected.single(
            "plik zawiera znaki NUL (może to UTF-16 bez znacznika BOM); zapisz go jako UTF-8",
            "encoding",
        )
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        utf8_error = err
    text = raw.decode("cp1250", errors="replace")
    if all(ch.isascii() or ch in _POLISH_CP1250 for ch in text):
        return text, ["plik w kodowaniu Windows-1250 przekodowano na UTF-8"]
    line = raw[: utf8_error.start].count(b"\n") + 1
    column = utf8_error.start - (raw.rfind(b"\n", 0, utf8_error.start) + 1) + 1
    raise FormRejected.single(
        f"plik nie jest tekstem w kodowaniu UTF-8 (niepoprawny bajt w linii {line}, "
        f"kolumnie {column}); zapisz go jako UTF-8 (w Notatniku: Zapisz jako → Kodowanie UTF-8)",
        "encoding",
    )


class _FormLoader(yaml.BaseLoader):
    """BaseLoader keeps every scalar as text; we add: empty means absent, no duplicate keys."""

    def construct_scalar(self, node: yaml.ScalarNode) -> str | None:  # type: ignore[override]
        value = super().construct_scalar(node)
        if node.style is None and value in ("", "~", "null", "Null", "NULL"):
            return None
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _reject_at(key_node, "nazwa pola musi być zwykłym tekstem", "key_type")
            key = self.construct_scalar(key_node)
            if key is None:
                raise _reject_at(key_node, "pusta nazwa pola", "key_type")
            line = key_node.start_mark.line + 1
            if key in mapping or key in lines:
                raise FormRejected.single(
                    f"pole podane dwukrotnie (linie {lines[key]} i {line})",
                    "duplicate_key",
                    path=key,
                )
            lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=True)
        return mapping


_FormLoader.add_constructor("tag:yaml.org,2002:map", _FormLoader.construct_mapping)
_FormLoader.add_constructor("tag:yaml.org,2002:str", _FormLoader.construct_scalar)


def _reject_at(node: yaml.Node, message: str, code: str) -> FormRejected:
    return FormRejected.single(f"{message} (linia {node.start_mark.line + 1})", code)


def _scan_events(text: str) -> None:
    """Refuse aliases, tags, several documents and deep nesting before anything is built."""
    depth = documents = 0
    for event in yaml.parse(text, Loader=_FormLoader):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise FormRejected.single(
                f"odwołania YAML (& i *) są niedozwolone (linia {line}); wpisz wartości wprost",
                "yaml_alias",
            )
        if getattr(event, "tag", None) is not None:
            raise FormRejected.single(
                f"niedozwolony znacznik typu YAML (linia {line}); wpisz wartość bez niego",
                "yaml_tag",
            )
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise FormRejected.single(
                    "plik zawiera kilka dokumentów YAML (---); jeden plik to jeden formularz",
                    "yaml_multiple_documents",
                )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise FormRejected.single(
                    f"zbyt głęboko zagnieżdżona struktura (najwięcej {MAX_DEPTH} poziomów)",
                    "too_deep",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load_yaml(text: str) -> Any:
    try:
        _scan_events(text)
        return yaml.load(text, Loader=_FormLoader)  # noqa: S506 - strings-only loader, see above
    except yaml.MarkedYAMLError as err:
        raise FormRejected.single(_yaml_message(err, text), "yaml_syntax") from None
    except yaml.YAMLError:
        raise FormRejected.single("błąd składni YAML", "yaml_syntax") from None


def _yaml_message(err: yaml.MarkedYAMLError, text: str) -> str:
    mark = err.problem_mark or err.context_mark
    if mark is None:
        return "błąd składni YAML"
    where = f"w linii {mark.line + 1}, kolumnie {mark.column + 1}"
    lines = text.split("\n")
    source_line = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in source_line[: mark.column + 1] or "'\\t'" in str(err.problem):
        return f"znak tabulatora {where}; do wcięć używaj spacji"
    return (
        f"błąd składni YAML {where}; sprawdź wcięcia (spacje), dwukropek ze spacją po nazwie "
        "pola i zamknięcie cudzysłowów oraz nawiasów"
    )


def _load_json(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise FormRejected.single("pole podane dwukrotnie", "duplicate_key", path=key)
            result[key] = value
        return result

    def constant(name: str) -> Any:
        raise FormRejected.single(f"niedozwolona wartość liczbowa {name}", "json_constant")

    try:
        data = json.loads(
            text, object_pairs_hook=pairs, parse_int=str, parse_float=str, parse_constant=constant
        )
    except json.JSONDecodeError as err:
        raise FormRejected.single(
            f"błąd składni JSON w linii {err.lineno}, kolumnie {err.colno}", "json_syntax"
        ) from None
    except RecursionError:
        raise FormRejected.single(
            f"zbyt głęboko zagnieżdżona struktura (najwięcej {MAX_DEPTH} poziomów)", "too_deep"
        ) from None
    return _json_scalars_as_text(data)


def _json_scalars_as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {k: _json_scalars_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_scalars_as_text(v) for v in value]
    if value == "":
        return None
    return value


def _check_depth(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise FormRejected.single(
            f"zbyt głęboko zagnieżdżona struktura (najwięcej {MAX_DEPTH} poziomów)", "too_deep"
        )
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    for child in children:
        _check_depth(child, depth + 1)


_IGNORED_NAMES = re.compile(
    r"^(~\$.*|\.~lock\..*#|~WRL\d+\.tmp|.*\.tmp|.*\.part|.*\.crdownload|\..*|thumbs\.db|desktop\.ini)$",
    re.IGNORECASE,
)


def is_ignored(path: Path) -> bool:
    """Temporary and system files that editors and Windows leave in a shared folder.

    `~$x.docx` and `~WRL*.tmp`: Word's lock and scratch files; `.~lock.x#`: LibreOffice's lock;
    `Thumbs.db`, `desktop.ini`: Windows Explorer; dot files: macOS (`.DS_Store`, `._x`) and
    hidden files generally; `*.part`, `*.crdownload`: unfinished downloads; `.bledy.txt` reports.
    """
    return bool(_IGNORED_NAMES.match(path.name)) or path.name.endswith(".bledy.txt")
