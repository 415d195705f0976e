"""Registering a dossier and editing its data."""

from __future__ import annotations

import gc
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from models import bulk
from models.base import Base
from models.bulk import NewRow, row_values
from models.deadlines import refresh_derived, rule_for
from models.dossiers import Dossier, DossierEvent
from models.enums import EventKind, OfficeKind
from models.errors import Conflict, DomainError, PermissionDenied, ValidationError
from models.gc_pause import cycle_collection_paused
from models.ids import new_id
from models.offices import Office
from models.permissions import FIELD_OWNER, read_only_fields, require_office
from models.procedures import ProcedureType
from models.protocol import last_protocol_number, reserve_protocol_numbers
from models.services.changes import Changed, Changes
from models.services.lookup import application_code_in, get_dossier, get_office, get_type
from models.text import fold
from models.uow import UnitOfWork
from models.validation import FIELD_LABELS, check_dossier, clean_fields
from models.workflow import Workflow, load_workflow

EDITABLE_FIELDS = tuple(FIELD_LABELS)


@dataclass(frozen=True)
class Registered:
    dossier_id: uuid.UUID
    reference: str
    changes: Changes
    warnings: list[str] = field(default_factory=list)


def search_key(dossier: Dossier) -> str:
    parts = (
        dossier.surname,
        dossier.given_names,
        dossier.protocol or "",
        dossier.application_code,
        dossier.fiscal_code,
        dossier.cui,
        dossier.passport,
    )
    return fold(" ".join(p for p in parts if p))


def _required(dossier_type_required: str) -> tuple[str, ...]:
    return tuple(f for f in dossier_type_required.split(",") if f.strip())


def _warnings(uow: UnitOfWork, values: Mapping[str, Any], own_id: uuid.UUID | None) -> list[str]:
    """Things worth a second look that do not stop the save (docs/domain-rules.md,
    "Identity codes")."""
    warnings = []
    cui, fiscal = values.get("cui"), values.get("fiscal_code")
    if cui and fiscal:
        query = select(Dossier.fiscal_code).where(Dossier.cui == cui, Dossier.fiscal_code != fiscal)
        if own_id is not None:
            query = query.where(Dossier.id != own_id)
        clash = uow.session.scalar(query.limit(1))
        if clash:
            warnings.append(f"lo stesso CUI {cui} è registrato con un altro codice fiscale")
    return warnings


def _check_application_code(uow: UnitOfWork, code: str | None, own_id: uuid.UUID | None) -> None:
    if not code:
        return
    other = uow.session.scalar(select(Dossier.id).where(Dossier.application_code == code))
    if other is not None and other != own_id:
        raise _code_taken(code)


def _code_taken(code: str) -> ValidationError:
    return ValidationError({"application_code": f"codice domanda {code} già registrato"})


def _registered_codes(uow: UnitOfWork, codes: Sequence[str]) -> set[str]:
    """Which of ``codes`` some dossier already has: one query (per 500 codes)."""
    found: set[str] = set()
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        query = select(Dossier.application_code).where(application_code_in(chunk))
        found.update(c for c in uow.session.scalars(query) if c)
    return found


@dataclass(frozen=True)
class NewDossier:
    """One registration asked for: a procedure type's code and the typed field values."""

    type_code: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class CheckedRegistration:
    """A registration that passed every check, ready to be written."""

    procedure: ProcedureType
    office: Office
    workflow: Workflow
    values: dict[str, Any]


@dataclass(frozen=True)
class CheckedBatch:
    """For each registration asked for, in order: what will be written or why it is not."""

    items: list[CheckedRegistration | DomainError]

    @property
    def refusals(self) -> dict[int, DomainError]:
        return {i: item for i, item in enumerate(self.items) if isinstance(item, DomainError)}


def _check_fields(uow: UnitOfWork, request: NewDossier) -> tuple[ProcedureType, dict[str, Any]]:
    """The checks on the request alone: permissions, each field, the whole record."""
    actor = uow.actor
    procedure = get_type(uow.session, request.type_code)
    lead = OfficeKind(procedure.lead_office)
    require_office(actor, lead, f"registrare una pratica {procedure.code}")
    if procedure.restricted and not actor.restricted_access:
        raise PermissionDenied(
            f"le pratiche {procedure.code} sono riservate: serve l'abilitazione alle pratiche "
            "riservate"
        )
    for name, value in request.values.items():
        owner = FIELD_OWNER.get(name)
        if owner is not None and value not in (None, ""):
            require_office(actor, owner, f"indicare il campo {FIELD_LABELS[name]}")
    values, errors = clean_fields({"filed_on": uow.today, **request.values})
    check_dossier(values, _required(procedure.required_fields), uow.today, errors)
    return procedure, values


