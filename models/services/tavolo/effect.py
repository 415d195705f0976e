"""Did the tavolo help? Three measures, over the dossiers and meetings a person may see:

- for each dossier discussed at a closed meeting, how long it had gone without a move
  when the meeting took it up, and how long after the meeting it took to move (a dossier
  not moved yet counts its days so far, and is counted apart);
- the actions of the meetings held in the period: done by their due date, done late,
  still open past it, still open in time (as of today);
- the pareri given each month (how many, median days waited) beside the meetings held
  that month, so a change after the meetings started shows.

``raccordo tavolo stats``, the Statistiche page and the timing report (``report timing``)
all read these figures from ``effect``; a ``scope`` (the report's type and office
filters, as conditions on the dossier) narrows them to those dossiers' items, actions
and pareri.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy import ColumnElement, and_, or_, select, true

from models.dossiers import Dossier, DossierEvent, Parere
from models.meetings import AgendaItem, AgendaOutcome, Meeting, MeetingState, OutcomeKind
from models.services.queries import visibility
from models.uow import UnitOfWork

Scope = Sequence[ColumnElement[bool]]


@dataclass(frozen=True, slots=True)
class ParereMonth:
    month: date  # its first day
    pareri_given: int
    median_wait: float | None  # days, given − requested
    meetings: tuple[date, ...]  # held that month


@dataclass(frozen=True, slots=True)
class ActionCounts:
    """The actions of the meetings held in the period, as of today."""

    on_time: int  # done by their due date (or without one)
    late: int  # done after it
    open_overdue: int  # still open past it
    open: int  # still open in time

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.open_overdue + self.open


@dataclass(frozen=True, slots=True)
class Effect:
    discussed: int  # dossier items of closed meetings
    still_before: float | None  # median days without a move when the meeting took it up
    to_next_move: float | None  # median days from the meeting to the next move (moved ones)
    moved: int
    not_moved: int
    actions: ActionCounts
    months: tuple[ParereMonth, ...]


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None


def _discussed(
    uow: UnitOfWork, since: date, until: date, scope: Scope
) -> list[tuple[uuid.UUID, date]]:
    rows = uow.session.execute(
        select(AgendaItem.dossier_id, Meeting.held_on)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Dossier, Dossier.id == AgendaItem.dossier_id)
        .where(
            Meeting.state == MeetingState.CHIUSA.value,
            Meeting.deleted_at.is_(None),
            Meeting.held_on >= since,
            Meeting.held_on <= until,
            AgendaItem.deleted_at.is_(None),
            *visibility(uow.actor),
            *scope,
        )
    ).all()
    return [(key, held) for key, held in rows if key is not None]


def _moves(uow: UnitOfWork, ids: set[uuid.UUID]) -> dict[uuid.UUID, list[date]]:
    found: dict[uuid.UUID, list[date]] = defaultdict(list)
    keys = list(ids)
    for start in range(0, len(keys), 500):
        rows = uow.session.execute(
            select(DossierEvent.dossier_id, DossierEvent.effective_on).where(
                DossierEvent.dossier_id.in_(keys[start : start + 500]),
                DossierEvent.to_state.is_not(None),
                DossierEvent.deleted_at.is_(None),
            )
        )
        for key, day in rows:
            found[key].append(day)
    return found


def _actions(uow: UnitOfWork, since: date, until: date, scope: Scope) -> ActionCounts:
    """The actions of the meetings held in the period; one about a dossier counts when the
    person may see the dossier (and it is in the scope); one without a dossier counts
    unless the figures are narrowed to some dossiers."""
    on_time = late = open_overdue = still_open = 0
    about_dossier = and_(true(), *visibility(uow.actor), *scope)
    dossier_rule = about_dossier if scope else or_(Dossier.id.is_(None), about_dossier)
    rows = uow.session.execute(
        select(AgendaOutcome.due_on, AgendaOutcome.done_on)
        .join(AgendaItem, AgendaItem.id == AgendaOutcome.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .outerjoin(Dossier, Dossier.id == AgendaOutcome.dossier_id)
        .where(
            AgendaOutcome.kind == OutcomeKind.AZIONE.value,
            AgendaOutcome.deleted_at.is_(None),
            Meeting.deleted_at.is_(None),
            Meeting.held_on >= since,
            Meeting.held_on <= until,
            dossier_rule,
        )
    ).all()
    today = uow.today
    for due, done in rows:
        if done is not None and (due is None or done <= due):
            on_time += 1
        elif done is not None:
            late += 1
        elif due is not None and due < today:
            open_overdue += 1
        else:
            still_open += 1
    return ActionCounts(on_time, late, open_overdue, still_open)


def _months(uow: UnitOfWork, since: date, until: date, scope: Scope) -> tuple[ParereMonth, ...]:
    waits: dict[date, list[int]] = defaultdict(list)
    for asked, given in uow.session.execute(
        select(Parere.requested_on, Parere.given_on)
        .join(Dossier, Dossier.id == Parere.dossier_id)
        .where(
            Parere.given_on.is_not(None),
            Parere.given_on >= since,
            Parere.given_on <= until,
            Parere.deleted_at.is_(None),
            *visibility(uow.actor),
            *scope,
        )
    ):
        if given is not None:
            waits[given.replace(day=1)].append((given - asked).days)
    held: dict[date, list[date]] = defaultdict(list)
    for (day,) in uow.session.execute(
        select(Meeting.held_on).where(
            Meeting.deleted_at.is_(None),
            Meeting.state != MeetingState.IN_PREPARAZIONE.value,  # held, not only planned
            Meeting.held_on >= since,
            Meeting.held_on <= until,
        )
    ):
        held[day.replace(day=1)].append(day)
    return tuple(
        ParereMonth(
            month,
            len(waits.get(month, [])),
            _median(waits.get(month, [])),
            tuple(sorted(held.get(month, []))),
        )
        for month in sorted(set(waits) | set(held))
    )


def effect(uow: UnitOfWork, since: date, until: date, scope: Scope = ()) -> Effect:
    """The figures for meetings held and pareri given from ``since`` to ``until``."""
    discussed = _discussed(uow, since, until, scope)
    moves = _moves(uow, {key for key, _ in discussed})
    before: list[int] = []
    after: list[int] = []
    not_moved = 0
    for key, held in discussed:
        days = sorted(moves.get(key, []))
        earlier = [d for d in days if d <= held]
        later = [d for d in days if d > held]
        if earlier:
            before.append((held - earlier[-1]).days)
        if later:
            after.append((later[0] - held).days)
        else:
            not_moved += 1
    return Effect(
        discussed=len(discussed),
        still_before=_median(before),
        to_next_move=_median(after),
        moved=len(after),
        not_moved=not_moved,
        actions=_actions(uow, since, until, scope),
        months=_months(uow, since, until, scope),
    )
