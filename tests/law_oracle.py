"""A second, deliberately plain reading of the counting rules, to check models/clock.py.

Written from the rules as docs/domain-rules.md states them from the law, not from the
clock: it walks the calendar one day at a time, keeps the suspended days as a set of
dates and counts them at the end. Slow and simple on purpose; it imports nothing from
the clock (only the office's holiday list).

- art. 2963 c.c.: the day the term starts is not counted; calendar days; a last day on
  a Sunday or a holiday (or a Saturday, when the rule says so) moves to the next
  working day; months are calendar months, the 31st becoming the month's last day.
- art. 2 c. 7 L. 241/1990: a request (a suspending state, or a suspending pending
  item; those made the same day are one) suspends only while the term runs, at most
  ``max_days`` days, and only the first ``max_count`` requests do.
- art. 10-bis: the notice suspends until ``restart_days`` after observations arriving
  within ``reply_days``, else until ``reply_days`` after the notice; before the reform
  it interrupts: the term starts again in full from that day.
- suspended days are added to the term; a suspension counts only if it begins while
  the term is still open (on or before the deadline as it stands that day, or while
  the term is already suspended).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class LawRule:
    term: int
    unit: str = "days"  # days / months / working_days
    from_quota: bool = False
    saturday_working: bool = True
    max_days: int = 30
    max_count: int = 1
    preavviso: str = "suspends"  # or "interrupts"
    reply_days: int = 10
    restart_days: int = 10


@dataclass
class LawHistory:
    filed_on: date
    today: date
    # (day, state code, "runs"/"suspended"/"stopped"), in order, the first on filing.
    states: list[tuple[date, str, str]]
    items: list[tuple[date, date | None]] = field(default_factory=list)  # suspending items
    observations: list[date] = field(default_factory=list)
    quota_on: date | None = None


@dataclass(frozen=True)
class LawAnswer:
    deadline: date
    suspended_days: int
    status: str  # runs / suspended / stopped


def _is_working(day: date, saturday_working: bool, is_holiday: Callable[[date], bool]) -> bool:
    if day.isoweekday() == 7:
        return False
    if day.isoweekday() == 6 and not saturday_working:
        return False
    return not is_holiday(day)


def _month_end(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - ONE_DAY).day


def _term_end(start: date, rule: LawRule, is_holiday: Callable[[date], bool]) -> date:
    if rule.unit == "months":
        months = start.year * 12 + (start.month - 1) + rule.term
        year, month = months // 12, months % 12 + 1
        return date(year, month, min(start.day, _month_end(year, month)))
    day = start
    counted = 0
    while counted < rule.term:
        day += ONE_DAY
        if rule.unit == "days" or _is_working(day, rule.saturday_working, is_holiday):
            counted += 1
    return day


def oracle(history: LawHistory, rule: LawRule, is_holiday: Callable[[date], bool]) -> LawAnswer:
    def roll(day: date) -> date:
        while not _is_working(day, rule.saturday_working, is_holiday):
            day += ONE_DAY
        return day

    start = history.filed_on
    if rule.from_quota and history.quota_on is not None:
        start = history.quota_on
    states = history.states
    stopped_on = next((day for day, _code, effect in states if effect == "stopped"), None)
    last_day = stopped_on if stopped_on is not None else history.today

    # What begins on each day: notices (art. 10-bis) and requests (art. 2 c. 7).
    notices: dict[date, date] = {}  # notice day -> day the term runs again
    notice_days = [
        d for d, code, eff in states if code == "preavviso_rigetto" and eff == "suspended"
    ]
    for n, notice in enumerate(notice_days):
        later = notice_days[n + 1] if n + 1 < len(notice_days) else date.max
        answers = [o for o in history.observations if notice <= o < later]
        runs_again = notice + timedelta(days=rule.reply_days)
        if answers and min(answers) <= runs_again:
            runs_again = min(answers) + timedelta(days=rule.restart_days)
        notices[notice] = runs_again
    requests: dict[date, date | None] = {}  # first day -> last answer (None: unanswered)
    found: list[tuple[date, date | None]] = list(history.items)
    for i, (day, code, effect) in enumerate(states):
        if effect == "suspended" and code != "preavviso_rigetto":
            found.append((day, states[i + 1][0] if i + 1 < len(states) else None))
    for day, answered in found:
        if day in requests:
            earlier = requests[day]
            requests[day] = None if earlier is None or answered is None else max(earlier, answered)
        else:
            requests[day] = answered

    suspended: set[date] = set()
    pauses: list[tuple[date, date]] = []  # interruptions: (notice, term runs again)
    open_request_from: date | None = None
    used = 0

    def still_open(day: date) -> bool:
        if day in suspended or day - ONE_DAY in suspended:
            return True
        before = sum(1 for d in suspended if d < day)
        return day <= roll(_term_end(start, rule, is_holiday) + timedelta(days=before))

    day = min([history.filed_on, *notices, *requests])
    while day <= last_day:
        if day in notices:
            runs_again = notices[day]
            if rule.preavviso == "interrupts":
                if day >= start and still_open(day):
                    pauses.append((day, runs_again))
                    start = runs_again
                    suspended = {d for d in suspended if d >= start}
                    if open_request_from is not None and history.today <= start:
                        open_request_from = None
            else:
                first = max(day, start)
                if still_open(first):
                    end = min(runs_again, last_day) if stopped_on is not None else runs_again
                    d = first
                    while d < end:
                        suspended.add(d)
                        d += ONE_DAY
        if day in requests:
            answered = requests[day]
            end = min(answered if answered is not None else last_day, last_day)
            first = max(day, start)
            takes_days = end > first or (end == first and answered is None)
            if takes_days and still_open(first) and used < rule.max_count:
                used += 1
                d = first
                while d < end and (d - first).days < rule.max_days:
                    suspended.add(d)
                    d += ONE_DAY
                if answered is None and (end - first).days <= rule.max_days:
                    open_request_from = first
        day += ONE_DAY

    total = len(suspended)
    deadline = roll(_term_end(start, rule, is_holiday) + timedelta(days=total))
    today = history.today
    if stopped_on is not None:
        status = "stopped"
    elif (
        today in suspended
        or (open_request_from is not None and open_request_from <= today)
        or any(n <= today < r for n, r in pauses)
    ):
        status = "suspended"
    else:
        status = "runs"
    return LawAnswer(deadline, total, status)
