"""What the demo generator reads from the database: offices, staff, procedure types
with their workflows and term rules.
"""

from __future__ import annotations

import json
import random
import uuid
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import accumulate
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.demo.codes import Codec
from desktop.demo.names import DEMO_LETTERHEAD, DEMO_STAFF, OUTCOMES
from desktop.demo.population import (
    COMMUNITIES,
    DEFAULT_PROFILE,
    PROFILES,
    RESTRICTED_DEFAULT_WEIGHT,
    Community,
    Profile,
)
from models.calendar import HolidayCalendar, calendar_for
from models.clock import (
    TermSpec,
)
from models.deadlines import office_for_party, term_spec
from models.enums import (
    PARERE_RICHIESTO,
    OfficeKind,
    Party,
    Role,
    TermUnit,
)
from models.offices import Office, Staff
from models.parere_target import read_parere_target
from models.procedures import ProcedureType, TermRule
from models.registry import Setting
from models.workflow import Move, Workflow, load_workflow

_T = TypeVar("_T")
RUNS_SETTING = "demo_runs"  # JSON {seed: runs}: a seed used again yields new people

# What the generator reads from the database.

Actor = tuple[Any, Any]  # staff id, office id (as the driver takes them)
Pool = tuple[list[Actor], list[float]]  # people and cumulative weights


@dataclass(frozen=True)
class OfficeInfo:
    key: Any
    code: str
    kind: OfficeKind
    province: str
    calendar: HolidayCalendar


@dataclass(frozen=True)
class RuleInfo:
    valid_from: date
    valid_to: date | None
    spec: TermSpec
    scale: float  # term relative to 60 days: slower procedures have longer phases


@dataclass(frozen=True)
class Employer:
    name: str
    fiscal_code: str
    pec: str


@dataclass
class TypeInfo:
    key: Any
    code: str
    lead: OfficeInfo
    restricted: bool
    requires_employer: bool
    workflow: Workflow
    moves: dict[str, list[Move]]
    rules: list[RuleInfo]
    profile: Profile
    nationalities: tuple[list[Community], list[float]]
    finals: dict[str, str]  # outcome -> final state
    starts: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [rule.valid_from for rule in self.rules]

    @property
    def needs_parere(self) -> bool:
        return PARERE_RICHIESTO in self.workflow.states

    def rule_at(self, day: date) -> RuleInfo | None:
        """The rule ``models.deadlines.rule_for`` would pick, or None."""
        index = bisect_right(self.starts, day) - 1
        if index < 0:
            return None
        rule = self.rules[index]
        return rule if rule.valid_to is None or day <= rule.valid_to else None


@dataclass
class Setup:
    """Everything read or prepared once per run."""

    rnd: random.Random
    codec: Codec
    seed: int
    run: int
    today: date
    now: datetime
    types: list[TypeInfo]
    type_weights: list[float]
    offices: dict[OfficeKind, OfficeInfo]
    actors: dict[tuple[OfficeKind, bool], Pool]
    holder_offices: dict[tuple[Party, str], Any]
    parere_target: int
    employers: dict[str, list[Employer]]
    next_flag: int
    fiscal_codes: set[str] = field(default_factory=set)
    cuis: set[str] = field(default_factory=set)
    application_serial: int = 0


def pick_weighted(rnd: random.Random, items: Sequence[_T], cum_weights: Sequence[float]) -> _T:
    """``rnd.choices(items, cum_weights=…)[0]`` without its per-call overhead."""
    return items[bisect_right(cum_weights, rnd.random() * cum_weights[-1])]


def _scale(spec: TermSpec) -> float:
    if spec.unit is TermUnit.MONTHS:
        days = spec.term * 30.44
    elif spec.unit is TermUnit.WORKING_DAYS:
        days = spec.term * 7 / 6
    else:
        days = float(spec.term)
    return min(max(days / 60, 0.35), 15.0)


def _load_rules(session: Session, type_id: uuid.UUID) -> list[RuleInfo]:
    rules = session.scalars(
        select(TermRule)
        .where(TermRule.procedure_type_id == type_id, TermRule.deleted_at.is_(None))
        .order_by(TermRule.valid_from)
    )
    result = []
    for rule in rules:
        spec = term_spec(rule)
        result.append(RuleInfo(rule.valid_from, rule.valid_to, spec, _scale(spec)))
    return result


def _nationality_weights(profile: Profile) -> tuple[list[Community], list[float]]:
    bias = dict(profile.nationality_bias)
    people = [c for c in COMMUNITIES if profile.eu_allowed or not c.eu]
    weights = [c.weight * bias.get(c.nationality, 1.0) for c in people]
    return people, list(accumulate(weights))


def _finals(workflow: Workflow) -> dict[str, str]:
    finals: dict[str, str] = {}
    for code, info in workflow.states.items():
        if info.final:
            finals.setdefault(OUTCOMES.get(code, "archived"), code)
    return finals


