"""Plain dictionaries of dossiers for adapters (CLI ``--json``, GUI, scripts)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.clock import ClockReading, findings_on_event
from models.deadlines import read_clock, rule_for
from models.dossiers import Dossier, Flag
from models.enums import FLAG_CATEGORIES, ClockEffect
from models.procedures import WorkflowState
from models.services.records import DossierRecord
from models.workflow import Move, load_workflow


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


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


def _stored_figures_are_exact(record: DossierRecord) -> bool:
    """A running or closed clock's stored deadline is exact; a suspended one moves daily."""
    running_or_closed = record.clock_state == ClockEffect.RUNS.value or (
        record.clock_state == ClockEffect.STOPPED.value and record.closed_on is not None
    )
    return running_or_closed and record.deadline is not None


def dossier_summaries(
    session: Session, records: list[DossierRecord], today: date
) -> list[dict[str, Any]]:
    """Summaries of many dossiers; those whose clock must be recomputed load in one query."""
    recompute = [r.id for r in records if not _stored_figures_are_exact(r)]
    if recompute:
        session.scalars(
            select(Dossier)
            .where(Dossier.id.in_(recompute))
            .options(selectinload(Dossier.events), selectinload(Dossier.flags))
        ).all()  # now in the session's identity map for clock_numbers
    return [dossier_summary(session, record, today) for record in records]


def clock_numbers(session: Session, record: DossierRecord, today: date) -> dict[str, Any]:
    """Deadline figures; from the stored columns when they are exact, else recomputed."""
    if _stored_figures_are_exact(record):
        assert record.deadline is not None
        reference = record.closed_on or today
        days_left = (record.deadline - reference).days
        return {
            "deadline": record.deadline,
            "days_left": days_left,
            "overdue": days_left < 0,
            "clock": record.clock_state,
            "suspended_days": record.suspended_days,
        }
    dossier = session.get(Dossier, record.id)
    assert dossier is not None
    return _figures(read_clock(session, dossier, today))


def _figures(reading: ClockReading) -> dict[str, Any]:
    return {
        "deadline": reading.deadline,
        "days_left": reading.days_left,
        "overdue": reading.overdue,
        "clock": reading.status.value,
        "suspended_days": reading.suspended_days,
    }


def dossier_summary(
    session: Session,
    item: Dossier | DossierRecord,
    today: date,
    reading: ClockReading | None = None,
) -> dict[str, Any]:
    """``reading``: the clock already computed for this dossier, if the caller has it."""
    record = item if isinstance(item, DossierRecord) else DossierRecord.of(item)
    numbers = _figures(reading) if reading else clock_numbers(session, record, today)
    return {
        "id": str(record.id),
        "protocol": record.protocol,
        "reference": record.reference,
        "application_code": record.application_code,
        "type": record.type_code,
        "type_name": record.type_name,
        "state": record.state,
        "state_label": state_label(session, record.procedure_type_id, record.state),
        "filed_on": _iso(record.filed_on),
        "closed_on": _iso(record.closed_on),
        "deadline": _iso(numbers["deadline"]),
        "days_left": numbers["days_left"],
        "overdue": numbers["overdue"],
        "clock": numbers["clock"],
        "suspended_days": numbers["suspended_days"],
        "holder": record.holder,
        "holder_office": record.holder_office,
        "restricted": record.restricted,
        "open_flags": record.open_flags,
        "version": record.version,
        "person": {
            "surname": record.surname,
            "given_names": record.given_names,
            "sex": record.sex,
            "birth_date": _iso(record.birth_date),
            "birth_place": record.birth_place,
            "nationality": record.nationality,
            "passport": record.passport,
            "fiscal_code": record.fiscal_code,
            "cui": record.cui,
        },
        "employer": {
            "name": record.employer_name,
            "fiscal_code": record.employer_fiscal_code,
            "pec": record.employer_pec,
        },
    }


def flag_view(flag: Flag) -> dict[str, Any]:
    return {
        "id": str(flag.id),
        "number": flag.number,
        "dossier": flag.dossier.reference,
        "category": flag.category,
        "category_label": FLAG_CATEGORIES.get(flag.category, flag.category),
        "text": flag.text,
        "suspends": flag.suspends,
        "raised_by_office": flag.raised_by_office.code,
        "for_office": flag.for_office.code,
        "raised_by": flag.raised_by.username if flag.raised_by else None,
        "raised_on": _iso(flag.raised_on),
        "resolved_on": _iso(flag.resolved_on),
        "resolved_by": flag.resolved_by.username if flag.resolved_by else None,
        "resolution_note": flag.resolution_note,
    }


def reading_view(reading: ClockReading) -> dict[str, Any]:
    return {
        "term_start": _iso(reading.term_start),
        "base_deadline": _iso(reading.base_deadline),
        "deadline": _iso(reading.deadline),
        "status": reading.status.value,
        "days_left": reading.days_left,
        "overdue": reading.overdue,
        "suspended_days": reading.suspended_days,
        "held_days": {party.value: days for party, days in reading.held_days.items()},
        "anomalies": list(reading.anomalies),
    }


def dossier_detail(
    session: Session, dossier: Dossier, today: date, moves: list[Move]
) -> dict[str, Any]:
    workflow = load_workflow(session, dossier.procedure_type)
    reading = read_clock(session, dossier, today)
    rule = rule_for(session, dossier.procedure_type_id, dossier.filed_on)
    detail = dossier_summary(session, dossier, today, reading)
    detail.update(
        {
            "quota_assigned_on": _iso(dossier.quota_assigned_on),
            "clock_detail": reading_view(reading),
            "rule": {
                "valid_from": _iso(rule.valid_from),
                "valid_to": _iso(rule.valid_to),
                "term": rule.term,
                "unit": rule.unit,
                "start": rule.start,
                "basis": rule.basis,
                "silent_assent": rule.silent_assent
                and dossier.nationality not in rule.silent_assent_exclusions.split(","),
                "to_verify": rule.to_verify,
            },
            "history": [
                {
                    "kind": e.kind,
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "to_state_label": workflow.label(e.to_state) if e.to_state else None,
                    "effective_on": _iso(e.effective_on),
                    "entered_at": e.entered_at.isoformat() if e.entered_at else None,
                    "actor": e.actor.username if e.actor else None,
                    "office": e.office.code if e.office else None,
                    "note": e.note,
                    "clock_notes": findings_on_event(
                        reading.findings, e.kind, e.to_state, e.effective_on, e.note
                    ),
                }
                for e in dossier.events
            ],
            "pareri": [
                {
                    "requested_on": _iso(p.requested_on),
                    "given_on": _iso(p.given_on),
                    "outcome": p.outcome,
                    "reasons": p.reasons,
                    "officer": p.officer.username if p.officer else None,
                }
                for p in dossier.pareri
            ],
            "flags": [flag_view(f) for f in dossier.flags],
            "allowed_moves": [
                {
                    "to_state": m.to_state,
                    "label": workflow.label(m.to_state),
                    "via_parere": m.via_parere,
                }
                for m in moves
            ],
        }
    )
    return detail
