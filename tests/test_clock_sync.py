"""The applicant's observations recorded on a workstation reach the shared server, whose
clock counts them in every later push too."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models.deadlines import refresh_derived
from models.dossiers import Dossier
from models.enums import EventKind
from models.services.observations import record_observations
from models.services.registration import register_dossier
from models.services.workflow import advance
from models.uow import UnitOfWork
from tests.conftest import Clock
from tests.sync_support import MemoryKeyring, SharedServer, station

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]

PERSON = {
    "surname": "Okafor",
    "given_names": "Chiamaka",
    "birth_date": "1994-05-12",
    "nationality": "NGA",
    "filed_on": "2026-11-02",
}


def test_observations_sync_and_keep_counting_on_the_server(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)

    def day(edit: Callable[[UnitOfWork], object]) -> None:
        with sui.replica.unit_of_work(sui.user, write=True) as uow:
            edit(uow)
            uow.commit()
        clock.today += timedelta(days=1)

    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        ref = str(register_dossier(uow, "CONVERSIONE", PERSON).dossier_id)
        uow.commit()
    day(lambda uow: advance(uow, ref, "in_istruttoria", clock.today))
    notice = clock.today
    day(lambda uow: advance(uow, ref, "preavviso_rigetto", clock.today))
    sui.engine.sync_once()
    answered = clock.today
    day(lambda uow: record_observations(uow, ref, clock.today, "memoria"))
    assert sui.engine.sync_once().pushed == 1
    # A later push (the file back in istruttoria) must still count the observations.
    day(lambda uow: advance(uow, ref, "in_istruttoria", clock.today))
    assert sui.engine.sync_once().pushed == 1

    expected = (answered + timedelta(days=10) - notice).days  # 10 days after them
    engine = shared.engine()
    with Session(engine) as session:
        dossier = session.get_one(Dossier, uuid.UUID(ref))
        assert [e.kind for e in dossier.events].count(EventKind.OBSERVATIONS.value) == 1
        stored = (dossier.deadline, dossier.suspended_days, dossier.clock_state)
        reading = refresh_derived(session, dossier, clock.today)
        assert stored == (reading.deadline, expected, reading.status.value)
    engine.dispose()
    with sui.replica.unit_of_work(sui.user) as uow:
        local = uow.session.get_one(Dossier, uuid.UUID(ref))
        assert (local.deadline, local.suspended_days) == stored[:2]
    sui.close()
