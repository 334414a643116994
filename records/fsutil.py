"""Durable file operations: every write atomic, internal files owner-only, moves that never clobber.

Write pattern (SPEC "Store and files"): temp file in the same folder, fsync, rename over the target,
fsync of the folder. A crash leaves the old file or the new one, never a mix. On Windows a rename
that fails because another program (antivirus, Word) holds the file is retried.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

_WINDOWS = sys.platform == "win32"
_RETRIES = 10


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX only: Windows has no directory handles for this)."""
    if _WINDOWS:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _retry(operation, *args) -> None:
    for attempt in range(_RETRIES):
        try:
            operation(*args)
            return
        except PermissionError:
            if not _WINDOWS or attempt == _RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def atomic_write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Replace `path` with `data` atomically; `private` files are created owner-only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:  # mkstemp made it 0600; shared files follow the folder's usual mode
            os.chmod(tmp, 0o666 & ~_umask())
        _retry(os.replace, tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def private_dir(path: Path) -> Path:
    """Create a folder only its owner can enter (0700); used for the store and temp files."""
    path.mkdir(parents=True, exist_ok=True)
    if not _WINDOWS:
        os.chmod(path, 0o700)
    return path


def unique_target(folder: Path, name: str) -> Path:
    """`folder/name`, or `name (2)`, `name (3)`... when taken: nothing is ever overwritten."""
    target = folder / name
    stem, dot, ext = name.partition(".")
    number = 2
    while target.exists():
        target = folder / f"{stem} ({number}){dot}{ext}"
        number += 1
    return target


def move_file(source: Path, folder: Path, name: str | None = None) -> Path:
    """Move `source` into `folder` under a free name and make the move durable."""
    folder.mkdir(parents=True, exist_ok=True)
    target = unique_target(folder, name or source.name)
    try:
        _retry(os.rename, source, target)
    except OSError:  # another file system (ingest FILE from a USB stick): copy, sync, delete
        atomic_write(target, source.read_bytes())
        source.unlink()
    fsync_dir(folder)
    return target
