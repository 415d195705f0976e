"""The legal-term clock: a pure function of a dossier's rule and history.

Nothing here touches the database; the deadline is recomputed from the events every
time, so a changed rule or a corrected event date gives the right answer for old files.
Counting follows art. 2963 c.c. and L. 241/1990 (domain.md §4): the first day is not
counted, days are calendar days, suspensions are added to the term, and a term ending
on a Sunday or a holiday moves to the next working day.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.calendar import HolidayCalendar
from models.enums import INTEGRAZIONE_RICHIESTA, ClockEffect, Party, TermStart, TermUnit

INTEGRAZIONE_MAX_DAYS = 30  # art. 2 c.7 L. 241/1990: once, at most 30 days


@dataclass(frozen=True)
class TermSpec:
    term: int
    unit: TermUnit = TermUnit.DAYS
    start: TermStart = TermStart.FILING
    saturday_working: bool = True


@dataclass(frozen=True)
class StateChange:
    """The dossier entered ``state`` on ``effective_on``."""

    effective_on: date
    state: str
    clock: ClockEffect
    holder: Party
    final: bool = False


@dataclass(frozen=True)
class Suspension:
    """A pending item that suspends the term from ``start`` until ``end`` (None: still open)."""

    start: date
    end: date | None


@dataclass(frozen=True)
class ClockReading:
    term_start: date
    base_deadline: date  # term added, before suspensions and roll-forward
    deadline: date
    status: ClockEffect
    reference_date: date  # today, or the day the clock stopped
    days_left: int  # negative when overdue
    overdue: bool
    suspended_days: int
    held_days: dict[Party, int]
    closed_on: date | None
    anomalies: tuple[str, ...] = field(default=())


def add_months(day: date, months: int) -> date:
    """Calendar months; a day missing in the target month becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _term_end(start: date, spec: TermSpec, cal: HolidayCalendar) -> date:
    if spec.unit is TermUnit.MONTHS:
        return add_months(start, spec.term)
    if spec.unit is TermUnit.WORKING_DAYS:
        return cal.add_working_days(start, spec.term, spec.saturday_working)
    return start + timedelta(days=spec.term)


def _union(intervals: list[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def compute_clock(
    spec: TermSpec,
    filed_on: date,
    changes: Sequence[StateChange],
    suspensions: Sequence[Suspension],
    cal: HolidayCalendar,
    today: date,
    quota_assigned_on: date | None = None,
) -> ClockReading:
    """Deadline, days left, suspension and time per holder of one dossier.

    ``changes`` are the states entered, in order, the first one on the filing date.
    """
    anomalies: list[str] = []
    term_start = filed_on
    if spec.start is TermStart.QUOTA_ASSIGNMENT:
        if quota_assigned_on is None:
            anomalies.append("data di assegnazione della quota mancante: termine dal deposito")
        else:
            term_start = quota_assigned_on

    ordered = sorted(changes, key=lambda c: c.effective_on)
    stopped_on = next((c.effective_on for c in ordered if c.clock is ClockEffect.STOPPED), None)
    closed_on = next((c.effective_on for c in ordered if c.final), None)
    clock_horizon = stopped_on if stopped_on is not None else today
    held_horizon = closed_on if closed_on is not None else today

    held: dict[Party, int] = {Party.SUI: 0, Party.QUESTURA: 0, Party.APPLICANT: 0}
    raw_suspensions: list[tuple[date, date]] = []
    integrazioni = 0
    for index, change in enumerate(ordered):
        end = ordered[index + 1].effective_on if index + 1 < len(ordered) else today
        if change.holder in held:
            held[change.holder] += max((min(end, held_horizon) - change.effective_on).days, 0)
        if change.clock is ClockEffect.SUSPENDED:
            clipped_end = min(end, clock_horizon)
            raw_suspensions.append((change.effective_on, clipped_end))
            if change.state == INTEGRAZIONE_RICHIESTA:
                integrazioni += 1
                span = (clipped_end - change.effective_on).days
                if span > INTEGRAZIONE_MAX_DAYS:
                    anomalies.append(
                        f"integrazione sospesa per {span} giorni (massimo {INTEGRAZIONE_MAX_DAYS})"
                    )
    if integrazioni > 1:
        anomalies.append(f"integrazione richiesta {integrazioni} volte (ammessa una sola)")
    for item in suspensions:
        end = item.end if item.end is not None else clock_horizon
        raw_suspensions.append((item.start, min(end, clock_horizon)))

    base = _term_end(term_start, spec, cal)
    raw_deadline = base
    suspended_days = 0
    for start, end in _union(raw_suspensions):
        if start > cal.roll_forward(raw_deadline, spec.saturday_working):
            anomalies.append(f"sospensione dal {start:%d/%m/%Y} iniziata dopo la scadenza")
            continue
        length = (end - start).days
        suspended_days += length
        raw_deadline += timedelta(days=length)
    deadline = cal.roll_forward(raw_deadline, spec.saturday_working)

    if stopped_on is not None:
        status = ClockEffect.STOPPED
    elif (ordered and ordered[-1].clock is ClockEffect.SUSPENDED) or any(
        item.end is None and item.start <= today for item in suspensions
    ):
        status = ClockEffect.SUSPENDED
    else:
        status = ClockEffect.RUNS
    days_left = (deadline - clock_horizon).days
    return ClockReading(
        term_start=term_start,
        base_deadline=base,
        deadline=deadline,
        status=status,
        reference_date=clock_horizon,
        days_left=days_left,
        overdue=days_left < 0,
        suspended_days=suspended_days,
        held_days=held,
        closed_on=closed_on,
        anomalies=tuple(anomalies),
    )
