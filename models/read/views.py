"""Plain dictionaries of dossiers for adapters (CLI ``--json``, GUI, scripts).

Both read paths build their answers here: the ORM's (``models.services.views``) and the
light one (``models.read.dossiers``), so a dossier looks the same whichever read it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models.clock import ClockReading, findings_on_event
from models.enums import FLAG_CATEGORIES, ClockEffect
from models.read.records import DossierRecord


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def stored_figures_are_exact(record: DossierRecord) -> bool:
    """A running or closed clock's stored deadline is exact; a suspended one moves daily."""
    running_or_closed = record.clock_state == ClockEffect.RUNS.value or (
        record.clock_state == ClockEffect.STOPPED.value and record.closed_on is not None
    )
    return running_or_closed and record.deadline is not None


def stored_figures(record: DossierRecord, today: date) -> dict[str, Any]:
    """Deadline figures from the stored columns (only when ``stored_figures_are_exact``)."""
    assert record.deadline is not None
    days_left = (record.deadline - (record.closed_on or today)).days
    return {
        "deadline": record.deadline,
        "days_left": days_left,
        "overdue": days_left < 0,
        "clock": record.clock_state,
        "suspended_days": record.suspended_days,
    }


def figures(reading: ClockReading) -> dict[str, Any]:
    return {
        "deadline": reading.deadline,
        "days_left": reading.days_left,
        "overdue": reading.overdue,
        "clock": reading.status.value,
        "suspended_days": reading.suspended_days,
    }


def summary(record: DossierRecord, state_label: str, numbers: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(record.id),
        "protocol": record.protocol,
        "reference": record.reference,
        "application_code": record.application_code,
        "type": record.type_code,
        "type_name": record.type_name,
        "state": record.state,
        "state_label": state_label,
        "filed_on": iso(record.filed_on),
        "closed_on": iso(record.closed_on),
        "deadline": iso(numbers["deadline"]),
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
            "birth_date": iso(record.birth_date),
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


def with_breach_risk(
    views: list[dict[str, Any]], risks: Mapping[uuid.UUID, float | None]
) -> list[dict[str, Any]]:
    """``breach_risk`` in each dossier's view: 0–1 (3 decimals), None for a closed dossier
    or when the history is too short to say (``models.forecast``)."""
    for view in views:
        risk = risks.get(uuid.UUID(view["id"]))
        view["breach_risk"] = None if risk is None else round(risk, 3)
    return views


def reading_view(reading: ClockReading) -> dict[str, Any]:
    return {
        "term_start": iso(reading.term_start),
        "base_deadline": iso(reading.base_deadline),
        "deadline": iso(reading.deadline),
        "status": reading.status.value,
        "days_left": reading.days_left,
        "overdue": reading.overdue,
        "suspended_days": reading.suspended_days,
        "held_days": {party.value: days for party, days in reading.held_days.items()},
        "anomalies": list(reading.anomalies),
    }


@dataclass(frozen=True)
class FlagFacts:
    id: str
    number: int
    dossier: str
    category: str
    text: str
    suspends: bool
    raised_by_office: str
    for_office: str
    raised_by: str | None
    raised_on: date
    resolved_on: date | None
    resolved_by: str | None
    resolution_note: str


def flag_view(flag: FlagFacts) -> dict[str, Any]:
    return {
        "id": flag.id,
        "number": flag.number,
        "dossier": flag.dossier,
        "category": flag.category,
        "category_label": FLAG_CATEGORIES.get(flag.category, flag.category),
        "text": flag.text,
        "suspends": flag.suspends,
        "raised_by_office": flag.raised_by_office,
        "for_office": flag.for_office,
        "raised_by": flag.raised_by,
        "raised_on": iso(flag.raised_on),
        "resolved_on": iso(flag.resolved_on),
        "resolved_by": flag.resolved_by,
        "resolution_note": flag.resolution_note,
    }


@dataclass(frozen=True)
class EventFacts:
    kind: str
    from_state: str | None
    to_state: str | None
    to_state_label: str | None
    effective_on: date
    entered_at: datetime | None
    actor: str | None
    office: str | None
    note: str


@dataclass(frozen=True)
class ParereFacts:
    requested_on: date
    given_on: date | None
    outcome: str | None
    reasons: str
    officer: str | None


@dataclass(frozen=True)
class RuleFacts:
    valid_from: date
    valid_to: date | None
    term: int
    unit: str
    start: str
    basis: str
    silent_assent: bool
    to_verify: bool


@dataclass(frozen=True)
class MoveFacts:
    to_state: str
    label: str
    via_parere: bool


def detail(
    base: dict[str, Any],
    quota_assigned_on: date | None,
    reading: ClockReading,
    rule: RuleFacts,
    history: Iterable[EventFacts],
    pareri: Iterable[ParereFacts],
    flags: Iterable[FlagFacts],
    moves: Iterable[MoveFacts],
) -> dict[str, Any]:
    """A dossier's summary (``base``) with what ``dossier show`` and the window add."""
    base.update(
        {
            "quota_assigned_on": iso(quota_assigned_on),
            "clock_detail": reading_view(reading),
            "rule": {
                "valid_from": iso(rule.valid_from),
                "valid_to": iso(rule.valid_to),
                "term": rule.term,
                "unit": rule.unit,
                "start": rule.start,
                "basis": rule.basis,
                "silent_assent": rule.silent_assent,
                "to_verify": rule.to_verify,
            },
            "history": [
                {
                    "kind": e.kind,
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "to_state_label": e.to_state_label,
                    "effective_on": iso(e.effective_on),
                    "entered_at": e.entered_at.isoformat() if e.entered_at else None,
                    "actor": e.actor,
                    "office": e.office,
                    "note": e.note,
                    "clock_notes": findings_on_event(
                        reading.findings, e.kind, e.to_state, e.effective_on, e.note
                    ),
                }
                for e in history
            ],
            "pareri": [
                {
                    "requested_on": iso(p.requested_on),
                    "given_on": iso(p.given_on),
                    "outcome": p.outcome,
                    "reasons": p.reasons,
                    "officer": p.officer,
                }
                for p in pareri
            ],
            "flags": [flag_view(f) for f in flags],
            "allowed_moves": [
                {"to_state": m.to_state, "label": m.label, "via_parere": m.via_parere}
                for m in moves
            ],
        }
    )
    return base


def silent_assent_applies(silent_assent: bool, exclusions: str, nationality: str) -> bool:
    """Silenzio-assenso, unless the rule excludes this nationality."""
    return silent_assent and nationality not in exclusions.split(",")
