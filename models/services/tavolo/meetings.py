"""Meetings: create (optionally as a series), list, start, close; items proposed by staff."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from models.bounds import check_text
from models.calendar import HolidayCalendar
from models.deadlines import office_calendar
from models.enums import Role
from models.errors import NotFound, PermissionDenied, ValidationError
from models.meetings import AgendaItem, ItemStatus, Meeting, MeetingState, Reason
from models.offices import Office, Staff
from models.permissions import can_see
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier
from models.services.tavolo import seal
from models.services.tavolo.agenda import next_position, refresh_agenda
from models.services.tavolo.rules import SECTIONS
from models.services.tavolo.wording import STATE_LABELS
from models.uow import UnitOfWork

CHAIRS = (Role.HEAD, Role.ADMIN)
MAX_EVERY_WEEKS = 52


def is_chair(actor: Staff) -> bool:
    return actor.staff_role in CHAIRS


def require_chair(uow: UnitOfWork, what: str) -> None:
    if not is_chair(uow.actor):
        raise PermissionDenied(
            f"{uow.actor.username} non può {what}: "
            "operazione riservata ai responsabili e agli amministratori"
        )


def meeting_calendar(uow: UnitOfWork) -> HolidayCalendar:
    """The calendar of the convening person's office: both offices are in one province."""
    return office_calendar(uow.session, uow.actor.office)


def meeting_day(uow: UnitOfWork, day: date) -> date:
    """``day``, or the first day after it on which the offices work (Monday to Friday,
    no public holiday or patron saint): where a series' date falls on a holiday."""
    return meeting_calendar(uow).roll_forward(day, saturday_working=False)


def _check_meeting_day(uow: UnitOfWork, day: date) -> None:
    if day.weekday() >= 5:
        weekday = "sabato" if day.weekday() == 5 else "domenica"
        raise ValidationError({"on": f"data della riunione: il {day:%d/%m/%Y} è {weekday}"})
    if meeting_calendar(uow).is_holiday(day):
        raise ValidationError({"on": f"data della riunione: il {day:%d/%m/%Y} è festivo"})


def get_meeting(uow: UnitOfWork, number: int | str) -> Meeting:
    """A meeting by its number («3», «n. 3») or by its id or the first characters of it
    (at least 6, as ``tavolo list`` shows 8). The number is given by the workstation that
    convenes (the highest + 1): two workstations convening before they sync give two
    meetings one number, and then the number alone is refused, naming their ids."""
    text = str(number).strip().lstrip("n.").strip()
    found: list[Meeting] = []
    live = Meeting.deleted_at.is_(None)
    if text.isdigit():
        query = select(Meeting).where(Meeting.number == int(text), live)
        found = list(uow.session.scalars(query.order_by(Meeting.held_on, Meeting.id)))
    key = text.lower().replace("-", "")
    if not found and len(key) >= 6 and all(c in "0123456789abcdef" for c in key):
        ids = uow.session.scalars(select(Meeting.id).where(live))
        matches = [found_id for found_id in ids if found_id.hex.startswith(key)]
        found = [uow.session.get_one(Meeting, key_id) for key_id in matches]
    if len(found) > 1:
        which = ", ".join(f"{m.id.hex[:8]} (n. {m.number}, {m.held_on:%d/%m/%Y})" for m in found)
        raise ValidationError(
            {"meeting": f"«{number}» indica più riunioni: {which}; indicare l'identificativo"}
        )
    if not found:
        raise NotFound(f"riunione n. {number} non trovata")
    return found[0]


def require_state(meeting: Meeting, *states: MeetingState) -> None:
    if meeting.state not in {state.value for state in states}:
        raise ValidationError(
            {
                "state": f"la riunione n. {meeting.number} è "
                f"{STATE_LABELS.get(meeting.state, meeting.state)}"
            }
        )


