"""Who must act on a dossier now and what it waits for, in one Italian sentence.

The dossier header, the preview and the Questura's queue read it here (docs/domain-rules.md,
«Chi deve agire»): a parere asked of the other office is measured against the
installation's target (``models.parere_target``), since the parere has no statutory term.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models.dates import italian_date
from models.dossiers import Dossier, Parere
from models.enums import (
    CONVOCATA,
    IN_ISTRUTTORIA,
    INTEGRAZIONE_RICHIESTA,
    PREAVVISO_RIGETTO,
    PRESENTATA,
    Party,
)
from models.parere_target import read_parere_target
from models.permissions import require_visible
from models.services.labels import HOLDER_WORDS
from models.services.queries import visibility
from models.uow import UnitOfWork
from models.workflow import load_workflow


@dataclass(frozen=True)
class Waiting:
    """``actor``: who must act, in words; ``text``: what the dossier waits for."""

    actor: str
    text: str
    late: bool = False  # the parere is past its target


def _office_words(party: str, office: str | None) -> str:
    words = HOLDER_WORDS.get(party, party)
    return f"{words} ({office})" if office else words


def parere_clock(asked_on: date, today: date, target: int) -> tuple[int, int]:
    """Days since the parere was asked and days left before the target (negative: late)."""
    waited = (today - asked_on).days
    return waited, target - waited


def parere_clock_text(asked_on: date, today: date, target: int) -> str:
    """«obiettivo 30 gg, mancano 4 gg» or «obiettivo 30 gg, superato di 3 gg»."""
    _waited, left = parere_clock(asked_on, today, target)
    if left > 1:
        rest = f"mancano {left} gg"
    elif left == 1:
        rest = "manca 1 g"
    elif left == 0:
        rest = "scade oggi"
    else:
        rest = f"superato di {-left} gg"
    return f"obiettivo {target} gg, {rest}"


def waiting_for(uow: UnitOfWork, dossier: Dossier) -> Waiting:
    """What the header says under the dossier's name, for a user who may see it."""
    require_visible(uow.actor, dossier, dossier.reference)
    session, today = uow.session, uow.today
    workflow = load_workflow(session, dossier.procedure_type)
    office = dossier.holder_office.code if dossier.holder_office else None
    actor = _office_words(dossier.holder, office)
    if dossier.closed_on is not None:
        label = workflow.label(dossier.state)
        return Waiting(
            HOLDER_WORDS[Party.NONE.value],
            f"Pratica chiusa il {italian_date(dossier.closed_on)} ({label.lower()}).",
        )
    since = _entered_on(dossier)
    pending = next(
        (p for p in reversed(dossier.pareri) if p.given_on is None and p.deleted_at is None),
        None,
    )
    if pending is not None:
        target = read_parere_target(session)
        whose = "della Questura" if dossier.holder == Party.QUESTURA.value else "dello Sportello"
        _waited, left = parere_clock(pending.requested_on, today, target)
        return Waiting(
            actor,
            f"In attesa del parere {whose} dal {italian_date(pending.requested_on)}"
            f" — {parere_clock_text(pending.requested_on, today, target)}",
            late=left < 0,
        )
    texts = {
        PRESENTATA: "Da avviare: l'istruttoria non è ancora iniziata",
        IN_ISTRUTTORIA: f"In istruttoria dal {italian_date(since)}",
        INTEGRAZIONE_RICHIESTA: (
            f"In attesa dell'integrazione del richiedente dal {italian_date(since)}"
            " — termine sospeso"
        ),
        PREAVVISO_RIGETTO: (
            f"In attesa delle osservazioni del richiedente dal {italian_date(since)}"
            " (10 giorni dal preavviso) — termine sospeso"
        ),
        CONVOCATA: f"Richiedente convocato dal {italian_date(since)}: in attesa dell'esito",
    }
    text = texts.get(dossier.state, f"{workflow.label(dossier.state)} dal {italian_date(since)}")
    return Waiting(actor, text)


def _entered_on(dossier: Dossier) -> date:
    """The day the dossier reached its present state."""
    moves = [e for e in dossier.events if e.to_state == dossier.state]
    return moves[-1].effective_on if moves else dossier.filed_on


@dataclass(frozen=True)
class ParereWait:
    """A queue's cell: days since the parere was asked, against the target."""

    text: str  # «26 gg / 30»
    tooltip: str
    late: bool


def parere_waits(uow: UnitOfWork, dossier_ids: list[str]) -> dict[str, ParereWait]:
    """For those of the dossiers (hex ids) this user may see that wait for a parere: how
    long they have waited."""
    if not dossier_ids:
        return {}
    session, today = uow.session, uow.today
    target = read_parere_target(session)
    rows = session.execute(
        select(Parere.dossier_id, Parere.requested_on)
        .join(Dossier, Dossier.id == Parere.dossier_id)
        .where(
            Parere.dossier_id.in_([uuid.UUID(hex=i) for i in dossier_ids]),
            Parere.given_on.is_(None),
            Parere.deleted_at.is_(None),
            *visibility(uow.actor),
        )
    )
    waits = {}
    for dossier_id, asked_on in rows:
        waited, left = parere_clock(asked_on, today, target)
        waits[dossier_id.hex] = ParereWait(
            text=("⚠ " if left < 0 else "") + f"{waited} gg / {target}",
            tooltip=f"Parere chiesto il {italian_date(asked_on)}: "
            + parere_clock_text(asked_on, today, target),
            late=left < 0,
        )
    return waits
