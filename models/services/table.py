"""The dossier table's two queries: every matching id in order, then rows on demand.

The GUI holds the ordered ids of the whole result (cheap even at 500,000) and asks for
the columns of the rows it paints; sorting and filtering happen in SQL, never in Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.dossiers import Dossier
from models.enums import ClockEffect
from models.offices import Office, Staff
from models.procedures import ProcedureType, WorkflowState
from models.services.queries import DossierFilter, apply_filter, visibility

SORT_KEYS: dict[str, tuple[InstrumentedAttribute[Any], ...]] = {
    "protocol": (Dossier.protocol_year, Dossier.protocol_number),
    "name": (Dossier.search_key,),
    "nationality": (Dossier.nationality,),
    "type": (Dossier.procedure_type_id,),
    "state": (Dossier.state,),
    "holder": (Dossier.holder,),
    "filed_on": (Dossier.filed_on,),
    "deadline": (Dossier.deadline,),
    "open_flags": (Dossier.open_flags,),
}


@dataclass(frozen=True)
class TableRow:
    id: str
    reference: str
    name: str
    nationality: str
    type_code: str
    state: str
    state_label: str
    holder: str
    filed_on: date
    deadline: date | None
    days_left: int | None
    clock: str
    closed: bool
    open_flags: int
    restricted: bool

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0 and not self.closed


def dossier_ids(
    session: Session,
    actor: Staff,
    spec: DossierFilter,
    today: date,
    sort: str = "filed_on",
    descending: bool = True,
) -> list[str]:
    """Ids (hex) of every visible dossier matching ``spec``, in display order."""
    columns = SORT_KEYS.get(sort, SORT_KEYS["filed_on"])
    order = [c.desc() if descending else c.asc() for c in columns]
    tie = Dossier.id.desc() if descending else Dossier.id.asc()
    query = select(_id_as_hex(session)).where(*visibility(actor))
    query = apply_filter(session, query, spec, today).order_by(*order, tie)
    return list(session.scalars(query))


def _id_as_hex(session: Session) -> ColumnElement[str]:
    """The id as 32 hex digits straight from the database, skipping 500,000 UUID objects."""
    if session.get_bind().dialect.name == "postgresql":
        return func.replace(cast(Dossier.id, String), "-", "")
    return type_coerce(Dossier.id, String)  # SQLite stores the 32 hex digits


def dossier_rows(session: Session, ids: Sequence[str], today: date) -> dict[str, TableRow]:
    """The displayed columns of these dossiers, keyed by id."""
    import uuid

    if not ids:
        return {}
    offices = {o.id: o.code for o in session.scalars(select(Office))}
    types = {t.id: t.code for t in session.scalars(select(ProcedureType))}
    labels = {
        (s.procedure_type_id, s.code): s.label
        for s in session.scalars(select(WorkflowState).where(WorkflowState.deleted_at.is_(None)))
    }
    query = select(
        Dossier.id,
        Dossier.protocol_office_id,
        Dossier.protocol_year,
        Dossier.protocol_number,
        Dossier.surname,
        Dossier.given_names,
        Dossier.nationality,
        Dossier.procedure_type_id,
        Dossier.state,
        Dossier.holder,
        Dossier.holder_office_id,
        Dossier.filed_on,
        Dossier.deadline,
        Dossier.clock_state,
        Dossier.closed_on,
        Dossier.open_flags,
        Dossier.restricted,
    ).where(Dossier.id.in_([uuid.UUID(hex=i) for i in ids]))
    rows: dict[str, TableRow] = {}
    for r in session.execute(query):
        if r.protocol_number is not None:
            reference = f"{offices[r.protocol_office_id]}/{r.protocol_year}/{r.protocol_number:07d}"
        else:
            reference = f"PROVV-{r.id.hex[:8].upper()}"
        reference_day = r.closed_on or today
        days_left = None
        if r.deadline is not None and r.clock_state != ClockEffect.SUSPENDED.value:
            days_left = (r.deadline - reference_day).days
        rows[r.id.hex] = TableRow(
            id=r.id.hex,
            reference=reference,
            name=f"{r.surname} {r.given_names}",
            nationality=r.nationality,
            type_code=types.get(r.procedure_type_id, "?"),
            state=r.state,
            state_label=labels.get((r.procedure_type_id, r.state), r.state),
            holder=offices.get(r.holder_office_id, r.holder) if r.holder_office_id else r.holder,
            filed_on=r.filed_on,
            deadline=r.deadline,
            days_left=days_left,
            clock=r.clock_state,
            closed=r.closed_on is not None,
            open_flags=r.open_flags,
            restricted=r.restricted,
        )
    return rows
