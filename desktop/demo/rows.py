"""A planned demo dossier as rows: tuples in the column orders of the bulk writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from desktop.demo.codes import Codec, search_key_of, uuid7
from desktop.demo.people import make_person, pick_employer
from desktop.demo.plan import OFFICE_OPEN_S, OFFICE_SPAN_S, Planned
from desktop.demo.setup import RuleInfo, Setup, TypeInfo
from desktop.demo.walk import (
    FlagDraft,
    ParereDraft,
    Step,
    Walk,
    draft_flags,
    other_office,
    walk_history,
)
from models.clock import (
    ClockReading,
    StateChange,
    Suspension,
    compute_clock,
)
from models.deadlines import held_days_columns
from models.dossier_fields import names_of
from models.dossiers import format_protocol
from models.enums import (
    FLAG_CATEGORIES,
    EventKind,
    TermStart,
)

# Rows, as tuples in these column orders.

DOSSIER_COLUMNS = (
    "id",
    "version",
    "protocol_office_id",
    "protocol_year",
    "protocol_number",
    "application_code",
    "procedure_type_id",
    "state",
    "holder",
    "holder_office_id",
    "filed_on",
    "quota_assigned_on",
    "closed_on",
    "restricted",
    *names_of("person", "employer"),
    "search_key",
    "deadline",
    "clock_state",
    "suspended_days",
    "open_flags",
    "held_sui_days",
    "held_questura_days",
    "held_applicant_days",
)
EVENT_COLUMNS = (
    "id",
    "version",
    "dossier_id",
    "seq",
    "kind",
    "from_state",
    "to_state",
    "actor_id",
    "office_id",
    "entered_at",
    "effective_on",
    "note",
)
PARERE_COLUMNS = (
    "id",
    "version",
    "dossier_id",
    "requested_on",
    "requested_by_id",
    "given_on",
    "outcome",
    "reasons",
    "officer_id",
)
FLAG_COLUMNS = (
    "id",
    "version",
    "dossier_id",
    "number",
    "category",
    "text",
    "suspends",
    "raised_by_office_id",
    "for_office_id",
    "raised_by_id",
    "raised_on",
    "resolved_by_id",
    "resolved_on",
    "resolution_note",
)


@dataclass
class Batch:
    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    pareri: list[tuple[Any, ...]] = field(default_factory=list)
    flags: list[tuple[Any, ...]] = field(default_factory=list)


def _entered_at(setup: Setup, day: date) -> datetime:
    """When the event was typed in: office hours, sometimes a few days late."""
    draw = setup.rnd.random()
    late = 1 + int(draw * 20) if draw < 0.15 else 0
    seconds = OFFICE_OPEN_S + int(setup.rnd.random() * OFFICE_SPAN_S)
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        days=late, seconds=seconds
    )
    return min(moment, setup.now)


def _application_code(setup: Setup, kind: TypeInfo, year: int) -> str | None:
    letter = kind.profile.code_letter
    if letter is None or setup.rnd.random() < 0.03:  # a few filed on paper
        return None
    setup.application_serial += 1
    # The seed and run make codes unique across demo runs on one database.
    return (
        f"P-{kind.lead.province}/{letter}/{year}/"
        f"D{setup.seed}R{setup.run}-{setup.application_serial:06d}"
    )


def _quota_date(setup: Setup, rule: RuleInfo, filed: date) -> date | None:
    if rule.spec.start is not TermStart.QUOTA_ASSIGNMENT:
        return None
    return min(filed + timedelta(days=3 + int(setup.rnd.random() * 38)), setup.today)


def _events(walk: Walk, flags: list[FlagDraft]) -> list[Step]:
    steps = list(walk.steps)
    for flag in flags:
        note = f"#{flag.number} {FLAG_CATEGORIES[flag.category]}: {flag.text}"
        if flag.suspends:
            note += " (sospende il termine)"
        steps.append(
            Step(flag.raised_on, EventKind.FLAG_RAISED.value, None, None, flag.raiser, note)
        )
        if flag.resolved_on is not None and flag.resolver is not None:
            resolution = f"#{flag.number} risolta" + (
                f": {flag.resolution_note}" if flag.resolution_note else ""
            )
            steps.append(
                Step(
                    flag.resolved_on,
                    EventKind.FLAG_RESOLVED.value,
                    None,
                    None,
                    flag.resolver,
                    resolution,
                )
            )
    if flags:
        steps.sort(key=lambda s: s.on)  # stable: same-day events keep their order
    return steps


def _reading(
    setup: Setup, walk: Walk, flags: list[FlagDraft], filed: date, quota: date | None
) -> ClockReading:
    """The clock exactly as ``models.deadlines.read_clock`` feeds it."""
    states = walk.kind.workflow.states
    changes = []
    for step in walk.steps:
        if step.to_state is not None:
            info = states[step.to_state]
            changes.append(StateChange(step.on, info.code, info.clock, info.holder, info.final))
    suspensions = [Suspension(f.raised_on, f.resolved_on) for f in flags if f.suspends]
    return compute_clock(
        walk.rule.spec, filed, changes, suspensions, walk.kind.lead.calendar, setup.today, quota
    )


def build_rows(setup: Setup, item: Planned, batch: Batch) -> None:
    kind = setup.types[item.type_index]
    rule = kind.rule_at(item.filed_on)
    assert rule is not None
    filed = item.filed_on
    quota = _quota_date(setup, rule, filed)
    walk = walk_history(setup, kind, rule, filed, quota or filed)
    final = kind.workflow.states[walk.state].final
    person = make_person(setup, kind, filed, walk.state == kind.finals.get("positive"))
    employer = pick_employer(setup, kind, person)
    flags = draft_flags(setup, walk, filed, walk.day if final else None)
    reading = _reading(setup, walk, flags, filed, quota)
    tail = setup.rnd.getrandbits(62)
    dossier_id = setup.codec.new_id(uuid7(item.millis, 0, tail))
    events = _events(walk, flags)
    protocol = format_protocol(kind.lead.code, filed.year, item.protocol_number)
    application = _application_code(setup, kind, filed.year)
    holder = kind.workflow.states[walk.state].holder
    batch.dossiers.append(
        (
            dossier_id,
            len(events),
            kind.lead.key,
            filed.year,
            item.protocol_number,
            application,
            kind.key,
            walk.state,
            holder.value,
            setup.holder_offices[(holder, kind.lead.province)],
            filed,
            quota,
            reading.closed_on,
            kind.restricted,
            person.surname,
            person.given_names,
            person.sex,
            person.birth_date,
            person.birth_place,
            person.nationality,
            person.passport,
            person.fiscal_code,
            person.cui,
            employer.name if employer else "",
            employer.fiscal_code if employer else None,
            employer.pec if employer else "",
            search_key_of(
                person.surname,
                person.given_names,
                protocol,
                application,
                person.fiscal_code,
                person.cui,
                person.passport,
            ),
            reading.deadline,
            reading.status.value,
            reading.suspended_days,
            sum(1 for f in flags if f.resolved_on is None),
            *held_days_columns(reading),
        )
    )
    ids = _ChildIds(setup.codec, item.millis, tail, dossier_id)
    _event_rows(setup, ids, events, batch)
    _parere_rows(ids, walk.pareri, batch)
    _flag_rows(setup, ids, flags, batch)


@dataclass(frozen=True)
class _ChildIds:
    """Ids of a dossier's rows: its timestamp and random tail, a slot per row."""

    codec: Codec
    millis: int
    tail: int
    dossier_id: Any

    def make(self, slot: int) -> Any:
        return self.codec.new_id(uuid7(self.millis, slot, self.tail))


