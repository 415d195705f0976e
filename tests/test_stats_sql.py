"""The report aggregated in SQL equals the report from per-dossier records (both backends).

``tests.stats_records`` reads the history (time by holder from the state changes)
and computes everything in Python; ``reports.stats_sql`` uses the stored columns and
SQL aggregates. Random demo data, several periods, filters, groupings and users.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from desktop.demo import generate
from models.deadlines import held_days_columns, read_clock
from models.dossiers import Dossier, Parere
from models.services.admin import add_user
from models.services.workflow import advance, record_parere
from models.uow import Database
from reports.stats import Period
from reports.stats_query import timing_report
from tests.factories import register
from tests.stats_records import records_report

PERIODS = [
    Period(date(2025, 1, 1), date(2026, 11, 23)),  # long: the previous one reaches 2023
    Period(date(2026, 3, 1), date(2026, 5, 31)),
    Period(date(2025, 12, 17), date(2025, 12, 17)),  # one day
]


@pytest.fixture
def demo(db: Database) -> Database:
    generate(db, 400, seed=11)
    with db.unit_of_work("admin", write=True) as uow:
        add_user(uow, "gialli", "LO-QUESTURA", "head", False, "Gino Gialli")
        uow.commit()
    # The demo makes few Questura-led (restricted) files: a few more, one open.
    for filed, started, closed in (
        ("2026-02-02", on(2, 20), on(3, 30)),
        ("2025-06-30", date(2025, 7, 1), on(5, 4)),
        ("2026-04-01", on(4, 15), None),
    ):
        ref = register(db, "neri", "ART18", filed_on=filed).reference
        _move(db, "neri", ref, ("in_istruttoria", started))
        if closed is not None:
            _move(db, "neri", ref, ("definita_positiva", closed))
    _tombstone_some(db)
    return db


def _tombstone_some(db: Database) -> None:
    """Deleted rows count nowhere: two dossiers with pareri, and two pareri of others."""
    with db.engine.begin() as connection:
        with_pareri = connection.scalars(
            select(Parere.dossier_id).distinct().order_by(Parere.dossier_id).limit(4)
        ).all()
        gone = datetime(2026, 11, 1, tzinfo=UTC)
        connection.execute(
            update(Dossier).where(Dossier.id.in_(with_pareri[:2])).values(deleted_at=gone)
        )
        connection.execute(
            update(Parere).where(Parere.dossier_id.in_(with_pareri[2:])).values(deleted_at=gone)
        )


def both_ways(db: Database, user: str, period: Period, **options: Any) -> tuple[Any, Any]:
    with db.unit_of_work(user) as uow:
        in_sql = timing_report(uow, period, **options).as_json()
        from_records = records_report(uow, period, **options).as_json()
    # The tavolo's section is not aggregated two ways: one service (tavolo.effect) gives
    # it, checked against a hand count in test_stats_tavolo.py.
    in_sql.pop("tavolo"), from_records.pop("tavolo")
    return in_sql, from_records


@pytest.mark.parametrize("period", PERIODS, ids=["long", "quarter", "day"])
@pytest.mark.parametrize("group_by", [None, "type", "office", "month"])
def test_same_report_both_ways(demo: Database, period: Period, group_by: str | None) -> None:
    in_sql, from_records = both_ways(demo, "verdi", period, group_by=group_by)
    assert in_sql == from_records
    if period is PERIODS[0]:  # the comparison is not between two empty reports
        assert in_sql["closed"] > 100 and in_sql["pareri"]["given"] > 10
        assert in_sql["previous"]["closed"] > 20
        assert len(in_sql["oldest_open"]) == 20


@pytest.mark.parametrize(
    ("user", "filters"),
    [
        ("gialli", {}),  # no access to restricted files
        ("verdi", {"type_code": "NO_LAVORO"}),
        ("verdi", {"office": "LO-QUESTURA"}),
        ("gialli", {"type_code": "NO_LAVORO", "group_by": "month"}),
    ],
)
def test_same_report_for_users_and_filters(
    demo: Database, user: str, filters: dict[str, Any]
) -> None:
    in_sql, from_records = both_ways(demo, user, PERIODS[0], **filters)
    assert in_sql == from_records
    assert in_sql["filed"] > 0


def test_restricted_files_count_only_with_clearance(demo: Database) -> None:
    with demo.unit_of_work("verdi") as uow:
        cleared = timing_report(uow, PERIODS[0], office="LO-QUESTURA", group_by="type")
    with demo.unit_of_work("gialli") as uow:
        uncleared = timing_report(uow, PERIODS[0], office="LO-QUESTURA", group_by="type")
    restricted = {"ART18", "ART18TER"} & set(cleared.groups)
    assert restricted
    assert not restricted & set(uncleared.groups)
    for figure in ("filed", "closed", "open"):
        hidden = sum(getattr(cleared.groups[code], figure) for code in restricted)
        assert getattr(uncleared.current, figure) == getattr(cleared.current, figure) - hidden


def test_demo_stores_the_clocks_held_days(demo: Database) -> None:
    with demo.unit_of_work("verdi") as uow:
        dossiers = uow.session.scalars(
            select(Dossier).options(selectinload(Dossier.events), selectinload(Dossier.flags))
        ).all()
        closed = 0
        for dossier in dossiers:
            reading = read_clock(uow.session, dossier, uow.today)
            stored = (
                dossier.held_sui_days,
                dossier.held_questura_days,
                dossier.held_applicant_days,
            )
            assert stored == held_days_columns(reading), dossier.protocol
            closed += reading.closed_on is not None
    assert closed > 100


def test_migration_fills_held_days_like_the_clock(demo: Database) -> None:
    """0003's statement, run over dossiers whose stored days were wiped, gives them back."""
    fill = _migration().fill_held_days
    columns = (Dossier.held_sui_days, Dossier.held_questura_days, Dossier.held_applicant_days)
    with demo.engine.begin() as connection:
        before = connection.execute(select(Dossier.id, *columns).order_by(Dossier.id)).all()
        connection.execute(
            update(Dossier).values(held_sui_days=0, held_questura_days=0, held_applicant_days=0)
        )
        fill(connection)
        after = connection.execute(select(Dossier.id, *columns).order_by(Dossier.id)).all()
    assert sum(row[1] + row[2] + row[3] for row in before) > 1000
    assert after == before


