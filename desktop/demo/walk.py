"""A demo dossier's history: a walk through its type's workflow tables, with pareri and
flags along the way.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from desktop.demo.names import (
    CONVOCATION_NOTE,
    DEFAULT_DWELL,
    DWELL,
    FATES,
    FINAL_NOTES,
    FLAG_CATEGORY_WEIGHTS,
    FLAG_RESOLUTIONS,
    FLAG_SUSPENDS,
    FLAG_TEXTS,
    INTEGRAZIONI,
    MOTIVI_OSTATIVI,
    OUTCOMES,
    PREAVVISI,
    STEP_NOTES,
    TYPE_NOTES,
)
from desktop.demo.setup import Actor, RuleInfo, Setup, TypeInfo, pick_weighted
from models.enums import (
    CONVOCATA,
    IN_ISTRUTTORIA,
    INTEGRAZIONE_RICHIESTA,
    PARERE_RICHIESTO,
    PREAVVISO_RIGETTO,
    PRESENTATA,
    EventKind,
    OfficeKind,
    ParereOutcome,
    Party,
)
from models.workflow import Move

_MAX_STEPS = 16
_REVISIT = 0.08  # weight factor for going back to a state already visited

# Histories: a walk through the type's workflow tables.


def _actor(setup: Setup, kind: OfficeKind, restricted: bool) -> Actor:
    members, cum = setup.actors.get((kind, restricted)) or setup.actors[(kind, False)]
    return pick_weighted(setup.rnd, members, cum)


@dataclass
class Crew:
    """Who handles one dossier: mostly the same clerk in each office."""

    setup: Setup
    restricted: bool
    primary: dict[OfficeKind, Actor] = field(default_factory=dict)

    def pick(self, kind: OfficeKind) -> Actor:
        primary = self.primary.get(kind)
        if primary is None:
            primary = self.primary[kind] = _actor(self.setup, kind, self.restricted)
        elif self.setup.rnd.random() >= 0.8:
            return _actor(self.setup, kind, self.restricted)
        return primary


@dataclass
class Step:
    on: date
    kind: str  # EventKind value
    from_state: str | None
    to_state: str | None
    actor: Actor
    note: str = ""


@dataclass
class ParereDraft:
    requested_on: date
    requested_by: Actor
    given_on: date | None = None
    outcome: str | None = None
    reasons: str = ""
    officer: Actor | None = None


@dataclass
class FlagDraft:
    number: int
    category: str
    text: str
    suspends: bool
    raised_by: OfficeKind
    raiser: Actor
    raised_on: date
    resolved_on: date | None
    resolver: Actor | None
    resolution_note: str


@dataclass
class Walk:
    kind: TypeInfo
    rule: RuleInfo
    fate: str
    pace: float
    crew: Crew
    state: str
    day: date
    steps: list[Step]
    pareri: list[ParereDraft] = field(default_factory=list)
    pending: ParereDraft | None = None
    parere_done: bool = False
    visits: Counter[str] = field(default_factory=Counter)


def _pace(rnd: random.Random) -> float:
    """How fast this file moves: most on time, some slow, a few forgotten on a desk."""
    draw = rnd.random()
    if draw < 0.62:
        return rnd.uniform(0.6, 1.1)
    if draw < 0.90:
        return rnd.uniform(1.1, 2.0)
    if draw < 0.98:
        return rnd.uniform(2.0, 4.0)
    return rnd.uniform(4.0, 8.0)


def _dwell(setup: Setup, walk: Walk) -> int:
    """Days the file stays in its current state before the next step."""
    rnd, state = setup.rnd, walk.state
    if state == PARERE_RICHIESTO:
        target = setup.parere_target * math.sqrt(walk.rule.scale)
        if rnd.random() < 0.18:  # the Questura answers late
            return round(rnd.uniform(1.3, 4.0) * target)
        return max(round(rnd.triangular(0.25, 1.3, 0.6) * target), 1)
    low, high = DWELL.get(state, DEFAULT_DWELL)
    if walk.kind.workflow.states[state].holder is Party.APPLICANT:
        if state == INTEGRAZIONE_RICHIESTA and rnd.random() < 0.12:
            return 31 + int(rnd.random() * 45)  # beyond the 30 days allowed: an anomaly
        return round(low + rnd.random() * (high - low))
    days = rnd.triangular(low, high, low + (high - low) / 3) * walk.rule.scale * walk.pace
    return max(round(days), 1)


def _final_weight(walk: Walk, target: str) -> float:
    outcome = OUTCOMES.get(target, "archived")
    if outcome != walk.fate:
        return 0.0
    if outcome == "positive":
        if walk.kind.needs_parere and not walk.parere_done:
            return 0.0
        return 1.0 if walk.state == IN_ISTRUTTORIA else 8.0
    if outcome == "archived" and walk.state == PRESENTATA:
        return 2.0
    return 8.0


def _convocation_weight(walk: Walk, ready: bool) -> float:
    """A summons leads to the outcome: positive, or a failed test where no 10-bis exists."""
    if not ready:
        return 0.3
    if walk.fate == "positive":
        return 6.0
    if walk.fate == "rejected" and PREAVVISO_RIGETTO not in walk.kind.workflow.states:
        return 6.0
    return 0.3


def _step_weight(walk: Walk, move: Move) -> float:
    target, fate, state = move.to_state, walk.fate, walk.state
    if walk.kind.workflow.states[target].final:
        return _final_weight(walk, target)
    ready = walk.parere_done or not walk.kind.needs_parere
    if target == IN_ISTRUTTORIA:
        if state == PREAVVISO_RIGETTO:
            return 1.2 if fate == "rejected" else 8.0
        return {PRESENTATA: 5.0, INTEGRAZIONE_RICHIESTA: 10.0, CONVOCATA: 0.3}.get(state, 1.5)
    if target == PARERE_RICHIESTO:
        weight = 0.15 if walk.parere_done else 8.0
    elif target == CONVOCATA:
        weight = _convocation_weight(walk, ready)
    elif target == PREAVVISO_RIGETTO:
        weight = 6.0 if ready and fate == "rejected" else 0.05
    else:
        weight = 1.0
    return weight * _REVISIT ** walk.visits[target]


def _choose_move(setup: Setup, walk: Walk) -> Move | None:
    moves = [
        m
        for m in walk.kind.moves.get(walk.state, ())
        if not m.via_parere or walk.pending is not None
    ]
    if not moves:
        return None
    cum = list(accumulate(_step_weight(walk, m) for m in moves))
    if cum[-1] <= 0:
        return setup.rnd.choice(moves)
    return pick_weighted(setup.rnd, moves, cum)


def _note(setup: Setup, walk: Walk, move: Move) -> str:
    rnd, target = setup.rnd, move.to_state
    if target == INTEGRAZIONE_RICHIESTA:
        return "richiesta integrazione: " + rnd.choice(INTEGRAZIONI)
    if target == PREAVVISO_RIGETTO:
        return "preavviso di rigetto (art. 10-bis L. 241/1990): " + rnd.choice(PREAVVISI)
    if (walk.kind.code, target) in TYPE_NOTES:
        return TYPE_NOTES[(walk.kind.code, target)]
    if (move.from_state, target) in STEP_NOTES:
        return rnd.choice(STEP_NOTES[(move.from_state, target)])
    if target == CONVOCATA:
        return CONVOCATION_NOTE
    return rnd.choice(FINAL_NOTES.get(target, ("",)))


def _give_parere(setup: Setup, walk: Walk, actor: Actor, day: date) -> str:
    pending = walk.pending
    assert pending is not None
    hostile = setup.rnd.random() < (0.45 if walk.fate == "rejected" else 0.02)
    pending.given_on, pending.officer = day, actor
    if hostile:
        pending.outcome = ParereOutcome.MOTIVI_OSTATIVI.value
        pending.reasons = setup.rnd.choice(MOTIVI_OSTATIVI)
        walk.fate = "rejected"
    else:
        pending.outcome = ParereOutcome.FAVOREVOLE.value
    walk.pending, walk.parere_done = None, True
    return pending.outcome + (f": {pending.reasons}" if pending.reasons else "")


def _advance(setup: Setup, walk: Walk, move: Move, day: date) -> None:
    kind = EventKind.TRANSITION.value
    actor = walk.crew.pick(move.actor_office)
    if move.via_parere:
        kind = EventKind.PARERE_GIVEN.value
        note = _give_parere(setup, walk, actor, day)
    else:
        note = _note(setup, walk, move)
    walk.steps.append(Step(day, kind, walk.state, move.to_state, actor, note))
    if move.to_state == PARERE_RICHIESTO:  # as the workflow service does
        walk.pending = ParereDraft(day, actor)
        walk.pareri.append(walk.pending)
    if walk.state == PREAVVISO_RIGETTO and move.to_state == IN_ISTRUTTORIA:
        walk.fate = "positive"  # the applicant's observations were accepted
    walk.state, walk.day = move.to_state, day
    walk.visits[move.to_state] += 1


def walk_history(setup: Setup, kind: TypeInfo, rule: RuleInfo, filed: date, start: date) -> Walk:
    rnd = setup.rnd
    fate = rnd.choices(FATES, kind.profile.fates)[0]
    initial = kind.workflow.initial_state
    crew = Crew(setup, kind.restricted)
    registered = Step(
        filed, EventKind.REGISTERED.value, None, initial, crew.pick(kind.lead.kind), "registrazione"
    )
    walk = Walk(kind, rule, fate, _pace(rnd), crew, initial, start, [registered])
    walk.visits[initial] += 1
    for _ in range(_MAX_STEPS):
        if kind.workflow.states[walk.state].final:
            break
        move = _choose_move(setup, walk)
        if move is None:
            break
        day = walk.day + timedelta(days=_dwell(setup, walk))
        if day > setup.today:
            break  # still waiting: the file is open in this state
        _advance(setup, walk, move, day)
    return walk


def other_office(kind: OfficeKind) -> OfficeKind:
    return OfficeKind.QUESTURA if kind is OfficeKind.SUI else OfficeKind.SUI


def draft_flags(setup: Setup, walk: Walk, filed: date, closed: date | None) -> list[FlagDraft]:
    rnd = setup.rnd
    span = ((closed or setup.today) - filed).days
    if span < 2 or rnd.random() >= 0.12:
        return []
    lead = walk.kind.lead.kind
    drafts = []
    for _ in range(1 if rnd.random() < 0.85 else 2):
        raised_by = lead if rnd.random() < 0.55 else other_office(lead)
        options = FLAG_CATEGORY_WEIGHTS[raised_by]
        category = rnd.choices([c for c, _ in options], [w for _, w in options])[0]
        raised = filed + timedelta(days=1 + int(rnd.random() * (span - 1)))
        due = raised + timedelta(days=round(rnd.triangular(1, 60, 8)))
        resolved = min(due, closed) if closed else (due if due <= setup.today else None)
        drafts.append(
            FlagDraft(
                setup.next_flag,
                category,
                rnd.choice(FLAG_TEXTS[category]),
                rnd.random() < FLAG_SUSPENDS[category],
                raised_by,
                walk.crew.pick(raised_by),
                raised,
                resolved,
                walk.crew.pick(other_office(raised_by)) if resolved else None,
                rnd.choice(FLAG_RESOLUTIONS) if resolved else "",
            )
        )
        setup.next_flag += 1
    return drafts