_PARERE_SLOTS, _FLAG_SLOTS = 0x800, 0xC00  # events use slots 1…2047


def _event_rows(setup: Setup, ids: _ChildIds, events: list[Step], batch: Batch) -> None:
    for seq, step in enumerate(events):
        batch.events.append(
            (
                ids.make(1 + seq),
                1,
                ids.dossier_id,
                seq,
                step.kind,
                step.from_state,
                step.to_state,
                step.actor[0],
                step.actor[1],
                _entered_at(setup, step.on),
                step.on,
                step.note,
            )
        )


def _parere_rows(ids: _ChildIds, pareri: list[ParereDraft], batch: Batch) -> None:
    for index, parere in enumerate(pareri):
        batch.pareri.append(
            (
                ids.make(_PARERE_SLOTS + index),
                1 if parere.given_on is None else 2,
                ids.dossier_id,
                parere.requested_on,
                parere.requested_by[0],
                parere.given_on,
                parere.outcome,
                parere.reasons,
                parere.officer[0] if parere.officer else None,
            )
        )


def _flag_rows(setup: Setup, ids: _ChildIds, flags: list[FlagDraft], batch: Batch) -> None:
    for index, flag in enumerate(flags):
        batch.flags.append(
            (
                ids.make(_FLAG_SLOTS + index),
                1 if flag.resolved_on is None else 2,
                ids.dossier_id,
                flag.number,
                flag.category,
                flag.text,
                flag.suspends,
                setup.offices[flag.raised_by].key,
                setup.offices[other_office(flag.raised_by)].key,
                flag.raiser[0],
                flag.raised_on,
                flag.resolver[0] if flag.resolver else None,
                flag.resolved_on,
                flag.resolution_note,
            )
        )
