"""Administration: people, office letterheads, and the legal-term rules."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models.bounds import check_column, check_term, check_text
from models.deadlines import refresh_derived
from models.dossiers import Dossier
from models.enums import Role, TermStart, TermUnit
from models.errors import PermissionDenied, ValidationError
from models.offices import Office, Staff
from models.procedures import SUSPENSION_COLUMNS, TermRule
from models.services.changes import Changed, Changes
from models.services.lookup import get_office, get_type
from models.staff_rules import check_role_office, check_username, parse_role
from models.uow import UnitOfWork

OFFICE_FIELDS = (
    "name",
    "administration",
    "city",
    "address",
    "pec",
    "patron_day",
    "signatory",
    "responsabile",
)


def require_admin(uow: UnitOfWork, what: str) -> None:
    if uow.actor.staff_role is not Role.ADMIN:
        raise PermissionDenied(f"solo un amministratore può {what}")


def add_user(
    uow: UnitOfWork,
    username: str,
    office_code: str,
    role: str,
    restricted_access: bool,
    full_name: str = "",
) -> Changes:
    require_admin(uow, "aggiungere utenti")
    staff_role = parse_role(role)
    name = check_username(username)
    if uow.session.scalar(select(Staff).where(Staff.username == name)):
        raise ValidationError({"username": f"l'utente {name} esiste già"})
    office = get_office(uow.session, office_code)
    check_role_office(staff_role, office.kind, office.code)
    uow.session.add(
        Staff(
            username=name,
            full_name=check_column("full_name", "nome e cognome", full_name, Staff.full_name),
            office_id=office.id,
            role=staff_role.value,
            restricted_access=restricted_access,
        )
    )
    uow.session.flush()
    return Changes.of(Changed.STAFF)


def set_office(uow: UnitOfWork, code: str, values: dict[str, str]) -> Changes:
    require_admin(uow, "modificare gli uffici")
    office = get_office(uow.session, code)
    for name, value in values.items():
        if name not in OFFICE_FIELDS:
            raise ValidationError({name: f"campo sconosciuto; campi: {', '.join(OFFICE_FIELDS)}"})
        if name == "patron_day" and value:
            try:
                date.fromisoformat(f"2000-{value}")
            except ValueError:
                raise ValidationError({name: "santo patrono: formato MM-GG, es. 01-19"}) from None
        value = check_column(name, name, value, getattr(Office, name))
        setattr(office, name, value or (None if name == "patron_day" else ""))
    uow.session.flush()
    return Changes.of(Changed.OFFICES)


def add_rule(
    uow: UnitOfWork,
    type_code: str,
    valid_from: date,
    term: int,
    unit: str = "days",
    start: str = "filing",
    basis: str = "",
    note: str = "",
    saturday_working: bool = True,
) -> tuple[int, Changes]:
    """A new term from ``valid_from``; the rule before it ends the day before.

    Dossiers filed from that day on are recomputed at once; returns how many.
    """
    require_admin(uow, "modificare le regole sui termini")
    procedure = get_type(uow.session, type_code)
    errors = {}
    if (problem := check_term(term, unit)) is not None:
        errors["term"] = problem
    if unit not in {u.value for u in TermUnit}:
        errors["unit"] = f"unità «{unit}» sconosciuta: {', '.join(u.value for u in TermUnit)}"
    if start not in {s.value for s in TermStart}:
        errors["start"] = (
            f"decorrenza «{start}» sconosciuta: {', '.join(s.value for s in TermStart)}"
        )
    if errors:
        raise ValidationError(errors)
    basis = check_column("basis", "base normativa", basis, TermRule.basis)
    note = check_text("note", "nota", note)
    rules = list(
        uow.session.scalars(
            select(TermRule)
            .where(TermRule.procedure_type_id == procedure.id, TermRule.deleted_at.is_(None))
            .order_by(TermRule.valid_from)
        )
    )
    if any(r.valid_from == valid_from for r in rules):
        raise ValidationError({"valid_from": f"esiste già una regola dal {valid_from:%d/%m/%Y}"})
    earlier = [r for r in rules if r.valid_from < valid_from]
    later = [r for r in rules if r.valid_from > valid_from]
    if earlier:
        earlier[-1].valid_to = valid_from - timedelta(days=1)
    rule = TermRule(
        procedure_type_id=procedure.id,
        valid_from=valid_from,
        valid_to=later[0].valid_from - timedelta(days=1) if later else None,
        term=term,
        unit=unit,
        start=start,
        basis=basis,
        note=note,
        saturday_working=saturday_working,
    )
    if earlier:  # the suspension rules (art. 2 c. 7, art. 10-bis) carry over
        for column in SUSPENSION_COLUMNS:
            setattr(rule, column, getattr(earlier[-1], column))
    uow.session.add(rule)
    uow.session.flush()
    until = later[0].valid_from if later else None
    recomputed = recompute(uow, procedure.id, valid_from, until)
    return recomputed, Changes.of(Changed.RULES, Changed.DOSSIER)


RECOMPUTE_BATCH = 1000


def recompute(
    uow: UnitOfWork,
    procedure_type_id: object = None,
    filed_from: date | None = None,
    filed_before: date | None = None,
) -> int:
    """Recompute stored deadlines from the history (after a rule or calendar change).

    ``RECOMPUTE_BATCH`` dossiers at a time, each batch flushed: 200,000 dossiers never
    sit in memory together with their histories.
    """
    query = select(Dossier.id).order_by(Dossier.id)
    if procedure_type_id is not None:
        query = query.where(Dossier.procedure_type_id == procedure_type_id)
    if filed_from is not None:
        query = query.where(Dossier.filed_on >= filed_from)
    if filed_before is not None:
        query = query.where(Dossier.filed_on < filed_before)
    ids = list(uow.session.scalars(query))
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        batch = uow.session.scalars(
            select(Dossier)
            .where(Dossier.id.in_(ids[start : start + RECOMPUTE_BATCH]))
            .options(selectinload(Dossier.events), selectinload(Dossier.flags))
        ).all()
        for dossier in batch:
            refresh_derived(uow.session, dossier, uow.today)
        uow.session.flush()
    return len(ids)


def refresh_holidays(uow: UnitOfWork) -> list[str]:
    """Save the holiday tables again from the `holidays` package (after updating it)."""
    from models.calendar import holiday_table
    from models.deadlines import forget_calendars, holiday_setting
    from models.registry import Setting

    provinces = sorted(set(uow.session.scalars(select(Office.province))))
    for province in provinces:
        uow.session.merge(Setting(key=holiday_setting(province), value=holiday_table(province)))
    forget_calendars()
    return provinces
