"""The procedure catalogue as a typed read model: types, their states, moves and rules.

``raccordo types``, ``rules list`` and the catalogue export (``models.read.as_json``
writes it as the editable document) read it here; the live rows only, as the clock
does (a rule an imported catalogue dropped is gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.enums import ClockEffect, OfficeKind, Party, PreavvisoEffect, TermStart, TermUnit
from models.procedures import ProcedureType, TermRule
from models.services.queries import procedure_types
from models.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class CatalogueState:
    code: str
    label: str
    holder: Party
    clock: ClockEffect
    final: bool


@dataclass(frozen=True, slots=True)
class CatalogueMove:
    from_state: str
    to_state: str
    actor_office: OfficeKind
    via_parere: bool


@dataclass(frozen=True, slots=True)
class CatalogueRule:
    """A term rule: how long the office has, from when, and how requests stop the clock
    (art. 2 c. 7, art. 10-bis L. 241/1990)."""

    valid_from: date
    valid_to: date | None  # the day before the next rule starts
    term: int
    unit: TermUnit
    start: TermStart
    saturday_working: bool
    silent_assent: bool
    silent_assent_exclusions: str
    basis: str
    note: str
    to_verify: bool
    suspension_max_days: int
    suspension_max_count: int
    preavviso_effect: PreavvisoEffect
    preavviso_reply_days: int
    preavviso_restart_days: int


@dataclass(frozen=True, slots=True)
class CatalogueType:
    code: str
    name: str
    legal_basis: str
    lead_office: OfficeKind
    restricted: bool
    active: bool
    required_fields: tuple[str, ...]
    states: tuple[CatalogueState, ...]  # the first is where a dossier starts
    transitions: tuple[CatalogueMove, ...]
    rules: tuple[CatalogueRule, ...]  # oldest first

    @property
    def current_rule(self) -> CatalogueRule | None:
        return self.rules[-1] if self.rules else None


def procedure_catalogue(uow: UnitOfWork, type_code: str | None = None) -> list[CatalogueType]:
    """Every procedure type by code (or the one of ``type_code``, any case)."""
    wanted = type_code.upper() if type_code else None
    return [_type(t) for t in procedure_types(uow.session) if wanted is None or t.code == wanted]


def _type(procedure: ProcedureType) -> CatalogueType:
    return CatalogueType(
        code=procedure.code,
        name=procedure.name,
        legal_basis=procedure.legal_basis,
        lead_office=OfficeKind(procedure.lead_office),
        restricted=procedure.restricted,
        active=procedure.active,
        required_fields=tuple(f for f in procedure.required_fields.split(",") if f),
        states=tuple(
            CatalogueState(s.code, s.label, Party(s.holder), ClockEffect(s.clock), s.is_final)
            for s in procedure.states
            if s.deleted_at is None
        ),
        transitions=tuple(
            CatalogueMove(m.from_state, m.to_state, OfficeKind(m.actor_office), m.via_parere)
            for m in procedure.transitions
            if m.deleted_at is None
        ),
        rules=tuple(_rule(r) for r in procedure.rules if r.deleted_at is None),
    )


def _rule(rule: TermRule) -> CatalogueRule:
    return CatalogueRule(
        valid_from=rule.valid_from,
        valid_to=rule.valid_to,
        term=rule.term,
        unit=TermUnit(rule.unit),
        start=TermStart(rule.start),
        saturday_working=rule.saturday_working,
        silent_assent=rule.silent_assent,
        silent_assent_exclusions=rule.silent_assent_exclusions,
        basis=rule.basis,
        note=rule.note,
        to_verify=rule.to_verify,
        suspension_max_days=rule.suspension_max_days,
        suspension_max_count=rule.suspension_max_count,
        preavviso_effect=PreavvisoEffect(rule.preavviso_effect),
        preavviso_reply_days=rule.preavviso_reply_days,
        preavviso_restart_days=rule.preavviso_restart_days,
    )
