"""The read models as the CLI's ``--json`` prints them: ISO dates, these keys, this order.

The one place that turns a read model into plain data; scripts read this output, so a
key or a format changes here only on purpose.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from models.clock import ClockReading
from models.json_types import JsonObject
from models.read.views import DossierDetail, DossierSummary, FlagFacts

if TYPE_CHECKING:  # services build on the read models, not the other way round
    from models.services.catalogue_read import CatalogueRule, CatalogueType
    from models.services.conflicts import ConflictRow
    from models.services.directory import OfficeFacts, StaffMember
    from models.services.tavolo.effect import Effect
    from models.services.tavolo.views import ItemFacts, MeetingFacts, OutcomeFacts

CATALOGUE_FORMAT = "raccordo-catalogue/1"  # what ``catalogue import`` accepts back

Risks = Mapping[uuid.UUID, float | None]  # a dossier's breach risk (models.forecast)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _with_risk(view: JsonObject, item: DossierSummary, risks: Risks | None) -> JsonObject:
    """``breach_risk``, when asked for: 0–1 (3 decimals), None for a closed dossier or
    when the history is too short to say."""
    if risks is not None:
        risk = risks.get(item.id)
        view["breach_risk"] = None if risk is None else round(risk, 3)
    return view


def summary_json(item: DossierSummary, risks: Risks | None = None) -> JsonObject:
    return _with_risk(_summary(item), item, risks)


def _summary(item: DossierSummary) -> JsonObject:
    person, employer = item.person, item.employer
    return {
        "id": str(item.id),
        "protocol": item.protocol,
        "reference": item.reference,
        "application_code": item.application_code,
        "type": item.type_code,
        "type_name": item.type_name,
        "state": item.state,
        "state_label": item.state_label,
        "filed_on": iso(item.filed_on),
        "closed_on": iso(item.closed_on),
        "deadline": iso(item.deadline),
        "days_left": item.days_left,
        "overdue": item.overdue,
        "clock": item.clock.value,
        "suspended_days": item.suspended_days,
        "holder": item.holder,
        "holder_office": item.holder_office,
        "restricted": item.restricted,
        "open_flags": item.open_flags,
        "version": item.version,
        "person": {
            "surname": person.surname,
            "given_names": person.given_names,
            "sex": person.sex,
            "birth_date": iso(person.birth_date),
            "birth_place": person.birth_place,
            "nationality": person.nationality,
            "passport": person.passport,
            "fiscal_code": person.fiscal_code,
            "cui": person.cui,
        },
        "employer": {
            "name": employer.name,
            "fiscal_code": employer.fiscal_code,
            "pec": employer.pec,
        },
    }


def reading_json(reading: ClockReading) -> JsonObject:
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


def flag_json(flag: FlagFacts) -> JsonObject:
    return {
        "id": flag.id,
        "number": flag.number,
        "dossier": flag.dossier,
        "category": flag.category,
        "category_label": flag.category_label,
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


def detail_json(item: DossierDetail, risks: Risks | None = None) -> JsonObject:
    return _with_risk(_detail(item), item, risks)


def _detail(item: DossierDetail) -> JsonObject:
    rule = item.rule
    more: JsonObject = {
        "quota_assigned_on": iso(item.quota_assigned_on),
        "clock_detail": reading_json(item.reading),
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
                "clock_notes": list(e.clock_notes),
            }
            for e in item.history
        ],
        "pareri": [
            {
                "requested_on": iso(p.requested_on),
                "given_on": iso(p.given_on),
                "outcome": p.outcome,
                "reasons": p.reasons,
                "officer": p.officer,
            }
            for p in item.pareri
        ],
        "flags": [flag_json(f) for f in item.flags],
        "allowed_moves": [
            {"to_state": m.to_state, "label": m.label, "via_parere": m.via_parere}
            for m in item.allowed_moves
        ],
    }
    return _summary(item) | more


def conflict_json(row: ConflictRow) -> JsonObject:
    """A sync conflict (``conflicts list --json``); the values as the outbox wrote them."""
    return {
        "id": row.id,
        "kind": row.kind,
        "table": row.table,
        "row_id": row.row_id,
        "dossier_id": str(row.dossier_id) if row.dossier_id else None,
        "reference": row.reference,
        "field": row.field,
        "field_label": row.field_label,
        "base": row.base,
        "local": row.local,
        "server": row.server,
        "reason": row.reason,
        "created_at": row.created_at.isoformat(),
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
        "resolution": row.resolution,
        "summary": row.summary,
    }


def _suspension_json(rule: CatalogueRule) -> JsonObject:
    return {
        "suspension_max_days": rule.suspension_max_days,
        "suspension_max_count": rule.suspension_max_count,
        "preavviso_effect": rule.preavviso_effect.value,
        "preavviso_reply_days": rule.preavviso_reply_days,
        "preavviso_restart_days": rule.preavviso_restart_days,
    }


def catalogue_type_json(item: CatalogueType) -> JsonObject:
    """A procedure type as ``types --json`` prints it and the catalogue document holds it
    (no rule's end date: an import works it out from the next rule's start)."""
    return {
        "code": item.code,
        "name": item.name,
        "legal_basis": item.legal_basis,
        "lead_office": item.lead_office.value,
        "restricted": item.restricted,
        "active": item.active,
        "required_fields": list(item.required_fields),
        "states": [
            {
                "code": s.code,
                "label": s.label,
                "holder": s.holder.value,
                "clock": s.clock.value,
                "final": s.final,
            }
            for s in item.states
        ],
        "transitions": [
            {
                "from": m.from_state,
                "to": m.to_state,
                "actor_office": m.actor_office.value,
                "via_parere": m.via_parere,
            }
            for m in item.transitions
        ],
        "rules": [_catalogue_rule_json(r) for r in item.rules],
    }


def _catalogue_rule_json(rule: CatalogueRule) -> JsonObject:
    head: JsonObject = {
        "valid_from": iso(rule.valid_from),
        "term": rule.term,
        "unit": rule.unit.value,
        "start": rule.start.value,
        "saturday_working": rule.saturday_working,
        "silent_assent": rule.silent_assent,
        "silent_assent_exclusions": rule.silent_assent_exclusions,
        "basis": rule.basis,
        "note": rule.note,
        "to_verify": rule.to_verify,
    }
    return head | _suspension_json(rule)


def catalogue_json(types: list[CatalogueType]) -> JsonObject:
    """The editable catalogue document (``catalogue export``)."""
    return {"format": CATALOGUE_FORMAT, "types": [catalogue_type_json(t) for t in types]}


def rule_json(type_code: str, rule: CatalogueRule) -> JsonObject:
    """A term rule as ``rules list --json`` prints it."""
    head: JsonObject = {
        "type": type_code,
        "valid_from": iso(rule.valid_from),
        "valid_to": iso(rule.valid_to),
        "term": rule.term,
        "unit": rule.unit.value,
        "start": rule.start.value,
        "saturday_working": rule.saturday_working,
    }
    tail: JsonObject = {"basis": rule.basis, "note": rule.note, "to_verify": rule.to_verify}
    return head | _suspension_json(rule) | tail


def office_json(office: OfficeFacts) -> JsonObject:
    """An office as ``raccordo offices --json`` prints it."""
    return {
        "code": office.code,
        "kind": office.kind.value,
        "name": office.name,
        "administration": office.administration,
        "province": office.province,
        "city": office.city,
        "address": office.address,
        "pec": office.pec,
        "patron_day": office.patron_day,
        "signatory": office.signatory,
        "responsabile": office.responsabile,
    }


def staff_json(member: StaffMember) -> JsonObject:
    """A user as ``raccordo user list --json`` prints them."""
    return {
        "username": member.username,
        "full_name": member.full_name,
        "office": member.office,
        "role": member.role.value,
        "restricted_access": member.restricted_access,
        "active": member.active,
    }


def meeting_json(meeting: MeetingFacts) -> JsonObject:
    """A meeting as ``tavolo list --json`` prints it."""
    return {
        "number": meeting.number,
        "short_id": meeting.short_id,
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "every_weeks": meeting.every_weeks,
        "state": meeting.state.value,
        "state_label": meeting.state_label,
        "items": meeting.items,
        "seal": meeting.seal,
    }


def outcome_json(outcome: OutcomeFacts) -> JsonObject:
    return {
        "id": str(outcome.id),
        "short_id": outcome.short_id,
        "kind": outcome.kind.value,
        "kind_label": outcome.kind_label,
        "text": outcome.text,
        "owner": outcome.owner,
        "due_on": iso(outcome.due_on),
        "done_on": iso(outcome.done_on),
        "flag_number": outcome.flag_number,
        "moved_to": outcome.moved_to,
    }


def agenda_item_json(item: ItemFacts) -> JsonObject:
    """An agenda item with its outcomes as ``tavolo agenda N --json`` prints it."""
    return {
        "id": str(item.id),
        "short_id": item.short_id,
        "meeting": item.meeting,
        "section": item.section,
        "reason": item.reason.value,
        "reason_label": item.reason_label,
        "dossier": item.dossier,
        "dossier_id": str(item.dossier_id) if item.dossier_id else None,
        "person": item.person,
        "restricted": item.restricted,
        "topic": item.topic,
        "detail": item.detail,
        "proposer": item.proposer,
        "status": item.status.value,
        "carried_over": item.carried_over,
        "outcomes": [outcome_json(o) for o in item.outcomes],
    }


def effect_json(found: Effect) -> JsonObject:
    """Did the tavolo help? (``tavolo stats --json`` and the timing report's ``tavolo``)"""
    actions = found.actions
    return {
        "discussed": found.discussed,
        "median_days_without_move_before": found.still_before,
        "median_days_to_next_move_after": found.to_next_move,
        "moved_after": found.moved,
        "not_moved_yet": found.not_moved,
        "actions": {
            "on_time": actions.on_time,
            "late": actions.late,
            "open_overdue": actions.open_overdue,
            "open": actions.open,
        },
        "months": [
            {
                "month": f"{month.month:%Y-%m}",
                "pareri_given": month.pareri_given,
                "median_wait": month.median_wait,
                "meetings": [day.isoformat() for day in month.meetings],
            }
            for month in found.months
        ],
    }
