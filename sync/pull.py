"""Pull: the server's feed above the cursor, read in one REPEATABLE READ transaction, then
applied with the cursor's advance in one local transaction.

The two phases do not overlap: the replica is not locked while the network is read (a
stalled link would otherwise keep every local save waiting), and every statement on the
server is bounded by the read deadline (``sync/deadline.py``).

A row the replica cannot apply is quarantined (``sync/quarantine.py``) and the rest of the
pull goes on; quarantined rows are tried again, in the server's current version, at
every pull.

The feed position is the server's ``sync_counter``: writers bump it under a row lock
held to commit, so every change at or below the value this snapshot sees is committed
and visible here; nothing that commits late can land below the cursor. A row with
unpushed local changes is left alone: the next push fetches it again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, Uuid, select, text

from models.services.changes import Changes
from models.sync_registry import synced_tables
from models.sync_tables import OutboxEntry
from models.uow import Database
from sync import quarantine, state, testpoints
from sync.link import check_server
from sync.local_apply import changes_of

BATCH = 5000


@dataclass(frozen=True)
class PullResult:
    pulled: int = 0
    changes: Changes = field(default_factory=Changes)
    cursor: int = 0
    quarantined: int = 0  # rows set aside (this pull's and earlier ones still refused)


def feed_high(remote: Connection) -> int:
    return int(remote.execute(text("SELECT value FROM sync_counter WHERE id = 1")).scalar_one())


def snapshot(server: Engine) -> Connection:
    """A read-only REPEATABLE READ connection: one consistent view of the whole feed."""
    return server.connect().execution_options(
        isolation_level="REPEATABLE READ", postgresql_readonly=True
    )


@dataclass
class _Fetched:
    """What the network phase brought back, to be applied in one short local transaction."""

    cursor: int  # the replica's cursor the rows were fetched above
    high: int  # the server's feed position they reach
    # (table, rows, again): ``again`` rows are quarantined ones fetched once more.
    batches: list[tuple[Table, list[dict[str, Any]], bool]] = field(default_factory=list)


def pull(
    replica: Database,
    server: Engine,
    local_now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PullResult:
    """Fetch first (no local lock while the network is read), then apply in one local
    transaction; a pull that finds the cursor moved meanwhile applies nothing."""
    with replica.engine.connect() as local:
        cursor = state.cursor(local)
        held = quarantine.held(local)
    fetched = _fetch(server, cursor, held, local_now)
    if fetched is None:
        return PullResult(cursor=cursor)
    return _apply_fetched(replica, fetched)


def _fetch(
    server: Engine,
    cursor: int,
    held: dict[str, set[str]],
    local_now: Callable[[], datetime],
) -> _Fetched | None:
    """The feed above ``cursor`` (and the quarantined rows), from one REPEATABLE READ
    snapshot, in batches of ``BATCH`` rows: each statement is short, so the read
    deadline (sync/deadline.py) bounds every wait on the network."""
    with snapshot(server) as remote, remote.begin():
        check_server(remote, local_now)
        high = feed_high(remote)
        if high <= cursor and not held:
            return None
        fetched = _Fetched(cursor, high)
        for table in synced_tables():
            again = held.get(table.name)
            if again:  # set aside earlier: the server's current version, once more
                rows = remote.execute(select(table).where(table.c.id.in_(_ids(table, again))))
                fetched.batches.append((table, [dict(r._mapping) for r in rows], True))
            if high <= cursor:
                continue
            last = cursor
            while True:
                part = [
                    dict(r._mapping)
                    for r in remote.execute(
                        select(table)
                        .where(table.c.change_seq > last, table.c.change_seq <= high)
                        .order_by(table.c.change_seq)
                        .limit(BATCH)
                    )
                ]
                if part:
                    fetched.batches.append((table, part, False))
                if len(part) < BATCH:
                    break
                last = int(part[-1]["change_seq"])
    return fetched


def _apply_fetched(replica: Database, fetched: _Fetched) -> PullResult:
    with replica.engine.connect() as local:
        local.execution_options(write=True)
        with local.begin():
            cursor = state.cursor(local)
            if cursor != fetched.cursor:  # another pull applied in between: its rows stand
                return PullResult(cursor=cursor)
            held = quarantine.held(local)
            pending = {str(r) for r in local.scalars(select(OutboxEntry.row_id).distinct())}
            pulled, changes = 0, Changes()
            for table, rows, again in fetched.batches:
                wanted = held.get(table.name, set()) if again else None
                kept = [
                    r
                    for r in rows
                    if str(r["id"]) not in pending and (wanted is None or str(r["id"]) in wanted)
                ]
                changes |= _apply(local, table, kept, held)
                if not again:
                    pulled += len(kept)
            testpoints.reached("pull-mid-apply")  # every row written, nothing committed
            high = max(fetched.high, cursor)
            state.write(local, state.CURSOR, str(high))
            quarantined = sum(len(ids) for ids in quarantine.held(local).values())
    return PullResult(pulled, changes, high, quarantined)


def _ids(table: Table, ids: set[str]) -> list[object]:
    return [uuid.UUID(i) for i in ids] if isinstance(table.c.id.type, Uuid) else list(ids)


def _apply(
    local: Connection, table: Table, rows: list[dict[str, Any]], held: dict[str, set[str]]
) -> Changes:
    """Writes the rows the replica accepts (the others are quarantined); a row that
    applies leaves the quarantine."""
    applied = quarantine.apply_rows(local, table, rows)
    earlier = held.get(table.name)
    if earlier:
        ids = [str(r["id"]) for r in applied if str(r["id"]) in earlier]
        quarantine.lift(local, table.name, ids)
    return changes_of(table.name, applied)
