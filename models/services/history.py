"""A dossier's audit trail: every recorded change to it and to its events, items and pareri."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.dossiers import Dossier, DossierEvent, Flag, Parere
from models.offices import Office, Staff
from models.permissions import require_visible
from models.procedures import ProcedureType
from models.registry import AuditEntry
from models.services.labels import clock_label, event_label, holder_label, type_label
from models.uow import UnitOfWork
from models.workflow import load_workflow
from models.workflow_model import Workflow


def _row_ids(session: Session, dossier: Dossier) -> list[str]:
    """The audit log's row ids of the dossier and of every row hanging from it."""
    ids = [dossier.id]
    for model in (DossierEvent, Flag, Parere):
        ids.extend(session.scalars(select(model.id).where(model.dossier_id == dossier.id)))
    return [str(row_id) for row_id in ids]


def _id_names(session: Session, dossier: Dossier) -> dict[str, str]:
    """Readable names for the foreign keys that appear in the changes."""
    names = {str(dossier.id): dossier.reference}
    for row_id, code in session.execute(select(Office.id, Office.code)):
        names[str(row_id)] = code
    for row_id, username in session.execute(select(Staff.id, Staff.username)):
        names[str(row_id)] = username
    for row_id, code, name in session.execute(
        select(ProcedureType.id, ProcedureType.code, ProcedureType.name)
    ):
        names[str(row_id)] = type_label(code, name)
    return names


# Columns no user reads: the row's own key and the bookkeeping of sync and locking.
HIDDEN = frozenset({"id", "version", "created_at", "updated_at", "origin", "seq"})


def _readable(field: str, value: Any, names: dict[str, str], workflow: Workflow) -> Any:
    """A stored value in words: a state's label, a party, the clock, a row's name."""
    if not isinstance(value, str):
        return value
    if field in ("state", "from_state", "to_state") and value in workflow.states:
        return workflow.label(value)
    if field == "holder":
        return holder_label(value)
    if field == "clock_state":
        return clock_label(value)
    if field == "kind":
        return event_label(value)
    return names.get(value, value)


@dataclass(frozen=True, slots=True)
class AuditChange:
    field: str
    before: Any  # in words (``_readable``): a label, a name, or the stored value
    after: Any


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audited write to the dossier or to a row that belongs to it."""

    seq: int
    at: datetime  # UTC
    actor: str
    table: str
    row_id: str
    action: str  # insert, update, delete
    changes: tuple[AuditChange, ...]


def audit_trail(uow: UnitOfWork, dossier_id: uuid.UUID) -> list[AuditRow]:
    """Oldest first: when (UTC), who, table, row, action and each field's before → after.

    A restricted dossier is missing for a user without clearance (``NotFound``).
    """
    session = uow.session
    dossier = require_visible(uow.actor, session.get(Dossier, dossier_id), str(dossier_id))
    names = _id_names(session, dossier)
    workflow = load_workflow(session, dossier.procedure_type)
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.row_id.in_(_row_ids(session, dossier)))
        .order_by(AuditEntry.seq)
    )
    trail = []
    for entry in entries:
        changes: dict[str, list[Any]] = json.loads(entry.changes)
        trail.append(
            AuditRow(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                table=entry.table_name,
                row_id=entry.row_id,
                action=entry.action,
                changes=tuple(
                    AuditChange(
                        field,
                        _readable(field, before, names, workflow),
                        _readable(field, after, names, workflow),
                    )
                    for field, (before, after) in sorted(changes.items())
                    if field not in HIDDEN
                ),
            )
        )
    return trail
