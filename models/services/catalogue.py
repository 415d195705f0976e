"""Procedure types, workflows and term rules as a JSON document an administrator edits.

``export_catalogue`` writes what the database holds; ``import_catalogue`` checks the
whole document first and applies it only when every part is valid (all or nothing),
then recomputes the stored deadlines of the types it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NotRequired, TypedDict

from sqlalchemy import select

from models.bounds import check_term
from models.dossiers import Dossier
from models.enums import ClockEffect, OfficeKind, Party, PreavvisoEffect, TermStart, TermUnit
from models.errors import ValidationError
from models.json_types import JsonObject
from models.procedure_rows import MoveDoc, RuleDoc, StateDoc, apply_moves, apply_rules, apply_states
from models.procedures import SUSPENSION_COLUMNS, ProcedureType, TermRule
from models.read.as_json import CATALOGUE_FORMAT, catalogue_json
from models.services.admin import recompute, require_admin
from models.services.catalogue_read import procedure_catalogue
from models.services.changes import Changed, Changes
from models.uow import UnitOfWork
from models.validation import FIELD_LABELS

FORMAT = CATALOGUE_FORMAT


class TypeDoc(TypedDict):
    """A procedure type of the document, once ``_check_shape`` has found it well formed."""

    code: str
    name: str
    legal_basis: NotRequired[str]
    lead_office: str  # OfficeKind
    restricted: NotRequired[bool]
    active: NotRequired[bool]
    required_fields: NotRequired[list[str]]
    states: list[StateDoc]
    transitions: list[MoveDoc]
    rules: list[RuleDoc]


def export_catalogue(uow: UnitOfWork) -> JsonObject:
    """The catalogue as the document an administrator edits and imports back."""
    return catalogue_json(procedure_catalogue(uow))


def _check_type(item: Any, where: str, errors: dict[str, str]) -> None:
    found: dict[str, str] = {}

    def fail(key: str, message: str) -> None:
        found[f"{where}.{key}.{len(found)}"] = f"{where}: {message}"

    _check_shape(item, fail)
    errors.update(found)


def _check_shape(item: Any, fail: Callable[[str, str], None]) -> None:

    if not isinstance(item, dict):
        fail("type", "deve essere un oggetto")
        return
    missing = [
        k
        for k in ("code", "name", "lead_office", "states", "transitions", "rules")
        if k not in item
    ]
    for key in missing:
        fail(key, f"manca «{key}»")
    if missing:
        return
    if item["lead_office"] not in {k.value for k in OfficeKind}:
        fail("lead_office", f"ufficio «{item['lead_office']}» non valido (sui, questura)")
    unknown = set(item.get("required_fields", [])) - set(FIELD_LABELS)
    if unknown:
        fail("required_fields", f"campi sconosciuti: {', '.join(sorted(unknown))}")
    codes = [s.get("code") for s in item["states"]]
    if not codes or len(set(codes)) != len(codes):
        fail("states", "stati mancanti o ripetuti")
    for state in item["states"]:
        if state.get("holder") not in {p.value for p in Party}:
            fail(f"states.{state.get('code')}", f"detentore «{state.get('holder')}» non valido")
        if state.get("clock") not in {c.value for c in ClockEffect}:
            fail(f"states.{state.get('code')}", f"effetto «{state.get('clock')}» non valido")
    finals = [s for s in item["states"] if s.get("final")]
    if not finals:
        fail("states", "serve almeno uno stato finale")
    elif item["states"][0].get("final"):
        fail("states", "il primo stato (iniziale) non può essere finale")
    for move in item["transitions"]:
        label = f"{move.get('from')}→{move.get('to')}"
        if move.get("from") not in codes or move.get("to") not in codes:
            fail(f"transitions.{label}", "passaggio tra stati non definiti")
        if move.get("actor_office") not in {k.value for k in OfficeKind}:
            fail(f"transitions.{label}", f"ufficio «{move.get('actor_office')}» non valido")
    starts: list[date] = []
    for rule in item["rules"]:
        try:
            starts.append(date.fromisoformat(rule["valid_from"]))
        except (KeyError, TypeError, ValueError):
            fail("rules", f"data di decorrenza non valida: {rule.get('valid_from')!r}")
        if (problem := check_term(rule.get("term"), str(rule.get("unit", "days")))) is not None:
            fail("rules", problem)
        if rule.get("unit", "days") not in {u.value for u in TermUnit}:
            fail("rules", f"unità «{rule.get('unit')}» non valida")
        if rule.get("start", "filing") not in {s.value for s in TermStart}:
            fail("rules", f"decorrenza «{rule.get('start')}» non valida")
        _check_clock_fields(rule, fail)
    if not item["rules"]:
        fail("rules", "serve almeno una regola sui termini")
    if len(set(starts)) != len(starts):
        fail("rules", "due regole con la stessa data di decorrenza")


def _clock_columns(rule: TermRule) -> tuple[object, ...]:
    """How requests and a preavviso di rigetto act on the term (art. 2 c. 7, art. 10-bis)."""
    return tuple(getattr(rule, column) for column in SUSPENSION_COLUMNS)


_CLOCK_NUMBERS = {
    "suspension_max_days": "giorni massimi di sospensione",
    "suspension_max_count": "sospensioni ammesse",
    "preavviso_reply_days": "giorni per le osservazioni al preavviso",
    "preavviso_restart_days": "giorni tra osservazioni e ripresa del termine",
}


def _check_clock_fields(rule: Mapping[str, object], fail: Callable[[str, str], None]) -> None:
    for key, label in _CLOCK_NUMBERS.items():
        value = rule.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            fail("rules", f"{label} non valido: {value!r}")
    effect = rule.get("preavviso_effect", PreavvisoEffect.SUSPENDS.value)
    if effect not in {e.value for e in PreavvisoEffect}:
        fail("rules", f"effetto del preavviso «{effect}» non valido (suspends, interrupts)")


def _states_in_use(uow: UnitOfWork, procedure: ProcedureType) -> set[str]:
    return set(
        uow.session.scalars(
            select(Dossier.state).where(Dossier.procedure_type_id == procedure.id).distinct()
        )
    )


def _clock_signature(procedure: ProcedureType) -> tuple[object, ...]:
    states = sorted(
        (s.code, s.holder, s.clock, s.is_final) for s in procedure.states if s.deleted_at is None
    )
    rules = sorted(
        (r.valid_from, r.term, r.unit, r.start, r.saturday_working, *_clock_columns(r))
        for r in procedure.rules
        if r.deleted_at is None
    )
    return tuple(states), tuple(rules)


def _apply_type(uow: UnitOfWork, item: TypeDoc, errors: dict[str, str]) -> bool:
    """Update one type in place; returns whether anything the clock reads changed."""
    session = uow.session
    procedure = session.scalar(select(ProcedureType).where(ProcedureType.code == item["code"]))
    if procedure is None:
        procedure = ProcedureType(code=item["code"])
        session.add(procedure)
    else:
        removed = _states_in_use(uow, procedure) - {s["code"] for s in item["states"]}
        if removed:
            errors[f"{item['code']}.states"] = (
                f"{item['code']}: stati ancora usati da pratiche: {', '.join(sorted(removed))}"
            )
            return False
    procedure.name = item["name"]
    procedure.legal_basis = item.get("legal_basis", "")
    procedure.lead_office = item["lead_office"]
    procedure.restricted = bool(item.get("restricted", False))
    procedure.active = bool(item.get("active", True))
    procedure.required_fields = ",".join(item.get("required_fields", []))

    before = _clock_signature(procedure)
    apply_states(procedure, item["states"])
    apply_moves(procedure, item["transitions"])
    apply_rules(procedure, item["rules"])
    return before != _clock_signature(procedure)


def import_catalogue(uow: UnitOfWork, document: Any) -> tuple[int, Changes]:
    """Apply an edited catalogue; returns how many dossiers' deadlines were recomputed."""
    require_admin(uow, "modificare tipi, flussi e termini")
    errors: dict[str, str] = {}
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError({"format": f"documento non riconosciuto (atteso «{FORMAT}»)"})
    items = document.get("types")
    if not isinstance(items, list) or not items:
        raise ValidationError({"types": "nessun tipo di pratica nel documento"})
    for index, item in enumerate(items):
        name = item.get("code") if isinstance(item, dict) else None
        _check_type(item, str(name or f"tipo {index + 1}"), errors)
    if errors:
        raise ValidationError(errors)
    changed_rules = [item["code"] for item in items if _apply_type(uow, item, errors)]
    if errors:
        raise ValidationError(errors)  # the caller's unit of work rolls everything back
    uow.session.flush()
    uow.session.info.pop("workflows", None)
    recomputed = 0
    for code in changed_rules:
        procedure = uow.session.scalar(select(ProcedureType).where(ProcedureType.code == code))
        recomputed += recompute(uow, procedure.id if procedure else None)
    return recomputed, Changes.of(Changed.RULES, Changed.DOSSIER)
