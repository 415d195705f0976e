"""The agenda's *overdue* and *at risk* rules, read the faster way (one pass for both
offices; the riskiest ids made UUIDs only as far as the agenda reads them, issue 15),
pick on a random demo office exactly what the earlier way picked: a query per office,
and the breach risk of every open dossier filtered and sorted whole."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from desktop.config import resolve
from desktop.demo import generate
from desktop.wiring import open_database
from models.dossiers import Dossier
from models.meetings import Reason
from models.procedures import ProcedureType
from models.services import forecast
from models.services.tavolo import candidates
from models.services.tavolo.candidates import OFFICES, Candidate
from models.services.tavolo.rules import OFFICE_SECTION, SECTIONS, Thresholds, thresholds

TODAY = date(2026, 11, 23)


def _open() -> list[ColumnElement[bool]]:
    return [Dossier.closed_on.is_(None), Dossier.deleted_at.is_(None)]


def _overdue_per_office(session: Session, on: date, limits: Thresholds) -> Iterator[Candidate]:
    """The earlier reading: one query per office."""
    for office in OFFICES:
        held_here = (Dossier.holder == office) | (
            Dossier.holder.not_in(OFFICES) & (ProcedureType.lead_office == office)
        )
        query = (
            select(Dossier.id, Dossier.deadline)
            .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
            .where(Dossier.deadline < on, held_here, *_open())
            .order_by(Dossier.deadline, Dossier.id)
            .limit(limits.per_reason)
        )
        for dossier_id, deadline in session.execute(query):
            yield Candidate(
                dossier_id,
                Reason.OVERDUE,
                f"{SECTIONS[Reason.OVERDUE]} — {OFFICE_SECTION[office]}",
                f"termine scaduto il {deadline:%d/%m/%Y}, da {(on - deadline).days} giorni",
            )


def _at_risk_from_every_risk(
    session: Session, on: date, limits: Thresholds, risks: dict[uuid.UUID, float | None], size: int
) -> Iterator[Candidate]:
    """The earlier reading: every open dossier's risk as a UUID-keyed map, filtered and
    sorted whole, then read a batch of ``size`` at a time."""
    likely = sorted(
        ((risk, key) for key, risk in risks.items() if risk is not None and risk >= limits.risk),
        key=lambda pair: (-pair[0], pair[1].int),
    )
    chosen: dict[str, list[tuple[float, date, uuid.UUID]]] = {office: [] for office in OFFICES}
    for start in range(0, len(likely), size):
        if all(len(found) >= limits.per_reason for found in chosen.values()):
            break
        batch = dict((key, risk) for risk, key in likely[start : start + size])
        rows = session.execute(
            select(Dossier.id, Dossier.holder, ProcedureType.lead_office, Dossier.deadline)
            .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
            .where(Dossier.id.in_(list(batch)), Dossier.deadline >= on, *_open())
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


def test_overdue_and_at_risk_pick_what_the_earlier_reading_picked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(resolve(home=str(tmp_path)), today=lambda: TODAY)
    assert generate(database, 600, 23) == 600
    picked = {"overdue": 0, "at_risk": 0}
    with database.unit_of_work("verdi") as uow:
        session = uow.session
        risks = forecast.breach_risks(uow)
        for size in (5, 500):  # several batches, and one
            monkeypatch.setattr(candidates, "AT_RISK_BATCH", size)
            for per_reason, risk in ((2, 0.3), (10, 0.5), (40, 0.2)):
                limits = replace(thresholds(session), per_reason=per_reason, risk=risk)
                for on in (TODAY, TODAY + timedelta(days=30)):
                    overdue = list(candidates.overdue(session, on, limits))
                    assert overdue == list(_overdue_per_office(session, on, limits))
                    at_risk = list(
                        candidates.at_risk(session, on, limits, forecast.riskiest(uow, risk))
                    )
                    expected = _at_risk_from_every_risk(session, on, limits, risks, size)
                    assert at_risk == list(expected)
                    picked["overdue"] += len(overdue)
                    picked["at_risk"] += len(at_risk)
        # The riskiest are those of the map at or above the threshold, riskiest first.
        likely = [(risk, key) for risk, key in forecast.riskiest(uow, 0.5)]
        assert sorted(likely, key=lambda pair: (-pair[0], pair[1].int)) == likely
        assert {key: risk for risk, key in likely} == {
            key: risk for key, risk in risks.items() if risk is not None and risk >= 0.5
        }
    database.engine.dispose()
    assert picked["overdue"] > 0 and picked["at_risk"] > 0  # both rules had something
