"""A Raccordo server per test: its own database, role prefix and login roles.

Roles are cluster-wide and tests may run at once, so every server gets a fresh prefix
and its people are named after it; everything is dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from desktop.cli.main import main
from models.db import make_engine
from models.uow import Database
from sync.server.names import ServerRoles
from sync.server.users import add_user
from tests.conftest import Clock, _drop_pg_database, _fresh_pg_database
from tests.factories import register
from tests.pg_harness import PgServer

PEOPLE = {
    # name suffix: office, role, clearance
    "rossi": ("LO-SUI", "sui_clerk", False),
    "bianchi": ("LO-QUESTURA", "questura_officer", False),
    "verdi": ("LO-SUI", "head", True),
    "neri": ("LO-QUESTURA", "questura_officer", True),
    "capo": ("LO-SUI", "admin", False),
}


@dataclass
class Server:
    pg: PgServer
    database: str
    roles: ServerRoles
    engine: Engine  # the superuser's: set-up and checks, never what a test proves things with
    home: Path
    people: dict[str, str] = field(default_factory=dict)  # suffix → login role

    @property
    def admin_url(self) -> str:
        return self.pg.url_for(self.database)

    def url_as(self, role: str) -> str:
        """libpq URL for a login role (the harness trusts 127.0.0.1: no password)."""
        rest = self.admin_url.split("@", 1)[1]
        return f"postgresql://{role}@{rest}"

    def connect(self, who: str, **options: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url_as(self.people.get(who, who)), **options)

    def admin(self, **options: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(self.admin_url, **options)

    def cli(self, *argv: str) -> int:
        return main(["--home", str(self.home), *argv])

    def service(self, clock: Clock | None = None) -> Database:
        """The service layer on the superuser's connection, to build test data."""
        return Database(self.engine, clock or Clock())


def _drop_roles(pg: PgServer, names: list[str]) -> None:
    with psycopg.connect(pg.admin_url, autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def server(
    pg_server: PgServer, pg_template: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[Server]:
    """``raccordo server init`` on a fresh copy of the seeded template, with the people of
    PEOPLE as login roles named ``<prefix>_<suffix>``."""
    name = _fresh_pg_database(pg_server, pg_template)
    roles = ServerRoles(f"t{uuid.uuid4().hex[:8]}")
    engine = make_engine(pg_server.url_for(name))
    instance = Server(pg_server, name, roles, engine, tmp_path / "home")
    try:
        assert (
            instance.cli("server", "init", "--db", instance.admin_url, "--prefix", roles.prefix)
            == 0
        )
        for suffix, (office, role, cleared) in PEOPLE.items():
            login = f"{roles.prefix}_{suffix}"
            add_user(engine, login, office, role, cleared, suffix.title(), "password-di-prova")
            instance.people[suffix] = login
        capsys.readouterr()
        yield instance
    finally:
        engine.dispose()
        _drop_pg_database(pg_server, name)
        logins = _logins(pg_server, roles.prefix)
        _drop_roles(pg_server, [*logins, *reversed(roles.groups())])


def _logins(pg: PgServer, prefix: str) -> list[str]:
    with psycopg.connect(pg.admin_url) as connection:
        rows = connection.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s AND rolname <> ALL(%s)",
            (f"{prefix}\\_%", list(ServerRoles(prefix).groups())),
        ).fetchall()
    return [row[0] for row in rows]


def register_as(server: Server, who: str, type_code: str = "NO_LAVORO", **fields: Any) -> str:
    """A dossier registered through the service layer for ``who``; returns its id."""
    result = register(server.service(), server.people[who], type_code, **fields)
    return str(result.dossier_id)


def advance_as(server: Server, who: str, dossier_id: str, state: str) -> None:
    from models.services.workflow import advance

    with server.service().unit_of_work(server.people[who], write=True) as uow:
        advance(uow, dossier_id, state, date(2026, 9, 2))
        uow.commit()


def raise_flag_as(server: Server, who: str, dossier_id: str) -> int:
    from models.services.flags import raise_flag

    with server.service().unit_of_work(server.people[who], write=True) as uow:
        number, _ = raise_flag(
            uow,
            dossier_id,
            "verifica_identita",
            "Passaporto da verificare",
            False,
            date(2026, 9, 3),
        )
        uow.commit()
    return number


def upload_as(server: Server, who: str, data: bytes) -> str:
    """Uploads ``data`` as ``who`` the way a workstation does (chunks, then
    ``store_content``), with direct SQL; returns its SHA-256."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    with server.connect(who) as connection:
        connection.execute(
            "INSERT INTO document_uploads (uploader, sha256, seq, data) VALUES (%s, %s, 0, %s)",
            (server.people.get(who, who), digest, data),
        )
        stored = connection.execute(
            f"SELECT {server.roles.schema}.store_content(%s, %s)", (digest, len(data))
        ).fetchone()
        connection.commit()
    assert stored == (True,)
    return digest
