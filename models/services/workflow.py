"""Moving a dossier through its workflow and recording the parere."""

from __future__ import annotations

from datetime import date

from models.bounds import check_text
from models.deadlines import refresh_derived
from models.dossiers import Dossier, DossierEvent, Parere
from models.enums import PARERE_RICHIESTO, EventKind, ParereOutcome
from models.errors import InvalidTransition, ValidationError
from models.permissions import acts_for, require_office, require_visible
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier
from models.uow import UnitOfWork
from models.validation import validate_effective_date
from models.workflow import Move, load_workflow


def _last_effective(dossier: Dossier) -> date | None:
    dates = [e.effective_on for e in dossier.events if e.to_state is not None]
    return max(dates) if dates else None


def _apply_move(
    uow: UnitOfWork, dossier: Dossier, move: Move, on: date, kind: EventKind, note: str
) -> None:
    validate_effective_date(on, uow.today, _last_effective(dossier))
    dossier.events.append(
        DossierEvent(
            seq=len(dossier.events),
            kind=kind.value,
            from_state=move.from_state,
            to_state=move.to_state,
            actor_id=uow.actor.id,
            office_id=uow.actor.office_id,
            effective_on=on,
            note=note,
        )
    )
    dossier.state = move.to_state
    if move.to_state == PARERE_RICHIESTO:
        dossier.pareri.append(Parere(requested_on=on, requested_by_id=uow.actor.id))
    refresh_derived(uow.session, dossier, uow.today)


def allowed_moves(uow: UnitOfWork, dossier: Dossier) -> list[Move]:
    """The moves this user may make now: what the GUI offers and the CLI accepts."""
    require_visible(uow.actor, dossier, dossier.reference)
    workflow = load_workflow(uow.session, dossier.procedure_type)
    return [m for m in workflow.moves_from(dossier.state) if acts_for(uow.actor, m.actor_office)]


def advance(uow: UnitOfWork, ref: str, to_state: str, on: date, note: str = "") -> Changes:
    note = check_text("note", "nota", note)
    dossier = get_dossier(uow, ref, with_history=True)
    workflow = load_workflow(uow.session, dossier.procedure_type)
    target = to_state.strip().lower()
    if target not in workflow.states:
        raise InvalidTransition(
            f"stato «{to_state}» sconosciuto per {workflow.type_code}; stati: "
            + ", ".join(workflow.states)
        )
    move = workflow.move(dossier.state, target)
    if move.via_parere:
        raise InvalidTransition(
            f"da «{dossier.state}» si esce registrando il parere (raccordo parere "
            f"{dossier.reference} --outcome …)"
        )
    require_office(uow.actor, move.actor_office, f"portare la pratica a «{workflow.label(target)}»")
    _apply_move(uow, dossier, move, on, EventKind.TRANSITION, note)
    uow.session.flush()
    return Changes.of(Changed.DOSSIER, Changed.HISTORY, Changed.PARERE, dossiers=(dossier.id,))


def record_parere(uow: UnitOfWork, ref: str, outcome: str, reasons: str, on: date) -> Changes:
    """The other office's opinion; it sends the file back to the office that asked."""
    reasons = check_text("reasons", "motivi", reasons)
    dossier = get_dossier(uow, ref, with_history=True)
    try:
        verdict = ParereOutcome(outcome.strip().lower())
    except ValueError:
        raise ValidationError(
            {"outcome": f"esito «{outcome}» non valido: favorevole o motivi_ostativi"}
        ) from None
    if verdict is ParereOutcome.MOTIVI_OSTATIVI and not reasons.strip():
        raise ValidationError({"reasons": "motivi ostativi: indicare le ragioni"})
    workflow = load_workflow(uow.session, dossier.procedure_type)
    move = next((m for m in workflow.moves_from(dossier.state) if m.via_parere), None)
    pending = next(
        (p for p in reversed(dossier.pareri) if p.given_on is None and p.deleted_at is None),
        None,
    )
    if move is None or pending is None:
        raise InvalidTransition(
            f"nessun parere in attesa sulla pratica {dossier.reference} "
            f"(stato: {workflow.label(dossier.state)})"
        )
    require_office(uow.actor, move.actor_office, "registrare il parere")
    if on < pending.requested_on:
        raise ValidationError(
            {"on": f"parere dato prima della richiesta ({pending.requested_on:%d/%m/%Y})"}
        )
    pending.given_on = on
    pending.outcome = verdict.value
    pending.reasons = reasons.strip()
    pending.officer_id = uow.actor.id
    note = verdict.value + (f": {reasons.strip()}" if reasons.strip() else "")
    _apply_move(uow, dossier, move, on, EventKind.PARERE_GIVEN, note)
    uow.session.flush()
    return Changes.of(Changed.DOSSIER, Changed.HISTORY, Changed.PARERE, dossiers=(dossier.id,))
