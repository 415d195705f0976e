"""Pull: the server's feed above the cursor, read in one REPEATABLE READ transaction and
applied with the cursor's advance in one local transaction.

The feed position is the server's ``sync_counter``: writers bump it under a row lock
held to commit, so every change at or below the value this snapshot sees is committed
and visible here; nothing that commits late can land below the cursor. A row with
unpushed local changes is left alone: the next push fetches it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select, text

from models.services.changes import Changes
from models.sync_tables import OutboxEntry
from models.uow import Database
from sync import state, testpoints
from sync.link import check_server
from sync.local_apply import changes_of, upsert
from sync.tables import synced_tables

BATCH = 5000


@dataclass(frozen=True)
class PullResult:
    pulled: int = 0
    changes: Changes = field(default_factory=Changes)
    cursor: int = 0


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
                if high <= cursor:
                    return PullResult(cursor=cursor)
                pending = {str(r) for r in local.scalars(select(OutboxEntry.row_id).distinct())}
                pulled, changes = 0, Changes()
                for table in synced_tables():
                    result = remote.execution_options(yield_per=BATCH).execute(
                        select(table)
                        .where(table.c.change_seq > cursor, table.c.change_seq <= high)
                        .order_by(table.c.change_seq)
                    )
                    for part in result.partitions():
                        rows = [dict(r._mapping) for r in part if str(r.id) not in pending]
                        upsert(local, table, rows)
                        pulled += len(rows)
                        changes |= changes_of(table.name, rows)
                testpoints.reached("pull-mid-apply")  # every row written, nothing committed
                state.write(local, state.CURSOR, str(high))
    return PullResult(pulled, changes, high)
