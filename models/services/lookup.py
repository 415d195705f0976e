"""Finding dossiers, types and offices by what people type.

``find_dossier`` and ``get_dossier`` answer for the unit of work's user: a dossier they
may not see (``models.access``) is not found. ``dossier_by_ref`` is the bare look-up the
services build on; it sees everything, so adapters never call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import BindParameter, ColumnElement, bindparam, or_, select
from sqlalchemy.orm import Session, selectinload

from models.dossiers import Dossier
from models.ids import is_provisionally
from models.memo import memo
from models.offices import Office
from models.permissions import can_see, require_visible
from models.procedures import ProcedureType
from models.read.filters import PROTOCOL_RE as PROTOCOL_RE
from models.read.filters import PROVISIONAL_RE
from models.read.refusals import unknown_office, unknown_type
from models.uow import UnitOfWork


def dossier_by_ref(session: Session, ref: str, *, with_history: bool = False) -> Dossier | None:
    """Any dossier ``ref`` names, whoever asks: callers apply visibility."""
    query = select(Dossier)
    if with_history:
        query = query.options(
            selectinload(Dossier.events), selectinload(Dossier.flags), selectinload(Dossier.pareri)
        )
    if match := PROTOCOL_RE.match(ref):
        code, year, number = match.groups()
        office = session.scalar(select(Office).where(Office.code == code.upper()))
        if office is None:
            return None
        return session.scalar(
            query.where(
                Dossier.protocol_office_id == office.id,
                Dossier.protocol_year == int(year),
                Dossier.protocol_number == int(number),
            )
        )
    try:
        return session.scalar(query.where(Dossier.id == uuid.UUID(ref.strip())))
    except ValueError:
        pass
    if match := PROVISIONAL_RE.match(ref):
        digits = match.group(1)
        candidates = session.scalars(query.where(Dossier.protocol_number.is_(None))).all()
        found = [d for d in candidates if is_provisionally(d.id, digits)]
        return found[0] if len(found) == 1 else None
    return session.scalar(query.where(Dossier.application_code == ref.strip().upper()))


def application_code_in(codes: Sequence[str]) -> ColumnElement[bool]:
    """``Dossier.application_code IN (…)``, the codes written into the SQL text.

    With bound parameters every chunk of a list sends the same text, which psycopg
    prepares after five runs; PostgreSQL may then keep a generic plan made while the
    table was small (a sequential scan), and the next list's look-ups read the whole
    table once per chunk (seconds each after a few imports in one process).
    """
    codes_param: BindParameter[str] = bindparam(
        "codes", list(codes), expanding=True, literal_execute=True
    )
    return Dossier.application_code.in_(codes_param)


def find_dossier(uow: UnitOfWork, ref: str, *, with_history: bool = False) -> Dossier | None:
    """The dossier ``ref`` names, if this user may see it."""
    found = dossier_by_ref(uow.session, ref, with_history=with_history)
    return found if found is not None and can_see(uow.actor, found) else None


def get_dossier(uow: UnitOfWork, ref: str, *, with_history: bool = False) -> Dossier:
    """The dossier ``ref`` names; «not found» also when this user may not see it."""
    found = dossier_by_ref(uow.session, ref, with_history=with_history)
    return require_visible(uow.actor, found, ref)


def get_type(session: Session, code: str) -> ProcedureType:
    key = code.strip().upper()
    known: dict[str, ProcedureType] = memo(session, "types")
    procedure = known.get(key)
    if procedure is None:
        procedure = session.scalar(select(ProcedureType).where(ProcedureType.code == key))
    if procedure is None or procedure.deleted_at is not None:
        codes = session.scalars(
            select(ProcedureType.code).where(ProcedureType.active).order_by(ProcedureType.code)
        )
        raise unknown_type(code, codes)
    known[key] = procedure
    return procedure


def get_office(session: Session, code: str) -> Office:
    known: dict[str, Office] = memo(session, "offices")
    office = known.get(code)
    if office is None:
        office = session.scalar(
            select(Office).where(
                or_(Office.code == code.strip().upper(), Office.kind == code.lower())
            )
        )
    if office is None:
        codes = session.scalars(select(Office.code).order_by(Office.code))
        raise unknown_office(code, codes)
    known[code] = office
    return office
