"""Durable file operations: every write atomic, internal files owner-only, moves that never clobber.

Write pattern (SPEC "Store and files"): temp file in the same folder, fsync, rename over the target,
fsync of the folder. A crash leaves the old file or the new one, never a mix. On Windows a rename
that fails because another program (antivirus, Word) holds the file is retried.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import stat
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_WINDOWS = sys.platform == "win32"
_RETRIES = 10
MAX_NAME_BYTES = 255  # NTFS, ext4 and Samba's limit for one file name


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_many(folder: Path, names: Iterable[str]) -> dict[str, bytes | None]:
    """The bytes of several files of one folder, None for each missing. Read with the system's
    calls, relative to the folder where it can: several times faster than a `Path.read_bytes`
    each, and every office-wide command reads 2,000 cases' saved facts."""
    if os.open not in os.supports_dir_fd:  # pragma: no cover - Windows
        return {name: _read_or_none(folder / name) for name in names}
    found: dict[str, bytes | None] = {}
    folder_fd = os.open(folder, os.O_RDONLY)
    try:
        for name in names:
            try:
                fd = os.open(name, os.O_RDONLY, dir_fd=folder_fd)
            except FileNotFoundError:
                found[name] = None
                continue
            try:
                chunks = [os.read(fd, os.fstat(fd).st_size + 1)]
                while chunks[-1]:  # to its end: a share may return less, or the file grew
                    chunks.append(os.read(fd, 1 << 20))
            finally:
                os.close(fd)
            found[name] = b"".join(chunks)
    finally:
        os.close(folder_fd)
    return found


def _read_or_none(path: Path) -> bytes | None:  # pragma: no cover - Windows
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def stats_of(folder: Path, suffix: str) -> dict[str, os.stat_result]:
    """Each file of `folder` whose name ends with `suffix`, by its name without it, and its stat;
    a file removed while the folder is listed is left out."""
    found = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(suffix):
                try:  # Windows' DirEntry.stat() gives no inode, and a stamp holds it
                    stat = os.stat(entry.path) if _WINDOWS else entry.stat()
                except FileNotFoundError:
                    continue
                found[entry.name[: -len(suffix)]] = stat
    return found


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


