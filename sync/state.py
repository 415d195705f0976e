"""The replica's own sync bookkeeping, kept in its ``settings`` table."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from models.registry import Setting

CURSOR = "sync.cursor"  # the server's feed position this replica has applied
CLIENT_ID = "sync.client_id"  # this replica's identity for idempotent pushes
SERVER = "sync.server"  # the server (URL without password) the replica was made from


def read(connection: Connection, key: str) -> str | None:
    return connection.execute(select(Setting.value).where(Setting.key == key)).scalar()


def write(connection: Connection, key: str, value: str) -> None:
    statement = sqlite_insert(Setting).values(key=key, value=value)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
    )


def cursor(connection: Connection) -> int:
    return int(read(connection, CURSOR) or 0)


def client_id(connection: Connection) -> uuid.UUID:
    value = read(connection, CLIENT_ID)
    if value is None:
        raise RuntimeError("replica without a client id")
    return uuid.UUID(value)
