"""What the server enforces, tried with direct SQL under each person's own login role —
as anyone with the same credentials could, outside Raccordo."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import errors

from tests.server_support import Server, advance_as, raise_flag_as, register_as, upload_as

pytestmark = pytest.mark.postgres


def one(server: Server, who: str, query: str, *params: Any) -> Any:
    with server.connect(who) as connection:
        row = connection.execute(query, params).fetchone()
    return None if row is None else row[0]


def write(server: Server, who: str, query: str, *params: Any) -> int:
    """Runs and commits ``query`` as ``who``; returns the rows it touched."""
    with server.connect(who) as connection:
        cursor = connection.execute(query, params)
        connection.commit()
        return cursor.rowcount


def refused(server: Server, who: str, query: str, *params: Any) -> str:
    """The server's refusal message; fails the test when the statement goes through."""
    with server.connect(who) as connection, pytest.raises(psycopg.Error) as caught:
        connection.execute(query, params)
        connection.commit()
    return str(caught.value.diag.message_primary)


def test_questura_cannot_change_sui_fields_but_sets_the_cui(server: Server) -> None:
    dossier = register_as(server, "rossi")
    message = refused(
        server, "bianchi", "UPDATE dossiers SET surname = 'Altro' WHERE id = %s", dossier
    )
    assert message == "il campo «cognome» spetta allo Sportello Unico"
    refused(
        server, "bianchi", "UPDATE dossiers SET employer_pec = 'x@pec.it' WHERE id = %s", dossier
    )
    assert (
        write(server, "bianchi", "UPDATE dossiers SET cui = 'CUI123456' WHERE id = %s", dossier)
        == 1
    )
    assert one(server, "rossi", "SELECT cui FROM dossiers WHERE id = %s", dossier) == "CUI123456"
    assert one(server, "rossi", "SELECT surname FROM dossiers WHERE id = %s", dossier) == "Țurcanu"


def test_sui_cannot_set_the_cui_but_changes_its_own_fields(server: Server) -> None:
    dossier = register_as(server, "rossi")
    assert "CUI" in refused(
        server, "rossi", "UPDATE dossiers SET cui = 'X1' WHERE id = %s", dossier
    )
    assert (
        write(server, "rossi", "UPDATE dossiers SET given_names = 'Ion' WHERE id = %s", dossier)
        == 1
    )
    # The head of the SUI acts for the SUI only; an administrator for both offices.
    refused(server, "verdi", "UPDATE dossiers SET cui = 'X2' WHERE id = %s", dossier)
    assert write(server, "capo", "UPDATE dossiers SET cui = 'X3' WHERE id = %s", dossier) == 1


def test_a_questura_led_dossier_is_closed_to_the_sui(server: Server) -> None:
    dossier = register_as(server, "neri", "ART18")
    message = refused(server, "verdi", "UPDATE dossiers SET surname = 'X' WHERE id = %s", dossier)
    assert message == "il campo «cognome» spetta alla Questura"
    assert (
        write(server, "neri", "UPDATE dossiers SET surname = 'Rossi' WHERE id = %s", dossier) == 1
    )


def move_with_history(server: Server, who: str, dossier: str, from_state: str, to: str) -> None:
    """A move as the workstation makes it: the state and its history row, one commit."""
    kind = "parere_given" if from_state == "parere_richiesto" else "transition"
    with server.connect(who) as connection:
        connection.execute("UPDATE dossiers SET state = %s WHERE id = %s", (to, dossier))
        connection.execute(
            "INSERT INTO dossier_events (id, version, dossier_id, kind, from_state, to_state,"
            " effective_on, note) VALUES (gen_random_uuid(), 1, %s, %s, %s, %s, '2026-09-02', '')",
            (dossier, kind, from_state, to),
        )
        connection.commit()


def test_transitions_belong_to_the_office_of_the_workflow(server: Server) -> None:
    dossier = register_as(server, "rossi")
    move = "UPDATE dossiers SET state = %s WHERE id = %s"
    assert refused(server, "bianchi", move, "in_istruttoria", dossier) == (
        "il passaggio da «presentata» a «in_istruttoria» spetta allo Sportello Unico"
    )
    move_with_history(server, "rossi", dossier, "presentata", "in_istruttoria")
    assert "non previsto" in refused(server, "capo", move, "rigettata", dossier)
    move_with_history(server, "rossi", dossier, "in_istruttoria", "parere_richiesto")
    # Leaving "parere richiesto" is the Questura's move (it gives the parere). The SUI may
    # only go back along its own last move as an undo, which the history must then hold
    # (tests/test_server_undo.py): a bare change of state is refused at commit.
    going_back = refused(server, "rossi", move, "in_istruttoria", dossier)
    assert "non corrisponde alla sua cronologia" in going_back
    move_with_history(server, "bianchi", dossier, "parere_richiesto", "in_istruttoria")
    assert (
        one(server, "rossi", "SELECT state FROM dossiers WHERE id = %s", dossier)
        == "in_istruttoria"
    )


