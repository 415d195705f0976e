"""A dossier's rows as the pure clock (``models.clock``) takes them.

Both read paths feed the clock through here: the ORM's (``models.deadlines``, with mapped
objects) and the light one (``models.read``, with plain rows carrying the same
attribute names), so a deadline is the same whichever path computed it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

from models.calendar import HolidayCalendar, calendar_for, calendar_from_table
from models.clock import (
    ClockReading,
    StateChange,
    Suspension,
    SuspensionRules,
    TermSpec,
    compute_clock,
)
from models.enums import EventKind, PreavvisoEffect, TermStart, TermUnit
from models.errors import ValidationError
from models.workflow_model import Workflow


class RuleRow(Protocol):
    valid_from: date
    valid_to: date | None
    term: int
    unit: str
    start: str
    saturday_working: bool
    suspension_max_days: int
    suspension_max_count: int
    preavviso_effect: str
    preavviso_reply_days: int
    preavviso_restart_days: int

    @property
    def deleted_at(self) -> Any: ...


class EventRow(Protocol):
    kind: str
    to_state: str | None
    effective_on: date

    @property
    def deleted_at(self) -> Any: ...


class FlagRow(Protocol):
    number: int
    suspends: bool
    raised_on: date
    resolved_on: date | None

    @property
    def deleted_at(self) -> Any: ...


R = TypeVar("R", bound=RuleRow)


def pick_rule(rules: Iterable[R], filed_on: date) -> R:
    """The type's term rule for a file filed on ``filed_on``."""
    rule = max(
        (r for r in rules if r.deleted_at is None and r.valid_from <= filed_on),
        key=lambda r: r.valid_from,
        default=None,
    )
    if rule is None or not (rule.valid_to is None or filed_on <= rule.valid_to):
        raise ValidationError(
            {"filed_on": f"nessuna regola sui termini per questo tipo al {filed_on:%d/%m/%Y}"}
        )
    return rule


def term_spec(rule: RuleRow) -> TermSpec:
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


def state_changes(events: Iterable[EventRow], workflow: Workflow) -> list[StateChange]:
    """The states entered, in history order; an undone move and its undo count for nothing
    (the undo comes right after the move it cancels: models/services/undo.py)."""
    changes: list[StateChange] = []
    for event in events:
        if event.kind == EventKind.UNDONE.value:
            if changes:
                changes.pop()
            continue
        if event.to_state is None:
            continue
        info = workflow.states.get(event.to_state)
        if info is None:
            continue
        changes.append(
            StateChange(event.effective_on, info.code, info.clock, info.holder, info.final)
        )
    return changes


def suspensions(flags: Iterable[FlagRow]) -> list[Suspension]:
    """The pending items that suspend the term."""
    return [
        Suspension(f.raised_on, f.resolved_on, f"#{f.number}")
        for f in flags
        if f.suspends and f.deleted_at is None
    ]


def observations(events: Iterable[EventRow]) -> list[date]:
    """The days the applicant's observations on a preavviso di rigetto arrived."""
    return [
        event.effective_on
        for event in events
        if event.kind == EventKind.OBSERVATIONS.value and event.deleted_at is None
    ]


def reading(
    rule: RuleRow,
    filed_on: date,
    quota_assigned_on: date | None,
    events: Sequence[EventRow],
    flags: Sequence[FlagRow],
    workflow: Workflow,
    calendar: HolidayCalendar,
    today: date,
) -> ClockReading:
    return compute_clock(
        term_spec(rule),
        filed_on,
        state_changes(events, workflow),
        suspensions(flags),
        calendar,
        today,
        quota_assigned_on,
        observations(events),
    )


def holiday_setting(province: str) -> str:
    return f"holidays:{province}"


_CALENDARS: dict[tuple[str, str | None], HolidayCalendar] = {}


def office_calendar(
    province: str, patron_day: str | None, saved_table: Callable[[], str | None]
) -> HolidayCalendar:
    """The office's calendar, from the holiday table saved in the database when there is
    one (``saved_table`` reads it, only the first time)."""
    key = (province, patron_day)
    calendar = _CALENDARS.get(key)
    if calendar is None:
        table = saved_table()
        if table is not None:
            calendar = calendar_from_table(province, patron_day, table)
        else:
            calendar = calendar_for(province, patron_day)
        _CALENDARS[key] = calendar
    return calendar


def forget_calendars() -> None:
    _CALENDARS.clear()
