"""Writing a procedure type's states, moves and term rules from their plain description.

Shared by the first seeding of a database and by an administrator's catalogue import,
so a rule's end date (the day before the next rule starts) is worked out in one place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from models.procedures import ProcedureType, TermRule, WorkflowState, WorkflowTransition

# How a term is suspended (art. 2 c. 7, art. 10-bis L. 241/1990) when a rule does not say.
SUSPENSION_DEFAULTS: dict[str, Any] = {
    "suspension_max_days": 30,
    "suspension_max_count": 1,
    "preavviso_effect": "suspends",
    "preavviso_reply_days": 10,
    "preavviso_restart_days": 10,
}


def apply_states(procedure: ProcedureType, states: list[dict[str, Any]]) -> None:
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


def apply_moves(procedure: ProcedureType, moves: list[dict[str, Any]]) -> None:
    current = {(m.from_state, m.to_state): m for m in procedure.transitions if m.deleted_at is None}
    for move in moves:
        key = (move["from"], move["to"])
        row = current.pop(key, None) or WorkflowTransition(from_state=key[0], to_state=key[1])
        if row not in procedure.transitions:
            procedure.transitions.append(row)
        row.actor_office, row.via_parere = move["actor_office"], bool(move.get("via_parere"))
    for leftover in current.values():
        leftover.deleted_at = datetime.now(UTC)


def apply_rules(procedure: ProcedureType, rules: list[dict[str, Any]]) -> None:
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
        for column, default in SUSPENSION_DEFAULTS.items():
            if column in rule:
                setattr(row, column, rule[column])
            elif getattr(row, column) is None:
                setattr(row, column, default)
    for leftover in current.values():
        leftover.deleted_at = datetime.now(UTC)
