"""The tavolo di coordinamento: the agenda's rules on a hand-made office, the outcomes'
effects through the usual services, carrying over, restricted items and the seal."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from models.dossiers import Dossier, Flag
from models.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from models.meetings import AgendaItem, Meeting, OutcomeKind
from models.services.tavolo import seal
from models.services.tavolo.effect import ActionCounts, ParereMonth
from models.services.tavolo.meetings import (
    add_item,
    close_meeting,
    find_item,
    get_meeting,
    start_meeting,
)
from models.services.tavolo.outcomes import OutcomeRequest, mark_done, record_outcome
from models.uow import Database
from tests.conftest import Clock
from tests.factories import register
from tests.tavolo_scenario import (
    MEETING_DAY,
    Office,
    add_heads,
    agenda,
    build_office,
    new_meeting,
    reasons,
    set_thresholds,
)


@pytest.fixture
def office(db: Database) -> Office:
    add_heads(db)
    set_thresholds(db)
    return build_office(db)


def test_a_parere_waiting_past_the_target_is_on_the_agenda(db: Database, office: Office) -> None:
    found = reasons(db, "verdi", new_meeting(db))
    assert found[office.parere_late] == "parere_overdue"
    assert office.parere_fresh not in found
    item = next(i for i in agenda(db, "verdi", 1) if str(i.dossier_id) == office.parere_late)
    assert item.detail == "parere richiesto il 17/11/2026, atteso da 9 giorni (obiettivo 5)"


def test_an_old_pending_item_is_on_the_agenda(db: Database, office: Office) -> None:
    found = reasons(db, "verdi", new_meeting(db))
    assert found[office.flag_old] == "flag_old"
    assert office.flag_fresh not in found


def test_a_dossier_passed_between_the_offices_three_times_is_bouncing(
    db: Database, office: Office
) -> None:
    found = reasons(db, "verdi", new_meeting(db))
    assert found[office.bouncing] == "bouncing"
    item = next(i for i in agenda(db, "verdi", 1) if str(i.dossier_id) == office.bouncing)
    assert item.detail == "passata 4 volte tra Sportello Unico e Questura"
    # Two passages (one parere asked and given) are ordinary work.
    assert office.parere_fresh not in found and office.quiet not in found


def test_an_overdue_dossier_is_on_the_agenda_under_its_office(db: Database, office: Office) -> None:
    items = agenda(db, "verdi", new_meeting(db))
    item = next(i for i in items if str(i.dossier_id) == office.overdue)
    assert item.reason == "overdue"
    assert item.section == "Pratiche oltre il termine — Sportello Unico"
    assert item.detail.startswith("termine scaduto il ")
    assert {i.reason for i in items} == {"parere_overdue", "flag_old", "bouncing", "overdue"}


def test_a_dossier_likely_to_miss_its_term_is_at_risk(
    db: Database, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forecast (tested in test_forecast.py) says how likely a breach is; the agenda
    takes the dossiers at or above the threshold (50 %), riskiest first."""
    import models.services.forecast as forecast

    risks = {office.quiet: 0.8, office.flag_fresh: 0.5, office.parere_fresh: 0.49}
    monkeypatch.setattr(  # by the id as SQLite gives it
        forecast,
        "_risks_by_row_id",
        lambda *_: (
            {uuid.UUID(key).hex: risk for key, risk in risks.items()} | {uuid.uuid4().hex: None}
        ),
    )
    items = agenda(db, "verdi", new_meeting(db))
    at_risk = [(str(i.dossier_id), i.detail) for i in items if i.reason == "at_risk"]
    assert [key for key, _ in at_risk] == [office.quiet, office.flag_fresh]
    assert at_risk[0][1].endswith(": 80%")
    assert items[-1].section == "Pratiche a rischio — Sportello Unico"


