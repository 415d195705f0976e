"""The dossier table's two queries: every matching id in order, then rows on demand.

The GUI holds the ordered ids of the whole result (cheap even at 500,000) and asks for
the columns of the rows it paints; sorting and filtering happen in SQL, never in Qt.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.dossiers import Dossier
from models.enums import ClockEffect
from models.forecast import by_risk
from models.read.table import RISK
from models.read.table import TableRow as TableRow
from models.services.forecast import breach_risks
from models.services.queries import DossierFilter, apply_filter, visibility
from models.services.records import DossierRecord, record_select
from models.services.views import state_label
from models.uow import UnitOfWork

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


def dossier_ids(
    uow: UnitOfWork,
    spec: DossierFilter,
    sort: str = "filed_on",
    descending: bool = True,
    limit: int | None = None,
) -> list[str]:
    """Ids (hex) of every visible dossier matching ``spec`` (or the first ``limit``), in
    display order."""
    if sort == RISK:  # computed, not stored: every match, ordered here
        ordered, _ = ids_by_risk(uow, spec, descending)
        return ordered if limit is None else ordered[:limit]
    columns = SORT_KEYS.get(sort, SORT_KEYS["filed_on"])
    order = [c.desc() if descending else c.asc() for c in columns]
    tie = Dossier.id.desc() if descending else Dossier.id.asc()
    session = uow.session
    query = select(_id_as_hex(session)).where(*visibility(uow.actor))
    query = apply_filter(session, query, spec, uow.today).order_by(*order, tie)
    if limit is not None:
        query = query.limit(limit)
    result = session.connection().execute(query)
    try:
        # Plain strings straight off the driver's cursor: building a Row per id costs
        # twice the query itself at 500,000 ids.
        return [row[0] for row in result.cursor.fetchall()]
    finally:
        result.close()


def ids_by_risk(
    uow: UnitOfWork, spec: DossierFilter, descending: bool = True
) -> tuple[list[str], dict[str, float | None]]:
    """Every visible match ordered by breach risk, and the risks (hex id → 0–1, None: no
    estimate; closed dossiers absent), as ``models.read.table.ids_by_risk``."""
    every = dossier_ids(uow, spec)
    found = breach_risks(uow, [uuid.UUID(hex=i) for i in every])
    risks = {key.hex: risk for key, risk in found.items()}
    return by_risk(every, risks, descending), risks


def _id_as_hex(session: Session) -> ColumnElement[str]:
    """The id as 32 hex digits straight from the database, skipping 500,000 UUID objects."""
    if session.get_bind().dialect.name == "postgresql":
        return func.replace(cast(Dossier.id, String), "-", "")
    return type_coerce(Dossier.id, String)  # SQLite stores the 32 hex digits


def dossier_rows(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, TableRow]:
    """The displayed columns of those of these dossiers this user may see, keyed by id."""
    if not ids:
        return {}
    session, today = uow.session, uow.today
    wanted = Dossier.id.in_([uuid.UUID(hex=i) for i in ids])
    query = record_select().where(wanted, *visibility(uow.actor))
    rows: dict[str, TableRow] = {}
    for record in map(DossierRecord.from_row, session.execute(query)):
        days_left = None
        if record.deadline is not None and record.clock_state != ClockEffect.SUSPENDED.value:
            days_left = (record.deadline - (record.closed_on or today)).days
        rows[record.id.hex] = TableRow(
            id=record.id.hex,
            reference=record.reference,
            name=record.name,
            nationality=record.nationality,
            type_code=record.type_code,
            state=record.state,
            state_label=state_label(session, record.procedure_type_id, record.state),
            holder=record.holder_office or record.holder,
            filed_on=record.filed_on,
            deadline=record.deadline,
            days_left=days_left,
            clock=record.clock_state,
            closed=record.closed_on is not None,
            open_flags=record.open_flags,
            restricted=record.restricted,
        )
    return rows
