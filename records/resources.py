"""Where the packaged folders live: inside the wheel (`records/_data/`) or, in a source checkout
or editable install, at the top of the repository (SPEC: they stay there for staff to edit)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`templates_docx`, `forms` or `sample_data`."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Brak folderu {name} w instalacji programu asystent.")
