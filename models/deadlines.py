"""Feeds a dossier's rows to the pure clock and keeps the derived columns in step."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.calendar import HolidayCalendar, calendar_for, calendar_from_table
from models.clock import (
    ClockReading,
    StateChange,
    Suspension,
    SuspensionRules,
    TermSpec,
    compute_clock,
)
from models.dossiers import Dossier
from models.enums import EventKind, OfficeKind, Party, PreavvisoEffect, TermStart, TermUnit
from models.errors import ValidationError
from models.memo import memo
from models.offices import Office
from models.procedures import TermRule
from models.registry import Setting
from models.workflow import Workflow, load_workflow


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
    rule = max(
        (
            r
            for r in _rules_of(session, procedure_type_id)
            if r.deleted_at is None and r.valid_from <= filed_on
        ),
        key=lambda r: r.valid_from,
        default=None,
    )
    if rule is None or not rule.applies_to(filed_on):
        raise ValidationError(
            {"filed_on": f"nessuna regola sui termini per questo tipo al {filed_on:%d/%m/%Y}"}
        )
    return rule


def term_spec(rule: TermRule) -> TermSpec:
    return TermSpec(
        rule.term,
        TermUnit(rule.unit),
        TermStart(rule.start),
        rule.saturday_working,
        SuspensionRules(
            rule.suspension_max_days,
            rule.suspension_max_count,
            PreavvisoEffect(rule.preavviso_effect),
            rule.preavviso_reply_days,
            rule.preavviso_restart_days,
        ),
    )


def state_changes(dossier: Dossier, workflow: Workflow) -> list[StateChange]:
    changes = []
    for event in dossier.events:
        if event.to_state is None:
            continue
        info = workflow.states.get(event.to_state)
        if info is None:
            continue
        changes.append(
            StateChange(event.effective_on, info.code, info.clock, info.holder, info.final)
        )
    return changes


def read_clock(session: Session, dossier: Dossier, today: date) -> ClockReading:
    workflow = load_workflow(session, dossier.procedure_type)
    rule = rule_for(session, dossier.procedure_type_id, dossier.filed_on)
    office = dossier.protocol_office
    return compute_clock(
        term_spec(rule),
        dossier.filed_on,
        state_changes(dossier, workflow),
        [
            Suspension(f.raised_on, f.resolved_on, f"#{f.number}")
            for f in dossier.flags
            if f.suspends and f.deleted_at is None
        ],
        office_calendar(session, office),
        today,
        dossier.quota_assigned_on,
        observations_of(dossier),
    )


def observations_of(dossier: Dossier) -> list[date]:
    """The days the applicant's observations on a preavviso di rigetto arrived."""
    return [
        event.effective_on
        for event in dossier.events
        if event.kind == EventKind.OBSERVATIONS.value and event.deleted_at is None
    ]


_CALENDARS: dict[tuple[str, str | None], HolidayCalendar] = {}


def holiday_setting(province: str) -> str:
    return f"holidays:{province}"


def office_calendar(session: Session, office: Office) -> HolidayCalendar:
    """The office's calendar, from the holiday table saved in the database when there is one."""
    key = (office.province, office.patron_day)
    calendar = _CALENDARS.get(key)
    if calendar is None:
        saved = session.get(Setting, holiday_setting(office.province))
        if saved is not None:
            calendar = calendar_from_table(office.province, office.patron_day, saved.value)
        else:
            calendar = calendar_for(office.province, office.patron_day)
        _CALENDARS[key] = calendar
    return calendar


def forget_calendars() -> None:
    _CALENDARS.clear()


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
