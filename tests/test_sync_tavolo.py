"""The tavolo on connected workstations: a head prepares and holds the meeting on one, a
clerk proposes an item on another, offline; their changes merge like other additions and
the server keeps the closed meeting sealed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models.meetings import AgendaItem, OutcomeKind
from models.services.tavolo import seal
from models.services.tavolo.meetings import add_item, close_meeting, create_meeting, start_meeting
from models.services.tavolo.outcomes import OutcomeRequest, record_outcome
from tests.conftest import Clock
from tests.sync_support import MemoryKeyring, SharedServer, add_login, station, unique

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]


def test_a_meeting_prepared_and_held_on_two_workstations(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    shared.users["verdi"] = unique("verdi")
    add_login(shared.admin_url, shared.users["verdi"], "LO-SUI", "head", True)
    head = station(shared, "verdi", tmp_path / "verdi", clock)
    clerk = station(shared, "rossi", tmp_path / "rossi", clock)
    try:
        with head.replica.unit_of_work(head.user, write=True) as uow:
            create_meeting(uow, clock.today + timedelta(days=3), "Prefettura", every_weeks=2)
            add_item(uow, 1, topic="Modulistica")
            uow.commit()
        assert head.engine.sync_once().refused == 0
        clerk.engine.sync_once()
        with clerk.replica.unit_of_work(clerk.user, write=True) as uow:  # offline
            add_item(uow, 1, topic="Orari dello sportello")
            uow.commit()
        assert clerk.engine.sync_once().refused == 0
        head.engine.sync_once()
        with head.replica.unit_of_work(head.user, write=True) as uow:
            topics = {i.topic: i.id.hex for i in uow.session.scalars(select(AgendaItem))}
            assert set(topics) == {"Modulistica", "Orari dello sportello"}
        for step in (
            lambda uow: start_meeting(uow, 1),
            lambda uow: record_outcome(
                uow, topics["Modulistica"], OutcomeRequest(OutcomeKind.DECISIONE, "Nuovo modulo")
            ),
            lambda uow: close_meeting(uow, 1),
        ):  # one commit each, as the desktop client and the command line make them
            with head.replica.unit_of_work(head.user, write=True) as uow:
                step(uow)
                uow.commit()
        result = head.engine.sync_once()
        from models.services.conflicts import list_conflicts

        with head.replica.unit_of_work(head.user) as uow:
            reasons = [c.reason for c in list_conflicts(uow)]
        assert result.refused == 0, reasons
        with Session(shared.engine()) as session:
            states = session.execute(text("SELECT number, state FROM meetings ORDER BY 1")).all()
            assert [tuple(row) for row in states] == [(1, "chiusa"), (2, "in_preparazione")]
            check = seal.verify(session)
            assert (check.ok, check.meetings) == (True, 1), check.problems
            carried = session.execute(
                text("SELECT topic FROM agenda_items WHERE carried_from_id IS NOT NULL")
            ).scalars()
            assert list(carried) == ["Orari dello sportello"]
    finally:
        head.close()
        clerk.close()
