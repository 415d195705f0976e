"""The suspension rules of L. 241/1990 on worked examples a clerk can check by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.calendar import calendar_for
from models.clock import ClockReading, StateChange, Suspension, SuspensionRules, TermSpec
from models.clock import compute_clock as _compute
from models.enums import ClockEffect, Party, PreavvisoEffect, TermStart

LODI = calendar_for("LO")
RUNS, SUSP, STOP = ClockEffect.RUNS, ClockEffect.SUSPENDED, ClockEffect.STOPPED
SIXTY = TermSpec(60)
BEFORE_2020 = TermSpec(
    60, suspensions=SuspensionRules(preavviso=PreavvisoEffect.INTERRUPTS, restart_days=0)
)


def state(day: date, code: str, effect: ClockEffect = RUNS) -> StateChange:
    return StateChange(day, code, effect, Party.APPLICANT if effect is SUSP else Party.SUI)


def reading(
    spec: TermSpec,
    filed_on: date,
    *moves: tuple[date, str, ClockEffect],
    flags: tuple[Suspension, ...] = (),
    observations: tuple[date, ...] = (),
    quota: date | None = None,
    today: date = date(2026, 12, 1),
) -> ClockReading:
    changes = [state(filed_on, "presentata")] + [state(*move) for move in moves]
    return _compute(spec, filed_on, changes, flags, LODI, today, quota, observations)


# The domain's worked examples (Lodi): 60 days, with and without 12 days suspended.
@pytest.mark.parametrize(
    ("filed_on", "suspended", "expected"),
    [
        (date(2026, 11, 20), 0, date(2027, 1, 20)),  # 19 Jan 2027 is San Bassiano
        (date(2026, 8, 5), 0, date(2026, 10, 5)),  # Sunday 4 Oct, also San Francesco
        (date(2026, 11, 20), 12, date(2027, 2, 1)),  # 31 Jan 2027 is a Sunday
        (date(2026, 8, 5), 12, date(2026, 10, 16)),
    ],
)
def test_worked_examples_of_lodi(filed_on: date, suspended: int, expected: date) -> None:
    start = filed_on + timedelta(days=3)
    moves = []
    if suspended:
        moves = [
            (start, "integrazione_richiesta", SUSP),
            (start + timedelta(days=suspended), "in_istruttoria", RUNS),
        ]
    result = reading(SIXTY, filed_on, *moves, today=date(2027, 3, 1))
    assert (result.deadline, result.suspended_days) == (expected, suspended)


def test_a_preavviso_without_observations_suspends_ten_days_only() -> None:
    # CONVERSIONE filed 12 Jan 2026, notice 2 Feb, no observations, back to istruttoria
    # on 4 May: 12 Jan + 60 = 13 Mar, + 10 days = Monday 23 Mar 2026.
    result = reading(
        SIXTY,
        date(2026, 1, 12),
        (date(2026, 2, 2), "preavviso_rigetto", SUSP),
        (date(2026, 5, 4), "in_istruttoria", RUNS),
    )
    assert result.suspended_days == 10
    assert result.deadline == date(2026, 3, 23)


def test_the_preavviso_suspension_ends_ten_days_after_the_observations() -> None:
    moves = ((date(2026, 2, 2), "preavviso_rigetto", SUSP),)
    # Observations on 9 Feb: the term runs again on 19 Feb, 17 days suspended.
    answered = reading(SIXTY, date(2026, 1, 12), *moves, observations=(date(2026, 2, 9),))
    assert answered.suspended_days == 17
    assert answered.deadline == date(2026, 3, 30)
    # Still in preavviso on 10 Feb: the clock is suspended; on 19 Feb it runs again.
    on_10 = reading(
        SIXTY, date(2026, 1, 12), *moves, observations=(date(2026, 2, 9),), today=date(2026, 2, 10)
    )
    on_19 = reading(
        SIXTY, date(2026, 1, 12), *moves, observations=(date(2026, 2, 9),), today=date(2026, 2, 19)
    )
    assert on_10.status is SUSP and on_10.deadline == date(2026, 3, 30)
    assert on_19.status is RUNS and on_19.deadline == date(2026, 3, 30)


def test_late_observations_do_not_reopen_the_suspension() -> None:
    result = reading(
        SIXTY,
        date(2026, 1, 12),
        (date(2026, 2, 2), "preavviso_rigetto", SUSP),
        observations=(date(2026, 2, 20),),
    )
    assert result.suspended_days == 10
    assert any("oltre i 10 giorni" in a for a in result.anomalies)


def test_before_17_july_2020_the_preavviso_interrupts_the_term() -> None:
    # Filed 1 Feb 2019, notice 1 Mar, observations 6 Mar: 60 days again from 6 Mar.
    result = reading(
        BEFORE_2020,
        date(2019, 2, 1),
        (date(2019, 3, 1), "preavviso_rigetto", SUSP),
        (date(2019, 3, 20), "in_istruttoria", RUNS),
        observations=(date(2019, 3, 6),),
    )
    assert result.term_start == date(2019, 3, 6)
    assert result.deadline == date(2019, 5, 6)  # 5 May 2019 is a Sunday
    # Without observations it runs again in full from the end of the 10 days (11 Mar).
    silent = reading(
        BEFORE_2020,
        date(2019, 2, 1),
        (date(2019, 3, 1), "preavviso_rigetto", SUSP),
        (date(2019, 3, 20), "in_istruttoria", RUNS),
    )
    assert silent.term_start == date(2019, 3, 11)
    assert silent.deadline == date(2019, 5, 10)


def test_integrazione_suspends_at_most_thirty_days() -> None:
    # Integrazione from 2 Feb to 3 Apr (60 days) on a CONVERSIONE filed 12 Jan 2026:
    # 30 days count → 12 Apr 2026, a Sunday → Monday 13 Apr.
    result = reading(
        SIXTY,
        date(2026, 1, 12),
        (date(2026, 2, 2), "integrazione_richiesta", SUSP),
        (date(2026, 4, 3), "in_istruttoria", RUNS),
    )
    assert result.suspended_days == 30
    assert result.deadline == date(2026, 4, 13)
    assert result.anomalies == (
        "richiesta di integrazione del 02/02/2026: durata 60 giorni, oltre il massimo di 30 "
        "(art. 2 c. 7 L. 241/1990); ne contano 30, gli altri 30 corrono contro "
        "l'amministrazione",
    )


def test_an_open_integrazione_stops_suspending_after_thirty_days() -> None:
    moves = ((date(2026, 2, 2), "integrazione_richiesta", SUSP),)
    day_29 = reading(SIXTY, date(2026, 1, 12), *moves, today=date(2026, 3, 3))
    day_45 = reading(SIXTY, date(2026, 1, 12), *moves, today=date(2026, 3, 19))
    assert (day_29.status, day_29.suspended_days) == (SUSP, 29)
    assert (day_45.status, day_45.suspended_days) == (RUNS, 30)
    assert day_45.deadline == date(2026, 4, 13)
    assert any("in corso da 45 giorni" in a for a in day_45.anomalies)


def test_a_second_request_suspends_nothing() -> None:
    result = reading(
        SIXTY,
        date(2026, 1, 12),
        (date(2026, 1, 20), "integrazione_richiesta", SUSP),
        (date(2026, 1, 30), "in_istruttoria", RUNS),
        flags=(Suspension(date(2026, 2, 10), date(2026, 2, 20), "#7"),),
    )
    assert result.suspended_days == 10
    assert result.deadline == date(2026, 3, 23)
    assert result.anomalies == (
        "segnalazione #7 del 10/02/2026: seconda richiesta di sospensione, oltre l'unica "
        "ammessa (art. 2 c. 7 L. 241/1990); non sospende il termine",
    )


def test_a_rule_may_allow_more_or_longer_suspensions() -> None:
    generous = TermSpec(60, suspensions=SuspensionRules(max_days=90, max_count=2))
    result = reading(
        generous,
        date(2026, 1, 12),
        (date(2026, 1, 20), "integrazione_richiesta", SUSP),
        (date(2026, 3, 31), "in_istruttoria", RUNS),
        flags=(Suspension(date(2026, 4, 10), date(2026, 4, 20)),),
    )
    assert result.suspended_days == 70 + 10 and not result.anomalies


def test_only_a_running_term_is_suspended_before_the_quota_date() -> None:
    # NO_LAVORO filed 10 Oct 2025, quota assigned 1 Dec 2025: the integrazione from
    # 20 Nov to 10 Dec suspends only its 9 days after the quota date.
    from_quota = TermSpec(60, start=TermStart.QUOTA_ASSIGNMENT)
    result = reading(
        from_quota,
        date(2025, 10, 10),
        (date(2025, 11, 20), "integrazione_richiesta", SUSP),
        (date(2025, 12, 10), "in_istruttoria", RUNS),
        quota=date(2025, 12, 1),
    )
    assert result.term_start == date(2025, 12, 1)
    assert result.suspended_days == 9
    assert result.deadline == date(2026, 2, 9)  # 30 Jan 2026 + 9 days
    assert any("11 giorni precedenti la decorrenza" in a for a in result.anomalies)
    # A request answered before the quota date suspends nothing and uses up nothing.
    early = reading(
        from_quota,
        date(2025, 10, 10),
        (date(2025, 10, 20), "integrazione_richiesta", SUSP),
        (date(2025, 11, 10), "in_istruttoria", RUNS),
        flags=(Suspension(date(2025, 12, 5), date(2025, 12, 15)),),
        quota=date(2025, 12, 1),
    )
    assert early.suspended_days == 10
    assert early.deadline == date(2026, 2, 9)


def test_findings_name_the_event_they_concern() -> None:
    result = reading(
        SIXTY,
        date(2026, 1, 12),
        (date(2026, 1, 20), "integrazione_richiesta", SUSP),
        (date(2026, 1, 30), "in_istruttoria", RUNS),
        (date(2026, 2, 5), "integrazione_richiesta", SUSP),
        (date(2026, 2, 8), "in_istruttoria", RUNS),
    )
    (finding,) = result.findings
    assert (finding.on, finding.ref) == (date(2026, 2, 5), "integrazione_richiesta")
