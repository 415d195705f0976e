"""What the server enforces for the tavolo di coordinamento, tried with direct SQL under
each person's own login role: who writes meetings, items and outcomes, restricted items
hidden, a closed meeting never rewritten."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.server_support import Server, register_as
from tests.test_server_security import one, refused, write

pytestmark = pytest.mark.postgres

MEETING = (
    "INSERT INTO meetings (id, version, number, held_on, place, state, participants,"
    " item_seals) VALUES (%s, 1, 1, '2026-11-26', 'Prefettura', 'in_preparazione', '', '')"
)
ITEM = (
    "INSERT INTO agenda_items (id, version, meeting_id, section, reason, dossier_id, topic,"
    " detail, proposer_id, position, status)"
    " VALUES (%s, 1, %s, 'Proposte', %s, %s, 'Argomento', '', %s, 1, 'aperto')"
)
OUTCOME = (
    "INSERT INTO agenda_outcomes (id, version, dossier_id, item_id, position, kind, text,"
    " owner_office_id, due_on) VALUES (%s, 1, %s, %s, 0, 'azione', 'Sollecito', %s, '2026-12-10')"
)


def staff_id(server: Server, who: str) -> Any:
    return one(server, who, "SELECT id FROM staff WHERE username = session_user")


def new_id() -> str:
    return str(uuid.uuid4())


def meeting_of(server: Server, who: str = "verdi") -> str:
    meeting = new_id()
    assert write(server, who, MEETING, meeting) == 1
    return meeting


def item_of(server: Server, who: str, meeting: str, dossier: str | None = None) -> str:
    item = new_id()
    reason = "topic" if who in ("verdi", "capo") else "proposal"
    assert write(server, who, ITEM, item, meeting, reason, dossier, staff_id(server, who)) == 1
    return item


def test_only_heads_and_admins_write_meetings(server: Server) -> None:
    for who in ("rossi", "bianchi", "neri"):
        assert refused(server, who, MEETING, new_id()) == (
            "solo i responsabili e gli amministratori preparano, aprono e chiudono le riunioni"
        )
    meeting = meeting_of(server, "verdi")
    meeting_of(server, "capo")
    assert "solo i responsabili" in refused(
        server, "bianchi", "UPDATE meetings SET state = 'in_corso' WHERE id = %s", meeting
    )
    assert one(server, "rossi", "SELECT count(*) FROM meetings") == 2  # everyone reads them


def test_staff_propose_items_in_their_own_name_only(server: Server) -> None:
    meeting = meeting_of(server)
    item = item_of(server, "rossi", meeting)
    assert one(server, "bianchi", "SELECT topic FROM agenda_items WHERE id = %s", item)
    someone_else = (new_id(), meeting, "proposal", None, staff_id(server, "verdi"))
    assert refused(server, "bianchi", ITEM, *someone_else) == (
        "si propone un punto solo a proprio nome"
    )
    as_topic = (new_id(), meeting, "topic", None, staff_id(server, "bianchi"))
    refused(server, "bianchi", ITEM, *as_topic)
    assert refused(server, "rossi", "UPDATE agenda_items SET position = 9 WHERE id = %s", item) == (
        "solo i responsabili modificano l'ordine del giorno"
    )
    assert write(server, "verdi", "UPDATE agenda_items SET position = 9 WHERE id = %s", item) == 1


def test_outcomes_are_recorded_by_heads_during_the_meeting(server: Server) -> None:
    meeting = meeting_of(server)
    item = item_of(server, "verdi", meeting)
    questura = one(server, "verdi", "SELECT id FROM offices WHERE code = 'LO-QUESTURA'")
    assert refused(server, "verdi", OUTCOME, new_id(), None, item, questura) == (
        "gli esiti si registrano durante la riunione"
    )
    write(server, "verdi", "UPDATE meetings SET state = 'in_corso' WHERE id = %s", meeting)
    assert refused(server, "rossi", OUTCOME, new_id(), None, item, questura) == (
        "solo i responsabili registrano gli esiti della riunione"
    )
    assert write(server, "verdi", OUTCOME, new_id(), None, item, questura) == 1


def test_restricted_items_and_their_outcomes_are_hidden_without_clearance(
    server: Server,
) -> None:
    hidden = register_as(server, "neri", "ART18")
    meeting = meeting_of(server)
    item = item_of(server, "verdi", meeting, hidden)
    write(server, "verdi", "UPDATE meetings SET state = 'in_corso' WHERE id = %s", meeting)
    questura = one(server, "verdi", "SELECT id FROM offices WHERE code = 'LO-QUESTURA'")
    outcome = new_id()
    assert write(server, "verdi", OUTCOME, outcome, hidden, item, questura) == 1
    counts = {
        "items": ("SELECT count(*) FROM agenda_items WHERE id = %s", item),
        "outcomes": ("SELECT count(*) FROM agenda_outcomes WHERE id = %s", outcome),
        "audit": ("SELECT count(*) FROM audit_log WHERE row_id IN (%s, %s)", item, outcome),
    }
    for who in ("rossi", "bianchi", "capo"):  # no clearance, the administrator included
        assert {k: one(server, who, q, *p) for k, (q, *p) in counts.items()} == dict.fromkeys(
            counts, 0
        ), who
    seen = {k: one(server, "neri", q, *p) for k, (q, *p) in counts.items()}
    assert seen == {"items": 1, "outcomes": 1, "audit": 2}
    # An outcome cannot claim another dossier than its item's (to hide or show it).
    assert refused(server, "verdi", OUTCOME, new_id(), None, item, questura) == (
        "un esito riguarda la pratica del suo punto"
    )


def test_a_closed_meeting_is_never_rewritten_but_its_actions_get_done(server: Server) -> None:
    meeting = meeting_of(server)
    item = item_of(server, "verdi", meeting)
    write(server, "verdi", "UPDATE meetings SET state = 'in_corso' WHERE id = %s", meeting)
    questura = one(server, "verdi", "SELECT id FROM offices WHERE code = 'LO-QUESTURA'")
    action = new_id()
    write(server, "verdi", OUTCOME, action, None, item, questura)
    close = "UPDATE meetings SET state = 'chiusa' WHERE id = %s"
    assert refused(server, "verdi", close, meeting) == "una riunione si chiude con il suo sigillo"
    write(
        server, "verdi", "UPDATE meetings SET state = 'chiusa', seal = 'x' WHERE id = %s", meeting
    )
    closed = "una riunione chiusa non si modifica"
    assert refused(server, "verdi", "UPDATE meetings SET place = 'x' WHERE id = %s", meeting) == (
        closed
    )
    assert refused(server, "capo", "UPDATE agenda_items SET topic = 'x' WHERE id = %s", item) == (
        closed
    )
    assert refused(server, "verdi", ITEM, new_id(), meeting, "topic", None, None) == closed
    text = "UPDATE agenda_outcomes SET text = 'altro' WHERE id = %s"
    assert refused(server, "verdi", text, action) == closed
    done = "UPDATE agenda_outcomes SET done_on = '2026-11-23' WHERE id = %s"
    assert refused(server, "rossi", done, action) == "un'azione la chiude chi ne è incaricato"
    assert write(server, "bianchi", done, action) == 1  # the Questura owns it


def test_a_whole_meeting_through_the_services_as_the_heads_login(server: Server) -> None:
    """The services write in the order the guards accept: items settled before the meeting
    closes, the next meeting of the series prepared with what was not reached."""
    from datetime import date

    from models.db import make_engine
    from models.meetings import OutcomeKind
    from models.services.tavolo import seal
    from models.services.tavolo.meetings import (
        add_item,
        close_meeting,
        create_meeting,
        start_meeting,
    )
    from models.services.tavolo.outcomes import OutcomeRequest, record_outcome
    from models.uow import Database
    from tests.conftest import Clock

    verdi = server.people["verdi"]
    engine = make_engine(server.url_as(verdi))
    database = Database(engine, Clock())
    try:
        with database.unit_of_work(verdi, write=True) as uow:
            meeting, _ = create_meeting(uow, date(2026, 11, 26), "Prefettura", every_weeks=2)
            first, _ = add_item(uow, meeting.number, topic="Modulistica")
            add_item(uow, meeting.number, topic="Non raggiunto")
            start_meeting(uow, meeting.number)
            request = OutcomeRequest(OutcomeKind.DECISIONE, "Nuovo modulo dal 1° gennaio")
            record_outcome(uow, first.id.hex, request)
            following, _ = close_meeting(uow, meeting.number)
            uow.commit()
        assert following is not None and following.held_on == date(2026, 12, 10)
        with database.unit_of_work(verdi) as uow:
            assert seal.verify(uow.session).ok
        carried = one(
            server, "rossi", "SELECT topic FROM agenda_items WHERE carried_from_id IS NOT NULL"
        )
        assert carried == "Non raggiunto"
    finally:
        engine.dispose()
