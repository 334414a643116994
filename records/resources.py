"""Where the packaged folders live: inside the wheel (`records/_data/`) or, in a source checkout
or editable install, at the top of the repository (SPEC: they stay there for staff to edit)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from records import __version__

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """`templates_docx`, `forms` or `sample_data` (looked up once: `generate` asks for each
    document's template)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Brak folderu {name} w instalacji programu asystent.")


@cache
def program_digest() -> str:
    """What made a derived value (a document's inputs, a case's saved facts): the version and the
    program's own code, since a development checkout changes code without changing the version.
    A value saved by another program is made again, never trusted."""
    digest = hashlib.sha256(__version__.encode())
    for module in sorted([*_PACKAGE.glob("*.py"), *_PACKAGE.glob("models/*.py")]):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()
