"""Nobody rewrites the other office's facts: history, pareri, pending items and documents
are written in the caller's own name (the server sets it), never rewritten, and the
columns derived from them follow them. Tried with direct SQL under each person's own
login role, as anyone with the same credentials could."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from models.db import make_engine
from models.services.flags import raise_flag, resolve_flag
from models.services.registration import register_dossier, update_dossier
from models.services.workflow import advance, record_parere
from models.uow import Database
from tests.conftest import Clock
from tests.server_support import Server, advance_as, raise_flag_as, register_as
from tests.sync_support import MemoryKeyring, SharedServer, station
from tests.test_server_security import one, refused, write

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]

EVENT = (
    "INSERT INTO dossier_events (id, version, dossier_id, seq, kind, from_state, to_state,"
    " actor_id, office_id, effective_on, note) VALUES (gen_random_uuid(), 1, %s, %s, %s, %s,"
    " %s, %s, %s, %s, 'nota') RETURNING id"
)
DERIVED = "SELECT deadline, closed_on, holder, clock_state FROM dossiers WHERE id = %s"


@pytest.fixture
def as_login(server: Server) -> Iterator[Any]:
    """The service layer under a person's own login role (not the superuser)."""
    engines: list[Any] = []

    def service(who: str) -> tuple[Database, str]:
        engine = make_engine(server.url_as(server.people[who]))
        engines.append(engine)
        return Database(engine, Clock()), server.people[who]

    yield service
    for engine in engines:
        engine.dispose()


def event(
    dossier: str,
    kind: str,
    moves: tuple[str | None, str | None],
    on: date,
    actor: Any = None,
    office: Any = None,
    seq: int = 0,
) -> tuple[str, tuple[Any, ...]]:
    """A history row as a client would insert it (``moves``: from and to state)."""
    return EVENT, (dossier, seq, kind, *moves, actor, office, on)


def staff_id(server: Server, who: str) -> Any:
    return one(server, who, "SELECT id FROM staff WHERE username = %s", server.people[who])


def office_id(server: Server, code: str) -> Any:
    return one(server, "rossi", "SELECT id FROM offices WHERE code = %s", code)


def transaction(server: Server, who: str, *statements: tuple[str, tuple[Any, ...]]) -> None:
    """Several statements, one commit; any refusal raises (psycopg.Error)."""
    with server.connect(who) as connection:
        for query, params in statements:
            connection.execute(query, params)
        connection.commit()


def refused_transaction(server: Server, who: str, *statements: tuple[str, tuple[Any, ...]]) -> str:
    with pytest.raises(psycopg.Error) as caught:
        transaction(server, who, *statements)
    return str(caught.value.diag.message_primary)


