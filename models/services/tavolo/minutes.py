"""What the verbale says, as plain data: the meeting, who took part, the agenda with its
outcomes, the actions, the two heads who sign; restricted items apart, for the annex
printed only for a person cleared for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from models.enums import Role
from models.meetings import Meeting, MeetingState
from models.offices import Office, Staff
from models.services.tavolo.meetings import get_meeting, visible_items
from models.services.tavolo.views import agenda_view, meeting_view, participants_view
from models.uow import UnitOfWork


@dataclass(frozen=True)
class Minutes:
    meeting: dict[str, Any]
    office: Office  # whose letterhead: the office of whoever convened the meeting
    participants: list[dict[str, Any]]
    items: list[dict[str, Any]]  # not restricted, in agenda order
    restricted: list[dict[str, Any]]  # only when the reader is cleared; else empty
    signatories: list[tuple[str, str]]  # (caption, name) of the two offices' heads
    final: bool  # the meeting is closed: the verbale is no draft

    @staticmethod
    def actions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**outcome, "dossier": item["dossier"], "item": item["number"]}
            for item in items
            for outcome in item["outcomes"]
            if outcome["kind"] == "azione"
        ]


CAPTIONS = {
    "sui": "Il responsabile dello Sportello Unico per l'Immigrazione",
    "questura": "Il responsabile dell'Ufficio Immigrazione della Questura",
}


def _numbered(items: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [{**item, "number": f"{prefix}{n}"} for n, item in enumerate(items, start=1)]


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
        items=_numbered([i for i in items if not i["restricted"]], ""),
        restricted=_numbered([i for i in items if i["restricted"]], "R"),
        signatories=_signatories(uow, meeting, convener),
        final=meeting.state == MeetingState.CHIUSA.value,
    )
