"""Who may do what, checked by the service layer (the server enforces it again)."""

from __future__ import annotations

from models.access import is_visible, role_acts_for
from models.dossiers import Dossier
from models.enums import OfficeKind
from models.errors import PermissionDenied
from models.offices import Staff
from models.read.refusals import dossier_not_found

OFFICE_LABEL = {OfficeKind.SUI: "lo Sportello Unico", OfficeKind.QUESTURA: "la Questura"}
# Fields that belong to the office that is not the lead: the CUI comes from the
# Questura's fingerprinting (fotosegnalamento).
FIELD_OWNER: dict[str, OfficeKind] = {"cui": OfficeKind.QUESTURA}


def acts_for(actor: Staff, office: OfficeKind) -> bool:
    """Admins act for both offices; others for their own office, by role or as its head."""
    return role_acts_for(actor.staff_role, actor.office.office_kind, office)


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
    return is_visible(actor.restricted_access, lambda column: getattr(dossier, column))


def require_visible(actor: Staff, dossier: Dossier | None, ref: str) -> Dossier:
    if dossier is None or not can_see(actor, dossier):
        raise dossier_not_found(ref)
    return dossier