def test_only_the_questura_gives_the_parere(server: Server) -> None:
    dossier = register_as(server, "rossi")
    advance_as(server, "rossi", dossier, "in_istruttoria")
    advance_as(server, "rossi", dossier, "parere_richiesto")
    give = "UPDATE pareri SET outcome = 'favorevole', given_on = '2026-09-04' WHERE dossier_id = %s"
    assert refused(server, "rossi", give, dossier) == "il parere spetta alla Questura"
    assert write(server, "bianchi", give, dossier) == 1


def test_history_is_written_in_ones_own_name_and_never_rewritten(server: Server) -> None:
    dossier = register_as(server, "rossi")
    rossi_id = one(
        server, "rossi", "SELECT id FROM staff WHERE username = %s", server.people["rossi"]
    )
    sui_id = one(server, "rossi", "SELECT id FROM offices WHERE code = 'LO-SUI'")
    insert = (
        "INSERT INTO dossier_events (id, version, dossier_id, seq, kind, actor_id, office_id,"
        " effective_on, note) VALUES (gen_random_uuid(), 1, %s, 9, 'updated', %s, %s,"
        " '2026-09-05', 'nota')"
    )
    assert "proprio nome" in refused(server, "bianchi", insert, dossier, rossi_id, sui_id)
    assert write(server, "rossi", insert, dossier, rossi_id, sui_id) == 1
    for rewrite in (
        "UPDATE dossier_events SET kind = 'transition' WHERE dossier_id = %s",
        "UPDATE dossier_events SET deleted_at = now() WHERE dossier_id = %s",
    ):
        assert "non si riscrive" in refused(server, "rossi", rewrite, dossier)


@pytest.mark.parametrize("who", ["rossi", "bianchi", "verdi", "capo"])
def test_nobody_deletes_or_rewrites_the_audit_or_switches_policies_off(
    server: Server, who: str
) -> None:
    register_as(server, "rossi")
    for statement in (
        "DELETE FROM dossiers",
        "DELETE FROM dossier_events",
        "DELETE FROM staff",
        "TRUNCATE dossiers",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET actor = 'qualcuno'",
        "INSERT INTO audit_log (actor, table_name, row_id, action, changes, prev_hash, hash)"
        " VALUES ('x', 'dossiers', 'x', 'insert', '{}', 'x', 'x')",
        "TRUNCATE audit_log",
        "ALTER TABLE dossiers DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE dossiers NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY raccordo_users ON dossiers",
        "DROP TRIGGER raccordo_b_guard ON dossiers",
        "UPDATE sync_counter SET value = 0",
        "UPDATE protocol_counters SET last_number = 0",
    ):
        message = refused(server, who, statement)
        assert "permission denied" in message or "must be owner" in message, statement
    with server.connect(who) as connection:
        connection.execute("SET row_security = off")
        with pytest.raises(errors.InsufficientPrivilege):
            connection.execute("SELECT count(*) FROM dossiers").fetchone()


