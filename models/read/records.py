"""A dossier as plain columns: what lists, tables and JSON show.

Reading thousands of dossiers as mapped objects (with their type and offices joined)
costs ten times more than reading these columns; every list goes through here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from models.dossier_fields import names_of
from models.ids import provisional_reference

if TYPE_CHECKING:
    from models.dossiers import Dossier


def format_protocol(office_code: str, year: int, number: int) -> str:
    return f"{office_code}/{year}/{number:07d}"


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
        return self.protocol or provisional_reference(self.id)

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}"

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> DossierRecord:
        """From the columns of ``PLAIN`` plus ``protocol_office``, ``year``, ``number``,
        ``type_code``, ``type_name`` and ``holder_office``."""
        office, year, number = (values.pop(k) for k in ("protocol_office", "year", "number"))
        protocol = format_protocol(office, year, number) if number is not None else None
        return cls(protocol=protocol, **values)

    @classmethod
    def from_row(cls, row: Any) -> DossierRecord:
        """From a SQLAlchemy row of ``models.services.records.record_select``."""
        return cls.from_values(row._asdict())

    @classmethod
    def of(cls, dossier: Dossier) -> DossierRecord:
        return cls(
            protocol=dossier.protocol,
            type_code=dossier.procedure_type.code,
            type_name=dossier.procedure_type.name,
            holder_office=dossier.holder_office.code if dossier.holder_office else None,
            **{name: getattr(dossier, name) for name in PLAIN},
        )


# The dossier's own columns in a record, in the order the queries read them.
PLAIN = (
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
    *names_of("person", "employer"),
)
JOINED = ("protocol_office", "year", "number", "type_code", "type_name", "holder_office")
