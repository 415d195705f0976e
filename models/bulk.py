"""New and changed synced rows written with one statement per table, recorded as a flush
would be.

A flush of thousands of ORM objects is slow, and on SQLite everything it does after its
first write holds the database's write lock. Here the rows are plain column values, and
what the flush hooks would write about them (the audit entries, or a replica's outbox
rows) is prepared before the first write: ``prepare`` writes nothing, ``write`` only
inserts and updates. The hook that records a session factory's flushes also installs,
with ``install``, its recorder for these rows, so the log or the outbox says the same as
for rows written through the ORM.

On SQLite a big batch can go further (``Prepared.stage``): its rows are first copied into
temporary tables of the connection, which takes no lock on the archive, and the write
transaction then moves them with one ``INSERT … SELECT`` (or ``UPDATE … FROM``) per
table. The write lock then covers SQLite's own work only (the rows and their indexes;
the full-text search index is filled after the commit, ``models.search_index``), not
the Python driver binding 40 values per row.
"""

from __future__ import annotations

import itertools
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Table, bindparam, event, func, insert, inspect, update
from sqlalchemy.orm import Session, sessionmaker

from models import search_index
from models.errors import DomainError


class Outdated(DomainError):
    """The archive changed, since the rows were prepared, in a way that makes them wrong
    (a protocol counter moved, a dossier to update was saved by someone else meanwhile):
    they must be prepared again."""

    def __init__(self, what: str) -> None:
        super().__init__(f"l'archivio è cambiato nel frattempo ({what}): riprovare")


@dataclass(frozen=True)
class NewRow:
    """One row to insert: every column's value (server defaults left to the database)."""

    table: Table
    values: Mapping[str, Any]
    restricted: bool = False  # about a restricted dossier (the audit's mark)


@dataclass(frozen=True)
class ChangedRow:
    """One row to update, as an ORM flush would: the columns that changed, (before, after),
    guarded by the version it was read at (and bumped, with ``updated_at``)."""

    table: Table
    row_id: uuid.UUID
    changes: Mapping[str, tuple[Any, Any]]
    version: int  # as read; the update applies only while the row still has it
    restricted: bool = False


Row = NewRow | ChangedRow


class Record(Protocol):
    """What a recorder writes about the rows: in the same transaction, or staged first."""

    def write(self, connection: Connection) -> None: ...

    def stage(self, connection: Connection, stager: Stager) -> None: ...

    def write_staged(self, connection: Connection) -> None: ...


class Recorder(Protocol):
    """Records written rows as the flush hook would (the audit log, a replica's outbox)."""

    def prepare(self, session: Session, rows: Sequence[Row]) -> Record:
        """Everything that needs no write."""
        ...


_RECORDERS: weakref.WeakKeyDictionary[sessionmaker[Session], Recorder] = weakref.WeakKeyDictionary()


def install(session_factory: sessionmaker[Session], recorder: Recorder) -> None:
    _RECORDERS[session_factory] = recorder


def row_values(obj: object) -> dict[str, Any]:
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


def changed_row(obj: object, restricted: bool) -> ChangedRow | None:
    """A loaded ORM object's pending changes, as its flush would write them (None: no
    column really changed)."""
    state = inspect(obj)
    changes: dict[str, tuple[Any, Any]] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before != after:
            changes[attr.key] = (before, after)
    if not changes:
        return None
    table = state.mapper.local_table
    assert isinstance(table, Table)
    return ChangedRow(table, state.dict["id"], changes, int(state.dict["version"]), restricted)


class Stager:
    """Names of the temporary tables one batch is staged in (dropped with ``drop``)."""

    _numbers = itertools.count(1)

    def __init__(self) -> None:
        self.names: list[str] = []

    def table(self, connection: Connection, like: Table, columns: Sequence[str]) -> str:
        """A new empty temporary table with ``like``'s ``columns`` (``base`` for the
        version an update expects)."""
        name = f"raccordo_stage_{next(self._numbers)}_{like.name}"
        chosen = ", ".join("version AS base" if c == "base" else f'"{c}"' for c in columns)
        connection.exec_driver_sql(
            f'CREATE TEMP TABLE "{name}" AS SELECT {chosen} FROM main."{like.name}" WHERE 0'
        )
        self.names.append(name)
        return name

    def drop(self, connection: Connection) -> None:
        for name in self.names:
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS temp."{name}"')
        self.names.clear()


