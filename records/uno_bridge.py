"""The other end of `records.pdf.OfficeServer`: converts documents in a running LibreOffice.

This file runs as a script under a Python that has LibreOffice's `uno` module (Debian's
python3-uno, or the Python that ships inside LibreOffice on Windows and macOS), not in asystent's
environment: it imports nothing of asystent's. It connects to the LibreOffice that `OfficeServer`
started (over an owner-only local pipe, never a TCP port), then answers one request per line:

    stdin:  {"docx": "/path/in.docx", "pdf": "/path/out.pdf"}
    stdout: {"ok": true}   or   {"blad": "<exception class>"}

When its stdin closes (asystent stopped, even by kill -9), it shuts that LibreOffice down and
removes its private folder (the profile remembers the names of the documents it opened).
"""

import contextlib
import json
import os
import shutil
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

_NEVER_EXECUTE_MACROS = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
_NO_LINK_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE: no external content fetched


def _props(**values):
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def _connect(pipe, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while True:
        try:
            remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # NoConnectException while LibreOffice is still starting
            if time.monotonic() > deadline:
                raise
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


def main():
    pipe, start_timeout, work = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    desktop = _connect(pipe, time.monotonic() + start_timeout)
    print(json.dumps({"gotowy": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            _convert(desktop, job["docx"], job["pdf"])
            answer = {"ok": True}
        except Exception as error:  # noqa: BLE001 - a document LibreOffice cannot read is an answer
            answer = {"blad": type(error).__name__}
        print(json.dumps(answer), flush=True)
    with contextlib.suppress(Exception):  # already gone
        desktop.terminate()
    for _ in range(20):  # LibreOffice may still be writing its profile as it ends
        shutil.rmtree(work, ignore_errors=True)
        if not os.path.exists(work):
            break
        time.sleep(0.5)


if __name__ == "__main__":
    main()
