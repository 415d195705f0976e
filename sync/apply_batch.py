"""The fast path of a push: every mutation of the batch in one savepoint, with the rows
locked and loaded a table at a time and a single flush, instead of a dozen round trips
per mutation. On any database error, or a row missing or already there, the batch is
applied again mutation by mutation (``sync.apply.apply_mutation``), each in its own
savepoint, so the outcome is the same either way."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, inspect, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, lazyload, selectinload
from sqlalchemy.orm.attributes import get_history, set_committed_value

from models.base import Synced
from models.column_json import same
from models.deadlines import refresh_derived
from models.dossiers import Dossier, DossierEvent
from models.enums import EventKind
from models.errors import DomainError
from models.offices import Office
from models.procedures import ProcedureType
from models.services.registration import search_key
from models.sync_registry import synced_models, table
from sync.apply import (
    Change,
    Outcome,
    Refused,
    apply_mutation,
    apply_row,
    check_facts_now,
    push_interrupted,
    renumber_flag_notes,
)
from sync.tables import CLOCK_INPUTS

CHUNK = 2000
log = logging.getLogger("raccordo.sync")


class _Fallback(Exception):
    """Something the one-savepoint path does not decide: redo mutation by mutation."""


def apply_all(session: Session, mutations: list[list[Change]], today: date) -> list[Outcome]:
    if not mutations:
        return []
    try:
        with session.begin_nested():
            return _together(session, mutations, today)
    except (_Fallback, Refused, DBAPIError, DomainError) as error:
        if push_interrupted(error):
            raise
        log.info("push: the batch goes mutation by mutation (%s)", type(error).__name__)
        session.expire_all()
        return [apply_mutation(session, rows, today) for rows in mutations]


def _chunks(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _children_of_dossier() -> dict[str, str]:
    """Child table → the Dossier relationship holding its rows (events, pareri, flags)."""
    return {
        str(rel.mapper.local_table.name): rel.key  # type: ignore[attr-defined]
        for rel in inspect(Dossier).relationships
        if rel.direction.name == "ONETOMANY"
    }


# What the clock reads (models.deadlines.refresh_derived): the events entering a state
# and the applicant's observations on a preavviso, without their actor and office, and
# the flags. In this session ``Dossier.events`` holds only those events; the batch only
# appends to it.
_CLOCK_EVENTS = or_(
    DossierEvent.to_state.is_not(None), DossierEvent.kind == EventKind.OBSERVATIONS.value
)
_FOR_THE_CLOCK = (
    selectinload(Dossier.events.and_(_CLOCK_EVENTS)).options(
        lazyload(DossierEvent.actor), lazyload(DossierEvent.office)
    ),
    selectinload(Dossier.flags),
    lazyload(Dossier.pareri),
)


def _load_dossiers(session: Session, ids: set[uuid.UUID]) -> list[Synced]:
    """Locked and loaded with what the clock reads; the caller keeps the list, since the
    session's identity map only holds unmodified objects weakly."""
    wanted = [i for i in ids if i is not None]
    loaded: list[Synced] = []
    for part in _chunks(wanted):
        session.execute(select(Dossier.id).where(Dossier.id.in_(part)).with_for_update()).all()
        loaded.extend(
            session.scalars(
                select(Dossier)
                .where(Dossier.id.in_(part))
                .options(*_FOR_THE_CLOCK)
                .execution_options(populate_existing=True)
            ).all()
        )
    return loaded


def _preload(session: Session, mutations: list[list[Change]]) -> list[Synced]:
    updates: dict[str, list[uuid.UUID]] = defaultdict(list)
    inserts: dict[str, list[uuid.UUID]] = defaultdict(list)
    dossiers: set[uuid.UUID] = set()
    for rows in mutations:
        for row in rows:
            key = uuid.UUID(row.row_id)
            if row.table == "dossiers":
                dossiers.add(key)
            elif row.action == "insert" and row.changes.get("dossier_id", [None, None])[1]:
                dossiers.add(uuid.UUID(row.changes["dossier_id"][1]))
            if row.action == "update" and row.table != "dossiers":
                updates[row.table].append(key)
            elif row.action == "insert":
                inserts[row.table].append(key)
    loaded = _load_dossiers(session, dossiers)
    for name, ids in inserts.items():
        key_column = table(name).c["id"]
        for part in _chunks(ids):
            if session.execute(select(key_column).where(key_column.in_(part)).limit(1)).first():
                raise _Fallback("riga già presente sul server")
    parents: set[uuid.UUID] = set()
    for name, ids in updates.items():
        model = synced_models()[name]
        key_column = table(name).c["id"]
        for part in _chunks(ids):
            session.execute(select(key_column).where(key_column.in_(part)).with_for_update())
            for obj in session.scalars(select(model).where(model.id.in_(part))):
                loaded.append(obj)
                parent = getattr(obj, "dossier_id", None)
                if isinstance(parent, uuid.UUID) and parent not in dossiers:
                    parents.add(parent)
    return loaded + _load_dossiers(session, parents)


def _stale_transition(session: Session, rows: list[Change]) -> str | None:
    states: dict[str, str] = {}  # dossier id -> its state now
    for row in rows:
        if row.table != "dossiers" or row.action != "update" or "state" not in row.changes:
            continue
        before, after = row.changes["state"]
        if row.row_id not in states:
            found = session.get(Dossier, uuid.UUID(row.row_id))
            if found is None:
                raise _Fallback(row.row_id)
            states[row.row_id] = found.state
        current = states[row.row_id]
        if not same(current, before):
            return (
                f"passaggio di stato non applicato: la pratica era già «{current}» sul "
                f"server (la modifica partiva da «{before}»)"
            )
        states[row.row_id] = after
    return None


