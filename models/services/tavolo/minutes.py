"""What the verbale says, as plain data: the meeting, who took part, the agenda with its
outcomes, the actions, the two heads who sign; restricted items apart, for the annex
printed only for a person cleared for them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models.enums import Role
from models.meetings import Meeting, MeetingState
from models.offices import Office, Staff
from models.services.tavolo.meetings import get_meeting, visible_items
from models.services.tavolo.views import (
    ItemFacts,
    MeetingFacts,
    OutcomeFacts,
    Participant,
    agenda_view,
    meeting_view,
    participants_view,
)
from models.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class NumberedItem:
    """An item as the verbale numbers it: 1, 2… and R1, R2… in the restricted annex."""

    number: str
    item: ItemFacts


@dataclass(frozen=True, slots=True)
class MinutesAction:
    item: str  # the number of the item that decided it
    dossier: str | None  # the reference of the dossier it is about
    action: OutcomeFacts


@dataclass(frozen=True)
class Minutes:
    meeting: MeetingFacts
    office: Office  # whose letterhead: the office of whoever convened the meeting
    participants: list[Participant]
    items: list[NumberedItem]  # not restricted, in agenda order
    restricted: list[NumberedItem]  # only when the reader is cleared; else empty
    signatories: list[tuple[str, str]]  # (caption, name) of the two offices' heads
    final: bool  # the meeting is closed: the verbale is no draft

    @staticmethod
    def actions(items: list[NumberedItem]) -> list[MinutesAction]:
        return [
            MinutesAction(entry.number, entry.item.dossier, action)
            for entry in items
            for action in entry.item.actions
        ]


CAPTIONS = {
    "sui": "Il responsabile dello Sportello Unico per l'Immigrazione",
    "questura": "Il responsabile dell'Ufficio Immigrazione della Questura",
}


def _numbered(items: list[ItemFacts], prefix: str) -> list[NumberedItem]:
    return [NumberedItem(f"{prefix}{n}", item) for n, item in enumerate(items, start=1)]


def _signatories(uow: UnitOfWork, meeting: Meeting, office: Office) -> list[tuple[str, str]]:
    signed = []
    present = set(meeting.participant_ids)
    for kind in ("sui", "questura"):
        heads = uow.session.scalars(
            select(Staff)
            .join(Office, Office.id == Staff.office_id)
            .where(
                Office.kind == kind,
                Office.province == office.province,
                Staff.role == Role.HEAD.value,
                Staff.active,
            )
            .order_by(Staff.username)
        ).all()
        chosen = next((h for h in heads if h.id in present), heads[0] if heads else None)
        signed.append((CAPTIONS[kind], (chosen.full_name or chosen.username) if chosen else ""))
    return signed


def minutes(uow: UnitOfWork, number: int | str) -> Minutes:
    meeting = get_meeting(uow, number)
    items = agenda_view(visible_items(uow, meeting))
    convener = meeting.created_by.office if meeting.created_by is not None else uow.actor.office
    return Minutes(
        meeting=meeting_view(meeting, len(items)),
        office=convener,
        participants=participants_view(uow, meeting),
        items=_numbered([i for i in items if not i.restricted], ""),
        restricted=_numbered([i for i in items if i.restricted], "R"),
        signatories=_signatories(uow, meeting, convener),
        final=meeting.state == MeetingState.CHIUSA.value,
    )
