"""What a clerk should notice without looking for it: a new pending item for the office,
a parere returned by the other office, a dossier of the office entering its last 7 days.
The adapter asks every so often with the moment of its last question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models.dates import italian_date
from models.dossiers import Dossier, DossierEvent
from models.enums import ClockEffect, EventKind
from models.services.queries import visibility
from models.uow import UnitOfWork

WARNING_DAYS = 7  # the list's amber badge


@dataclass(frozen=True)
class Notice:
    kind: str  # flag, parere, deadline
    dossier_id: str
    reference: str
    text: str  # Italian
    key: str = ""  # the same notice found twice has the same key


def notices_since(uow: UnitOfWork, since: datetime, checked_on: date) -> list[Notice]:
    """Events entered after ``since`` by the other office on visible dossiers, and the
    office's running dossiers whose deadline came within 7 days after ``checked_on``.

    Some databases keep ``entered_at`` to the second: ask with a ``since`` a little
    early and drop the keys already seen."""
    session, actor, today = uow.session, uow.actor, uow.today
    notices: list[Notice] = []
    events = session.scalars(
        select(DossierEvent)
        .join(Dossier, Dossier.id == DossierEvent.dossier_id)
        .where(
            *visibility(actor),
            DossierEvent.entered_at > since,
            DossierEvent.kind.in_([EventKind.FLAG_RAISED.value, EventKind.PARERE_GIVEN.value]),
            DossierEvent.office_id != actor.office_id,
        )
        .order_by(DossierEvent.entered_at)
        .options(selectinload(DossierEvent.dossier))
    )
    for event in events:
        dossier = event.dossier
        if event.kind == EventKind.FLAG_RAISED.value:
            text = f"{dossier.reference}: nuova segnalazione per il tuo ufficio – {event.note}"
            kind = "flag"
        else:
            text = f"{dossier.reference}: parere restituito – {event.note}"
            kind = "parere"
        notices.append(Notice(kind, dossier.id.hex, dossier.reference, text, event.id.hex))
    if today > checked_on:
        crossing = session.scalars(
            select(Dossier)
            .where(
                *visibility(actor),
                Dossier.holder_office_id == actor.office_id,
                Dossier.clock_state == ClockEffect.RUNS.value,
                Dossier.closed_on.is_(None),
                Dossier.deadline > checked_on + timedelta(days=WARNING_DAYS),
                Dossier.deadline <= today + timedelta(days=WARNING_DAYS),
            )
            .order_by(Dossier.deadline)
        )
        for dossier in crossing:
            days = (dossier.deadline - today).days if dossier.deadline else 0
            notices.append(
                Notice(
                    "deadline",
                    dossier.id.hex,
                    dossier.reference,
                    f"{dossier.reference}: scade il {italian_date(dossier.deadline)}, "
                    f"tra {days} giorni",
                    f"deadline:{dossier.id.hex}:{dossier.deadline}",
                )
            )
    return notices
