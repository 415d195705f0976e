"""Edits made on two workstations before either syncs: merged, or kept as conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from models.dossiers import DossierEvent
from models.services.conflicts import list_conflicts, resolve_conflict
from models.services.lookup import get_dossier
from models.services.registration import register_dossier, update_dossier
from models.services.workflow import advance
from tests.conftest import Clock
from tests.sync_support import (
    MemoryKeyring,
    SharedServer,
    Station,
    station,
)
from tests.test_sync_roundtrip import PERSON

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]


def _register(where: Station) -> str:
    with where.replica.unit_of_work(where.user, write=True) as uow:
        registered = register_dossier(uow, "NO_LAVORO", PERSON)
        uow.commit()
    assert where.engine.sync_once().pushed == 1
    return str(registered.dossier_id)


def _edit(where: Station, ref: str, **values: str) -> None:
    with where.replica.unit_of_work(where.user, write=True) as uow:
        update_dossier(uow, ref, values)
        uow.commit()


def _field(where: Station, ref: str, name: str) -> object:
    with where.replica.unit_of_work(where.user) as uow:
        return getattr(get_dossier(uow, ref), name)


def _server_field(shared: SharedServer, ref: str, name: str) -> object:
    with shared.engine().connect() as connection:
        return connection.execute(
            text(f"SELECT {name} FROM dossiers WHERE id = :id"), {"id": ref}
        ).scalar()


@pytest.fixture
def offices(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> Iterator[tuple[Station, Station, Station]]:
    made = (
        station(shared, "rossi", tmp_path / "rossi", clock),
        station(shared, "gialli", tmp_path / "gialli", clock),
        station(shared, "bianchi", tmp_path / "bianchi", clock),
    )
    yield made
    for each in made:
        each.close()


def test_different_fields_edited_in_two_offices_merge(
    shared: SharedServer, offices: tuple[Station, Station, Station]
) -> None:
    sui, _other, questura = offices
    ref = _register(sui)
    questura.engine.sync_once()
    _edit(sui, ref, birth_place="Suceava")
    _edit(questura, ref, cui="AB12CD3")  # the CUI is the Questura's field
    assert sui.engine.sync_once().conflicts == 0
    result = questura.engine.sync_once()
    assert (result.pushed, result.conflicts, result.refused) == (1, 0, 0)
    sui.engine.sync_once()
    for where in (sui, questura):
        assert _field(where, ref, "birth_place") == "Suceava"
        assert _field(where, ref, "cui") == "AB12CD3"
    assert _server_field(shared, ref, "birth_place") == "Suceava"


def test_same_field_edited_twice_becomes_a_conflict_with_both_values(
    shared: SharedServer, offices: tuple[Station, Station, Station]
) -> None:
    first, second, _questura = offices
    ref = _register(first)
    second.engine.sync_once()
    _edit(first, ref, birth_place="Suceava")
    _edit(second, ref, birth_place="Iași")
    first.engine.sync_once()
    result = second.engine.sync_once()
    assert (result.conflicts, result.queued) == (1, 0)
    # Never silently overwritten: the server keeps the first value, the second is kept aside.
    assert _server_field(shared, ref, "birth_place") == "Suceava"
    assert _field(second, ref, "birth_place") == "Suceava"
    with second.replica.unit_of_work(second.user) as uow:
        [conflict] = list_conflicts(uow)
    assert (conflict.field, conflict.local, conflict.server) == ("birth_place", "Iași", "Suceava")
    assert conflict.reference is not None

    with second.replica.unit_of_work(second.user, write=True) as uow:
        resolve_conflict(uow, conflict.id, "local")
        uow.commit()
    assert _field(second, ref, "birth_place") == "Iași"
    assert second.engine.sync_once().pushed == 1
    first.engine.sync_once()
    assert _field(first, ref, "birth_place") == "Iași"
    assert _server_field(shared, ref, "birth_place") == "Iași"
    with second.replica.unit_of_work(second.user) as uow:
        assert list_conflicts(uow) == []
        assert len(list_conflicts(uow, include_resolved=True)) == 1


def test_keep_server_closes_the_conflict_and_changes_nothing(
    shared: SharedServer, offices: tuple[Station, Station, Station]
) -> None:
    first, second, _questura = offices
    ref = _register(first)
    second.engine.sync_once()
    _edit(first, ref, employer_pec="a@pec.it")
    _edit(second, ref, employer_pec="b@pec.it")
    first.engine.sync_once()
    second.engine.sync_once()
    with second.replica.unit_of_work(second.user, write=True) as uow:
        [conflict] = list_conflicts(uow)
        resolve_conflict(uow, conflict.id, "server")
        uow.commit()
    assert second.engine.queued() == 0
    assert _field(second, ref, "employer_pec") == "a@pec.it"


def test_a_transition_from_a_stale_state_is_refused_and_listed(
    shared: SharedServer, offices: tuple[Station, Station, Station], clock: Clock
) -> None:
    first, second, _questura = offices
    ref = _register(first)
    with first.replica.unit_of_work(first.user, write=True) as uow:
        advance(uow, ref, "in_istruttoria", clock.today)
        uow.commit()
    first.engine.sync_once()
    second.engine.sync_once()
    with first.replica.unit_of_work(first.user, write=True) as uow:
        advance(uow, ref, "convocata", clock.today)
        uow.commit()
    with second.replica.unit_of_work(second.user, write=True) as uow:
        advance(uow, ref, "parere_richiesto", clock.today)
        uow.commit()
    first.engine.sync_once()
    result = second.engine.sync_once()
    assert (result.refused, result.pushed, result.queued) == (1, 0, 0)
    assert _server_field(shared, ref, "state") == "convocata"
    assert _field(second, ref, "state") == "convocata"  # the replica shows the server's truth
    with second.replica.unit_of_work(second.user) as uow:
        [refusal] = list_conflicts(uow)
        events = uow.session.scalar(
            select(func.count())
            .select_from(DossierEvent)
            .where(DossierEvent.to_state == "parere_richiesto")
        )
    assert refusal.kind == "refused" and "convocata" in refusal.reason
    assert events == 0
    with shared.engine().connect() as connection:
        parere_events = connection.execute(
            text("SELECT count(*) FROM dossier_events WHERE to_state = 'parere_richiesto'")
        ).scalar()
    assert parere_events == 0


def test_the_server_refuses_a_field_of_the_other_office_and_takes_the_rest(
    shared: SharedServer,
    offices: tuple[Station, Station, Station],
    caplog: pytest.LogCaptureFixture,
) -> None:
    sui, _other, questura = offices
    ref = _register(sui)
    questura.engine.sync_once()
    _edit(questura, ref, cui="QQ11RR2")
    with questura.replica.unit_of_work(questura.user, write=True) as uow:
        # Past the service layer, as a modified client could: the server still decides.
        get_dossier(uow, ref).surname = "Falsificato"
        uow.commit()
    with caplog.at_level("INFO", logger="raccordo.sync"):
        caplog.clear()
        result = questura.engine.sync_once()
    assert (result.pushed, result.refused) == (1, 1)
    assert "mutation by mutation" in caplog.text
    assert _server_field(shared, ref, "cui") == "QQ11RR2"
    assert _server_field(shared, ref, "surname") == "Țurcanu"
    assert _field(questura, ref, "surname") == "Țurcanu"  # the server's truth again
    with questura.replica.unit_of_work(questura.user) as uow:
        [refusal] = list_conflicts(uow)
    assert refusal.kind == "refused" and "Falsificato" in refusal.summary + str(refusal.local)


def test_a_batch_of_plain_edits_goes_in_one_savepoint(
    shared: SharedServer,
    offices: tuple[Station, Station, Station],
    caplog: pytest.LogCaptureFixture,
) -> None:
    sui, other, _questura = offices
    with caplog.at_level("INFO", logger="raccordo.sync"):
        refs = [_register(sui) for _ in range(3)]  # a registration: dossier and history
    assert "mutation by mutation" not in caplog.text
    for index, ref in enumerate(refs):
        _edit(sui, ref, employer_pec=f"n{index}@pec.it")
    with caplog.at_level("INFO", logger="raccordo.sync"):
        caplog.clear()
        result = sui.engine.sync_once()
    assert (result.pushed, result.refused, result.queued) == (3, 0, 0)
    assert "mutation by mutation" not in caplog.text
    other.engine.sync_once()
    assert [_field(other, ref, "employer_pec") for ref in refs] == [
        "n0@pec.it",
        "n1@pec.it",
        "n2@pec.it",
    ]


def test_conflicts_from_the_command_line(
    shared: SharedServer,
    offices: tuple[Station, Station, Station],
    capsys: pytest.CaptureFixture[str],
    clock: Clock,
) -> None:
    import json

    from desktop.cli.main import main

    # The command line dates what it records by the real calendar; the stations must too,
    # or the server refuses a push that computes the term on a day before its history.
    clock.today = date.today()
    first, second, _questura = offices
    ref = _register(first)
    second.engine.sync_once()
    _edit(first, ref, birth_place="Suceava")
    _edit(second, ref, birth_place="Iași")
    first.engine.sync_once()
    second.engine.sync_once()
    capsys.readouterr()
    assert main(["--home", str(second.home), "conflicts", "list"]) == 0
    table = capsys.readouterr().out
    assert "Luogo di nascita: qui «Iași», sul server «Suceava»" in table
    assert main(["--home", str(second.home), "conflicts", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["local"], listed["server"]) == ("Iași", "Suceava")
    assert main(["--home", str(second.home), "conflicts", "resolve", str(listed["id"]),
                 "--keep", "local"]) == 0  # fmt: skip
    assert "in coda" in capsys.readouterr().out
    assert main(["--home", str(second.home), "conflicts", "resolve", str(listed["id"]),
                 "--keep", "server"]) == 1  # fmt: skip
    assert "già risolto" in capsys.readouterr().err
    assert second.engine.sync_once().pushed == 1
    assert _server_field(shared, ref, "birth_place") == "Iași"
