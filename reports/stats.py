"""Handling-time statistics: a pure function from per-dossier records to the figures.

Nothing here reads the database; ``reports.stats_query`` builds the records. The
definitions printed on every report are in ``DEFINITIONS`` so the text and the code
stay side by side.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.json_types import JsonObject, JsonValue
from models.parere_target import DEFAULT_DAYS

PARTIES = ("sui", "questura", "applicant")
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-180", 91, 180),
    (">180", 181, None),
)

DEFINITIONS: tuple[str, ...] = (
    "Depositate: pratiche con data di deposito nel periodo.",
    "Chiuse: pratiche giunte a uno stato finale nel periodo.",
    "Aperte (arretrato): pratiche depositate entro la fine del periodo e non chiuse a quella data.",
    "Tasso di smaltimento: chiuse ÷ depositate nel periodo.",
    "Durata lorda: data di chiusura − data di deposito, in giorni di calendario, per le "
    "pratiche chiuse nel periodo; durata netta: durata lorda − giorni di sospensione.",
    "Mediana, 90° percentile e media, con n. Percentili per interpolazione lineare tra le "
    "statistiche d'ordine (Python statistics.quantiles method=inclusive, PostgreSQL "
    "percentile_cont, Excel PERCENTILE.INC).",
    "Nei termini: pratiche chiuse entro la scadenza calcolata dal conteggio dei termini "
    "(sospensioni incluse), in percentuale delle chiuse.",
    "Tempo per detentore: giorni in cui la pratica è stata presso lo SUI, la Questura o il "
    "richiedente secondo la cronologia degli stati; mediana delle pratiche chiuse nel periodo.",
    "Età dell'arretrato: giorni dal deposito alla fine del periodo delle pratiche aperte.",
    "Pareri della Questura: richiesti e resi nel periodo; giorni mediani di risposta dei "
    "pareri resi; in ritardo: resi oltre l'obiettivo dell'installazione, oppure ancora "
    "attesi a fine periodo da più giorni dell'obiettivo.",
    "Confronto: periodo precedente di uguale durata, che termina il giorno prima dell'inizio.",
    "Tavolo di coordinamento: per le pratiche discusse in una riunione chiusa tenuta nel "
    "periodo, giorni dall'ultimo cambio di stato alla riunione e dalla riunione al cambio "
    "di stato successivo (mediane; le pratiche non ancora mosse sono contate a parte); "
    "azioni decise nelle riunioni del periodo, svolte entro la scadenza o in ritardo, "
    "aperte scadute o nei tempi alla data di oggi; pareri resi per mese con l'attesa "
    "mediana (resa − richiesta) accanto alle date delle riunioni tenute.",
    "Nessun dato personale: solo protocolli e tipi di procedimento.",
)


@dataclass(frozen=True)
class ParereRecord:
    requested_on: date
    given_on: date | None


@dataclass(frozen=True)
class DossierRecord:
    """What the statistics need of one dossier, and nothing personal."""

    protocol: str
    type_code: str
    office: str
    filed_on: date
    closed_on: date | None = None
    deadline: date | None = None
    suspended_days: int = 0
    # Days with each party (PARTIES) up to the closing date; only needed for closed files.
    held_days: dict[str, int] = field(default_factory=dict)
    pareri: tuple[ParereRecord, ...] = ()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("la fine del periodo precede l'inizio")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Summary:
    n: int
    median: float | None
    p90: float | None
    mean: float | None

    def as_json(self) -> JsonObject:
        return {"n": self.n, "median": self.median, "p90": self.p90, "mean": self.mean}


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between order statistics (percentile_cont, PERCENTILE.INC)."""
    if not values:
        raise ValueError("nessun valore")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(value: float) -> float:
    return round(value, 2)


def summarise(values: Sequence[float]) -> Summary:
    if not values:
        return Summary(0, None, None, None)
    return Summary(
        len(values),
        _round(percentile(values, 0.5)),
        _round(percentile(values, 0.9)),
        _round(statistics.fmean(values)),
    )


def summarise_counts(counts: Mapping[int, int]) -> Summary:
    """``summarise`` of a multiset given as value → how many times (same arithmetic)."""
    n = sum(counts.values())
    if n == 0:
        return Summary(0, None, None, None)
    ordered = sorted(counts.items())
    total = math.fsum(value * times for value, times in ordered)

    def at(index: int) -> float:
        for value, times in ordered:
            if index < times:
                return value
            index -= times
        raise IndexError(index)

    def cut(fraction: float) -> float:
        position = (n - 1) * fraction
        low = math.floor(position)
        low_value, high_value = at(low), at(min(low + 1, n - 1))
        return low_value + (high_value - low_value) * (position - low)

    return Summary(n, _round(cut(0.5)), _round(cut(0.9)), _round(total / n))


def summary_of(n: int, median: float | None, p90: float | None, total: float | None) -> Summary:
    """The same summary from figures computed elsewhere (the database): n, percentiles, sum."""
    if n == 0 or median is None or p90 is None or total is None:
        return Summary(0, None, None, None)
    return Summary(n, _round(float(median)), _round(float(p90)), _round(float(total) / n))


EMPTY_SUMMARY = Summary(0, None, None, None)


@dataclass(frozen=True)
class ParereFigures:
    requested: int
    given: int
    answer_days: Summary
    answered_late: int
    pending_overdue: int
    target_days: int

    def as_json(self) -> JsonObject:
        return {
            "requested": self.requested,
            "given": self.given,
            "median_days": self.answer_days.median,
            "answer_days": self.answer_days.as_json(),
            "answered_late": self.answered_late,
            "pending_overdue": self.pending_overdue,
            "overdue": self.answered_late + self.pending_overdue,
            "target_days": self.target_days,
        }


