"""The demo's fortnightly meetings: held through the services on their own days, sealed,
with actions followed up, and the same for the same seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop.config import resolve
from desktop.demo import generate
from desktop.demo.meetings import add_meetings
from desktop.wiring import open_database
from models.meetings import AgendaOutcome, Meeting
from models.services.tavolo import seal
from models.services.tavolo.effect import effect

TODAY = date(2026, 11, 23)


def _demo(home: Path) -> list[tuple[int, str, str]]:
    database = open_database(resolve(home=str(home)), today=lambda: TODAY)
    assert generate(database, 300, 7) == 300
    assert add_meetings(database, 4, 7) == 4
    assert add_meetings(database, 4, 7) == 0  # once per database
    with database.sessions() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.number)).all()
        assert [(m.state, m.held_on.weekday()) for m in meetings] == [("chiusa", 3)] * 4 + [
            ("in_preparazione", 3)
        ]
        assert meetings[-1].held_on >= TODAY > meetings[-2].held_on
        assert seal.verify(session).ok
        outcomes = session.scalars(select(AgendaOutcome.kind)).all()
        assert {"informazione", "decisione", "azione"} <= set(outcomes)
    with database.unit_of_work("verdi") as uow:
        found = effect(uow, date(2026, 1, 1), TODAY)
        assert found.discussed > 0 and found.actions.total > 0
        assert found.actions.on_time > 0
    with database.sessions() as session:
        rows = session.execute(
            select(Meeting.number, Meeting.held_on, Meeting.state).order_by(Meeting.number)
        ).all()
    database.engine.dispose()
    return [(n, d.isoformat(), s) for n, d, s in rows]


def test_a_year_of_meetings_is_held_sealed_and_followed_up(tmp_path: Path) -> None:
    assert _demo(tmp_path / "a") == _demo(tmp_path / "b")