def _fill(connection: Connection, name: str, width: int, rows: list[list[Any]]) -> None:
    marks = ", ".join("?" * width)
    connection.exec_driver_sql(
        f'INSERT INTO temp."{name}" VALUES ({marks})', [tuple(row) for row in rows]
    )


def _converted(
    connection: Connection, table: Table, keys: Sequence[str], rows: Sequence[Sequence[Any]]
) -> tuple[list[list[Any]], bool]:
    """Values in the driver's form on SQLite (converting 30,000 rows takes seconds there,
    so it is done before the write lock is taken), else as they are."""
    dialect = connection.dialect
    if dialect.name != "sqlite":
        return [list(row) for row in rows], False
    processors = [
        table.c["version" if key == "base" else key]
        .type.dialect_impl(dialect)
        .bind_processor(dialect)
        for key in keys
    ]
    return [
        [value if p is None else p(value) for p, value in zip(processors, row, strict=True)]
        for row in rows
    ], True


@dataclass
class Insert:
    """Many rows for one table, in ``keys`` order."""

    table: Table
    keys: list[str]
    rows: list[list[Any]]
    raw: bool  # the driver's values on SQLite, else Python's
    staged: str = ""

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

    def stage(self, connection: Connection, stager: Stager) -> None:
        if self.rows:
            self.staged = stager.table(connection, self.table, self.keys)
            _fill(connection, self.staged, len(self.keys), self.rows)

    def move(self, connection: Connection) -> None:
        if self.rows:
            names = ", ".join(f'"{key}"' for key in self.keys)
            connection.exec_driver_sql(
                f'INSERT INTO main."{self.table.name}" ({names}) '
                f'SELECT {names} FROM temp."{self.staged}" ORDER BY rowid'
            )


def insert_of(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> Insert:
    """``rows`` (all with the same columns) ready to be inserted into ``table``."""
    keys = list(rows[0]) if rows else []
    values, raw = _converted(connection, table, keys, [[row[key] for key in keys] for row in rows])
    return Insert(table, keys, values, raw)


@dataclass
class Update:
    """Many rows of one table changing the same columns: ``keys`` then ``id`` and
    ``base`` (the version each row must still have)."""

    table: Table
    keys: list[str]
    rows: list[list[Any]]
    raw: bool
    staged: str = ""

    def run(self, connection: Connection) -> None:
        if not self.rows:
            return
        table, name = self.table, self.table.name
        if self.raw:
            sets = ", ".join(f'"{key}" = ?' for key in self.keys)
            count = connection.exec_driver_sql(
                f'UPDATE "{name}" SET {sets}, version = version + 1, '
                "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND version = ?",
                [tuple(row) for row in self.rows],
            ).rowcount
        else:
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_base"))
                .values(
                    {key: bindparam(key) for key in self.keys},
                    version=table.c.version + 1,
                    updated_at=func.now(),
                )
            )
            names = [*self.keys, "_id", "_base"]
            count = sum(  # one by one: every driver then tells whether the row was stale
                connection.execute(statement, dict(zip(names, row, strict=True))).rowcount
                for row in self.rows
            )
        if count != len(self.rows):
            raise Outdated(f"{len(self.rows) - count} righe di {name} modificate da altri")

    def stage(self, connection: Connection, stager: Stager) -> None:
        if self.rows:
            self.staged = stager.table(connection, self.table, [*self.keys, "id", "base"])
            _fill(connection, self.staged, len(self.keys) + 2, self.rows)

    def move(self, connection: Connection) -> None:
        if not self.rows:
            return
        name = self.table.name
        sets = ", ".join(f'"{key}" = s."{key}"' for key in self.keys)
        done = connection.exec_driver_sql(
            f'UPDATE main."{name}" SET {sets}, version = s.base + 1, '
            f'updated_at = CURRENT_TIMESTAMP FROM temp."{self.staged}" AS s '
            f'WHERE main."{name}".id = s.id AND main."{name}".version = s.base'
        ).rowcount
        if done != len(self.rows):
            raise Outdated(f"{len(self.rows) - done} righe di {name} modificate da altri")


