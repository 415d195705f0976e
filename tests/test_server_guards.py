"""No session holds the others: time limits for every login role, a write gate an idle
session cannot keep, and the database functions an application role may not call —
tried with direct SQL under the people's own login roles, as anyone could."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors

from sync.server import guards
from sync.server.users import add_user
from tests.server_support import Server, register_as

pytestmark = pytest.mark.postgres


def _show(connection: psycopg.Connection[Any], name: str) -> str:
    row = connection.execute(f"SHOW {name}").fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture
def quick_gate(server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The same gate with limits of a second or two, installed by ``server init`` again."""
    monkeypatch.setattr(guards, "LOCK_TIMEOUT", 2)
    monkeypatch.setattr(guards, "IDLE_IN_TRANSACTION", 1)
    monkeypatch.setattr(guards, "GATE_SLICE_MS", 200)
    argv = ("server", "init", "--db", server.admin_url, "--prefix", server.roles.prefix)
    assert server.cli(*argv) == 0
    yield server


def _hold_the_gate(connection: psycopg.Connection[Any], schema: str) -> None:
    """The attack: every limit of one's own session off, the gate taken, then nothing."""
    for name in ("idle_in_transaction_session_timeout", "statement_timeout", "lock_timeout"):
        connection.execute(f"SET {name} = 0")
    connection.execute(f"SELECT {schema}.begin_write()")


def test_every_login_role_gets_the_office_time_limits(server: Server) -> None:
    add_user(server.engine, f"{server.roles.prefix}_nuovo", "LO-SUI", "sui_clerk", False)
    for who in ("rossi", "capo", f"{server.roles.prefix}_nuovo"):
        with server.connect(who) as connection:
            assert _show(connection, "lock_timeout") == "5s", who
            assert _show(connection, "statement_timeout") == "1min", who
            assert _show(connection, "idle_in_transaction_session_timeout") == "30s", who


def test_an_idle_holder_of_the_write_gate_is_ended_and_writers_go_on(quick_gate: Server) -> None:
    server = quick_gate
    dossier = register_as(server, "rossi")
    schema = server.roles.schema
    holder = server.connect("rossi")
    _hold_the_gate(holder, schema)
    # The other office's writer; its own limit only keeps a broken gate from hanging the test.
    with server.connect("bianchi", options="-c statement_timeout=20s") as writer:
        started = time.monotonic()
        writer.execute(f"SELECT {schema}.begin_write()")
        writer.execute("UPDATE dossiers SET cui = 'CUI-1' WHERE id = %s", (dossier,))
        writer.commit()
        waited = time.monotonic() - started
    assert waited < 8, f"the writer waited {waited:.1f} s behind an idle session"
    with pytest.raises(psycopg.OperationalError):
        holder.execute("SELECT 1")
    holder.close()


def test_a_busy_gate_sends_writers_away_with_a_clear_message(quick_gate: Server) -> None:
    server = quick_gate
    schema = server.roles.schema
    holder = server.connect("rossi")
    holder.execute(f"SELECT {schema}.begin_write()")
    busy = threading.Thread(target=lambda: holder.execute("SELECT pg_sleep(6)"), daemon=True)
    busy.start()  # working, within every limit: not ended, but not waited for either
    try:
        with server.connect("bianchi", options="-c statement_timeout=20s") as writer:
            started = time.monotonic()
            with pytest.raises(errors.LockNotAvailable) as refused:
                writer.execute(f"SELECT {schema}.begin_write()")
            waited = time.monotonic() - started
        assert refused.value.diag.message_primary == (
            "server occupato: un'altra postazione sta scrivendo, riprovare"
        )
        assert 1.5 < waited < 5
    finally:
        busy.join(10)
        holder.close()