def test_topics_from_heads_and_proposals_from_staff(db: Database, office: Office) -> None:
    number = new_meeting(db)
    with db.unit_of_work("verdi", write=True) as uow:
        add_item(uow, number, topic="Nuova modulistica per i pareri")
        uow.commit()
    with db.unit_of_work("rossi", write=True) as uow:
        add_item(uow, number, dossier_ref=office.quiet, topic="Il datore non risponde")
        uow.commit()
    items = agenda(db, "rossi", number)
    assert [(i.reason, i.topic) for i in items[-2:]] == [
        ("topic", "Nuova modulistica per i pareri"),
        ("proposal", "Il datore non risponde"),
    ]
    assert items[-1].proposer == "Mario Rossi"
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(ValidationError):
        add_item(uow, number, dossier_ref=office.quiet)


def test_only_heads_and_admins_create_start_and_close(db: Database, office: Office) -> None:
    with pytest.raises(PermissionDenied):
        new_meeting(db, "rossi")
    number = new_meeting(db, "ferri")
    for action in (start_meeting, close_meeting):
        with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(PermissionDenied):
            action(uow, number)
    with db.unit_of_work("admin", write=True) as uow:
        start_meeting(uow, number)
        uow.commit()
    with db.unit_of_work("verdi") as uow:
        assert get_meeting(uow, number).state == "in_corso"


def _item_of(db: Database, number: int, dossier_id: str) -> str:
    return str(next(i for i in agenda(db, "verdi", number) if str(i.dossier_id) == dossier_id).id)


def _start(db: Database, number: int | str, who: str = "verdi") -> None:
    with db.unit_of_work(who, write=True) as uow:
        start_meeting(uow, number)
        uow.commit()


def _close(db: Database, number: int) -> int | None:
    with db.unit_of_work("verdi", write=True) as uow:
        following, _ = close_meeting(uow, number)
        result = following.number if following is not None else None
        uow.commit()
    return result


def _outcome(db: Database, who: str, item: str, request: OutcomeRequest) -> None:
    with db.unit_of_work(who, write=True) as uow:
        record_outcome(uow, item[:8], request)
        uow.commit()


def test_an_action_raises_a_pending_item_on_the_dossier(db: Database, office: Office) -> None:
    number = new_meeting(db)
    _start(db, number)
    item = _item_of(db, number, office.overdue)
    _outcome(
        db,
        "verdi",
        item,
        OutcomeRequest(
            OutcomeKind.AZIONE,
            "Chiedere il contratto al datore",
            owner="sui",
            due_on=date(2026, 12, 10),
            flag_category="documenti_mancanti",
        ),
    )
    with db.unit_of_work("verdi") as uow:
        raised = uow.session.scalars(
            select(Flag).where(Flag.dossier_id == uuid.UUID(office.overdue))
        ).one()
        assert (raised.text, raised.raised_by_office.code) == (
            "Chiedere il contratto al datore",
            "LO-SUI",
        )
        raised_number = raised.number
    outcome = next(i for i in agenda(db, "verdi", number) if str(i.id) == item).outcomes[0]
    assert outcome.flag_number == raised_number
    assert (outcome.owner, outcome.due_on) == ("Sportello Unico", date(2026, 12, 10))


def test_a_decision_moves_the_dossier_with_its_history(db: Database, office: Office) -> None:
    number = new_meeting(db)
    _start(db, number)
    item = _item_of(db, number, office.overdue)
    request = OutcomeRequest(
        OutcomeKind.DECISIONE, "Si avvia l'istruttoria", advance_to="in_istruttoria"
    )
    _outcome(db, "verdi", item, request)
    with db.unit_of_work("verdi") as uow:
        dossier = uow.session.get(Dossier, uuid.UUID(office.overdue))
        assert dossier is not None and dossier.state == "in_istruttoria"
        assert dossier.events[-1].note.startswith("Tavolo di coordinamento, riunione n. 1:")


