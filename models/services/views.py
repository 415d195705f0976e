"""Dossiers as read models (``models.read.views``) for adapters: CLI, GUI, letters.

Every public function here takes the unit of work and answers for its user: a dossier
they may not see is «not found» or left out, never shown.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.clock import ClockReading
from models.deadlines import read_clock, rule_for
from models.dossiers import Dossier, Flag
from models.permissions import require_visible
from models.procedures import WorkflowState
from models.read import views as read_views
from models.read.views import (
    ClockFigures,
    DossierDetail,
    DossierSummary,
    EventFacts,
    FlagFacts,
    MoveFacts,
    ParereFacts,
    RuleFacts,
    figures,
    silent_assent_applies,
    stored_figures,
    stored_figures_are_exact,
    summary,
)
from models.services.lookup import get_dossier
from models.services.queries import DossierFilter, list_dossiers, list_flags
from models.services.records import DossierRecord
from models.services.workflow import allowed_moves
from models.uow import UnitOfWork
from models.workflow import load_workflow


def state_label(session: Session, procedure_type_id: uuid.UUID, state: str) -> str:
    """A state's label, from one query per session for all types."""
    labels: dict[tuple[uuid.UUID, str], str] | None = session.info.get("state_labels")
    if labels is None:
        rows = session.execute(
            select(WorkflowState.procedure_type_id, WorkflowState.code, WorkflowState.label).where(
                WorkflowState.deleted_at.is_(None)
            )
        )
        labels = {(type_id, code): label for type_id, code, label in rows}
        session.info["state_labels"] = labels
    return labels.get((procedure_type_id, state), state)


def dossier_summaries(
    uow: UnitOfWork, spec: DossierFilter, limit: int | None = 50
) -> list[DossierSummary]:
    """The dossiers this user may see that match ``spec``, in ``list_dossiers``' order;
    those whose clock must be recomputed load in one query."""
    records = list_dossiers(uow, spec, limit)
    recompute = [r.id for r in records if not stored_figures_are_exact(r)]
    if recompute:
        uow.session.scalars(
            select(Dossier)
            .where(Dossier.id.in_(recompute))
            .options(selectinload(Dossier.events), selectinload(Dossier.flags))
        ).all()  # now in the session's identity map for _clock_figures
    return [_summary(uow.session, record, uow.today) for record in records]


def deadline_summaries(
    uow: UnitOfWork, within: int, office: str | None = None
) -> list[DossierSummary]:
    """Running dossiers overdue or due within ``within`` days, oldest deadline first."""
    return dossier_summaries(uow, DossierFilter(due_within=within, office=office), None)


def _clock_figures(session: Session, record: DossierRecord, today: date) -> ClockFigures:
    """Deadline figures; from the stored columns when they are exact, else recomputed."""
    if stored_figures_are_exact(record):
        return stored_figures(record, today)
    dossier = session.get(Dossier, record.id)
    assert dossier is not None
    return figures(read_clock(session, dossier, today))


def _summary(
    session: Session,
    item: Dossier | DossierRecord,
    today: date,
    reading: ClockReading | None = None,
) -> DossierSummary:
    """``reading``: the clock already computed for this dossier, if the caller has it."""
    record = item if isinstance(item, DossierRecord) else DossierRecord.of(item)
    numbers = figures(reading) if reading else _clock_figures(session, record, today)
    return summary(record, state_label(session, record.procedure_type_id, record.state), numbers)


def dossier_summary(uow: UnitOfWork, dossier: Dossier | str) -> DossierSummary:
    """One dossier (or the one ``ref`` names) as lists show it, if this user may see it."""
    return _summary(uow.session, _visible(uow, dossier), uow.today)


def _visible(uow: UnitOfWork, dossier: Dossier | str, with_history: bool = False) -> Dossier:
    if isinstance(dossier, str):
        return get_dossier(uow, dossier, with_history=with_history)
    return require_visible(uow.actor, dossier, dossier.reference)


def flag_facts(flag: Flag) -> FlagFacts:
    return FlagFacts(
        id=str(flag.id),
        number=flag.number,
        dossier=flag.dossier.reference,
        dossier_id=flag.dossier_id,
        category=flag.category,
        text=flag.text,
        suspends=flag.suspends,
        raised_by_office=flag.raised_by_office.code,
        for_office=flag.for_office.code,
        raised_by=flag.raised_by.username if flag.raised_by else None,
        raised_on=flag.raised_on,
        resolved_on=flag.resolved_on,
        resolved_by=flag.resolved_by.username if flag.resolved_by else None,
        resolution_note=flag.resolution_note,
    )


def flag_list(uow: UnitOfWork, open_only: bool, office: str | None) -> list[FlagFacts]:
    """Pending items on the dossiers this user may see, raised by or for ``office``."""
    return [flag_facts(f) for f in list_flags(uow, open_only, office)]


def dossier_detail(
    uow: UnitOfWork, dossier: Dossier | str, *, with_moves: bool = True
) -> DossierDetail:
    """What ``dossier show``, the window and letters show of one dossier, if this user
    may see it; ``with_moves``: the moves this user may make now."""
    session, today = uow.session, uow.today
    dossier = _visible(uow, dossier, with_history=True)
    moves = allowed_moves(uow, dossier) if with_moves else []
    workflow = load_workflow(session, dossier.procedure_type)
    reading = read_clock(session, dossier, today)
    rule = rule_for(session, dossier.procedure_type_id, dossier.filed_on)
    return read_views.detail(
        _summary(session, dossier, today, reading),
        dossier.quota_assigned_on,
        reading,
        RuleFacts(
            valid_from=rule.valid_from,
            valid_to=rule.valid_to,
            term=rule.term,
            unit=rule.unit,
            start=rule.start,
            basis=rule.basis,
            silent_assent=silent_assent_applies(
                rule.silent_assent, rule.silent_assent_exclusions, dossier.nationality
            ),
            to_verify=rule.to_verify,
        ),
        (
            EventFacts(
                kind=e.kind,
                from_state=e.from_state,
                to_state=e.to_state,
                to_state_label=workflow.label(e.to_state) if e.to_state else None,
                effective_on=e.effective_on,
                entered_at=e.entered_at,
                actor=e.actor.username if e.actor else None,
                office=e.office.code if e.office else None,
                note=e.note,
            )
            for e in dossier.events
        ),
        (
            ParereFacts(
                requested_on=p.requested_on,
                given_on=p.given_on,
                outcome=p.outcome,
                reasons=p.reasons,
                officer=p.officer.username if p.officer else None,
            )
            for p in dossier.pareri
        ),
        (flag_facts(f) for f in dossier.flags),
        (MoveFacts(m.to_state, workflow.label(m.to_state), m.via_parere) for m in moves),
    )
