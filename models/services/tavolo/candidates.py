"""The dossiers each agenda rule brings to the table, oldest first, as of the meeting's day.

Each query reads what the caller's database shows: the whole office on the embedded
database, what the server's policies let the person see on a shared server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, aliased

from models.dossiers import Dossier, DossierEvent, Flag, Parere
from models.enums import FLAG_CATEGORIES, EventKind
from models.meetings import Reason
from models.procedures import ProcedureType, WorkflowState
from models.services.tavolo.rules import OFFICE_SECTION, SECTIONS, Thresholds

OFFICES = ("sui", "questura")
AT_RISK_BATCH = 500


@dataclass(frozen=True)
class Candidate:
    dossier_id: uuid.UUID
    reason: Reason
    section: str
    detail: str


def _days(since: date, on: date) -> int:
    return (on - since).days


def _open_dossiers() -> list[ColumnElement[bool]]:
    return [Dossier.closed_on.is_(None), Dossier.deleted_at.is_(None)]


def pareri_overdue(session: Session, on: date, limits: Thresholds) -> Iterator[Candidate]:
    """Pareri asked for and not given for longer than the installation's target."""
    cutoff = on - timedelta(days=limits.parere_days)
    query = (
        select(Parere.dossier_id, func.min(Parere.requested_on))
        .join(Dossier, Dossier.id == Parere.dossier_id)
        .where(
            Parere.given_on.is_(None),
            Parere.deleted_at.is_(None),
            Parere.requested_on <= cutoff,
            *_open_dossiers(),
        )
        .group_by(Parere.dossier_id)
        .order_by(func.min(Parere.requested_on), Parere.dossier_id)
        .limit(limits.per_reason)
    )
    for dossier_id, asked in session.execute(query):
        yield Candidate(
            dossier_id,
            Reason.PARERE_OVERDUE,
            SECTIONS[Reason.PARERE_OVERDUE],
            f"parere richiesto il {asked:%d/%m/%Y}, atteso da {_days(asked, on)} giorni "
            f"(obiettivo {limits.parere_days})",
        )


def flags_old(session: Session, on: date, limits: Thresholds) -> Iterator[Candidate]:
    """Pending items between the offices still open after N days."""
    cutoff = on - timedelta(days=limits.flag_age_days)
    query = (
        select(Flag.dossier_id, Flag.number, Flag.category, Flag.raised_on)
        .join(Dossier, Dossier.id == Flag.dossier_id)
        .where(
            Flag.resolved_on.is_(None),
            Flag.deleted_at.is_(None),
            Flag.raised_on <= cutoff,
            Dossier.deleted_at.is_(None),
        )
        .order_by(Flag.raised_on, Flag.number)
        .limit(limits.per_reason)
    )
    for dossier_id, number, category, raised in session.execute(query):
        label = FLAG_CATEGORIES.get(category, category)
        yield Candidate(
            dossier_id,
            Reason.FLAG_OLD,
            SECTIONS[Reason.FLAG_OLD],
            f"segnalazione #{number} ({label}) aperta dal {raised:%d/%m/%Y}, "
            f"da {_days(raised, on)} giorni",
        )


def bouncing(session: Session, on: date, limits: Thresholds) -> Iterator[Candidate]:
    """Open dossiers moved directly between the two offices ``bounces`` times or more."""
    before = aliased(WorkflowState)
    after = aliased(WorkflowState)
    passages = func.count(DossierEvent.id)
    query = (
        select(DossierEvent.dossier_id, passages)
        .join(Dossier, Dossier.id == DossierEvent.dossier_id)
        .join(
            before,
            and_(
                before.procedure_type_id == Dossier.procedure_type_id,
                before.code == DossierEvent.from_state,
                before.deleted_at.is_(None),
            ),
        )
        .join(
            after,
            and_(
                after.procedure_type_id == Dossier.procedure_type_id,
                after.code == DossierEvent.to_state,
                after.deleted_at.is_(None),
            ),
        )
        .where(
            DossierEvent.kind.in_((EventKind.TRANSITION.value, EventKind.PARERE_GIVEN.value)),
            DossierEvent.deleted_at.is_(None),
            DossierEvent.effective_on <= on,
            before.holder.in_(OFFICES),
            after.holder.in_(OFFICES),
            before.holder != after.holder,
            *_open_dossiers(),
        )
        .group_by(DossierEvent.dossier_id, Dossier.filed_on)
        .having(passages >= limits.bounces)
        .order_by(passages.desc(), Dossier.filed_on, DossierEvent.dossier_id)
        .limit(limits.per_reason)
    )
    for dossier_id, count in session.execute(query):
        yield Candidate(
            dossier_id,
            Reason.BOUNCING,
            SECTIONS[Reason.BOUNCING],
            f"passata {count} volte tra Sportello Unico e Questura",
        )