@dataclass(frozen=True)
class Figures:
    period: Period
    filed: int
    closed: int
    open: int
    clearance_rate: float | None
    turnaround: Summary
    net_turnaround: Summary
    within_term_pct: float | None
    by_holder: dict[str, float | None]
    backlog_age: dict[str, int]
    pareri: ParereFigures

    def as_json(self) -> JsonObject:
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "filed": self.filed,
            "closed": self.closed,
            "open": self.open,
            "clearance_rate": self.clearance_rate,
            "turnaround": self.turnaround.as_json(),
            "net_turnaround": self.net_turnaround.as_json(),
            "within_term_pct": self.within_term_pct,
            "by_holder": {holder: days for holder, days in self.by_holder.items()},
            "backlog_age": {band: count for band, count in self.backlog_age.items()},
            "pareri": self.pareri.as_json(),
        }


def age_bucket(days: int) -> str:
    for label, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return AGE_BUCKETS[0][0]  # filed after the period's end cannot happen for open files


def is_open_at(record: DossierRecord, day: date) -> bool:
    return record.filed_on <= day and (record.closed_on is None or record.closed_on > day)


def _pareri(records: Iterable[DossierRecord], period: Period, target: int) -> ParereFigures:
    requested = given = late = pending_overdue = 0
    answer_days: list[float] = []
    for record in records:
        for parere in record.pareri:
            if parere.requested_on in period:
                requested += 1
            if parere.given_on is not None and parere.given_on in period:
                given += 1
                days = (parere.given_on - parere.requested_on).days
                answer_days.append(days)
                late += days > target
            pending = parere.requested_on <= period.end and (
                parere.given_on is None or parere.given_on > period.end
            )
            if pending and (period.end - parere.requested_on).days > target:
                pending_overdue += 1
    return ParereFigures(requested, given, summarise(answer_days), late, pending_overdue, target)


def compute(
    records: Sequence[DossierRecord], period: Period, parere_target: int = DEFAULT_DAYS
) -> Figures:
    filed = sum(1 for r in records if r.filed_on in period)
    closed = [r for r in records if r.closed_on is not None and r.closed_on in period]
    backlog = [r for r in records if is_open_at(r, period.end)]
    gross = [float((r.closed_on - r.filed_on).days) for r in closed if r.closed_on]
    net = [float((r.closed_on - r.filed_on).days - r.suspended_days) for r in closed if r.closed_on]
    timed = [(r.closed_on, r.deadline) for r in closed if r.closed_on and r.deadline]
    within = sum(1 for closed_on, deadline in timed if closed_on <= deadline)
    ages = {label: 0 for label, _, _ in AGE_BUCKETS}
    for record in backlog:
        ages[age_bucket((period.end - record.filed_on).days)] += 1
    by_holder = {
        party: summarise([float(r.held_days.get(party, 0)) for r in closed]).median
        for party in PARTIES
    }
    return assemble(
        period,
        Counts(filed, len(closed), len(backlog), len(timed), within, ages),
        summarise(gross),
        summarise(net),
        by_holder,
        _pareri(records, period, parere_target),
    )


@dataclass(frozen=True)
class Counts:
    """The plain counts of one period's figures (``timed``: closed with a deadline)."""

    filed: int
    closed: int
    open: int
    timed: int
    within: int
    backlog_age: dict[str, int]


def assemble(
    period: Period,
    counts: Counts,
    turnaround: Summary,
    net_turnaround: Summary,
    by_holder: dict[str, float | None],
    pareri: ParereFigures,
) -> Figures:
    """The ratios and rounding of the figures, shared by every way of counting."""
    return Figures(
        period=period,
        filed=counts.filed,
        closed=counts.closed,
        open=counts.open,
        clearance_rate=_round(counts.closed / counts.filed) if counts.filed else None,
        turnaround=turnaround,
        net_turnaround=net_turnaround,
        within_term_pct=_round(100 * counts.within / counts.timed) if counts.timed else None,
        by_holder=by_holder,
        backlog_age=dict(counts.backlog_age),
        pareri=pareri,
    )


# Which direction is an improvement, for the comparison with the previous period.
HIGHER_IS_BETTER: dict[str, bool | None] = {
    "filed": None,
    "closed": True,
    "open": False,
    "clearance_rate": True,
    "turnaround.median": False,
    "turnaround.p90": False,
    "net_turnaround.median": False,
    "within_term_pct": True,
    "pareri.median_days": False,
    "pareri.overdue": False,
}


def key_value(figures: JsonObject, key: str) -> float | None:
    """A figure of ``Figures.as_json`` by its dotted key (``pareri.median_days``)."""
    value: JsonValue = figures
    for part in key.split("."):
        if not isinstance(value, dict):
            raise KeyError(key)
        value = value[part]
    if value is None:
        return None
    if not isinstance(value, int | float):
        raise TypeError(f"{key}: not a number")
    return float(value)


def trend(key: str, current: float | None, previous: float | None) -> str:
    """``migliore``, ``peggiore``, ``stabile`` or ``—`` (no judgement or no data)."""
    direction = HIGHER_IS_BETTER.get(key)
    if direction is None or current is None or previous is None:
        return "—"
    if math.isclose(current, previous):
        return "stabile"
    return "migliore" if (current > previous) == direction else "peggiore"


def month_starts(period: Period) -> list[date]:
    months = []
    day = period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def month_period(start: date, within: Period) -> Period:
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(max(start, within.start), min(end, within.end))


GROUPINGS: dict[str, Callable[[DossierRecord], str]] = {
    "type": lambda r: r.type_code,
    "office": lambda r: r.office,
}
