"""Who is working: the staff member a window acts for, asked for when not known."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select

from models.offices import Staff
from models.uow import Database
from ui.context import Operator
from ui.i18n import tr as _tr


def load_operator(database: Database, username: str) -> Operator | None:
    with database.sessions() as session:
        staff = session.scalar(select(Staff).where(Staff.username == username, Staff.active))
        if staff is None:
            return None
        return Operator(
            staff.username,
            staff.full_name,
            staff.role,
            staff.office.code,
            staff.office.kind,
            staff.restricted_access,
        )


def _staff_names(database: Database) -> list[str]:
    with database.sessions() as session:
        return list(
            session.scalars(select(Staff.username).where(Staff.active).order_by(Staff.username))
        )


def choose_operator(
    database: Database, candidates: list[str | None], interactive: bool
) -> Operator | None:
    for name in candidates:
        if name and (operator := load_operator(database, name)):
            return operator
    names = _staff_names(database)
    if not interactive:
        fallback = "admin" if "admin" in names else (names[0] if names else None)
        return load_operator(database, fallback) if fallback else None
    name, ok = QInputDialog.getItem(None, _tr("Raccordo"), _tr("Who is working?"), names, 0, False)
    return load_operator(database, name) if ok else None
