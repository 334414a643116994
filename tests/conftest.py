"""Shared fixtures: a real workspace made by `asystent init`, forms written as real files, and the
text of generated documents read back with python-docx (body, tables, headers and footers)."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import docx.text.paragraph
import pytest
import yaml
from click.testing import CliRunner, Result

from records.cli import cli

FAMILY: dict[str, Any] = {
    "formularz": "metryczka_rodziny",
    "sprawa": "GOPS/AR/3/2026",
    "asystent": "Anna Wiśniewska",
    "pracownik_socjalny": "Piotr Zając",
    "data_przydzielenia": "2026-02-10",
    "adres": {"ulica": "ul. Lipowa 7", "kod_pocztowy": "59-700", "miejscowosc": "Bolesławiec"},
    "czlonkowie": [
        {
            "imie": "Ewa",
            "nazwisko": "Kowalska",
            "data_urodzenia": "1990-04-02",
            "pesel": "90040212349",
            "rola": "matka",
        },
        {
            "imie": "Oskar",
            "nazwisko": "Kowalski",
            "data_urodzenia": "2016-09-12",
            "rola": "dziecko",
        },
    ],
    "problemy": ["ubostwo", "wielodzietnosc"],
    "instytucje": [
        {
            "nazwa": 'Przedszkole nr 3 "Bajka" & Żłobek',
            "rodzaj": "przedszkole",
            "kontakt": "tel. 75 612 00 00",
        }
    ],
}

VISIT: dict[str, Any] = {
    "formularz": "protokol_wizyty",
    "sprawa": "GOPS/AR/3/2026",
    "data": "2026-02-17",
    "godzina_od": "10:00",
    "godzina_do": "11:30",
    "obecni": ["Ewa Kowalska", "Anna Wiśniewska"],
    "cel_wizyty": "Pierwsza wizyta; omówienie zasad współpracy",
    "przebieg": "Matka opowiedziała o sytuacji rodziny <bez pracy od 2025 r.> & potrzebach syna.",
    "ustalenia": [
        {
            "zadanie": "Zarejestrować się w urzędzie pracy",
            "termin": "2026-02-28",
            "odpowiedzialny": "Ewa Kowalska",
        }
    ],
}


def visit_form(
    sprawa: str, day: str, start: str = "10:00", end: str = "11:30", **changes: Any
) -> dict[str, Any]:
    """A visit protocol of one day, with only what the protocol requires (and `changes`)."""
    return {
        "formularz": "protokol_wizyty",
        "sprawa": sprawa,
        "data": day,
        "godzina_od": start,
        "godzina_do": end,
        "obecni": ["Ewa Kowalska"],
        "cel_wizyty": "Praca z rodziną",
        "przebieg": f"Wizyta {day}.",
        "ustalenia": [],
    } | changes


def form(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of a form with some keys changed (None removes a key)."""
    result = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(*args: Any, input: str | None = None) -> Result:
    """The real CLI, in-process; exceptions are not caught so a traceback fails the test.
    `input` is what the user types at a prompt."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def csrf_token(client: Any, page: str) -> str:
    """The form token a page of the web interface carries (every form sent back needs it)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found, f"no form token on {page}"
    return found.group(1)


def web_client(root: Path, login: str, password: str) -> Any:
    """Flask's test client for the workspace, logged in as `login` through the login page."""
    from records.settings import load_workspace
    from records.web.app import create_app

    client = create_app(load_workspace(root)).test_client()
    token = csrf_token(client, "/logowanie")
    answer = client.post(
        "/logowanie", data={"login": login, "haslo": password, "csrf_token": token}
    )
    assert answer.status_code == 302, answer.text
    return client


def add_account(ws: Path, login: str, role: str, name: str, password: str) -> None:
    """An account of the web interface, made by the real `asystent users add`."""
    result = run(
        "users",
        "add",
        "--workspace",
        ws,
        login,
        "--rola",
        role,
        "--nazwa",
        name,
        "--haslo",
        password,
    )
    assert result.exit_code == 0, result.output


