"""The whole timing report: figures for the period and the previous one, series, groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from models.json_types import JsonObject
from models.read.as_json import effect_json
from reports.stats import (
    DEFINITIONS,
    GROUPINGS,
    PARTIES,
    DossierRecord,
    Figures,
    Period,
    Summary,
    compute,
    is_open_at,
    month_period,
    month_starts,
    percentile,
    summarise,
)

if TYPE_CHECKING:
    from models.services.tavolo.effect import Effect

OLDEST_OPEN = 20


@dataclass(frozen=True)
class MonthRow:
    month: date
    filed: int
    closed: int
    turnaround: Summary


@dataclass(frozen=True)
class OpenDossier:
    protocol: str
    type_code: str
    filed_on: date
    age_days: int


@dataclass(frozen=True)
class TimingReport:
    current: Figures
    previous: Figures
    months: list[MonthRow]
    groups: dict[str, Figures]
    group_by: str | None
    holder_by_type: dict[str, dict[str, float | None]]
    legal_term_days: float | None
    oldest_open: list[OpenDossier]
    filters: dict[str, str | None] = field(default_factory=dict)
    generated_on: date | None = None
    # Did the tavolo di coordinamento help? (models.services.tavolo.effect), for the period.
    tavolo: Effect | None = None

    def as_json(self) -> JsonObject:
        data = self.current.as_json()
        data["previous"] = self.previous.as_json()
        data["filters"] = dict(self.filters)
        data["group_by"] = self.group_by
        data["groups"] = {key: value.as_json() for key, value in self.groups.items()}
        data["months"] = [
            {
                "month": row.month.strftime("%Y-%m"),
                "filed": row.filed,
                "closed": row.closed,
                "turnaround": row.turnaround.as_json(),
            }
            for row in self.months
        ]
        data["legal_term_days"] = self.legal_term_days
        data["oldest_open"] = [
            {"protocol": d.protocol, "type": d.type_code, "age_days": d.age_days}
            for d in self.oldest_open
        ]
        data["tavolo"] = effect_json(self.tavolo) if self.tavolo is not None else None
        data["definitions"] = list(DEFINITIONS)
        return data


def _months(records: Sequence[DossierRecord], period: Period) -> list[MonthRow]:
    filed: dict[date, int] = defaultdict(int)
    closed: dict[date, list[float]] = defaultdict(list)
    for record in records:
        if record.filed_on in period:
            filed[record.filed_on.replace(day=1)] += 1
        if record.closed_on is not None and record.closed_on in period:
            gross = float((record.closed_on - record.filed_on).days)
            closed[record.closed_on.replace(day=1)].append(gross)
    return [
        MonthRow(month, filed[month], len(closed[month]), summarise(closed[month]))
        for month in month_starts(period)
    ]


def _groups(
    records: Sequence[DossierRecord], period: Period, by: str | None, target: int
) -> dict[str, Figures]:
    if by is None:
        return {}
    if by == "month":
        result = {}
        for start in month_starts(period):
            month = month_period(start, period)
            relevant = [
                r
                for r in records
                if r.filed_on <= month.end and (r.closed_on is None or r.closed_on >= month.start)
            ]
            result[start.strftime("%Y-%m")] = compute(relevant, month, target)
        return result
    key = GROUPINGS[by]
    parts: dict[str, list[DossierRecord]] = defaultdict(list)
    for record in records:
        parts[key(record)].append(record)
    return {name: compute(parts[name], period, target) for name in sorted(parts)}


def _holder_by_type(
    records: Sequence[DossierRecord], period: Period
) -> dict[str, dict[str, float | None]]:
    held: dict[str, dict[str, list[float]]] = defaultdict(lambda: {p: [] for p in PARTIES})
    for record in records:
        if record.closed_on is not None and record.closed_on in period:
            for party in PARTIES:
                held[record.type_code][party].append(float(record.held_days.get(party, 0)))
    return {
        type_code: {party: summarise(values).median for party, values in parties.items()}
        for type_code, parties in sorted(held.items())
    }


def _legal_term(records: Sequence[DossierRecord], period: Period) -> float | None:
    """The median term in days of the files closed: one type's term when filtered to it."""
    terms = [
        float((r.deadline - r.filed_on).days - r.suspended_days)
        for r in records
        if r.closed_on is not None and r.closed_on in period and r.deadline is not None
    ]
    return round(percentile(terms, 0.5), 1) if terms else None


def _oldest_open(records: Sequence[DossierRecord], end: date) -> list[OpenDossier]:
    backlog = sorted(
        (r for r in records if is_open_at(r, end)), key=lambda r: (r.filed_on, r.protocol)
    )
    return [
        OpenDossier(r.protocol, r.type_code, r.filed_on, (end - r.filed_on).days)
        for r in backlog[:OLDEST_OPEN]
    ]


def build_report(
    records: Sequence[DossierRecord],
    period: Period,
    parere_target: int,
    group_by: str | None = None,
    filters: dict[str, str | None] | None = None,
    generated_on: date | None = None,
) -> TimingReport:
    return TimingReport(
        current=compute(records, period, parere_target),
        previous=compute(records, period.previous(), parere_target),
        months=_months(records, period),
        groups=_groups(records, period, group_by, parere_target),
        group_by=group_by,
        holder_by_type=_holder_by_type(records, period),
        legal_term_days=_legal_term(records, period),
        oldest_open=_oldest_open(records, period.end),
        filters=dict(filters or {}),
        generated_on=generated_on,
    )
