"""Planning the demo: filing dates, then protocol numbers in filing order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from desktop.demo.setup import Setup, pick_weighted
from models.clock import (
    add_months,
)
from models.dossiers import Dossier
from models.enums import (
    OfficeKind,
)
from models.errors import NotFound
from models.offices import Office
from models.registry import ProtocolCounter

YEARS_BACK = 3

# Planning: filing dates, then protocol numbers in filing order.


@dataclass(frozen=True)
class Planned:
    millis: int  # filing instant, also the timestamp of the ids
    type_index: int
    filed_on: date
    protocol_number: int


OFFICE_OPEN_S = 7 * 3600  # UTC: 8–17 in Rome in winter, 9–18 in summer
OFFICE_SPAN_S = 9 * 3600


def _filing_days(setup: Setup) -> tuple[list[date], list[float]]:
    """Days of the window with their weight: applications come mostly on working days."""
    start = add_months(setup.today, -12 * YEARS_BACK) + timedelta(days=1)
    calendar = setup.offices[OfficeKind.SUI].calendar
    days, weights = [], []
    day = start
    while day <= setup.today:
        if calendar.is_holiday(day) or day.weekday() == 6:
            weight = 0.08
        else:
            weight = 0.3 if day.weekday() == 5 else 1.0
        days.append(day)
        weights.append(weight)
        day += timedelta(days=1)
    return days, list(accumulate(weights))


def _draw_filing(setup: Setup, days: list[date], cum: list[float]) -> tuple[int, date]:
    rnd, indexes = setup.rnd, range(len(setup.types))
    for _ in range(50):
        index = pick_weighted(rnd, indexes, setup.type_weights)
        filed = pick_weighted(rnd, days, cum)
        if setup.types[index].rule_at(filed) is not None:
            return index, filed
    raise NotFound("nessuna regola sui termini copre gli ultimi anni: niente da generare")


def plan_filings(
    setup: Setup, count: int, counters: dict[tuple[Any, int], int]
) -> tuple[list[Planned], dict[tuple[Any, int], int]]:
    """Filing dates in order, and protocol numbers following the counters (gapless)."""
    days, cum = _filing_days(setup)
    drafts = []
    for _ in range(count):
        index, filed = _draw_filing(setup, days, cum)
        midnight = int(datetime(filed.year, filed.month, filed.day, tzinfo=UTC).timestamp())
        seconds = OFFICE_OPEN_S + setup.rnd.random() * OFFICE_SPAN_S
        drafts.append((midnight * 1000 + int(seconds * 1000), index, filed))
    drafts.sort()
    numbers = dict(counters)
    planned, previous = [], 0
    for millis, index, filed in drafts:
        millis = max(millis, previous + 1)  # strictly increasing: ids stay ordered
        previous = millis
        key = (setup.types[index].lead.key, filed.year)
        numbers[key] = numbers.get(key, 0) + 1
        planned.append(Planned(millis, index, filed, numbers[key]))
    return planned, numbers


def reserve_counters(session: Session, setup: Setup, years: range) -> dict[tuple[Any, int], int]:
    """The last protocol number used per lead office and year, locked until commit (on
    SQLite the write transaction already holds the lock), as ``next_protocol_number``
    does: a registration made meanwhile waits and then continues after the demo."""
    result: dict[tuple[Any, int], int] = {}
    postgres = session.connection().dialect.name == "postgresql"
    for office in {t.lead.code: t.lead for t in setup.types}.values():
        office_id = session.scalar(select(Office.id).where(Office.code == office.code))
        for year in years:
            if postgres:
                session.execute(
                    pg_insert(ProtocolCounter)
                    .values(office_id=office_id, year=year, last_number=0)
                    .on_conflict_do_nothing()
                )
            counter = session.scalar(
                select(ProtocolCounter.last_number)
                .where(ProtocolCounter.office_id == office_id, ProtocolCounter.year == year)
                .with_for_update()
            )
            used = session.scalar(
                select(func.max(Dossier.protocol_number)).where(
                    Dossier.protocol_office_id == office_id, Dossier.protocol_year == year
                )
            )
            result[(office.key, year)] = max(counter or 0, used or 0)
    return result


def save_counters(
    session: Session,
    setup: Setup,
    before: dict[tuple[Any, int], int],
    after: dict[tuple[Any, int], int],
) -> None:
    office_ids = {o.key: o.code for o in setup.offices.values()}
    for (key, year), last in after.items():
        if last == before.get((key, year), 0):
            continue
        office_id = session.scalar(select(Office.id).where(Office.code == office_ids[key]))
        exists = session.scalar(
            select(ProtocolCounter.year).where(
                ProtocolCounter.office_id == office_id, ProtocolCounter.year == year
            )
        )
        if exists is None:
            session.execute(
                insert(ProtocolCounter).values(office_id=office_id, year=year, last_number=last)
            )
        else:
            session.execute(
                update(ProtocolCounter)
                .where(ProtocolCounter.office_id == office_id, ProtocolCounter.year == year)
                .values(last_number=last)
            )