def atomic_write(
    path: Path, data: bytes, *, private: bool = False, sync_dir: bool = True, durable: bool = True
) -> None:
    """Replace `path` with `data` atomically; `private` files are created owner-only (0600).

    `sync_dir=False` leaves the folder's fsync to the caller, who writes several files into it
    and syncs it once before recording them anywhere. `durable=False` syncs nothing: only for a
    cache that is checked before use and rebuilt when stale or damaged (each case's saved facts),
    which a crash may lose but never make wrong."""
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if not private:  # mkstemp made it 0600; shared files follow the folder's usual mode
            os.chmod(tmp, 0o666 & ~_UMASK)
        _retry(os.replace, tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync_dir and durable:
        fsync_dir(path.parent)


class WriteBatch:
    """Several files replaced atomically, made durable together: `generate` writes a case's
    documents as one batch before registering them.

    `atomic_write` syncs each file before renaming it over the old one, and on ext4 each fsync
    is a journal commit: for a case's fourteen documents that was half of `generate --all`, and
    creating the next file waited behind the last commit. Here each file goes to a temp file
    beside its target, unsynced; `commit` makes the data of all of them durable at once (Linux,
    on a local disk: one `syncfs`, a single journal commit; on a network or FUSE mount, an
    unknown file system, or elsewhere: an fsync each, as before), only then
    renames each over its target, and syncs their folders. So a crash still leaves every file
    old or new, never a mix; an earlier version to keep (`keep_copy`) is kept before any file
    is replaced, so no document is ever without its current file. Leaving the `with` block by
    an error commits what was written (as files written one by one would have stayed), or
    removes the temp files if that fails too.
    """

    def __init__(self) -> None:
        self._pending: dict[Path, str] = {}  # target -> its temp file
        # each file whose earlier version was kept (`keep_copy`): the folder and name it was
        # kept under, and the file's identity then
        self._kept_as: dict[Path, tuple[Path, str, tuple[int, int, int]]] = {}
        self._committing = False

    def __enter__(self) -> WriteBatch:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if not self._pending:
            return
        if kind is None or self._committing:
            # never committed, or its commit failed (a sync that failed is not tried again: the
            # kernel reports a lost write once, and the next sync would say all is well)
            self.discard()
            return
        try:
            self.commit()
        except BaseException:  # noqa: BLE001 - the error that left the block is the one raised
            self.discard()

    def write(self, path: Path, data: bytes) -> os.stat_result:
        """Put `data` in a temp file beside `path` (in place at `commit`); its stat, which the
        file keeps when renamed (size, modification time)."""
        fd, tmp = _temp_beside(path)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if _syncfs() is None:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_UMASK)
            written = os.stat(tmp)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        earlier = self._pending.pop(path, None)
        if earlier is not None:  # the same file twice: the last one wins, as written one by one
            with contextlib.suppress(OSError):
                os.unlink(earlier)
        self._pending[path] = tmp
        return written

    def keep_copy(self, source: Path, folder: Path, name: str) -> Path:
        """`fsutil.keep_copy` of a file this batch will replace, synced with the batch's files,
        before any of them takes its place. (A crash before the commit leaves the copy beside
        the file it copies: nothing is lost.)"""
        before = os.lstat(source)
        kept = keep_copy(source, folder, name, sync=False)
        self._kept_as[source] = (folder, name, _identity(before))
        return kept

    def commit(self) -> None:
        """Sync the data of every file written and the earlier versions kept, then rename each
        file into place, then sync their folders."""
        if not self._pending:
            return
        self._committing = True
        if not self._synced_at_once():
            self._synced_one_by_one()
        folders = dict.fromkeys(target.parent for target in self._pending)
        for target, tmp in list(self._pending.items()):
            self._keep_a_later_save(target)
            _retry(os.replace, tmp, target)
            del self._pending[target]
        for folder in folders:
            fsync_dir(folder)
        self._committing = False

    def _keep_a_later_save(self, target: Path) -> None:
        """Someone saved the file (Word through the share) after its earlier version was kept:
        that save is kept too, before the batch's file replaces it."""
        if target not in self._kept_as:
            return
        folder, name, kept_identity = self._kept_as.pop(target)
        try:
            now_identity = _identity(os.lstat(target))
        except FileNotFoundError:
            return
        if now_identity != kept_identity:
            keep_copy(target, folder, name)

    def _synced_at_once(self) -> bool:
        """One syncfs for each file system written to; False where there is none, where it
        failed, or where the files are not on a local disk (on a network or FUSE mount syncfs
        says done without asking the server to store them, as fsync does)."""
        syncfs = _syncfs()
        if syncfs is None:
            return False
        synced: set[int] = set()
        for folder in dict.fromkeys([*(t.parent for t in self._pending), *self._kept_folders()]):
            fd = os.open(folder, os.O_RDONLY)
            try:
                device = os.fstat(fd).st_dev
                if device not in synced:
                    if not _on_local_disk(fd) or syncfs(fd) != 0:
                        return False
                    synced.add(device)
            finally:
                os.close(fd)
        return True

    def _synced_one_by_one(self) -> None:
        """The usual way: each file (already synced as written where there is no syncfs) and
        each folder an earlier version was kept in."""
        if _syncfs() is not None:
            for tmp in self._pending.values():
                fd = os.open(tmp, os.O_RDONLY)  # enough for fsync on Linux, whatever the umask
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        for folder in dict.fromkeys(self._kept_folders()):
            fsync_dir(folder)

    def _kept_folders(self) -> list[Path]:
        return [folder for folder, _, _ in self._kept_as.values()]

    def discard(self) -> None:
        """Remove the temp files not yet committed."""
        for tmp in self._pending.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._pending.clear()


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new temp file (owner-only, open) in `path`'s folder, made if it is the first file."""
    try:
        return tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path.name), suffix=".tmp")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path.name), suffix=".tmp")


def _temp_prefix(name: str) -> str:
    """`.NAME.` (stale temp files are recognisable by it), cut so that the temp file's name fits
    255 bytes too: `.NAME.` plus 8 random characters and `.tmp`."""
    while len(os.fsencode(name)) > MAX_NAME_BYTES - 16:
        name = name[:-1]
    return f".{name}."


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _umask()  # read once: setting it to read it is not safe while other threads create files


def private_dir(path: Path) -> Path:
    """Create a folder only its owner can enter (0700); used for the store and temp files."""
    path.mkdir(parents=True, exist_ok=True)
    if not _WINDOWS:
        os.chmod(path, 0o700)
    return path


def fit_name(name: str, reserve: int = 0) -> str:
    """`name` shortened (its extension kept) so that it and `reserve` more bytes fit one name.

    A form is filed away under its own name, and its report adds `.bledy.txt`: a name of 250 bytes
    would leave no room. Bytes count, not characters (Polish letters take two in UTF-8).
    """
    limit = MAX_NAME_BYTES - reserve - 12  # room for " (123)" and a temp file's prefix
    if len(os.fsencode(name)) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(os.fsencode(ext)) > 16:
        stem, dot, ext = name, "", ""
    room = limit - len(os.fsencode(dot + ext)) - 1
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return f"{stem}~{dot}{ext}"


