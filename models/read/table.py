"""The window's dossier table read through the driver alone: its first screen.

The window paints its first page of rows before SQLAlchemy and the mapped classes are
loaded; the ids and rows come from here, with the SQL of ``models.services.table``
written out (tests/test_read_path.py keeps the two identical for every role).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from models.enums import ClockEffect
from models.forecast import by_risk
from models.read.connection import Reader, open_reader
from models.read.dossiers import RECORD_SQL, DossierReads, load_viewer, record
from models.read.filters import DossierFilter

T = TypeVar("T")

RISK = "risk"  # the breach risk's sort key (``models.forecast``): no column to sort on

# The sort keys of the table's columns, as ``models.services.table.SORT_KEYS``.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "protocol": ("protocol_year", "protocol_number"),
    "name": ("search_key",),
    "nationality": ("nationality",),
    "type": ("procedure_type_id",),
    "state": ("state",),
    "holder": ("holder",),
    "filed_on": ("filed_on",),
    "deadline": ("deadline",),
    "open_flags": ("open_flags",),
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


def table_ids(
    reads: DossierReads,
    spec: DossierFilter,
    sort: str = "filed_on",
    descending: bool = True,
    limit: int | None = None,
) -> list[str]:
    """Ids (hex) of the visible dossiers matching ``spec`` in display order, as
    ``models.services.table.dossier_ids``."""
    if sort == RISK:  # computed, not stored: every match, ordered here
        ordered, _ = ids_by_risk(reads, spec, descending)
        return ordered if limit is None else ordered[:limit]
    conditions, params = reads.conditions(spec)
    direction = " DESC" if descending else ""
    order = [f"dossiers.{c}{direction}" for c in SORT_COLUMNS.get(sort, ("filed_on",))]
    hex_id = "dossiers.id"
    if reads.reader.dialect != "sqlite":  # SQLite stores the 32 hex digits
        hex_id = "replace(CAST(dossiers.id AS VARCHAR), '-', '')"
    sql = (
        f"SELECT {hex_id} FROM dossiers WHERE "
        + " AND ".join(conditions)
        + " ORDER BY "
        + ", ".join([*order, f"dossiers.id{direction}"])
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [row[0] for row in reads.reader.rows(sql, params)]


def ids_by_risk(
    reads: DossierReads, spec: DossierFilter, descending: bool = True
) -> tuple[list[str], dict[str, float | None]]:
    """Every match ordered by breach risk, and the risks (hex id → 0–1, None: no
    estimate; closed dossiers absent): the table shows them without reading them again."""
    every = table_ids(reads, spec)
    found = reads.breach_risks([uuid.UUID(hex=i) for i in every])
    risks = {key.hex: risk for key, risk in found.items()}
    return by_risk(every, risks, descending), risks


def table_rows(reads: DossierReads, ids: Sequence[str]) -> dict[str, TableRow]:
    """The displayed columns of these dossiers, keyed by id (``dossier_rows``)."""
    if not ids:
        return {}
    reader: Reader = reads.reader
    marks = ", ".join("?" * len(ids))
    found = reader.rows(
        RECORD_SQL + f" WHERE dossiers.id IN ({marks})", [reader.id_param(i) for i in ids]
    )
    rows: dict[str, TableRow] = {}
    for dossier in (record(row) for row in found):
        days_left = None
        if dossier.deadline is not None and dossier.clock_state != ClockEffect.SUSPENDED.value:
            days_left = (dossier.deadline - (dossier.closed_on or reads.today)).days
        rows[dossier.id.hex] = TableRow(
            id=dossier.id.hex,
            reference=dossier.reference,
            name=dossier.name,
            nationality=dossier.nationality,
            type_code=dossier.type_code,
            state=dossier.state,
            state_label=reads.state_label(dossier.procedure_type_id, dossier.state),
            holder=dossier.holder_office or dossier.holder,
            filed_on=dossier.filed_on,
            deadline=dossier.deadline,
            days_left=days_left,
            clock=dossier.clock_state,
            closed=dossier.closed_on is not None,
            open_flags=dossier.open_flags,
            restricted=dossier.restricted,
        )
    return rows


@dataclass(frozen=True)
class Choices:
    """The table's filter choices: procedure types, state labels, office codes."""

    types: list[tuple[str, str]]
    states: list[tuple[str, str]]
    offices: list[str]


def table_choices(reader: Reader) -> Choices:
    """As the window builds them from ``procedure_types`` and ``offices`` of
    ``models.services.queries``: types by code, each state code's first label by type
    code and position, offices by code."""
    types = reader.rows(
        "SELECT id, code, name FROM procedure_types WHERE deleted_at IS NULL ORDER BY code"
    )
    states: dict[str, str] = {}
    positions = reader.rows(
        "SELECT procedure_types.code, workflow_states.code, workflow_states.label"
        " FROM workflow_states"
        " JOIN procedure_types ON procedure_types.id = workflow_states.procedure_type_id"
        " WHERE procedure_types.deleted_at IS NULL"
        " ORDER BY procedure_types.code, workflow_states.position"
    )
    for _type, code, label in positions:
        states.setdefault(code, label)
    offices = reader.rows("SELECT code FROM offices ORDER BY code")
    return Choices(
        [(code, name) for _id, code, name in types],
        sorted(states.items()),
        [code for (code,) in offices],
    )


def read_table(url: str, username: str, read: Callable[[DossierReads], T]) -> T | None:
    """``read`` on a light reader of ``url`` for this user; None when the full path is
    needed (see ``open_reader``)."""
    reader = open_reader(url)
    if reader is None:
        return None
    with reader:
        return read(DossierReads(reader, load_viewer(reader, username), date.today()))
