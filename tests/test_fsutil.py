"""Durable writes on real files: what is on disk after a write, after a batch, after an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from records.fsutil import BatchedWrites, atomic_write


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


def test_a_batch_puts_its_files_in_place_only_when_it_ends(tmp_path: Path) -> None:
    old = tmp_path / "sprawa" / "stary.docx"
    old.parent.mkdir()
    old.write_bytes(b"przed")
    with BatchedWrites() as files:
        files.add(old, b"po")
        files.add(tmp_path / "sprawa" / "nowy.docx", b"nowy")
        files.add(tmp_path / "inna" / "plik.json", b"{}", private=True)
        assert old.read_bytes() == b"przed"  # nothing replaced yet
        assert not (tmp_path / "sprawa" / "nowy.docx").exists()
    assert old.read_bytes() == b"po"
    assert (tmp_path / "sprawa" / "nowy.docx").read_bytes() == b"nowy"
    assert (tmp_path / "inna" / "plik.json").stat().st_mode & 0o777 == 0o600
    assert old.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert sorted(p.name for p in (tmp_path / "sprawa").iterdir()) == ["nowy.docx", "stary.docx"]


def test_an_error_in_a_batch_changes_no_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    old = tmp_path / "stary.docx"
    old.write_bytes(b"przed")
    with pytest.raises(RuntimeError), BatchedWrites() as files:
        files.add(old, b"po")
        files.add(tmp_path / "nowy.docx", b"nowy")
        raise RuntimeError("przerwane")
    assert old.read_bytes() == b"przed"
    assert [p.name for p in tmp_path.iterdir()] == ["stary.docx"]


def test_a_batch_that_cannot_rename_leaves_no_temp_file(tmp_path: Path) -> None:
    """A target that is a folder (rename refused) fails the batch; the files renamed before it
    are in place, the rest are not, and no temp file is left."""
    (tmp_path / "b.docx").mkdir()
    with pytest.raises(OSError), BatchedWrites() as files:
        files.add(tmp_path / "a.docx", b"a")
        files.add(tmp_path / "b.docx", b"b")
        files.add(tmp_path / "c.docx", b"c")
    assert (tmp_path / "a.docx").read_bytes() == b"a"
    assert (tmp_path / "b.docx").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.docx"]
