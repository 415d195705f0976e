"""Migration 0009 on a database that already holds scans: the bytes move into chunks
unchanged, and documents keep pointing at them."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from models.db import MIGRATIONS_DIR, make_engine, upgrade
from models.documents import CHUNK_SIZE
from models.services.contents import read_content
from models.uow import Database
from tests.pg_harness import PgServer


def _to(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _migrate_a_stored_scan(engine: Engine) -> None:
    _to(engine, "0008")
    data = b"%PDF-1.4\n" + bytes(range(256)) * (CHUNK_SIZE // 128)  # two chunks and a bit
    digest = hashlib.sha256(data).hexdigest()
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO document_contents (sha256, size, data) VALUES (:s, :n, :d)"),
            {"s": digest, "n": len(data), "d": data},
        )
    upgrade(engine)
    with engine.connect() as connection:
        sizes = connection.execute(
            text("SELECT length(data) FROM document_chunks WHERE sha256 = :s ORDER BY seq"),
            {"s": digest},
        ).scalars()
        assert list(sizes) == [CHUNK_SIZE, CHUNK_SIZE, len(data) - 2 * CHUNK_SIZE]
    with Database(engine).sessions() as session:
        assert read_content(session, digest) == data


def test_stored_scans_move_into_chunks_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "vecchio.sqlite3"))
    try:
        _migrate_a_stored_scan(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_stored_scans_move_into_chunks_on_postgresql(pg_server: PgServer) -> None:
    name = f"raccordo_mig_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server.admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_server.url_for(name))
    try:
        _migrate_a_stored_scan(engine)
    finally:
        engine.dispose()
        with psycopg.connect(pg_server.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}"')
