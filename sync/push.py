"""Push: the outbox to the server in one server transaction, then the local clean-up in
one local transaction.

Idempotent: the server keeps, per client, the last outbox ``seq`` it applied and what
became of the mutations the client has not yet acknowledged; a push whose answer was
lost is answered again from that record and applies nothing twice.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from models.column_json import dumps
from models.errors import PermissionDenied
from models.gc_pause import cycle_collection_paused
from models.registry import Setting
from models.services.changes import Changed, Changes
from models.sync_registry import table
from models.sync_tables import OutboxEntry, SyncClient, SyncConflict
from models.uow import Database
from sync import outbox, state, testpoints
from sync.apply import Change, Outcome, dumps_outcomes, group, loads_outcomes
from sync.apply_batch import apply_all
from sync.link import check_server
from sync.local_apply import changes_of, delete_rows, in_fk_order, upsert
from sync.server.names import ServerRoles


@dataclass(frozen=True)
class PushResult:
    pushed: int = 0
    refused: int = 0
    conflicts: int = 0
    changes: Changes = field(default_factory=Changes)


def _read_outbox(replica: Database) -> tuple[uuid.UUID, list[Change]]:
    with replica.engine.connect() as connection:
        client = state.client_id(connection)
        rows = connection.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
    return client, [
        Change(r.seq, r.mutation_id, r.table_name, r.row_id, r.action, json.loads(r.changes))
        for r in rows
    ]


def _take_the_feed(session: Session) -> None:
    """Locks the feed counter before any row: every writer takes the same locks in the
    same order, so two pushes wait for each other instead of deadlocking."""
    prefix = session.execute(select(Setting.value).where(Setting.key == "server.prefix")).scalar()
    if prefix is not None:
        schema = ServerRoles(prefix).schema  # validated: safe to name in SQL
        session.execute(text(f"SELECT {schema}.begin_write()"))


def _client_record(session: Session, client: uuid.UUID, username: str) -> SyncClient:
    session.execute(
        pg_insert(SyncClient)
        .values(client_id=client, username=username, last_seq=0, last_result="[]")
        .on_conflict_do_nothing()
    )
    record = session.get(SyncClient, client, with_for_update=True, populate_existing=True)
    if record is None or record.username != username:
        raise PermissionDenied("questa replica appartiene a un altro utente del server")
    return record


def _server_rows(session: Session, touched: list[tuple[str, str]]) -> dict[str, list[Any]]:
    by_table: dict[str, list[uuid.UUID]] = defaultdict(list)
    for name, row_id in touched:
        by_table[name].append(uuid.UUID(row_id))
    found: dict[str, list[Any]] = {}
    for name, ids in by_table.items():
        columns = table(name)
        result = session.execute(select(columns).where(columns.c.id.in_(ids)))
        found[name] = [dict(row._mapping) for row in result]
    return found


def push(
    replica: Database,
    server: Engine,
    username: str,
    today: Callable[[], date],
    local_now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PushResult:
    with cycle_collection_paused():
        return _push(replica, server, username, today, local_now)


def _push(
    replica: Database,
    server: Engine,
    username: str,
    today: Callable[[], date],
    local_now: Callable[[], datetime],
) -> PushResult:
    client, rows = _read_outbox(replica)
    if not rows:
        return PushResult()
    first_seq, last_seq = rows[0].seq, rows[-1].seq
    with Session(server) as session, session.begin():
        check_server(session.connection(), local_now)
        _take_the_feed(session)
        record = _client_record(session, client, username)
        outcomes = [o for o in loads_outcomes(record.last_result) if o.last_seq >= first_seq]
        fresh = [m for m in group(rows) if max(r.seq for r in m) > record.last_seq]
        day = today()
        # The day the clock is computed on, for the server's check of it (check_facts).
        session.execute(
            text("SELECT set_config('raccordo.clock_today', :day, true)"),
            {"day": day.isoformat()},
        )
        outcomes.extend(apply_all(session, fresh, day))
        record.last_seq = max(record.last_seq, last_seq)
        record.last_push_at = session.execute(select(func.now())).scalar_one()
        record.last_result = dumps_outcomes(outcomes)
        truth = _server_rows(session, [pair for o in outcomes for pair in o.rows])
        session.flush()
        testpoints.reached("push-before-commit")
    testpoints.reached("push-after-commit")
    return _clean_up(replica, outcomes, rows, truth, last_seq)


def _clean_up(
    replica: Database,
    outcomes: list[Outcome],
    rows: list[Change],
    truth: dict[str, list[Any]],
    last_seq: int,
) -> PushResult:
    """Conflicts kept, the server's rows shown, the pushed outbox rows gone: one transaction."""
    changes = Changes()
    with replica.engine.connect() as connection:
        connection.execution_options(write=True)
        with connection.begin():
            later = set(
                connection.scalars(
                    select(OutboxEntry.row_id).where(OutboxEntry.seq > last_seq)
                ).all()
            )
            conflict_rows = _conflict_rows(outcomes, rows)
            if conflict_rows:
                connection.execute(insert(SyncConflict), conflict_rows)
            for name_table in in_fk_order(truth):
                fresh = [r for r in truth[name_table.name] if str(r["id"]) not in later]
                upsert(connection, name_table, fresh)
                changes |= changes_of(name_table.name, fresh)
            changes |= _drop_refused_inserts(connection, outcomes, rows, truth, later)
            outbox.remove_through(connection, last_seq)
    refused = sum(1 for o in outcomes if o.refused)
    return PushResult(
        pushed=len(outcomes) - refused,
        refused=refused,
        conflicts=sum(len(o.conflicts) for o in outcomes if not o.refused),
        changes=changes,
    )


