"""A fresh replica: the whole visible server copied into a new SQLite file.

Built beside the replica as ``replica.sqlite3.part`` and renamed over it only when
complete, so an interrupted download leaves the previous state. Rows come through a
server-side cursor already in SQLite's storage format (the casts run in PostgreSQL) and
go in with ``executemany`` while the local indexes, triggers and search index are
dropped; they are rebuilt once at the end.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Engine, Table, Uuid

from models.base import UtcDateTime
from models.db import ensure_schema, make_engine
from models.sync_registry import synced_tables
from sync import state
from sync.link import ConnectionInfo, check_server
from sync.pull import feed_high, snapshot

FETCH = 20_000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Downloaded:
    rows: dict[str, int]
    cursor: int
    seconds: float


def _expression(column: Column[Any]) -> str:
    name = f'"{column.name}"'
    kind = column.type
    if isinstance(kind, Uuid):
        return f"replace({name}::text, '-', '')"
    if isinstance(kind, (DateTime, UtcDateTime)):
        return f"to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
    if isinstance(kind, Date):
        return f"to_char({name}, 'YYYY-MM-DD')"
    if isinstance(kind, Boolean):
        return f"{name}::int"
    return name


# The FTS5 indexes of the dossiers and of the documents' text (migrations 0002, 0017).
SEARCH_INDEXES = ("dossier_search", "document_text_search")


def _select(table: Table) -> str:
    return f"SELECT {', '.join(_expression(c) for c in table.c)} FROM {table.name}"


def _insert(table: Table) -> str:
    names = ", ".join(f'"{c.name}"' for c in table.c)
    return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(table.c))})"


def remove_replica_files(path: Path) -> None:
    """The file and its WAL: a stale -wal beside a new file would corrupt it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def download(
    info: ConnectionInfo,
    server: Engine,
    path: Path,
    local_now: Callable[[], datetime] = lambda: datetime.now(UTC),
    progress: Progress | None = None,
) -> Downloaded:
    started = datetime.now(UTC)
    part = path.with_name(path.name + ".part")
    remove_replica_files(part)
    schema = make_engine(str(part))
    ensure_schema(schema)
    schema.dispose()
    local = sqlite3.connect(part, isolation_level=None)
    counts: dict[str, int] = {}
    try:
        local.execute("PRAGMA journal_mode=OFF")  # a half-written .part is thrown away
        local.execute("PRAGMA synchronous=OFF")
        local.execute("PRAGMA cache_size=-262144")
        tables = synced_tables()
        rebuilt = _drop_indexes(local, [t.name for t in tables])
        local.execute("BEGIN")
        with snapshot(server) as remote, remote.begin():
            check_server(remote, local_now)
            high = feed_high(remote)
            dbapi: Any = remote.connection.dbapi_connection
            for table in tables:
                counts[table.name] = _copy_table(dbapi, local, table, progress)
            holidays = dbapi.execute(
                "SELECT key, value FROM settings WHERE key LIKE 'holidays:%'"
            ).fetchall()
        local.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", holidays)
        for key, value in (
            (state.CURSOR, str(high)),
            (state.CLIENT_ID, str(uuid.uuid4())),
            (state.SERVER, info.url),
        ):
            local.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        local.execute("COMMIT")
        for sql in rebuilt:
            local.execute(sql)
        for index in SEARCH_INDEXES:  # filled by triggers, which the copy went without
            local.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
        local.execute("PRAGMA journal_mode=WAL")
    finally:
        local.close()
    remove_replica_files(path)
    os.replace(part, path)
    return Downloaded(counts, high, (datetime.now(UTC) - started).total_seconds())


def _drop_indexes(local: sqlite3.Connection, tables: list[str]) -> list[str]:
    marks = ", ".join("?" * len(tables))
    found = local.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for kind, name, _sql in found:
        local.execute(f'DROP {kind.upper()} "{name}"')
    # Indexes first: the search triggers need nothing from them, and order is irrelevant.
    return [sql for kind, _name, sql in sorted(found, key=lambda f: f[0] != "index")]


def _copy_table(
    dbapi: Any, local: sqlite3.Connection, table: Table, progress: Progress | None
) -> int:
    insert_sql = _insert(table)
    count = 0
    with dbapi.cursor(name=f"raccordo_download_{table.name}") as cursor:
        cursor.itersize = FETCH
        cursor.execute(_select(table))
        while rows := cursor.fetchmany(FETCH):
            local.executemany(insert_sql, rows)
            count += len(rows)
            if progress is not None:
                progress(table.name, count)
    return count