def overdue(session: Session, on: date, limits: Thresholds) -> Iterator[Candidate]:
    """Open dossiers past their legal term, oldest term first, per office holding them."""
    # One pass over the open dossiers for both offices, in term order until each has its
    # share; the applicant's turn counts for the office leading the procedure.
    chosen: dict[str, list[tuple[uuid.UUID, date | None]]] = {o: [] for o in OFFICES}
    result = session.execute(
        select(Dossier.id, Dossier.deadline, Dossier.holder, ProcedureType.lead_office)
        .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
        .where(Dossier.deadline < on, *_open_dossiers())
        .order_by(Dossier.deadline, Dossier.id)
    )
    try:
        for dossier_id, deadline, holder, lead in result:
            found = chosen.get(holder if holder in OFFICES else lead)
            if found is not None and len(found) < limits.per_reason:
                found.append((dossier_id, deadline))
                if all(len(here) >= limits.per_reason for here in chosen.values()):
                    break
    finally:
        result.close()
    for office in OFFICES:
        for dossier_id, deadline in chosen[office]:
            yield Candidate(
                dossier_id,
                Reason.OVERDUE,
                f"{SECTIONS[Reason.OVERDUE]} — {OFFICE_SECTION[office]}",
                f"termine scaduto il {deadline:%d/%m/%Y}, da {_days(deadline, on)} giorni"
                if deadline is not None
                else "",
            )


def at_risk(
    session: Session, on: date, limits: Thresholds, likely: Iterable[tuple[float, uuid.UUID]]
) -> Iterator[Candidate]:
    """Open dossiers within their term whose breach risk (``models.forecast``) reaches the
    threshold, riskiest first, per office holding them. ``likely``: (risk, id) of those
    reaching it, riskiest first, ties in id order (``forecast.riskiest``)."""
    chosen: dict[str, list[tuple[float, date, uuid.UUID]]] = {office: [] for office in OFFICES}
    remaining = iter(likely)
    # Riskiest first, a batch at a time, until each office has its share.
    while not all(len(found) >= limits.per_reason for found in chosen.values()):
        batch = {key: risk for risk, key in islice(remaining, AT_RISK_BATCH)}
        if not batch:
            break
        rows = session.execute(
            select(Dossier.id, Dossier.holder, ProcedureType.lead_office, Dossier.deadline)
            .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
            .where(Dossier.id.in_(list(batch)), Dossier.deadline >= on, *_open_dossiers())
        ).all()
        for key, holder, lead, deadline in rows:
            office = holder if holder in OFFICES else lead
            if office in chosen and deadline is not None:
                chosen[office].append((batch[key], deadline, key))
    for office in OFFICES:
        here = sorted(chosen[office], key=lambda row: (-row[0], row[1], str(row[2])))
        for risk, deadline, key in here[: limits.per_reason]:
            yield Candidate(
                key,
                Reason.AT_RISK,
                f"{SECTIONS[Reason.AT_RISK]} — {OFFICE_SECTION[office]}",
                f"rischio di superare il termine del {deadline:%d/%m/%Y}: {risk:.0%}",
            )


RULES = (pareri_overdue, flags_old, bouncing, overdue)


def candidates(
    session: Session, on: date, limits: Thresholds, likely: Iterable[tuple[float, uuid.UUID]]
) -> list[Candidate]:
    """Every dossier the rules bring, once, under the first rule that holds for it."""
    seen: set[uuid.UUID] = set()
    found = []
    found_by_rule = [rule(session, on, limits) for rule in RULES]
    found_by_rule.append(at_risk(session, on, limits, likely))
    for rule_found in found_by_rule:
        for candidate in rule_found:
            if candidate.dossier_id not in seen:
                seen.add(candidate.dossier_id)
                found.append(candidate)
    return found
