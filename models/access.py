"""Who sees which dossier and who acts for which office: plain rules, no database.

The ORM queries (``models.services.queries``), the object checks (``models.permissions``)
and the light read path (``models.read``) all apply these, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from models.enums import OfficeKind, Role

ROLE_OFFICE = {Role.SUI_CLERK: OfficeKind.SUI, Role.QUESTURA_OFFICER: OfficeKind.QUESTURA}


def visibility_rule(restricted_access: bool) -> tuple[tuple[str, bool | None], ...]:
    """``(column of dossiers, value it must be)`` for every dossier this user may see:
    never a tombstone; restricted (art. 18 / 18-ter) files only with clearance."""
    rule: tuple[tuple[str, bool | None], ...] = (("deleted_at", None),)
    if not restricted_access:
        rule += (("restricted", False),)
    return rule


def is_visible(restricted_access: bool, value_of: Callable[[str], object]) -> bool:
    """The rule applied to one dossier; ``value_of`` gives a column's value."""
    for column, wanted in visibility_rule(restricted_access):
        value = value_of(column)
        if (value is not None) if wanted is None else (bool(value) is not wanted):
            return False
    return True


def role_acts_for(role: Role, own_office: OfficeKind, office: OfficeKind) -> bool:
    """Admins act for both offices; others for their own office, by role or as its head."""
    if role is Role.ADMIN:
        return True
    if own_office is not office:
        return False
    return role is Role.HEAD or ROLE_OFFICE.get(role) is office
