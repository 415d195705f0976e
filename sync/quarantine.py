"""Pulled rows the replica could not apply, set aside so the rest of the pull goes on.

A row is applied in a savepoint; when the replica refuses it (a constraint, a trigger)
it goes to ``sync_quarantine`` with the reason and the rest of its batch is applied one
row at a time. Every pull tries the set-aside rows again (the server's current version);
a row that applies, there or in a later feed, leaves the quarantine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from models.column_json import dumps, to_json
from models.sync_tables import SyncQuarantine
from sync.local_apply import upsert

CONTENT = "document_contents"  # the table name a content that could not be stored is filed under


def _refused(error: DBAPIError) -> bool:
    """The replica refused the row itself; a locked or broken file is not the row's fault."""
    return not isinstance(error, OperationalError) or "constraint" in str(error.orig).lower()


def _reason(error: DBAPIError) -> str:
    return f"non applicabile alla copia locale: {str(error.orig).splitlines()[0]}"


def apply_rows(
    local: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Upserts ``rows``; returns those applied, quarantining the others."""
    if not rows:
        return []
    try:
        with local.begin_nested():
            upsert(local, table, rows)
        applied = list(rows)
    except DBAPIError as error:
        if not _refused(error):
            raise
        applied = []
        for row in rows:
            try:
                with local.begin_nested():
                    upsert(local, table, [row])
                applied.append(row)
            except DBAPIError as row_error:
                if not _refused(row_error):
                    raise
                set_aside(local, table.name, str(row["id"]), row, _reason(row_error))
    return applied


def set_aside(
    local: Connection,
    table_name: str,
    row_id: str,
    row: Mapping[str, Any] | None,
    reason: str,
) -> None:
    lift(local, table_name, [row_id])
    local.execute(
        insert(SyncQuarantine).values(
            table_name=table_name,
            row_id=row_id,
            change_seq=None if row is None else row.get("change_seq"),
            row=None if row is None else dumps({k: to_json(v) for k, v in row.items()}),
            reason=reason,
        )
    )


def lift(local: Connection, table_name: str, row_ids: Sequence[str]) -> None:
    if row_ids:
        local.execute(
            delete(SyncQuarantine).where(
                SyncQuarantine.table_name == table_name, SyncQuarantine.row_id.in_(row_ids)
            )
        )


def held(local: Connection) -> dict[str, set[str]]:
    """Quarantined row ids by table."""
    found: dict[str, set[str]] = {}
    for name, row_id in local.execute(select(SyncQuarantine.table_name, SyncQuarantine.row_id)):
        found.setdefault(name, set()).add(row_id)
    return found


def entries(session: Session) -> list[SyncQuarantine]:
    return list(session.scalars(select(SyncQuarantine).order_by(SyncQuarantine.id)))


_NAMES = {
    CONTENT: "contenuto",
    "documents": "documento",
    "dossiers": "pratica",
    "dossier_events": "evento della cronologia",
    "pareri": "parere",
    "flags": "segnalazione",
    "imports": "voce del registro importazioni",
}


def describe(entry: SyncQuarantine) -> str:
    """One Italian line for ``raccordo sync status`` and the sync window."""
    what = _NAMES.get(entry.table_name, f"riga di {entry.table_name}")
    return f"{what} {entry.row_id}: {entry.reason}"
