"""Durable writes on real files: what is on disk after a write."""

from __future__ import annotations

import os
from pathlib import Path

from records.fsutil import atomic_write


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def test_an_atomic_write_makes_its_folder_and_follows_the_umask(tmp_path: Path) -> None:
    shared, private = tmp_path / "nowy" / "a.docx", tmp_path / "nowy" / "b.json"
    atomic_write(shared, b"jeden")
    atomic_write(private, b"dwa", private=True, durable=False)
    assert shared.read_bytes() == b"jeden" and private.read_bytes() == b"dwa"
    assert shared.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert private.stat().st_mode & 0o777 == 0o600
    atomic_write(shared, b"trzy")
    assert shared.read_bytes() == b"trzy"
    assert sorted(p.name for p in shared.parent.iterdir()) == ["a.docx", "b.json"]  # no temp
