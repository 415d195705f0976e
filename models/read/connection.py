"""A read-only connection through the database driver alone (sqlite3 or psycopg).

The SQL of ``models.read`` is written once with ``?`` placeholders; on PostgreSQL they
become psycopg's ``%s``. Values come back as the driver gives them: SQLite's dates are
ISO text, its UUIDs 32 hex digits and its booleans 0/1 (see ``day``, ``uid``, ``flag``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from models.dates import as_utc
from models.dbinfo import SCHEMA_HEAD

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql+psycopg://", "postgresql://")


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...

    @property
    def description(self) -> Sequence[Sequence[Any]]: ...


class Reader:
    """One read transaction; ``with open_reader(url) as reader: reader.rows(sql, …)``."""

    def __init__(self, connection: Any, dialect: str) -> None:
        self._connection = connection
        self.dialect = dialect
        self._cursor: _Cursor = connection.cursor()
        if dialect == "sqlite":
            self._cursor.execute("BEGIN")  # one snapshot for all the command's queries

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.dialect == "sqlite":
            values = [v.isoformat() if isinstance(v, date) else _sqlite_id(v) for v in params]
            return self.execute(sql, values)
        return self.execute(sql.replace("?", "%s"), list(params))

    def execute(self, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
        """One statement as the driver takes it (the benchmark records these)."""
        self._cursor.execute(sql, values)
        return self._cursor.fetchall()

    def named(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dictionaries keyed by column name (``SELECT table.*`` included)."""
        rows = self.rows(sql, params)
        names = [column[0] for column in self._cursor.description]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def id_param(self, value: uuid.UUID | str) -> Any:
        """An id as this database compares it."""
        as_uuid = value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)
        return as_uuid.hex if self.dialect == "sqlite" else as_uuid

    def close(self) -> None:
        try:
            self._connection.rollback()
        finally:
            self._connection.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _sqlite_id(value: Any) -> Any:
    return value.hex if isinstance(value, uuid.UUID) else value


def open_reader(url: str) -> Reader | None:
    """A reader on a database whose schema is current; None when the full path is needed
    (no database yet, an older schema to upgrade, a database this path does not know)."""
    try:
        reader = _connect(url)
    except Exception:  # the full path opens it again and reports the problem properly
        return None
    if reader is None:
        return None
    try:
        revision = reader.rows("SELECT version_num FROM alembic_version")
    except Exception:
        reader.close()
        return None
    if not revision or revision[0][0] != SCHEMA_HEAD:
        reader.close()
        return None
    return reader


def _connect(url: str) -> Reader | None:
    if url.startswith(SQLITE_PREFIX):
        import sqlite3

        path = url[len(SQLITE_PREFIX) :]
        if not path or path == ":memory:" or "?" in path:
            return None
        # Read-only: a missing file is an error here, not a new empty database. A relative
        # path has no URI: the full path opens it.
        uri = Path(path).as_uri() + "?mode=ro"
        lite = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
        return Reader(lite, "sqlite")
    if url.startswith(POSTGRES_PREFIXES):
        import psycopg

        conninfo = "postgresql://" + url.split("://", 1)[1]
        server = psycopg.connect(conninfo)
        server.read_only = True
        return Reader(server, "postgresql")
    return None


def day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def uid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)


def flag(value: Any) -> bool:
    return bool(value)


def moment(value: Any) -> datetime | None:
    """A stored moment, always in UTC with its zone (``models.dates.as_utc``)."""
    if value is None:
        return None
    return as_utc(value if isinstance(value, datetime) else datetime.fromisoformat(value))