def load_types(
    session: Session, offices: dict[OfficeKind, OfficeInfo], codec: Codec
) -> list[TypeInfo]:
    types = []
    procedures = session.scalars(
        select(ProcedureType)
        .where(ProcedureType.deleted_at.is_(None), ProcedureType.active.is_(True))
        .order_by(ProcedureType.code)
    )
    for procedure in procedures:
        lead = offices.get(OfficeKind(procedure.lead_office))
        rules = _load_rules(session, procedure.id)
        workflow = load_workflow(session, procedure)
        if lead is None or not rules or not workflow.states:
            continue
        moves: dict[str, list[Move]] = {}
        for move in sorted(workflow.moves, key=lambda m: (m.from_state, m.to_state)):
            if move.to_state in workflow.states:
                moves.setdefault(move.from_state, []).append(move)
        profile = PROFILES.get(procedure.code, DEFAULT_PROFILE)
        types.append(
            TypeInfo(
                key=codec.key(procedure.id),
                code=procedure.code,
                lead=lead,
                restricted=procedure.restricted,
                requires_employer="employer_name" in procedure.required_fields.split(","),
                workflow=workflow,
                moves=moves,
                rules=rules,
                profile=profile,
                nationalities=_nationality_weights(profile),
                finals=_finals(workflow),
            )
        )
    return types


def type_weight(kind: TypeInfo) -> float:
    if kind.code in PROFILES:
        return kind.profile.weight
    return RESTRICTED_DEFAULT_WEIGHT if kind.restricted else DEFAULT_PROFILE.weight


def load_offices(session: Session, codec: Codec) -> dict[OfficeKind, OfficeInfo]:
    """The first office of each kind (by code) leads and protocols the demo files."""
    offices: dict[OfficeKind, OfficeInfo] = {}
    for office in session.scalars(
        select(Office).where(Office.deleted_at.is_(None)).order_by(Office.code)
    ):
        kind = OfficeKind(office.kind)
        if kind not in offices:
            offices[kind] = OfficeInfo(
                codec.key(office.id),
                office.code,
                kind,
                office.province,
                calendar_for(office.province, office.patron_day),
            )
    return offices


def fill_demo_letterhead(session: Session) -> None:
    """Give each office the demo letterhead where its own field is blank; never overwrite."""
    for office in session.scalars(select(Office).where(Office.deleted_at.is_(None))):
        for field_name, pattern in DEMO_LETTERHEAD[OfficeKind(office.kind)].items():
            if not getattr(office, field_name).strip():
                value = pattern.format(city=office.city, prov=office.province.lower())
                setattr(office, field_name, value)
    session.flush()


def ensure_staff(session: Session) -> None:
    offices = {
        OfficeKind(o.kind): o.id
        for o in session.scalars(
            select(Office).where(Office.deleted_at.is_(None)).order_by(Office.code.desc())
        )
    }
    existing = set(session.scalars(select(Staff.username)))
    for username, full_name, kind, role, restricted in DEMO_STAFF:
        if username not in existing and kind in offices:
            session.add(
                Staff(
                    username=username,
                    full_name=full_name,
                    office_id=offices[kind],
                    role=role.value,
                    restricted_access=restricted,
                )
            )
    session.flush()


def load_actors(session: Session, codec: Codec) -> dict[tuple[OfficeKind, bool], Pool]:
    """Staff who act for each office, with weights (clerks work more files than heads);
    the ``True`` pools hold those who may see restricted dossiers."""
    rows = session.execute(
        select(Staff.id, Staff.office_id, Staff.role, Staff.restricted_access, Office.kind)
        .join(Office, Staff.office_id == Office.id)
        .where(Staff.active.is_(True), Staff.deleted_at.is_(None))
        .order_by(Staff.username)
    ).all()
    clerk_role = {
        OfficeKind.SUI: Role.SUI_CLERK.value,
        OfficeKind.QUESTURA: Role.QUESTURA_OFFICER.value,
    }
    pools: dict[tuple[OfficeKind, bool], Pool] = {}
    for kind in OfficeKind:
        for restricted in (False, True):
            members: list[Actor] = []
            weights: list[float] = []
            for staff_id, office_id, role, access, office_kind in rows:
                if office_kind != kind.value or (restricted and not access):
                    continue
                if role in (clerk_role[kind], Role.HEAD.value):
                    members.append((codec.key(staff_id), codec.key(office_id)))
                    weights.append(4.0 if role == clerk_role[kind] else 1.0)
            if members:
                pools[(kind, restricted)] = (members, list(accumulate(weights)))
    return pools


def holder_offices_of(
    session: Session, types: list[TypeInfo], codec: Codec
) -> dict[tuple[Party, str], Any]:
    """Holder office per party, from the same query ``refresh_derived`` uses."""
    result: dict[tuple[Party, str], Any] = {}
    for province in sorted({t.lead.province for t in types}):
        for party in Party:
            office = office_for_party(session, party, province)
            result[(party, province)] = codec.key(office.id) if office else None
    return result


def parere_target_of(session: Session) -> int:
    return read_parere_target(session)


def next_run(session: Session, seed: int) -> int:
    setting = session.get(Setting, RUNS_SETTING)
    runs: dict[str, int] = json.loads(setting.value) if setting else {}
    run = runs.get(str(seed), 0) + 1
    runs[str(seed)] = run
    if setting is None:
        session.add(Setting(key=RUNS_SETTING, value=json.dumps(runs, sort_keys=True)))
    else:
        setting.value = json.dumps(runs, sort_keys=True)
    return run
