"""The append-only, hash-chained audit log: written on every flush, verifiable later.

Each entry's hash covers the previous entry's hash, so editing or removing an entry
breaks every hash after it. Removing the *last* entries is only detectable against a
digest kept outside the database (printed daily on the heads' report).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session

from models.base import Synced
from models.registry import AuditEntry

GENESIS = "0" * 64
_SKIPPED = {"version", "created_at", "updated_at", "search_key", "change_seq"}
_PG_AUDIT_LOCK = 7_247_001  # advisory lock id serialising the chain on PostgreSQL


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _at_text(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def entry_hash(
    prev_hash: str, at: datetime, actor: str, table: str, row_id: str, action: str, changes: str
) -> str:
    payload = json.dumps(
        [prev_hash, _at_text(at), actor, table, row_id, action, changes],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _changes(obj: Synced, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    result: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED:
            continue
        history = state.attrs[attr.key].history
        if action == "insert":
            value = getattr(obj, attr.key)
            if value not in (None, ""):
                result[attr.key] = [None, _jsonable(value)]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                result[attr.key] = [_jsonable(before), _jsonable(after)]
    return result


def _table(obj: Synced) -> str:
    return str(inspect(obj).mapper.local_table.name)


def _record_flush(session: Session, _context: Any) -> None:
    rows: list[tuple[str, str, str, dict[str, list[Any]]]] = []
    for obj in session.new:
        if isinstance(obj, Synced):
            rows.append((_table(obj), str(obj.id), "insert", _changes(obj, "insert")))
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj, "update")
            if changes:
                action = "delete" if "deleted_at" in changes else "update"
                rows.append((_table(obj), str(obj.id), action, changes))
    if rows:
        append_entries(session, session.info.get("actor", "sistema"), rows)


def append_entries(
    session: Session, actor: str, rows: list[tuple[str, str, str, dict[str, list[Any]]]]
) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_AUDIT_LOCK})
    prev = (
        connection.execute(
            select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).scalar()
        or GENESIS
    )
    now = datetime.now(UTC)
    values = []
    for table, row_id, action, changes in rows:
        changes_json = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)
        digest = entry_hash(prev, now, actor, table, row_id, action, changes_json)
        values.append(
            {
                "at": now,
                "actor": actor,
                "table_name": table,
                "row_id": row_id,
                "action": action,
                "changes": changes_json,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    connection.execute(insert(AuditEntry), values)


def install(session_factory: Any) -> None:
    """Record every flush of sessions made by ``session_factory`` in the audit log."""
    event.listen(session_factory, "after_flush", _record_flush)


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    problems: list[str]
    last_hash: str

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> AuditCheck:
    problems: list[str] = []
    prev = GENESIS
    count = 0
    previous_seq = 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
    for entry in rows.yield_per(5000):
        count += 1
        if entry.prev_hash != prev:
            problems.append(
                f"voce {entry.seq}: la catena è interrotta (voce precedente "
                f"{previous_seq or '—'} modificata o rimossa)"
            )
        expected = entry_hash(
            entry.prev_hash,
            entry.at,
            entry.actor,
            entry.table_name,
            entry.row_id,
            entry.action,
            entry.changes,
        )
        if expected != entry.hash:
            problems.append(f"voce {entry.seq}: contenuto modificato (hash non corrisponde)")
        prev = entry.hash
        previous_seq = entry.seq
    return AuditCheck(entries=count, problems=problems, last_hash=prev)
