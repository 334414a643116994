"""Durable writes on real files: what is on disk after a write."""

from __future__ import annotations

import os
from pathlib import Path

from records.fsutil import atomic_write, read_many, stats_of


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


def test_many_files_are_read_whole_and_missing_ones_named(tmp_path: Path) -> None:
    big = os.urandom(3 * (1 << 20))
    (tmp_path / "a.json").write_bytes(b"jeden")
    (tmp_path / "b.json").write_bytes(big)
    (tmp_path / "pusty.json").write_bytes(b"")
    found = read_many(tmp_path, ["a.json", "b.json", "pusty.json", "brak.json"])
    assert found == {"a.json": b"jeden", "b.json": big, "pusty.json": b"", "brak.json": None}


def test_the_stats_of_a_folder_list_only_files_of_the_suffix(tmp_path: Path) -> None:
    (tmp_path / "ar.1.json").write_bytes(b"{}")
    (tmp_path / "ar.1.json.tmp").write_bytes(b"{")
    (tmp_path / "notatka.txt").write_bytes(b"x")
    stats = stats_of(tmp_path, ".json")
    assert list(stats) == ["ar.1"]
    assert stats["ar.1"].st_ino == (tmp_path / "ar.1.json").stat().st_ino
