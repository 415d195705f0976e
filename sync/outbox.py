"""The replica's outbox: every flushed change of a synced row, in the same transaction.

Installed by ``Database(engine, role="replica")`` instead of the audit hook (the server
writes the audit). One ``mutation_id`` per local transaction: the server applies or
refuses the rows of a mutation together.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from models import bulk
from models.base import Base, Synced
from models.bulk import ChangedRow, NewRow
from models.column_json import dumps, to_json
from models.documents import DocumentContent
from models.sync_tables import OutboxEntry
from sync.contents import queue_upload
from sync.tables import BOOKKEEPING, derived

_MUTATION = "sync_mutation_id"


def _insert_changes(obj: Synced, table: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    return _new_row_changes(
        {attr.key: getattr(obj, attr.key) for attr in state.mapper.column_attrs}
    )


def _new_row_changes(values: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [None, to_json(value)] for key, value in values.items() if key not in BOOKKEEPING
    } | {"id": [None, str(values["id"])]}


def _update_changes(obj: Synced, table: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    skipped = BOOKKEEPING | derived(table)
    result: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in skipped:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        before = to_json(history.deleted[0]) if history.deleted else None
        after = to_json(history.added[0]) if history.added else None
        if before != after:
            result[attr.key] = [before, after]
    return result


OutboxRow = dict[str, str | int | None]  # an outbox_entries row to insert


def _record_flush(session: Session, _context: Any) -> None:
    mutation = session.info.setdefault(_MUTATION, str(uuid.uuid4()))
    rows: list[OutboxRow] = []
    for obj in session.new:
        if isinstance(obj, DocumentContent):
            # Uploaded before the push of the document naming it (sync/contents.py).
            queue_upload(session.connection(), obj.sha256, obj.size)
        if isinstance(obj, Synced):
            table = inspect(obj).mapper.local_table.name
            changes = _insert_changes(obj, table)
            rows.append(_row(mutation, table, obj, "insert", None, changes))
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            table = inspect(obj).mapper.local_table.name
            changes = _update_changes(obj, table)
            if changes:
                base = obj.version - 1 if obj.version else None  # already bumped by the flush
                rows.append(_row(mutation, table, obj, "update", base, changes))
    if rows:
        session.connection().execute(insert(OutboxEntry), rows)


def _row(
    mutation: str,
    table: str,
    obj: Synced,
    action: str,
    base: int | None,
    changes: dict[str, list[Any]],
) -> OutboxRow:
    return {
        "mutation_id": mutation,
        "table_name": table,
        "row_id": str(obj.id),
        "action": action,
        "base_version": base,
        "changes": dumps(changes),
    }


def _changed_row_changes(row: ChangedRow) -> dict[str, list[Any]]:
    """What ``_update_changes`` gives for the same object before its flush."""
    skipped = BOOKKEEPING | derived(row.table.name)
    result: dict[str, list[Any]] = {}
    for key, (before, after) in row.changes.items():
        if key in skipped:
            continue
        old, new = to_json(before), to_json(after)
        if old != new:
            result[key] = [old, new]
    return result


class _BulkRecorder:
    """The outbox rows ``_record_flush`` would queue for rows written by ``models.bulk``."""

    def prepare(self, session: Session, rows: Sequence[bulk.Row]) -> bulk.Record:
        mutation = session.info.setdefault(_MUTATION, str(uuid.uuid4()))
        queued = []
        for row in rows:
            if isinstance(row, NewRow):
                row_id, action, base = str(row.values["id"]), "insert", None
                changes = _new_row_changes(row.values)
            else:
                changes = _changed_row_changes(row)
                if not changes:
                    continue
                row_id, action, base = str(row.row_id), "update", row.version
            queued.append(
                {
                    "mutation_id": mutation,
                    "table_name": row.table.name,
                    "row_id": row_id,
                    "action": action,
                    "base_version": base,
                    "changes": dumps(changes),
                }
            )
        ready = bulk.insert_of(session.connection(), Base.metadata.tables["sync_outbox"], queued)
        return _OutboxRecord(session, mutation, ready)


@dataclass
class _OutboxRecord:
    session: Session
    mutation: str
    rows: bulk.Insert

    def write(self, connection: Connection) -> None:
        self.rows.run(connection)

    def stage(self, connection: Connection, stager: bulk.Stager) -> None:
        self.rows.stage(connection, stager)

    def write_staged(self, connection: Connection) -> None:
        # Prepared in an earlier transaction: what this one flushes belongs with them.
        self.session.info[_MUTATION] = self.mutation
        self.rows.move(connection)


def _new_mutation(session: Session, *_args: Any) -> None:
    session.info.pop(_MUTATION, None)


def install(session_factory: Any) -> None:
    """Queue every flush of sessions made by ``session_factory`` in the outbox."""
    event.listen(session_factory, "after_flush", _record_flush)
    event.listen(session_factory, "after_commit", _new_mutation)
    event.listen(session_factory, "after_soft_rollback", _new_mutation)
    bulk.install(session_factory, _BulkRecorder())


def queued(session: Session) -> int:
    """Local transactions still waiting to be pushed."""
    return int(session.scalar(select(func.count(func.distinct(OutboxEntry.mutation_id)))) or 0)


def pending_rows(session: Session) -> set[str]:
    return set(session.scalars(select(OutboxEntry.row_id).distinct()))


def entries(session: Session, limit: int | None = None) -> list[OutboxEntry]:
    query = select(OutboxEntry).order_by(OutboxEntry.seq)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def remove_through(connection: Connection, last_seq: int) -> None:
    connection.execute(delete(OutboxEntry).where(OutboxEntry.seq <= last_seq))
