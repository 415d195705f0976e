"""A procedure type's workflow read from its tables, and the checks on a move."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import ClockEffect, OfficeKind, Party
from models.errors import InvalidTransition
from models.procedures import ProcedureType, WorkflowState, WorkflowTransition


@dataclass(frozen=True)
class StateInfo:
    code: str
    label: str
    holder: Party
    clock: ClockEffect
    final: bool


@dataclass(frozen=True)
class Move:
    from_state: str
    to_state: str
    actor_office: OfficeKind
    via_parere: bool


@dataclass(frozen=True)
class Workflow:
    type_code: str
    states: dict[str, StateInfo]
    moves: tuple[Move, ...]

    @property
    def initial_state(self) -> str:
        return next(iter(self.states))

    def label(self, state: str) -> str:
        info = self.states.get(state)
        return info.label if info else state

    def moves_from(self, state: str) -> list[Move]:
        return [move for move in self.moves if move.from_state == state]

    def move(self, from_state: str, to_state: str) -> Move:
        for move in self.moves_from(from_state):
            if move.to_state == to_state:
                return move
        allowed = ", ".join(m.to_state for m in self.moves_from(from_state)) or "nessuno"
        raise InvalidTransition(
            f"passaggio non consentito da «{from_state}» a «{to_state}» per {self.type_code}; "
            f"stati ammessi da qui: {allowed}"
        )


def load_workflow(session: Session, procedure_type: ProcedureType) -> Workflow:
    cache: dict[str, Workflow] = session.info.setdefault("workflows", {})
    cached = cache.get(procedure_type.code)
    if cached is not None:
        return cached
    states = session.scalars(
        select(WorkflowState)
        .where(WorkflowState.procedure_type_id == procedure_type.id)
        .where(WorkflowState.deleted_at.is_(None))
        .order_by(WorkflowState.position)
    ).all()
    transitions = session.scalars(
        select(WorkflowTransition)
        .where(WorkflowTransition.procedure_type_id == procedure_type.id)
        .where(WorkflowTransition.deleted_at.is_(None))
    ).all()
    order = {s.code: s.position for s in states}
    workflow = Workflow(
        type_code=procedure_type.code,
        states={
            s.code: StateInfo(s.code, s.label, Party(s.holder), ClockEffect(s.clock), s.is_final)
            for s in states
        },
        moves=tuple(
            Move(t.from_state, t.to_state, OfficeKind(t.actor_office), t.via_parere)
            for t in sorted(
                transitions, key=lambda t: (order.get(t.from_state, 99), order.get(t.to_state, 99))
            )
        ),
    )
    cache[procedure_type.code] = workflow
    return workflow
