"""A registration is written with one insert per table (``models.bulk``), not through an
ORM flush: what it leaves behind must be what a flush of the same dossier leaves — the
rows, the audit entries (in a chain that verifies), the search index, a replica's outbox."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from models import audit
from models.dossiers import Dossier, DossierEvent
from models.protocol import next_protocol_number
from models.read.filters import DossierFilter
from models.registry import AuditEntry
from models.services import registration
from models.services.queries import list_dossiers
from models.services.registration import NewDossier, check_registrations, write_registrations
from models.sync_tables import OutboxEntry
from models.uow import Database
from sync.outbox import install as install_outbox
from tests.conftest import Clock
from tests.factories import WORKER

VARYING = re.compile(
    r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"  # ids
    r"|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?"  # moments
)


def _plain(value: Any) -> Any:
    """Ids and moments blanked, and what tells the two registrations apart (their
    application codes, protocol numbers, search keys)."""
    text = VARYING.sub("·", json.dumps(value, sort_keys=True, default=str))
    plain = json.loads(re.sub(r"(ORM|BULK)-1", "·", text, flags=re.IGNORECASE))
    for name in ("protocol_number", "search_key"):
        plain.pop(name, None)
    return plain


def _register_both(database: Database) -> tuple[list[Any], list[Any]]:
    """The same dossier twice in one unit of work: once added to the session and flushed,
    once written by ``write_registrations``; their ids, in that order."""
    with database.unit_of_work("rossi", write=True) as uow:
        checked = check_registrations(
            uow,
            [
                NewDossier("NO_LAVORO", {**WORKER, "application_code": "ORM-1"}),
                NewDossier("NO_LAVORO", {**WORKER, "application_code": "BULK-1"}),
            ],
        )
        first, second = checked.items
        assert not isinstance(first, Exception) and not isinstance(second, Exception)
        entered_at = datetime.now(UTC).replace(microsecond=0)
        flushed = registration._new_dossier(uow, first, entered_at)
        if not database.is_replica:
            flushed.protocol_number = next_protocol_number(
                uow.session, first.office.id, uow.today.year
            )
            flushed.search_key = registration.search_key(flushed)
        uow.session.add(flushed)
        uow.session.flush()
        written = write_registrations(uow, registration.CheckedBatch([second]))[0]
        uow.commit()
    return [flushed.id, flushed.events[0].id], [written.dossier_id, None]


def _rows(database: Database, dossier_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    with database.engine.connect() as connection:
        dossier = connection.execute(
            select(Dossier.__table__).where(Dossier.__table__.c.id == dossier_id)
        ).one()
        event = connection.execute(
            select(DossierEvent.__table__).where(DossierEvent.__table__.c.dossier_id == dossier_id)
        ).one()
    return dict(dossier._mapping), dict(event._mapping)


def test_a_registration_writes_what_a_flush_would(db: Database) -> None:
    (orm_id, _), (bulk_id, _) = _register_both(db)
    orm_rows, bulk_rows = _rows(db, orm_id), _rows(db, bulk_id)
    assert [_plain(r) for r in orm_rows] == [_plain(r) for r in bulk_rows]
    assert bulk_rows[0]["protocol_number"] == 2  # numbered after the flushed one
    with db.sessions() as session:
        entries = {
            (e.row_id, e.table_name): e
            for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "insert"))
        }
        check = audit.verify(session)
    with db.unit_of_work("rossi") as uow:
        found = list_dossiers(uow, DossierFilter(search="turcanu"), limit=None)
    assert check.ok, check.problems
    for table, orm_row, bulk_row in zip(
        ("dossiers", "dossier_events"), orm_rows, bulk_rows, strict=True
    ):
        orm_entry = entries[(str(orm_row["id"]), table)]
        bulk_entry = entries[(str(bulk_row["id"]), table)]
        assert _plain(json.loads(orm_entry.changes)) == _plain(json.loads(bulk_entry.changes))
        assert (orm_entry.actor, orm_entry.restricted, orm_entry.hash_version) == (
            bulk_entry.actor,
            bulk_entry.restricted,
            bulk_entry.hash_version,
        )
    assert {r.id for r in found} == {orm_id, bulk_id}  # the search index has both


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_on_a_replica_the_outbox_queues_what_a_flush_would(db: Database, clock: Clock) -> None:
    replica = Database(db.engine, clock, role="replica", outbox=install_outbox)
    (orm_id, orm_event), (bulk_id, _) = _register_both(replica)
    bulk_event = _rows(db, bulk_id)[1]["id"]
    with db.sessions() as session:
        queued = {e.row_id: e for e in session.scalars(select(OutboxEntry))}
    assert len({e.mutation_id for e in queued.values()}) == 1  # one local transaction
    for orm_row, bulk_row in ((orm_id, bulk_id), (orm_event, bulk_event)):
        orm_entry, bulk_entry = queued[str(orm_row)], queued[str(bulk_row)]
        assert (orm_entry.table_name, orm_entry.action, orm_entry.base_version) == (
            bulk_entry.table_name,
            bulk_entry.action,
            bulk_entry.base_version,
        )
        assert _plain(json.loads(orm_entry.changes)) == _plain(json.loads(bulk_entry.changes))
