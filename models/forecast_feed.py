"""A database's rows as the forecast (``models.forecast``) takes them.

Both read paths feed the forecast through here, with the same SQL: the service
(``models.services.forecast``, on the ORM's connection) and the light path
(``models.read``, through the driver alone). Values come as the driver gives them —
SQLite's dates are ISO text, PostgreSQL's ``date`` — and are turned into day numbers
(``date.toordinal``) once per distinct value.

Suspended days are known per dossier as a total (``dossiers.suspended_days``, kept by
the clock); where they fell is taken as one block from the first suspension (the first
suspending state entered or suspending pending item raised). A file has one art. 2 c. 7
suspension at most (docs/domain-rules.md), so the block is exact unless a preavviso di
rigetto suspended it too; then the days are right and their place approximate.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.enums import ClockEffect
from models.forecast import OpenFile, Passage

DOSSIERS_SQL = (
    "SELECT id, procedure_type_id, state, closed_on, deadline, clock_state, suspended_days,"
    " restricted FROM dossiers WHERE deleted_at IS NULL"
)
STATES_SQL = "SELECT procedure_type_id, code, clock FROM workflow_states WHERE deleted_at IS NULL"
ENTRIES_SQL = (
    "SELECT dossier_id, effective_on, seq, to_state FROM dossier_events"
    " WHERE to_state IS NOT NULL AND deleted_at IS NULL"
)
FLAGS_SQL = (
    "SELECT dossier_id, MIN(raised_on) FROM flags"
    " WHERE suspends AND deleted_at IS NULL GROUP BY dossier_id"
)

Rows = Callable[[str], Sequence[Sequence[Any]]]
Entry = tuple[int, int, str]  # (day number, sequence, state entered)


@dataclass(frozen=True)
class Facts:
    """One dossier as the forecast needs it; days are ``date.toordinal`` numbers.

    ``deadline`` and ``suspended_days`` as the clock reads them on the forecast's day.
    """

    procedure: Hashable
    state: str
    entries: Sequence[Entry]  # the states entered, in order
    flag_suspension: int | None  # first suspending pending item raised
    suspended_days: int
    deadline: int | None
    closed: bool


@dataclass(frozen=True)
class Gathered:
    passages: list[Passage]
    files: dict[Any, OpenFile]  # raw dossier id (as the driver gives it) → open file


class DayNumbers:
    """A driver's date values as day numbers, each distinct value parsed once."""

    def __init__(self) -> None:
        self._known: dict[Any, int] = {}

    def __call__(self, value: Any) -> int | None:
        if value is None:
            return None
        known = self._known.get(value)
        if known is None:
            as_date = value if isinstance(value, date) else date.fromisoformat(value)
            known = self._known[value] = as_date.toordinal()
        return known


def state_clocks(rows: Iterable[Sequence[Any]]) -> dict[tuple[Any, str], ClockEffect]:
    return {(type_id, code): ClockEffect(clock) for type_id, code, clock in rows}


def _overlap(start: int | None, length: int, low: int, high: int) -> int:
    if start is None or length <= 0:
        return 0
    return max(0, min(start + length, high) - max(start, low))


def read_facts(
    facts: Facts, clocks: dict[tuple[Any, str], ClockEffect], today: int
) -> tuple[list[Passage], OpenFile | None]:
    """The passages a dossier adds to the history (once its clock stopped) and, while it
    is open, what the forecast needs of it."""

    def clock_of(state: str) -> ClockEffect:
        return clocks.get((facts.procedure, state), ClockEffect.RUNS)

    stop = next((d for d, _, s in facts.entries if clock_of(s) is ClockEffect.STOPPED), None)
    suspending = (d for d, _, s in facts.entries if clock_of(s) is ClockEffect.SUSPENDED)
    starts = (next(suspending, None), facts.flag_suspension)
    suspension = min((d for d in starts if d is not None), default=None)
    block = facts.suspended_days
    passages: list[Passage] = []
    if stop is not None:
        for entered, _, state in facts.entries:
            if entered > stop or clock_of(state) is ClockEffect.STOPPED:
                break
            days = stop - entered - _overlap(suspension, block, entered, stop)
            passages.append(Passage(facts.procedure, state, max(days, 0)))
    if facts.closed or facts.deadline is None:
        return passages, None
    if stop is not None:
        return passages, OpenFile(
            facts.procedure, facts.state, 0, facts.deadline - stop, ClockEffect.STOPPED
        )
    entered_now = max((d for d, _, s in facts.entries if s == facts.state), default=None)
    if entered_now is None:
        return passages, None
    age = today - entered_now - _overlap(suspension, block, entered_now, today)
    return passages, OpenFile(
        facts.procedure, facts.state, max(age, 0), facts.deadline - today, clock_of(facts.state)
    )


def gather(
    rows: Rows,
    today: date,
    cleared: bool,
    exact: Callable[[Any], tuple[date, int]] | None = None,
) -> Gathered:
    """History and open files of the dossiers this user may see (restricted art. 18 /
    18-ter ones only when ``cleared``), on ``today``.

    A suspended file's stored deadline is that of its last change and moves every day:
    ``exact`` (raw id → deadline and suspended days as the clock reads them today) reads
    those few again. Without it they are taken as stored.
    """
    number = DayNumbers()
    clocks = state_clocks(rows(STATES_SQL))
    entries: dict[Any, list[Entry]] = {}
    for dossier_id, effective_on, seq, to_state in rows(ENTRIES_SQL):
        entries.setdefault(dossier_id, []).append((number(effective_on) or 0, seq or 0, to_state))
    flagged = {dossier_id: number(raised) for dossier_id, raised in rows(FLAGS_SQL)}
    day = today.toordinal()
    passages: list[Passage] = []
    files: dict[Any, OpenFile] = {}
    for row in rows(DOSSIERS_SQL):
        dossier_id, type_id, state, closed_on, deadline, clock, suspended, restricted = row
        if restricted and not cleared:
            continue
        if exact is not None and clock == ClockEffect.SUSPENDED.value and closed_on is None:
            exact_deadline, suspended = exact(dossier_id)
            deadline = exact_deadline
        facts = Facts(
            type_id,
            state,
            sorted(entries.get(dossier_id, ())),
            flagged.get(dossier_id),
            suspended or 0,
            number(deadline),
            closed_on is not None,
        )
        found, file = read_facts(facts, clocks, day)
        passages += found
        if file is not None:
            files[dossier_id] = file
    return Gathered(passages, files)
