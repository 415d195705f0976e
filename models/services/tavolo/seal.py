"""The seal of a closed meeting, chained like the audit log.

Each item (with its outcomes) has a digest; the meeting's seal covers the previous closed
meeting's seal, what the meeting is (number, date, place, participants) and every item's
digest, so changing or removing an item, an outcome or a whole closed meeting breaks
every later seal. The digests are kept on the meeting, so a person who may not see a
restricted item still checks the seal without reading it (as ``audit verify`` does).
An action's completion date is follow-up, set after the meeting: it is not sealed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import GENESIS
from models.json_types import JsonObject
from models.meetings import AgendaItem, AgendaOutcome, Meeting, MeetingState

_SEPARATOR = "\x1f"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _sha(payload: JsonObject) -> str:
    """The canonical text of what is sealed (sorted keys, no spaces): sealed meetings
    verify only while it stays exactly this (tests/test_tavolo_seal_pinned.py)."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _outcome_body(outcome: AgendaOutcome) -> JsonObject:
    return {
        "id": str(outcome.id),
        "position": outcome.position,
        "kind": outcome.kind,
        "text": outcome.text,
        "owner_office_id": _text(outcome.owner_office_id),
        "owner_id": _text(outcome.owner_id),
        "due_on": _text(outcome.due_on),
        "flag_number": outcome.flag_number,
        "moved_to": outcome.moved_to,
        "recorded_by_id": _text(outcome.recorded_by_id),
        "deleted": outcome.deleted_at is not None,
    }


def item_digest(item: AgendaItem, outcomes: list[AgendaOutcome]) -> str:
    return _sha(
        {
            "id": str(item.id),
            "section": item.section,
            "reason": item.reason,
            "dossier_id": _text(item.dossier_id),
            "topic": item.topic,
            "detail": item.detail,
            "proposer_id": _text(item.proposer_id),
            "position": item.position,
            "status": item.status,
            "carried_from_id": _text(item.carried_from_id),
            "action_id": _text(item.action_id),
            "deleted": item.deleted_at is not None,
            "outcomes": [_outcome_body(o) for o in sorted(outcomes, key=lambda o: str(o.id))],
        }
    )


def meeting_seal(meeting: Meeting, prev_seal: str, item_seals: str) -> str:
    body = _sha(
        {
            "id": str(meeting.id),
            "number": meeting.number,
            "held_on": meeting.held_on.isoformat(),
            "place": meeting.place,
            "every_weeks": meeting.every_weeks,
            "series_id": _text(meeting.series_id),
            "participants": meeting.participants,
            "created_by_id": _text(meeting.created_by_id),
        }
    )
    payload = _SEPARATOR.join([prev_seal, body, item_seals])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _outcomes_of(session: Session, item: AgendaItem) -> list[AgendaOutcome]:
    return list(session.scalars(select(AgendaOutcome).where(AgendaOutcome.item_id == item.id)))


def _items_of(session: Session, meeting: Meeting) -> list[AgendaItem]:
    return list(session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)))


def last_seal(session: Session) -> str:
    found = session.scalar(
        select(Meeting.seal)
        .where(Meeting.state == MeetingState.CHIUSA.value, Meeting.seal.is_not(None))
        .order_by(Meeting.closed_at.desc(), Meeting.number.desc())
        .limit(1)
    )
    return found or GENESIS


def seal(session: Session, meeting: Meeting) -> None:
    """Called as the meeting closes, every item's status already final."""
    lines = sorted(
        f"{item.id}:{item_digest(item, _outcomes_of(session, item))}"
        for item in _items_of(session, meeting)
    )
    meeting.prev_seal = last_seal(session)
    meeting.item_seals = "\n".join(lines)
    meeting.seal = meeting_seal(meeting, meeting.prev_seal, meeting.item_seals)


@dataclass(frozen=True)
class SealCheck:
    meetings: int  # closed meetings checked
    hidden_items: int  # items checked through their stored digest only (not visible)
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> SealCheck:
    """Every closed meeting in closing order: its chain link, its seal and each item the
    reader can see against its stored digest."""
    closed = session.scalars(
        select(Meeting)
        .where(Meeting.state == MeetingState.CHIUSA.value)
        .order_by(Meeting.closed_at, Meeting.number)
    ).all()
    problems: list[str] = []
    hidden = 0
    previous = GENESIS
    for meeting in closed:
        label = f"riunione n. {meeting.number}"
        if meeting.prev_seal != previous:
            problems.append(f"{label}: la catena dei sigilli è interrotta")
        stored = dict(
            line.split(":", 1) for line in (meeting.item_seals or "").splitlines() if ":" in line
        )
        visible = {str(item.id): item for item in _items_of(session, meeting)}
        for item_id, item in visible.items():
            if stored.get(item_id) != item_digest(item, _outcomes_of(session, item)):
                problems.append(f"{label}: un punto all'ordine del giorno è stato modificato")
        hidden += len(set(stored) - set(visible))
        expected = meeting_seal(meeting, meeting.prev_seal or GENESIS, meeting.item_seals or "")
        if meeting.seal != expected:
            problems.append(f"{label}: il sigillo non corrisponde")
        previous = meeting.seal or GENESIS
    return SealCheck(len(closed), hidden, tuple(problems))