def check_registrations(uow: UnitOfWork, requests: Sequence[NewDossier]) -> CheckedBatch:
    """Every check of a registration, for many at once, writing nothing.

    The same checks, in the same order, whether one dossier is registered or a whole
    list: the fields, then the application code (all codes with one query; a code taken
    by an earlier registration of the batch counts as taken), the term rule in force on
    the filing date, the registering office. Catalogue look-ups are remembered for the
    unit of work (``models.memo``).
    """
    session = uow.session
    fields: list[tuple[ProcedureType, dict[str, Any]] | DomainError] = []
    for request in requests:
        try:
            fields.append(_check_fields(uow, request))
        except DomainError as error:
            fields.append(error)
    codes = sorted(
        {
            str(f[1]["application_code"])
            for f in fields
            if not isinstance(f, DomainError) and f[1].get("application_code")
        }
    )
    taken = _registered_codes(uow, codes)
    items: list[CheckedRegistration | DomainError] = []
    for checked in fields:
        if isinstance(checked, DomainError):
            items.append(checked)
            continue
        procedure, values = checked
        try:
            code = values.get("application_code")
            if code and code in taken:
                raise _code_taken(code)
            rule_for(session, procedure.id, values["filed_on"])  # refuses a date with no rule
            lead = OfficeKind(procedure.lead_office)
            office = uow.actor.office if uow.actor.office.office_kind is lead else None
            if office is None:
                office = get_office(session, lead.value)
            workflow = load_workflow(session, procedure)
        except DomainError as error:
            items.append(error)
            continue
        if code:
            taken.add(code)
        items.append(CheckedRegistration(procedure, office, workflow, values))
    return CheckedBatch(items)


def _new_dossier(uow: UnitOfWork, checked: CheckedRegistration, entered_at: datetime) -> Dossier:
    """The dossier and its registration event, never added to the session, without a
    number (``models.bulk`` writes them)."""
    session, actor = uow.session, uow.actor
    procedure, office, workflow = checked.procedure, checked.office, checked.workflow
    dossier = Dossier(
        id=new_id(),
        procedure_type=procedure,
        procedure_type_id=procedure.id,
        protocol_office=office,
        protocol_office_id=office.id,
        state=workflow.initial_state,
        holder=workflow.states[workflow.initial_state].holder.value,
        restricted=procedure.restricted,
        **checked.values,
    )
    dossier.protocol_year = uow.today.year
    dossier.protocol_number = None
    dossier.events.append(
        DossierEvent(
            id=new_id(),
            dossier_id=dossier.id,
            seq=0,
            kind=EventKind.REGISTERED.value,
            to_state=dossier.state,
            actor_id=actor.id,
            office_id=actor.office_id,
            entered_at=entered_at,
            effective_on=dossier.filed_on,
            note="registrazione",
        )
    )
    dossier.search_key = search_key(dossier)
    refresh_derived(session, dossier, uow.today)
    return dossier


