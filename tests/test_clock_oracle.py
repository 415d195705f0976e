"""The clock against an independent, day-by-day reading of the law, on random histories.

tests/law_oracle.py is a second implementation written from the rules' text; here
hypothesis draws thousands of histories (every unit, month ends, leap years, Saturday
rules, several and open suspensions, quota starts, preavvisi with and without
observations, both 10-bis regimes) and the two must agree on deadline, suspended days
and state of the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.calendar import calendar_for
from models.clock import StateChange, Suspension, SuspensionRules, TermSpec, compute_clock
from models.enums import ClockEffect, Party, PreavvisoEffect, TermStart, TermUnit
from tests.law_oracle import LawHistory, LawRule, oracle

LODI = calendar_for("LO")
STATES = [
    ("in_istruttoria", "runs"),
    ("parere_richiesto", "runs"),
    ("integrazione_richiesta", "suspended"),
    ("preavviso_rigetto", "suspended"),
    ("convocata", "stopped"),
    ("definita_positiva", "stopped"),
]
UNITS = {"days": (1, 400), "months": (1, 48), "working_days": (1, 60)}


@st.composite
def rules(draw: st.DrawFn) -> LawRule:
    unit = draw(st.sampled_from(sorted(UNITS)))
    low, high = UNITS[unit]
    interrupts = draw(st.booleans())
    return LawRule(
        term=draw(st.integers(low, high)),
        unit=unit,
        from_quota=draw(st.booleans()),
        saturday_working=draw(st.booleans()),
        max_days=draw(st.sampled_from([30, 30, 10, 60])),
        max_count=draw(st.sampled_from([1, 1, 2, 0])),
        preavviso="interrupts" if interrupts else "suspends",
        reply_days=draw(st.sampled_from([10, 10, 5, 20])),
        restart_days=0 if interrupts else draw(st.sampled_from([10, 10, 0, 3])),
    )


@st.composite
def histories(draw: st.DrawFn) -> LawHistory:
    filed = draw(st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)))
    day = filed
    states = [(filed, "presentata", "runs")]
    for _ in range(draw(st.integers(0, 6))):
        day += timedelta(days=draw(st.integers(1, 80)))
        code, effect = draw(st.sampled_from(STATES))
        states.append((day, code, effect))
        if effect == "stopped":
            break
    items: list[tuple[date, date | None]] = []
    for _ in range(draw(st.integers(0, 3))):
        start = filed + timedelta(days=draw(st.integers(0, 250)))
        length = draw(st.one_of(st.none(), st.integers(0, 90)))
        items.append((start, None if length is None else start + timedelta(days=length)))
    observations = [
        filed + timedelta(days=draw(st.integers(0, 400))) for _ in range(draw(st.integers(0, 2)))
    ]
    quota = draw(st.one_of(st.none(), st.integers(0, 150)))
    return LawHistory(
        filed_on=filed,
        today=day + timedelta(days=draw(st.integers(0, 500))),
        states=states,
        items=items,
        observations=observations,
        quota_on=None if quota is None else filed + timedelta(days=quota),
    )


def clock_of(history: LawHistory, rule: LawRule):  # type: ignore[no-untyped-def]
    spec = TermSpec(
        rule.term,
        TermUnit(rule.unit),
        TermStart.QUOTA_ASSIGNMENT if rule.from_quota else TermStart.FILING,
        rule.saturday_working,
        SuspensionRules(
            rule.max_days,
            rule.max_count,
            PreavvisoEffect(rule.preavviso),
            rule.reply_days,
            rule.restart_days,
        ),
    )
    changes = [
        StateChange(day, code, ClockEffect(effect), Party.SUI, code == "definita_positiva")
        for day, code, effect in history.states
    ]
    return compute_clock(
        spec,
        history.filed_on,
        changes,
        [Suspension(start, end) for start, end in history.items],
        LODI,
        history.today,
        history.quota_on,
        history.observations,
    )


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), rule=rules())
def test_the_clock_counts_as_the_law_reads(history: LawHistory, rule: LawRule) -> None:
    expected = oracle(history, rule, LODI.is_holiday)
    reading = clock_of(history, rule)
    assert (reading.deadline, reading.suspended_days, reading.status.value) == (
        expected.deadline,
        expected.suspended_days,
        expected.status,
    )
