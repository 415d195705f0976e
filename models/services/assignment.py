"""Personal assignment (*assegnata a*): a person of the holding office takes a dossier.

The holding office stays the legal fact (it follows the workflow state); the assignment
only says who in that office works on the file. Only staff of the holding office assign,
and only to an active colleague of that office; a file that moves to the other office
loses its assignment (``models.deadlines.refresh_derived``). The server's guard_dossier
trigger enforces the same on a shared server.
"""

from __future__ import annotations

from sqlalchemy import select

from models.errors import NotFound, PermissionDenied
from models.offices import Staff
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier
from models.uow import UnitOfWork

ME = "me"


def resolve_staff(uow: UnitOfWork, username: str) -> Staff:
    """``me`` is the acting user; anyone else by username (NotFound in Italian)."""
    wanted = username.strip()
    if wanted.lower() == ME:
        return uow.actor
    staff = uow.session.scalar(select(Staff).where(Staff.username == wanted))
    if staff is None or staff.deleted_at is not None:
        raise NotFound(f"utente «{wanted}» sconosciuto")
    return staff


def assign(uow: UnitOfWork, ref: str, username: str | None) -> Changes:
    """Assign the dossier to ``username`` (``me`` for oneself), or release it (None)."""
    dossier = get_dossier(uow, ref)
    if dossier.closed_on is not None:
        raise PermissionDenied(f"la pratica {dossier.reference} è chiusa: non si assegna")
    if dossier.holder_office_id is None:
        raise PermissionDenied(
            f"la pratica {dossier.reference} non è presso un ufficio: non si assegna"
        )
    holder = dossier.holder_office
    holder_code = holder.code if holder is not None else "?"
    if uow.actor.office_id != dossier.holder_office_id:
        raise PermissionDenied(
            f"la pratica {dossier.reference} è presso {holder_code}: la assegna solo il "
            "personale di quell'ufficio"
        )
    assignee = None if username is None else resolve_staff(uow, username)
    if assignee is not None:
        if assignee.office_id != dossier.holder_office_id:
            raise PermissionDenied(
                f"{assignee.username} non è del personale di {holder_code}, presso cui è la "
                f"pratica {dossier.reference}"
            )
        if not assignee.active:
            raise PermissionDenied(f"{assignee.username} non è un utente attivo")
    new_id = assignee.id if assignee is not None else None
    if dossier.assigned_to_id == new_id:
        return Changes()
    dossier.assigned_to_id = new_id
    uow.session.flush()
    return Changes.of(Changed.DOSSIER, dossiers=(dossier.id,))


def assignee_name(uow: UnitOfWork, ref: str) -> str | None:
    """Who holds the dossier personally (full name, else username), or None."""
    dossier = get_dossier(uow, ref)
    staff = dossier.assigned_to
    return None if staff is None else (staff.full_name or staff.username)