def test_a_move_the_person_may_not_make_is_refused_and_nothing_is_recorded(
    db: Database, office: Office
) -> None:
    number = new_meeting(db)
    _start(db, number)
    item = _item_of(db, number, office.overdue)
    # The Questura's head may not move a dossier the Sportello Unico leads.
    request = OutcomeRequest(OutcomeKind.DECISIONE, "Istruttoria", advance_to="in_istruttoria")
    with pytest.raises(PermissionDenied):
        _outcome(db, "ferri", item, request)
    # A clerk records no outcome at all; an unknown state is refused too.
    with pytest.raises(PermissionDenied):
        _outcome(db, "rossi", item, OutcomeRequest(OutcomeKind.INFORMAZIONE, "Letto"))
    with pytest.raises(InvalidTransition):
        _outcome(db, "verdi", item, OutcomeRequest(OutcomeKind.DECISIONE, "x", advance_to="boh"))
    assert next(i for i in agenda(db, "verdi", number) if str(i.id) == item).outcomes == ()
    with db.unit_of_work("verdi") as uow:
        dossier = uow.session.get(Dossier, uuid.UUID(office.overdue))
        assert dossier is not None and dossier.state == "presentata"


def test_outcomes_wait_for_the_meeting_to_start(db: Database, office: Office) -> None:
    number = new_meeting(db)
    item = _item_of(db, number, office.overdue)
    with pytest.raises(ValidationError, match="in preparazione"):
        _outcome(db, "verdi", item, OutcomeRequest(OutcomeKind.INFORMAZIONE, "Letto"))


def test_items_not_reached_and_open_actions_go_to_the_next_meeting(
    db: Database, office: Office, clock: Clock
) -> None:
    number = new_meeting(db, every_weeks=2, place="Prefettura, sala B")
    _start(db, number)
    reached = _item_of(db, number, office.overdue)
    action = OutcomeRequest(
        OutcomeKind.AZIONE, "Sollecitare il parere", owner="questura", due_on=date(2026, 12, 1)
    )
    _outcome(db, "verdi", reached, action)
    following = _close(db, number)
    assert following == 2
    with db.unit_of_work("verdi") as uow:
        second = get_meeting(uow, 2)
        assert (second.held_on, second.place) == (date(2026, 12, 10), "Prefettura, sala B")
    items = agenda(db, "verdi", 2)
    assert items[0].reason == "action_open"
    assert items[0].topic == "Sollecitare il parere"
    assert items[0].detail == "azione della riunione n. 1 — Questura, entro il 01/12/2026 (scaduta)"
    # The action's dossier is on the agenda once, for its action.
    assert [i.reason for i in items if str(i.dossier_id) == office.overdue] == ["action_open"]
    carried = {str(i.dossier_id): i for i in items if i.carried_over}
    assert carried[office.parere_late].detail.startswith("rinviato dalla riunione n. 1; ")
    assert carried[office.parere_late].reason == "parere_overdue"
    # The action is done: it is not carried again to the meeting after.
    with db.unit_of_work("bianchi", write=True) as uow:
        outcome_id = agenda(db, "verdi", 1)
        first_action = next(i for i in outcome_id if str(i.id) == reached).outcomes[0].short_id
        mark_done(uow, first_action[:8], date(2026, 11, 23))
        uow.commit()
    clock.today = date(2026, 12, 10)
    _start(db, 2)
    _close(db, 2)
    assert [i for i in agenda(db, "verdi", 3) if i.reason == "action_open"] == []


def test_only_the_owner_office_or_a_head_marks_an_action_done(db: Database, office: Office) -> None:
    number = new_meeting(db)
    _start(db, number)
    item = _item_of(db, number, office.overdue)
    request = OutcomeRequest(OutcomeKind.AZIONE, "Sollecito", owner="bianchi", due_on=MEETING_DAY)
    _outcome(db, "verdi", item, request)
    action = next(i for i in agenda(db, "verdi", number) if str(i.id) == item).outcomes[0].short_id
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(PermissionDenied):
        mark_done(uow, action[:8], date(2026, 11, 23))


