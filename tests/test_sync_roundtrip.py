"""Two workstations share a server: edits travel both ways, conflicts are kept."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from models.services.lookup import get_dossier
from models.services.registration import register_dossier
from tests.conftest import Clock
from tests.sync_support import (
    MemoryKeyring,
    SharedServer,
    station,
)

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]

PERSON = {
    "surname": "Țurcanu",
    "given_names": "Ștefan",
    "birth_date": "1990-03-04",
    "nationality": "ROU",
    "employer_name": "Cascina Bassiana srl",
    "employer_fiscal_code": "00743110157",
    "filed_on": "2026-11-20",
    "quota_assigned_on": "2026-11-21",
}


def test_round_trip_between_two_workstations(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        registered = register_dossier(uow, "NO_LAVORO", PERSON)
        uow.commit()
    assert registered.reference.startswith("PROVV-")
    assert sui.engine.queued() == 1

    first = sui.engine.sync_once()
    assert (first.online, first.pushed, first.refused, first.queued) == (True, 1, 0, 0)
    pulled = questura.engine.sync_once()
    assert pulled.pulled >= 2 and registered.dossier_id in pulled.changes.dossier_ids

    with questura.replica.unit_of_work(questura.user) as uow:
        seen = get_dossier(uow, str(registered.dossier_id)).protocol
    assert seen is not None and seen.startswith("LO-SUI/")
    with sui.replica.unit_of_work(sui.user) as uow:
        assert get_dossier(uow, seen).protocol == seen
    sui.close()
    questura.close()


def test_a_pending_item_raised_on_a_replica_gets_the_servers_number(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    from models.services.flags import raise_flag

    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        ref = str(register_dossier(uow, "NO_LAVORO", PERSON).dossier_id)
        uow.commit()
    sui.engine.sync_once()
    questura.engine.sync_once()
    with questura.replica.unit_of_work(questura.user, write=True) as uow:
        raise_flag(uow, ref, "verifica_identita", "Passaporto", False, clock.today)
        uow.commit()
    assert questura.engine.sync_once().pushed == 1
    sui.engine.sync_once()
    with shared.engine().connect() as connection:
        number = connection.execute(text("SELECT number FROM flags")).scalar_one()
    for where in (sui, questura):
        with where.replica.unit_of_work(where.user) as uow:
            dossier = get_dossier(uow, ref, with_history=True)
            assert [f.number for f in dossier.flags] == [number]
            assert dossier.open_flags == 1
            [note] = [e.note for e in dossier.events if e.kind == "flag_raised"]
            assert note.startswith(f"#{number} ")
    sui.close()
    questura.close()


def test_wake_interrupts_a_wait_at_once(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    assert sui.engine.wait_for_change(0.3) is False
    timer = threading.Timer(0.2, sui.engine.wake)
    timer.start()
    started = time.monotonic()
    assert sui.engine.wait_for_change(20) is True
    assert time.monotonic() - started < 2
    sui.close()


def test_a_dossier_registered_and_moved_offline_arrives_whole_in_one_push(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from models.services.workflow import advance
    from models.text import fold

    sui = station(shared, "rossi", tmp_path / "sui", clock)
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        ref = str(register_dossier(uow, "NO_LAVORO", PERSON).dossier_id)
        uow.commit()
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        advance(uow, ref, "in_istruttoria", clock.today)
        uow.commit()
    assert sui.engine.queued() == 2
    with caplog.at_level("INFO", logger="raccordo.sync"):
        caplog.clear()
        result = sui.engine.sync_once()
    assert (result.pushed, result.refused, result.queued) == (2, 0, 0)
    assert "mutation by mutation" not in caplog.text
    with shared.engine().connect() as connection:
        state, protocol = connection.execute(
            text("SELECT state, protocol_number FROM dossiers WHERE id = :i"), {"i": ref}
        ).one()
        events = connection.execute(
            text("SELECT count(*) FROM dossier_events WHERE dossier_id = :i"), {"i": ref}
        ).scalar_one()
    assert (state, events) == ("in_istruttoria", 2) and protocol is not None
    with sui.replica.unit_of_work(sui.user) as uow:
        dossier = get_dossier(uow, ref)
        assert dossier.protocol is not None and dossier.state == "in_istruttoria"
        assert fold(dossier.protocol) in dossier.search_key  # findable by its protocol
    sui.close()


def test_a_batch_recomputes_the_clock_as_a_full_reload_would(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The one-savepoint push loads only what the clock reads (state events, flags): the
    derived columns it writes are those a full reload of the dossier gives."""
    from collections.abc import Callable
    from datetime import timedelta

    from sqlalchemy.orm import Session

    from models.deadlines import refresh_derived
    from models.dossiers import Dossier
    from models.services.flags import raise_flag
    from models.services.registration import search_key, update_dossier
    from models.services.workflow import advance
    from models.uow import UnitOfWork

    sui = station(shared, "rossi", tmp_path / "sui", clock)

    def day(edit: Callable[[UnitOfWork], object]) -> None:
        with sui.replica.unit_of_work(sui.user, write=True) as uow:
            edit(uow)
            uow.commit()
        clock.today += timedelta(days=1)

    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        ref = str(register_dossier(uow, "NO_LAVORO", PERSON).dossier_id)
        uow.commit()
    # Already on the server: events without a state, a suspension in the past.
    day(lambda uow: update_dossier(uow, ref, {"employer_pec": "prima@pec.it"}))
    day(lambda uow: advance(uow, ref, "in_istruttoria", clock.today))
    day(lambda uow: advance(uow, ref, "integrazione_richiesta", clock.today))
    day(lambda uow: advance(uow, ref, "in_istruttoria", clock.today))
    sui.engine.sync_once()
    # One push, one transition at most (two in a push go mutation by mutation).
    day(lambda uow: update_dossier(uow, ref, {"surname": "Turcanu-Popa"}))
    day(lambda uow: raise_flag(uow, ref, "verifica_identita", "Passaporto", True, clock.today))
    day(lambda uow: advance(uow, ref, "integrazione_richiesta", clock.today))
    day(lambda uow: update_dossier(uow, ref, {"employer_pec": "dopo@pec.it"}))
    with caplog.at_level("INFO", logger="raccordo.sync"):
        caplog.clear()
        assert sui.engine.sync_once().pushed == 4
    assert "mutation by mutation" not in caplog.text
    derived = (
        "search_key", "deadline", "clock_state", "suspended_days", "open_flags", "closed_on",
        "holder", "holder_office_id", "held_sui_days", "held_questura_days",
        "held_applicant_days",
    )  # fmt: skip
    engine = shared.engine()
    with Session(engine) as session:
        dossier = session.get_one(Dossier, uuid.UUID(ref))
        pushed = {name: getattr(dossier, name) for name in derived}
        dossier.search_key = search_key(dossier)
        refresh_derived(session, dossier, clock.today)
        assert pushed == {name: getattr(dossier, name) for name in derived}
        # The first integrazione used the one suspension the law allows (art. 2 c. 7):
        # the item and the second integrazione suspend nothing.
        assert (pushed["clock_state"], pushed["open_flags"]) == ("runs", 1)
        assert (pushed["holder"], pushed["suspended_days"]) == ("applicant", 1)
        assert "turcanu-popa" in pushed["search_key"]
    engine.dispose()
    sui.close()
