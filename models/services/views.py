"""Plain dictionaries of dossiers for adapters (CLI ``--json``, GUI, scripts)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.clock import ClockReading
from models.deadlines import read_clock, rule_for
from models.dossiers import Dossier, Flag
from models.procedures import WorkflowState
from models.read import views as read_views
from models.read.views import (
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
from models.services.records import DossierRecord
from models.workflow import Move, load_workflow


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
    session: Session, records: list[DossierRecord], today: date
) -> list[dict[str, Any]]:
    """Summaries of many dossiers; those whose clock must be recomputed load in one query."""
    recompute = [r.id for r in records if not stored_figures_are_exact(r)]
    if recompute:
        session.scalars(
            select(Dossier)
            .where(Dossier.id.in_(recompute))
            .options(selectinload(Dossier.events), selectinload(Dossier.flags))
        ).all()  # now in the session's identity map for clock_numbers
    return [dossier_summary(session, record, today) for record in records]


def clock_numbers(session: Session, record: DossierRecord, today: date) -> dict[str, Any]:
    """Deadline figures; from the stored columns when they are exact, else recomputed."""
    if stored_figures_are_exact(record):
        return stored_figures(record, today)
    dossier = session.get(Dossier, record.id)
    assert dossier is not None
    return figures(read_clock(session, dossier, today))


def dossier_summary(
    session: Session,
    item: Dossier | DossierRecord,
    today: date,
    reading: ClockReading | None = None,
) -> dict[str, Any]:
    """``reading``: the clock already computed for this dossier, if the caller has it."""
    record = item if isinstance(item, DossierRecord) else DossierRecord.of(item)
    numbers = figures(reading) if reading else clock_numbers(session, record, today)
    return summary(record, state_label(session, record.procedure_type_id, record.state), numbers)


def flag_facts(flag: Flag) -> FlagFacts:
    return FlagFacts(
        id=str(flag.id),
        number=flag.number,
        dossier=flag.dossier.reference,
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


def flag_view(flag: Flag) -> dict[str, Any]:
    return read_views.flag_view(flag_facts(flag))


def dossier_detail(
    session: Session, dossier: Dossier, today: date, moves: list[Move]
) -> dict[str, Any]:
    workflow = load_workflow(session, dossier.procedure_type)
    reading = read_clock(session, dossier, today)
    rule = rule_for(session, dossier.procedure_type_id, dossier.filed_on)
    return read_views.detail(
        dossier_summary(session, dossier, today, reading),
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
