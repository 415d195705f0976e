"""The append-only, hash-chained audit log: written on every flush, verifiable later.

Each entry's hash covers the previous entry's hash, so editing or removing an entry
breaks every hash after it. Removing the *last* entries is only detectable against a
digest kept outside the database (printed daily on the heads' report).

On a Raccordo server the entries are written by a trigger (server clock, login role)
that computes the same hash in PL/pgSQL; the hook here then writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, event, func, insert, inspect, select, text
from sqlalchemy.orm import Session

from models.base import Synced
from models.errors import DomainError
from models.registry import AuditEntry

GENESIS = "0" * 64
# Bookkeeping the log leaves out (the server's trigger too: sync/server/install.py).
SKIPPED = frozenset({"version", "created_at", "updated_at", "search_key", "change_seq"})
PG_AUDIT_LOCK = 7_247_001  # advisory lock id serialising the chain on PostgreSQL


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _at_text(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


# Fields joined by the unit separator: no field but the last (JSON, which escapes control
# characters) can hold it, and PL/pgSQL builds the same text (sync/server/sql/audit.sql).
_SEPARATOR = "\x1f"


def entry_hash(
    prev_hash: str, at: datetime, actor: str, table: str, row_id: str, action: str, changes: str
) -> str:
    payload = _SEPARATOR.join([prev_hash, _at_text(at), actor, table, row_id, action, changes])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _legacy_hash(
    prev_hash: str, at: datetime, actor: str, table: str, row_id: str, action: str, changes: str
) -> str:
    """The first format (a JSON array), still found in databases written before 0006."""
    payload = json.dumps(
        [prev_hash, _at_text(at), actor, table, row_id, action, changes],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_SERVER_AUDITS: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def server_writes_audit(connection: Connection) -> bool:
    """True on a Raccordo server, where triggers write the log; checked once per engine."""
    if connection.dialect.name != "postgresql":
        return False
    known = _SERVER_AUDITS.get(connection.engine)
    if known is None:
        # Written by ``raccordo server init`` (sync/server/install.py) and nowhere else.
        known = bool(
            connection.execute(
                text("SELECT count(*) FROM settings WHERE key = 'sync.protocol'")
            ).scalar()
        )
        _SERVER_AUDITS[connection.engine] = known
    return known


def forget_server_check(engine: Engine) -> None:
    """After ``server init``: the next flush on ``engine`` checks again."""
    _SERVER_AUDITS.pop(engine, None)


def _changes(obj: Synced, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    result: dict[str, list[Any]] = {}
    loaded = state.dict
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED:
            continue
        if action == "insert":
            # Read straight from the instance's dict (a batch inserts thousands); an
            # attribute not loaded there goes through the ORM, as before.
            value = loaded[attr.key] if attr.key in loaded else getattr(obj, attr.key)
            if value not in (None, ""):
                result[attr.key] = [None, _jsonable(value)]
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                result[attr.key] = [_jsonable(before), _jsonable(after)]
    return result


def _table(obj: Synced) -> str:
    return str(inspect(obj).mapper.local_table.name)


def _record_flush(session: Session, _context: Any) -> None:
    if server_writes_audit(session.connection()):
        return
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
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_AUDIT_LOCK})
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
    # On a server, entries about restricted dossiers this user may not read: their links
    # in the chain are checked, their content is not.
    unreadable: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _hidden_links(session: Session) -> list[tuple[int, str, str]]:
    """(seq, prev_hash, hash) of the entries row-level security hides from this user."""
    connection = session.connection()
    if not server_writes_audit(connection):
        return []
    prefix = connection.execute(
        text("SELECT value FROM settings WHERE key = 'server.prefix'")
    ).scalar()
    if not prefix or not str(prefix).replace("_", "").isalnum():
        return []
    function = f"{prefix}.audit_hidden()"
    if connection.execute(text("SELECT to_regprocedure(:f)"), {"f": function}).scalar() is None:
        raise DomainError("il server va aggiornato: eseguire «raccordo server init»")
    rows = connection.execute(text(f"SELECT seq, prev_hash, hash FROM {function}"))
    return [(int(seq), str(prev), str(digest)) for seq, prev, digest in rows]


def _content_ok(entry: AuditEntry) -> bool:
    fields = (
        entry.prev_hash,
        entry.at,
        entry.actor,
        entry.table_name,
        entry.row_id,
        entry.action,
        entry.changes,
    )
    return entry.hash in (entry_hash(*fields), _legacy_hash(*fields))


def verify(session: Session) -> AuditCheck:
    problems: list[str] = []
    prev = GENESIS
    count = 0
    previous_seq = 0
    hidden = _hidden_links(session)
    waiting = 0  # next hidden link, merged in seq order with the readable entries

    def link(seq: int, prev_hash: str) -> None:
        if prev_hash != prev:
            problems.append(
                f"voce {seq}: la catena è interrotta (voce precedente "
                f"{previous_seq or '—'} modificata o rimossa)"
            )

    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
    for entry in rows.yield_per(5000):
        while waiting < len(hidden) and hidden[waiting][0] < entry.seq:
            seq, prev_hash, digest = hidden[waiting]
            link(seq, prev_hash)
            prev, previous_seq, count, waiting = digest, seq, count + 1, waiting + 1
        count += 1
        link(entry.seq, entry.prev_hash)
        if not _content_ok(entry):
            problems.append(f"voce {entry.seq}: contenuto modificato (hash non corrisponde)")
        prev = entry.hash
        previous_seq = entry.seq
    for seq, prev_hash, digest in hidden[waiting:]:
        link(seq, prev_hash)
        prev, previous_seq, count = digest, seq, count + 1
    return AuditCheck(entries=count, problems=problems, last_hash=prev, unreadable=len(hidden))


DIGEST_ZONE = ZoneInfo("Europe/Rome")


@dataclass(frozen=True)
class Digest:
    """The chain's state at the end of a day: kept outside the database, it proves that
    no entry of that day or before was later removed or rewritten."""

    day: date
    entries: int  # entries up to the end of the day
    last_seq: int | None
    last_at: datetime | None
    last_hash: str


def day_digest(session: Session, day: date) -> Digest:
    """The last entry written before midnight (Italian time) at the end of ``day``."""
    end = datetime.combine(day + timedelta(days=1), time(), DIGEST_ZONE).astimezone(UTC)
    if session.connection().dialect.name == "sqlite":
        end = end.replace(tzinfo=None)  # stored as naive UTC text
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.at, AuditEntry.hash)
        .where(AuditEntry.at < end)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    if last is None:
        return Digest(day, 0, None, None, GENESIS)
    count = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.seq <= last.seq)
    )
    at = last.at if last.at.tzinfo is not None else last.at.replace(tzinfo=UTC)  # SQLite
    return Digest(day, int(count or 0), last.seq, at, last.hash)
