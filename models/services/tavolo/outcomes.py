"""What the meeting concluded on an item: information, a decision or an action, with its
effects made then and there through the usual services (their permissions and audit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from models.bounds import check_text
from models.enums import FLAG_CATEGORIES
from models.errors import NotFound, PermissionDenied, ValidationError
from models.meetings import (
    AgendaItem,
    AgendaOutcome,
    ItemStatus,
    MeetingState,
    OutcomeKind,
)
from models.offices import Office, Staff
from models.permissions import acts_for
from models.services.changes import Changed, Changes
from models.services.tavolo.meetings import find_item, is_chair, require_chair, require_state
from models.uow import UnitOfWork

if TYPE_CHECKING:
    from models.services.tavolo.views import OpenAction


@dataclass(frozen=True)
class OutcomeRequest:
    kind: OutcomeKind
    text: str
    owner: str | None = None  # office code or kind, or a username (actions)
    due_on: date | None = None  # actions
    flag_category: str | None = None  # raise a pending item on the item's dossier
    advance_to: str | None = None  # move the item's dossier to this state


def _owner(uow: UnitOfWork, ref: str) -> tuple[Office | None, Staff | None]:
    key = ref.strip()
    person = uow.session.scalar(select(Staff).where(Staff.username == key))
    if person is not None:
        if not person.active:
            raise ValidationError({"owner": f"utente «{key}» non attivo"})
        return person.office, person
    province = uow.actor.office.province
    office = uow.session.scalar(
        select(Office).where(
            or_(
                func.upper(Office.code) == key.upper(),
                (Office.kind == key.lower()) & (Office.province == province),
            )
        )
    )
    if office is None:
        raise ValidationError(
            {
                "owner": f"incaricato «{key}» sconosciuto: indicare un ufficio (sui, questura) "
                "o un utente"
            }
        )
    return office, None


def _check(request: OutcomeRequest) -> str:
    text = check_text("text", "testo dell'esito", request.text)
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "testo dell'esito: campo obbligatorio"
    if request.kind is OutcomeKind.AZIONE:
        if not request.owner:
            errors["owner"] = "un'azione ha un incaricato (ufficio o persona)"
        if request.due_on is None:
            errors["due"] = "un'azione ha una scadenza"
    elif request.owner or request.due_on:
        errors["owner"] = "incaricato e scadenza valgono solo per un'azione"
    if request.flag_category is not None and request.flag_category not in FLAG_CATEGORIES:
        errors["flag"] = (
            f"categoria «{request.flag_category}» sconosciuta; categorie: "
            + ", ".join(FLAG_CATEGORIES)
        )
    if errors:
        raise ValidationError(errors)
    return text


def record_outcome(
    uow: UnitOfWork, item_ref: str, request: OutcomeRequest
) -> tuple[AgendaOutcome, Changes]:
    require_chair(uow, "registrare gli esiti della riunione")
    text = _check(request)
    item = find_item(uow, item_ref)
    require_state(item.meeting, MeetingState.IN_CORSO)
    if (request.flag_category or request.advance_to) and item.dossier_id is None:
        raise ValidationError({"item": "il punto non riguarda una pratica"})
    office, person = _owner(uow, request.owner) if request.owner else (None, None)
    if request.due_on is not None and request.due_on < item.meeting.held_on:
        raise ValidationError(
            {"due": f"scadenza precedente alla riunione ({request.due_on:%d/%m/%Y})"}
        )
    changes = Changes.of(Changed.MEETINGS)
    outcome = AgendaOutcome(
        id=uuid.uuid4(),
        dossier_id=item.dossier_id,
        item_id=item.id,
        position=len(item.outcomes),
        kind=request.kind.value,
        text=text,
        owner_office_id=office.id if office is not None else None,
        owner_id=person.id if person is not None else None,
        due_on=request.due_on,
        recorded_by_id=uow.actor.id,
    )
    ref = str(item.dossier_id)
    note = f"Tavolo di coordinamento, riunione n. {item.meeting.number}: {text}"
    if request.flag_category is not None:
        from models.services.flags import raise_flag

        number, raised = raise_flag(uow, ref, request.flag_category, text, False, uow.today)
        outcome.flag_number = number
        changes |= raised
    if request.advance_to is not None:
        from models.services.workflow import advance

        changes |= advance(uow, ref, request.advance_to, uow.today, note[:2000])
        outcome.moved_to = request.advance_to.strip().lower()
    item.outcomes.append(outcome)
    item.status = ItemStatus.DISCUSSED.value
    uow.session.flush()
    return outcome, changes


def find_action(uow: UnitOfWork, ref: str) -> AgendaOutcome:
    key = ref.strip().lower().replace("-", "")
    if len(key) < 6 or any(c not in "0123456789abcdef" for c in key):
        raise NotFound(f"azione «{ref}» non trovata")
    ids = uow.session.scalars(
        select(AgendaOutcome.id).where(
            AgendaOutcome.kind == OutcomeKind.AZIONE.value, AgendaOutcome.deleted_at.is_(None)
        )
    )
    matches = [found for found in ids if found.hex.startswith(key)]
    if len(matches) != 1:
        raise NotFound(f"azione «{ref}» non trovata")
    action = uow.session.get(AgendaOutcome, matches[0])
    assert action is not None
    find_item(uow, action.item_id.hex)  # visible to this person, or not found
    return action


def mark_done(uow: UnitOfWork, ref: str, on: date) -> Changes:
    """An action carried out: by the chair, the owner office or the owner."""
    action = find_action(uow, ref)
    owner_kind = action.owner_office.office_kind if action.owner_office is not None else None
    allowed = (
        is_chair(uow.actor)
        or action.owner_id == uow.actor.id
        or (owner_kind is not None and acts_for(uow.actor, owner_kind))
    )
    if not allowed:
        raise PermissionDenied("un'azione la chiude chi ne è incaricato")
    if action.done_on is not None:
        raise ValidationError({"action": f"azione già svolta il {action.done_on:%d/%m/%Y}"})
    if on > uow.today:
        raise ValidationError({"on": f"data di svolgimento nel futuro ({on:%d/%m/%Y})"})
    action.done_on = on
    uow.session.flush()
    return Changes.of(Changed.MEETINGS)


def open_actions(uow: UnitOfWork) -> list[AgendaOutcome]:
    """Actions not done yet, oldest due date first, that this person may see."""
    from models.permissions import can_see

    rows = uow.session.scalars(
        select(AgendaOutcome)
        .join(AgendaItem, AgendaItem.id == AgendaOutcome.item_id)
        .where(
            AgendaOutcome.kind == OutcomeKind.AZIONE.value,
            AgendaOutcome.done_on.is_(None),
            AgendaOutcome.deleted_at.is_(None),
        )
        .order_by(AgendaOutcome.due_on)
    ).all()
    return [
        action
        for action in rows
        if action.item.dossier is None or can_see(uow.actor, action.item.dossier)
    ]


def actions_for(uow: UnitOfWork) -> list[OpenAction]:
    """The open actions this person or their office must carry out, oldest due date
    first (*Segnalazioni*, *Da lavorare*)."""
    from models.services.tavolo.views import OpenAction, outcome_view

    mine = []
    for action in open_actions(uow):
        office = action.owner_office
        if action.owner_id == uow.actor.id or (
            action.owner_id is None and office is not None and office.id == uow.actor.office_id
        ):
            dossier = action.item.dossier
            mine.append(
                OpenAction(
                    action=outcome_view(action),
                    meeting=action.item.meeting.number,
                    dossier=dossier.reference if dossier is not None else None,
                    dossier_id=dossier.id if dossier is not None else None,
                    late=action.due_on is not None and action.due_on < uow.today,
                )
            )
    return mine
