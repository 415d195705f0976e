"""Puts Raccordo's default data into a new database; never overwrites what is there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.calendar import holiday_table
from models.deadlines import holiday_setting
from models.default_catalogue import (
    DEFAULT_CITY,
    DEFAULT_PROVINCE,
    DEFAULT_SETTINGS,
    DEFAULT_TYPES,
    SKELETON_STATES,
    SKELETON_TRANSITIONS,
    TypeSeed,
    default_offices,
)
from models.enums import OfficeKind, Party, Role
from models.offices import Office, Staff
from models.procedure_rows import apply_moves, apply_rules, apply_states
from models.procedures import ProcedureType
from models.registry import Setting
from models.uow import Database

DEFAULT_ADMIN = "admin"
# Fields that every work or family procedure needs beyond the person.
_EMPLOYER_TYPES = {
    "NO_LAVORO",
    "NO_STAGIONALE",
    "CARTA_BLU",
    "CASI_PARTICOLARI",
    "RICONGIUNGIMENTO",
}


def _party(role: str, lead: OfficeKind) -> str:
    counterpart = OfficeKind.QUESTURA if lead is OfficeKind.SUI else OfficeKind.SUI
    mapping = {"lead": lead.value, "counterpart": counterpart.value}
    return mapping[role] if role in mapping else Party(role).value


def _add_type(session: Session, seed: TypeSeed) -> None:
    procedure = ProcedureType(
        code=seed.code,
        name=seed.name,
        legal_basis=seed.legal_basis,
        lead_office=seed.lead.value,
        restricted=seed.restricted,
        required_fields="employer_name" if seed.code in _EMPLOYER_TYPES else "",
    )
    session.add(procedure)
    apply_states(
        procedure,
        [
            {
                "code": state.code,
                "label": state.label,
                "holder": _party(state.holder, seed.lead),
                "clock": state.clock.value,
                "final": state.final,
            }
            for state in seed.states or SKELETON_STATES
        ],
    )
    apply_moves(
        procedure,
        [
            {
                "from": from_state,
                "to": to_state,
                "actor_office": _party(actor, seed.lead),
                "via_parere": via_parere,
            }
            for from_state, to_state, actor, via_parere in seed.transitions or SKELETON_TRANSITIONS
        ],
    )
    apply_rules(
        procedure,
        [
            {
                "valid_from": rule.valid_from.isoformat(),
                "term": rule.term,
                "unit": rule.unit,
                "start": rule.start,
                "silent_assent": rule.silent_assent,
                "silent_assent_exclusions": rule.exclusions,
                "basis": rule.basis,
                "note": rule.note,
                "to_verify": rule.to_verify,
                "suspension_max_days": rule.suspension_max_days,
                "suspension_max_count": rule.suspension_max_count,
                "preavviso_effect": rule.preavviso_effect,
                "preavviso_reply_days": rule.preavviso_reply_days,
                "preavviso_restart_days": rule.preavviso_restart_days,
            }
            for rule in seed.clock_rules
        ],
    )


def ensure_defaults(
    session: Session, province: str = DEFAULT_PROVINCE, city: str = DEFAULT_CITY
) -> list[str]:
    """Add whatever default rows are missing; returns what was added.

    ``province`` and ``city`` name the offices of a new database only.
    """
    added: list[str] = []
    existing_offices = set(session.scalars(select(Office.code)))
    if not existing_offices:
        for office in default_offices(province, city):
            session.add(
                Office(
                    code=office.code,
                    kind=office.kind.value,
                    name=office.name,
                    administration=office.administration,
                    province=office.province,
                    city=office.city,
                )
            )
            added.append(f"ufficio {office.code}")
        session.flush()
    existing_types = set(session.scalars(select(ProcedureType.code)))
    for seed in DEFAULT_TYPES:
        if seed.code not in existing_types:
            _add_type(session, seed)
            added.append(f"tipo {seed.code}")
    for province in sorted(set(session.scalars(select(Office.province)))):
        if session.get(Setting, holiday_setting(province)) is None:
            session.add(Setting(key=holiday_setting(province), value=holiday_table(province)))
    for key, value in DEFAULT_SETTINGS.items():
        if session.get(Setting, key) is None:
            session.add(Setting(key=key, value=value))
    if session.scalar(select(Staff.id).limit(1)) is None:
        home = session.scalars(select(Office).order_by(Office.kind.desc(), Office.code)).first()
        assert home is not None
        session.add(
            Staff(
                username=DEFAULT_ADMIN,
                full_name="Amministratore",
                office_id=home.id,
                role=Role.ADMIN.value,
                restricted_access=True,
            )
        )
        added.append(f"utente {DEFAULT_ADMIN}")
    session.flush()
    return added


def initialise(database: Database, province: str = "LO", city: str = "Lodi") -> list[str]:
    """The defaults of a new or upgraded database, in one unit of work."""
    with database.unit_of_work(None, write=True) as uow:
        added = ensure_defaults(uow.session, province, city)
        uow.commit()
    return added