def test_the_audit_log_is_insert_only_even_for_its_owner(server: Server) -> None:
    register_as(server, "rossi")
    with server.admin() as connection:
        connection.execute(f"SET ROLE {server.roles.owner}")
        for statement in (
            "UPDATE audit_log SET actor = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(errors.InsufficientPrivilege, match="non si modifica"):
                connection.execute(statement)
            connection.rollback()
            connection.execute(f"SET ROLE {server.roles.owner}")


def test_without_clearance_restricted_dossiers_and_their_records_do_not_exist(
    server: Server,
) -> None:
    hidden = register_as(server, "neri", "ART18")
    advance_as(server, "neri", hidden, "in_istruttoria")
    advance_as(server, "neri", hidden, "parere_richiesto")
    raise_flag_as(server, "neri", hidden)
    visible = register_as(server, "rossi")
    counts = {
        "dossiers": "SELECT count(*) FROM dossiers WHERE id = %s",
        "events": "SELECT count(*) FROM dossier_events WHERE dossier_id = %s",
        "pareri": "SELECT count(*) FROM pareri WHERE dossier_id = %s",
        "flags": "SELECT count(*) FROM flags WHERE dossier_id = %s",
        "audit": "SELECT count(*) FROM audit_log WHERE row_id = %s",
    }
    for who in ("rossi", "bianchi", "capo"):  # no clearance, the administrator included
        assert {k: one(server, who, q, hidden) for k, q in counts.items()} == dict.fromkeys(
            counts, 0
        ), who
        assert one(server, who, "SELECT count(*) FROM dossiers WHERE restricted") == 0
        assert one(server, who, "SELECT count(*) FROM dossiers WHERE id = %s", visible) == 1
        assert write(server, who, "UPDATE dossiers SET cui = 'X' WHERE id = %s", hidden) == 0
    seen = {k: one(server, "verdi", q, hidden) for k, q in counts.items()}
    assert seen["dossiers"] == 1 and seen["events"] == 4 and seen["pareri"] == 1
    assert seen["flags"] == 1 and seen["audit"] >= 1


def test_without_clearance_nothing_can_be_added_to_a_restricted_dossier(server: Server) -> None:
    hidden = register_as(server, "neri", "ART18")
    questura = one(server, "bianchi", "SELECT id FROM offices WHERE code = 'LO-QUESTURA'")
    sui = one(server, "bianchi", "SELECT id FROM offices WHERE code = 'LO-SUI'")
    flag = (
        "INSERT INTO flags (id, version, dossier_id, number, category, text, suspends,"
        " raised_by_office_id, for_office_id, raised_on, resolution_note)"
        " VALUES (gen_random_uuid(), 1, %s, 0, 'altro', 'x', false, %s, %s, '2026-09-03', '')"
    )
    assert "row-level security" in refused(server, "bianchi", flag, hidden, questura, sui)
    parere = (
        "INSERT INTO pareri (id, version, dossier_id, requested_on, reasons)"
        " VALUES (gen_random_uuid(), 1, %s, '2026-09-03', '')"
    )
    assert "row-level security" in refused(server, "bianchi", parere, hidden)
    restricted_type = one(server, "bianchi", "SELECT id FROM procedure_types WHERE code = 'ART18'")
    register = (
        "INSERT INTO dossiers (id, version, protocol_office_id, procedure_type_id, state, holder,"
        " filed_on, restricted, surname, given_names, birth_date, birth_place, nationality,"
        " employer_name, employer_pec, search_key, clock_state, suspended_days, open_flags,"
        " deadline)"
        " VALUES (gen_random_uuid(), 1, %s, %s, 'presentata', 'questura', '2026-09-01', false,"
        " 'A', 'B', '1990-01-01', '', 'ROU', '', '', '', 'runs', 0, 0, '2026-10-31')"
    )
    # Registered as not restricted, it is restricted by its type all the same.
    assert "row-level security" in refused(server, "bianchi", register, questura, restricted_type)
    assert write(server, "neri", register, questura, restricted_type) == 1


def test_the_owner_is_never_the_application(server: Server) -> None:
    with server.admin() as connection:
        owner = connection.execute(
            "SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s",
            (server.roles.owner,),
        ).fetchone()
        assert owner == (False, False, False)
        strangers = connection.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace"
            " AND c.relkind = 'r' AND c.relowner <> %s::regrole",
            (server.roles.owner,),
        ).fetchall()
        assert strangers == []
        unforced = connection.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND NOT relforcerowsecurity",
            (["dossiers", "dossier_events", "pareri", "flags", "documents", "audit_log"],),
        ).fetchall()
        assert unforced == []
        for login in server.people.values():
            flags = connection.execute(
                "SELECT rolsuper, rolbypassrls, rolcreaterole, pg_has_role(%s, %s, 'MEMBER')"
                " FROM pg_roles WHERE rolname = %s",
                (login, server.roles.owner, login),
            ).fetchone()
            assert flags == (False, False, False, False), login
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        server.connect(server.roles.owner)


