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

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from models import clock_feed
from models.calendar import HolidayCalendar
from models.clock import ClockReading
from models.enums import ClockEffect
from models.errors import ValidationError
from models.forecast import OpenFile, Passage
from models.workflow_model import Workflow, build_workflow

HISTORY_PER_TYPE = 1000  # the most recently closed dossiers of each type: the history

STATES_SQL = "SELECT procedure_type_id, code, clock FROM workflow_states WHERE deleted_at IS NULL"
# A type's N-th dossier closed last (N − 1 skipped), off ``ix_dossiers_type_closed``.
_TYPES = "SELECT id FROM procedure_types"
_NTH_CLOSED = (
    "SELECT closed_on FROM dossiers WHERE procedure_type_id = ? AND closed_on <= ?"
    " AND deleted_at IS NULL{hidden} ORDER BY closed_on DESC LIMIT 1 OFFSET ?"
)
_FIRST_FLAG = (
    "(SELECT MIN(f.raised_on) FROM flags f WHERE f.dossier_id = dossiers.id"
    " AND f.suspends AND f.deleted_at IS NULL)"
)
_RECENT = (
    f"SELECT id, procedure_type_id, suspended_days, {_FIRST_FLAG} AS flagged FROM dossiers"
    " WHERE procedure_type_id = ? AND closed_on >= ? AND closed_on <= ?"
    " AND deleted_at IS NULL{hidden}"
)
_ENTRIES = (
    " JOIN dossier_events e ON e.dossier_id = d.id"
    " WHERE e.to_state IS NOT NULL AND e.deleted_at IS NULL"
)
_OPEN = " AND d.closed_on IS NULL AND d.deleted_at IS NULL{hidden}{only}"
# Each open dossier once: the day it entered its state, its clock's stop (if any), its
# first suspension (a suspending state entered, a suspending pending item raised).
_OPEN_SQL = (
    "SELECT d.id, d.procedure_type_id, d.state, d.deadline, d.clock_state, d.suspended_days,"
    " MAX(CASE WHEN e.to_state = d.state THEN e.effective_on END),"
    " MIN(CASE WHEN s.clock = 'stopped' THEN e.effective_on END),"
    " MIN(CASE WHEN s.clock = 'suspended' THEN e.effective_on END),"
    " (SELECT MIN(f.raised_on) FROM flags f WHERE f.dossier_id = d.id"
    " AND f.suspends AND f.deleted_at IS NULL)"
    " FROM dossiers d JOIN dossier_events e ON e.dossier_id = d.id"
    " LEFT JOIN workflow_states s ON s.procedure_type_id = d.procedure_type_id"
    " AND s.code = e.to_state AND s.deleted_at IS NULL"
    " WHERE e.to_state IS NOT NULL AND e.deleted_at IS NULL{where} GROUP BY d.id"
)
# Art. 18 / 18-ter files, left out for users not cleared for them.
_HIDDEN_RECENT = " AND NOT restricted"
_HIDDEN_OPEN = " AND NOT d.restricted"

Rows = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]  # SQL with ``?``, values
Entry = tuple[int, int, str]  # (day number, sequence, state entered)
Clocks = Mapping[str, ClockEffect]  # a type's states → what each does to the clock


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


def _overlap(start: int | None, length: int, low: int, high: int) -> int:
    if start is None or length <= 0:
        return 0
    return max(0, min(start + length, high) - max(start, low))


def read_facts(facts: Facts, clocks: Clocks, today: int) -> tuple[list[Passage], OpenFile | None]:
    """The passages a dossier adds to the history (once its clock stopped) and, while it
    is open, what the forecast needs of it."""
    runs, stopped, suspended = ClockEffect.RUNS, ClockEffect.STOPPED, ClockEffect.SUSPENDED
    stop = suspension = None
    for day, _, state in facts.entries:
        effect = clocks.get(state, runs)
        if effect is stopped and stop is None:
            stop = day
        elif effect is suspended and suspension is None:
            suspension = day
    if facts.flag_suspension is not None and (
        suspension is None or facts.flag_suspension < suspension
    ):
        suspension = facts.flag_suspension
    block = facts.suspended_days
    passages: list[Passage] = []
    if stop is not None:
        entries = facts.entries
        for index, (entered, _, state) in enumerate(entries):
            if entered > stop or clocks.get(state, runs) is stopped:
                break
            left = min(entries[index + 1][0], stop) if index + 1 < len(entries) else stop
            days = stop - entered - _overlap(suspension, block, entered, stop)
            stay = left - entered - _overlap(suspension, block, entered, left)
            passages.append(Passage(facts.procedure, state, max(days, 0), max(stay, 0)))
    if facts.closed:
        return passages, None
    entered_now = max((d for d, _, s in facts.entries if s == facts.state), default=None)
    return passages, open_file(
        OpenFacts(facts.procedure, facts.state, clocks.get(facts.state, runs), facts.deadline),
        today,
        entered_now,
        stop,
        suspension,
        block,
    )


