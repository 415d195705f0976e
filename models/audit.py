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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, event, func, insert, inspect, select, text
from sqlalchemy.orm import Session

from models import bulk
from models.base import Base, Synced
from models.bulk import NewRow
from models.errors import DomainError, ValidationError
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
# characters) can hold it, and PL/pgSQL builds the same text (sync/server/sql/functions.sql).
_SEPARATOR = "\x1f"
# The formula an entry was hashed with (``audit_log.hash_version``). 1: the fields but the
# ``restricted`` mark (entries written before migration 0011, which keep it); 2: every
# column but ``seq`` — the mark included, and the content through its own digest, so that
# a user without the clearance checks a hidden entry without reading it.
LEGACY_VERSION = 1
HASH_VERSION = 2


def entry_hash(
    prev_hash: str, at: datetime, actor: str, table: str, row_id: str, action: str, changes: str
) -> str:
    """Version 1 (entries written before migration 0011)."""
    payload = _SEPARATOR.join([prev_hash, _at_text(at), actor, table, row_id, action, changes])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def body_digest(
    at: datetime, actor: str, table: str, row_id: str, action: str, changes: str
) -> str:
    """What an entry says (when, who, which row, what changed), as one SHA-256."""
    payload = _SEPARATOR.join([_at_text(at), actor, table, row_id, action, changes])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, body: str, restricted: bool) -> str:
    """Version 2: the previous hash, the entry's body digest, its mark and the version."""
    payload = _SEPARATOR.join(
        [prev_hash, body, "true" if restricted else "false", str(HASH_VERSION)]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_hash_v2(
    prev_hash: str,
    at: datetime,
    actor: str,
    table: str,
    row_id: str,
    action: str,
    changes: str,
    restricted: bool,
) -> str:
    return chain_hash(prev_hash, body_digest(at, actor, table, row_id, action, changes), restricted)


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


def insert_changes(values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """An inserted row's entry: each column but the bookkeeping, when it is not empty."""
    return {
        key: [None, _jsonable(value)]
        for key, value in values.items()
        if key not in SKIPPED and value not in (None, "")
    }


def _changes(obj: Synced, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    result: dict[str, list[Any]] = {}
    loaded = state.dict
    if action == "insert":
        # Read straight from the instance's dict; an attribute not loaded there goes
        # through the ORM, as before.
        return insert_changes(
            {
                attr.key: loaded[attr.key] if attr.key in loaded else getattr(obj, attr.key)
                for attr in state.mapper.column_attrs
                if attr.key not in SKIPPED
            }
        )
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED:
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


def _restricted_marks(session: Session, objects: list[Synced]) -> list[bool]:
    """Is each entry about a restricted dossier? The server's trigger decides the same
    way: a dossier by its own flag, a row attached to one by its dossier's, an import
    register entry by its own flag too."""
    dossiers = Base.metadata.tables["dossiers"]
    known: dict[Any, bool] = {}
    for obj in objects:
        if _table(obj) == "dossiers":
            known[obj.id] = bool(getattr(obj, "restricted", False))
    wanted = (
        {getattr(obj, "dossier_id", None) for obj in objects if _table(obj) != "dossiers"}
        - set(known)
        - {None}
    )
    if wanted:
        found = session.connection().execute(
            select(dossiers.c.id).where(dossiers.c.id.in_(list(wanted)), dossiers.c.restricted)
        )
        restricted_ids = set(found.scalars())
        known.update({key: key in restricted_ids for key in wanted})
    marks = []
    for obj in objects:
        if _table(obj) == "dossiers":
            marks.append(known[obj.id])
            continue
        attached = getattr(obj, "dossier_id", None)
        mark = known.get(attached, False) if attached is not None else False
        marks.append(mark or bool(getattr(obj, "restricted", False)))
    return marks


def _record_flush(session: Session, _context: Any) -> None:
    if server_writes_audit(session.connection()):
        return
    rows: list[tuple[str, str, str, dict[str, list[Any]]]] = []
    objects: list[Synced] = []
    for obj in session.new:
        if isinstance(obj, Synced):
            rows.append((_table(obj), str(obj.id), "insert", _changes(obj, "insert")))
            objects.append(obj)
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj, "update")
            if changes:
                action = "delete" if "deleted_at" in changes else "update"
                rows.append((_table(obj), str(obj.id), action, changes))
                objects.append(obj)
    if rows:
        marks = _restricted_marks(session, objects)
        append_entries(session, session.info.get("actor", "sistema"), rows, marks)


def append_entries(
    session: Session,
    actor: str,
    rows: list[tuple[str, str, str, dict[str, list[Any]]]],
    restricted: list[bool] | None = None,
) -> None:
    connection = session.connection()
    prev = _last_hash(connection)
    now = datetime.now(UTC)
    marks = restricted if restricted is not None else [False] * len(rows)
    values = []
    for (table, row_id, action, changes), mark in zip(rows, marks, strict=True):
        changes_json = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)
        digest = entry_hash_v2(prev, now, actor, table, row_id, action, changes_json, mark)
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
                "restricted": mark,
                "hash_version": HASH_VERSION,
            }
        )
        prev = digest
    connection.execute(insert(AuditEntry), values)


