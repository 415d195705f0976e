"""Finds the machine's PostgreSQL server, or starts a throwaway one with initdb/pg_ctl.

Tests that need a server never pass without one: when neither is possible the harness
fails with the reason instead of skipping.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class PgServer:
    admin_url: str  # libpq URL of a superuser on the maintenance database
    data_dir: Path | None = None
    pg_ctl: str | None = None
    run_as: str | None = None

    def url_for(self, database: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + f"/{database}"

    def stop(self) -> None:
        if self.data_dir and self.pg_ctl:
            _run([self.pg_ctl, "-D", str(self.data_dir), "-m", "fast", "stop"], self.run_as)
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], user: str | None) -> None:
    if user:
        command = ["runuser", "-u", user, "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def _start_throwaway() -> PgServer:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError(
            "no PostgreSQL server on 127.0.0.1:5432 and no initdb/pg_ctl to start one: "
            "install PostgreSQL (Debian: apt-get install postgresql) or set RACCORDO_TEST_PG"
        )
    run_as = None
    base = Path(tempfile.mkdtemp(prefix="raccordo-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        run_as = "postgres"
        owner = pwd.getpwnam(run_as)
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data = base / "data"
    _run(
        [
            initdb,
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        run_as,
    )
    port = _free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run([pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"], run_as)
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    for _ in range(50):
        if _reachable(url):
            break
        time.sleep(0.2)
    return PgServer(url, data, pg_ctl, run_as)


def find_or_start() -> PgServer:
    url = os.environ.get("RACCORDO_TEST_PG", DEFAULT_URL)
    if _reachable(url):
        return PgServer(url)
    return _start_throwaway()
