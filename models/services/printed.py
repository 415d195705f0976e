"""Recording that a form was printed: what, who, when, on each dossier it concerns."""

from __future__ import annotations

from models.dossiers import DossierEvent
from models.enums import EventKind
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier
from models.uow import UnitOfWork

NOTE = "stampato: {form}"  # what the server reads the form from (sync/server)


def printed_note(form: str) -> str:
    return NOTE.format(form=form)


def record_printed(uow: UnitOfWork, refs: list[str], form: str) -> Changes:
    """One ``printed`` event per dossier; the clock and the state do not change."""
    ids = []
    for ref in refs:
        dossier = get_dossier(uow, ref, with_history=True)
        dossier.events.append(
            DossierEvent(
                seq=len(dossier.events),
                kind=EventKind.PRINTED.value,
                actor_id=uow.actor.id,
                office_id=uow.actor.office_id,
                effective_on=uow.today,
                note=printed_note(form),
            )
        )
        ids.append(dossier.id)
    uow.session.flush()
    return Changes.of(Changed.HISTORY, dossiers=tuple(ids))
