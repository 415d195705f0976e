"""A procedure type's workflow as plain data: its states and the moves between them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.enums import ClockEffect, OfficeKind, Party
from models.errors import InvalidTransition


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


def build_workflow(
    type_code: str,
    states: Iterable[tuple[str, str, str, str, bool]],
    transitions: Iterable[tuple[str, str, str, bool]],
) -> Workflow:
    """``states`` (code, label, holder, clock, final) in workflow order; ``transitions``
    (from, to, acting office kind, via parere), sorted here by their states' order."""
    infos = {
        code: StateInfo(code, label, Party(holder), ClockEffect(clock), bool(final))
        for code, label, holder, clock, final in states
    }
    order = {code: position for position, code in enumerate(infos)}
    moves = sorted(transitions, key=lambda t: (order.get(t[0], 99), order.get(t[1], 99)))
    return Workflow(
        type_code=type_code,
        states=infos,
        moves=tuple(
            Move(source, target, OfficeKind(office), bool(via_parere))
            for source, target, office, via_parere in moves
        ),
    )
