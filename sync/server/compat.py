"""What a workstation asks the server before every exchange: may we talk, and what time
is it there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text

from models.errors import DomainError

# Bumped when what the workstation sends or expects from the server changes shape.
PROTOCOL_VERSION = 1


def check_compatibility(connection: Connection) -> None:
    """Refuses a database that is not a Raccordo server, or one speaking another protocol.

    The schema revision and the clock are checked by ``sync.link.check_server`` too; this
    is the part that needs no workstation state.
    """
    stored = connection.execute(
        text("SELECT value FROM settings WHERE key = 'sync.protocol'")
    ).scalar()
    if stored is None:
        raise DomainError(
            "questo database non è un server Raccordo: eseguire «raccordo server init»"
        )
    version = int(stored)
    if version > PROTOCOL_VERSION:
        raise DomainError(
            f"il server usa il protocollo {version}, questa postazione il {PROTOCOL_VERSION}: "
            "aggiornare Raccordo su questa postazione"
        )
    if version < PROTOCOL_VERSION:
        raise DomainError(
            f"il server usa il protocollo {version}, questa postazione il {PROTOCOL_VERSION}: "
            "aggiornare il server («raccordo server init»)"
        )


def server_now(connection: Connection) -> datetime:
    """The server's clock (``now()``), for the workstation's clock-skew check."""
    moment: datetime = connection.execute(text("SELECT now()")).scalar_one()
    return moment