def _entered_at(uow: UnitOfWork) -> datetime:
    """The moment an event is entered, as the database's own default would give it
    (SQLite's CURRENT_TIMESTAMP has whole seconds)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=0) if uow.session.get_bind().dialect.name == "sqlite" else now


def _numbered(
    dossiers: Sequence[Dossier], checked: Sequence[CheckedRegistration], first: dict[uuid.UUID, int]
) -> list[NewRow]:
    """The dossiers' rows and their events', numbered from ``first`` (by office) in
    order; with no ``first`` (a replica) they stay without a number."""
    following = dict(first)
    rows: list[NewRow] = []
    for dossier, item in zip(dossiers, checked, strict=True):
        if following:
            dossier.protocol_number = following[item.office.id]
            following[item.office.id] += 1
            dossier.search_key = search_key(dossier)
        mark = bool(dossier.restricted)
        rows.append(NewRow(DOSSIERS, row_values(dossier), mark))
        rows.extend(NewRow(EVENTS, row_values(e), mark) for e in dossier.events)
    return rows


GC_PAUSE_FROM = 100
DOSSIERS, EVENTS = Base.metadata.tables["dossiers"], Base.metadata.tables["dossier_events"]


def _checked(batch: CheckedBatch) -> list[CheckedRegistration]:
    checked: list[CheckedRegistration] = []
    for item in batch.items:
        if isinstance(item, DomainError):
            raise item
        checked.append(item)
    return checked


def _build(
    uow: UnitOfWork, checked: Sequence[CheckedRegistration]
) -> tuple[list[Dossier], dict[uuid.UUID, int], list[tuple[uuid.UUID, int]]]:
    """The dossiers, never added to the session; the first number of each office as the
    counter reads now (none on a replica); how many numbers each office takes."""
    session, year = uow.session, uow.today.year
    offices = sorted(Counter(c.office.id for c in checked).items())
    entered_at = _entered_at(uow)
    dossiers = [_new_dossier(uow, item, entered_at) for item in checked]
    expected: dict[uuid.UUID, int] = {}
    if not uow.database.is_replica:
        expected = {o: last_protocol_number(session, o, year) + 1 for o, _n in offices}
    return dossiers, expected, offices


def write_registrations(uow: UnitOfWork, batch: CheckedBatch) -> list[Registered]:
    """Write a checked batch, all of it, or raise the first refusal and write nothing.

    Protocol numbers are taken with one counter update per office (in a fixed order of
    offices), consecutive in the batch's order; the counter rows stay locked until the
    unit of work ends, and a rollback gives every number back. On a replica the numbers
    stay empty: the server assigns them when the registrations are pushed.

    The same path for one dossier and for a list of 30,000: every row, its audit entry
    (or a replica's outbox row) and its number are made before the first write, numbered
    from the counter as this transaction reads it; the writes are the counter update and
    one insert per table (``models.bulk``). On SQLite that first write takes the
    database's write lock until the commit, so a clerk saving meanwhile waits a moment,
    not the whole import. Should the counter have moved meanwhile (another registration
    on PostgreSQL), the rows are numbered again from what the update returned.
    """
    checked = _checked(batch)
    session, year = uow.session, uow.today.year
    big = len(checked) >= GC_PAUSE_FROM
    # The look-ups above are remembered, so nothing here needs to query (and autoflush).
    with session.no_autoflush, cycle_collection_paused(big):
        dossiers, expected, offices = _build(uow, checked)
        sessions = uow.database.sessions
        prepared = bulk.prepare(sessions, session, _numbered(dossiers, checked, expected))
        registered = _registered(dossiers)
        if big:
            # The collection the pause put off would otherwise come with the first
            # allocations after it, under the write lock, and walk everything built here.
            gc.collect()
        if expected:
            taken = {
                o: reserve_protocol_numbers(session, o, year, count).start for o, count in offices
            }
            if taken != expected:
                prepared = bulk.prepare(sessions, session, _numbered(dossiers, checked, taken))
                registered = _registered(dossiers)
        prepared.write()
    for done, item in zip(registered, checked, strict=True):
        done.warnings.extend(_warnings(uow, item.values, None))
    return registered


@dataclass(frozen=True)
class PlannedRegistrations:
    """A checked batch's rows, numbered from the counters as read, not written: ``check``
    takes the numbers when the rows are written, and raises ``bulk.Outdated`` when the
    counters moved since (someone registered meanwhile)."""

    rows: list[NewRow]
    registered: list[Registered]
    check: Callable[[], None]


def plan_registrations(uow: UnitOfWork, batch: CheckedBatch) -> PlannedRegistrations:
    """``write_registrations`` without its writes, for ``models.bulk.Prepared.stage``:
    the rows of a list are made while another transaction may still write."""
    checked = _checked(batch)
    session, year = uow.session, uow.today.year
    with session.no_autoflush, cycle_collection_paused(len(checked) >= GC_PAUSE_FROM):
        dossiers, expected, offices = _build(uow, checked)
        rows = _numbered(dossiers, checked, expected)
        registered = _registered(dossiers)
    for done, item in zip(registered, checked, strict=True):
        done.warnings.extend(_warnings(uow, item.values, None))
    _batch_warnings(registered, checked)

    def take_numbers() -> None:
        for office, count in offices:
            if (
                expected
                and reserve_protocol_numbers(session, office, year, count).start
                != (expected[office])
            ):
                raise bulk.Outdated("numeri di protocollo assegnati da altri")

    return PlannedRegistrations(rows, registered, take_numbers)


def _batch_warnings(
    registered: Sequence[Registered], checked: Sequence[CheckedRegistration]
) -> None:
    """``_warnings`` about the batch's own rows, which are not in the archive yet."""
    fiscal_by_cui: dict[str, set[str]] = {}
    for item in checked:
        cui, fiscal = item.values.get("cui"), item.values.get("fiscal_code")
        if cui and fiscal:
            fiscal_by_cui.setdefault(cui, set()).add(fiscal)
    for done, item in zip(registered, checked, strict=True):
        cui, fiscal = item.values.get("cui"), item.values.get("fiscal_code")
        if cui and fiscal and len(fiscal_by_cui[cui]) > 1:
            warning = f"lo stesso CUI {cui} è registrato con un altro codice fiscale"
            if warning not in done.warnings:
                done.warnings.append(warning)


def _registered(dossiers: Sequence[Dossier]) -> list[Registered]:
    return [
        Registered(d.id, d.reference, Changes.of(Changed.DOSSIER, dossiers=(d.id,)))
        for d in dossiers
    ]


def register_dossier(uow: UnitOfWork, type_code: str, raw: Mapping[str, Any]) -> Registered:
    """A clerk's registration: the batch's checks and writing, for one dossier."""
    batch = check_registrations(uow, [NewDossier(type_code, raw)])
    return write_registrations(uow, batch)[0]


def update_dossier(
    uow: UnitOfWork,
    ref: str,
    raw: Mapping[str, Any],
    expected_version: int | None = None,
    *,
    flush: bool = True,
) -> tuple[Changes, list[str]]:
    """Change fields of a dossier; ``expected_version`` refuses a stale edit. Without
    ``flush`` the changes stay pending in the session (an import writes them in bulk)."""
    session, actor = uow.session, uow.actor
    dossier = get_dossier(uow, ref, with_history=True)
    if expected_version is not None and dossier.version != expected_version:
        raise Conflict(
            f"la pratica {dossier.reference} è stata modificata da altri nel frattempo: "
            "ricaricarla prima di salvare"
        )
    refused = read_only_fields(actor, dossier)
    for name in raw:
        reason = refused.get(name)
        if reason == "closed":
            raise PermissionDenied(
                f"la pratica {dossier.reference} è chiusa: {FIELD_LABELS[name]} non modificabile"
            )
        if reason is not None:
            require_office(actor, OfficeKind(reason), f"modificare il campo {FIELD_LABELS[name]}")
    values, errors = clean_fields(raw)
    if errors:
        raise ValidationError(errors)
    merged = {name: getattr(dossier, name) for name in EDITABLE_FIELDS} | values
    check_dossier(merged, _required(dossier.procedure_type.required_fields), uow.today)
    _check_application_code(uow, values.get("application_code"), dossier.id)
    if "filed_on" in values:
        rule_for(session, dossier.procedure_type_id, values["filed_on"])
        first = dossier.events[0] if dossier.events else None
        if first is not None and first.kind == EventKind.REGISTERED.value:
            first.effective_on = values["filed_on"]
    changed = [n for n, v in values.items() if getattr(dossier, n) != v]
    if not changed:
        return Changes(), []
    for name in changed:
        setattr(dossier, name, values[name])
    dossier.search_key = search_key(dossier)
    dossier.events.append(
        DossierEvent(
            dossier_id=dossier.id,
            seq=len(dossier.events),
            kind=EventKind.UPDATED.value,
            actor_id=actor.id,
            office_id=actor.office_id,
            entered_at=_entered_at(uow),
            effective_on=uow.today,
            note="modificati: " + ", ".join(FIELD_LABELS[n] for n in changed),
        )
    )
    refresh_derived(session, dossier, uow.today)
    if flush:
        session.flush()
    return Changes.of(Changed.DOSSIER, Changed.HISTORY, dossiers=(dossier.id,)), _warnings(
        uow, merged, dossier.id
    )
