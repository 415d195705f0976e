"""Who may do what, checked by the service layer (the server enforces it again)."""

from __future__ import annotations

from models.dossiers import Dossier
from models.enums import OfficeKind, Role
from models.errors import NotFound, PermissionDenied
from models.offices import Staff

ROLE_OFFICE = {Role.SUI_CLERK: OfficeKind.SUI, Role.QUESTURA_OFFICER: OfficeKind.QUESTURA}
OFFICE_LABEL = {OfficeKind.SUI: "lo Sportello Unico", OfficeKind.QUESTURA: "la Questura"}
# Fields that belong to the office that is not the lead: the CUI comes from the
# Questura's fingerprinting (fotosegnalamento).
FIELD_OWNER: dict[str, OfficeKind] = {"cui": OfficeKind.QUESTURA}


def acts_for(actor: Staff, office: OfficeKind) -> bool:
    """Admins act for both offices; others for their own office, by role or as its head."""
    role = actor.staff_role
    if role is Role.ADMIN:
        return True
    if actor.office.office_kind is not office:
        return False
    return role is Role.HEAD or ROLE_OFFICE.get(role) is office


def require_office(actor: Staff, office: OfficeKind, what: str) -> None:
    if not acts_for(actor, office):
        raise PermissionDenied(
            f"{actor.username} ({actor.role}, {actor.office.code}) non può {what}: "
            f"operazione riservata al{OFFICE_LABEL[office]}"
        )


def read_only_fields(actor: Staff, dossier: Dossier) -> dict[str, str]:
    """Fields ``actor`` may not change now, and why (the owning office kind, or "closed").

    Each field belongs to the lead office except those in FIELD_OWNER; a closed dossier
    keeps only the CUI open, which fingerprinting may yield after the procedure ended.
    """
    from models.validation import FIELD_LABELS

    lead = OfficeKind(dossier.procedure_type.lead_office)
    refused: dict[str, str] = {}
    for name in FIELD_LABELS:
        owner = FIELD_OWNER.get(name, lead)
        if not acts_for(actor, owner):
            refused[name] = owner.value
        elif dossier.closed_on is not None and name != "cui":
            refused[name] = "closed"
    return refused


def can_see(actor: Staff, dossier: Dossier) -> bool:
    return not dossier.restricted or actor.restricted_access


def require_visible(actor: Staff, dossier: Dossier | None, ref: str) -> Dossier:
    # An invisible restricted dossier answers exactly like a missing one.
    if dossier is None or dossier.deleted_at is not None or not can_see(actor, dossier):
        raise NotFound(f"pratica «{ref}» non trovata")
    return dossier
