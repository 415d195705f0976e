"""The breach-risk forecast (models/forecast.py): calibration against a known law, edges."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from models.enums import ClockEffect
from models.forecast import MIN_PASSAGES, MIN_SURVIVORS, History, OpenFile, Passage, breach_risks
from models.forecast_feed import Facts, read_facts

MU, SIGMA = 4.0, 0.6  # time to the clock's stop: lognormal, median e^4 ≈ 55 days


def survival(days: int) -> float:
    """P(floor(T) > days) for T lognormal(MU, SIGMA): the true law, written independently."""
    return 0.5 * math.erfc((math.log(days + 1) - MU) / (SIGMA * math.sqrt(2)))


def draw(rng: random.Random) -> int:
    return int(rng.lognormvariate(MU, SIGMA))


def test_calibrated_on_a_history_whose_breach_probability_is_known() -> None:
    rng = random.Random(15)
    history = History(Passage("T", "s", draw(rng)) for _ in range(5000))
    predicted: list[float] = []
    truth: list[float] = []
    breached: list[bool] = []
    while len(predicted) < 5000:
        age, left = rng.randrange(0, 120), rng.randrange(0, 120)
        total = draw(rng)
        if total <= age:  # a file still open at this age: it outlived it
            continue
        risk = history.breach_risk(OpenFile("T", "s", age, left))
        if risk is None:
            continue
        predicted.append(risk)
        truth.append(survival(age + left) / survival(age))
        breached.append(total > age + left)
    # Close to the true probability, file by file...
    errors = sorted(abs(p - t) for p, t in zip(predicted, truth, strict=True))
    assert errors[len(errors) // 2] < 0.02 and errors[int(len(errors) * 0.95)] < 0.08
    # ...and, by decile of the prediction, close to what happened (≈ 3 standard errors).
    ranked = sorted(zip(predicted, breached, strict=True))
    tenth = len(ranked) // 10
    for decile in range(10):
        chunk = ranked[decile * tenth : (decile + 1) * tenth]
        mean_predicted = sum(p for p, _ in chunk) / len(chunk)
        observed = sum(b for _, b in chunk) / len(chunk)
        assert abs(mean_predicted - observed) < 0.07, (decile, mean_predicted, observed)


def test_the_risk_counts_the_passages_that_outlived_the_file() -> None:
    # 40 past files stopped after 1..40 term days.
    history = History(Passage("T", "s", days) for days in range(1, 41))
    # Aged 10 (30 outlived it: 11..40), 20 days left: late if more than 30 (31..40).
    assert history.breach_risk(OpenFile("T", "s", 10, 20)) == pytest.approx(10 / 30)
    # Stopping on the deadline itself is in time: 40 days needed, 40 available.
    assert history.breach_risk(OpenFile("T", "s", 0, 40)) == 0.0
    assert history.breach_risk(OpenFile("T", "s", 0, 39)) == pytest.approx(1 / 40)


def test_a_file_is_compared_with_those_that_stayed_as_long_in_its_state() -> None:
    # 40 quick passages: left the state on day 2, decided on day 10. 40 slow ones: stayed
    # 30 days, decided on day 50. A file still there after 5 days is one of the slow.
    quick = [Passage("T", "s", 10, 2)] * 40
    slow = [Passage("T", "s", 50, 30)] * 40
    history = History(quick + slow)
    assert history.breach_risk(OpenFile("T", "s", 5, 20)) == 1.0
    assert history.breach_risk(OpenFile("T", "s", 1, 20)) == 0.5


def test_the_counts_match_a_plain_count_of_the_passages() -> None:
    rng = random.Random(7)
    passages = []
    for _ in range(700):
        stay = rng.randrange(0, 90)
        passages.append(Passage("T", "s", stay + rng.randrange(0, 120), stay))
    history = History(passages)
    for _ in range(500):
        age, left = rng.randrange(0, 100), rng.randrange(0, 150)
        stayed = [p for p in passages if p.stay is not None and p.stay > age]
        late = [p for p in stayed if p.days > age + left]
        expected = len(late) / len(stayed) if len(stayed) >= MIN_SURVIVORS else None
        assert history.breach_risk(OpenFile("T", "s", age, left)) == expected


def test_no_estimate_without_enough_history() -> None:
    history = History(Passage("T", "s", 50) for _ in range(MIN_PASSAGES - 1))
    assert history.breach_risk(OpenFile("T", "s", 0, 10)) is None
    assert history.breach_risk(OpenFile("T", "other", 0, 10)) is None
    assert history.breach_risk(OpenFile("U", "s", 0, 10)) is None
    # Enough passages, but the file is older than all but a few of them.
    enough = History(
        [Passage("T", "s", 10)] * MIN_PASSAGES + [Passage("T", "s", 100)] * (MIN_SURVIVORS - 1)
    )
    assert enough.breach_risk(OpenFile("T", "s", 5, 10)) is not None
    assert enough.breach_risk(OpenFile("T", "s", 50, 10)) is None
    assert breach_risks(History([]), {"a": OpenFile("T", "s", 0, 1)}) == {"a": None}


def test_known_outcomes_need_no_history() -> None:
    empty = History([])
    assert empty.breach_risk(OpenFile("T", "s", 3, -1)) == 1.0  # running, past its deadline
    assert empty.breach_risk(OpenFile("T", "s", 0, -2, ClockEffect.STOPPED)) == 1.0
    assert empty.breach_risk(OpenFile("T", "s", 0, 0, ClockEffect.STOPPED)) == 0.0


# -- from a dossier's rows (models/forecast_feed.py) ---------------------------------------

CLOCKS = {
    "presentata": ClockEffect.RUNS,
    "integrazione": ClockEffect.SUSPENDED,
    "in_istruttoria": ClockEffect.RUNS,
    "definita": ClockEffect.STOPPED,
}
D = date(2026, 1, 1).toordinal()  # day 0


def facts(entries: list[tuple[int, str]], **overrides: object) -> Facts:
    values: dict[str, object] = {
        "procedure": "T",
        "state": entries[-1][1],
        "entries": [(D + day, seq, state) for seq, (day, state) in enumerate(entries)],
        "flag_suspension": None,
        "suspended_days": 0,
        "deadline": D + 60,
        "closed": False,
    }
    values.update(overrides)
    return Facts(**values)  # type: ignore[arg-type]


def test_suspended_days_are_not_counted_as_time_to_the_stop() -> None:
    # Filed day 0, integration asked day 10, answered day 30 (20 days suspended), stopped 50.
    closed = facts(
        [(0, "presentata"), (10, "integrazione"), (30, "in_istruttoria"), (50, "definita")],
        suspended_days=20,
        closed=True,
    )
    passages, file = read_facts(closed, CLOCKS, D + 100)
    assert file is None  # closed dossiers are history, not forecast
    # (state, term days to the stop, term days in the state)
    assert [(p.state, p.days, p.stay) for p in passages] == [
        ("presentata", 30, 10),
        ("integrazione", 20, 0),
        ("in_istruttoria", 20, 20),
    ]
    # A suspending pending item counts as well, from the day it was raised.
    flagged = facts([(0, "presentata"), (50, "definita")], flag_suspension=D + 5, suspended_days=15)
    assert [p.days for p in read_facts(flagged, CLOCKS, D + 100)[0]] == [35]


def test_an_open_files_age_leaves_out_its_suspension() -> None:
    # In integration since day 10, today day 25: 15 days, all suspended.
    suspended = facts([(0, "presentata"), (10, "integrazione")], suspended_days=15, deadline=D + 75)
    passages, file = read_facts(suspended, CLOCKS, D + 25)
    assert passages == []
    assert file == OpenFile("T", "integrazione", 0, 50, ClockEffect.SUSPENDED)
    # Back in istruttoria since day 30 after 20 suspended days; today day 40.
    running = facts(
        [(0, "presentata"), (10, "integrazione"), (30, "in_istruttoria")],
        suspended_days=20,
        deadline=D + 80,
    )
    assert read_facts(running, CLOCKS, D + 40)[1] == OpenFile("T", "in_istruttoria", 10, 40)


def test_a_stopped_clock_on_an_open_file_is_judged_on_the_stop_day() -> None:
    late = facts([(0, "presentata"), (70, "definita")], state="presentata", deadline=D + 60)
    passages, file = read_facts(late, CLOCKS, D + 90)
    assert file == OpenFile("T", "presentata", 0, -10, ClockEffect.STOPPED)
    assert [p.days for p in passages] == [70]