def test_a_writer_that_ignores_the_gate_is_ended_too(quick_gate: Server) -> None:
    """A plain write takes the feed lock as well (the feed trigger): left idle, it is the
    same stall."""
    server = quick_gate
    dossier = register_as(server, "rossi")
    holder = server.connect("rossi")
    holder.execute("SET idle_in_transaction_session_timeout = 0")
    holder.execute("UPDATE dossiers SET given_names = 'Ion' WHERE id = %s", (dossier,))
    with server.connect("bianchi", options="-c statement_timeout=20s") as writer:
        writer.execute(f"SELECT {server.roles.schema}.begin_write()")
        writer.rollback()
    with pytest.raises(psycopg.OperationalError):
        holder.execute("SELECT 1")
    holder.close()


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT lo_create(0)",
        "SELECT lo_creat(-1)",
        "SELECT lo_from_bytea(0, '\\x00'::bytea)",
        "SELECT pg_notify('raccordo_changes', '999999')",
    ],
)
def test_large_objects_and_pg_notify_are_refused_to_the_application(
    server: Server, statement: str
) -> None:
    for who in ("rossi", "capo"):
        with server.connect(who) as connection, pytest.raises(errors.InsufficientPrivilege):
            connection.execute(statement)


def test_the_feed_still_wakes_the_other_workstations(server: Server) -> None:
    dossier = register_as(server, "rossi")
    with server.connect("bianchi", autocommit=True) as listener:
        listener.execute("LISTEN raccordo_changes")
        with server.connect("rossi") as writer:
            writer.execute("UPDATE dossiers SET given_names = 'Ion' WHERE id = %s", (dossier,))
            writer.commit()
        heard = list(listener.notifies(timeout=5, stop_after=1))
    assert [note.channel for note in heard] == ["raccordo_changes"]
    assert int(heard[0].payload) > 0


PRINTED = (
    "INSERT INTO dossier_events (id, version, dossier_id, seq, kind, effective_on, note)"
    " VALUES (gen_random_uuid(), 1, %s, 9, 'printed', '2026-09-05', %s)"
)


def _printed_by(server: Server, dossier: str) -> list[tuple[str, str]]:
    """(note, office code) of the dossier's printed events, in order."""
    with server.admin() as connection:
        rows = connection.execute(
            "SELECT e.note, o.code FROM dossier_events e JOIN offices o ON o.id = e.office_id"
            " WHERE e.dossier_id = %s AND e.kind = 'printed' ORDER BY e.seq",
            (dossier,),
        ).fetchall()
    return [(str(note), str(code)) for note, code in rows]


def test_a_letter_is_recorded_printed_only_by_the_office_that_issues_it(server: Server) -> None:
    """Direct SQL as each role: the history never says the Questura printed the SUI's
    summons, nor the SUI the Questura's parere (docs/domain-rules.md, *Quali lettere si
    stampano*); an administrator prints in the issuing office's name."""
    dossier = register_as(server, "rossi")

    def refusal(who: str, note: str) -> str:
        with (
            server.connect(who) as connection,
            pytest.raises(errors.InsufficientPrivilege) as caught,
        ):
            connection.execute(PRINTED, (dossier, note))
            connection.commit()
        return str(caught.value.diag.message_primary)

    def printed(who: str, note: str) -> None:
        with server.connect(who) as connection:
            assert connection.execute(PRINTED, (dossier, note)).rowcount == 1
            connection.commit()

    summons_refused = "la stampa del modulo «convocazione» spetta allo Sportello Unico"
    assert refusal("bianchi", "stampato: convocazione") == summons_refused
    assert refusal("neri", "stampato: richiesta-parere") == (
        "la stampa del modulo «richiesta-parere» spetta allo Sportello Unico"
    )
    parere_refused = "la stampa del modulo «esito-parere» spetta alla Questura"
    assert refusal("rossi", "stampato: esito-parere") == parere_refused
    assert refusal("verdi", "stampato: esito-parere") == parere_refused  # the SUI's head
    assert _printed_by(server, dossier) == []

    printed("rossi", "stampato: convocazione")
    printed("bianchi", "stampato: esito-parere")
    printed("bianchi", "stampato: frontespizio")  # the cover of its own file
    printed("bianchi", "stampato: distinta-trasmissione")  # its own slip
    printed("capo", "stampato: esito-parere")  # the administrator, of the SUI
    assert _printed_by(server, dossier) == [
        ("stampato: convocazione", "LO-SUI"),
        ("stampato: esito-parere", "LO-QUESTURA"),
        ("stampato: frontespizio", "LO-QUESTURA"),
        ("stampato: distinta-trasmissione", "LO-QUESTURA"),
        ("stampato: esito-parere", "LO-QUESTURA"),  # in the issuing office's name
    ]
