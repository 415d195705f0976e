"""The server's role names, all derived from one prefix stored in the database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models import staff_rules
from models.errors import ValidationError

DEFAULT_PREFIX = "raccordo"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


@dataclass(frozen=True)
class ServerRoles:
    prefix: str

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix):
            raise ValidationError(
                {"prefix": "prefisso: lettere minuscole, cifre e trattino basso (max 20)"}
            )

    @property
    def schema(self) -> str:
        """Where the server's functions and sequences live."""
        return self.prefix

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    @property
    def user(self) -> str:
        return f"{self.prefix}_user"

    @property
    def sui(self) -> str:
        return f"{self.prefix}_sui"

    @property
    def questura(self) -> str:
        return f"{self.prefix}_questura"

    @property
    def head(self) -> str:
        return f"{self.prefix}_head"

    @property
    def admin(self) -> str:
        return f"{self.prefix}_admin"

    @property
    def restricted(self) -> str:
        return f"{self.prefix}_restricted"

    def groups(self) -> tuple[str, ...]:
        """Every NOLOGIN role the server uses, the owner first."""
        return (
            self.owner,
            self.user,
            self.sui,
            self.questura,
            self.head,
            self.admin,
            self.restricted,
        )

    def office_group(self, office_kind: str) -> str:
        return {"sui": self.sui, "questura": self.questura}[office_kind]

    def role_group(self, role: str) -> str | None:
        return {"head": self.head, "admin": self.admin}.get(role)


def check_username(name: str) -> str:
    return staff_rules.check_username(name)
