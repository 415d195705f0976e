"""The legal-term clock: a pure function of a dossier's rule and history.

Nothing here touches the database; the deadline is recomputed from the events every
time, so a changed rule or a corrected event date gives the right answer for old files.
The rules counted here are written out, with their sources, in docs/domain-rules.md:

- art. 2963 c.c.: the first day is not counted, days are calendar days, a term ending
  on a Sunday or a holiday moves to the next working day;
- art. 2 c. 7 L. 241/1990: a request for documents or information (a suspending state
  such as ``integrazione_richiesta``, or a suspending pending item) suspends the term
  once per dossier and for at most 30 days;
- art. 10-bis L. 241/1990: a preavviso di rigetto suspends the term until 10 days after
  the applicant's observations, or until the 10 days allowed for them run out (from
  17 Jul 2020); before, it interrupted the term, which then ran again in full;
- only a running term is suspended: days before the term starts (quota assignment) or
  after it has run out count for nothing.

Suspended days are added to the term. A suspension counts when it begins on or before
the deadline as it stands that day; suspensions that overlap or touch count once.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.calendar import HolidayCalendar
from models.enums import (
    INTEGRAZIONE_RICHIESTA,
    PREAVVISO_RIGETTO,
    ClockEffect,
    EventKind,
    Party,
    PreavvisoEffect,
    TermStart,
    TermUnit,
)

ART_2_C_7 = "art. 2 c. 7 L. 241/1990"
ART_10_BIS = "art. 10-bis L. 241/1990"


@dataclass(frozen=True)
class SuspensionRules:
    """How requests and a preavviso di rigetto act on the term (data of each term rule)."""

    max_days: int = 30  # art. 2 c. 7: at most 30 days...
    max_count: int = 1  # ...and once per dossier
    preavviso: PreavvisoEffect = PreavvisoEffect.SUSPENDS
    reply_days: int = 10  # days the applicant has for observations
    restart_days: int = 10  # after the observations, before the term runs again


@dataclass(frozen=True)
class TermSpec:
    term: int
    unit: TermUnit = TermUnit.DAYS
    start: TermStart = TermStart.FILING
    saturday_working: bool = True
    suspensions: SuspensionRules = SuspensionRules()


@dataclass(frozen=True)
class StateChange:
    """The dossier entered ``state`` on ``effective_on``."""

    effective_on: date
    state: str
    clock: ClockEffect
    holder: Party
    final: bool = False


@dataclass(frozen=True)
class Suspension:
    """A pending item that suspends the term from ``start`` until ``end`` (None: still open).

    ``label`` names it to a person (``#12``).
    """

    start: date
    end: date | None
    label: str = ""


@dataclass(frozen=True)
class Anomaly:
    """Something the clock did not count as the history asked, and why.

    ``on`` and ``ref`` tie it to an event: the state entered (its code) or the item
    (its label) on that day.
    """

    on: date | None
    ref: str
    text: str


@dataclass(frozen=True)
class ClockReading:
    term_start: date
    base_deadline: date  # term added, before suspensions and roll-forward
    deadline: date
    status: ClockEffect
    reference_date: date  # today, or the day the clock stopped
    days_left: int  # negative when overdue
    overdue: bool
    suspended_days: int
    held_days: dict[Party, int]
    closed_on: date | None
    findings: tuple[Anomaly, ...] = field(default=())

    @property
    def anomalies(self) -> tuple[str, ...]:
        return tuple(finding.text for finding in self.findings)


def add_months(day: date, months: int) -> date:
    """Calendar months; a day missing in the target month becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _term_end(start: date, spec: TermSpec, cal: HolidayCalendar) -> date:
    if spec.unit is TermUnit.MONTHS:
        return add_months(start, spec.term)
    if spec.unit is TermUnit.WORKING_DAYS:
        return cal.add_working_days(start, spec.term, spec.saturday_working)
    return start + timedelta(days=spec.term)


def _union(intervals: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


_ORDINALS = {2: "seconda", 3: "terza", 4: "quarta", 5: "quinta"}


@dataclass(frozen=True)
class _Request:
    """An art. 2 c. 7 request: a suspending state or pending item (end None: open)."""

    start: date
    end: date | None
    ref: str
    what: str


@dataclass(frozen=True)
class _Notice:
    """A preavviso di rigetto and the day the term runs again after it."""

    start: date
    restart: date


@dataclass
class _Term:
    """The term as the history is walked: its start and the suspensions it took."""

    spec: TermSpec
    cal: HolidayCalendar
    start: date
    taken: list[tuple[date, date, bool]] = field(default_factory=list)  # (from, to, open)
    breaks: list[tuple[date, date]] = field(default_factory=list)  # interruptions

    def end(self) -> date:
        return _term_end(self.start, self.spec, self.cal)

    def suspended_before(self, day: date) -> int:
        return sum(
            (min(end, day) - start).days
            for start, end in _union([(s, e) for s, e, _ in self.taken])
            if start < day
        )

    def deadline_on(self, day: date) -> date:
        """The deadline in force on ``day``, counting the suspensions begun before it."""
        raw = self.end() + timedelta(days=self.suspended_before(day))
        return self.cal.roll_forward(raw, self.spec.saturday_working)

    def is_open_on(self, day: date) -> bool:
        """Has the term not yet run out on ``day`` (or is it suspended that day)?"""
        if any(start <= day <= end for start, end, _ in self.taken):
            return True
        return day <= self.deadline_on(day)

    def restart_from(self, day: date) -> None:
        """Interruption: the term runs again in full from ``day``."""
        self.start = day
        self.taken = [(max(s, day), e, o) for s, e, o in self.taken if e > day]


def _requests(ordered: Sequence[StateChange], suspensions: Sequence[Suspension]) -> list[_Request]:
    found: list[_Request] = []
    for index, change in enumerate(ordered):
        if change.clock is not ClockEffect.SUSPENDED or change.state == PREAVVISO_RIGETTO:
            continue
        end = ordered[index + 1].effective_on if index + 1 < len(ordered) else None
        what = (
            "richiesta di integrazione"
            if change.state == INTEGRAZIONE_RICHIESTA
            else f"sospensione «{change.state}»"
        )
        found.append(
            _Request(
                change.effective_on, end, change.state, f"{what} del {_d(change.effective_on)}"
            )
        )
    for item in suspensions:
        name = f"segnalazione {item.label}" if item.label else "segnalazione sospensiva"
        found.append(_Request(item.start, item.end, item.label, f"{name} del {_d(item.start)}"))
    # Requests made the same day are one request, lasting until the later answer.
    by_day: dict[date, _Request] = {}
    for request in found:
        first = by_day.get(request.start)
        if first is None:
            by_day[request.start] = request
        elif first.end is not None and (request.end is None or request.end > first.end):
            by_day[request.start] = _Request(first.start, request.end, first.ref, first.what)
    return [by_day[day] for day in sorted(by_day)]


def _notices(
    ordered: Sequence[StateChange],
    observations: Sequence[date],
    rules: SuspensionRules,
    anomalies: list[Anomaly],
) -> list[_Notice]:
    """Each preavviso with the day the term runs again (art. 10-bis)."""
    starts = [
        c.effective_on
        for c in ordered
        if c.state == PREAVVISO_RIGETTO and c.clock is ClockEffect.SUSPENDED
    ]
    notices = []
    for index, notice in enumerate(starts):
        following = starts[index + 1] if index + 1 < len(starts) else None
        replies = sorted(
            day for day in observations if notice <= day and (following is None or day < following)
        )
        reply_by = notice + timedelta(days=rules.reply_days)
        restart = reply_by
        if replies and replies[0] <= reply_by:
            restart = replies[0] + timedelta(days=rules.restart_days)
        elif replies:
            anomalies.append(
                Anomaly(
                    replies[0],
                    PREAVVISO_RIGETTO,
                    f"osservazioni del {_d(replies[0])} giunte oltre i {rules.reply_days} "
                    f"giorni dal preavviso di rigetto del {_d(notice)}: il termine è "
                    f"ripreso il {_d(reply_by)} ({ART_10_BIS})",
                )
            )
        notices.append(_Notice(notice, restart))
    return notices


def _take_request(
    term: _Term,
    request: _Request,
    horizon: date,
    used: int,
    anomalies: list[Anomaly],
) -> bool:
    """Apply one art. 2 c. 7 request; returns whether it used up a suspension."""
    rules = term.spec.suspensions
    if request.start > horizon:
        return False
    end = min(request.end if request.end is not None else horizon, horizon)
    start = max(request.start, term.start)
    is_open = request.end is None
    if end < start or (end == start and not is_open):
        if request.start < term.start and request.end != request.start:
            anomalies.append(
                Anomaly(
                    request.start,
                    request.ref,
                    f"{request.what}: precedente alla decorrenza del termine "
                    f"({_d(term.start)}), non sospende nulla",
                )
            )
        return False
    if not term.is_open_on(start):
        anomalies.append(
            Anomaly(
                request.start,
                request.ref,
                f"{request.what}: successiva alla scadenza del {_d(term.deadline_on(start))}; "
                "il termine era già decorso e non si sospende",
            )
        )
        return False
    if used >= rules.max_count:
        ordinal = _ORDINALS.get(used + 1, f"{used + 1}ª")
        allowed = "l'unica ammessa" if rules.max_count == 1 else f"le {rules.max_count} ammesse"
        if rules.max_count == 0:
            allowed = "nessuna è ammessa"
        anomalies.append(
            Anomaly(
                request.start,
                request.ref,
                f"{request.what}: {ordinal} richiesta di sospensione, oltre {allowed} "
                f"({ART_2_C_7}); non sospende il termine",
            )
        )
        return False
    if request.start < term.start:
        anomalies.append(
            Anomaly(
                request.start,
                request.ref,
                f"{request.what}: i {(term.start - request.start).days} giorni precedenti la "
                f"decorrenza del termine ({_d(term.start)}) non contano",
            )
        )
    span = (end - start).days
    if span > rules.max_days:
        beyond = span - rules.max_days
        anomalies.append(
            Anomaly(
                request.start,
                request.ref,
                f"{request.what}: {'in corso da' if is_open else 'durata'} {span} giorni, "
                f"oltre il massimo di {rules.max_days} ({ART_2_C_7}); ne contano "
                f"{rules.max_days}, gli altri {beyond} corrono contro l'amministrazione",
            )
        )
        end, is_open = start + timedelta(days=rules.max_days), False
    term.taken.append((start, end, is_open))
    return True


def _take_notice(
    term: _Term, notice: _Notice, horizon: date, stopped: bool, anomalies: list[Anomaly]
) -> None:
    rules = term.spec.suspensions
    if notice.start > horizon:
        return
    interrupts = rules.preavviso is PreavvisoEffect.INTERRUPTS
    if notice.start < term.start and interrupts:
        return  # a term not yet running cannot be interrupted
    start = max(notice.start, term.start)
    if not term.is_open_on(start):
        anomalies.append(
            Anomaly(
                notice.start,
                PREAVVISO_RIGETTO,
                f"preavviso di rigetto del {_d(notice.start)}: successivo alla scadenza del "
                f"{_d(term.deadline_on(start))}; il termine era già decorso e non si sospende",
            )
        )
        return
    if interrupts:
        term.breaks.append((notice.start, notice.restart))
        term.restart_from(notice.restart)
        return
    # The end is known in advance (the observations can only move it later): not cut at today.
    end = min(notice.restart, horizon) if stopped else notice.restart
    if end > start:
        term.taken.append((start, end, False))


def compute_clock(
    spec: TermSpec,
    filed_on: date,
    changes: Sequence[StateChange],
    suspensions: Sequence[Suspension],
    cal: HolidayCalendar,
    today: date,
    quota_assigned_on: date | None = None,
    observations: Sequence[date] = (),
) -> ClockReading:
    """Deadline, days left, suspension and time per holder of one dossier.

    ``changes`` are the states entered, in order, the first one on the filing date;
    ``observations`` the days the applicant's observations on a preavviso arrived.
    """
    anomalies: list[Anomaly] = []
    term_start = filed_on
    if spec.start is TermStart.QUOTA_ASSIGNMENT:
        if quota_assigned_on is None:
            anomalies.append(
                Anomaly(None, "", "data di assegnazione della quota mancante: termine dal deposito")
            )
        else:
            term_start = quota_assigned_on

    ordered = sorted(changes, key=lambda c: c.effective_on)
    stopped_on = next((c.effective_on for c in ordered if c.clock is ClockEffect.STOPPED), None)
    closed_on = next((c.effective_on for c in ordered if c.final), None)
    clock_horizon = stopped_on if stopped_on is not None else today
    held_horizon = closed_on if closed_on is not None else today

    held: dict[Party, int] = {Party.SUI: 0, Party.QUESTURA: 0, Party.APPLICANT: 0}
    for index, change in enumerate(ordered):
        end = ordered[index + 1].effective_on if index + 1 < len(ordered) else today
        if change.holder in held:
            held[change.holder] += max((min(end, held_horizon) - change.effective_on).days, 0)

    term = _Term(spec, cal, term_start)
    notices = _notices(ordered, observations, spec.suspensions, anomalies)
    # One walk in date order; on the same day a preavviso comes before a request.
    steps: list[tuple[date, int, _Notice | _Request]] = [(n.start, 0, n) for n in notices]
    steps += [(r.start, 1, r) for r in _requests(ordered, suspensions)]
    used = 0
    for _day, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
        if isinstance(step, _Notice):
            _take_notice(term, step, clock_horizon, stopped_on is not None, anomalies)
        elif _take_request(term, step, clock_horizon, used, anomalies):
            used += 1

    periods = _union([(start, end) for start, end, _ in term.taken])
    suspended_days = sum((end - start).days for start, end in periods)
    base = term.end()
    deadline = cal.roll_forward(base + timedelta(days=suspended_days), spec.saturday_working)

    if stopped_on is not None:
        status = ClockEffect.STOPPED
    elif any(
        start <= today and (today < end or is_open) for start, end, is_open in term.taken
    ) or any(start <= today < end for start, end in term.breaks):
        status = ClockEffect.SUSPENDED
    else:
        status = ClockEffect.RUNS
    days_left = (deadline - clock_horizon).days
    return ClockReading(
        term_start=term.start,
        base_deadline=base,
        deadline=deadline,
        status=status,
        reference_date=clock_horizon,
        days_left=days_left,
        overdue=days_left < 0,
        suspended_days=suspended_days,
        held_days=held,
        closed_on=closed_on,
        findings=tuple(anomalies),
    )


def findings_on_event(
    findings: Sequence[Anomaly], kind: str, to_state: str | None, on: date, note: str
) -> list[str]:
    """The findings about one history event, to show beside it.

    A state entered is named by its code; a pending item by its label (``#12``), with
    which its event's note begins; observations by what the finding says of them.
    """
    found = []
    for finding in findings:
        if finding.on != on:
            continue
        if kind == EventKind.OBSERVATIONS.value:
            if "osservazioni" in finding.text:
                found.append(finding.text)
        elif to_state is not None and finding.ref == to_state:
            if "osservazioni" not in finding.text:
                found.append(finding.text)
        elif (
            kind == EventKind.FLAG_RAISED.value
            and finding.ref.startswith("#")
            and note.startswith(f"{finding.ref} ")
        ):
            found.append(finding.text)
    return found
