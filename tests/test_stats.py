"""The statistics' figures from plain records, against hand-computed examples."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.stats import (
    DossierRecord,
    ParereRecord,
    Period,
    age_bucket,
    compute,
    percentile,
    summarise,
    summarise_counts,
    trend,
)
from reports.stats_report import build_report

D = date
PERIOD = Period(D(2026, 1, 1), D(2026, 3, 31))


def rec(
    protocol: str,
    filed: date,
    closed: date | None = None,
    deadline: date | None = None,
    suspended: int = 0,
    held: dict[str, int] | None = None,
    pareri: tuple[ParereRecord, ...] = (),
    type_code: str = "NO_LAVORO",
) -> DossierRecord:
    return DossierRecord(
        protocol, type_code, "LO-SUI", filed, closed, deadline, suspended, held or {}, pareri
    )


RECORDS = [
    # Closed in the period: gross 10, 20, 30, 40, 100 days; net = gross - suspended.
    rec("A", D(2025, 12, 22), D(2026, 1, 1), D(2026, 1, 31), 0, {"sui": 6, "questura": 4}),
    rec("B", D(2026, 1, 1), D(2026, 1, 21), D(2026, 1, 20), 5, {"sui": 10, "applicant": 10}),
    rec("C", D(2026, 1, 10), D(2026, 2, 9), D(2026, 3, 1), 0, {"sui": 20, "questura": 10}),
    rec("D", D(2026, 2, 1), D(2026, 3, 13), D(2026, 3, 13), 10, {"sui": 30, "questura": 10}),
    rec("E", D(2025, 12, 21), D(2026, 3, 31), D(2026, 2, 19), 0, {"sui": 50, "questura": 50}),
    # Open at the end: ages 0, 31, 90, 181 days.
    rec("F", D(2026, 3, 31)),
    rec("G", D(2026, 2, 28)),
    rec("H", D(2025, 12, 31), pareri=(ParereRecord(D(2026, 1, 5), None),)),
    rec("I", D(2025, 9, 30), D(2026, 4, 2)),  # closed after the period: still open at its end
    # Closed before the period: counts nowhere in it.
    rec("J", D(2025, 11, 1), D(2025, 12, 31)),
]


def test_counts_clearance_and_backlog() -> None:
    figures = compute(RECORDS, PERIOD)
    assert figures.filed == 5  # B, C, D, F, G
    assert figures.closed == 5  # A-E
    assert figures.open == 4  # F, G, H, I
    assert figures.clearance_rate == 1.0
    assert figures.backlog_age == {"0-30": 1, "31-60": 1, "61-90": 1, "91-180": 0, ">180": 1}


def test_turnaround_gross_and_net() -> None:
    figures = compute(RECORDS, PERIOD)
    # Gross 10, 20, 30, 40, 100: median 30; p90 = 40 + 0.6 * (100 - 40) = 76; mean 40.
    assert figures.turnaround.as_json() == {"n": 5, "median": 30.0, "p90": 76.0, "mean": 40.0}
    # Net 10, 15, 30, 30, 100: median 30; p90 = 30 + 0.6 * 70 = 72; mean 37.
    assert figures.net_turnaround.as_json() == {"n": 5, "median": 30.0, "p90": 72.0, "mean": 37.0}


def test_within_term_and_holders() -> None:
    figures = compute(RECORDS, PERIOD)
    # A, C, D on or before the deadline; B one day late, E late.
    assert figures.within_term_pct == 60.0
    assert figures.by_holder == {"sui": 20.0, "questura": 10.0, "applicant": 0.0}


def test_pareri_against_target() -> None:
    records = [
        rec("P1", D(2025, 12, 1), pareri=(ParereRecord(D(2026, 1, 1), D(2026, 1, 11)),)),
        rec("P2", D(2025, 12, 1), pareri=(ParereRecord(D(2025, 12, 20), D(2026, 2, 8)),)),
        rec("P3", D(2025, 12, 1), pareri=(ParereRecord(D(2026, 3, 20), None),)),
        rec("P4", D(2025, 12, 1), pareri=(ParereRecord(D(2026, 2, 1), None),)),
    ]
    pareri = compute(records, PERIOD, parere_target=30).pareri.as_json()
    assert pareri["requested"] == 3  # P1, P3, P4 (P2 before the period)
    assert pareri["given"] == 2
    assert pareri["median_days"] == 30.0  # 10 and 50 days
    assert pareri["answered_late"] == 1  # P2: 50 > 30
    assert pareri["pending_overdue"] == 1  # P4: 58 days at the end; P3 only 11
    assert pareri["overdue"] == 2


def test_empty_period_has_no_figures() -> None:
    figures = compute([], PERIOD)
    assert figures.clearance_rate is None
    assert figures.turnaround.as_json() == {"n": 0, "median": None, "p90": None, "mean": None}
    assert figures.within_term_pct is None


def test_previous_period_has_the_same_length() -> None:
    assert PERIOD.previous() == Period(D(2025, 10, 3), D(2025, 12, 31))
    assert PERIOD.previous().days == PERIOD.days
    with pytest.raises(ValueError):
        Period(D(2026, 2, 1), D(2026, 1, 1))


def test_age_buckets_edges() -> None:
    assert [age_bucket(d) for d in (0, 30, 31, 60, 61, 90, 91, 180, 181)] == [
        "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "91-180", "91-180", ">180",
    ]  # fmt: skip


def test_trend_direction() -> None:
    assert trend("turnaround.median", 30, 40) == "migliore"
    assert trend("closed", 30, 40) == "peggiore"
    assert trend("filed", 30, 40) == "—"
    assert trend("open", 5, 5) == "stabile"
    assert trend("closed", None, 5) == "—"


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=2, max_size=60))
def test_percentile_matches_statistics_inclusive(values: list[int]) -> None:
    cuts = statistics.quantiles(values, n=10, method="inclusive")
    assert percentile(values, 0.9) == pytest.approx(cuts[8])
    assert percentile(values, 0.5) == pytest.approx(statistics.median(values))


@given(st.lists(st.integers(min_value=-30, max_value=2000), max_size=80))
def test_summary_of_counted_values_is_the_same(values: list[int]) -> None:
    counts = Counter(values)
    assert summarise_counts(counts) == summarise([float(v) for v in values])


def test_single_value_summary() -> None:
    assert summarise([7.0]).as_json() == {"n": 1, "median": 7.0, "p90": 7.0, "mean": 7.0}


def test_report_months_groups_and_oldest() -> None:
    report = build_report(RECORDS, PERIOD, 30, group_by="type")
    assert [m.month for m in report.months] == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    assert [(m.filed, m.closed) for m in report.months] == [(2, 2), (2, 1), (1, 2)]
    assert list(report.groups) == ["NO_LAVORO"]
    assert report.groups["NO_LAVORO"].closed == 5
    assert [d.protocol for d in report.oldest_open] == ["I", "H", "G", "F"]
    by_month = build_report(RECORDS, PERIOD, 30, group_by="month").groups
    assert [g.closed for g in by_month.values()] == [2, 1, 2]
    assert by_month["2026-03"].open == 4


def test_oldest_open_keeps_twenty() -> None:
    many = [rec(f"X{i:03d}", D(2025, 1, 1) + timedelta(days=i)) for i in range(30)]
    report = build_report(many, PERIOD, 30)
    assert len(report.oldest_open) == 20
    assert report.oldest_open[0].protocol == "X000"


def test_report_by_office_and_json_shape() -> None:
    records = [*RECORDS, DossierRecord("Q1", "CONVERSIONE", "LO-QUESTURA", D(2026, 1, 5))]
    report = build_report(records, PERIOD, 30, group_by="office")
    assert list(report.groups) == ["LO-QUESTURA", "LO-SUI"]
    assert report.groups["LO-QUESTURA"].filed == 1
    data = report.as_json()
    assert data["previous"]["from"] == "2025-10-03"
    assert data["groups"]["LO-SUI"]["closed"] == 5
    assert data["definitions"][0].startswith("Depositate")
