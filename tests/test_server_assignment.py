"""Personal assignment on the shared server, tried with direct SQL under each person's own
login role: the other office can neither take a dossier nor hand it to its own staff."""

from __future__ import annotations

import pytest

from tests.server_support import Server, advance_as, register_as
from tests.test_server_security import one, refused, write

pytestmark = pytest.mark.postgres

STAFF_ID = "SELECT id FROM staff WHERE username = %s"


def staff_id(server: Server, who: str) -> object:
    return one(server, "capo", STAFF_ID, server.people[who])


def test_staff_of_the_holding_office_assign_within_it(server: Server) -> None:
    dossier = register_as(server, "rossi")
    verdi = staff_id(server, "verdi")
    assign = "UPDATE dossiers SET assigned_to_id = %s WHERE id = %s"
    assert write(server, "rossi", assign, verdi, dossier) == 1
    assert one(server, "verdi", "SELECT assigned_to_id FROM dossiers WHERE id = %s", dossier) == (
        verdi
    )
    assert write(server, "verdi", assign, None, dossier) == 1


def test_the_other_office_cannot_take_or_assign_a_dossier_it_does_not_hold(
    server: Server,
) -> None:
    dossier = register_as(server, "rossi")  # held by LO-SUI
    assign = "UPDATE dossiers SET assigned_to_id = %s WHERE id = %s"
    for target in ("bianchi", "rossi"):
        message = refused(server, "bianchi", assign, staff_id(server, target), dossier)
        assert message == (
            "assegnare la pratica spetta al personale dell'ufficio presso cui si trova"
        )
    message = refused(server, "rossi", assign, staff_id(server, "bianchi"), dossier)
    assert message == (
        "la pratica si assegna solo a una persona attiva dell'ufficio presso cui si trova"
    )
    write(server, "rossi", assign, staff_id(server, "rossi"), dossier)
    message = refused(server, "neri", assign, None, dossier)  # nor release someone else's
    assert message.startswith("assegnare la pratica spetta")
    assert one(server, "rossi", "SELECT assigned_to_id FROM dossiers WHERE id = %s", dossier) == (
        staff_id(server, "rossi")
    )


def test_a_new_row_cannot_arrive_already_assigned_to_the_other_office(server: Server) -> None:
    dossier = register_as(server, "rossi")
    copy = (
        "INSERT INTO dossiers SELECT (json_populate_record(NULL::dossiers, "
        "(to_jsonb(d) || jsonb_build_object('id', gen_random_uuid(), 'application_code', NULL,"
        " 'protocol_number', NULL, 'assigned_to_id', %s::uuid))::json)).* "
        "FROM dossiers d WHERE d.id = %s"
    )
    message = refused(server, "rossi", copy, str(staff_id(server, "bianchi")), dossier)
    assert "si assegna solo" in message


def test_a_move_to_the_other_office_drops_the_assignment(server: Server) -> None:
    dossier = register_as(server, "rossi")
    write(
        server,
        "rossi",
        "UPDATE dossiers SET assigned_to_id = %s WHERE id = %s",
        staff_id(server, "rossi"),
        dossier,
    )
    advance_as(server, "rossi", dossier, "in_istruttoria")
    advance_as(server, "rossi", dossier, "parere_richiesto")  # now at the Questura
    assert one(server, "bianchi", "SELECT assigned_to_id FROM dossiers WHERE id = %s", dossier) is (
        None
    )
