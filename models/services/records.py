"""The ORM's query for a ``DossierRecord`` (``models.read.records``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from models.dossiers import Dossier
from models.offices import Office
from models.procedures import ProcedureType
from models.read.records import PLAIN, DossierRecord

__all__ = ["DossierRecord", "record_select"]

_protocol_office = aliased(Office, name="protocol_office")
_holder_office = aliased(Office, name="holder_office")


def record_select() -> Select[Any]:
    """Every column of a DossierRecord; add filters and order as for ``select(Dossier)``."""
    return (
        select(
            *(getattr(Dossier, name) for name in PLAIN),
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
