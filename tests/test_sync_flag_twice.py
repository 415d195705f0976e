"""A pending item resolved on two workstations before either syncs is resolved once: the
second resolution is refused as a whole, so the history does not say it twice (found by
the chaos run, scripts/chaos_sync.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from models.dossiers import Flag
from models.services.conflicts import list_conflicts
from models.services.flags import raise_flag, resolve_flag
from tests.conftest import Clock
from tests.sync_support import MemoryKeyring, SharedServer, Station, station
from tests.test_sync_conflicts import _register

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]


def _resolve(where: Station, number: int, note: str, clock: Clock) -> None:
    with where.replica.unit_of_work(where.user, write=True) as uow:
        resolve_flag(uow, str(number), clock.today, note)
        uow.commit()


def test_a_pending_item_resolved_on_two_workstations_is_resolved_once(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    first = station(shared, "rossi", tmp_path / "rossi", clock)
    second = station(shared, "gialli", tmp_path / "gialli", clock)
    ref = _register(first)
    with first.replica.unit_of_work(first.user, write=True) as uow:
        raise_flag(uow, ref, "documenti_mancanti", "Manca il contratto", False, clock.today)
        uow.commit()
    first.engine.sync_once()
    second.engine.sync_once()
    with second.replica.sessions() as session:
        number = session.scalars(select(Flag.number)).one()

    _resolve(first, number, "arrivato per PEC", clock)
    _resolve(second, number, "consegnato allo sportello", clock)
    first.engine.sync_once()
    result = second.engine.sync_once()

    assert (result.refused, result.pushed, result.queued) == (1, 0, 0)
    with shared.engine().connect() as connection:
        resolved_events = connection.execute(
            text("SELECT count(*) FROM dossier_events WHERE kind = 'flag_resolved'")
        ).scalar()
        note = connection.execute(text("SELECT resolution_note FROM flags")).scalar()
    assert (resolved_events, note) == (1, "arrivato per PEC")
    with second.replica.unit_of_work(second.user) as uow:
        [refusal] = list_conflicts(uow)
        shown = uow.session.scalars(select(Flag.resolution_note)).one()
    assert refusal.kind == "refused" and "già risolta" in (refusal.reason or "")
    assert shown == "arrivato per PEC"  # the replica shows the server's resolution
    first.close()
    second.close()
