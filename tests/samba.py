"""A real Samba server on 127.0.0.1 for the tests, sharing one folder, and a client that copies
files onto it the way Windows Explorer does (the final size first, then the data in chunks).

smbd runs in the foreground with a private configuration, state and password database under a
temporary folder, on a free port; the share's one user is the user the tests run as (root in CI).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SMBD = shutil.which("smbd") or "/usr/sbin/smbd"
SMBPASSWD = shutil.which("smbpasswd") or "/usr/bin/smbpasswd"
PASSWORD = "haslo-udzialu-1"


@dataclass(frozen=True)
class Share:
    host: str
    port: int
    name: str
    user: str
    password: str

    def unc(self, relative: str) -> str:
        return rf"\\{self.host}\{self.name}\{relative}"


def available() -> bool:
    return os.path.exists(SMBD) and os.path.exists(SMBPASSWD) and os.geteuid() == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def samba_share(folder: Path, work: Path) -> Iterator[Share]:
    """`folder` shared as `wspolny` by a private smbd; stopped afterwards."""
    for name in ("priv", "lock", "state", "cache", "run", "log"):
        (work / name).mkdir(parents=True, exist_ok=True)
    port = _free_port()
    user = pwd.getpwuid(os.geteuid()).pw_name
    config = work / "smb.conf"
    config.write_text(
        f"""[global]
  workgroup = TEST
  server role = standalone server
  interfaces = 127.0.0.1
  bind interfaces only = yes
  smb ports = {port}
  disable netbios = yes
  passdb backend = tdbsam:{work}/priv/passdb.tdb
  private dir = {work}/priv
  lock directory = {work}/lock
  state directory = {work}/state
  cache directory = {work}/cache
  pid directory = {work}/run
  ncalrpc dir = {work}/run/ncalrpc
  log file = {work}/log/smbd.log
  server min protocol = SMB2
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
[wspolny]
  path = {folder}
  read only = no
  valid users = {user}
"""
    )
    subprocess.run(
        [SMBPASSWD, "-c", str(config), "-s", "-a", user],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(  # its own session: smbd signals its whole group when it stops
        [SMBD, f"--configfile={config}", "--foreground", "--no-process-group"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("smbd did not start") from None
                time.sleep(0.2)
        yield Share("127.0.0.1", port, "wspolny", user, PASSWORD)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


_CONNECTING = threading.Lock()


def copy_like_explorer(
    share: Share, relative: str, data: bytes, *, chunk: int, pause: float
) -> None:
    """Write `data` onto the share as Windows Explorer does: create the file, set its final size
    (it reads as NUL bytes meanwhile), then write the content in chunks with pauses."""
    import smbclient

    # smbclient's pool of sessions is not safe to set up from several threads at once (a second
    # thread found the session half made: Kerberos tried, or "0 credits available"): threads
    # take turns to connect and open, then write at the same time as Explorer copies would.
    with _CONNECTING:
        smbclient.register_session(
            share.host, username=share.user, password=share.password, port=share.port
        )
        opened = smbclient.open_file(
            share.unc(relative),
            mode="wb",
            port=share.port,
            username=share.user,
            password=share.password,
        )
    with opened as handle:
        handle.truncate(len(data))
        time.sleep(pause)
        for start in range(0, len(data), chunk):
            handle.seek(start)
            handle.write(data[start : start + chunk])
            handle.flush()
            time.sleep(pause)
