"""Gapless protocol numbers per office and year (DPR 445/2000 art. 57).

The counter row is locked for the rest of the transaction, so two clerks registering
at once get consecutive numbers, and a registration that rolls back gives its number
back: no gaps, no duplicates. A batch (an imported list) takes all its numbers with one
update, in the same transaction: a rollback gives them all back.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.registry import ProtocolCounter


def next_protocol_number(session: Session, office_id: uuid.UUID, year: int) -> int:
    return reserve_protocol_numbers(session, office_id, year, 1)[0]


def last_protocol_number(session: Session, office_id: uuid.UUID, year: int) -> int:
    """The counter as this transaction sees it, without locking it (0 before the first)."""
    number = session.scalar(
        select(ProtocolCounter.last_number).where(
            ProtocolCounter.office_id == office_id, ProtocolCounter.year == year
        )
    )
    return int(number or 0)


def reserve_protocol_numbers(
    session: Session, office_id: uuid.UUID, year: int, count: int
) -> range:
    """The next ``count`` consecutive numbers, taken with one locking counter update."""
    if count < 1:
        return range(0)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(
            pg_insert(ProtocolCounter)
            .values(office_id=office_id, year=year, last_number=0)
            .on_conflict_do_nothing()
        )
    elif session.get(ProtocolCounter, (office_id, year)) is None:
        session.add(ProtocolCounter(office_id=office_id, year=year, last_number=0))
        session.flush()
    number = session.execute(
        update(ProtocolCounter)
        .where(ProtocolCounter.office_id == office_id, ProtocolCounter.year == year)
        .values(last_number=ProtocolCounter.last_number + count)
        .returning(ProtocolCounter.last_number)
    ).scalar_one()
    return range(int(number) - count + 1, int(number) + 1)
