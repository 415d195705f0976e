"""Plain dicts of meetings, items and outcomes: what the CLI prints (``--json``), the GUI
shows and the verbale prints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models.meetings import AgendaItem, AgendaOutcome, ItemStatus, Meeting, MeetingState
from models.offices import Staff
from models.services.tavolo.rules import reason_rank
from models.services.tavolo.wording import (
    KIND_LABELS,
    OFFICE_NAMES,
    REASON_LABELS,
    STATE_LABELS,
    owner_label,
)
from models.uow import UnitOfWork


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def item_status(item: AgendaItem) -> str:
    """An item still open when its meeting closed was not reached."""
    if item.status == ItemStatus.OPEN.value and item.meeting.state == MeetingState.CHIUSA.value:
        return ItemStatus.NOT_REACHED.value
    return item.status


def outcome_view(outcome: AgendaOutcome) -> dict[str, Any]:
    return {
        "id": str(outcome.id),
        "short_id": outcome.id.hex[:8],
        "kind": outcome.kind,
        "kind_label": KIND_LABELS.get(outcome.kind, outcome.kind),
        "text": outcome.text,
        "owner": owner_label(outcome) if outcome.kind == "azione" else None,
        "due_on": _iso(outcome.due_on),
        "done_on": _iso(outcome.done_on),
        "flag_number": outcome.flag_number,
        "moved_to": outcome.moved_to,
    }


def item_view(item: AgendaItem) -> dict[str, Any]:
    dossier = item.dossier
    return {
        "id": str(item.id),
        "short_id": item.id.hex[:8],
        "meeting": item.meeting.number,
        "section": item.section,
        "reason": item.reason,
        "reason_label": REASON_LABELS.get(item.reason, item.reason),
        "dossier": dossier.reference if dossier is not None else None,
        "dossier_id": str(dossier.id) if dossier is not None else None,
        "person": f"{dossier.surname} {dossier.given_names}" if dossier is not None else None,
        "restricted": bool(dossier is not None and dossier.restricted),
        "topic": item.topic,
        "detail": item.detail,
        "proposer": (item.proposer.full_name or item.proposer.username) if item.proposer else None,
        "status": item_status(item),
        "carried_over": item.carried_from_id is not None,
        "outcomes": [outcome_view(o) for o in item.outcomes if o.deleted_at is None],
    }


def agenda_view(items: list[AgendaItem]) -> list[dict[str, Any]]:
    """In agenda order: the reasons' order, then each section, then the heads' order."""
    ordered = sorted(items, key=lambda i: (reason_rank(i.reason), i.section, i.position))
    return [item_view(item) for item in ordered]


def participants_view(uow: UnitOfWork, meeting: Meeting) -> list[dict[str, Any]]:
    ids = meeting.participant_ids
    if not ids:
        return []
    people = uow.session.scalars(select(Staff).where(Staff.id.in_(ids))).all()
    found = sorted(people, key=lambda p: (p.office.kind != "sui", p.full_name or p.username))
    return [
        {
            "username": p.username,
            "name": p.full_name or p.username,
            "office": OFFICE_NAMES.get(p.office.kind, p.office.code),
            "office_kind": p.office.kind,
            "role": p.role,
        }
        for p in found
    ]


def meeting_view(meeting: Meeting, items: int | None = None) -> dict[str, Any]:
    return {
        "number": meeting.number,
        "short_id": meeting.id.hex[:8],  # unambiguous where two meetings share a number
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "every_weeks": meeting.every_weeks,
        "state": meeting.state,
        "state_label": STATE_LABELS.get(meeting.state, meeting.state),
        "items": items,
        "seal": meeting.seal,
    }


def dossier_items(uow: UnitOfWork, dossier_id: Any) -> list[dict[str, Any]]:
    """When the dossier was on a meeting's agenda and what was concluded (the dossier
    window's *Tavolo* tab); none for a dossier this user may not see."""
    from models.meetings import Meeting as MeetingRow
    from models.permissions import can_see

    items = uow.session.scalars(
        select(AgendaItem)
        .join(MeetingRow, MeetingRow.id == AgendaItem.meeting_id)
        .where(AgendaItem.dossier_id == dossier_id, AgendaItem.deleted_at.is_(None))
        .order_by(MeetingRow.held_on.desc(), MeetingRow.number.desc())
    ).all()
    return [
        item_view(item)
        | {
            "held_on": item.meeting.held_on.isoformat(),
            "meeting_state": item.meeting.state,
            "meeting_state_label": STATE_LABELS.get(item.meeting.state, item.meeting.state),
        }
        for item in items
        if item.dossier is not None and can_see(uow.actor, item.dossier)
    ]
