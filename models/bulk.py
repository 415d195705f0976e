"""New synced rows written with one ``executemany`` per table, recorded as a flush would be.

A flush of thousands of new ORM objects is slow, and on SQLite everything it does after
its first write holds the database's write lock. Here the rows are plain column values,
and what the flush hooks would write about them (the audit entries, or a replica's outbox
rows) is prepared before the first write: ``prepare`` writes nothing, ``write`` only
inserts. The hook that records a session factory's flushes also installs, with
``install``, its recorder for these rows, so the log or the outbox says the same as for
rows added through the ORM.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Table, event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from models.base import Base


@dataclass(frozen=True)
class NewRow:
    """One row to insert: every column's value (server defaults left to the database)."""

    table: Table
    values: Mapping[str, Any]
    restricted: bool = False  # about a restricted dossier (the audit's mark)


class Recorder(Protocol):
    """Records inserted rows as the flush hook would (the audit log, a replica's outbox)."""

    def prepare(self, session: Session, rows: Sequence[NewRow]) -> Callable[[], None]:
        """Everything that needs no write; the returned function writes the record."""
        ...


_RECORDERS: weakref.WeakKeyDictionary[sessionmaker[Session], Recorder] = weakref.WeakKeyDictionary()


def install(session_factory: sessionmaker[Session], recorder: Recorder) -> None:
    _RECORDERS[session_factory] = recorder


def row_values(obj: Base) -> dict[str, Any]:
    """A new ORM object's column values as its flush would insert them: what was set,
    else the column's Python default; a column with only a server default is left out."""
    state = inspect(obj)
    given = state.dict
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        if attr.key in given:
            values[attr.key] = given[attr.key]
            continue
        default = column.default
        if default is None:
            if column.server_default is None:
                values[attr.key] = None
            continue
        arg = getattr(default, "arg", None)
        values[attr.key] = arg(None) if callable(arg) else arg
    return values


@dataclass
class Insert:
    """Many rows for one table, their values already converted for the driver on SQLite
    (the conversion of 30,000 rows takes seconds there, so it is done before the write
    lock is taken)."""

    table: Table
    keys: list[str]
    rows: list[list[Any]]  # in ``keys`` order: the driver's values on SQLite, else Python's
    raw: bool

    def run(self, connection: Connection) -> None:
        if not self.rows:
            return
        if self.raw:
            names = ", ".join(f'"{key}"' for key in self.keys)
            marks = ", ".join("?" * len(self.keys))
            connection.exec_driver_sql(
                f'INSERT INTO "{self.table.name}" ({names}) VALUES ({marks})',
                [tuple(row) for row in self.rows],
            )
        else:
            connection.execute(
                insert(self.table), [dict(zip(self.keys, row, strict=True)) for row in self.rows]
            )


def insert_of(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> Insert:
    """``rows`` (all with the same columns) ready to be inserted into ``table``."""
    keys = list(rows[0]) if rows else []
    dialect = connection.dialect
    if dialect.name != "sqlite":
        return Insert(table, keys, [[row[key] for key in keys] for row in rows], raw=False)
    processors = [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in keys]
    converted = []
    for row in rows:
        values = [row[key] for key in keys]
        converted.append(
            [value if p is None else p(value) for p, value in zip(processors, values, strict=True)]
        )
    return Insert(table, keys, converted, raw=True)


@dataclass(frozen=True)
class Prepared:
    """Rows and their record, ready to be written; ``write`` holds SQLite's write lock
    only for the inserts."""

    session: Session
    inserts: list[Insert]
    record: Callable[[], None] | None

    def write(self) -> None:
        connection = self.session.connection()
        if connection.dialect.name == "sqlite" and any(len(i.rows) >= BIG for i in self.inserts):
            _roomy_cache(connection)
        for rows in self.inserts:  # in the order first met: parents first
            rows.run(connection)
        if self.record is not None:
            self.record()


BIG = 1000  # rows of a table: above it, SQLite's page cache is enlarged for the writes
ROOMY_CACHE_KIB = 65_536


def _roomy_cache(connection: Connection) -> None:
    """Room for every page the inserts change until the commit: with SQLite's default
    2 MB, changed pages are spilled to the log and read back under the write lock. The
    connection gets its own size back when it returns to the pool."""
    info = connection.connection.info
    if _USUAL_CACHE not in info:
        info[_USUAL_CACHE] = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{ROOMY_CACHE_KIB}")
    if not event.contains(connection.engine, "checkin", _usual_cache):
        event.listen(connection.engine, "checkin", _usual_cache)


_USUAL_CACHE = "raccordo_usual_cache_size"


def _usual_cache(dbapi_connection: Any, record: Any) -> None:
    usual = record.info.pop(_USUAL_CACHE, None) if record is not None else None
    if usual is not None and dbapi_connection is not None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size={int(usual)}")
        cursor.close()


def prepare(
    session_factory: sessionmaker[Session], session: Session, rows: Sequence[NewRow]
) -> Prepared:
    """The rows and what the factory's flush hook would record about them; writes nothing
    (pending ORM changes are flushed first, so the rows may refer to them)."""
    session.flush()
    connection = session.connection()
    by_table: dict[str, tuple[Table, list[Mapping[str, Any]]]] = {}
    for row in rows:
        by_table.setdefault(row.table.name, (row.table, []))[1].append(row.values)
    inserts = [insert_of(connection, table, values) for table, values in by_table.values()]
    recorder = _RECORDERS.get(session_factory)
    record = recorder.prepare(session, rows) if recorder is not None and rows else None
    return Prepared(session, inserts, record)
