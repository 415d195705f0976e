"""Engines for the embedded SQLite file and a PostgreSQL server; schema upgrades."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from models.dbinfo import SCHEMA_HEAD, normalise_url

__all__ = ["SCHEMA_HEAD", "normalise_url"]  # where callers have always found them

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


# How long a write waits for another one to commit before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000


def archive_busy(error: BaseException) -> bool:
    """SQLite gave up waiting for another writer (the busy timeout), or found that the
    database changed under a read that wanted to become a write."""
    import sqlite3

    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.OperationalError) and "is locked" in str(original)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(db: str) -> Engine:
    url = make_url(normalise_url(db))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as error:
            # No schema yet; anything else (a dropped connection) is not an empty database.
            if isinstance(error, ProgrammingError) or "no such table" in str(error.orig):
                return None
            raise


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; does nothing when it is already there."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ensure_schema(engine: Engine) -> bool:
    """Create or upgrade the schema on first use; True when something was done."""
    if current_revision(engine) == SCHEMA_HEAD:
        return False
    upgrade(engine)
    return True
