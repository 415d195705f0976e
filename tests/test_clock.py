"""The legal-term clock, checked against the law's worked examples and its properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.calendar import HolidayCalendar, calendar_for
from models.clock import (
    StateChange,
    Suspension,
    TermSpec,
    add_months,
    compute_clock,
)
from models.enums import ClockEffect, Party, TermStart, TermUnit

LODI = calendar_for("LO")
MILANO = calendar_for("MI")
RUNS, SUSP, STOP = ClockEffect.RUNS, ClockEffect.SUSPENDED, ClockEffect.STOPPED


def filed(day: date) -> StateChange:
    return StateChange(day, "presentata", RUNS, Party.SUI)


def clock(
    spec: TermSpec,
    filed_on: date,
    changes: list[StateChange] | None = None,
    suspensions: list[Suspension] | None = None,
    today: date = date(2026, 11, 23),
    cal: HolidayCalendar = LODI,
    quota: date | None = None,
):  # type: ignore[no-untyped-def]
    return compute_clock(
        spec, filed_on, changes or [filed(filed_on)], suspensions or [], cal, today, quota
    )


# The worked examples of docs/domain-rules.md, "Counting a term".
@pytest.mark.parametrize(
    ("filed_on", "suspended", "expected"),
    [
        (date(2026, 11, 20), 0, date(2027, 1, 20)),  # 19 Jan is San Bassiano
        (date(2026, 8, 5), 0, date(2026, 10, 5)),  # Sunday 4 Oct, also San Francesco
        (date(2026, 11, 20), 12, date(2027, 2, 1)),  # 31 Jan 2027 is a Sunday
        (date(2026, 8, 5), 12, date(2026, 10, 16)),
    ],
)
def test_worked_examples_of_the_domain_brief(
    filed_on: date, suspended: int, expected: date
) -> None:
    start = filed_on + timedelta(days=3)
    suspensions = [Suspension(start, start + timedelta(days=suspended))] if suspended else []
    reading = clock(TermSpec(60), filed_on, suspensions=suspensions, today=date(2027, 3, 1))
    assert reading.deadline == expected
    assert reading.suspended_days == suspended


def test_first_day_is_not_counted_and_holidays_inside_the_term_count() -> None:
    # 10 days from Monday 7 Dec 2026 (8 Dec is a holiday inside the term): Thursday 17 Dec.
    assert clock(TermSpec(10), date(2026, 12, 7)).deadline == date(2026, 12, 17)


def test_patron_saint_belongs_to_the_office_city() -> None:
    # 60 days from 8 Oct 2026 = Monday 7 Dec 2026: Sant'Ambrogio in Milan only.
    assert clock(TermSpec(60), date(2026, 10, 8)).deadline == date(2026, 12, 7)
    milan = clock(TermSpec(60), date(2026, 10, 8), cal=MILANO).deadline
    assert milan == date(2026, 12, 9)  # 7 Dec patron, 8 Dec Immacolata


def test_configured_patron_day_is_a_holiday() -> None:
    custom = HolidayCalendar("LO", patron_day="06-24")
    assert custom.is_holiday(date(2027, 6, 24))
    assert not LODI.is_holiday(date(2027, 6, 24))


def test_saturday_is_a_working_day_unless_the_rule_says_otherwise() -> None:
    # 3 days from Wednesday 2 Dec 2026 = Saturday 5 Dec.
    assert clock(TermSpec(3), date(2026, 12, 2)).deadline == date(2026, 12, 5)
    no_saturday = TermSpec(3, saturday_working=False)
    assert clock(no_saturday, date(2026, 12, 2)).deadline == date(2026, 12, 7)


def test_working_day_terms_skip_sundays_and_holidays() -> None:
    # 8 giorni lavorativi from Wed 2 Dec 2026: 3,4,5,7,9,10,11,12 (8 Dec holiday, 6 Sun).
    spec = TermSpec(8, unit=TermUnit.WORKING_DAYS)
    assert clock(spec, date(2026, 12, 2)).deadline == date(2026, 12, 12)


def test_month_terms_clamp_to_the_last_day_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 36) == date(2029, 11, 30)
    reading = clock(TermSpec(36, unit=TermUnit.MONTHS), date(2023, 8, 31))
    assert reading.base_deadline == date(2026, 8, 31)  # a Monday
    assert reading.deadline == date(2026, 8, 31)


def test_term_from_quota_assignment_when_the_rule_says_so() -> None:
    spec = TermSpec(60, start=TermStart.QUOTA_ASSIGNMENT)
    reading = clock(spec, date(2026, 1, 10), quota=date(2026, 2, 2))
    assert reading.term_start == date(2026, 2, 2)
    assert reading.deadline == date(2026, 4, 3)
    missing = clock(spec, date(2026, 1, 10))
    assert missing.term_start == date(2026, 1, 10)
    assert any("quota" in a for a in missing.anomalies)


def test_state_suspension_and_holder_days() -> None:
    changes = [
        filed(date(2026, 3, 2)),
        StateChange(date(2026, 3, 5), "in_istruttoria", RUNS, Party.SUI),
        StateChange(date(2026, 3, 10), "parere_richiesto", RUNS, Party.QUESTURA),
        StateChange(date(2026, 4, 9), "in_istruttoria", RUNS, Party.SUI),
        StateChange(date(2026, 4, 10), "integrazione_richiesta", SUSP, Party.APPLICANT),
        StateChange(date(2026, 4, 30), "in_istruttoria", RUNS, Party.SUI),
        StateChange(date(2026, 5, 15), "definita_positiva", STOP, Party.NONE, final=True),
    ]
    reading = clock(TermSpec(60), date(2026, 3, 2), changes)
    assert reading.suspended_days == 20
    # 2 Mar + 60 = 1 May (holiday) → with 20 days suspension: 21 May 2026.
    assert reading.deadline == date(2026, 5, 21)
    assert reading.closed_on == date(2026, 5, 15)
    assert reading.status is STOP
    assert reading.days_left == 6 and not reading.overdue
    assert reading.held_days == {Party.SUI: 3 + 5 + 1 + 15, Party.QUESTURA: 30, Party.APPLICANT: 20}
    assert sum(reading.held_days.values()) == (date(2026, 5, 15) - date(2026, 3, 2)).days


def test_ongoing_suspension_moves_the_deadline_day_by_day() -> None:
    changes = [
        filed(date(2026, 10, 1)),
        StateChange(date(2026, 11, 13), "integrazione_richiesta", SUSP, Party.APPLICANT),
    ]
    first = clock(TermSpec(60), date(2026, 10, 1), changes, today=date(2026, 11, 20))
    later = clock(TermSpec(60), date(2026, 10, 1), changes, today=date(2026, 11, 23))
    assert first.status is SUSP and later.status is SUSP
    assert later.suspended_days - first.suspended_days == 3
    assert not later.overdue


def test_a_state_and_a_flag_on_different_days_are_two_requests() -> None:
    changes = [
        filed(date(2026, 6, 1)),
        StateChange(date(2026, 6, 10), "integrazione_richiesta", SUSP, Party.APPLICANT),
        StateChange(date(2026, 6, 20), "in_istruttoria", RUNS, Party.SUI),
    ]
    flags = [Suspension(date(2026, 6, 15), date(2026, 6, 25), "#4")]
    reading = clock(TermSpec(60), date(2026, 6, 1), changes, flags)
    assert reading.suspended_days == 10  # 10–20 June; the item is a second request
    assert any("#4" in a and "seconda richiesta" in a for a in reading.anomalies)


def test_requests_made_the_same_day_are_one_request() -> None:
    changes = [
        filed(date(2026, 6, 1)),
        StateChange(date(2026, 6, 10), "integrazione_richiesta", SUSP, Party.APPLICANT),
        StateChange(date(2026, 6, 20), "in_istruttoria", RUNS, Party.SUI),
    ]
    flags = [Suspension(date(2026, 6, 10), date(2026, 6, 25))]
    reading = clock(TermSpec(60), date(2026, 6, 1), changes, flags)
    assert reading.suspended_days == 15 and not reading.anomalies


def test_open_suspending_flag_suspends_the_clock() -> None:
    reading = clock(
        TermSpec(60), date(2026, 11, 1), suspensions=[Suspension(date(2026, 11, 20), None)]
    )
    assert reading.status is SUSP
    assert reading.suspended_days == 3


def test_overdue_file_is_overdue_and_a_late_suspension_does_not_revive_it() -> None:
    reading = clock(
        TermSpec(30),
        date(2026, 9, 1),
        suspensions=[Suspension(date(2026, 11, 1), date(2026, 11, 10))],
    )
    assert reading.deadline == date(2026, 10, 1)
    assert reading.overdue and reading.days_left == -53
    assert reading.suspended_days == 0
    assert any("successiva alla scadenza del 01/10/2026" in a for a in reading.anomalies)


def test_integrazione_longer_than_thirty_days_or_twice_is_an_anomaly() -> None:
    changes = [
        filed(date(2026, 1, 5)),
        StateChange(date(2026, 1, 10), "integrazione_richiesta", SUSP, Party.APPLICANT),
        StateChange(date(2026, 3, 1), "in_istruttoria", RUNS, Party.SUI),
        StateChange(date(2026, 3, 2), "integrazione_richiesta", SUSP, Party.APPLICANT),
        StateChange(date(2026, 3, 5), "in_istruttoria", RUNS, Party.SUI),
    ]
    reading = clock(TermSpec(60), date(2026, 1, 5), changes)
    assert reading.suspended_days == 30
    assert any("durata 50 giorni" in a and "ne contano 30" in a for a in reading.anomalies)
    assert any("02/03/2026" in a and "seconda richiesta" in a for a in reading.anomalies)


def test_a_stopping_state_that_is_not_final_stops_the_clock_but_not_the_file() -> None:
    changes = [
        filed(date(2026, 9, 1)),
        StateChange(date(2026, 9, 20), "convocata", STOP, Party.SUI),
    ]
    reading = clock(TermSpec(60), date(2026, 9, 1), changes)
    assert reading.status is STOP and reading.closed_on is None
    assert reading.days_left == (reading.deadline - date(2026, 9, 20)).days
    assert reading.held_days[Party.SUI] == (date(2026, 11, 23) - date(2026, 9, 1)).days


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(filed_on=days, term=st.integers(1, 400), suspension=st.integers(0, 90))
def test_deadline_is_always_a_working_day_never_before_the_term(
    filed_on: date, term: int, suspension: int
) -> None:
    start = filed_on + timedelta(days=1)
    flags = [Suspension(start, start + timedelta(days=suspension))]
    reading = clock(TermSpec(term), filed_on, suspensions=flags, today=date(2031, 6, 1))
    assert LODI.is_working_day(reading.deadline)
    raw = filed_on + timedelta(days=term + min(suspension, 30))
    assert raw <= reading.deadline <= raw + timedelta(days=4)  # longest run of closed days


@given(filed_on=days, term=st.integers(1, 200), a=st.integers(0, 60), b=st.integers(0, 60))
def test_more_suspension_never_brings_the_deadline_closer(
    filed_on: date, term: int, a: int, b: int
) -> None:
    start = filed_on + timedelta(days=1)

    def deadline(length: int) -> date:
        flags = [Suspension(start, start + timedelta(days=length))]
        return clock(TermSpec(term), filed_on, suspensions=flags, today=date(2031, 6, 1)).deadline

    low, high = sorted((a, b))
    assert deadline(low) <= deadline(high)


def test_a_saved_holiday_table_counts_like_the_package() -> None:
    from models.calendar import calendar_from_table, holiday_table

    saved = calendar_from_table("LO", None, holiday_table("LO", range(2026, 2028)))
    for filed_on in (date(2026, 11, 20), date(2026, 8, 5), date(2026, 12, 20)):
        assert (
            clock(TermSpec(60), filed_on, cal=saved).deadline
            == clock(TermSpec(60), filed_on).deadline
        )
    assert saved.holiday_name(date(2027, 1, 19)) == LODI.holiday_name(date(2027, 1, 19))
    # A year the table does not hold comes from the package.
    assert saved.is_holiday(date(2031, 12, 25)) and not saved.is_holiday(date(2031, 12, 23))