def rows(server: Server, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with server.connect("rossi") as connection:
        return connection.execute(query, params).fetchall()


def in_istruttoria(server: Server) -> str:
    dossier = register_as(server, "rossi")
    advance_as(server, "rossi", dossier, "in_istruttoria")
    return dossier


# -- forged history -------------------------------------------------------------------


def test_a_forged_suspension_is_refused_and_the_next_honest_save_keeps_the_deadline(
    server: Server, as_login: Any
) -> None:
    dossier = in_istruttoria(server)
    before = one(server, "rossi", "SELECT deadline FROM dossiers WHERE id = %s", dossier)
    forged = event(
        dossier, "transition", ("in_istruttoria", "integrazione_richiesta"), date(2026, 9, 3)
    )
    # The other office, with no actor and no office…
    assert "spetta allo Sportello Unico" in refused_transaction(server, "bianchi", forged)
    # …and the owning office itself, without the move the event claims.
    assert "cronologia" in refused_transaction(server, "rossi", forged)
    # A state carried by an event of another kind would feed the clock just the same.
    sideways = event(dossier, "updated", (None, "integrazione_richiesta"), date(2026, 9, 3))
    assert "passaggio di stato" in refused_transaction(server, "bianchi", sideways)
    database, rossi = as_login("rossi")
    with database.unit_of_work(rossi, write=True) as uow:
        update_dossier(uow, dossier, {"birth_place": "Bucarest"})
        uow.commit()
    assert one(server, "rossi", "SELECT deadline FROM dossiers WHERE id = %s", dossier) == before
    assert (
        one(
            server,
            "rossi",
            "SELECT count(*) FROM dossier_events WHERE dossier_id = %s"
            " AND to_state = 'integrazione_richiesta'",
            dossier,
        )
        == 0
    )


def test_events_are_written_in_the_callers_name_and_office_by_the_server(
    server: Server,
) -> None:
    dossier = register_as(server, "rossi")
    with server.connect("bianchi") as connection:
        row = connection.execute(
            *event(dossier, "printed", (None, None), date(2026, 9, 3), seq=-5)
        ).fetchone()
        connection.commit()
        assert row is not None
        actor, office, seq, entered = connection.execute(
            "SELECT actor_id, office_id, seq, entered_at > now() - interval '1 minute'"
            " FROM dossier_events WHERE id = %s",
            (row[0],),
        ).fetchone()  # type: ignore[misc]
    assert actor == staff_id(server, "bianchi")
    assert office == office_id(server, "LO-QUESTURA")
    assert seq == 1 and entered  # after the registration; the client's -5 ignored
    sui = office_id(server, "LO-SUI")
    for forged, reason in (
        (event(dossier, "printed", (None, None), date(2026, 9, 3), office=sui), "proprio ufficio"),
        # The applicant's observations on a preavviso move the clock: the lead office's.
        (event(dossier, "observations", (None, None), date(2026, 9, 3)), "Sportello Unico"),
        (event(dossier, "printed", (None, None), date(2099, 1, 1)), "nel futuro"),
        (
            event(dossier, "printed", (None, None), date(2026, 9, 3), staff_id(server, "rossi")),
            "proprio nome",
        ),
    ):
        assert reason in refused_transaction(server, "bianchi", forged)


@pytest.mark.parametrize("who", ["rossi", "bianchi", "capo"])
def test_history_is_insert_only_for_everyone(server: Server, who: str) -> None:
    dossier = in_istruttoria(server)
    for rewrite in (
        "UPDATE dossier_events SET note = 'riscritta' WHERE dossier_id = %s",
        "UPDATE dossier_events SET effective_on = '2026-08-01' WHERE dossier_id = %s"
        " AND kind = 'transition'",
        "UPDATE dossier_events SET seq = seq + 10 WHERE dossier_id = %s",
        "UPDATE dossier_events SET entered_at = now() - interval '1 year' WHERE dossier_id = %s",
    ):
        assert "non si riscrive" in refused(server, who, rewrite, dossier), rewrite


def test_a_move_is_recorded_in_the_name_of_the_office_its_workflow_names(server: Server) -> None:
    dossier = in_istruttoria(server)
    move = "UPDATE dossiers SET state = %s, holder = %s, holder_office_id = %s WHERE id = %s"
    sui, questura = office_id(server, "LO-SUI"), office_id(server, "LO-QUESTURA")
    # The SUI asks for the parere: the state and its history in one transaction.
    to_questura = (move, ("parere_richiesto", "questura", questura, dossier))
    ask = ("in_istruttoria", "parere_richiesto")
    transaction(server, "rossi", to_questura, event(dossier, "transition", ask, date(2026, 9, 4)))
    # The administrator (a SUI staff member) gives the Questura's parere: the move is
    # recorded for the Questura, whatever office the client named.
    back = event(
        dossier,
        "parere_given",
        ("parere_richiesto", "in_istruttoria"),
        date(2026, 9, 5),
        office=sui,
    )
    transaction(server, "capo", (move, ("in_istruttoria", "sui", sui, dossier)), back)
    offices = [
        row[0]
        for row in rows(
            server,
            "SELECT office_id FROM dossier_events WHERE dossier_id = %s AND to_state IS NOT NULL"
            " ORDER BY seq",
            dossier,
        )
    ]
    assert offices == [sui, sui, sui, questura]
    # A state change with no history, or a move dated before the last one, is refused.
    assert "cronologia" in refused_transaction(server, "rossi", to_questura)
    early = event(dossier, "transition", ask, date(2026, 9, 1))
    assert "precedente" in refused_transaction(server, "rossi", to_questura, early)


# -- pareri, pending items, documents ----------------------------------------------------


def test_the_parere_is_given_in_the_officers_own_name_and_never_rewritten(server: Server) -> None:
    dossier = in_istruttoria(server)
    advance_as(server, "rossi", dossier, "parere_richiesto")
    rossi = staff_id(server, "rossi")
    for who in ("rossi", "bianchi"):
        for rewrite in (
            "UPDATE pareri SET requested_on = '2026-08-01' WHERE dossier_id = %s",
            f"UPDATE pareri SET requested_by_id = '{staff_id(server, 'neri')}'"
            " WHERE dossier_id = %s",
        ):
            assert "richiesta" in refused(server, who, rewrite, dossier), (who, rewrite)
    give = (
        "UPDATE pareri SET outcome = 'favorevole', given_on = '2026-09-04'{} WHERE dossier_id = %s"
    )
    assert "proprio nome" in refused(
        server, "bianchi", give.format(f", officer_id = '{rossi}'"), dossier
    )
    assert write(server, "bianchi", give.format(""), dossier) == 1
    officer = one(server, "rossi", "SELECT officer_id FROM pareri WHERE dossier_id = %s", dossier)
    assert officer == staff_id(server, "bianchi")
    for who in ("bianchi", "neri", "capo"):
        assert "non si riscrive" in refused(
            server,
            who,
            "UPDATE pareri SET outcome = 'motivi_ostativi' WHERE dossier_id = %s",
            dossier,
        )
    request = (
        "INSERT INTO pareri (id, version, dossier_id, requested_on, requested_by_id, reasons)"
        " VALUES (gen_random_uuid(), 1, %s, '2026-09-05', %s, '')"
    )
    assert "proprio nome" in refused(server, "bianchi", request, dossier, rossi)


def test_a_pending_item_keeps_the_raisers_facts(server: Server) -> None:
    dossier = in_istruttoria(server)
    raise_flag_as(server, "bianchi", dossier)
    for rewrite in (
        "UPDATE flags SET raised_on = '2026-06-01' WHERE dossier_id = %s",
        "UPDATE flags SET suspends = true WHERE dossier_id = %s",
        "UPDATE flags SET text = 'altro' WHERE dossier_id = %s",
    ):
        assert "non si riscrive" in refused(server, "rossi", rewrite, dossier), rewrite
    bianchi = staff_id(server, "bianchi")
    raised_by = one(
        server, "rossi", "SELECT raised_by_id FROM flags WHERE dossier_id = %s", dossier
    )
    assert raised_by == bianchi


def test_only_the_receiving_office_renames_moves_or_tombstones_a_document(
    server: Server,
) -> None:
    dossier, other = register_as(server, "rossi"), register_as(server, "rossi")
    digest = "c" * 64
    with server.admin() as connection:  # the bytes, as if rossi had uploaded them
        connection.execute("INSERT INTO document_contents (sha256, size) VALUES (%s, 4)", (digest,))
        connection.execute(
            "INSERT INTO document_uploaders (sha256, username) VALUES (%s, %s)",
            (digest, server.people["rossi"]),
        )
        connection.commit()
    attach = (
        "INSERT INTO documents (id, version, dossier_id, file_name, sha256, size, media_type,"
        " received_at, received_by_id) VALUES (gen_random_uuid(), 1, %s, 'scansione.pdf', %s, 4,"
        " 'application/pdf', now(), %s)"
    )
    bianchi = staff_id(server, "bianchi")
    assert "proprio nome" in refused(server, "rossi", attach, dossier, digest, bianchi)
    assert write(server, "rossi", attach, dossier, digest, None) == 1
    received_by = one(
        server, "rossi", "SELECT received_by_id FROM documents WHERE sha256 = %s", digest
    )
    assert received_by == staff_id(server, "rossi")
    for change in ("deleted_at = now()", "file_name = 'altro.pdf'", f"dossier_id = '{other}'"):
        statement = f"UPDATE documents SET {change} WHERE sha256 = %s"
        assert "Sportello Unico" in refused(server, "bianchi", statement, digest), change
    for change in (
        "size = 5",
        "media_type = 'image/png'",
        "received_at = now() - interval '1 day'",
        f"received_by_id = '{bianchi}'",
    ):
        statement = f"UPDATE documents SET {change} WHERE sha256 = %s"
        assert "non si riscrive" in refused(server, "rossi", statement, digest), change
    rename = "UPDATE documents SET file_name = 'permesso.pdf' WHERE sha256 = %s"
    assert write(server, "rossi", rename, digest) == 1


# -- derived columns ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bianchi", "rossi", "verdi", "capo"])
def test_derived_columns_cannot_be_set_directly(server: Server, who: str) -> None:
    dossier = in_istruttoria(server)
    questura = office_id(server, "LO-QUESTURA")
    original = rows(server, DERIVED, dossier)
    for change in (
        "closed_on = '2026-09-10'",
        "closed_on = '2026-09-10', deadline = '2027-06-30', holder = 'none'",
        "deadline = '2027-06-30'",
        "clock_state = 'stopped'",
        "clock_state = 'suspended'",
        "suspended_days = 40",
        "held_sui_days = 99",
        "open_flags = 3",
        "search_key = 'altro'",
    ):
        statement = f"UPDATE dossiers SET {change} WHERE id = %s"
        message = refused(server, who, statement, dossier)
        assert "si ricava" in message or "calcolat" in message, (change, message)
    # The holder and its office are the server's, from the state: a value sent is replaced.
    holder = (
        f"UPDATE dossiers SET holder = 'questura', holder_office_id = '{questura}' WHERE id = %s"
    )
    assert write(server, who, holder, dossier) == 1
    assert rows(server, DERIVED, dossier) == original
    assert one(server, "rossi", "SELECT holder_office_id FROM dossiers WHERE id = %s", dossier) == (
        office_id(server, "LO-SUI")
    )


@pytest.mark.parametrize("who", ["bianchi", "rossi"])
def test_a_closed_dossier_cannot_be_reopened_by_clearing_closed_on(
    server: Server, who: str
) -> None:
    dossier = in_istruttoria(server)
    advance_as(server, "rossi", dossier, "definita_positiva")
    closed = one(server, "rossi", "SELECT closed_on FROM dossiers WHERE id = %s", dossier)
    assert closed is not None
    message = refused(server, who, "UPDATE dossiers SET closed_on = NULL WHERE id = %s", dossier)
    assert "si ricava" in message
    # A dossier cannot be inserted already closed, nor in a state its history lacks.
    sui = office_id(server, "LO-SUI")
    worker = one(server, "rossi", "SELECT id FROM procedure_types WHERE code = 'NO_LAVORO'")
    insert = (
        "INSERT INTO dossiers (id, version, protocol_office_id, procedure_type_id, state, holder,"
        " filed_on, restricted, surname, given_names, birth_date, birth_place, nationality,"
        " employer_name, employer_pec, search_key, clock_state, suspended_days, open_flags,"
        " closed_on) VALUES (gen_random_uuid(), 1, %s, %s, %s, 'none', '2026-09-01', false,"
        " 'A', 'B', '1990-01-01', '', 'ROU', '', '', 'a b', 'stopped', 0, 0, '2026-09-01')"
    )
    assert "cronologia" in refused(server, "rossi", insert, sui, worker, "definita_positiva")


# -- honest flows ---------------------------------------------------------------------


def test_honest_work_under_login_roles_goes_through(server: Server, as_login: Any) -> None:
    dossier = register_as(server, "rossi")
    sui_db, rossi = as_login("rossi")
    questura_db, bianchi = as_login("bianchi")
    with sui_db.unit_of_work(rossi, write=True) as uow:
        advance(uow, dossier, "in_istruttoria", date(2026, 9, 2))
        update_dossier(uow, dossier, {"filed_on": "2026-08-31"})
        advance(uow, dossier, "parere_richiesto", date(2026, 9, 3))
        uow.commit()
    with questura_db.unit_of_work(bianchi, write=True) as uow:
        number, _ = raise_flag(
            uow, dossier, "verifica_identita", "Passaporto", True, date(2026, 9, 4)
        )
        record_parere(uow, dossier, "favorevole", "", date(2026, 9, 5))
        uow.commit()
    with sui_db.unit_of_work(rossi, write=True) as uow:
        resolve_flag(uow, str(number), date(2026, 9, 6), "verificato")
        advance(uow, dossier, "definita_positiva", date(2026, 9, 7))
        uow.commit()
    registered = one(
        server,
        "rossi",
        "SELECT effective_on FROM dossier_events WHERE dossier_id = %s AND kind = 'registered'",
        dossier,
    )
    assert registered == date(2026, 8, 31)
    state, closed, holder, clock_state = rows(
        server, "SELECT state, closed_on, holder, clock_state FROM dossiers WHERE id = %s", dossier
    )[0]
    assert (state, closed, holder, clock_state) == (
        "definita_positiva",
        date(2026, 9, 7),
        "none",
        "stopped",
    )


def test_honest_pushes_bring_the_servers_facts_back_to_the_replica(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
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
        lambda uow: update_dossier(uow, dossier, {"filed_on": "2026-11-09"}),
        lambda uow: advance(uow, dossier, "parere_richiesto", date(2026, 11, 13)),
    ):
        with sui.replica.unit_of_work(sui.user, write=True) as uow:
            step(uow)
            uow.commit()
    pushed = sui.engine.sync_once()
    assert (pushed.refused, pushed.conflicts, pushed.queued, pushed.error) == (0, 0, 0, None)
    questura.engine.sync_once()
    for step in (
        lambda uow: raise_flag(
            uow, dossier, "verifica_identita", "Passaporto", True, date(2026, 11, 14)
        ),
        lambda uow: record_parere(uow, dossier, "favorevole", "", date(2026, 11, 16)),
    ):
        with questura.replica.unit_of_work(questura.user, write=True) as uow:
            step(uow)
            uow.commit()
    given = questura.engine.sync_once()
    assert (given.refused, given.conflicts, given.error) == (0, 0, None)
    sui.engine.sync_once()
    with shared.engine().connect() as connection:
        on_server = connection.execute(
            text(
                "SELECT state, deadline, closed_on, holder, clock_state, open_flags"
                " FROM dossiers WHERE id = :id"
            ),
            {"id": dossier},
        ).one()
        events = connection.execute(
            text(
                "SELECT e.seq, s.username, o.code FROM dossier_events e"
                " JOIN staff s ON s.id = e.actor_id JOIN offices o ON o.id = e.office_id"
                " WHERE e.dossier_id = :id ORDER BY e.seq"
            ),
            {"id": dossier},
        ).all()
    assert on_server.state == "in_istruttoria" and on_server.open_flags == 1
    assert [e.seq for e in events] == list(range(len(events)))
    for station_ in (sui, questura):
        with station_.replica.engine.connect() as connection:
            local = connection.execute(
                text(
                    "SELECT state, deadline, closed_on, holder, clock_state, open_flags"
                    " FROM dossiers WHERE id = :id"
                ),
                {"id": dossier.replace("-", "")},
            ).one()
            local_events = connection.execute(
                text("SELECT seq FROM dossier_events WHERE dossier_id = :id ORDER BY seq"),
                {"id": dossier.replace("-", "")},
            ).all()
        assert str(local.deadline) == str(on_server.deadline)
        assert local.state == on_server.state
        assert [e.seq for e in local_events] == [e.seq for e in events]
    sui.close()
    questura.close()


def test_a_move_without_its_history_is_refused_alone_and_the_rest_of_the_push_goes_through(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    person = {
        "surname": "Rossi",
        "given_names": "Ana",
        "birth_date": "1991-05-06",
        "nationality": "ROU",
        "employer_name": "Cascina Bassiana srl",
        "employer_fiscal_code": "00743110157",
        "filed_on": "2026-11-10",
    }
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        moved = str(register_dossier(uow, "NO_LAVORO", person).dossier_id)
        edited = str(register_dossier(uow, "NO_LAVORO", person).dossier_id)
        uow.commit()
    assert sui.engine.sync_once().refused == 0
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        advance(uow, moved, "in_istruttoria", date(2026, 11, 12))
        uow.commit()
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        update_dossier(uow, edited, {"birth_place": "Iași"})
        uow.commit()
    with sui.replica.engine.begin() as connection:  # a client sending the move alone
        dropped = connection.execute(
            text(
                "DELETE FROM sync_outbox WHERE table_name = 'dossier_events' AND action = 'insert'"
                " AND changes LIKE '%\"transition\"%'"
            )
        )
        assert dropped.rowcount == 1
    result = sui.engine.sync_once()
    assert (result.pushed, result.refused, result.error) == (1, 1, None)
    with shared.engine().connect() as connection:
        states = dict(
            connection.execute(
                text("SELECT id::text, coalesce(birth_place, '') || state FROM dossiers")
            ).all()
        )
    assert states[moved] == "presentata"
    assert states[edited] == "Iașipresentata"
    sui.close()
