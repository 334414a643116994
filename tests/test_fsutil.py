"""Durable writes on real files: what is on disk after a write."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from records.fsutil import WriteBatch, atomic_write, keep_copy, read_many, stats_of


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


def test_a_batch_lands_whole_at_its_commit(tmp_path: Path) -> None:
    """Nothing is in place before the commit; after it every file is, with the stat `write`
    foretold (the registry keeps it to know the file was not touched since), and no temp."""
    old = tmp_path / "sprawa" / "a.docx"
    atomic_write(old, b"stary")
    targets = [old, tmp_path / "sprawa" / "b.docx", tmp_path / "nowa" / "c.docx"]
    with WriteBatch() as batch:
        stats = [batch.write(path, f"nowy {path.name}".encode()) for path in targets]
        assert old.read_bytes() == b"stary" and not targets[1].exists()
        batch.write(targets[1], b"drugi raz")  # the last write of a file wins
        batch.commit()
    assert [p.read_bytes() for p in targets] == [b"nowy a.docx", b"drugi raz", b"nowy c.docx"]
    assert [(p.stat().st_size, p.stat().st_mtime_ns) for p in (old, targets[2])] == [
        (s.st_size, s.st_mtime_ns) for s in (stats[0], stats[2])
    ]
    assert targets[2].stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert sorted(p.name for p in old.parent.iterdir()) == ["a.docx", "b.docx"]
    assert [p.name for p in targets[2].parent.iterdir()] == ["c.docx"]


def test_a_batch_left_by_an_error_keeps_what_was_written(tmp_path: Path) -> None:
    """As files written one by one would have stayed; a batch never committed leaves nothing."""
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    with pytest.raises(RuntimeError), WriteBatch() as batch:
        batch.write(first, b"jeden")
        raise RuntimeError("szablon")
    assert first.read_bytes() == b"jeden"
    with WriteBatch() as batch:
        batch.write(second, b"dwa")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_a_crash_before_the_commit_leaves_the_old_files(tmp_path: Path) -> None:
    """A process killed after writing a batch but before its commit: every file as it was."""
    target = tmp_path / "a.docx"
    atomic_write(target, b"stary")
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from records.fsutil import WriteBatch
        batch = WriteBatch()
        target = Path({str(target)!r})
        batch.keep_copy(target, target.parent / "poprzednie", "a_1.docx")
        batch.write(target, b"nowy")
        batch.write(target.parent / "b.docx", b"nowy")
        os._exit(9)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == 9, done.stderr
    assert target.read_bytes() == b"stary" and not (tmp_path / "b.docx").exists()
    assert (tmp_path / "poprzednie" / "a_1.docx").read_bytes() == b"stary"


def test_an_earlier_version_is_kept_before_the_new_one_takes_its_place(tmp_path: Path) -> None:
    """The current file never goes missing: the earlier version is kept beside it (a hard
    link), and it keeps the old text once the new one replaced the file."""
    target = tmp_path / "plan.docx"
    atomic_write(target, b"wersja 1")
    with WriteBatch() as batch:
        kept = batch.keep_copy(target, tmp_path / "poprzednie", "plan_1.docx")
        assert target.read_bytes() == kept.read_bytes() == b"wersja 1"
        batch.write(target, b"wersja 2")
        batch.commit()
    assert target.read_bytes() == b"wersja 2" and kept.read_bytes() == b"wersja 1"
    again = keep_copy(target, tmp_path / "poprzednie", "plan_1.docx")  # the name is taken
    assert again.name == "plan_1 (2).docx" and again.read_bytes() == b"wersja 2"
    assert kept.read_bytes() == b"wersja 1"


def test_without_hard_links_an_earlier_version_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some file systems (FAT, some shares) have no hard links."""
    target = tmp_path / "plan.docx"
    atomic_write(target, b"wersja 1")

    def no_links(source: object, link: object, **options: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    os.chmod(target, 0o640)
    kept = keep_copy(target, tmp_path / "poprzednie", "plan_1.docx")
    atomic_write(target, b"wersja 2")
    assert kept.read_bytes() == b"wersja 1" and target.read_bytes() == b"wersja 2"
    assert kept.stat().st_mode & 0o777 == 0o640  # never wider than the file it copies


def test_a_batch_whose_sync_failed_puts_nothing_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that reports a lost write (syncfs, then fsync, fail; the kernel says it once):
    the old files stay, the new ones are not put in place unsynced by a second try."""
    from records import fsutil

    target = tmp_path / "a.docx"
    atomic_write(target, b"stary")

    failures = [OSError(5, "Input/output error")]
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        if failures:
            raise failures.pop()
        real_fsync(fd)

    monkeypatch.setattr(fsutil, "_syncfs", lambda: lambda fd: -1)
    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError), WriteBatch() as batch:
        batch.write(target, b"nowy")
        batch.write(tmp_path / "b.docx", b"nowy")
        batch.commit()
    monkeypatch.undo()
    assert target.read_bytes() == b"stary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_a_link_found_in_a_documents_place_is_put_aside_itself(tmp_path: Path) -> None:
    """Never what it points to: a link planted in the documents folder could point at the
    store; the link is moved aside, and nothing it points to is copied or linked."""
    secret = tmp_path / "dane.json"
    secret.write_bytes(b"PESEL")
    planted = tmp_path / "dokumenty" / "plan.docx"
    planted.parent.mkdir()
    planted.symlink_to(secret)
    kept = keep_copy(planted, planted.parent / "poprzednie", "plan_1.docx")
    assert kept.is_symlink() and not planted.exists() and not planted.is_symlink()
    assert secret.stat().st_nlink == 1


def test_a_save_made_after_the_earlier_version_was_kept_is_kept_too(tmp_path: Path) -> None:
    """Word saves through the share (a temp file renamed over the document) while the batch
    renders: the commit keeps that save before its own file replaces it."""
    target = tmp_path / "plan.docx"
    atomic_write(target, b"wersja 1")
    with WriteBatch() as batch:
        batch.keep_copy(target, tmp_path / "poprzednie", "plan_1.docx")
        batch.write(target, b"wersja programu")
        saved = tmp_path / "~zapis.tmp"
        saved.write_bytes(b"zapis z Worda")
        os.replace(saved, target)
        batch.commit()
    assert target.read_bytes() == b"wersja programu"
    kept = sorted(p.read_bytes() for p in (tmp_path / "poprzednie").iterdir())
    assert kept == [b"wersja 1", b"zapis z Worda"]
