"""Fixtures: the same service tests run on the embedded SQLite file and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from models.db import make_engine, upgrade
from models.seed import initialise
from models.uow import Database
from tests.pg_harness import PgServer, find_or_start

# The GUI tests' ``database`` fixture; the shared server tests' ``server``.
pytest_plugins = ["tests.gui_support", "tests.server_support"]

TODAY = date(2026, 11, 23)

# Qt tests draw offscreen unless a display is chosen explicitly (e.g. Xvfb for screenshots).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep tests away from the real user's data folder and keyring.
os.environ.pop("RACCORDO_DB", None)
os.environ.pop("RACCORDO_USER", None)


class Clock:
    """A settable "today" for the service layer."""

    def __init__(self, today: date = TODAY) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches the server carries the ``postgres`` marker, so that
    ``pytest -m "not postgres"`` (the fast lane) never needs one."""
    for item in items:
        if {"pg_server", "pg_template"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = find_or_start()
    except Exception as error:
        pytest.fail(f"PostgreSQL needed for these tests and not available: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> Iterator[str]:
    """A database migrated and seeded once; each test copies it."""
    name = f"raccordo_tpl_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server.admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_server.url_for(name))
    upgrade(engine)
    initialise(Database(engine))
    engine.dispose()
    yield name
    _drop_pg_database(pg_server, name)


def _fresh_pg_database(server: PgServer, template: str) -> str:
    name = f"raccordo_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def _drop_pg_database(server: PgServer, name: str) -> None:
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(str(tmp_path / "raccordo.sqlite3"))
        upgrade(engine)
        initialise(Database(engine))
        yield engine
        engine.dispose()
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = _fresh_pg_database(server, request.getfixturevalue("pg_template"))
    engine = make_engine(server.url_for(name))
    yield engine
    engine.dispose()
    _drop_pg_database(server, name)


@pytest.fixture
def db(engine: Engine, clock: Clock) -> Database:
    """A seeded database with the demo staff of both offices."""
    database = Database(engine, clock)
    from models.services.admin import add_user

    with database.unit_of_work("admin", write=True) as uow:
        add_user(uow, "rossi", "LO-SUI", "sui_clerk", False, "Mario Rossi")
        add_user(uow, "bianchi", "LO-QUESTURA", "questura_officer", False, "Anna Bianchi")
        add_user(uow, "verdi", "LO-SUI", "head", True, "Luca Verdi")
        add_user(uow, "neri", "LO-QUESTURA", "questura_officer", True, "Sara Neri")
        uow.commit()
    return database
