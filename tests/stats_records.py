"""The statistics from per-dossier records read in bulk: the report computed a second way.

``reports.stats_sql`` aggregates in the database; this reads every dossier of the
report, its pareri and its history (the time by holder from the state changes, not the
stored columns) into ``DossierRecord``s for the pure ``reports.stats`` functions. Too
slow for a million dossiers, it is the tests' independent check of the SQL figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, String, cast, select

from models.dossiers import Dossier, DossierEvent, Parere, format_protocol
from models.ids import provisional_reference
from models.offices import Office
from models.procedures import ProcedureType, WorkflowState
from models.uow import UnitOfWork
from reports.stats import PARTIES, DossierRecord, ParereRecord, Period
from reports.stats_query import dossier_conditions, parere_target, require_statistics
from reports.stats_report import TimingReport, build_report


def _key(column: Any) -> Any:
    # Ids as text: building and hashing a million UUID objects costs seconds.
    return cast(column, String)


def _dossier_rows(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    return (
        select(
            _key(Dossier.id),
            Office.code,
            Dossier.protocol_year,
            Dossier.protocol_number,
            ProcedureType.code,
            Dossier.filed_on,
            Dossier.closed_on,
            Dossier.deadline,
            Dossier.suspended_days,
        )
        .join(Office, Office.id == Dossier.protocol_office_id)
        .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
        .where(*conditions)
    )


def _pareri(
    connection: Connection, conditions: list[ColumnElement[bool]]
) -> dict[object, list[ParereRecord]]:
    rows = connection.execute(
        select(_key(Parere.dossier_id), Parere.requested_on, Parere.given_on)
        .join(Dossier, Dossier.id == Parere.dossier_id)
        .where(Parere.deleted_at.is_(None), *conditions)
    ).all()
    result: dict[object, list[ParereRecord]] = defaultdict(list)
    for dossier_id, requested_on, given_on in rows:
        result[dossier_id].append(ParereRecord(requested_on, given_on))
    return result


def _holders(connection: Connection) -> dict[tuple[str, str], str]:
    """Who holds the file in each state of each type (a few dozen rows)."""
    rows = connection.execute(
        select(ProcedureType.code, WorkflowState.code, WorkflowState.holder)
        .join(ProcedureType, ProcedureType.id == WorkflowState.procedure_type_id)
        .where(WorkflowState.deleted_at.is_(None))
    )
    return {(type_code, state): holder for type_code, state, holder in rows}


def _held_days(
    connection: Connection,
    conditions: list[ColumnElement[bool]],
    types: dict[object, str],
    since: date,
    until: date,
) -> dict[object, dict[str, int]]:
    """Days per holder of the files closed in [since, until], as the clock counts them."""
    holders = _holders(connection)
    rows = connection.execute(
        select(
            _key(DossierEvent.dossier_id),
            DossierEvent.to_state,
            DossierEvent.effective_on,
            DossierEvent.seq,
        )
        .join(Dossier, Dossier.id == DossierEvent.dossier_id)
        .where(
            DossierEvent.deleted_at.is_(None),
            DossierEvent.to_state.is_not(None),
            Dossier.closed_on >= since,
            Dossier.closed_on <= until,
            *conditions,
        )
    ).all()
    # Holders mapped and events sorted here, per dossier: joining the workflow tables and
    # sorting 600,000 events made PostgreSQL slower than this loop.
    changes: dict[object, list[tuple[date, int, str]]] = defaultdict(list)
    for dossier_id, to_state, effective_on, seq in rows:
        holder = holders.get((types[dossier_id], to_state))
        if holder is not None:
            changes[dossier_id].append((effective_on, seq, holder))
    return {dossier_id: _split(sorted(steps)) for dossier_id, steps in changes.items()}


def _split(steps: list[tuple[date, int, str]]) -> dict[str, int]:
    # The last state is the final one (holder "none"); each earlier state lasts until the next.
    held = dict.fromkeys(PARTIES, 0)
    for (start, _, holder), (end, _, _) in pairwise(steps):
        if holder in held:
            held[holder] += max((end - start).days, 0)
    return held


def read_records(
    uow: UnitOfWork, period: Period, type_code: str | None = None, office: str | None = None
) -> list[DossierRecord]:
    session = uow.session
    conditions = dossier_conditions(session, uow.actor, period, type_code, office)
    # Core, not ORM, execution: the ORM's row handling doubles the time on 200,000 rows.
    connection = session.connection()
    rows = connection.execute(_dossier_rows(conditions)).all()
    types = {row[0]: row[4] for row in rows}
    pareri = _pareri(connection, conditions)
    held = _held_days(connection, conditions, types, period.previous().start, period.end)
    records = []
    for row in rows:
        dossier_id, office_code, year, number, type_, filed_on, closed_on, deadline, suspended = row
        protocol = (
            format_protocol(office_code, year, number)
            if year is not None and number is not None
            else provisional_reference(dossier_id)
        )
        records.append(
            DossierRecord(
                protocol=protocol,
                type_code=type_,
                office=office_code,
                filed_on=filed_on,
                closed_on=closed_on,
                deadline=deadline,
                suspended_days=suspended or 0,
                held_days=held.get(dossier_id, {}),
                pareri=tuple(pareri.get(dossier_id, ())),
            )
        )
    return records


def records_report(
    uow: UnitOfWork,
    period: Period,
    type_code: str | None = None,
    office: str | None = None,
    group_by: str | None = None,
) -> TimingReport:
    require_statistics(uow.actor)
    records = read_records(uow, period, type_code, office)
    filters = {"type": type_code, "office": office}
    return build_report(records, period, parere_target(uow.session), group_by, filters, uow.today)
