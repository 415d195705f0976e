"""Who may run the statistics, which dossiers they cover, and the timing report itself."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from models.dossiers import Dossier
from models.enums import Role
from models.errors import NotFound, PermissionDenied
from models.offices import Office, Staff
from models.parere_target import read_parere_target
from models.procedures import ProcedureType
from models.services.queries import visibility
from models.services.tavolo.effect import effect
from models.uow import UnitOfWork
from reports.stats import Period
from reports.stats_report import TimingReport
from reports.stats_sql import StatsSource, aggregate_report

ALLOWED_ROLES = (Role.HEAD, Role.ADMIN)


def require_statistics(actor: Staff) -> None:
    if actor.staff_role not in ALLOWED_ROLES:
        raise PermissionDenied(
            f"{actor.username} ({actor.role}) non può produrre statistiche: "
            "riservate ai responsabili d'ufficio e agli amministratori"
        )


def parere_target(session: Session) -> int:
    return read_parere_target(session)


def visible_conditions(
    session: Session, actor: Staff, period: Period, type_code: str | None, office: str | None
) -> list[ColumnElement[bool]]:
    """Dossiers this user may see, filed by the period's end, of the type and office asked."""
    return [
        *visibility(actor),
        Dossier.filed_on <= period.end,
        *filter_conditions(session, type_code, office),
    ]


def filter_conditions(
    session: Session, type_code: str | None, office: str | None
) -> list[ColumnElement[bool]]:
    """The dossiers of the type and registering office asked (none asked: no condition)."""
    conditions: list[ColumnElement[bool]] = []
    if type_code is not None:
        type_id = session.scalar(select(ProcedureType.id).where(ProcedureType.code == type_code))
        if type_id is None:
            raise NotFound(f"tipo di procedimento «{type_code}» sconosciuto")
        conditions.append(Dossier.procedure_type_id == type_id)
    if office is not None:
        office_id = session.scalar(select(Office.id).where(Office.code == office))
        if office_id is None:
            raise NotFound(f"ufficio «{office}» sconosciuto")
        conditions.append(Dossier.protocol_office_id == office_id)
    return conditions


def dossier_conditions(
    session: Session, actor: Staff, period: Period, type_code: str | None, office: str | None
) -> list[ColumnElement[bool]]:
    """Visible dossiers that matter to the period or the previous one."""
    since = period.previous().start
    return [
        *visible_conditions(session, actor, period, type_code, office),
        or_(Dossier.closed_on.is_(None), Dossier.closed_on >= since),
    ]


def timing_report(
    uow: UnitOfWork,
    period: Period,
    type_code: str | None = None,
    office: str | None = None,
    group_by: str | None = None,
) -> TimingReport:
    """The report, aggregated in the database."""
    require_statistics(uow.actor)
    session = uow.session
    source = StatsSource(
        # Core, not ORM, execution: the ORM's row handling costs more than the query.
        session.connection(),
        visible_conditions(session, uow.actor, period, type_code, office),
        period.previous().start,
        parere_target(session),
    )
    filters = {"type": type_code, "office": office}
    report = aggregate_report(source, period, group_by, filters, uow.today)
    scope = filter_conditions(session, type_code, office)
    return replace(report, tavolo=effect(uow, period.start, period.end, scope))