@dataclass(frozen=True)
class OpenFacts:
    procedure: Hashable
    state: str
    clock: ClockEffect
    deadline: int | None


def open_file(
    facts: OpenFacts,
    today: int,
    entered: int | None,
    stop: int | None,
    suspension: int | None,
    suspended_days: int,
) -> OpenFile | None:
    """An open dossier in its state since ``entered``, as the forecast takes it: its clock
    stopped on ``stop`` (if it did), its first suspension began on ``suspension``, and the
    term was suspended ``suspended_days`` in all. None without a deadline or an entry."""
    if facts.deadline is None or entered is None:
        return None
    if stop is not None:
        days_left = facts.deadline - stop
        return OpenFile(facts.procedure, facts.state, 0, days_left, ClockEffect.STOPPED)
    age = today - entered - _overlap(suspension, suspended_days, entered, today)
    return OpenFile(facts.procedure, facts.state, max(age, 0), facts.deadline - today, facts.clock)


def type_clocks(rows: Iterable[Sequence[Any]]) -> dict[Any, dict[str, ClockEffect]]:
    found: dict[Any, dict[str, ClockEffect]] = {}
    for type_id, code, clock in rows:
        found.setdefault(type_id, {})[code] = ClockEffect(clock)
    return found


def history(rows: Rows, until: date, cleared: bool) -> list[Passage]:
    """The passages of the dossiers of each type closed last by ``until`` that the user
    may see: the last ``HISTORY_PER_TYPE``, and any closed the same day as the last of
    them (so the choice does not depend on the order of the rows)."""
    hidden = "" if cleared else _HIDDEN_RECENT
    nth = _NTH_CLOSED.format(hidden=hidden)
    ranges: list[Any] = []
    for (type_id,) in rows(_TYPES, []):
        last = rows(nth, [type_id, until, HISTORY_PER_TYPE - 1])
        if last:  # the last N, and any closed the same day as the N-th
            ranges += [type_id, last[0][0], until]
        elif rows(nth, [type_id, until, 0]):  # fewer: all of them
            ranges += [type_id, date.min, until]
    if not ranges:
        return []
    clocks = type_clocks(rows(STATES_SQL, []))
    recent = " UNION ALL ".join([_RECENT.format(hidden=hidden)] * (len(ranges) // 3))
    number = DayNumbers()
    found: dict[Any, tuple[Any, int, int | None, list[Entry]]] = {}
    columns = (
        "d.id, d.procedure_type_id, d.suspended_days, d.flagged, e.effective_on, e.seq, e.to_state"
    )
    for dossier_id, type_id, suspended, flagged, effective_on, seq, to_state in rows(
        f"WITH d AS ({recent}) SELECT {columns} FROM d{_ENTRIES}", ranges
    ):
        known = found.get(dossier_id)
        if known is None:
            known = found[dossier_id] = (type_id, suspended or 0, number(flagged), [])
        known[3].append((number(effective_on) or 0, seq or 0, to_state))
    day = until.toordinal()
    passages: list[Passage] = []
    for type_id, suspended, flagged, entries in found.values():
        entries.sort()
        facts = Facts(type_id, "", entries, flagged, suspended, None, True)
        passages += read_facts(facts, clocks.get(type_id, {}), day)[0]
    return passages


def open_files(
    rows: Rows,
    today: date,
    cleared: bool,
    only: Sequence[Any] | None = None,
) -> dict[Any, OpenFile]:
    """The open dossiers the user may see (``only`` these ids, as the driver compares
    them, when given), as the forecast takes them on ``today``.

    A suspended file's stored deadline is that of its last change and moves every day:
    those few are read again by the clock (``clock_today``).
    """
    if only is not None and not only:
        return {}
    if only is not None and len(only) > _CHUNK:  # a long list: all of them, then these
        wanted = set(only)
        every = open_files(rows, today, cleared)
        return {key: file for key, file in every.items() if key in wanted}
    where = _OPEN.format(
        hidden="" if cleared else _HIDDEN_OPEN,
        only=f" AND d.id IN ({', '.join('?' * len(only))})" if only is not None else "",
    )
    params = list(only or ())
    number = DayNumbers()
    found = rows(_OPEN_SQL.format(where=where), params)
    moving = [row[0] for row in found if row[4] == ClockEffect.SUSPENDED.value]
    read_again = clock_today(rows, today, moving)
    day = today.toordinal()
    effects = {effect.value: effect for effect in ClockEffect}
    files: dict[Any, OpenFile] = {}
    for row in found:
        dossier_id, type_id, state, deadline, clock, suspended, entered, stop, since, flag = row
        if dossier_id in read_again:
            deadline, suspended = read_again[dossier_id]
        suspension, flagged = number(since), number(flag)  # the first of the two
        if flagged is not None and (suspension is None or flagged < suspension):
            suspension = flagged
        file = open_file(
            OpenFacts(type_id, state, effects[clock], number(deadline)),
            day,
            number(entered),
            number(stop),
            suspension,
            suspended or 0,
        )
        if file is not None:
            files[dossier_id] = file
    return files


_CHUNK = 500  # ids per IN (…) list
_RULE_COLUMNS = (
    "valid_from, valid_to, term, unit, start, saturday_working, suspension_max_days,"
    " suspension_max_count, preavviso_effect, preavviso_reply_days, preavviso_restart_days"
)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def clock_today(rows: Rows, today: date, keys: Sequence[Any]) -> dict[Any, tuple[date, int]]:
    """Deadline and suspended days of these dossiers as the clock reads them ``today``,
    from their rows (as ``models.deadlines.read_clock`` does from the mapped objects)."""
    return {
        key: (reading.deadline, reading.suspended_days)
        for key, reading in clock_as_of(rows, today, keys).items()
    }


def clock_as_of(rows: Rows, day: date, keys: Sequence[Any]) -> dict[Any, ClockReading]:
    """The clock of these dossiers as it read on ``day``: from the events up to that day,
    the pending items raised by then (open if resolved later). Dossiers filed later, or
    without a term rule, are left out."""
    rules: dict[Any, list[SimpleNamespace]] = {}
    workflows: dict[Any, Workflow] = {}
    found: dict[Any, ClockReading] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = list(keys[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        events: dict[Any, list[SimpleNamespace]] = {}
        for dossier_id, kind, to_state, effective_on in rows(
            "SELECT dossier_id, kind, to_state, effective_on FROM dossier_events"
            f" WHERE dossier_id IN ({marks}) AND effective_on <= ? ORDER BY effective_on, seq",
            [*chunk, day],
        ):
            events.setdefault(dossier_id, []).append(
                SimpleNamespace(
                    kind=kind,
                    to_state=to_state,
                    effective_on=_as_date(effective_on),
                    deleted_at=None,
                )
            )
        flags: dict[Any, list[SimpleNamespace]] = {}
        for dossier_id, number, suspends, raised_on, resolved_on in rows(
            "SELECT dossier_id, number, suspends, raised_on, resolved_on FROM flags"
            f" WHERE dossier_id IN ({marks}) AND deleted_at IS NULL AND raised_on <= ?"
            " ORDER BY raised_on",
            [*chunk, day],
        ):
            resolved = _as_date(resolved_on)
            flags.setdefault(dossier_id, []).append(
                SimpleNamespace(
                    number=number,
                    suspends=bool(suspends),
                    raised_on=_as_date(raised_on),
                    resolved_on=resolved if resolved is not None and resolved <= day else None,
                    deleted_at=None,
                )
            )
        for dossier_id, type_id, code, filed_on, quota_on, province, patron_day in rows(
            "SELECT d.id, d.procedure_type_id, t.code, d.filed_on, d.quota_assigned_on,"
            " o.province, o.patron_day FROM dossiers d"
            " JOIN procedure_types t ON t.id = d.procedure_type_id"
            " JOIN offices o ON o.id = d.protocol_office_id"
            f" WHERE d.id IN ({marks}) AND d.filed_on <= ?",
            [*chunk, day],
        ):
            if type_id not in rules:
                rules[type_id] = _rules(rows, type_id)
                workflows[type_id] = _workflow(rows, type_id, code)
            filed = _as_date(filed_on)
            assert filed is not None
            try:
                rule = clock_feed.pick_rule(rules[type_id], filed)
            except ValidationError:
                continue  # no term rule: no clock
            found[dossier_id] = clock_feed.reading(
                rule,
                filed,
                _as_date(quota_on),
                events.get(dossier_id, []),
                flags.get(dossier_id, []),
                workflows[type_id],
                _calendar(rows, province, patron_day),
                day,
            )
    return found


def _rules(rows: Rows, type_id: Any) -> list[SimpleNamespace]:
    found = []
    for row in rows(
        f"SELECT {_RULE_COLUMNS} FROM term_rules WHERE procedure_type_id = ?"
        " AND deleted_at IS NULL",
        [type_id],
    ):
        values = dict(zip([c.strip() for c in _RULE_COLUMNS.split(",")], row, strict=True))
        values["valid_from"] = _as_date(values["valid_from"])
        values["valid_to"] = _as_date(values["valid_to"])
        values["saturday_working"] = bool(values["saturday_working"])
        found.append(SimpleNamespace(**values, deleted_at=None))
    return found


def _workflow(rows: Rows, type_id: Any, code: str) -> Workflow:
    states = rows(
        "SELECT code, label, holder, clock, is_final FROM workflow_states"
        " WHERE procedure_type_id = ? AND deleted_at IS NULL ORDER BY position",
        [type_id],
    )
    return build_workflow(code, [tuple(state) for state in states], [])


def _calendar(rows: Rows, province: str, patron_day: str | None) -> HolidayCalendar:
    def saved() -> str | None:
        found = rows(
            'SELECT value FROM settings WHERE "key" = ?', [clock_feed.holiday_setting(province)]
        )
        return found[0][0] if found else None

    return clock_feed.office_calendar(province, patron_day, saved)