Step = Insert | Update


def _steps(connection: Connection, rows: Sequence[Row]) -> list[Step]:
    """One insert per table, one update per table and set of columns, in the order first
    met (parents first)."""
    inserts: dict[str, list[NewRow]] = {}
    updates: dict[tuple[str, tuple[str, ...]], list[ChangedRow]] = {}
    order: list[tuple[str, str, tuple[str, ...]]] = []
    for row in rows:
        if isinstance(row, NewRow):
            if row.table.name not in inserts:
                order.append(("insert", row.table.name, ()))
            inserts.setdefault(row.table.name, []).append(row)
        else:
            key = (row.table.name, tuple(row.changes))
            if key not in updates:
                order.append(("update", *key))
            updates.setdefault(key, []).append(row)
    steps: list[Step] = []
    for kind, name, columns in order:
        if kind == "insert":
            group = inserts[name]
            steps.append(insert_of(connection, group[0].table, [r.values for r in group]))
            continue
        changed = updates[(name, columns)]
        keys = list(columns)
        values = [[*(r.changes[k][1] for k in keys), r.row_id, r.version] for r in changed]
        converted, raw = _converted(connection, changed[0].table, [*keys, "id", "base"], values)
        steps.append(Update(changed[0].table, keys, converted, raw))
    return steps


@dataclass
class Prepared:
    """Rows and their record, ready to be written.

    ``write`` writes them in the current transaction. On SQLite, ``stage`` copies them
    into temporary tables first (no lock on the archive) and ``write_staged``, in a later
    write transaction on the same connection, moves them: a short hold of the write lock
    whatever the number of rows. ``check`` runs first in either (it raises ``Outdated``
    when the archive moved under the rows)."""

    session: Session
    sections: list[list[Step]]
    record: Record | None
    checks: list[Callable[[], None]] = field(default_factory=list)
    stager: Stager = field(default_factory=Stager)

    def write(self) -> None:
        connection = self.session.connection()
        for check in self.checks:
            check()
        steps = [step for section in self.sections for step in section]
        if connection.dialect.name == "sqlite" and any(len(s.rows) >= BIG for s in steps):
            _roomy_cache(connection)
        for step in steps:  # in the order first met: parents first
            step.run(connection)
        if self.record is not None:
            self.record.write(connection)

    def stage(self) -> None:
        connection = self.session.connection()
        for section in self.sections:
            for step in section:
                step.stage(connection, self.stager)
        if self.record is not None:
            self.record.stage(connection, self.stager)

    def write_staged(self) -> None:
        connection = self.session.connection()
        for check in self.checks:
            check()
        _roomy_cache(connection)
        search_index.defer(connection)  # filled after the commit, in short transactions
        for section in self.sections:
            for step in section:
                step.move(connection)
        search_index.settle(connection)
        if self.record is not None:
            self.record.write_staged(connection)

    def drop_staged(self) -> None:
        self.stager.drop(self.session.connection())


BIG = 1000  # rows of a table: above it, SQLite's page cache is enlarged for the writes
ROOMY_CACHE_KIB = 262_144  # a list of 30,000 new rows changes ~120 MB of pages


def _roomy_cache(connection: Connection) -> None:
    """Room for every page the writes change until the commit: with SQLite's default
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
    session_factory: sessionmaker[Session],
    session: Session,
    rows: Sequence[Row] | Sequence[Sequence[Row]],
    *,
    check: Callable[[], None] | None = None,
) -> Prepared:
    """The rows and what the factory's flush hook would record about them; writes nothing
    (pending ORM changes are flushed first, so the rows may refer to them). ``rows`` may
    come in sections, written one after the other (each grouped by table)."""
    session.flush()
    connection = session.connection()
    sections: list[Sequence[Row]] = (
        [rows]  # type: ignore[list-item]
        if not rows or isinstance(rows[0], NewRow | ChangedRow)
        else list(rows)  # type: ignore[arg-type]
    )
    every = [row for section in sections for row in section]
    recorder = _RECORDERS.get(session_factory)
    record = recorder.prepare(session, every) if recorder is not None and every else None
    return Prepared(
        session,
        [_steps(connection, section) for section in sections],
        record,
        [check] if check is not None else [],
    )
