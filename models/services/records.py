"""A dossier as plain columns: what lists, tables and JSON show, read without ORM objects.

Reading thousands of dossiers as mapped objects (with their type and offices joined)
costs ten times more than reading these columns; every list goes through here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import aliased

from models.dossiers import Dossier, format_protocol
from models.offices import Office
from models.procedures import ProcedureType

_protocol_office = aliased(Office, name="protocol_office")
_holder_office = aliased(Office, name="holder_office")


@dataclass(frozen=True)
class DossierRecord:
    id: uuid.UUID
    protocol: str | None
    application_code: str | None
    procedure_type_id: uuid.UUID
    type_code: str
    type_name: str
    state: str
    holder: str
    holder_office: str | None
    filed_on: date
    closed_on: date | None
    deadline: date | None
    clock_state: str
    suspended_days: int
    open_flags: int
    restricted: bool
    version: int
    surname: str
    given_names: str
    sex: str | None
    birth_date: date
    birth_place: str
    nationality: str
    passport: str | None
    fiscal_code: str | None
    cui: str | None
    employer_name: str
    employer_fiscal_code: str | None
    employer_pec: str

    @property
    def reference(self) -> str:
        return self.protocol or f"PROVV-{self.id.hex[:8].upper()}"

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}"

    @classmethod
    def from_row(cls, row: Row[Any]) -> DossierRecord:
        values = row._asdict()
        office, year, number = (values.pop(k) for k in ("protocol_office", "year", "number"))
        protocol = format_protocol(office, year, number) if number is not None else None
        return cls(protocol=protocol, **values)

    @classmethod
    def of(cls, dossier: Dossier) -> DossierRecord:
        return cls(
            protocol=dossier.protocol,
            type_code=dossier.procedure_type.code,
            type_name=dossier.procedure_type.name,
            holder_office=dossier.holder_office.code if dossier.holder_office else None,
            **{name: getattr(dossier, name) for name in _PLAIN},
        )


_PLAIN = (
    "id",
    "application_code",
    "procedure_type_id",
    "state",
    "holder",
    "filed_on",
    "closed_on",
    "deadline",
    "clock_state",
    "suspended_days",
    "open_flags",
    "restricted",
    "version",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "passport",
    "fiscal_code",
    "cui",
    "employer_name",
    "employer_fiscal_code",
    "employer_pec",
)


def record_select() -> Select[Any]:
    """Every column of a DossierRecord; add filters and order as for ``select(Dossier)``."""
    return (
        select(
            *(getattr(Dossier, name) for name in _PLAIN),
            _protocol_office.code.label("protocol_office"),
            Dossier.protocol_year.label("year"),
            Dossier.protocol_number.label("number"),
            ProcedureType.code.label("type_code"),
            ProcedureType.name.label("type_name"),
            _holder_office.code.label("holder_office"),
        )
        .join(_protocol_office, Dossier.protocol_office_id == _protocol_office.id)
        .join(ProcedureType, Dossier.procedure_type_id == ProcedureType.id)
        .outerjoin(_holder_office, Dossier.holder_office_id == _holder_office.id)
    )
