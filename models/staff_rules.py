"""Who may be a user: one rule for the embedded database and the shared server.

A user name is also the user's PostgreSQL login role on the shared server, so it follows
the rules of a role name there: ASCII, at most 63 characters, and ``pg_`` is reserved.
"""

from __future__ import annotations

import re

from models.access import ROLE_OFFICE
from models.enums import Role
from models.errors import ValidationError

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._]{0,62}$")


def check_username(name: str) -> str:
    """The name as stored (trimmed, lower case); ValidationError when it cannot be one."""
    cleaned = name.strip().lower()
    if not USERNAME.match(cleaned):
        raise ValidationError(
            {
                "username": "nome utente: da 1 a 63 tra lettere non accentate, cifre, punto e "
                "trattino basso, iniziando con una lettera o una cifra"
            }
        )
    if cleaned.startswith("pg_"):
        raise ValidationError({"username": "i nomi che iniziano con pg_ sono riservati"})
    return cleaned


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise ValidationError(
            {"role": f"ruolo «{role}» sconosciuto; ruoli: {', '.join(r.value for r in Role)}"}
        ) from None


def check_role_office(role: Role, office_kind: str, office_code: str) -> None:
    """A clerk belongs to the SUI, an officer to the Questura; heads and admins to either."""
    expected = ROLE_OFFICE.get(role)
    if expected is not None and office_kind != expected.value:
        raise ValidationError(
            {"office": f"il ruolo {role.value} non appartiene all'ufficio {office_code}"}
        )
