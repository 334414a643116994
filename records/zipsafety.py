"""Limits for zip packages we did not make (Word forms and templates), checked before unpacking.

A `.docx` is a zip: a few kilobytes can declare gigabytes (a zip bomb) or thousands of parts.
Its central directory is read first, and the package is refused when its entries, declared sizes
or compression ratio pass these limits. Reading is capped too (`read_part`), so a forged size
header cannot make us read more than it declared.
"""

from __future__ import annotations

import zipfile
import zlib

MAX_ENTRIES = 1_000
MAX_ENTRY_BYTES = 20_000_000
MAX_TOTAL_BYTES = 50_000_000
MAX_RATIO = 100

# What a damaged zip raises while it is read: a bad CRC, a broken deflate stream, a cut-off
# file, a compression method nobody uses.
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError)


def zip_problem(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    """(code, Polish reason) when the package passes a limit, else None."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        return "docx_bomb", f"plik .docx ma za dużo części ({len(entries)})"
    total = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if (
        any(e.file_size > MAX_ENTRY_BYTES for e in entries)
        or total > MAX_TOTAL_BYTES
        or total / packed > MAX_RATIO
    ):
        return (
            "docx_bomb",
            "plik .docx po rozpakowaniu byłby podejrzanie duży (możliwa „bomba zip”); "
            "nie został otwarty",
        )
    if any(e.flag_bits & 0x1 for e in entries):
        return "docx_encrypted", "plik .docx jest zaszyfrowany; zapisz go bez hasła"
    return None


class PartTooLarge(Exception):
    """A part inflated past what it declared (a forged header)."""


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part, read with a cap (a forged size header cannot make us read more)."""
    with archive.open(name) as handle:
        data = handle.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise PartTooLarge(name)
    return data