def test_restricted_dossiers_items_are_hidden_without_clearance(
    db: Database, office: Office
) -> None:
    hidden = str(register(db, "neri", "ART18", filed_on="2026-06-01").dossier_id)
    number = new_meeting(db)
    assert reasons(db, "verdi", number)[hidden] == "overdue"  # cleared head
    assert hidden not in reasons(db, "ferri", number)  # head without clearance
    assert hidden not in reasons(db, "rossi", number)
    item = _item_of(db, number, hidden)
    with db.unit_of_work("rossi") as uow, pytest.raises(NotFound):
        from models.services.tavolo.meetings import find_item

        find_item(uow, item[:8])


def test_a_closed_meeting_is_sealed_and_tampering_shows(db: Database, office: Office) -> None:
    for _ in range(2):
        number = new_meeting(db)
        _start(db, number)
        _outcome(
            db,
            "verdi",
            _item_of(db, number, office.overdue),
            OutcomeRequest(OutcomeKind.INFORMAZIONE, "Aggiornamento"),
        )
        _close(db, number)
    with db.unit_of_work("verdi") as uow:
        check = seal.verify(uow.session)
        assert (check.ok, check.meetings) == (True, 2)
        first, second = uow.session.scalars(select(Meeting).order_by(Meeting.number)).all()
        assert second.prev_seal == first.seal and first.prev_seal == "0" * 64
        first_id = first.id
        with pytest.raises(ValidationError, match="chiusa"):
            add_item(uow, 1, topic="Dopo la chiusura")
    with db.engine.begin() as connection:  # someone edits the database behind Raccordo
        connection.execute(
            update(AgendaItem)
            .where(AgendaItem.meeting_id == first_id, AgendaItem.position == 1)
            .values(detail="cambiato")
        )
    with db.unit_of_work("verdi") as uow:
        assert seal.verify(uow.session).problems == (
            "riunione n. 1: un punto all'ordine del giorno è stato modificato",
        )


def test_did_it_help_measures_moves_actions_and_pareri(
    db: Database, office: Office, clock: Clock
) -> None:
    """An independent count on the hand-made office: the four dossiers discussed on
    26/11 had last moved 178, 9, 10 and 6 days before; one moved six days after."""
    from models.services.tavolo.effect import effect
    from tests.tavolo_scenario import move

    number = new_meeting(db)
    _start(db, number)
    late = OutcomeRequest(OutcomeKind.AZIONE, "Istruire", owner="sui", due_on=date(2026, 12, 1))
    _outcome(db, "verdi", _item_of(db, number, office.overdue), late)
    _close(db, number)
    clock.today = date(2026, 12, 3)
    move(db, "rossi", office.overdue, "in_istruttoria", date(2026, 12, 2))
    action = next(i for i in agenda(db, "verdi", number) if str(i.dossier_id) == office.overdue)
    with db.unit_of_work("rossi", write=True) as uow:
        mark_done(uow, action.outcomes[0].short_id, date(2026, 12, 3))
        uow.commit()
    with db.unit_of_work("verdi") as uow:
        found = effect(uow, date(2026, 1, 1), date(2026, 12, 31))
    assert found.discussed == 4
    assert found.still_before == 9.5
    assert (found.to_next_move, found.moved) == (6.0, 1)
    assert found.not_moved == 3
    assert found.actions == ActionCounts(on_time=0, late=1, open_overdue=0, open=0)
    assert found.months == (ParereMonth(date(2026, 11, 1), 2, 1.0, (MEETING_DAY,)),)


def test_an_item_never_reached_is_carried_once_to_each_next_meeting(
    db: Database, office: Office, clock: Clock
) -> None:
    number = new_meeting(db, every_weeks=2)
    with db.unit_of_work("verdi", write=True) as uow:
        add_item(uow, number, topic="Orari dello sportello")
        uow.commit()
    for held in (1, 2, 3):
        _start(db, held)
        _close(db, held)
        clock.today += timedelta(weeks=2)
    topics = [i.topic for i in agenda(db, "verdi", 4) if i.topic]
    assert topics == ["Orari dello sportello"]
    assert len(agenda(db, "verdi", 4)) == len(agenda(db, "verdi", 2))


