"""Shared fixtures: a real workspace made by `asystent init`, forms written as real files, and the
text of generated documents read back with python-docx (body, tables, headers and footers)."""

from __future__ import annotations

import copy
import hashlib
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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
    if PG_MODE and args and args[0] in ("init", "demo") and len(args) > 1:
        _on_postgresql(Path(args[1]), demo=args[0] == "demo")
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


def web_values(kind: str, data: dict[str, Any]) -> dict[str, list[str]]:
    """What a person types into the browser's form for a form file's values (a row per list
    item), as the page names its inputs, with the rows shown."""
    from records.models import LAYOUTS
    from records.web.webforms import page_values

    values, rows = page_values(LAYOUTS[kind], data)
    return values | {f"wiersze:{key}": [str(max(n, 1))] for key, n in rows.items()}


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
    """Every stored version of every record of `kind`, read through the workspace's store."""
    from records.settings import load_workspace
    from records.store import open_store

    store = open_store(load_workspace(ws))
    found = []
    for number in store.case_numbers():
        stored = store.read_case(number)
        for record in stored.records if stored else []:
            if record.formularz == kind:
                found.append(record.dane)
    return found


def stored(ws: Path, sprawa: str) -> dict[str, dict[str, Any]]:
    """A case as its TinyDB file holds it (`rekordy`, `dokumenty`, `archiwizacje`, numbered from
    1), read through the workspace's store: the same for both backends."""
    from records.settings import load_workspace
    from records.store import open_store

    found = open_store(load_workspace(ws)).read_case(sprawa)
    assert found is not None, f"brak sprawy {sprawa}"
    return {
        "rekordy": {str(n): r.__dict__ for n, r in enumerate(found.records, start=1)},
        "dokumenty": {str(n): d for n, d in enumerate(found.documents, start=1)},
        "archiwizacje": {str(n): a for n, a in enumerate(found.archives, start=1)},
    }


def audit_lines(ws: Path) -> list[str]:
    """The workspace's audit trail, line by line, through its store."""
    from records.settings import load_workspace
    from records.store import open_store

    return list(open_store(load_workspace(ws)).audit_lines())


def accepted_count(ws: Path) -> int:
    """How many files the store knows as accepted (duplicates are recognised by these)."""
    from records.settings import load_workspace

    address = load_workspace(ws).settings.magazyn.adres
    if not address:
        return len(list((ws / "dane" / "przyjete").glob("*.json")))
    import psycopg

    with psycopg.connect(address) as conn:
        return int(conn.execute("SELECT count(*) FROM asystent.przyjete").fetchall()[0][0])


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
    """What the store holds, file by file (TinyDB) or table by table (PostgreSQL, the office's
    rows only) with the files beside it: two equal digests mean the store did not change."""
    files = tree_digest(ws / "dane", skip=lambda p: p.name == ".lock")
    for table, rows in store_rows(ws).items():
        files[f"postgresql:{table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return files


def store_rows(ws: Path) -> dict[str, list[str]]:
    """Every row the workspace's office has in PostgreSQL, as text, table by table (nothing
    for the embedded store, whose files are in `dane/`)."""
    from records.settings import load_workspace

    address = load_workspace(ws).settings.magazyn.adres
    if not address:
        return {}
    import psycopg

    with psycopg.connect(address) as conn:
        return {
            table: [
                row[0]
                for row in conn.execute(
                    f"SELECT t::text FROM asystent.{table} t ORDER BY 1"  # type: ignore[call-overload]  # noqa: S608
                ).fetchall()
            ]
            for table in PG_TABLES
        }


PG_TABLES = ("sprawy", "rekordy", "dokumenty", "archiwizacje", "fakty", "przyjete", "nadawcy")
PG_TABLES += ("proby", "usuniete", "audyt")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--magazyn",
        choices=("tinydb", "postgresql"),
        default="tinydb",
        help="the store the workspaces of the tests use (postgresql: a throwaway cluster)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tinydb_only: looks at the embedded store's own files")


@pytest.fixture(autouse=True)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The store of the test's workspaces; with `--magazyn postgresql`, each workspace made by
    `run("init"|"demo", ...)` is an office of its own in the test cluster."""
    if PG_MODE and request.node.get_closest_marker("tinydb_only"):
        pytest.skip("sprawdza pliki wbudowanego magazynu TinyDB")
    yield "postgresql" if PG_MODE else "tinydb"
    if "records.pgstore" in sys.modules:  # this test's sessions end with it
        sys.modules["records.pgstore"].close_connections()


PG_MODE: list[bool] = []  # [True] with --magazyn postgresql
_CLUSTER: list[Any] = []


def pg_cluster() -> Any:
    """The run's throwaway PostgreSQL cluster (tests/pg.py), started on first use."""
    from pg import start_cluster

    if not _CLUSTER:
        _CLUSTER.append(start_cluster())
    return _CLUSTER[0]


def pytest_sessionstart(session: pytest.Session) -> None:
    if session.config.getoption("--magazyn") == "postgresql":
        PG_MODE.append(True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for cluster in _CLUSTER:
        cluster.stop()


def new_office_url() -> str:
    cluster = pg_cluster()
    return cluster.url(cluster.office())


def _on_postgresql(root: Path, demo: bool) -> None:
    """Give the workspace about to be made an office of its own (as `[magazyn]` in its
    asystent.toml, the way an office configures it)."""
    from records.demo import DEMO_CONFIG
    from records.settings import CONFIG_NAME, DEFAULT_CONFIG

    config = Path(root) / CONFIG_NAME
    if config.exists():
        return
    config.parent.mkdir(parents=True, exist_ok=True)
    text = DEMO_CONFIG if demo else DEFAULT_CONFIG
    config.write_text(f'{text}\n[magazyn]\nadres = "{new_office_url()}"\n', encoding="utf-8")


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