def _attach(
    session: Session, obj: Synced, relation: dict[str, str], pending: dict[uuid.UUID, Synced]
) -> uuid.UUID | None:
    """A new child goes into its dossier's loaded collection, so the clock sees it;
    ``pending`` holds the rows this mutation inserted (not yet in the identity map)."""
    if isinstance(obj, Dossier):
        obj.procedure_type = session.get_one(ProcedureType, obj.procedure_type_id)
        obj.protocol_office = session.get_one(Office, obj.protocol_office_id)
        return obj.id
    parent_id = getattr(obj, "dossier_id", None)
    if not isinstance(parent_id, uuid.UUID):
        return None
    name = relation.get(inspect(obj).mapper.local_table.name)
    found = pending.get(parent_id) or session.get(Dossier, parent_id)
    parent = found if isinstance(found, Dossier) else None
    if parent is None:
        raise _Fallback(str(parent_id))
    if name is not None:
        # The back-reference is known already: appending then loads nothing. Pareri are
        # not read by the clock (nor loaded): their collection is left alone.
        set_committed_value(obj, "dossier", parent)
        if name != "pareri":
            getattr(parent, name).append(obj)
    return parent_id


def _together(session: Session, mutations: list[list[Change]], today: date) -> list[Outcome]:
    loaded = _preload(session, mutations)  # held: the identity map keeps them weakly
    relation = _children_of_dossier()
    outcomes: list[Outcome] = []
    touched: set[uuid.UUID] = set()
    inserted: list[Synced] = []
    wanted_later = {
        row.row_id if row.action == "update" else str(row.changes["dossier_id"][1])
        for rows in mutations
        for row in rows
        if row.action == "update" or row.changes.get("dossier_id", [None, None])[1]
    }
    with session.no_autoflush:
        for rows in mutations:
            outcome = Outcome(rows[0].mutation_id, max(r.seq for r in rows))
            outcome.rows = list(dict.fromkeys((r.table, r.row_id) for r in rows))
            outcomes.append(outcome)
            stale = _stale_transition(session, rows)
            if stale is not None:
                outcome.refused = stale
                _add_parents(session, outcome)
                continue
            pending: dict[uuid.UUID, Synced] = {}
            for row in rows:
                obj = apply_row(session, row, outcome, lock=False)
                if row.action == "insert":
                    inserted.append(obj)
                    pending[obj.id] = obj
                    parent = _attach(session, obj, relation, pending)
                else:
                    parent = (
                        obj.id if isinstance(obj, Dossier) else getattr(obj, "dossier_id", None)
                    )
                if isinstance(parent, uuid.UUID):
                    if row.table in CLOCK_INPUTS:
                        touched.add(parent)
                    if ("dossiers", str(parent)) not in outcome.rows:
                        outcome.rows.append(("dossiers", str(parent)))
            if any(str(key) in wanted_later for key in pending):
                session.flush()  # a later mutation changes or extends these rows
        for dossier_id in touched:
            dossier = session.get_one(Dossier, dossier_id)
            dossier.search_key = search_key(dossier)
            refresh_derived(session, dossier, today)
        _update_dossiers_at_once(session, [d for d in loaded if isinstance(d, Dossier)])
    session.flush()
    renumber_flag_notes(session, inserted)
    for obj in inserted:
        if isinstance(obj, Dossier):  # numbered by the server's trigger just now
            session.refresh(obj, ["protocol_year", "protocol_number"])
            obj.search_key = search_key(obj)
    session.flush()
    check_facts_now(session)
    del loaded
    return outcomes


def _update_dossiers_at_once(session: Session, dossiers: list[Dossier]) -> None:
    """The changed dossiers in one ``executemany`` per set of changed columns, with the
    same version check the ORM makes (which sends one ``UPDATE`` per versioned row)."""
    dossiers_table = table("dossiers")
    columns = dossiers_table.c
    groups: dict[tuple[str, ...], list[tuple[Dossier, dict[str, Any]]]] = defaultdict(list)
    for dossier in dossiers:
        state = inspect(dossier)
        if state.pending:
            continue
        changed = {  # the attributes set since loading, minus those set to the same value
            key: state.dict[key]
            for key in state.committed_state
            if key in columns and get_history(dossier, key).has_changes()
        }
        if changed:
            groups[tuple(sorted(changed))].append((dossier, changed))
    for names, members in groups.items():
        statement = (
            update(dossiers_table)
            .where(columns.id == bindparam("b_id"), columns.version == bindparam("b_version"))
            .values({name: bindparam(f"v_{name}") for name in (*names, "version")})
        )
        params = [
            {
                "b_id": d.id,
                "b_version": d.version,
                "v_version": d.version + 1,
                **{f"v_{name}": values[name] for name in names},
            }
            for d, values in members
        ]
        done = session.connection().execute(statement, params)
        if done.rowcount != len(params):
            raise _Fallback("pratica modificata nel frattempo")
        for dossier, values in members:
            for name, value in values.items():
                set_committed_value(dossier, name, value)
            set_committed_value(dossier, "version", dossier.version + 1)


def _add_parents(session: Session, outcome: Outcome) -> None:
    for name, row_id in list(outcome.rows):
        if name == "dossiers":
            continue
        model = synced_models().get(name)
        obj = session.get(model, uuid.UUID(row_id)) if model is not None else None
        parent = getattr(obj, "dossier_id", None)
        if isinstance(parent, uuid.UUID) and ("dossiers", str(parent)) not in outcome.rows:
            outcome.rows.append(("dossiers", str(parent)))
