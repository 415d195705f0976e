"""Writes the server's rows into the replica (Core statements: no outbox, no audit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from models.services.changes import Changed, Changes
from models.sync_registry import synced_tables

_KINDS: dict[str, tuple[Changed, ...]] = {
    "dossiers": (Changed.DOSSIER,),
    "dossier_events": (Changed.HISTORY,),
    "pareri": (Changed.PARERE,),
    "flags": (Changed.FLAGS, Changed.DOSSIER),
    "staff": (Changed.STAFF,),
    "offices": (Changed.OFFICES,),
    "procedure_types": (Changed.RULES,),
    "workflow_states": (Changed.RULES,),
    "workflow_transitions": (Changed.RULES,),
    "term_rules": (Changed.RULES,),
}


def upsert(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    statement = sqlite_insert(table)
    updates = {c.name: statement.excluded[c.name] for c in table.c if not c.primary_key}
    connection.execute(
        statement.on_conflict_do_update(index_elements=["id"], set_=updates), list(rows)
    )


def delete_rows(connection: Connection, table: Table, ids: Iterable[Any]) -> None:
    keys = list(ids)
    if keys:
        connection.execute(delete(table).where(table.c.id.in_(keys)))


def changes_of(table_name: str, rows: Sequence[Mapping[str, Any]]) -> Changes:
    if not rows:
        return Changes()
    kinds = _KINDS.get(table_name, ())
    if table_name == "dossiers":
        ids = tuple(row["id"] for row in rows)
    else:
        ids = tuple(row["dossier_id"] for row in rows if row.get("dossier_id") is not None)
    return Changes.of(*kinds, dossiers=ids)


def in_fk_order(names: Iterable[str]) -> list[Table]:
    wanted = set(names)
    return [t for t in synced_tables() if t.name in wanted]
