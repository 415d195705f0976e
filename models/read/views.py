"""Typed read models of dossiers, built the same way by both read paths.

The ORM's (``models.services.views``) and the light one (``models.read.dossiers``) build
their answers here, so a dossier looks the same whichever read it. They hold real dates
and enums; each adapter formats them (``models.dates``), and ``models.read.as_json``
turns them into the CLI's ``--json``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from models.clock import ClockReading, findings_on_event
from models.enums import FLAG_CATEGORIES, ClockEffect
from models.read.records import DossierRecord


def stored_figures_are_exact(record: DossierRecord) -> bool:
    """A running or closed clock's stored deadline is exact; a suspended one moves daily."""
    running_or_closed = record.clock_state == ClockEffect.RUNS.value or (
        record.clock_state == ClockEffect.STOPPED.value and record.closed_on is not None
    )
    return running_or_closed and record.deadline is not None


@dataclass(frozen=True, slots=True)
class ClockFigures:
    deadline: date
    days_left: int  # negative when overdue
    overdue: bool
    clock: ClockEffect
    suspended_days: int


def stored_figures(record: DossierRecord, today: date) -> ClockFigures:
    """Deadline figures from the stored columns (only when ``stored_figures_are_exact``)."""
    assert record.deadline is not None
    days_left = (record.deadline - (record.closed_on or today)).days
    return ClockFigures(
        record.deadline,
        days_left,
        days_left < 0,
        ClockEffect(record.clock_state),
        record.suspended_days,
    )


def figures(reading: ClockReading) -> ClockFigures:
    return ClockFigures(
        reading.deadline,
        reading.days_left,
        reading.overdue,
        reading.status,
        reading.suspended_days,
    )


@dataclass(frozen=True, slots=True)
class Person:
    surname: str
    given_names: str
    sex: str | None
    birth_date: date
    birth_place: str
    nationality: str
    passport: str | None
    fiscal_code: str | None
    cui: str | None


@dataclass(frozen=True, slots=True)
class Employer:
    name: str
    fiscal_code: str | None
    pec: str


@dataclass(frozen=True, slots=True)
class DossierSummary:
    """One dossier as lists show it (``dossier list``, deadlines, letters' lists)."""

    id: uuid.UUID
    protocol: str | None
    reference: str  # the protocol, or the provisional PROVV-… before one is given
    application_code: str | None
    type_code: str
    type_name: str
    state: str
    state_label: str
    filed_on: date
    closed_on: date | None
    deadline: date
    days_left: int
    overdue: bool
    clock: ClockEffect
    suspended_days: int
    holder: str
    holder_office: str | None
    restricted: bool
    open_flags: int
    version: int
    person: Person
    employer: Employer

    @property
    def name(self) -> str:
        return f"{self.person.surname} {self.person.given_names}"


def summary(record: DossierRecord, state_label: str, numbers: ClockFigures) -> DossierSummary:
    return DossierSummary(
        id=record.id,
        protocol=record.protocol,
        reference=record.reference,
        application_code=record.application_code,
        type_code=record.type_code,
        type_name=record.type_name,
        state=record.state,
        state_label=state_label,
        filed_on=record.filed_on,
        closed_on=record.closed_on,
        deadline=numbers.deadline,
        days_left=numbers.days_left,
        overdue=numbers.overdue,
        clock=numbers.clock,
        suspended_days=numbers.suspended_days,
        holder=record.holder,
        holder_office=record.holder_office,
        restricted=record.restricted,
        open_flags=record.open_flags,
        version=record.version,
        person=Person(
            surname=record.surname,
            given_names=record.given_names,
            sex=record.sex,
            birth_date=record.birth_date,
            birth_place=record.birth_place,
            nationality=record.nationality,
            passport=record.passport,
            fiscal_code=record.fiscal_code,
            cui=record.cui,
        ),
        employer=Employer(
            name=record.employer_name,
            fiscal_code=record.employer_fiscal_code,
            pec=record.employer_pec,
        ),
    )


@dataclass(frozen=True, slots=True)
class FlagFacts:
    id: str
    number: int
    dossier: str  # its reference
    dossier_id: uuid.UUID
    category: str
    text: str
    suspends: bool
    raised_by_office: str
    for_office: str
    raised_by: str | None
    raised_on: date
    resolved_on: date | None
    resolved_by: str | None
    resolution_note: str

    @property
    def category_label(self) -> str:
        return FLAG_CATEGORIES.get(self.category, self.category)

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


@dataclass(frozen=True, slots=True)
class EventFacts:
    """A history row; ``clock_notes``: what the clock found about it (``detail``)."""

    kind: str
    from_state: str | None
    to_state: str | None
    to_state_label: str | None
    effective_on: date
    entered_at: datetime | None
    actor: str | None
    office: str | None
    note: str
    clock_notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParereFacts:
    requested_on: date
    given_on: date | None
    outcome: str | None
    reasons: str
    officer: str | None


@dataclass(frozen=True, slots=True)
class RuleFacts:
    valid_from: date
    valid_to: date | None
    term: int
    unit: str
    start: str
    basis: str
    silent_assent: bool
    to_verify: bool


@dataclass(frozen=True, slots=True)
class MoveFacts:
    to_state: str
    label: str
    via_parere: bool


@dataclass(frozen=True, slots=True)
class DossierDetail(DossierSummary):
    """A dossier's summary with what ``dossier show``, the window and letters add."""

    quota_assigned_on: date | None
    reading: ClockReading
    rule: RuleFacts
    history: tuple[EventFacts, ...]
    pareri: tuple[ParereFacts, ...]
    flags: tuple[FlagFacts, ...]
    allowed_moves: tuple[MoveFacts, ...]


def detail(
    base: DossierSummary,
    quota_assigned_on: date | None,
    reading: ClockReading,
    rule: RuleFacts,
    history: Iterable[EventFacts],
    pareri: Iterable[ParereFacts],
    flags: Iterable[FlagFacts],
    moves: Iterable[MoveFacts],
) -> DossierDetail:
    return DossierDetail(
        **{f.name: getattr(base, f.name) for f in fields(DossierSummary)},
        quota_assigned_on=quota_assigned_on,
        reading=reading,
        rule=rule,
        history=tuple(
            replace(
                e,
                clock_notes=tuple(
                    findings_on_event(reading.findings, e.kind, e.to_state, e.effective_on, e.note)
                ),
            )
            for e in history
        ),
        pareri=tuple(pareri),
        flags=tuple(flags),
        allowed_moves=tuple(moves),
    )


def silent_assent_applies(silent_assent: bool, exclusions: str, nationality: str) -> bool:
    """Silenzio-assenso, unless the rule excludes this nationality."""
    return silent_assent and nationality not in exclusions.split(",")
