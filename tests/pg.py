"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, owned by an
unprivileged account (`postgres` when the tests run as root), listening only on a socket in
that folder. Each test that needs the database gets an office account of its own, so offices
never see each other's rows (row-level security, as in production)."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

MUST_RUN = "ASYSTENT_TEST_PG"  # set by .ci/run: a missing PostgreSQL fails instead of skipping


def _binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class Cluster:
    folder: Path
    socket: Path
    _names = itertools.count(1)

    def url(self, user: str, dbname: str = "asystent") -> str:
        return f"postgresql://{user}@/{dbname}?host={self.socket}"

    @property
    def admin(self) -> str:
        return self.url("postgres")

    def sql(self, statement: str, dbname: str = "asystent") -> None:
        import psycopg

        with psycopg.connect(self.admin.replace("/asystent?", f"/{dbname}?"), autocommit=True) as c:
            c.execute(statement)  # type: ignore[call-overload]

    def office(self, prefix: str = "osrodek") -> str:
        """A new office: its database account, a member of the offices' group."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self.sql(f"CREATE ROLE {name} LOGIN IN ROLE asystent_osrodki")
        return name

    def disconnect(self, office: str) -> None:
        """End every session of the office's account (processes a test left behind)."""
        self.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "  # noqa: S608 - our name
            f"WHERE usename = '{office}'"
        )

    def stop(self) -> None:
        subprocess.run(
            _as_owner(
                [
                    str(_binaries() / "pg_ctl"),
                    "-D",
                    str(self.folder / "data"),
                    "-m",
                    "immediate",
                    "stop",
                ]
            ),  # type: ignore[operator]
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(durable: bool = False) -> Cluster:
    """initdb, start, create the `asystent` database and apply the schema, as an IT department
    would (`asystent store schema` run by the database's administrator). The tests' cluster does
    not fsync (a killed process, not a lost machine, is what they test); benchmarks' does."""
    from records.pgstore import apply_schema

    binaries = _binaries()
    if binaries is None:
        message = "PostgreSQL nie jest zainstalowany (apt-get install postgresql)"
        if os.environ.get(MUST_RUN):
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="asystent-pg-"))
    data, socket = folder / "data", folder / "gniazdo"
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(socket, "postgres")
    subprocess.run(
        _as_owner(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale",
                "C.UTF-8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-k {socket} -c listen_addresses='' -c max_connections=400"
    if not durable:
        options += " -c fsync=off"
    subprocess.run(
        _as_owner(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(folder / "log"),
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    cluster = Cluster(folder, socket)
    cluster.sql("CREATE DATABASE asystent", dbname="postgres")
    apply_schema(cluster.admin)
    return cluster