def _participants(uow: UnitOfWork, usernames: Sequence[str]) -> list[Staff]:
    """The named people, or by default whoever creates it and the heads of both offices."""
    if usernames:
        found = []
        for name in usernames:
            person = uow.session.scalar(select(Staff).where(Staff.username == name.strip()))
            if person is None or not person.active:
                raise NotFound(f"utente «{name}» non trovato")
            found.append(person)
        people = found
    else:
        province = uow.actor.office.province
        heads = uow.session.scalars(
            select(Staff)
            .join(Office, Office.id == Staff.office_id)
            .where(Staff.role == Role.HEAD.value, Staff.active, Office.province == province)
            .order_by(Office.kind.desc(), Staff.username)
        ).all()
        people = [uow.actor, *heads]
    unique = {person.id: person for person in people}
    return list(unique.values())


def _next_number(uow: UnitOfWork) -> int:
    return (uow.session.scalar(select(func.max(Meeting.number))) or 0) + 1


def create_meeting(
    uow: UnitOfWork,
    held_on: date,
    place: str = "",
    every_weeks: int | None = None,
    participants: Sequence[str] = (),
    series_id: uuid.UUID | None = None,
) -> tuple[Meeting, Changes]:
    require_chair(uow, "convocare una riunione")
    place = check_text("place", "luogo", place, limit=200, multiline=False)
    if every_weeks is not None and not 1 <= every_weeks <= MAX_EVERY_WEEKS:
        raise ValidationError({"every_weeks": f"periodicità: da 1 a {MAX_EVERY_WEEKS} settimane"})
    if held_on < uow.today:
        raise ValidationError({"on": f"data della riunione nel passato ({held_on:%d/%m/%Y})"})
    _check_meeting_day(uow, held_on)
    meeting = Meeting(
        id=uuid.uuid4(),
        number=_next_number(uow),
        held_on=held_on,
        place=place,
        every_weeks=every_weeks,
        state=MeetingState.IN_PREPARAZIONE.value,
        created_by_id=uow.actor.id,
        participants=",".join(str(p.id) for p in _participants(uow, participants)),
        item_seals="",
    )
    meeting.series_id = series_id or (meeting.id if every_weeks else None)
    uow.session.add(meeting)
    uow.session.flush()
    refresh_agenda(uow, meeting)
    return meeting, Changes.of(Changed.MEETINGS)


def list_meetings(uow: UnitOfWork) -> list[Meeting]:
    return list(
        uow.session.scalars(
            select(Meeting).where(Meeting.deleted_at.is_(None)).order_by(Meeting.number)
        )
    )


def visible_items(uow: UnitOfWork, meeting: Meeting) -> list[AgendaItem]:
    """The agenda as this person may see it: a restricted dossier's item only with the
    clearance (the server's policies hide it on a shared server anyway)."""
    items = uow.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.deleted_at.is_(None))
        .order_by(AgendaItem.position)
    ).all()
    return [item for item in items if item.dossier is None or can_see(uow.actor, item.dossier)]


def start_meeting(uow: UnitOfWork, number: int | str) -> Changes:
    require_chair(uow, "aprire una riunione")
    meeting = get_meeting(uow, number)
    require_state(meeting, MeetingState.IN_PREPARAZIONE)
    # The agenda as of today, one last time: what came up since it was prepared.
    refresh_agenda(uow, meeting)
    meeting.state = MeetingState.IN_CORSO.value
    meeting.started_at = datetime.now(UTC)
    uow.session.flush()
    return Changes.of(Changed.MEETINGS)


def close_meeting(uow: UnitOfWork, number: int | str) -> tuple[Meeting | None, Changes]:
    """Closes and seals the meeting; items without an outcome were not reached and go to
    the next meeting (the series' next one, created here when there is none yet).
    Returns the meeting their items went to, if any."""
    require_chair(uow, "chiudere una riunione")
    meeting = get_meeting(uow, number)
    require_state(meeting, MeetingState.IN_CORSO)
    # Nothing of the items changes: an item still open when its meeting closed was not
    # reached. A closed meeting's rows are never written again, and a workstation's push
    # applies the meeting's row before its items'.
    meeting.closed_at = datetime.now(UTC)
    seal.seal(uow.session, meeting)
    meeting.state = MeetingState.CHIUSA.value
    uow.session.flush()
    following = _following(uow, meeting)
    if following is not None:
        refresh_agenda(uow, following)
    return following, Changes.of(Changed.MEETINGS)


