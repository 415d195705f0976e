"""Who is working, read through the driver alone (the window's start, before the ORM)."""

from __future__ import annotations

from dataclasses import dataclass

from models.read.connection import Reader, flag


@dataclass(frozen=True)
class StaffFacts:
    """An active staff member as the window shows them (``ui.login.load_operator``)."""

    username: str
    full_name: str
    role: str
    office_code: str
    office_kind: str
    restricted_access: bool


def active_staff(reader: Reader, username: str) -> StaffFacts | None:
    found = reader.rows(
        "SELECT staff.username, staff.full_name, staff.role, offices.code, offices.kind,"
        " staff.restricted_access FROM staff JOIN offices ON offices.id = staff.office_id"
        " WHERE staff.username = ? AND staff.active"
        + (" = 1" if reader.dialect == "sqlite" else ""),
        [username],
    )
    if not found:
        return None
    name, full_name, role, office_code, office_kind, restricted_access = found[0]
    return StaffFacts(name, full_name, role, office_code, office_kind, flag(restricted_access))


def active_usernames(reader: Reader) -> list[str]:
    truth = " = 1" if reader.dialect == "sqlite" else ""
    return [
        name
        for (name,) in reader.rows(
            f"SELECT username FROM staff WHERE active{truth} ORDER BY username"
        )
    ]
