"""Changes the server did not take, as the replica keeps them, and their resolution.

A field conflict holds both values: keeping the server's only closes it (the replica
already shows the server's value); keeping this workstation's queues a new change,
based on the server's value, through the ordinary service layer.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from models.dossiers import Dossier
from models.errors import NotFound, ValidationError
from models.json_types import JsonValue
from models.permissions import can_see
from models.services.changes import Changed, Changes
from models.services.registration import EDITABLE_FIELDS, update_dossier
from models.sync_tables import SyncConflict
from models.uow import UnitOfWork
from models.validation import FIELD_LABELS

KEEP = ("local", "server")


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """A change the server did not take; ``models.read.as_json.conflict_json`` for --json."""

    id: int
    kind: str  # "field" (changed on both sides) or "refused" (the whole change)
    table: str
    row_id: str
    dossier_id: uuid.UUID | None
    reference: str | None  # the dossier as people know it, when the row is one's
    field: str | None
    field_label: str | None
    base: JsonValue  # what the local change started from
    local: JsonValue  # this workstation's value (a refused change: its rows)
    server: JsonValue  # the server's value
    reason: str
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    summary: str  # one Italian line for lists and the CLI


def _value(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


def _dossier_for(uow: UnitOfWork, conflict: SyncConflict) -> Dossier | None:
    if conflict.table_name != "dossiers" or not conflict.row_id:
        return None
    try:
        return uow.session.get(Dossier, uuid.UUID(conflict.row_id))
    except ValueError:
        return None


def _visible(uow: UnitOfWork, conflict: SyncConflict) -> bool:
    """A conflict about a dossier this user may not see (clearance withdrawn since the
    edit) is not shown: its values would reveal it."""
    dossier = _dossier_for(uow, conflict)
    return dossier is None or can_see(uow.actor, dossier)


def _row(uow: UnitOfWork, conflict: SyncConflict) -> ConflictRow:
    dossier = _dossier_for(uow, conflict)
    return ConflictRow(
        id=conflict.id,
        kind=conflict.kind,
        table=conflict.table_name,
        row_id=conflict.row_id,
        dossier_id=dossier.id if dossier else None,
        reference=dossier.reference if dossier else None,
        field=conflict.field,
        field_label=FIELD_LABELS.get(conflict.field or "", conflict.field),
        base=_value(conflict.base_value),
        local=_value(conflict.local_value),
        server=_value(conflict.server_value),
        reason=conflict.reason,
        created_at=conflict.created_at,
        resolved_at=conflict.resolved_at,
        resolution=conflict.resolution,
        summary=_summary(conflict),
    )


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _summary(conflict: SyncConflict) -> str:
    if conflict.kind == "field":
        label = str(FIELD_LABELS.get(conflict.field or "", conflict.field))
        return (
            f"{label[:1].upper()}{label[1:]}: qui «{_shown(_value(conflict.local_value))}», "
            f"sul server «{_shown(_value(conflict.server_value))}»"
        )
    parts: list[str] = []
    for row in _value(conflict.local_value) or []:
        changes = row.get("changes", {})
        if row.get("table") == "dossiers" and row.get("action") == "insert":
            name = f"{_shown(changes.get('surname', [None, ''])[1])}"
            parts.append(f"nuova pratica {name}")
        elif row.get("table") == "dossiers" and "state" in changes:
            before, after = changes["state"]
            parts.append(f"stato: {_shown(before)} → {_shown(after)}")
        elif row.get("table") == "dossiers":
            labels = (FIELD_LABELS.get(f, f) for f in changes)
            parts.append("modificati: " + ", ".join(labels))
    what = "; ".join(parts) or "operazione"
    return f"{what} — non applicata: {conflict.reason}"


def list_conflicts(uow: UnitOfWork, include_resolved: bool = False) -> list[ConflictRow]:
    query = select(SyncConflict).order_by(SyncConflict.id)
    if not include_resolved:
        query = query.where(SyncConflict.resolved_at.is_(None))
    return [_row(uow, c) for c in uow.session.scalars(query) if _visible(uow, c)]


def open_conflicts(uow: UnitOfWork) -> int:
    return len(list_conflicts(uow))


def resolve_conflict(uow: UnitOfWork, conflict_id: int, keep: str) -> Changes:
    """``keep="server"`` closes it; ``keep="local"`` queues the local value again."""
    if keep not in KEEP:
        raise ValidationError({"keep": "scegliere --keep local oppure --keep server"})
    conflict = uow.session.get(SyncConflict, conflict_id)
    if conflict is None:
        raise NotFound(f"conflitto {conflict_id} non trovato")
    if conflict.resolved_at is not None:
        raise ValidationError({"conflict": f"conflitto {conflict_id} già risolto"})
    changes = Changes()
    if keep == "local":
        if conflict.kind != "field" or conflict.field is None:
            raise ValidationError(
                {
                    "keep": f"il conflitto {conflict_id} è un'operazione rifiutata dal server: "
                    "va rifatta sulla pratica com'è ora (--keep server per chiuderlo)"
                }
            )
        changes = _keep_local(uow, conflict)
    conflict.resolved_at = datetime.now(UTC)
    conflict.resolution = keep
    uow.session.flush()
    return changes


def _keep_local(uow: UnitOfWork, conflict: SyncConflict) -> Changes:
    field = conflict.field or ""
    value = _value(conflict.local_value)
    dossier = _dossier_for(uow, conflict)
    if dossier is not None and field in EDITABLE_FIELDS:
        changed, _warnings = update_dossier(uow, str(dossier.id), {field: value})
        return changed or Changes.of(Changed.DOSSIER, dossiers=(dossier.id,))
    from models.column_json import from_json
    from models.sync_registry import synced_models, table

    model = synced_models().get(conflict.table_name)
    row = uow.session.get(model, uuid.UUID(conflict.row_id)) if model is not None else None
    if row is None:
        raise NotFound(f"la riga del conflitto {conflict.id} non è più nella copia locale")
    setattr(row, field, from_json(table(conflict.table_name).c[field], value))
    return Changes.of(Changed.DOSSIER)