_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_DEVICE_NAMES = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$", re.IGNORECASE)


def safe_filename(name: str, default: str = "formularz") -> str:
    """A file name as the person gave it (Polish letters kept), made valid on Windows and Linux:
    no folders, no characters Windows refuses, no trailing dots or spaces, no device names."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_IN_NAMES.sub("_", unicodedata.normalize("NFC", name)).strip().rstrip(". ")
    if not name or name in (".", ".."):
        name = default
    if _DEVICE_NAMES.match(name):
        name = "_" + name
    return fit_name(name)


def unique_target(folder: Path, name: str) -> Path:
    """`folder/name`, or `name (2)`, `name (3)`... when taken (a hint: `move_file` decides)."""
    target = folder / name
    stem, dot, ext = name.partition(".")
    number = 2
    while target.exists() or target.is_symlink():
        target = folder / f"{stem} ({number}){dot}{ext}"
        number += 1
    return target


def move_file(source: Path, folder: Path, name: str | None = None) -> Path:
    """Move `source` into `folder` under a free name, never replacing a file, durably."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = name or source.name
    for _ in range(1000):
        target = unique_target(folder, wanted)
        try:
            if rename_no_replace(source, target):
                break
        except OSError as err:
            if err.errno != errno.EXDEV:
                raise
            # another file system (ingest FILE from a USB stick): copy, sync, delete
            if not _copy_no_replace(source, target):
                continue
            source.unlink()
            break
    else:
        raise FileExistsError(errno.EEXIST, "no free name", str(folder / wanted))
    fsync_dir(folder)
    return target


def aside_stamp() -> str:
    """The time in the name of whatever is kept aside (`2026-12-03_153000`): an earlier version,
    a thing found in a document's place, a store's backup before an upgrade."""
    return time.strftime("%Y-%m-%d_%H%M%S")


def own_folder(parent: Path, name: str) -> Path:
    """`parent/name` as a folder of its own, for a program-made subfolder (a case's `skany/`,
    `poprzednie/`): a link of that name, planted through a share, would send what is written
    there (personal data) anywhere; it, or a file of that name, is moved aside within `parent`
    first, as `NAME_<time>_nie_folder`."""
    folder = parent / name
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        move_file(folder, parent, f"{name}_{aside_stamp()}_nie_folder")
    return folder


def keep_copy(source: Path, folder: Path, name: str, *, sync: bool = True) -> Path:
    """Keep `source` as it is now in `folder` under a free name, leaving it in place: a hard
    link (no bytes copied), or a copy with its permissions where linking fails (no hard links
    there, or the system refuses to link another user's file). An earlier version of a
    document is kept so before the new one replaces it atomically: unlike moving it away
    first, there is never a moment without a current file. `sync=False` leaves the folder's
    sync to a `WriteBatch`."""
    if source.is_symlink():  # not a file this program wrote: the link itself is put aside
        return move_file(source, folder, name)
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(1000):
        target = unique_target(folder, name)
        try:
            os.link(source, target, follow_symlinks=False)
            break
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise
        except OSError:  # no hard links here (FAT, some shares): a copy, synced
            if _copy_no_replace(source, target):
                break
    else:
        raise FileExistsError(errno.EEXIST, "no free name", str(folder / name))
    if sync:
        fsync_dir(folder)
    return target


def _copy_no_replace(source: Path, target: Path) -> bool:
    """Copy `source` to `target` unless it exists, synced, with the source's permissions (never
    wider: a copy is made owner-only, then given the source's mode)."""
    data = source.read_bytes()
    mode = stat.S_IMODE(os.stat(source).st_mode)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(target, mode)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


@functools.cache
def _libc() -> Any:
    """Linux's C library through ctypes (None elsewhere), loaded at its first use: a command
    that only reads never loads ctypes or looks for the C library."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError):
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return None


@functools.cache
def _libc_function(name: str, *argtypes: str) -> Any:
    """A function of Linux's C library, its arguments typed (ctypes' names: "c_int"); None
    elsewhere, or where the library has no such function."""
    libc = _libc()
    function = getattr(libc, name, None) if libc is not None else None
    if function is not None:
        import ctypes

        function.argtypes = [getattr(ctypes, kind) for kind in argtypes]
    return function


def _renameat2() -> Any:
    return _libc_function("renameat2", "c_int", "c_char_p", "c_int", "c_char_p", "c_uint")


def _syncfs() -> Any:
    """All of one file system's unwritten data, one commit."""
    return _libc_function("syncfs", "c_int")


