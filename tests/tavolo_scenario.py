"""A hand-made office for the tavolo's tests: each dossier is there for one reason, with
dates chosen so the reason holds on the meeting's day (TODAY is 23/11/2026)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from models.calendar import calendar_for
from models.services.admin import add_user
from models.services.flags import raise_flag
from models.services.tavolo.meetings import create_meeting, visible_items
from models.services.tavolo.views import ItemFacts, agenda_view
from models.services.workflow import advance, record_parere
from models.uow import Database
from tests.factories import register

MEETING_DAY = date(2026, 11, 26)


def meeting_on(today: date, days: int) -> date:
    """The first day ``days`` after ``today`` on which a meeting can be held (Monday to
    Friday, no holiday in Lodi): tests that count from the real today need one."""
    return calendar_for("LO").roll_forward(today + timedelta(days=days), saturday_working=False)


RECENT = date(2026, 11, 16).isoformat()  # filed a week ago: within every term


def add_heads(db: Database) -> None:
    """The Questura's head (not cleared for restricted files) and an admin of the SUI."""
    with db.unit_of_work("admin", write=True) as uow:
        add_user(uow, "ferri", "LO-QUESTURA", "head", False, "Paola Ferri")
        uow.commit()


def move(db: Database, who: str, ref: str, state: str, on: date) -> None:
    with db.unit_of_work(who, write=True) as uow:
        advance(uow, ref, state, on)
        uow.commit()


def parere(db: Database, ref: str, on: date) -> None:
    with db.unit_of_work("bianchi", write=True) as uow:
        record_parere(uow, ref, "favorevole", "", on)
        uow.commit()


def flag(db: Database, who: str, ref: str, on: date) -> int:
    with db.unit_of_work(who, write=True) as uow:
        number, _ = raise_flag(uow, ref, "documenti_mancanti", "Manca il contratto", False, on)
        uow.commit()
    return number


@dataclass
class Office:
    parere_late: str
    parere_fresh: str
    flag_old: str
    flag_fresh: str
    bouncing: str
    overdue: str
    quiet: str


def build_office(db: Database) -> Office:
    """One dossier per reason, and fresh ones that must stay off the agenda."""
    parere_late = str(register(db, filed_on=RECENT, passport="P1000001").dossier_id)
    move(db, "rossi", parere_late, "in_istruttoria", date(2026, 11, 16))
    move(db, "rossi", parere_late, "parere_richiesto", date(2026, 11, 17))
    parere_fresh = str(register(db, filed_on=RECENT, passport="P1000002").dossier_id)
    move(db, "rossi", parere_fresh, "in_istruttoria", date(2026, 11, 16))
    move(db, "rossi", parere_fresh, "parere_richiesto", date(2026, 11, 23))
    flag_old = str(register(db, filed_on=RECENT, passport="P1000003").dossier_id)
    flag(db, "bianchi", flag_old, date(2026, 11, 16))
    flag_fresh = str(register(db, filed_on=RECENT, passport="P1000004").dossier_id)
    flag(db, "bianchi", flag_fresh, date(2026, 11, 22))
    bouncing = str(register(db, filed_on=RECENT, passport="P1000005").dossier_id)
    move(db, "rossi", bouncing, "in_istruttoria", date(2026, 11, 16))
    move(db, "rossi", bouncing, "parere_richiesto", date(2026, 11, 17))
    parere(db, bouncing, date(2026, 11, 18))
    move(db, "rossi", bouncing, "parere_richiesto", date(2026, 11, 19))
    parere(db, bouncing, date(2026, 11, 20))
    overdue = str(
        register(db, filed_on=date(2026, 6, 1).isoformat(), passport="P1000006").dossier_id
    )
    quiet = str(register(db, filed_on=RECENT, passport="P1000007").dossier_id)
    return Office(parere_late, parere_fresh, flag_old, flag_fresh, bouncing, overdue, quiet)


# Thresholds low enough for a week of history: 5 days for a parere and a pending item.
SETTINGS = {"parere_target_days": "5", "tavolo_flag_age_days": "5"}


def set_thresholds(db: Database) -> None:
    from models.registry import Setting

    with db.unit_of_work("admin", write=True) as uow:
        for key, value in SETTINGS.items():
            uow.session.merge(Setting(key=key, value=value))
        uow.commit()


def new_meeting(db: Database, who: str = "verdi", **options: Any) -> int:
    with db.unit_of_work(who, write=True) as uow:
        meeting, _ = create_meeting(uow, options.pop("on", MEETING_DAY), **options)
        number = meeting.number
        uow.commit()
    return number


def agenda(db: Database, who: str, number: int) -> list[ItemFacts]:
    from models.services.tavolo.meetings import get_meeting

    with db.unit_of_work(who) as uow:
        return agenda_view(visible_items(uow, get_meeting(uow, number)))


def reasons(db: Database, who: str, number: int) -> dict[str | None, str]:
    """Dossier id → reason, for the items with a dossier."""
    return {
        str(item.dossier_id) if item.dossier_id else None: item.reason
        for item in agenda(db, who, number)
    }
