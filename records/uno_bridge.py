"""The other end of `records.pdf.OfficeServer`: converts documents in a running LibreOffice.

This file runs as a script under a Python that has LibreOffice's `uno` module (Debian's
python3-uno, or the Python that ships inside LibreOffice on Windows and macOS), not in asystent's
environment: it imports nothing of asystent's. It connects to the LibreOffice that `OfficeServer`
started (over an owner-only local pipe, never a TCP port), then answers one request per line:

    stdin:  {"docx": "/path/in.docx", "pdf": "/path/out.pdf"}
    stdout: {"ok": true}   or   {"blad": "<exception class>"}

When its stdin closes or its answer cannot be written (asystent stopped, even by kill -9, in the
middle of a conversion too), it shuts that LibreOffice down, killing it if need be, and removes
its private folder (the profile remembers the names of the documents it opened, and a PDF being
made lies there).

The pipe's socket is checked before connecting: it must be a socket owned by this account that
nobody else may open. Another local account that bound the name first (the name is visible in
the process list) gets nothing: the bridge refuses to talk to it.
"""

import contextlib
import json
import os
import shutil
import signal
import stat
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

_NEVER_EXECUTE_MACROS = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
_NO_LINK_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE: no external content fetched


def _props(**values):
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def _socket_is_ours(pipe):
    """Whether LibreOffice's socket for `pipe` (`/tmp/OSL_PIPE_<uid>_<pipe>`, or /var/tmp) is
    there and ours alone; raises when a socket of that name belongs to someone else."""
    if os.name != "posix":
        return True  # Windows: a named pipe, created by LibreOffice itself
    for folder in ("/tmp", "/var/tmp"):  # noqa: S108 - where LibreOffice puts its pipes
        path = f"{folder}/OSL_PIPE_{os.getuid()}_{pipe}"
        try:
            found = os.lstat(path)
        except FileNotFoundError:
            continue
        if not stat.S_ISSOCK(found.st_mode) or found.st_uid != os.getuid():
            raise PermissionError(f"{path} does not belong to this account")
        if found.st_mode & 0o077:
            raise PermissionError(f"{path} may be opened by other accounts")
        return True
    return False


def _remove_socket(pipe):
    """The pipe's socket file, which LibreOffice leaves behind when it is killed: each path
    removed only if it is a socket of this account (the same rule as
    `records.pdf._remove_pipe_socket`: this script imports nothing of asystent's)."""
    for folder in ("/tmp", "/var/tmp"):  # noqa: S108 - where LibreOffice puts its pipes
        path = f"{folder}/OSL_PIPE_{os.getuid()}_{pipe}"
        with contextlib.suppress(OSError):
            found = os.lstat(path)
            if stat.S_ISSOCK(found.st_mode) and found.st_uid == os.getuid():
                os.unlink(path)


def _resolve(resolver, pipe):
    try:
        return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
    except Exception:  # noqa: BLE001 - NoConnectException while LibreOffice is still starting
        return None


def _connect(pipe, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while True:
        if _socket_is_ours(pipe):  # raises PermissionError for someone else's socket
            remote = _resolve(resolver, pipe)
            if remote is not None:
                break
        if time.monotonic() > deadline:
            raise TimeoutError("LibreOffice did not start listening")
        time.sleep(0.1)
    return remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)


def _convert(desktop, docx, pdf):
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(docx),
        "_blank",
        0,
        _props(
            Hidden=True,
            ReadOnly=True,
            MacroExecutionMode=_NEVER_EXECUTE_MACROS,
            UpdateDocMode=_NO_LINK_UPDATE,
        ),
    )
    if document is None:
        raise ValueError("LibreOffice did not open the document")
    try:
        document.storeToURL(uno.systemPathToFileUrl(pdf), _props(FilterName="writer_pdf_Export"))
    finally:
        document.close(True)


def _answer(**answer):
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def _serve(pipe, start_timeout):
    desktop = _connect(pipe, time.monotonic() + start_timeout)
    try:
        _answer(gotowy=True)
        for line in sys.stdin:
            job = json.loads(line)
            try:
                _convert(desktop, job["docx"], job["pdf"])
                answer = {"ok": True}
            except Exception as error:  # noqa: BLE001 - a document it cannot read is an answer
                answer = {"blad": type(error).__name__}
            _answer(**answer)  # asystent gone: BrokenPipeError, and the office is shut down
    finally:
        with contextlib.suppress(Exception):  # already gone
            desktop.terminate()


def _end_office(office_pid):
    """LibreOffice ended by `terminate`, or killed with all it started (its own session)."""
    for _ in range(50):
        try:
            os.kill(office_pid, 0)
        except OSError:
            return
        time.sleep(0.1)
    with contextlib.suppress(OSError):
        os.killpg(office_pid, signal.SIGKILL)


def main():
    pipe, start_timeout, work = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    office_pid = int(sys.argv[4])
    try:
        _serve(pipe, start_timeout)
    except (OSError, ValueError, TimeoutError):  # asystent gone, or LibreOffice never listened
        pass
    finally:
        if os.name == "posix":
            _end_office(office_pid)
            _remove_socket(pipe)
        for _ in range(20):  # LibreOffice may still be writing its profile as it ends
            shutil.rmtree(work, ignore_errors=True)
            if not os.path.exists(work):
                break
            time.sleep(0.5)


if __name__ == "__main__":
    main()
