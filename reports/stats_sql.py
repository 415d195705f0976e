"""The timing report aggregated in the database, without a row per dossier in Python.

Counts come from per-day aggregates (dossiers filed, closed, still open per day: a few
thousand rows) and pareri from the count of each (requested, given) pair of dates; any
period's figures are sums over those. Percentiles come from ``percentile_cont`` on
PostgreSQL; SQLite has none, so there the values to cut (small integers, one row per
closed dossier off the narrow ``ix_dossiers_stats`` index) are fetched through the
driver and cut with the same interpolation. The stored ``held_*_days`` columns stand in
for the history. ``tests.stats_records`` computes the same report from per-dossier
records: the tests hold the two to the same figures.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    extract,
    false,
    func,
    not_,
    or_,
    select,
    type_coerce,
)

from models.dossiers import Dossier, Parere, format_protocol
from models.ids import provisional_reference
from models.offices import Office
from models.procedures import ProcedureType
from reports.stats import (
    AGE_BUCKETS,
    EMPTY_SUMMARY,
    PARTIES,
    Counts,
    Figures,
    ParereFigures,
    Period,
    Summary,
    age_bucket,
    assemble,
    month_period,
    month_starts,
    summarise_counts,
    summary_of,
)
from reports.stats_report import OLDEST_OPEN, MonthRow, OpenDossier, TimingReport

Condition = ColumnElement[bool]
Key = tuple[Any, ...]
Summaries = dict[Key, dict[str, Summary]]
# SQLite hints (text found in the statement → its replacement). A CROSS JOIN keeps the
# written order: its left table is read first.
ON_STATS_INDEX = ("FROM dossiers", "FROM dossiers INDEXED BY ix_dossiers_stats")
PARERI_THEN_DOSSIERS = (
    "FROM pareri JOIN dossiers ON",
    "FROM pareri CROSS JOIN dossiers INDEXED BY ix_dossiers_stats_by_id ON",
)
DOSSIERS_THEN_PARERI = (
    "FROM dossiers JOIN pareri ON",
    "FROM dossiers INDEXED BY ix_dossiers_stats_by_id CROSS JOIN pareri ON",
)
PARERI_ALONE = ("FROM pareri", "FROM pareri INDEXED BY ix_pareri_stats")

HELD: dict[str, ColumnElement[Any]] = {
    "sui": Dossier.held_sui_days.expression,
    "questura": Dossier.held_questura_days.expression,
    "applicant": Dossier.held_applicant_days.expression,
}
assert tuple(HELD) == PARTIES
TURNAROUND = ("gross", "net", *PARTIES)
_SQLITE_CACHE_KIB = 131_072  # the statistics' index pages stay in memory between queries


@dataclass(frozen=True)
class Scope:
    """A period to count. ``relevant_only``: only dossiers open at some time in it count
    for the pareri, as in the report's monthly groups (the other figures need no such
    narrowing: a dossier filed, closed or open in the period is always relevant)."""

    period: Period
    relevant_only: bool = False

    def relevant(self, filed_on: date, closed_on: date | None) -> bool:
        if not self.relevant_only:
            return True
        return filed_on <= self.period.end and (closed_on is None or closed_on >= self.period.start)


@dataclass(frozen=True)
class Summarised:
    """One grouping of a ``summaries`` request: key columns (by name) and values."""

    keys: tuple[str, ...]
    values: tuple[str, ...]


@dataclass(frozen=True)
class StatsSource:
    """Where the figures come from: the dossiers the user may see, filed by the period's
    end (``visible``), that were open on ``since`` (the previous period's start) or later.
    """

    connection: Connection
    visible: Sequence[Condition]
    since: date
    parere_target: int

    @property
    def postgresql(self) -> bool:
        return self.connection.dialect.name == "postgresql"

    @property
    def dossiers(self) -> list[Condition]:
        return [
            *self.visible,
            or_(Dossier.closed_on.is_(None), Dossier.closed_on >= self.since),
        ]

    @property
    def parts(self) -> tuple[list[Condition], list[Condition]]:
        """The same dossiers as two disjoint ranges of the index, open and closed: SQLite
        reads an OR of both ranges several times slower than the two."""
        return (
            [*self.visible, Dossier.closed_on.is_(None)],
            [*self.visible, Dossier.closed_on >= self.since],
        )

    def days(self, later: Any, earlier: Any) -> ColumnElement[int]:
        """Calendar days from ``earlier`` to ``later``."""
        if self.postgresql:
            return type_coerce(later - earlier, Integer)
        return cast(func.julianday(later) - func.julianday(earlier), Integer)

    def month_number(self, day: Any) -> ColumnElement[int]:
        """Months since year 0 (year × 12 + month − 1): a small number once offset."""
        year: ColumnElement[Any]
        month: ColumnElement[Any]
        if self.postgresql:
            year, month = extract("year", day), extract("month", day)
        else:  # SQLite keeps dates as ISO text: substr is several times cheaper than strftime
            year, month = func.substr(day, 1, 4), func.substr(day, 6, 2)
        return cast(year, Integer) * 12 + cast(month, Integer) - 1

    def fetch(
        self, query: Select[*tuple[Any, ...]], hint: tuple[str, str] = ON_STATS_INDEX
    ) -> list[tuple[Any, ...]]:
        """Rows as plain tuples. On SQLite through the driver (no Row objects; dates stay
        ISO text), with the index and join order of ``hint``: without statistics tables
        the planner picks ``ix_dossiers_filed_on_id`` and reads every table row."""
        if self.postgresql:
            return [tuple(row) for row in self.connection.execute(query)]
        compiled = query.compile(
            dialect=self.connection.dialect, compile_kwargs={"literal_binds": True}
        )
        sql = _sqlite_indexed(str(compiled), hint)
        cursor = self.connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            return list(cursor.execute(sql).fetchall())
        finally:
            cursor.close()

    def summaries(
        self,
        where: Sequence[Condition],
        keys: Mapping[str, ColumnElement[Any]],
        values: Mapping[str, ColumnElement[Any]],
        wanted: Sequence[Summarised],
    ) -> list[Summaries]:
        """n, median, 90th percentile and mean of values (NULLs left out), per grouping."""
        if self.postgresql:
            return [self._database_summaries(where, keys, values, w) for w in wanted]
        return self._fetched_summaries(where, keys, values, wanted)

    def _database_summaries(
        self,
        where: Sequence[Condition],
        keys: Mapping[str, ColumnElement[Any]],
        values: Mapping[str, ColumnElement[Any]],
        wanted: Summarised,
    ) -> Summaries:
        group = [keys[name] for name in wanted.keys]
        columns: list[ColumnElement[Any]] = []
        for name in wanted.values:
            value = values[name]
            columns += [
                func.count(value),
                type_coerce(func.percentile_cont(0.5).within_group(value), Float),
                type_coerce(func.percentile_cont(0.9).within_group(value), Float),
                func.sum(value),
            ]
        query = select(*group, *columns).where(*where)
        if group:
            query = query.group_by(*group)
        width, result = len(group), {}
        for row in self.connection.execute(query):
            figures = row[width:]
            result[tuple(row[:width])] = {
                name: summary_of(*figures[4 * index : 4 * index + 4])
                for index, name in enumerate(wanted.values)
            }
        return result

    def _fetched_summaries(
        self,
        where: Sequence[Condition],
        keys: Mapping[str, ColumnElement[Any]],
        values: Mapping[str, ColumnElement[Any]],
        wanted: Sequence[Summarised],
    ) -> list[Summaries]:
        rows = self.fetch(select(*keys.values(), *values.values()).where(*where))
        names = [*keys, *values]
        results: list[Summaries] = [{} for _ in wanted]
        for value in values:
            users = [(g, results[i]) for i, g in enumerate(wanted) if value in g.values]
            if users:
                _count_value(rows, names, value, users)
        return results


def _count_value(
    rows: list[tuple[Any, ...]],
    names: list[str],
    value: str,
    users: Sequence[tuple[Summarised, Summaries]],
) -> None:
    """One value's summaries for every grouping that wants it, from one ``Counter`` pass
    over (keys…, value) with ``itemgetter``, all in C: the values are small integers, so
    a few thousand distinct tuples stand for hundreds of thousands of rows. Each
    grouping's histograms are then sums over those tuples."""
    keys = list(dict.fromkeys(name for grouping, _ in users for name in grouping.keys))
    counted = Counter(map(itemgetter(*(names.index(k) for k in keys), names.index(value)), rows))
    for grouping, result in users:
        positions = [keys.index(name) for name in grouping.keys]
        histograms: dict[Key, Counter[int]] = defaultdict(Counter)
        for picked, n in counted.items():
            # itemgetter of one position gives the item itself, of several a tuple.
            items = picked if keys else (picked,)
            histogram = histograms[tuple(items[p] for p in positions)]
            if items[-1] is not None:
                histogram[items[-1]] += n
        for key, histogram in histograms.items():
            result.setdefault(key, {})[value] = summarise_counts(histogram)


def _sqlite_indexed(sql: str, hint: tuple[str, str]) -> str:
    old, new = hint
    if sql.count(old) != 1:
        raise RuntimeError(f"statistiche: interrogazione inattesa ({sql[:80]}…)")
    return sql.replace(old, new)


def as_date(value: date | str) -> date:
    """A date read through the driver: SQLite gives ISO text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


@contextmanager
def tuned(connection: Connection) -> Iterator[None]:
    """A bigger SQLite page cache for the report's few passes over the index, then back."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous or -2000)}")


def in_period(column: Any, period: Period) -> Condition:
    return and_(column >= period.start, column <= period.end)


# ---------------------------------------------------------------------------------------
# Counts: sums over per-day aggregates.


@dataclass
class DayCounts:
    """One group's dossiers per day: filed (and still open at each scope's end), closed."""

    filed: dict[date, list[int]] = field(default_factory=dict)  # [filed, open at end…]
    closed: dict[date, tuple[int, int, int]] = field(default_factory=dict)  # n, timed, within

    def counts(self, index: int, period: Period) -> Counts:
        filed = open_ = 0
        ages = {label: 0 for label, _, _ in AGE_BUCKETS}
        for day, numbers in self.filed.items():
            if period.start <= day <= period.end:
                filed += numbers[0]
            if day <= period.end and numbers[1 + index]:
                open_ += numbers[1 + index]
                ages[age_bucket((period.end - day).days)] += numbers[1 + index]
        closed = timed = within = 0
        for day, (n, with_deadline, on_time) in self.closed.items():
            if period.start <= day <= period.end:
                closed, timed, within = closed + n, timed + with_deadline, within + on_time
        return Counts(filed, closed, open_, timed, within, ages)


def _day_counts(
    source: StatsSource, scopes: Sequence[Scope], group: ColumnElement[Any] | None
) -> dict[Key, DayCounts]:
    keys = [group] if group is not None else []
    width = len(keys)
    result: dict[Key, DayCounts] = defaultdict(DayCounts)
    if group is None:
        result[()] = DayCounts()  # figures, if only zeros, even over no dossiers
    still_open = [
        func.count().filter(or_(Dossier.closed_on.is_(None), Dossier.closed_on > s.period.end))
        for s in scopes
    ]
    for part in source.parts:
        filed = select(*keys, Dossier.filed_on, func.count(), *still_open).where(*part)
        for row in source.fetch(filed.group_by(*keys, Dossier.filed_on)):
            numbers = result[row[:width]].filed.setdefault(
                as_date(row[width]), [0] * (1 + len(scopes))
            )
            for index, n in enumerate(row[width + 1 :]):
                numbers[index] += n
    closed = select(
        *keys,
        Dossier.closed_on,
        func.count(),
        func.count(Dossier.deadline),
        func.count().filter(Dossier.closed_on <= Dossier.deadline),
    ).where(*source.parts[1])
    for row in source.fetch(closed.group_by(*keys, Dossier.closed_on)):
        n, timed, within = row[width + 1 :]
        result[row[:width]].closed[as_date(row[width])] = (n, timed, within)
    return result


# ---------------------------------------------------------------------------------------
# Pareri: sums over the count of each pair of dates.


def _pareri(
    source: StatsSource, scopes: Sequence[Scope], group: ColumnElement[Any] | None
) -> dict[Key, list[ParereFigures]]:
    if group is None and not any(s.relevant_only for s in scopes):
        pairs = {(): _pairs_by_difference(source)}
    else:
        pairs = _pairs_joined(source, scopes, group)
    return {
        key: [_parere_figures(rows, scope, source.parere_target) for scope in scopes]
        for key, rows in pairs.items()
    }


def _pairs_by_difference(source: StatsSource) -> list[tuple[Any, ...]]:
    """(requested, given, n) of the report's pareri: all pareri, counted off their own
    index, less those of the dossiers outside the report (usually few). Much cheaper than
    looking up the dossier of each parere."""
    pair = (Parere.requested_on, Parere.given_on)
    everything = select(*pair, func.count()).where(Parere.deleted_at.is_(None)).group_by(*pair)
    # coalesce: the complement stays exact even if a condition were NULL.
    outside = not_(func.coalesce(and_(*source.dossiers), false()))
    excluded = (
        select(*pair, func.count())
        .select_from(Dossier)
        .join(Parere, Parere.dossier_id == Dossier.id)
        .where(Parere.deleted_at.is_(None), outside)
        .group_by(*pair)
    )
    counts: Counter[tuple[Any, Any]] = Counter()
    for requested_on, given_on, n in source.fetch(everything, PARERI_ALONE):
        counts[requested_on, given_on] += n
    for requested_on, given_on, n in source.fetch(excluded, DOSSIERS_THEN_PARERI):
        counts[requested_on, given_on] -= n
    return [
        (as_date(requested_on), None if given_on is None else as_date(given_on), n)
        for (requested_on, given_on), n in counts.items()
        if n
    ]


def _pairs_joined(
    source: StatsSource, scopes: Sequence[Scope], group: ColumnElement[Any] | None
) -> dict[Key, list[tuple[Any, ...]]]:
    """The same per group, and with the dossier's dates when a scope needs them."""
    keys = [group] if group is not None else []
    relevance = (
        [Dossier.filed_on, Dossier.closed_on] if any(s.relevant_only for s in scopes) else []
    )
    columns = [*keys, Parere.requested_on, Parere.given_on, *relevance]
    query = (
        select(*columns, func.count())
        .select_from(Parere)
        .join(Dossier, Dossier.id == Parere.dossier_id)
        .where(Parere.deleted_at.is_(None), *source.dossiers)
        .group_by(*columns)
    )
    pairs: dict[Key, list[tuple[Any, ...]]] = defaultdict(list)
    width = len(keys)
    for row in source.fetch(query, PARERI_THEN_DOSSIERS):
        dates = tuple(None if value is None else as_date(value) for value in row[width:-1])
        pairs[row[:width]].append((*dates, row[-1]))
    return pairs


def _parere_figures(rows: Sequence[tuple[Any, ...]], scope: Scope, target: int) -> ParereFigures:
    period = scope.period
    requested = given = late = pending = 0
    answer_days: Counter[int] = Counter()
    for requested_on, given_on, *dossier, n in rows:
        if dossier and not scope.relevant(dossier[0], dossier[1]):
            continue
        if period.start <= requested_on <= period.end:
            requested += n
        if given_on is not None and period.start <= given_on <= period.end:
            days = (given_on - requested_on).days
            given += n
            late += n if days > target else 0
            answer_days[days] += n
        waiting = given_on is None or given_on > period.end
        if waiting and (period.end - requested_on).days > target:
            pending += n
    return ParereFigures(requested, given, summarise_counts(answer_days), late, pending, target)


def _no_pareri(target: int) -> ParereFigures:
    return ParereFigures(0, 0, EMPTY_SUMMARY, 0, 0, target)


# ---------------------------------------------------------------------------------------
# The report.


@dataclass(frozen=True)
class Names:
    """Procedure types and offices by number: a small integer per row is cheaper to read
    and count than an id."""

    types: list[tuple[Any, str]]  # (id, code)
    offices: list[tuple[Any, str]]

    def key(self, by: str) -> ColumnElement[int]:
        column, ids = (
            (Dossier.procedure_type_id, self.types)
            if by == "type"
            else (Dossier.protocol_office_id, self.offices)
        )
        return case(*((column == key, index) for index, (key, _) in enumerate(ids)), else_=-1)

    def code(self, by: str, index: int) -> str:
        return (self.types if by == "type" else self.offices)[index][1]


def _names(source: StatsSource) -> Names:
    def read(model: type[Office] | type[ProcedureType]) -> list[tuple[Any, str]]:
        rows = source.connection.execute(select(model.id, model.code).order_by(model.code))
        return [(key, code) for key, code in rows]

    return Names(read(ProcedureType), read(Office))


def figures(
    source: StatsSource,
    scopes: Sequence[Scope],
    closed: Summaries,
    group: ColumnElement[Any] | None = None,
    counts: Mapping[Key, DayCounts] | None = None,
) -> dict[Key, list[Figures]]:
    """Each group's figures for each scope; ``closed``: summaries keyed (group…, scope)."""
    if counts is None:
        counts = _day_counts(source, scopes, group)
    pareri = _pareri(source, scopes, group)
    no_pareri = [_no_pareri(source.parere_target)] * len(scopes)
    return {
        key: [
            _figures(
                scope.period,
                days.counts(index, scope.period),
                closed.get((*key, index), {}),
                pareri.get(key, no_pareri)[index],
            )
            for index, scope in enumerate(scopes)
        ]
        for key, days in counts.items()
    }


def _figures(
    period: Period, counts: Counts, closed: dict[str, Summary], pareri: ParereFigures
) -> Figures:
    def summary(name: str) -> Summary:
        return closed.get(name, EMPTY_SUMMARY)

    by_holder = {party: summary(party).median for party in PARTIES}
    return assemble(period, counts, summary("gross"), summary("net"), by_holder, pareri)


@dataclass(frozen=True)
class ClosedSummaries:
    """Every percentile the report needs, from one pass over the dossiers closed in the
    period and one over those closed in the previous one."""

    periods: Summaries  # (scope,): current 0, previous 1
    months: Summaries  # (month index,)
    by_type: Summaries  # (type number, 0)
    groups: Summaries  # (group…, 0) for --by type|office, (month index,) for month


def _closed_summaries(
    source: StatsSource, period: Period, by: str | None, names: Names
) -> ClosedSummaries:
    gross = source.days(Dossier.closed_on, Dossier.filed_on)
    turnaround = {"gross": gross, "net": gross - Dossier.suspended_days, **HELD}
    term = source.days(Dossier.deadline, Dossier.filed_on) - Dossier.suspended_days
    keys = {
        "month": source.month_number(Dossier.closed_on),
        "type": names.key("type"),
        **({"office": names.key("office")} if by == "office" else {}),
    }
    wanted = [
        Summarised((), (*TURNAROUND, "term")),
        Summarised(("month",), TURNAROUND if by == "month" else ("gross",)),
        Summarised(("type",), TURNAROUND if by == "type" else PARTIES),
        *([Summarised(("office",), TURNAROUND)] if by == "office" else []),
    ]
    current, months_found, by_type, *by_office = source.summaries(
        [*source.visible, in_period(Dossier.closed_on, period)],
        keys,
        {**turnaround, "term": case((Dossier.deadline.is_not(None), term), else_=None)},
        wanted,
    )
    # The previous period needs no keys: fewer columns to read for its rows.
    (previous,) = source.summaries(
        [*source.visible, in_period(Dossier.closed_on, period.previous())],
        {},
        turnaround,
        [Summarised((), TURNAROUND)],
    )
    index = {start.year * 12 + start.month - 1: i for i, start in enumerate(month_starts(period))}
    by_month = {(index[m],): s for (m,), s in months_found.items() if m in index}
    groups: Summaries = {}
    if by == "month":
        groups = by_month
    elif by is not None:
        groups = _in_scope(by_type if by == "type" else by_office[0])
    return ClosedSummaries(
        {(0,): current.get((), {}), (1,): previous.get((), {})},
        by_month,
        _in_scope(by_type),
        groups,
    )


def _in_scope(summaries: Summaries) -> Summaries:
    """Keys (group,) as (group, 0): the current period's index in ``figures``."""
    return {(*key, 0): value for key, value in summaries.items()}


def _month_rows(period: Period, closed: Summaries, counts: DayCounts) -> list[MonthRow]:
    rows = []
    for index, start in enumerate(month_starts(period)):
        filed = counts.counts(0, month_period(start, period)).filed
        turnaround = closed.get((index,), {}).get("gross", EMPTY_SUMMARY)
        rows.append(MonthRow(start, filed, turnaround.n, turnaround))
    return rows


def _groups(
    source: StatsSource, period: Period, by: str | None, closed: Summaries, names: Names
) -> dict[str, Figures]:
    if by is None:
        return {}
    if by == "month":
        starts = month_starts(period)
        scopes = [Scope(month_period(start, period), relevant_only=True) for start in starts]
        months = figures(source, scopes, closed)[()]
        return {start.strftime("%Y-%m"): f for start, f in zip(starts, months, strict=True)}
    result = figures(source, [Scope(period)], closed, names.key(by))
    return dict(sorted((names.code(by, key[0]), per_scope[0]) for key, per_scope in result.items()))


def _holder_by_type(closed: Summaries, names: Names) -> dict[str, dict[str, float | None]]:
    held = {
        names.code("type", type_id): {party: parts[party].median for party in PARTIES}
        for (type_id, _), parts in closed.items()
    }
    return dict(sorted(held.items()))


def _oldest_open(source: StatsSource, end: date) -> list[OpenDossier]:
    """The twenty oldest open files, ordered by filing date and protocol as printed.

    SQL finds the filing date of the twentieth; the protocols of the files filed up to
    then are sorted here, as text, whatever the database's collation.
    """
    still_open = or_(Dossier.closed_on.is_(None), Dossier.closed_on > end)
    where = [*source.dossiers, still_open]
    cutoff = source.connection.scalar(
        select(Dossier.filed_on)
        .where(*where)
        .order_by(Dossier.filed_on)
        .offset(OLDEST_OPEN - 1)
        .limit(1)
    )
    if cutoff is not None:
        where.append(Dossier.filed_on <= cutoff)
    rows = source.connection.execute(
        select(
            cast(Dossier.id, String),
            Office.code,
            Dossier.protocol_year,
            Dossier.protocol_number,
            ProcedureType.code,
            Dossier.filed_on,
        )
        .join(Office, Office.id == Dossier.protocol_office_id)
        .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
        .where(*where)
    ).all()
    backlog = sorted(
        (filed_on, _protocol(key, office, year, number), type_code)
        for key, office, year, number, type_code, filed_on in rows
    )
    return [
        OpenDossier(protocol, type_code, filed_on, (end - filed_on).days)
        for filed_on, protocol, type_code in backlog[:OLDEST_OPEN]
    ]


def _protocol(key: str, office: str, year: int | None, number: int | None) -> str:
    if year is None or number is None:
        return provisional_reference(uuid.UUID(key))
    return format_protocol(office, year, number)


def aggregate_report(
    source: StatsSource,
    period: Period,
    group_by: str | None = None,
    filters: dict[str, str | None] | None = None,
    generated_on: date | None = None,
) -> TimingReport:
    with tuned(source.connection):
        names = _names(source)
        closed = _closed_summaries(source, period, group_by, names)
        scopes = [Scope(period), Scope(period.previous())]
        counts = _day_counts(source, scopes, None)
        current, previous = figures(source, scopes, closed.periods, counts=counts)[()]
        return TimingReport(
            current=current,
            previous=previous,
            months=_month_rows(period, closed.months, counts[()]),
            groups=_groups(source, period, group_by, closed.groups, names),
            group_by=group_by,
            holder_by_type=_holder_by_type(closed.by_type, names),
            legal_term_days=_legal_term(closed.periods),
            oldest_open=_oldest_open(source, period.end),
            filters=dict(filters or {}),
            generated_on=generated_on,
        )


def _legal_term(periods: Summaries) -> float | None:
    median = periods.get((0,), {}).get("term", EMPTY_SUMMARY).median
    return round(median, 1) if median is not None else None
