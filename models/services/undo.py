"""Undo of the last state move, within a short window, by a compensating event.

History is append-only (docs/domain-rules.md, «Annullare l'ultimo passaggio»): undoing
a move adds an ``undone`` event that takes the dossier back to the state it left, dated
as the move it cancels; the clock and the closing date then ignore the pair (models/
clock_feed.py and the server's compute_clock and check_facts). Only the person who made
the move may undo it, only within ``UNDO_MINUTES`` of entering it, and only while nothing
else has been recorded on the dossier since. A parere request the move made is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from models.deadlines import refresh_derived
from models.dossiers import Dossier, DossierEvent
from models.enums import PARERE_RICHIESTO, EventKind
from models.errors import InvalidTransition
from models.permissions import require_visible
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier
from models.uow import UnitOfWork
from models.workflow import load_workflow

UNDO_MINUTES = 10


@dataclass(frozen=True)
class UndoOffer:
    """The move that can still be undone, and for how long."""

    from_label: str
    to_label: str
    seconds_left: int


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _refusal(uow: UnitOfWork, dossier: Dossier, now: datetime) -> tuple[DossierEvent, str | None]:
    """The dossier's last event and, when it cannot be undone, why (in Italian)."""
    events = [e for e in dossier.events if e.deleted_at is None]
    if not events:
        raise InvalidTransition(f"pratica {dossier.reference}: nessun passaggio da annullare")
    last = max(events, key=lambda e: e.seq)
    if last.kind != EventKind.TRANSITION.value or last.to_state is None:
        return last, "dopo l'ultimo passaggio di stato è stato registrato altro"
    if last.actor_id != uow.actor.id:
        return last, "l'ultimo passaggio è stato fatto da un altro utente"
    entered = _aware(last.entered_at) if last.entered_at else now
    if now - entered > timedelta(minutes=UNDO_MINUTES):
        return last, f"sono trascorsi più di {UNDO_MINUTES} minuti dal passaggio"
    return last, None


def undo_offer(uow: UnitOfWork, dossier: Dossier, now: datetime | None = None) -> UndoOffer | None:
    """What Ctrl+Z would undo now for this user, or None."""
    require_visible(uow.actor, dossier, dossier.reference)
    moment = now or datetime.now(UTC)
    if not dossier.events:
        return None
    last, refused = _refusal(uow, dossier, moment)
    if refused is not None or last.from_state is None or last.to_state is None:
        return None
    workflow = load_workflow(uow.session, dossier.procedure_type)
    entered = _aware(last.entered_at) if last.entered_at else moment
    left = timedelta(minutes=UNDO_MINUTES) - (moment - entered)
    return UndoOffer(
        workflow.label(last.from_state), workflow.label(last.to_state), int(left.total_seconds())
    )


def undo_last_move(uow: UnitOfWork, ref: str, now: datetime | None = None) -> Changes:
    """Take the dossier back to the state its last move left, with an ``undone`` event."""
    moment = now or datetime.now(UTC)
    dossier = get_dossier(uow, ref, with_history=True)
    last, refused = _refusal(uow, dossier, moment)
    if refused is not None:
        raise InvalidTransition(f"pratica {dossier.reference}: non si annulla ({refused})")
    assert last.from_state is not None and last.to_state is not None
    workflow = load_workflow(uow.session, dossier.procedure_type)
    dossier.events.append(
        DossierEvent(
            seq=max(e.seq for e in dossier.events) + 1,
            kind=EventKind.UNDONE.value,
            from_state=last.to_state,
            to_state=last.from_state,
            actor_id=uow.actor.id,
            office_id=uow.actor.office_id,
            effective_on=last.effective_on,
            note=f"annullato il passaggio a «{workflow.label(last.to_state)}»",
        )
    )
    dossier.state = last.from_state
    if last.to_state == PARERE_RICHIESTO:
        asked = [p for p in dossier.pareri if p.given_on is None and p.deleted_at is None]
        if asked:
            asked[-1].deleted_at = moment  # the request the move made is withdrawn
    refresh_derived(uow.session, dossier, uow.today)
    uow.session.flush()
    return Changes.of(Changed.DOSSIER, Changed.HISTORY, Changed.PARERE, dossiers=(dossier.id,))
