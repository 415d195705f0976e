"""The risk that an open dossier misses its legal term, from the office's own history.

A pure function beside the clock (``models.clock``): nothing here touches the database.
``models.forecast_feed`` turns a database's rows into the two inputs:

- the **history**: for every dossier whose clock has stopped, one ``Passage`` per state
  it entered — the procedure type, the state, and the *term days* from entering that
  state to the day the clock stopped. Term days are calendar days minus the days the
  term was suspended in between (art. 2 c. 7 and art. 10-bis L. 241/1990,
  docs/domain-rules.md): a suspended day pushes the deadline by one day, so it neither
  brings a breach nearer nor moves it away;
- each **open file**: its type and state, the term days already spent since it entered
  that state (``age``), and the days left to its deadline as the clock reads it today
  (suspension so far included).

The file misses its term when the term days it still needs exceed the days left. Its
past in the state says it needs more than ``age``; the history says how often a
passage that lasted longer than ``age`` lasted longer than ``age + days_left``::

    risk = #{passages: days > age + days_left} / #{passages: days > age}

This is the probability a Monte Carlo simulation estimates when it draws, many times,
a passage of the same type and state that outlived the file's age and counts the draws
ending after the deadline — here computed exactly instead of drawn: two binary searches
in the sorted passages, no sampling error, no seed, the same answer every time, and
O(log n) per file (the whole office in well under a second). NumPy is not a dependency
of the project and is not needed for this.

When the history is too short to say, the risk is ``None``: fewer than
``MIN_PASSAGES`` passages of that type through that state, or fewer than
``MIN_SURVIVORS`` of them lasting longer than the file's age (a file older in its state
than nearly all the office's past files). Where the answer is already known, it is
given whatever the history: 1 for a running file past its deadline, 1 or 0 for a file
whose clock has stopped (late or in time).

Assumptions, said in the README: the office's pace from a state onwards is that of its
past files of the same type (a new backlog or a new procedure is not seen coming); the
time to the clock's stop does not depend on the term itself; a file's future
suspensions are those its type had in the past.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from models.enums import ClockEffect

MIN_PASSAGES = 30  # past dossiers of the type through the state: fewer, no estimate
MIN_SURVIVORS = 10  # of them, still running at the file's age: fewer, no estimate

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Passage:
    """A past dossier of ``procedure`` entered ``state``; its clock stopped ``days`` term
    days later (calendar days less the suspended ones)."""

    procedure: Hashable
    state: str
    days: int


@dataclass(frozen=True)
class OpenFile:
    """An open dossier as the forecast sees it.

    ``age``: term days since it entered ``state``; ``days_left``: its deadline as the
    clock reads it today (suspension so far included) minus today — for a stopped clock,
    minus the day it stopped.
    """

    procedure: Hashable
    state: str
    age: int
    days_left: int
    clock: ClockEffect = ClockEffect.RUNS


class History:
    """The office's passages, sorted per (procedure type, state)."""

    def __init__(self, passages: Iterable[Passage]) -> None:
        grouped: dict[tuple[Hashable, str], list[int]] = {}
        for passage in passages:
            grouped.setdefault((passage.procedure, passage.state), []).append(passage.days)
        self._days = {key: sorted(days) for key, days in grouped.items()}

    def sample_size(self, procedure: Hashable, state: str) -> int:
        return len(self._days.get((procedure, state), ()))

    def breach_risk(self, file: OpenFile) -> float | None:
        """The probability (0–1) that ``file`` misses its term; None: too little history."""
        if file.clock is ClockEffect.STOPPED:
            return 1.0 if file.days_left < 0 else 0.0
        if file.days_left < 0:
            return 1.0  # already past its deadline and still running
        days = self._days.get((file.procedure, file.state))
        if days is None or len(days) < MIN_PASSAGES:
            return None
        survivors = len(days) - bisect_right(days, file.age)
        if survivors < MIN_SURVIVORS:
            return None
        late = len(days) - bisect_right(days, file.age + file.days_left)
        return late / survivors


def breach_risks(history: History, files: Mapping[K, OpenFile]) -> dict[K, float | None]:
    """``History.breach_risk`` of every file, by the caller's key (a dossier's id)."""
    return {key: history.breach_risk(file) for key, file in files.items()}


def by_risk(ids: Sequence[K], risks: Mapping[K, float | None], descending: bool = True) -> list[K]:
    """``ids`` ordered by risk, highest first (lowest with ``descending`` False); those
    without one (closed, or too little history) after them, in their given order."""
    known = [key for key in ids if risks.get(key) is not None]
    known.sort(key=lambda key: risks[key] or 0.0, reverse=descending)  # stable both ways
    return known + [key for key in ids if risks.get(key) is None]
