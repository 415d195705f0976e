"""Pull: the server's feed above the cursor, read in one REPEATABLE READ transaction and
applied with the cursor's advance in one local transaction.

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


def pull(
    replica: Database,
    server: Engine,
    local_now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PullResult:
    with snapshot(server) as remote, remote.begin():
        check_server(remote, local_now)
        high = feed_high(remote)
        with replica.engine.connect() as local:
            local.execution_options(write=True)
            with local.begin():
                cursor = state.cursor(local)
                held = quarantine.held(local)
                if high <= cursor and not held:
                    return PullResult(cursor=cursor)
                pending = {str(r) for r in local.scalars(select(OutboxEntry.row_id).distinct())}
                pulled, changes = 0, Changes()
                for table in synced_tables():
                    again = held.get(table.name, set()) - pending
                    if again:  # set aside earlier: the server's current version, once more
                        rows = [
                            dict(r._mapping)
                            for r in remote.execute(
                                select(table).where(table.c.id.in_(_ids(table, again)))
                            )
                        ]
                        changes |= _apply(local, table, rows, held)
                    if high <= cursor:
                        continue
                    result = remote.execution_options(yield_per=BATCH).execute(
                        select(table)
                        .where(table.c.change_seq > cursor, table.c.change_seq <= high)
                        .order_by(table.c.change_seq)
                    )
                    for part in result.partitions():
                        rows = [dict(r._mapping) for r in part if str(r.id) not in pending]
                        changes |= _apply(local, table, rows, held)
                        pulled += len(rows)
                testpoints.reached("pull-mid-apply")  # every row written, nothing committed
                state.write(local, state.CURSOR, str(max(high, cursor)))
                quarantined = sum(len(ids) for ids in quarantine.held(local).values())
    return PullResult(pulled, changes, max(high, cursor), quarantined)


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