def ingest(ws: Path, folder: Path, *forms: dict[str, Any], expect: int = 0) -> str:
    existing = len(list(folder.glob("*.yaml")))
    paths = [
        write_yaml(folder / f"f{existing + i:03d}_{form['formularz']}.yaml", form)
        for i, form in enumerate(forms)
    ]
    result = run("ingest", "--workspace", ws, *paths)
    assert result.exit_code == expect, result.output
    return result.output


def alerts_on(ws: Path, day: str) -> str:
    result = run("alerts", "--workspace", ws, "--na-dzien", day)
    assert result.exit_code == 0, result.output
    return result.output


def records_of(ws: Path, kind: str) -> list[dict[str, Any]]:
    found = []
    for shard in (ws / "dane" / "sprawy").glob("*.json"):
        for record in json.loads(shard.read_text(encoding="utf-8"))["rekordy"].values():
            if record["formularz"] == kind:
                found.append(record["dane"])
    return found


def document(ws: Path, sprawa: str, name: str) -> str:
    folder = ws / "dokumenty" / sprawa.replace("/", "_")
    return docx_text(folder / name)


def in_order(text: str, *parts: str) -> None:
    """Each part is in the text, after the one before it."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} not found after position {position} in:\n{text}"
        position = found + len(part)


SCRIPT = Path(sys.executable).parent / "asystent"


def start_watch(
    ws: Path, *args: str, env: dict[str, str] | None = None, out: Path | None = None
) -> subprocess.Popen:
    """`asystent watch` as a real service process; its output goes to a file in `out` (beside
    `ws` by default)."""
    log = open((out or ws.parent) / f"watch-{time.monotonic_ns()}.out", "w")  # noqa: SIM115 - lives with the process
    return subprocess.Popen(
        [str(SCRIPT), "watch", "--workspace", str(ws), *args],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )


def watch_once(ws: Path, timeout: float, *args: str) -> subprocess.CompletedProcess:
    """`asystent watch --once`: process what waits, then exit."""
    command = [str(SCRIPT), "watch", "--workspace", str(ws), "--once", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def stop_watch(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def docx_text(path: Path) -> str:
    """Every paragraph of a .docx, one a line, in reading order: body with nested tables cell by
    cell, then headers and footers."""
    document = docx.Document(str(path))
    lines: list[str] = []

    def container(part: Any) -> None:
        for item in part.iter_inner_content():
            if isinstance(item, docx.text.paragraph.Paragraph):
                lines.append(item.text)
            else:
                for row in item.rows:
                    for cell in row.cells:
                        container(cell)

    container(document)
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            container(part)
    # A non-breaking space (before "r." of a date, inside an amount) reads as a space.
    return "\n".join(lines).replace("\xa0", " ")


def tree_digest(folder: Path, skip: Callable[[Path], bool] = lambda p: False) -> dict[str, str]:
    """Name -> sha256 of every file under `folder`: two equal digests mean nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not skip(p)
    }


def store_digest(ws: Path) -> dict[str, str]:
    return tree_digest(ws / "dane", skip=lambda p: p.name == ".lock")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """An empty workspace made by the real `asystent init`."""
    root = tmp_path / "ws"
    result = run("init", root)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def family_ws(ws: Path, tmp_path: Path) -> Path:
    """A workspace holding the Kowalski family and one visit, ingested through the CLI."""
    files = [
        write_yaml(tmp_path / "metryczka.yaml", FAMILY),
        write_yaml(tmp_path / "wizyta.yaml", VISIT),
    ]
    result = run("ingest", "--workspace", ws, *files)
    assert result.exit_code == 0, result.output
    return ws


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the workspace where users keep their files before ingesting them."""
    folder = tmp_path / "pulpit"
    folder.mkdir()
    return folder
