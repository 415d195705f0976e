"""The statistics' records read in bulk agree with the clock, on SQLite and PostgreSQL."""

from __future__ import annotations

import statistics
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from desktop.demo import generate
from models.deadlines import read_clock
from models.dossiers import Dossier
from models.enums import Party
from models.errors import NotFound, PermissionDenied
from models.registry import Setting
from models.services.admin import add_user
from models.uow import Database
from reports.stats import Period
from reports.stats_query import parere_target, timing_report
from tests.stats_records import read_records

WHOLE = Period(date(2024, 6, 1), date(2026, 11, 23))  # the previous one reaches back to 2021


@pytest.fixture
def demo(db: Database) -> Database:
    generate(db, 250, seed=3)
    with db.unit_of_work("admin", write=True) as uow:
        add_user(uow, "gialli", "LO-QUESTURA", "head", False, "Gino Gialli")
        uow.commit()
    return db


def test_held_days_match_the_clock(demo: Database) -> None:
    with demo.unit_of_work("verdi") as uow:
        records = {r.protocol: r for r in read_records(uow, WHOLE)}
        dossiers = uow.session.scalars(
            select(Dossier)
            .where(Dossier.closed_on.is_not(None))
            .options(selectinload(Dossier.events), selectinload(Dossier.flags))
        ).all()
        assert len(dossiers) > 50
        for dossier in dossiers:
            assert dossier.protocol is not None
            record = records[dossier.protocol]
            reading = read_clock(uow.session, dossier, uow.today)
            expected = {p.value: reading.held_days[p] for p in (Party.SUI, Party.QUESTURA)}
            expected["applicant"] = reading.held_days[Party.APPLICANT]
            assert record.held_days == expected, dossier.protocol
            assert record.closed_on == reading.closed_on
            assert record.suspended_days == reading.suspended_days
            assert record.deadline == reading.deadline


def test_restricted_dossiers_follow_visibility(demo: Database) -> None:
    with demo.unit_of_work("verdi") as uow:
        everything = read_records(uow, WHOLE)
        restricted = uow.session.scalar(
            select(func.count()).select_from(Dossier).where(Dossier.restricted.is_(True))
        )
    with demo.unit_of_work("gialli") as uow:
        visible = read_records(uow, WHOLE)
    assert restricted
    assert len(everything) - len(visible) == restricted


def test_clerks_may_not_run_statistics(demo: Database) -> None:
    for user in ("rossi", "bianchi", "neri"):
        with demo.unit_of_work(user) as uow, pytest.raises(PermissionDenied):
            timing_report(uow, WHOLE)
    with demo.unit_of_work("gialli") as uow:
        assert timing_report(uow, WHOLE).current.filed > 0


def test_filters_and_unknown_codes(demo: Database) -> None:
    with demo.unit_of_work("admin") as uow:
        only = read_records(uow, WHOLE, type_code="NO_LAVORO", office="LO-SUI")
        assert only
        assert {(r.type_code, r.office) for r in only} == {("NO_LAVORO", "LO-SUI")}
        with pytest.raises(NotFound):
            read_records(uow, WHOLE, type_code="NESSUNO")
        with pytest.raises(NotFound):
            read_records(uow, WHOLE, office="XX-SUI")


def test_parere_target_setting(db: Database) -> None:
    with db.unit_of_work("admin", write=True) as uow:
        assert parere_target(uow.session) == 30
        uow.session.merge(Setting(key="parere_target_days", value="45"))
        uow.session.flush()
        assert parere_target(uow.session) == 45


def test_percentiles_agree_with_the_database(demo: Database) -> None:
    """PostgreSQL's percentile_cont; on SQLite, which has none, the closed dossiers' days
    fetched in SQL and cut with statistics.quantiles(method="inclusive")."""
    period = Period(date(2025, 1, 1), date(2026, 6, 30))
    closed_in_period = (
        Dossier.closed_on.between(period.start, period.end),
        Dossier.deleted_at.is_(None),
    )
    with demo.unit_of_work("verdi") as uow:
        figures = timing_report(uow, period).current
        if uow.session.get_bind().dialect.name == "postgresql":
            days = Dossier.closed_on - Dossier.filed_on
            median, p90, n = uow.session.execute(
                select(
                    func.percentile_cont(0.5).within_group(days),
                    func.percentile_cont(0.9).within_group(days),
                    func.count(),
                ).where(*closed_in_period)
            ).one()
        else:
            days = func.julianday(Dossier.closed_on) - func.julianday(Dossier.filed_on)
            values = list(uow.session.scalars(select(days).where(*closed_in_period)))
            cuts = statistics.quantiles(values, n=10, method="inclusive")
            median, p90, n = statistics.median(values), cuts[8], len(values)
    assert n == figures.turnaround.n > 20
    assert figures.turnaround.median == round(median, 2)
    assert figures.turnaround.p90 == round(p90, 2)