def update_changes(changes: Mapping[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    """An updated row's entry, from its changed columns (before, after), as a flush
    records it."""
    return {
        key: [_jsonable(before), _jsonable(after)]
        for key, (before, after) in changes.items()
        if key not in SKIPPED and before != after
    }


class _NoRecord:
    """On a Raccordo server the triggers write the log."""

    def write(self, connection: Connection) -> None:
        pass

    def stage(self, connection: Connection, stager: bulk.Stager) -> None:
        pass

    def write_staged(self, connection: Connection) -> None:
        pass


class _BulkRecorder:
    """The entries ``_record_flush`` would write for rows written by ``models.bulk``:
    dated and digested before the write lock is taken, only chained under it."""

    def prepare(self, session: Session, rows: Sequence[bulk.Row]) -> bulk.Record:
        connection = session.connection()
        if server_writes_audit(connection):
            return _NoRecord()
        actor = session.info.get("actor", "sistema")
        now = datetime.now(UTC)
        entries, bodies, marks = [], [], []
        for row in rows:
            if isinstance(row, NewRow):
                row_id, action = str(row.values["id"]), "insert"
                found = insert_changes(row.values)
            else:
                found = update_changes(row.changes)
                if not found:
                    continue
                row_id = str(row.row_id)
                action = "delete" if "deleted_at" in found else "update"
            table = row.table.name
            changes = json.dumps(found, ensure_ascii=False, sort_keys=True, default=str)
            bodies.append(body_digest(now, actor, table, row_id, action, changes))
            marks.append(row.restricted)
            entries.append(
                {
                    "at": now,
                    "actor": actor,
                    "table_name": table,
                    "row_id": row_id,
                    "action": action,
                    "changes": changes,
                    "prev_hash": "",
                    "hash": "",
                    "restricted": row.restricted,
                    "hash_version": HASH_VERSION,
                }
            )
        ready = bulk.insert_of(connection, Base.metadata.tables["audit_log"], entries)
        return _AuditRecord(ready, bodies, marks)


@dataclass
class _AuditRecord:
    entries: bulk.Insert
    bodies: list[str]
    marks: list[bool]
    chained_from: str | None = None  # the last hash the staged entries follow

    def _chain(self, prev: str) -> list[tuple[str, str]]:
        links = []
        for body, mark in zip(self.bodies, self.marks, strict=True):
            digest = chain_hash(prev, body, mark)
            links.append((prev, digest))
            prev = digest
        return links

    def _fill(self, prev: str) -> None:
        keys = self.entries.keys
        if not keys:
            return
        prev_at, hash_at = keys.index("prev_hash"), keys.index("hash")
        for row, (before, digest) in zip(self.entries.rows, self._chain(prev), strict=True):
            row[prev_at], row[hash_at] = before, digest

    def write(self, connection: Connection) -> None:
        self._fill(_last_hash(connection))
        self.entries.run(connection)

    def stage(self, connection: Connection, stager: bulk.Stager) -> None:
        """Chained after the log's last entry as it is now: if nobody writes before the
        move, nothing is left to do under the write lock."""
        self.chained_from = _last_hash(connection)
        self._fill(self.chained_from)
        self.entries.stage(connection, stager)

    def write_staged(self, connection: Connection) -> None:
        prev = _last_hash(connection)
        if prev != self.chained_from and self.entries.rows:
            # Someone saved meanwhile: the chain goes on from their entry.
            links = self._chain(prev)
            connection.exec_driver_sql(
                f'UPDATE temp."{self.entries.staged}" SET prev_hash = ?, hash = ? WHERE rowid = ?',
                [(before, digest, n) for n, (before, digest) in enumerate(links, start=1)],
            )
        self.entries.move(connection)


def _last_hash(connection: Connection) -> str:
    """The chain's last hash, once this transaction holds the chain (PostgreSQL's advisory
    lock; SQLite's write lock is held by the writes before it)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_AUDIT_LOCK})
    return (
        connection.execute(
            select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).scalar()
        or GENESIS
    )


def install(session_factory: Any) -> None:
    """Record every flush of sessions made by ``session_factory`` in the audit log."""
    event.listen(session_factory, "after_flush", _record_flush)
    bulk.install(session_factory, _BulkRecorder())


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    problems: list[str]
    last_hash: str
    # On a server, entries about restricted dossiers this user may not read: their links
    # and (from version 2) their digests are checked, their content is not read.
    unreadable: int = 0
    # ``verify(against=…)``: where the digest kept outside the database was found.
    anchor_seq: int | None = None
    after_anchor: int = 0  # entries written after it

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class HiddenLink:
    """An entry row-level security hides from this user, as ``audit_hidden()`` gives it."""

    seq: int
    prev_hash: str
    hash: str
    body: str  # its body digest, computed by the server from the stored columns
    restricted: bool
    version: int

    def content_ok(self) -> bool:
        if self.version == LEGACY_VERSION:
            return True  # hashed with its content: only its links can be checked
        return self.version == HASH_VERSION and self.hash == chain_hash(
            self.prev_hash, self.body, self.restricted
        )


def _hidden_links(session: Session) -> list[HiddenLink]:
    """The entries row-level security hides from this user."""
    connection = session.connection()
    if not server_writes_audit(connection):
        return []
    prefix = connection.execute(
        text("SELECT value FROM settings WHERE key = 'server.prefix'")
    ).scalar()
    if not prefix or not str(prefix).replace("_", "").isalnum():
        return []
    function = f"{prefix}.audit_hidden()"
    outdated = DomainError("il server va aggiornato: eseguire «raccordo server init»")
    if connection.execute(text("SELECT to_regprocedure(:f)"), {"f": function}).scalar() is None:
        raise outdated
    columns = connection.execute(
        text("SELECT proargnames FROM pg_proc WHERE oid = to_regprocedure(:f)"),
        {"f": function},
    ).scalar()
    if "body_digest" not in (columns or []):
        raise outdated
    rows = connection.execute(
        text(f"SELECT seq, prev_hash, hash, body_digest, restricted, hash_version FROM {function}")
    )
    return [
        HiddenLink(int(seq), str(prev), str(digest), str(body), bool(mark), int(version))
        for seq, prev, digest, body, mark, version in rows
    ]


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
    version = entry.hash_version or LEGACY_VERSION
    if version == HASH_VERSION:
        return entry.hash == entry_hash_v2(*fields, bool(entry.restricted))
    if version == LEGACY_VERSION:
        return entry.hash in (entry_hash(*fields), _legacy_hash(*fields))
    return False


def normalise_anchor(value: str) -> str:
    """A digest as printed (spaces and line breaks allowed, any case) → 64 hex digits."""
    cleaned = "".join(value.split()).lower()
    if len(cleaned) != 64 or any(c not in "0123456789abcdef" for c in cleaned):
        raise ValidationError(
            {"against": "impronta non valida: servono le 64 cifre esadecimali stampate"}
        )
    return cleaned


def _archive_has_dossiers(session: Session) -> bool:
    dossiers = Base.metadata.tables["dossiers"]
    return session.execute(select(dossiers.c.id).limit(1)).first() is not None


def verify(session: Session, against: str | None = None) -> AuditCheck:
    """Walks the whole chain. ``against``: a digest kept outside the database (``audit
    digest``); the check fails when no entry of the chain has that hash any more."""
    anchor = normalise_anchor(against) if against is not None else None
    problems: list[str] = []
    prev = GENESIS
    count = 0
    previous_seq = 0
    anchor_seq: int | None = 0 if anchor == GENESIS else None
    after_anchor = 0
    switched: int | None = None  # the first entry hashed with the current formula
    hidden = _hidden_links(session)
    waiting = 0  # next hidden link, merged in seq order with the readable entries

    def step(seq: int, prev_hash: str, digest: str, version: int, content_ok: bool) -> None:
        nonlocal prev, previous_seq, count, anchor_seq, after_anchor, switched
        count += 1
        if prev_hash != prev:
            problems.append(
                f"voce {seq}: la catena è interrotta (voce precedente "
                f"{previous_seq or '—'} modificata o rimossa)"
            )
        if not content_ok:
            problems.append(f"voce {seq}: contenuto modificato (hash non corrisponde)")
        if version == HASH_VERSION and switched is None:
            switched = seq
        elif version != HASH_VERSION and switched is not None:
            problems.append(
                f"voce {seq}: calcolata con la formula precedente dopo la voce {switched} "
                "(riscritta)"
            )
        if anchor_seq is not None:
            after_anchor += 1
        if digest == anchor:
            anchor_seq, after_anchor = seq, 0
        prev, previous_seq = digest, seq

    def hidden_step(link: HiddenLink) -> None:
        step(link.seq, link.prev_hash, link.hash, link.version, link.content_ok())

    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
    for entry in rows.yield_per(5000):
        while waiting < len(hidden) and hidden[waiting].seq < entry.seq:
            hidden_step(hidden[waiting])
            waiting += 1
        version = entry.hash_version or LEGACY_VERSION
        step(entry.seq, entry.prev_hash, entry.hash, version, _content_ok(entry))
    for link in hidden[waiting:]:
        hidden_step(link)
    if count == 0 and _archive_has_dossiers(session):
        problems.append("il registro è vuoto ma l'archivio contiene pratiche: voci rimosse")
    if anchor is not None and anchor_seq is None:
        problems.append(
            f"l'impronta {anchor[:8]}…{anchor[-8:]} conservata fuori dal database non è più "
            "nella catena: voci di quel giorno o precedenti sono state rimosse o riscritte"
        )
    return AuditCheck(
        entries=count,
        problems=problems,
        last_hash=prev,
        unreadable=len(hidden),
        anchor_seq=anchor_seq,
        after_anchor=after_anchor if anchor_seq is not None else 0,
    )


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
    end = datetime.combine(day + timedelta(days=1), time(), DIGEST_ZONE)
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
    return Digest(day, int(count or 0), last.seq, last.at, last.hash)