def test_protocol_and_flag_numbers_come_from_the_server(server: Server) -> None:
    first = register_as(server, "rossi")
    sui = one(server, "rossi", "SELECT id FROM offices WHERE code = 'LO-SUI'")
    worker_type = one(server, "rossi", "SELECT id FROM procedure_types WHERE code = 'NO_LAVORO'")
    insert = (
        "INSERT INTO dossiers (id, version, protocol_office_id, procedure_type_id, state, holder,"
        " filed_on, restricted, surname, given_names, birth_date, birth_place, nationality,"
        " employer_name, employer_pec, search_key, clock_state, suspended_days, open_flags,"
        " deadline, protocol_number)"
        " VALUES (gen_random_uuid(), 1, %s, %s, 'presentata', 'sui', '2026-09-01', false,"
        " 'A', 'B', '1990-01-01', '', 'ROU', '', '', 'a b', 'runs', 0, 0, '2026-10-31', %s)"
        " RETURNING id"
    )
    assert "assegnato dal server" in refused(server, "rossi", insert, sui, worker_type, 99)
    with server.connect("rossi") as connection:
        new_id = connection.execute(insert, (sui, worker_type, None)).fetchone()[0]  # type: ignore[index]
        connection.commit()
        year, number, key = connection.execute(
            "SELECT protocol_year, protocol_number, search_key FROM dossiers WHERE id = %s",
            (new_id,),
        ).fetchone()  # type: ignore[misc]
        previous = connection.execute(
            "SELECT protocol_number FROM dossiers WHERE id = %s", (first,)
        ).fetchone()[0]  # type: ignore[index]
    assert number == previous + 1
    assert key.endswith(f"lo-sui/{year}/{number:07d}")
    first_flag = raise_flag_as(server, "rossi", first)
    questura = one(server, "rossi", "SELECT id FROM offices WHERE code = 'LO-QUESTURA'")
    with server.connect("rossi") as connection:
        number = connection.execute(
            "INSERT INTO flags (id, version, dossier_id, number, category, text, suspends,"
            " raised_by_office_id, for_office_id, raised_on, resolution_note) VALUES"
            " (gen_random_uuid(), 1, %s, 999, 'altro', 'x', false, %s, %s, '2026-09-03', '')"
            " RETURNING number",
            (first, sui, questura),
        ).fetchone()[0]  # type: ignore[index]
        connection.commit()
    assert number == first_flag + 1


def test_documents_of_a_restricted_dossier_and_their_contents_are_hidden(server: Server) -> None:
    hidden = register_as(server, "neri", "ART18")
    visible = register_as(server, "rossi")
    attach = (
        "INSERT INTO documents (id, version, dossier_id, file_name, sha256, size, media_type,"
        " received_at) VALUES (gen_random_uuid(), 1, %s, 'scansione.pdf', %s, 4,"
        " 'application/pdf', now())"
    )
    secret = upload_as(server, "neri", b"%PDF-riservato")
    public = upload_as(server, "rossi", b"%PDF-pubblico")
    for who, dossier, digest in (("neri", hidden, secret), ("rossi", visible, public)):
        assert write(server, who, attach, dossier, digest) == 1

    def seen(who: str, digest: str) -> tuple[int, int]:
        return (
            one(server, who, "SELECT count(*) FROM documents WHERE sha256 = %s", digest),
            one(server, who, "SELECT count(*) FROM document_contents WHERE sha256 = %s", digest),
        )

    assert seen("bianchi", secret) == (0, 0)
    assert seen("bianchi", public) == (1, 1)
    assert seen("verdi", secret) == (1, 1)
    assert "row-level security" in refused(server, "bianchi", attach, hidden, public)


def test_server_functions_have_a_fixed_search_path_and_no_public_execute(server: Server) -> None:
    with server.admin() as connection:
        rows = connection.execute(
            "SELECT proname, prosecdef, proconfig, proacl::text, proowner::regrole::text"
            " FROM pg_proc WHERE pronamespace = %s::regnamespace",
            (server.roles.schema,),
        ).fetchall()
    assert {name for name, *_ in rows} >= {"feed", "assign_protocol", "audit_row", "guard_dossier"}
    for name, _definer, config, acl, owner in rows:
        assert config[0] == "search_path=pg_catalog, pg_temp", name
        # The write gate waits in short slices (sync/server/guards.py); nothing else is set.
        assert config[1:] == (["lock_timeout=500ms"] if name == "begin_write" else []), name
        assert owner == server.roles.owner, name
        grantees = [item.split("=")[0] for item in acl.strip("{}").split(",")]
        assert "" not in grantees, name  # an empty grantee is PUBLIC
    definers = {name for name, definer, *_ in rows if definer}
    assert definers == {
        "feed",
        "assign_protocol",
        "assign_flag_number",
        "audit_row",
        "audit_hidden",
        "begin_write",
        "end_stalled_writers",
        "store_content",
    }
