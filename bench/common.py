"""What the benchmarks share: families written straight into the store's files as the pipeline
would leave them (bench/web.py, bench/office.py), and a document's text for comparing outputs
(bench/render.py, bench/generate_all.py).

The scripts import it as `common`: `python bench/NAME.py` puts this folder on the import path.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import io
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from records.models import FORMS, case_key
from records.readers import read_form
from records.resources import data_dir
from records.settings import Workspace
from records.store import AtomicJSONStorage, Record, new_record_id, now

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def stored_values(kind: str, **changes: object) -> dict:
    """A valid form's stored values, validated once (the forms in forms/ are valid)."""
    data = read_form(data_dir("forms") / f"{kind}.yaml").data | changes
    return FORMS[kind].model_validate(data).model_dump(mode="json")


def stored_record(kind: str, sprawa: str, values: dict, key: str) -> dict:
    return Record(
        id=new_record_id(),
        formularz=kind,
        sprawa=sprawa,
        klucz=key,
        dane=values | {"sprawa": sprawa},
        zrodlo={"plik": f"{kind}.yaml", "sha256": new_record_id() * 2},
        przyjeto=now(),
        polecenie="bench",
    ).__dict__


def write_families(
    ws: Workspace, visits: dict[str, list[dt.date]], assistants: dict[str, str] | None = None
) -> None:
    """One case file per case number: the sample fact sheet and a visit on each given day, by
    the sample's assistant or the one `assistants` gives the case."""
    family = stored_values("metryczka_rodziny")
    visit = stored_values("protokol_wizyty", nastepna_wizyta=None, ustalenia=[])
    for sprawa, days in visits.items():
        who = {"asystent": (assistants or {}).get(sprawa, family["asystent"])}
        records = [stored_record("metryczka_rodziny", sprawa, family | who, "metryczka_rodziny")]
        for day in days:
            key = f"protokol_wizyty:{day.isoformat()}T{visit['godzina_od']}"
            values = visit | who | {"data": day.isoformat()}
            records.append(stored_record("protokol_wizyty", sprawa, values, key))
        AtomicJSONStorage(str(ws.data / "sprawy" / f"{case_key(sprawa)}.json")).write(
            {"rekordy": {str(i + 1): r for i, r in enumerate(records)}}
        )


def text_of(data: bytes) -> str:
    """Every paragraph of a .docx's body, headers and footers, one a line."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [
            n
            for n in archive.namelist()
            if n == "word/document.xml" or n.startswith(("word/header", "word/footer"))
        ]
        return "\n".join(
            "".join(t.text or "" for t in p.iter(W + "t"))
            for name in sorted(parts)
            for p in etree.fromstring(archive.read(name)).iter(W + "p")
        )


@dataclass
class Served:
    """`asystent serve` running, and a browser-like opener logged in to it."""

    base: str  # http://127.0.0.1:PORT
    opener: urllib.request.OpenerDirector
    login_ms: float  # logging in lands on the families page: the first, cold one
    pid: int

    def get_ms(self, path: str) -> float:
        began = time.perf_counter()
        self.opener.open(f"{self.base}{path}").read()
        return (time.perf_counter() - began) * 1000


@contextmanager
def serving(root: Path, login: str, password: str) -> Iterator[Served]:
    """The real `asystent serve` on `root` in its own process, as in an office, logged in."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "records", "serve", "--workspace", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = opener.open(f"{base}/logowanie").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = {"login": login, "haslo": password, "csrf_token": token}
        began = time.perf_counter()
        opener.open(f"{base}/logowanie", urllib.parse.urlencode(form).encode()).read()
        yield Served(base, opener, (time.perf_counter() - began) * 1000, server.pid)
    finally:
        server.terminate()
        server.wait()


def peak_mib(pid: int) -> float:
    """A running process's peak resident memory (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