def _migration() -> Any:
    import importlib.util

    from models.db import MIGRATIONS_DIR

    path = MIGRATIONS_DIR / "versions" / "0003_stats_held_days.py"
    spec = importlib.util.spec_from_file_location("migration_0003", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _move(db: Database, user: str, ref: str, *steps: tuple[str, date]) -> None:
    with db.unit_of_work(user, write=True) as uow:
        for state, day in steps:
            if state == "parere":
                record_parere(uow, ref, "favorevole", "", day)
            else:
                advance(uow, ref, state, day)
        uow.commit()


def test_time_by_holder_of_a_file_passed_back_and_forth(db: Database) -> None:
    """Hand-worked: SUI → Questura → SUI → Questura → SUI → applicant → SUI → closed."""
    ref = register(db, "rossi", filed_on="2026-09-01").reference
    _move(db, "rossi", ref, ("in_istruttoria", on(9, 3)), ("parere_richiesto", on(9, 5)))
    _move(db, "bianchi", ref, ("parere", on(9, 12)))  # 7 days with the Questura
    _move(db, "rossi", ref, ("parere_richiesto", on(9, 15)))
    _move(db, "bianchi", ref, ("parere", on(9, 25)))  # 10 more
    _move(
        db,
        "rossi",
        ref,
        ("integrazione_richiesta", on(9, 28)),
        ("in_istruttoria", on(10, 8)),  # 10 days with the applicant
        ("definita_positiva", on(10, 10)),
    )
    # A restricted art. 18 file, led by the Questura: 40 days there.
    restricted = register(db, "neri", "ART18", filed_on="2026-09-10").reference
    _move(db, "neri", restricted, ("in_istruttoria", on(9, 20)), ("definita_positiva", on(10, 20)))

    with db.unit_of_work("verdi") as uow:
        stored = uow.session.execute(
            select(
                Dossier.held_sui_days, Dossier.held_questura_days, Dossier.held_applicant_days
            ).order_by(Dossier.filed_on)
        ).all()
    assert [tuple(row) for row in stored] == [(2 + 2 + 3 + 3 + 2, 7 + 10, 10), (0, 40, 0)]

    october = Period(on(10, 1), on(10, 31))
    everything, from_records = both_ways(db, "verdi", october)
    assert everything == from_records
    assert everything["closed"] == 2
    assert everything["by_holder"] == {"sui": 6.0, "questura": 28.5, "applicant": 5.0}
    assert everything["turnaround"]["median"] == (39 + 40) / 2

    with db.unit_of_work("admin", write=True) as uow:
        add_user(uow, "gialli", "LO-QUESTURA", "head", False, "Gino Gialli")
        uow.commit()
    visible, from_records = both_ways(db, "gialli", october)
    assert visible == from_records
    assert visible["closed"] == 1
    assert visible["by_holder"] == {"sui": 12.0, "questura": 17.0, "applicant": 10.0}


def on(month: int, day: int) -> date:
    return date(2026, month, day)
