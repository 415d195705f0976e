"""The applicant's observations on a preavviso di rigetto (art. 10-bis L. 241/1990).

A dated event in the dossier's history: the term, suspended by the notice, runs again
10 days after they arrive (see models/clock.py); without them, when the 10 days allowed
for them run out.
"""

from __future__ import annotations

from datetime import date

from models.bounds import check_text
from models.deadlines import refresh_derived
from models.dossiers import Dossier, DossierEvent
from models.enums import PREAVVISO_RIGETTO, EventKind, OfficeKind
from models.errors import PermissionDenied, ValidationError
from models.offices import Staff
from models.permissions import acts_for, require_office
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier
from models.uow import UnitOfWork
from models.validation import validate_effective_date

DEFAULT_NOTE = "osservazioni del richiedente al preavviso di rigetto"


def _notice_answered_by(dossier: Dossier, on: date) -> date:
    """The day of the preavviso these observations answer; refuses when there is none."""
    notices = [
        e.effective_on
        for e in dossier.events
        if e.to_state == PREAVVISO_RIGETTO and e.deleted_at is None and e.effective_on <= on
    ]
    if not notices:
        raise ValidationError(
            {
                "on": f"nessun preavviso di rigetto sulla pratica {dossier.reference} "
                f"al {on:%d/%m/%Y}"
            }
        )
    notice = max(notices)
    answered = [
        e.effective_on
        for e in dossier.events
        if e.kind == EventKind.OBSERVATIONS.value
        and e.deleted_at is None
        and e.effective_on >= notice
    ]
    if answered:
        raise ValidationError(
            {
                "on": f"osservazioni al preavviso del {notice:%d/%m/%Y} già registrate "
                f"(pervenute il {min(answered):%d/%m/%Y})"
            }
        )
    return notice


def observations_awaited(actor: Staff, dossier: Dossier) -> bool:
    """May ``actor`` record observations now: an open file, a preavviso without them yet,
    and the actor acting for the lead office? (What the window offers.)"""
    if dossier.closed_on is not None:
        return False
    if not acts_for(actor, OfficeKind(dossier.procedure_type.lead_office)):
        return False
    notices = [e.effective_on for e in dossier.events if e.to_state == PREAVVISO_RIGETTO]
    return bool(notices) and not any(
        e.kind == EventKind.OBSERVATIONS.value and e.effective_on >= max(notices)
        for e in dossier.events
    )


def record_observations(uow: UnitOfWork, ref: str, on: date, note: str = "") -> Changes:
    """The applicant's observations arrived on ``on``; the clock is recomputed."""
    note = check_text("note", "nota", note)
    dossier = get_dossier(uow, ref, with_history=True)
    require_office(
        uow.actor,
        OfficeKind(dossier.procedure_type.lead_office),
        "registrare le osservazioni al preavviso di rigetto",
    )
    if dossier.closed_on is not None:
        raise PermissionDenied(f"la pratica {dossier.reference} è chiusa")
    notice = _notice_answered_by(dossier, on)
    validate_effective_date(on, uow.today, notice)
    dossier.events.append(
        DossierEvent(
            seq=len(dossier.events),
            kind=EventKind.OBSERVATIONS.value,
            actor_id=uow.actor.id,
            office_id=uow.actor.office_id,
            effective_on=on,
            note=note.strip() or DEFAULT_NOTE,
        )
    )
    reading = refresh_derived(uow.session, dossier, uow.today)
    uow.session.flush()
    warnings = tuple(f.text for f in reading.findings if f.on == on and "osservazioni" in f.text)
    return Changes.of(Changed.DOSSIER, Changed.HISTORY, dossiers=(dossier.id,), warnings=warnings)