# Linux's file system magic numbers (statfs(2)) of local disks: syncfs makes their data durable.
_LOCAL_DISKS = {
    0xEF53,  # ext2, ext3, ext4
    0x58465342,  # xfs
    0x9123683E,  # btrfs
    0xF2F52010,  # f2fs
    0x2FC12FC1,  # zfs
    0x01021994,  # tmpfs (nothing to make durable)
}


def _on_local_disk(fd: int) -> bool:
    import ctypes

    libc = _libc()
    buffer = ctypes.create_string_buffer(256)  # struct statfs; f_type comes first
    if libc is None or libc.fstatfs(fd, buffer) != 0:
        return False
    return ctypes.c_long.from_buffer(buffer).value in _LOCAL_DISKS


def rename_no_replace(source: Path, target: Path) -> bool:
    """Rename `source` to `target` unless `target` exists (then False); never replaces a file.

    `os.rename` replaces an existing file on POSIX, so a file put back into the inbox could
    overwrite a newer one of the same name. Linux has an atomic rename that refuses
    (renameat2 RENAME_NOREPLACE); elsewhere a hard link does the same; Windows' rename refuses
    by itself. Where neither works (some network file systems), exists-then-rename is the rest.
    """
    if _WINDOWS:
        try:
            _retry(os.rename, source, target)
        except FileExistsError:
            return False
        return True
    renameat2 = _renameat2()
    if renameat2 is not None:
        if (
            renameat2(
                _AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE
            )
            == 0
        ):
            return True
        import ctypes

        code = ctypes.get_errno()
        if code == errno.EEXIST:
            return False
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(source), None, str(target))
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError as err:
        if err.errno == errno.EXDEV:
            raise
        if target.exists():  # no hard links here (FAT, some SMB mounts)
            return False
        os.rename(source, target)
        return True
    os.unlink(source)
    return True


def open_for_writing(path: Path) -> bool:
    """Whether some program still has `path` open for writing (a copy in progress).

    Size and modification time alone cannot tell: Windows Explorer over SMB sets the final size
    first and writes the content in chunks with pauses, and a slow laptop pauses for seconds.
    The system can tell:
    - Linux: a read lease (F_SETLEASE) is refused while the file is open for writing anywhere,
      Samba's writers included; where leases are not allowed (another owner, a network file
      system), the open files of the processes we can see (/proc) are looked at instead;
    - Windows: opening the file while refusing to share it for writing fails with a sharing
      violation while someone holds it for writing.
    Elsewhere the answer is False and the watcher relies on settling and content checks.
    """
    try:
        if _WINDOWS:
            return _windows_held_for_writing(path)
        if sys.platform.startswith("linux"):
            return _linux_open_for_writing(path)
    except FileNotFoundError:
        return False
    return False


def surely_not_open_for_writing(path: Path) -> bool:
    """True only when the system itself answers that no program has `path` open for writing
    (Linux: a read lease granted, which covers every process and Samba; Windows: an open that
    refuses to share writing succeeds). False when it cannot tell: another owner's file without
    the right to a lease, a network file system, another system."""
    try:
        if _WINDOWS:
            return not _windows_held_for_writing(path)
        if sys.platform.startswith("linux"):
            import fcntl

            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOATIME", 0))
            try:
                fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
            except OSError:
                return False
            else:
                fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
                return True
            finally:
                os.close(fd)
    except OSError:
        return False
    return False


def _linux_open_for_writing(path: Path) -> bool:
    import fcntl

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOATIME", 0))
    try:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
    except OSError as err:
        if err.errno == errno.EAGAIN:
            return True
        return _proc_writers(os.fstat(fd))  # EACCES/EPERM (not the owner), EINVAL (no leases)
    else:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)


def _proc_writers(stat: os.stat_result) -> bool:
    """Any visible process holding the same file open with write access (/proc/PID/fdinfo)."""
    me = str(os.getpid())
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == me:
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.stat(f"/proc/{pid}/fd/{fd}")
                if (target.st_dev, target.st_ino) != (stat.st_dev, stat.st_ino):
                    continue
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    flags = next(
                        int(line.split()[1], 8) for line in info if line.startswith("flags:")
                    )
            except (OSError, StopIteration, ValueError):
                continue
            if flags & (os.O_WRONLY | os.O_RDWR):
                return True
    return False


def _windows_held_for_writing(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    generic_read, share_read, open_existing = 0x80000000, 0x1, 3
    handle = kernel32.CreateFileW(str(path), generic_read, share_read, None, open_existing, 0, None)
    if handle == ctypes.c_void_p(-1).value:
        return ctypes.get_last_error() == 32  # type: ignore[attr-defined]  # sharing violation
    kernel32.CloseHandle(handle)
    return False
