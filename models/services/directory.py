"""The offices and the people who work in them, as ``raccordo offices`` and ``user list``
show them (frozen read models; ``models.read.as_json`` prints them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models.enums import OfficeKind, Role
from models.offices import Staff
from models.services.queries import offices
from models.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OfficeFacts:
    code: str  # e.g. LO-SUI
    kind: OfficeKind
    name: str
    administration: str
    province: str  # its holidays' subdivision
    city: str
    address: str
    pec: str
    patron_day: str | None  # MM-DD, the city's patron saint (a holiday)
    signatory: str  # who signs its letters
    responsabile: str


@dataclass(frozen=True, slots=True)
class StaffMember:
    username: str
    full_name: str
    office: str  # its code
    role: Role
    restricted_access: bool  # may see art. 18 / 18-ter dossiers
    active: bool


def office_list(uow: UnitOfWork) -> list[OfficeFacts]:
    """Every office, by code."""
    return [
        OfficeFacts(
            code=o.code,
            kind=OfficeKind(o.kind),
            name=o.name,
            administration=o.administration,
            province=o.province,
            city=o.city,
            address=o.address,
            pec=o.pec,
            patron_day=o.patron_day,
            signatory=o.signatory,
            responsabile=o.responsabile,
        )
        for o in offices(uow.session)
    ]


def staff_list(uow: UnitOfWork) -> list[StaffMember]:
    """Everyone with an account, active or not, by username."""
    return [
        StaffMember(
            username=s.username,
            full_name=s.full_name,
            office=s.office.code,
            role=Role(s.role),
            restricted_access=s.restricted_access,
            active=s.active,
        )
        for s in uow.session.scalars(select(Staff).order_by(Staff.username))
    ]
