"""The risk that an open dossier misses its legal term, from the office's own history.

A pure function beside the clock (``models.clock``): nothing here touches the database.
``models.forecast_feed`` turns a database's rows into the two inputs:

- the **history**: for the dossiers closed last (``forecast_feed.HISTORY_PER_TYPE`` of
  each type), one ``Passage`` per state each entered — the procedure type, the state,
  the *term days* it stayed there and those from entering it to the day the clock
  stopped. Term days are calendar days minus the days the
  term was suspended in between (art. 2 c. 7 and art. 10-bis L. 241/1990,
  docs/domain-rules.md): a suspended day pushes the deadline by one day, so it neither
  brings a breach nearer nor moves it away;
- each **open file**: its type and state, the term days already spent since it entered
  that state (``age``), and the days left to its deadline as the clock reads it today
  (suspension so far included).

The file misses its term when the term days it still needs exceed the days left. That
it is still in its state after ``age`` term days says something about it: it is one of
the slower files there. So it is compared with the past passages that *stayed in the
state* longer than ``age`` (not merely those whose clock had not stopped by then), and
the risk is the share of them whose clock stopped more than ``age + days_left`` term
days after entering it::

    risk = #{passages: stay > age and days > age + days_left} / #{passages: stay > age}

This is the probability a Monte Carlo simulation estimates when it draws, many times,
a past passage of the same type and state that stayed there longer than the file's age
and counts the draws ending after the deadline — here computed exactly instead of drawn:
no sampling error, no seed, the same answer every time. The passages are sorted by
their stay once; a file's survivors are then a prefix found by binary search, and the
late ones among them are counted in a sorted copy of every 32nd prefix plus at most 31
more: a few microseconds per file, the whole office in well under a second. NumPy is
not a dependency of the project and is not needed for this.

When the history is too short to say, the risk is ``None``: fewer than
``MIN_PASSAGES`` passages of that type through that state, or fewer than
``MIN_SURVIVORS`` of them that stayed in the state longer than the file's age (a file
older in its state than nearly all the office's past files). Where the answer is already
known, it is given whatever the history: 1 for a running file past its deadline, 1 or 0
for a file whose clock has stopped (late or in time).

Assumptions, said in the README: the office's pace from a state onwards is that of its
past files of the same type (a new backlog or a new procedure is not seen coming); the
time to the clock's stop does not depend on the term itself; a file's future
suspensions are those its type had in the past.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from models.enums import ClockEffect

MIN_PASSAGES = 30  # past dossiers of the type through the state: fewer, no estimate
MIN_SURVIVORS = 10  # of them, still in the state at the file's age: fewer, no estimate
_STEP = 32  # every _STEP-th prefix of the passages (longest stay first) is kept sorted

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Passage:
    """A past dossier of ``procedure`` entered ``state``, stayed there ``stay`` term days
    (calendar days less the suspended ones; None: until its clock stopped) and its clock
    stopped ``days`` term days after it entered."""

    procedure: Hashable
    state: str
    days: int
    stay: int | None = None


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


class _Passages:
    """One type's passages through one state, ready for the two counts of a risk."""

    def __init__(self, passages: list[tuple[int, int]]) -> None:  # (stay, days)
        ordered = sorted(passages, key=lambda p: -p[0])
        self.size = len(ordered)
        self._stays = [-stay for stay, _ in ordered]  # ascending, for bisect
        self._days = [days for _, days in ordered]
        self._sorted: list[list[int]] = []  # [j]: the days of the first j * _STEP, sorted
        running: list[int] = []
        for start in range(0, self.size + 1, _STEP):
            running = sorted(running + self._days[max(start - _STEP, 0) : start])
            self._sorted.append(running)

    def counts(self, age: int, beyond: int) -> tuple[int, int]:
        """How many stayed longer than ``age``, and how many of them lasted longer than
        ``beyond`` in all."""
        stayed = bisect_left(self._stays, -age)  # stay > age  ⇔  -stay < -age
        block = stayed // _STEP
        base = self._sorted[block]
        late = len(base) - bisect_right(base, beyond)
        late += sum(1 for days in self._days[block * _STEP : stayed] if days > beyond)
        return stayed, late


class History:
    """The office's passages, per (procedure type, state)."""

    def __init__(self, passages: Iterable[Passage]) -> None:
        grouped: dict[tuple[Hashable, str], list[tuple[int, int]]] = {}
        for passage in passages:
            stay = passage.days if passage.stay is None else passage.stay
            grouped.setdefault((passage.procedure, passage.state), []).append((stay, passage.days))
        self._groups = {key: _Passages(found) for key, found in grouped.items()}

    def sample_size(self, procedure: Hashable, state: str) -> int:
        group = self._groups.get((procedure, state))
        return 0 if group is None else group.size

    def breach_risk(self, file: OpenFile) -> float | None:
        """The probability (0–1) that ``file`` misses its term; None: too little history."""
        if file.clock is ClockEffect.STOPPED:
            return 1.0 if file.days_left < 0 else 0.0
        if file.days_left < 0:
            return 1.0  # already past its deadline and still running
        group = self._groups.get((file.procedure, file.state))
        if group is None or group.size < MIN_PASSAGES:
            return None
        stayed, late = group.counts(file.age, file.age + file.days_left)
        if stayed < MIN_SURVIVORS:
            return None
        return late / stayed


def breach_risks(history: History, files: Mapping[K, OpenFile]) -> dict[K, float | None]:
    """``History.breach_risk`` of every file, by the caller's key (a dossier's id)."""
    return {key: history.breach_risk(file) for key, file in files.items()}


def by_risk(ids: Sequence[K], risks: Mapping[K, float | None], descending: bool = True) -> list[K]:
    """``ids`` ordered by risk, highest first (lowest with ``descending`` False); those
    without one (closed, or too little history) after them, in their given order."""
    known = [key for key in ids if risks.get(key) is not None]
    known.sort(key=lambda key: risks[key] or 0.0, reverse=descending)  # stable both ways
    return known + [key for key in ids if risks.get(key) is None]
