"""Registering a dossier and editing its data."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from models.deadlines import refresh_derived, rule_for
from models.dossiers import Dossier, DossierEvent
from models.enums import EventKind, OfficeKind
from models.errors import Conflict, PermissionDenied, ValidationError
from models.permissions import FIELD_OWNER, read_only_fields, require_office
from models.protocol import next_protocol_number
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier, get_office, get_type
from models.text import fold
from models.uow import UnitOfWork
from models.validation import FIELD_LABELS, check_dossier, clean_fields
from models.workflow import load_workflow

EDITABLE_FIELDS = tuple(FIELD_LABELS)


@dataclass(frozen=True)
class Registered:
    dossier_id: uuid.UUID
    reference: str
    changes: Changes
    warnings: list[str] = field(default_factory=list)


def search_key(dossier: Dossier) -> str:
    parts = (
        dossier.surname,
        dossier.given_names,
        dossier.protocol or "",
        dossier.application_code,
        dossier.fiscal_code,
        dossier.cui,
        dossier.passport,
    )
    return fold(" ".join(p for p in parts if p))


def _required(dossier_type_required: str) -> tuple[str, ...]:
    return tuple(f for f in dossier_type_required.split(",") if f.strip())


def _warnings(uow: UnitOfWork, values: Mapping[str, Any], own_id: uuid.UUID | None) -> list[str]:
    """Things worth a second look that do not stop the save (domain.md §5)."""
    warnings = []
    cui, fiscal = values.get("cui"), values.get("fiscal_code")
    if cui and fiscal:
        query = select(Dossier.fiscal_code).where(Dossier.cui == cui, Dossier.fiscal_code != fiscal)
        if own_id is not None:
            query = query.where(Dossier.id != own_id)
        clash = uow.session.scalar(query.limit(1))
        if clash:
            warnings.append(f"lo stesso CUI {cui} è registrato con un altro codice fiscale")
    return warnings


def _check_application_code(uow: UnitOfWork, code: str | None, own_id: uuid.UUID | None) -> None:
    if not code:
        return
    other = uow.session.scalar(select(Dossier.id).where(Dossier.application_code == code))
    if other is not None and other != own_id:
        raise ValidationError({"application_code": f"codice domanda {code} già registrato"})


def register_dossier(uow: UnitOfWork, type_code: str, raw: Mapping[str, Any]) -> Registered:
    session, actor = uow.session, uow.actor
    procedure = get_type(session, type_code)
    lead = OfficeKind(procedure.lead_office)
    require_office(uow.actor, lead, f"registrare una pratica {procedure.code}")
    if procedure.restricted and not actor.restricted_access:
        raise PermissionDenied(
            f"le pratiche {procedure.code} sono riservate: serve l'abilitazione alle pratiche "
            "riservate"
        )
    for name, value in raw.items():
        owner = FIELD_OWNER.get(name)
        if owner is not None and value not in (None, ""):
            require_office(actor, owner, f"indicare il campo {FIELD_LABELS[name]}")
    values, errors = clean_fields({"filed_on": uow.today, **raw})
    check_dossier(values, _required(procedure.required_fields), uow.today, errors)
    _check_application_code(uow, values.get("application_code"), None)
    rule_for(session, procedure.id, values["filed_on"])  # refuses a date with no rule

    office = actor.office if actor.office.office_kind is lead else None
    if office is None:
        office = get_office(session, lead.value)
    workflow = load_workflow(session, procedure)
    dossier = Dossier(
        id=uuid.uuid4(),
        procedure_type=procedure,
        procedure_type_id=procedure.id,
        protocol_office=office,
        protocol_office_id=office.id,
        state=workflow.initial_state,
        holder=workflow.states[workflow.initial_state].holder.value,
        restricted=procedure.restricted,
        **values,
    )
    dossier.protocol_year = uow.today.year
    if not uow.database.is_replica:  # on a replica the server numbers it when pushed
        dossier.protocol_number = next_protocol_number(session, office.id, uow.today.year)
    session.add(dossier)
    dossier.events.append(
        DossierEvent(
            seq=0,
            kind=EventKind.REGISTERED.value,
            to_state=dossier.state,
            actor_id=actor.id,
            office_id=actor.office_id,
            effective_on=dossier.filed_on,
            note="registrazione",
        )
    )
    dossier.search_key = search_key(dossier)
    refresh_derived(session, dossier, uow.today)
    warnings = _warnings(uow, values, None)
    session.flush()
    return Registered(
        dossier.id, dossier.reference, Changes.of(Changed.DOSSIER, dossiers=(dossier.id,)), warnings
    )


def update_dossier(
    uow: UnitOfWork, ref: str, raw: Mapping[str, Any], expected_version: int | None = None
) -> tuple[Changes, list[str]]:
    """Change fields of a dossier; ``expected_version`` refuses a stale edit."""
    session, actor = uow.session, uow.actor
    dossier = get_dossier(session, actor, ref, with_history=True)
    if expected_version is not None and dossier.version != expected_version:
        raise Conflict(
            f"la pratica {dossier.reference} è stata modificata da altri nel frattempo: "
            "ricaricarla prima di salvare"
        )
    refused = read_only_fields(actor, dossier)
    for name in raw:
        reason = refused.get(name)
        if reason == "closed":
            raise PermissionDenied(
                f"la pratica {dossier.reference} è chiusa: {FIELD_LABELS[name]} non modificabile"
            )
        if reason is not None:
            require_office(actor, OfficeKind(reason), f"modificare il campo {FIELD_LABELS[name]}")
    values, errors = clean_fields(raw)
    if errors:
        raise ValidationError(errors)
    merged = {name: getattr(dossier, name) for name in EDITABLE_FIELDS} | values
    check_dossier(merged, _required(dossier.procedure_type.required_fields), uow.today)
    _check_application_code(uow, values.get("application_code"), dossier.id)
    if "filed_on" in values:
        rule_for(session, dossier.procedure_type_id, values["filed_on"])
        first = dossier.events[0] if dossier.events else None
        if first is not None and first.kind == EventKind.REGISTERED.value:
            first.effective_on = values["filed_on"]
    changed = [n for n, v in values.items() if getattr(dossier, n) != v]
    if not changed:
        return Changes(), []
    for name in changed:
        setattr(dossier, name, values[name])
    dossier.search_key = search_key(dossier)
    dossier.events.append(
        DossierEvent(
            seq=len(dossier.events),
            kind=EventKind.UPDATED.value,
            actor_id=actor.id,
            office_id=actor.office_id,
            effective_on=uow.today,
            note="modificati: " + ", ".join(FIELD_LABELS[n] for n in changed),
        )
    )
    refresh_derived(session, dossier, uow.today)
    session.flush()
    return Changes.of(Changed.DOSSIER, Changed.HISTORY, dossiers=(dossier.id,)), _warnings(
        uow, merged, dossier.id
    )