def _following(uow: UnitOfWork, meeting: Meeting) -> Meeting | None:
    waiting = uow.session.scalar(
        select(Meeting)
        .where(Meeting.state == MeetingState.IN_PREPARAZIONE.value, Meeting.deleted_at.is_(None))
        .order_by(Meeting.held_on, Meeting.number)
        .limit(1)
    )
    if waiting is not None or meeting.every_weeks is None:
        return waiting
    # Counted from the series' first meeting, so that a date moved past a holiday does not
    # move the ones after it (a Thursday series stays on Thursdays).
    first = uow.session.get(Meeting, meeting.series_id) if meeting.series_id else None
    held_on = first.held_on if first is not None else meeting.held_on
    while held_on <= meeting.held_on or held_on < uow.today:
        held_on += timedelta(weeks=meeting.every_weeks)
    held_on = meeting_day(uow, held_on)
    following, _ = create_meeting(
        uow,
        held_on,
        meeting.place,
        meeting.every_weeks,
        [str(p) for p in _usernames(uow, meeting)],
        meeting.series_id,
    )
    return following


def _usernames(uow: UnitOfWork, meeting: Meeting) -> list[str]:
    ids = meeting.participant_ids
    if not ids:
        return []
    names = uow.session.scalars(select(Staff.username).where(Staff.id.in_(ids), Staff.active))
    return list(names)


def add_item(
    uow: UnitOfWork, number: int | str, dossier_ref: str | None = None, topic: str = ""
) -> tuple[AgendaItem, Changes]:
    """A topic (heads) or a proposal (any staff member), with or without a dossier."""
    topic = check_text("topic", "argomento", topic)
    if not topic and not dossier_ref:
        raise ValidationError({"topic": "indicare una pratica o un argomento"})
    meeting = get_meeting(uow, number)
    require_state(meeting, MeetingState.IN_PREPARAZIONE, MeetingState.IN_CORSO)
    dossier_id = None
    if dossier_ref:
        dossier = get_dossier(uow, dossier_ref)
        dossier_id = dossier.id
        already = uow.session.scalar(
            select(AgendaItem.id).where(
                AgendaItem.meeting_id == meeting.id,
                AgendaItem.dossier_id == dossier.id,
                AgendaItem.deleted_at.is_(None),
            )
        )
        if already is not None:
            raise ValidationError(
                {"dossier": f"la pratica {dossier.reference} è già all'ordine del giorno"}
            )
    reason = Reason.TOPIC if is_chair(uow.actor) else Reason.PROPOSAL
    item = AgendaItem(
        id=uuid.uuid4(),
        meeting_id=meeting.id,
        section=SECTIONS[reason],
        reason=reason.value,
        dossier_id=dossier_id,
        topic=topic,
        detail="",
        proposer_id=uow.actor.id,
        position=next_position(uow.session, meeting),
        status=ItemStatus.OPEN.value,
    )
    uow.session.add(item)
    uow.session.flush()
    return item, Changes.of(Changed.MEETINGS)


def find_item(uow: UnitOfWork, ref: str) -> AgendaItem:
    """An item by its id or the first characters of it (at least 6, as the agenda shows
    8), among the items this person may see."""
    key = ref.strip().lower().replace("-", "")
    if len(key) < 6 or any(c not in "0123456789abcdef" for c in key):
        raise NotFound(f"punto «{ref}» non trovato")
    ids = uow.session.scalars(select(AgendaItem.id).where(AgendaItem.deleted_at.is_(None)))
    matches = [found for found in ids if found.hex.startswith(key)]
    if len(matches) > 1:
        raise ValidationError({"item": f"«{ref}» indica più punti: usare più caratteri"})
    item = uow.session.get(AgendaItem, matches[0]) if matches else None
    if item is None or (item.dossier is not None and not can_see(uow.actor, item.dossier)):
        raise NotFound(f"punto «{ref}» non trovato")
    return item
