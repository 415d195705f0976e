"""Read-side use cases: lists, worklists and deadlines, filtered and sorted in SQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, func, literal_column, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, selectinload

from models.access import visibility_rule
from models.documents import Document
from models.dossiers import Dossier, Flag
from models.enums import ClockEffect
from models.offices import Office, Staff
from models.procedures import ProcedureType
from models.read.filters import (
    PENDING_ROWIDS,
    PROTOCOL_DIGITS,
    PartialProtocol,
    fts_phrase,
    indexed_words,
    like_anywhere,
    number_range,
    prefix_upper_bound,
    read_search,
    text_words,
)
from models.read.filters import (
    DossierFilter as DossierFilter,
)
from models.services.lookup import dossier_by_ref, get_office, get_type
from models.services.records import DossierRecord, record_select
from models.text import fold
from models.uow import UnitOfWork

T = TypeVar("T")


def visibility(actor: Staff) -> list[ColumnElement[bool]]:
    """What this user may see (``models.access.visibility_rule``), as SQL conditions."""
    return [
        getattr(Dossier, column).is_(value)
        for column, value in visibility_rule(actor.restricted_access)
    ]


def apply_filter(session: Session, query: Select[T], spec: DossierFilter, today: date) -> Select[T]:
    if spec.state:
        query = query.where(Dossier.state == spec.state.lower())
    if spec.type_code:
        query = query.where(Dossier.procedure_type_id == get_type(session, spec.type_code).id)
    if spec.office:
        query = query.where(Dossier.holder_office_id == get_office(session, spec.office).id)
    running = Dossier.clock_state == ClockEffect.RUNS.value
    if spec.overdue:
        query = query.where(running, Dossier.deadline < today)
    if spec.due_within is not None:
        query = query.where(running, Dossier.deadline <= today + timedelta(days=spec.due_within))
    if spec.with_open_flags:
        query = query.where(Dossier.open_flags > 0)
    if spec.open_only:
        query = query.where(Dossier.closed_on.is_(None))
    if spec.assigned_to:
        assignee = select(Staff.id).where(Staff.username == spec.assigned_to).scalar_subquery()
        query = query.where(Dossier.assigned_to_id == assignee)
    if spec.search and spec.search.strip():
        query = _search(session, query, spec.search)
    return query


def _search(session: Session, query: Select[T], text: str) -> Select[T]:
    """Protocol (whole or being typed) → by number; 1–2 letters → surnames starting so;
    more → anywhere in surname, names, codes, passport (``models.read.filters``)."""
    search = read_search(text, fold)
    if search.protocol:
        found = dossier_by_ref(session, text)  # complete, as printed: that dossier only
        return query.where(Dossier.id == (found.id if found else None))
    if search.partial:
        narrowed = _partial_protocol(session, query, search.partial)
        if narrowed is not None:
            return narrowed
    needle = search.needle
    if search.mode == "letter":
        # One letter matches a tenth of all dossiers: reading them in display order and
        # keeping those that match is faster than sorting them all, so no index here.
        return query.where(func.substr(Dossier.search_key, 1, 1) == needle)
    if search.mode == "prefix":
        upper = prefix_upper_bound(needle)
        return query.where(Dossier.search_key >= needle, Dossier.search_key < upper)
    # Or every word in the text read from one of its documents («contratto Cascina»),
    # through the index of their text (migration 0017).
    sqlite = session.get_bind().dialect.name == "sqlite"
    match, short = indexed_words(needle) if sqlite else ("", text_words(needle))
    in_text = [Document.deleted_at.is_(None)]
    if match:
        indexed = sql_text(
            "SELECT rowid FROM document_text_search WHERE document_text_search MATCH :words"
        ).bindparams(words=match)
        in_text.append(literal_column("documents.rowid").in_(indexed))
    in_text += [Document.text.like(word, escape="\\") for word in short]
    in_documents = Dossier.id.in_(select(Document.dossier_id).where(*in_text))
    if sqlite:
        matches = sql_text(
            "SELECT rowid FROM dossier_search WHERE dossier_search MATCH :phrase UNION ALL "
            + PENDING_ROWIDS.format(like=":like")
        ).bindparams(phrase=fts_phrase(needle), like=like_anywhere(needle))
        return query.where(or_(literal_column("dossiers.rowid").in_(matches), in_documents))
    return query.where(
        or_(Dossier.search_key.like(like_anywhere(needle), escape="\\"), in_documents)
    )


def _partial_protocol(
    session: Session, query: Select[T], typed: PartialProtocol
) -> Select[T] | None:
    """All on the protocol's unique index (a substring search would match every dossier
    of the office)."""
    offices = typed.offices(
        [(i, code) for i, code in session.execute(select(Office.id, Office.code))]
    )
    if not offices:
        return None
    conditions: list[ColumnElement[bool]] = [Dossier.protocol_office_id.in_(offices)]
    if typed.year:
        conditions.append(Dossier.protocol_year.between(*number_range(typed.year, 4)))
    if typed.number:
        conditions.append(
            Dossier.protocol_number.between(*number_range(typed.number, PROTOCOL_DIGITS))
        )
    if typed.broad and session.get_bind().dialect.name == "sqlite":
        # Office and year alone match most dossiers: tell SQLite so, or it reads them all
        # through the protocol index and sorts them instead of reading in display order.
        conditions = [func.likelihood(c, literal_column("0.9")) for c in conditions]
    return query.where(*conditions)


def list_dossiers(
    uow: UnitOfWork, spec: DossierFilter, limit: int | None = 50
) -> list[DossierRecord]:
    """The dossiers this user may see that match ``spec``: by deadline when the filter is
    about deadlines, else newest first."""
    session = uow.session
    query = apply_filter(session, record_select().where(*visibility(uow.actor)), spec, uow.today)
    if spec.overdue or spec.due_within is not None:
        query = query.order_by(Dossier.deadline, Dossier.filed_on)
    else:
        query = query.order_by(Dossier.filed_on.desc(), Dossier.protocol_number.desc())
    if limit:
        query = query.limit(limit)
    return [DossierRecord.from_row(row) for row in session.execute(query)]


def deadlines(uow: UnitOfWork, within: int, office: str | None = None) -> list[DossierRecord]:
    """Running dossiers overdue or due within ``within`` days, oldest deadline first."""
    return list_dossiers(uow, DossierFilter(due_within=within, office=office), limit=None)


def list_flags(uow: UnitOfWork, open_only: bool, office: str | None) -> list[Flag]:
    """Pending items on the dossiers this user may see, raised by or for ``office``."""
    session = uow.session
    query = select(Flag).join(Dossier).where(Flag.deleted_at.is_(None), *visibility(uow.actor))
    if open_only:
        query = query.where(Flag.resolved_on.is_(None))
    if office:
        office_row = get_office(session, office)
        query = query.where(
            (Flag.for_office_id == office_row.id) | (Flag.raised_by_office_id == office_row.id)
        )
    query = query.order_by(Flag.raised_on, Flag.number).options(
        selectinload(Flag.dossier),
        selectinload(Flag.for_office),
        selectinload(Flag.raised_by_office),
    )
    return list(session.scalars(query))


def procedure_types(session: Session) -> list[ProcedureType]:
    return list(
        session.scalars(
            select(ProcedureType)
            .where(ProcedureType.deleted_at.is_(None))
            .order_by(ProcedureType.code)
            .options(
                selectinload(ProcedureType.rules),
                selectinload(ProcedureType.states),
                selectinload(ProcedureType.transitions),
            )
        )
    )


def offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(Office.code)))
