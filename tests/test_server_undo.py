"""The undo of the last move on the shared server: the compensating event passes the
server's checks when honest (the service layer under a login role, and through a push),
and is refused when forged by direct SQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from models.db import make_engine
from models.services.registration import register_dossier
from models.services.undo import undo_last_move
from models.services.workflow import advance
from models.uow import Database
from tests.conftest import Clock
from tests.server_support import Server, advance_as, register_as
from tests.sync_support import MemoryKeyring, SharedServer, station
from tests.test_server_facts import event, refused_transaction, rows, staff_id, transaction
from tests.test_server_security import one

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]

ON = date(2026, 9, 2)
FACTS = "SELECT state, holder, closed_on, clock_state, deadline FROM dossiers WHERE id = %s"


@pytest.fixture
def as_login(server: Server) -> Iterator[Any]:
    engines: list[Any] = []

    def service(who: str) -> tuple[Database, str]:
        engine = make_engine(server.url_as(server.people[who]))
        engines.append(engine)
        return Database(engine, Clock()), server.people[who]

    yield service
    for engine in engines:
        engine.dispose()


def test_an_honest_undo_passes_the_servers_checks(server: Server, as_login: Any) -> None:
    twin = register_as(server, "rossi")  # never moved: the oracle of the undone dossier
    dossier = register_as(server, "rossi")
    database, rossi = as_login("rossi")
    with database.unit_of_work(rossi, write=True) as uow:
        advance(uow, dossier, "in_istruttoria", ON)
        advance(uow, dossier, "archiviata", ON)
        uow.commit()
    assert rows(server, FACTS, dossier)[0][2] == ON  # closed
    with database.unit_of_work(rossi, write=True) as uow:
        undo_last_move(uow, dossier)
        uow.commit()
    state, holder, closed, clock_state, deadline = rows(server, FACTS, dossier)[0]
    assert (state, holder, closed, clock_state) == ("in_istruttoria", "sui", None, "runs")
    assert deadline == rows(server, FACTS, twin)[0][4]
    kinds = rows(
        server, "SELECT kind FROM dossier_events WHERE dossier_id = %s ORDER BY seq", dossier
    )
    assert [k for (k,) in kinds] == ["registered", "transition", "transition", "undone"]


def test_an_honest_undo_of_a_parere_request_withdraws_it(server: Server, as_login: Any) -> None:
    dossier = register_as(server, "rossi")
    database, rossi = as_login("rossi")
    with database.unit_of_work(rossi, write=True) as uow:
        advance(uow, dossier, "in_istruttoria", ON)
        advance(uow, dossier, "parere_richiesto", ON)
        uow.commit()
    with database.unit_of_work(rossi, write=True) as uow:
        undo_last_move(uow, dossier)
        uow.commit()
    assert rows(server, FACTS, dossier)[0][:2] == ("in_istruttoria", "sui")
    open_requests = "SELECT count(*) FROM pareri WHERE dossier_id = %s AND deleted_at IS NULL"
    assert one(server, "rossi", open_requests, dossier) == 0


def undo_row(server: Server, dossier: str, moves: tuple[str, str], who: str) -> Any:
    return event(dossier, "undone", moves, ON, staff_id(server, who))


def test_a_forged_undo_is_refused(server: Server) -> None:
    dossier = register_as(server, "rossi")
    advance_as(server, "rossi", dossier, "in_istruttoria")
    back = ("in_istruttoria", "presentata")
    to_state = ("UPDATE dossiers SET state = 'presentata' WHERE id = %s", (dossier,))
    # The other office cannot undo the clerk's move…
    message = refused_transaction(server, "bianchi", undo_row(server, dossier, back, "bianchi"))
    assert "spetta" in message or "annulla" in message
    # …nor a move that is not the last one, nor to a state the move did not leave.
    sideways = undo_row(server, dossier, ("in_istruttoria", "archiviata"), "rossi")
    assert "ultimo passaggio" in refused_transaction(server, "rossi", sideways, to_state)
    # A state taken back without the undo in the history is refused at commit.
    assert "cronologia" in refused_transaction(server, "rossi", to_state)
    assert rows(server, FACTS, dossier)[0][0] == "in_istruttoria"


def test_an_undo_by_direct_sql_in_the_callers_name_goes_through(server: Server) -> None:
    dossier = register_as(server, "rossi")
    advance_as(server, "rossi", dossier, "in_istruttoria")
    transaction(
        server,
        "rossi",
        undo_row(server, dossier, ("in_istruttoria", "presentata"), "rossi"),
        ("UPDATE dossiers SET state = 'presentata' WHERE id = %s", (dossier,)),
    )
    assert rows(server, FACTS, dossier)[0][0] == "presentata"


def test_an_undo_reaches_the_server_through_a_push(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    person = {
        "surname": "Țurcanu",
        "given_names": "Ștefan",
        "birth_date": "1990-03-04",
        "nationality": "ROU",
        "employer_name": "Cascina Bassiana srl",
        "employer_fiscal_code": "00743110157",
        "filed_on": "2026-11-10",
        "quota_assigned_on": "2026-11-11",
    }
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        dossier = str(register_dossier(uow, "NO_LAVORO", person).dossier_id)
        uow.commit()
    for step in (
        lambda uow: advance(uow, dossier, "in_istruttoria", date(2026, 11, 12)),
        lambda uow: advance(uow, dossier, "parere_richiesto", date(2026, 11, 13)),
        lambda uow: undo_last_move(uow, dossier),
    ):
        with sui.replica.unit_of_work(sui.user, write=True) as uow:
            step(uow)
            uow.commit()
    pushed = sui.engine.sync_once()
    assert (pushed.refused, pushed.conflicts, pushed.queued, pushed.error) == (0, 0, 0, None)
    with shared.engine().connect() as connection:
        state, holder = connection.execute(
            text("SELECT state, holder FROM dossiers WHERE id = :id"), {"id": dossier}
        ).one()
        kinds = connection.execute(
            text("SELECT kind FROM dossier_events WHERE dossier_id = :id ORDER BY seq"),
            {"id": dossier},
        ).scalars()
        assert (state, holder) == ("in_istruttoria", "sui")
        assert list(kinds) == ["registered", "transition", "transition", "undone"]
    sui.close()