def _conflict_rows(outcomes: list[Outcome], rows: list[Change]) -> list[dict[str, str | None]]:
    by_mutation: dict[str, list[Change]] = defaultdict(list)
    for row in rows:
        by_mutation[row.mutation_id].append(row)
    result: list[dict[str, str | None]] = []  # sync_conflicts rows to insert
    for outcome in outcomes:
        if outcome.refused:
            mutation = by_mutation.get(outcome.mutation_id, [])
            head = mutation[0] if mutation else None
            result.append(
                {
                    "kind": "refused",
                    "mutation_id": outcome.mutation_id,
                    "table_name": head.table if head else "",
                    "row_id": head.row_id if head else "",
                    "field": None,
                    "base_value": None,
                    "local_value": dumps(
                        [
                            {
                                "table": r.table,
                                "row_id": r.row_id,
                                "action": r.action,
                                "changes": r.changes,
                            }
                            for r in mutation
                        ]
                    ),
                    "server_value": None,
                    "reason": outcome.refused,
                }
            )
            continue
        for conflict in outcome.conflicts:
            result.append(
                {
                    "kind": "field",
                    "mutation_id": outcome.mutation_id,
                    "table_name": conflict["table"],
                    "row_id": conflict["row_id"],
                    "field": conflict["field"],
                    "base_value": dumps(conflict["before"]),
                    "local_value": dumps(conflict["local"]),
                    "server_value": dumps(conflict["server"]),
                    "reason": "campo modificato anche da un'altra postazione",
                }
            )
    return result


def _drop_refused_inserts(
    connection: Connection,
    outcomes: list[Outcome],
    rows: list[Change],
    truth: dict[str, list[Any]],
    later: set[str],
) -> Changes:
    """A refused insert exists only here: the replica shows the server's truth (no row);
    the user's data stays in the conflict list."""
    refused = {o.mutation_id for o in outcomes if o.refused}
    on_server = {str(r["id"]) for found in truth.values() for r in found}
    doomed: dict[str, list[uuid.UUID]] = defaultdict(list)
    for row in rows:
        if (
            row.mutation_id in refused
            and row.action == "insert"
            and row.row_id not in on_server
            and row.row_id not in later
        ):
            doomed[row.table].append(uuid.UUID(row.row_id))
    changes = Changes()
    for name_table in reversed(in_fk_order(doomed)):
        delete_rows(connection, name_table, doomed[name_table.name])
        if name_table.name == "dossiers":
            changes |= Changes.of(Changed.DOSSIER)
    return changes
