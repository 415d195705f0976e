"""The agenda that builds itself: open actions and items not reached at earlier meetings,
then the dossiers the rules bring (``candidates``); staff add topics and proposals."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.meetings import (
    AgendaItem,
    AgendaOutcome,
    ItemStatus,
    Meeting,
    MeetingState,
    OutcomeKind,
    Reason,
)
from models.services.tavolo.candidates import candidates
from models.services.tavolo.rules import SECTIONS, thresholds
from models.services.tavolo.wording import owner_label
from models.uow import UnitOfWork


def _carried_ids(
    session: Session, column: InstrumentedAttribute[uuid.UUID | None], pending_only: bool
) -> set[uuid.UUID]:
    """Items or actions already carried to a meeting (one not closed yet: ``pending_only``).
    An item not reached goes to the next meeting once (its copy carries it on from
    there); an open action goes to every meeting until it is done."""
    query = (
        select(column)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(column.is_not(None), AgendaItem.deleted_at.is_(None))
    )
    if pending_only:
        query = query.where(Meeting.state != MeetingState.CHIUSA.value)
    return {row for row in session.scalars(query) if row is not None}


def _open_actions(session: Session, meeting: Meeting) -> list[AgendaItem]:
    carried = _carried_ids(session, AgendaItem.action_id, pending_only=True)
    rows = session.execute(
        select(AgendaOutcome, AgendaItem, Meeting)
        .join(AgendaItem, AgendaItem.id == AgendaOutcome.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaOutcome.kind == OutcomeKind.AZIONE.value,
            AgendaOutcome.done_on.is_(None),
            AgendaOutcome.deleted_at.is_(None),
            Meeting.state == MeetingState.CHIUSA.value,
            Meeting.id != meeting.id,
        )
        .order_by(AgendaOutcome.due_on, Meeting.number, AgendaOutcome.position)
    ).all()
    items = []
    for action, origin, held in rows:
        if action.id in carried:
            continue
        late = action.due_on is not None and action.due_on < meeting.held_on
        due = f", entro il {action.due_on:%d/%m/%Y}" if action.due_on else ""
        items.append(
            AgendaItem(
                id=uuid.uuid4(),
                section=SECTIONS[Reason.ACTION_OPEN],
                reason=Reason.ACTION_OPEN.value,
                dossier_id=origin.dossier_id,
                topic=action.text,
                detail=f"azione della riunione n. {held.number} — {owner_label(action)}{due}"
                + (" (scaduta)" if late else ""),
                proposer_id=origin.proposer_id,
                carried_from_id=origin.id,
                action_id=action.id,
            )
        )
    return items


def _not_reached(session: Session, meeting: Meeting) -> list[AgendaItem]:
    carried = _carried_ids(session, AgendaItem.carried_from_id, pending_only=False)
    rows = session.execute(
        select(AgendaItem, Meeting)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaItem.status == ItemStatus.OPEN.value,  # still open when it closed
            AgendaItem.action_id.is_(None),
            AgendaItem.deleted_at.is_(None),
            Meeting.state == MeetingState.CHIUSA.value,
        )
        .order_by(Meeting.number, AgendaItem.position)
    ).all()
    return [
        AgendaItem(
            id=uuid.uuid4(),
            section=item.section,
            reason=item.reason,
            dossier_id=item.dossier_id,
            topic=item.topic,
            detail=f"rinviato dalla riunione n. {held.number}"
            + (f"; {item.detail}" if item.detail else ""),
            proposer_id=item.proposer_id,
            carried_from_id=item.id,
        )
        for item, held in rows
        if item.id not in carried
    ]


def next_position(session: Session, meeting: Meeting) -> int:
    top = session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    )
    return (top or 0) + 1


def refresh_agenda(uow: UnitOfWork, meeting: Meeting) -> int:
    """Adds what is missing from ``meeting``'s agenda as of its day; returns how many items.
    Items already there (and their order) are left as the heads edited them. The breach
    risk is read as of today (the forecast's own day), with this user's clearance."""
    from models.services.forecast import riskiest

    session, actor = uow.session, uow.actor
    on = max(uow.today, meeting.held_on)
    present = session.scalars(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.deleted_at.is_(None)
        )
    ).all()
    dossiers = {item.dossier_id for item in present if item.dossier_id is not None}
    actions = {item.action_id for item in present if item.action_id is not None}
    carried = {item.carried_from_id for item in present if item.carried_from_id is not None}
    new: list[AgendaItem] = []
    for item in _open_actions(session, meeting):
        if item.action_id not in actions:
            new.append(item)
            if item.dossier_id is not None:
                dossiers.add(item.dossier_id)
    for item in _not_reached(session, meeting):
        if item.carried_from_id not in carried:
            new.append(item)
            if item.dossier_id is not None:
                dossiers.add(item.dossier_id)
    limits = thresholds(session)
    for found in candidates(session, on, limits, riskiest(uow, limits.risk)):
        if found.dossier_id in dossiers:
            continue
        dossiers.add(found.dossier_id)
        new.append(
            AgendaItem(
                id=uuid.uuid4(),
                section=found.section,
                reason=found.reason.value,
                dossier_id=found.dossier_id,
                detail=found.detail,
                proposer_id=actor.id,
            )
        )
    position = next_position(session, meeting)
    for offset, item in enumerate(new):
        item.meeting_id = meeting.id
        item.position = position + offset
        item.status = ItemStatus.OPEN.value
        item.topic = item.topic or ""
        session.add(item)
    session.flush()
    return len(new)
