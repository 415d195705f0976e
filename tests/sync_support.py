"""Helpers for the sync tests: a prepared server, login roles, workstations, keyrings."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
from keyring.backend import KeyringBackend
from sqlalchemy import Engine

from desktop.connection import connect, open_replica
from models.db import make_engine
from models.uow import Database
from sync.engine import SyncEngine
from sync.link import ConnectionInfo
from sync.server.install import install
from sync.server.names import ServerRoles
from sync.server.users import add_user as add_server_user
from tests.conftest import Clock
from tests.pg_harness import PgServer

PASSWORD = "Zq9-sEcReT-pw-4711"  # looked for in every file of a workstation's home


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in the test process, outside any workstation's home."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class FileKeyring(KeyringBackend):
    """For subprocesses: JSON file named by RACCORDO_TEST_KEYRING (outside the home)."""

    priority = 1

    def _path(self) -> Path:
        return Path(os.environ["RACCORDO_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}|{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}|{username}", None)
        self._path().write_text(json.dumps(data))


GROUPS = ("user", "sui", "questura", "head", "admin", "restricted", "owner")
USERS = {
    "rossi": ("LO-SUI", "sui_clerk", False),
    "bianchi": ("LO-QUESTURA", "questura_officer", False),
    "gialli": ("LO-SUI", "sui_clerk", False),
}


def prepare_server(admin_url: str, prefix: str) -> None:
    """What ``raccordo server init`` installs."""
    engine = make_engine(admin_url)
    try:
        install(engine, ServerRoles(prefix))
    finally:
        engine.dispose()


def add_login(admin_url: str, name: str, office: str, role: str, restricted: bool) -> None:
    """A login role and its staff row, as ``raccordo server add-user`` makes them."""
    engine = make_engine(admin_url)
    try:
        add_server_user(engine, name, office, role, restricted, name.title(), PASSWORD)
    finally:
        engine.dispose()


def drop_roles(admin_url: str, names: list[str]) -> None:
    """Roles are cluster-wide: each test's go once its database is dropped."""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        for name in names:
            # Still owning something elsewhere is harmless: the names are unique.
            with contextlib.suppress(psycopg.Error):
                connection.execute(f'DROP ROLE IF EXISTS "{name}"')


def unique(name: str) -> str:
    return f"{name}_{uuid.uuid4().hex[:6]}"


@dataclass
class SharedServer:
    pg: PgServer
    database: str
    users: dict[str, str]  # short name -> unique login role

    @property
    def admin_url(self) -> str:
        return self.pg.url_for(self.database)

    def url(self, user: str) -> str:
        host_part = self.pg.admin_url.split("@", 1)[1].rsplit("/", 1)[0]
        return f"postgresql://{self.users[user]}@{host_part}/{self.database}"

    def engine(self) -> Engine:
        return make_engine(self.admin_url)


@dataclass
class Station:
    """One workstation: its home, its replica, its sync engine."""

    home: Path
    info: ConnectionInfo
    replica: Database
    engine: SyncEngine
    user: str

    def close(self) -> None:
        self.engine.close()
        self.replica.engine.dispose()


def station(server: SharedServer, user: str, home: Path, clock: Clock) -> Station:
    info = connect(home, server.url(user), PASSWORD)
    replica = open_replica(home, clock)
    return Station(home, info, replica, SyncEngine(replica, info, PASSWORD), server.users[user])
