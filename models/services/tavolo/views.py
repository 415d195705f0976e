"""Meetings, agenda items and outcomes as frozen read models, with dates and enums: the CLI
(``models.read.as_json`` for ``--json``), the GUI and the verbale each format them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models.enums import OfficeKind, Role
from models.meetings import (
    AgendaItem,
    AgendaOutcome,
    ItemStatus,
    Meeting,
    MeetingState,
    OutcomeKind,
    Reason,
)
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


@dataclass(frozen=True, slots=True)
class OutcomeFacts:
    """What an item concluded: an information, a decision or an action."""

    id: uuid.UUID
    kind: OutcomeKind
    kind_label: str
    text: str
    owner: str | None  # who carries an action out (a person or an office); none otherwise
    due_on: date | None
    done_on: date | None  # an action's completion (follow-up, after the meeting)
    flag_number: int | None  # the pending item it raised on the dossier
    moved_to: str | None  # the state it moved the dossier to

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]

    @property
    def is_action(self) -> bool:
        return self.kind is OutcomeKind.AZIONE


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """An agenda item: a dossier (with the reason it is there) or a topic."""

    id: uuid.UUID
    meeting: int  # the meeting's number
    section: str
    reason: Reason
    reason_label: str
    dossier: str | None  # the dossier's reference
    dossier_id: uuid.UUID | None
    person: str | None  # the dossier's applicant, surname first
    restricted: bool
    topic: str
    detail: str  # why, in words
    proposer: str | None
    status: ItemStatus  # NOT_REACHED for an item still open when its meeting closed
    carried_over: bool  # continues an item of an earlier meeting
    outcomes: tuple[OutcomeFacts, ...]

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]

    @property
    def not_reached(self) -> bool:
        return self.status is ItemStatus.NOT_REACHED

    @property
    def actions(self) -> tuple[OutcomeFacts, ...]:
        return tuple(o for o in self.outcomes if o.is_action)


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    id: uuid.UUID
    number: int
    held_on: date
    place: str
    every_weeks: int | None  # a series: every N weeks
    state: MeetingState
    state_label: str
    items: int | None  # how many items, when counted
    seal: str | None  # a closed meeting's seal

    @property
    def short_id(self) -> str:
        """Unambiguous where two meetings share a number (``tavolo list`` shows it)."""
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class Participant:
    username: str
    name: str
    office: str  # the office in words (Sportello Unico, Questura)
    office_kind: OfficeKind
    role: Role


@dataclass(frozen=True, slots=True)
class DossierAgendaItem:
    """A dossier's item and its meeting (the dossier window's *Tavolo* tab)."""

    item: ItemFacts
    held_on: date
    meeting_state: MeetingState
    meeting_state_label: str


def item_status(item: AgendaItem) -> ItemStatus:
    """An item still open when its meeting closed was not reached."""
    if item.status == ItemStatus.OPEN.value and item.meeting.state == MeetingState.CHIUSA.value:
        return ItemStatus.NOT_REACHED
    return ItemStatus(item.status)


def outcome_view(outcome: AgendaOutcome) -> OutcomeFacts:
    return OutcomeFacts(
        id=outcome.id,
        kind=OutcomeKind(outcome.kind),
        kind_label=KIND_LABELS.get(outcome.kind, outcome.kind),
        text=outcome.text,
        owner=owner_label(outcome) if outcome.kind == OutcomeKind.AZIONE.value else None,
        due_on=outcome.due_on,
        done_on=outcome.done_on,
        flag_number=outcome.flag_number,
        moved_to=outcome.moved_to,
    )


def item_view(item: AgendaItem) -> ItemFacts:
    dossier = item.dossier
    return ItemFacts(
        id=item.id,
        meeting=item.meeting.number,
        section=item.section,
        reason=Reason(item.reason),
        reason_label=REASON_LABELS.get(item.reason, item.reason),
        dossier=dossier.reference if dossier is not None else None,
        dossier_id=dossier.id if dossier is not None else None,
        person=f"{dossier.surname} {dossier.given_names}" if dossier is not None else None,
        restricted=bool(dossier is not None and dossier.restricted),
        topic=item.topic,
        detail=item.detail,
        proposer=(item.proposer.full_name or item.proposer.username) if item.proposer else None,
        status=item_status(item),
        carried_over=item.carried_from_id is not None,
        outcomes=tuple(outcome_view(o) for o in item.outcomes if o.deleted_at is None),
    )


def agenda_view(items: list[AgendaItem]) -> list[ItemFacts]:
    """In agenda order: the reasons' order, then each section, then the heads' order."""
    ordered = sorted(items, key=lambda i: (reason_rank(i.reason), i.section, i.position))
    return [item_view(item) for item in ordered]


def participants_view(uow: UnitOfWork, meeting: Meeting) -> list[Participant]:
    ids = meeting.participant_ids
    if not ids:
        return []
    people = uow.session.scalars(select(Staff).where(Staff.id.in_(ids))).all()
    found = sorted(people, key=lambda p: (p.office.kind != "sui", p.full_name or p.username))
    return [
        Participant(
            username=p.username,
            name=p.full_name or p.username,
            office=OFFICE_NAMES.get(p.office.kind, p.office.code),
            office_kind=OfficeKind(p.office.kind),
            role=Role(p.role),
        )
        for p in found
    ]


def meeting_view(meeting: Meeting, items: int | None = None) -> MeetingFacts:
    return MeetingFacts(
        id=meeting.id,
        number=meeting.number,
        held_on=meeting.held_on,
        place=meeting.place,
        every_weeks=meeting.every_weeks,
        state=MeetingState(meeting.state),
        state_label=STATE_LABELS.get(meeting.state, meeting.state),
        items=items,
        seal=meeting.seal,
    )


def dossier_items(uow: UnitOfWork, dossier_id: uuid.UUID) -> list[DossierAgendaItem]:
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
        DossierAgendaItem(
            item=item_view(item),
            held_on=item.meeting.held_on,
            meeting_state=MeetingState(item.meeting.state),
            meeting_state_label=STATE_LABELS.get(item.meeting.state, item.meeting.state),
        )
        for item in items
        if item.dossier is not None and can_see(uow.actor, item.dossier)
    ]


@dataclass(frozen=True, slots=True)
class OpenAction:
    """An action still to carry out (*Segnalazioni*, *Da lavorare*)."""

    action: OutcomeFacts
    meeting: int  # the number of the meeting that decided it
    dossier: str | None  # the reference of the dossier it is about
    dossier_id: uuid.UUID | None
    late: bool  # past its due date
