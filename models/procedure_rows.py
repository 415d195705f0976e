"""Writing a procedure type's states, moves and term rules from their plain description.

Shared by the first seeding of a database and by an administrator's catalogue import,
so a rule's end date (the day before the next rule starts) is worked out in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import NotRequired, TypedDict

from models.procedures import ProcedureType, TermRule, WorkflowState, WorkflowTransition


class StateDoc(TypedDict):
    """A workflow state as the catalogue document (and the first seeding) describes it."""

    code: str
    label: NotRequired[str]  # the code, when missing
    holder: str  # Party
    clock: str  # ClockEffect
    final: NotRequired[bool]


# ``from`` is a Python keyword: the functional form.
MoveDoc = TypedDict(
    "MoveDoc", {"from": str, "to": str, "actor_office": str, "via_parere": NotRequired[bool]}
)


class RuleDoc(TypedDict):
    """A term rule of the document; what it leaves out takes the defaults below."""

    valid_from: str  # ISO date
    term: int
    unit: NotRequired[str]  # TermUnit
    start: NotRequired[str]  # TermStart
    saturday_working: NotRequired[bool]
    silent_assent: NotRequired[bool]
    silent_assent_exclusions: NotRequired[str]
    basis: NotRequired[str]
    note: NotRequired[str]
    to_verify: NotRequired[bool]
    suspension_max_days: NotRequired[int]
    suspension_max_count: NotRequired[int]
    preavviso_effect: NotRequired[str]  # PreavvisoEffect
    preavviso_reply_days: NotRequired[int]
    preavviso_restart_days: NotRequired[int]


# How a term is suspended (art. 2 c. 7, art. 10-bis L. 241/1990) when a rule does not say.
SUSPENSION_DEFAULTS: dict[str, int | str] = {
    "suspension_max_days": 30,
    "suspension_max_count": 1,
    "preavviso_effect": "suspends",
    "preavviso_reply_days": 10,
    "preavviso_restart_days": 10,
}


def apply_states(procedure: ProcedureType, states: Sequence[StateDoc]) -> None:
    current = {s.code: s for s in procedure.states if s.deleted_at is None}
    for position, state in enumerate(states):
        row = current.pop(state["code"], None) or WorkflowState(code=state["code"])
        if row not in procedure.states:
            procedure.states.append(row)
        row.label = state.get("label", state["code"])
        row.holder, row.clock = state["holder"], state["clock"]
        row.is_final, row.position = bool(state.get("final")), position
    for leftover in current.values():
        leftover.deleted_at = datetime.now(UTC)


def apply_moves(procedure: ProcedureType, moves: Sequence[MoveDoc]) -> None:
    current = {(m.from_state, m.to_state): m for m in procedure.transitions if m.deleted_at is None}
    for move in moves:
        key = (move["from"], move["to"])
        row = current.pop(key, None) or WorkflowTransition(from_state=key[0], to_state=key[1])
        if row not in procedure.transitions:
            procedure.transitions.append(row)
        row.actor_office, row.via_parere = move["actor_office"], bool(move.get("via_parere"))
    for leftover in current.values():
        leftover.deleted_at = datetime.now(UTC)


def apply_rules(procedure: ProcedureType, rules: Sequence[RuleDoc]) -> None:
    ordered = sorted(rules, key=lambda r: str(r["valid_from"]))
    current = {r.valid_from: r for r in procedure.rules if r.deleted_at is None}
    for index, rule in enumerate(ordered):
        start = date.fromisoformat(rule["valid_from"])
        following = ordered[index + 1]["valid_from"] if index + 1 < len(ordered) else None
        row = current.pop(start, None) or TermRule(valid_from=start)
        if row not in procedure.rules:
            procedure.rules.append(row)
        row.valid_to = date.fromisoformat(following) - timedelta(days=1) if following else None
        row.term, row.unit = rule["term"], rule.get("unit", "days")
        row.start = rule.get("start", "filing")
        row.saturday_working = bool(rule.get("saturday_working", True))
        row.silent_assent = bool(rule.get("silent_assent", False))
        row.silent_assent_exclusions = rule.get("silent_assent_exclusions", "")
        row.basis, row.note = rule.get("basis", ""), rule.get("note", "")
        row.to_verify = bool(rule.get("to_verify", False))
        # A document without them (exported before they existed) keeps what the row has.
        given: Mapping[str, object] = rule
        for column, default in SUSPENSION_DEFAULTS.items():
            if column in given:
                setattr(row, column, given[column])
            elif getattr(row, column) is None:
                setattr(row, column, default)
    for leftover in current.values():
        leftover.deleted_at = datetime.now(UTC)
