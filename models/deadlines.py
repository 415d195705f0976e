"""Feeds a dossier's rows to the pure clock and keeps the derived columns in step."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import clock_feed
from models.calendar import HolidayCalendar
from models.clock import ClockReading
from models.clock_feed import forget_calendars as forget_calendars
from models.clock_feed import holiday_setting as holiday_setting
from models.clock_feed import term_spec as term_spec
from models.dossiers import Dossier
from models.enums import OfficeKind, Party
from models.memo import memo
from models.offices import Office, Staff
from models.procedures import TermRule
from models.registry import Setting
from models.workflow import load_workflow


def _rules_of(session: Session, procedure_type_id: object) -> list[TermRule]:
    known: dict[object, list[TermRule]] = memo(session, "term_rules")
    rules = known.get(procedure_type_id)
    if rules is None:
        rules = list(
            session.scalars(
                select(TermRule)
                .where(TermRule.procedure_type_id == procedure_type_id)
                .where(TermRule.deleted_at.is_(None))
            )
        )
        known[procedure_type_id] = rules
    return rules


def rule_for(session: Session, procedure_type_id: object, filed_on: date) -> TermRule:
    return clock_feed.pick_rule(_rules_of(session, procedure_type_id), filed_on)


def read_clock(session: Session, dossier: Dossier, today: date) -> ClockReading:
    return clock_feed.reading(
        rule_for(session, dossier.procedure_type_id, dossier.filed_on),
        dossier.filed_on,
        dossier.quota_assigned_on,
        dossier.events,
        dossier.flags,
        load_workflow(session, dossier.procedure_type),
        office_calendar(session, dossier.protocol_office),
        today,
    )


def office_calendar(session: Session, office: Office) -> HolidayCalendar:
    """The office's calendar, from the holiday table saved in the database when there is one."""

    def saved() -> str | None:
        setting = session.get(Setting, holiday_setting(office.province))
        return setting.value if setting is not None else None

    return clock_feed.office_calendar(office.province, office.patron_day, saved)


def office_for_party(session: Session, party: Party, province: str) -> Office | None:
    if party not in (Party.SUI, Party.QUESTURA):
        return None
    kind = OfficeKind.SUI if party is Party.SUI else OfficeKind.QUESTURA
    known: dict[tuple[str, str], Office | None] = memo(session, "party_offices")
    key = (kind.value, province)
    if key not in known:
        known[key] = session.scalar(
            select(Office).where(Office.kind == kind.value, Office.province == province).limit(1)
        )
    return known[key]


def refresh_derived(session: Session, dossier: Dossier, today: date) -> ClockReading:
    """Recompute deadline, clock state, holder and open items after any change."""
    workflow = load_workflow(session, dossier.procedure_type)
    reading = read_clock(session, dossier, today)
    holder = workflow.states[dossier.state].holder
    dossier.holder = holder.value
    office = office_for_party(session, holder, dossier.protocol_office.province)
    dossier.holder_office_id = office.id if office else None
    if dossier.assigned_to_id is not None:
        assignee_office = session.scalar(
            select(Staff.office_id).where(Staff.id == dossier.assigned_to_id)
        )
        if assignee_office != dossier.holder_office_id:
            dossier.assigned_to_id = None  # the file left the assignee's office
    dossier.deadline = reading.deadline
    dossier.clock_state = reading.status.value
    dossier.suspended_days = reading.suspended_days
    dossier.closed_on = reading.closed_on
    dossier.open_flags = sum(1 for f in dossier.flags if f.resolved_on is None)
    store_held_days(dossier, reading)
    return reading


def held_days_columns(reading: ClockReading) -> tuple[int, int, int]:
    """The stored days with the SUI, the Questura and the applicant: counted once closed."""
    if reading.closed_on is None:
        return (0, 0, 0)
    held = reading.held_days
    return (held[Party.SUI], held[Party.QUESTURA], held[Party.APPLICANT])


def store_held_days(dossier: Dossier, reading: ClockReading) -> None:
    sui, questura, applicant = held_days_columns(reading)
    dossier.held_sui_days = sui
    dossier.held_questura_days = questura
    dossier.held_applicant_days = applicant
