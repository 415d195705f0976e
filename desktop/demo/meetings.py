"""A year of fortnightly tavolo meetings on the demo dossiers (``raccordo demo --meetings``).

Each meeting is held through the service layer on its own day (a database whose "today"
is that day): its agenda builds itself, the heads record outcomes on part of it, earlier
actions are done (most on time), the rest is carried to the next meeting of the series.
Deterministic for a seed and the database's content.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from models.meetings import Meeting, MeetingState, OutcomeKind
from models.services.tavolo.meetings import (
    close_meeting,
    create_meeting,
    get_meeting,
    meeting_day,
    start_meeting,
    visible_items,
)
from models.services.tavolo.outcomes import OutcomeRequest, mark_done, open_actions, record_outcome
from models.uow import Database

CHAIR = "verdi"  # the demo's head of the Sportello Unico (desktop/demo/setup.py)
PLACE = "Prefettura, sala riunioni"
EVERY_WEEKS = 2
DECISIONS = (
    "Si procede senza ulteriori verifiche",
    "Si chiede un'integrazione documentale al richiedente",
    "Si conclude entro il prossimo tavolo",
)
ACTIONS = (
    "Sollecitare il parere con nota formale",
    "Verificare i documenti di identità",
    "Convocare il richiedente",
    "Chiedere il contratto al datore di lavoro",
)


def _on(database: Database, day: date) -> Database:
    return Database(database.engine, lambda: day)


def add_meetings(database: Database, count: int, seed: int) -> int:
    """``count`` meetings every two weeks up to today, the last one still to be held;
    nothing when the database already has meetings. Returns how many were closed."""
    if count <= 0:
        return 0
    with database.sessions() as session:
        if session.scalar(select(func.count()).select_from(Meeting)):
            return 0
    rnd = random.Random(seed)
    today = database.today()
    day = today - timedelta(weeks=EVERY_WEEKS * count)
    day += timedelta(days=(3 - day.weekday()) % 7)  # a Thursday
    with _on(database, day).unit_of_work(CHAIR) as uow:
        day = meeting_day(uow, day)
    with _on(database, day).unit_of_work(CHAIR, write=True) as uow:
        meeting, _ = create_meeting(uow, day, PLACE, EVERY_WEEKS)
        number = meeting.number
        uow.commit()
    closed = 0
    while day < today:
        held = _on(database, day)
        _follow_up(held, day, rnd)
        with held.unit_of_work(CHAIR, write=True) as uow:
            start_meeting(uow, number)
            ids = [item.id.hex for item in visible_items(uow, get_meeting(uow, number))]
            uow.commit()
        for ref in ids:
            if rnd.random() < 0.4:
                continue  # not reached: carried to the next meeting
            _outcome(held, ref, day, rnd)
        with held.unit_of_work(CHAIR, write=True) as uow:
            following, _ = close_meeting(uow, number)
            assert following is not None  # a series always has a next meeting
            number, day = following.number, following.held_on
            uow.commit()
        closed += 1
    return closed


def _outcome(held: Database, ref: str, day: date, rnd: random.Random) -> None:
    draw = rnd.random()
    if draw < 0.3:
        request = OutcomeRequest(OutcomeKind.INFORMAZIONE, "Aggiornamento sullo stato")
    elif draw < 0.6:
        request = OutcomeRequest(OutcomeKind.DECISIONE, rnd.choice(DECISIONS))
    else:
        request = OutcomeRequest(
            OutcomeKind.AZIONE,
            rnd.choice(ACTIONS),
            rnd.choice(("sui", "questura")),
            day + timedelta(days=rnd.choice((7, 14, 21))),
        )
    with held.unit_of_work(CHAIR, write=True) as uow:
        record_outcome(uow, ref, request)
        uow.commit()


def _follow_up(held: Database, day: date, rnd: random.Random) -> None:
    """Before the meeting: most open actions were carried out, most by their due date."""
    with held.unit_of_work(CHAIR, write=True) as uow:
        for action in open_actions(uow):
            if action.item.meeting.state != MeetingState.CHIUSA.value or rnd.random() < 0.25:
                continue
            since = action.item.meeting.held_on
            due = action.due_on or day
            last = min(day, due + timedelta(days=rnd.choice((-3, 0, 5, 10))))
            when = max(since, min(last, day))
            mark_done(uow, action.id.hex, when)
        uow.commit()