def test_a_series_steps_over_public_holidays_and_keeps_its_weekday(
    db: Database, office: Office, clock: Clock
) -> None:
    """A Wednesday series every two weeks from 23/12/2026: the next date, 06/01/2027, is
    the Epiphany, so that meeting is on Thursday 07/01; the one after is on Wednesday
    20/01 again. A head cannot convene on a holiday or at the weekend."""
    for day, why in ((date(2026, 12, 25), "è festivo"), (date(2026, 12, 27), "è domenica")):
        with pytest.raises(ValidationError, match=f"il {day:%d/%m/%Y} {why}"):
            new_meeting(db, on=day)
    number = new_meeting(db, on=date(2026, 12, 23), every_weeks=2)
    clock.today = date(2026, 12, 23)
    _start(db, number)
    following = _close(db, number)
    with db.unit_of_work("verdi") as uow:
        assert following is not None
        assert get_meeting(uow, following).held_on == date(2027, 1, 7)
    clock.today = date(2027, 1, 7)
    _start(db, following)
    after = _close(db, following)
    with db.unit_of_work("verdi") as uow:
        assert after is not None
        assert get_meeting(uow, after).held_on == date(2027, 1, 20)


def test_two_meetings_with_one_number_are_told_apart_by_their_ids(
    db: Database, office: Office
) -> None:
    """Two workstations convening before they sync each take the highest number + 1:
    after the sync the number alone would be ambiguous, so it is refused, naming the
    ids, and the id (or its first characters) chooses."""
    new_meeting(db)
    new_meeting(db, on=MEETING_DAY + timedelta(days=7))
    with db.engine.begin() as connection:  # as the other workstation numbered it
        connection.execute(update(Meeting).where(Meeting.number == 2).values(number=1))
    with db.unit_of_work("verdi") as uow:
        first, second = uow.session.scalars(select(Meeting).order_by(Meeting.held_on)).all()
        with pytest.raises(ValidationError) as refused:
            get_meeting(uow, "1")
        message = str(refused.value)
        assert f"{first.id.hex[:8]} (n. 1, 26/11/2026)" in message
        assert f"{second.id.hex[:8]} (n. 1, 03/12/2026)" in message
        assert get_meeting(uow, second.id.hex[:8]).id == second.id
        assert get_meeting(uow, str(first.id)).id == first.id
        with pytest.raises(NotFound):
            get_meeting(uow, "abcdef0")
        first_ref, second_ref = first.id.hex[:8], second.id.hex[:8]
    _start(db, second_ref)
    with db.unit_of_work("verdi") as uow:
        assert get_meeting(uow, second_ref).state == "in_corso"
        assert get_meeting(uow, first_ref).state == "in_preparazione"


def test_each_item_of_an_agenda_built_at_once_is_named_by_the_id_people_type(
    db: Database, office: Office
) -> None:
    """The agenda's items are made in one go: the 8 characters ``tavolo agenda`` shows
    (``short_id``) still name each item alone, and an outcome recorded with them lands
    on that item (time-ordered ids would share them: models/ids.py)."""
    number = new_meeting(db)
    items = agenda(db, "verdi", number)
    assert len(items) >= 4
    shown = [i.short_id for i in items]
    assert len(set(shown)) == len(items) and all(len(s) == 8 for s in shown)
    with db.unit_of_work("verdi") as uow:
        assert [find_item(uow, s).id for s in shown] == [i.id for i in items]
    _start(db, number)
    _outcome(db, "verdi", shown[-1], OutcomeRequest(OutcomeKind.DECISIONE, "Si procede"))
    found = {i.id: [o.text for o in i.outcomes] for i in agenda(db, "verdi", number)}
    assert found[items[-1].id] == ["Si procede"]
    assert all(texts == [] for key, texts in found.items() if key != items[-1].id)
