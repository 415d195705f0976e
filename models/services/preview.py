"""What the preview beside the dossier list shows: header, open items, the next action.

The next action is worked out here, once, from the same facts the dossier window uses
(allowed moves, open pending items, the holder office), so that the list's preview and
the window never disagree about what waits on whom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.dates import italian_date
from models.enums import FLAG_CATEGORIES, ClockEffect
from models.read.views import DossierDetail
from models.services.labels import holder_label
from models.services.lookup import get_dossier
from models.services.views import dossier_detail
from models.uow import UnitOfWork


@dataclass(frozen=True)
class OpenItem:
    number: int
    category: str
    text: str
    raised_by_office: str
    for_office: str
    suspends: bool
    raised_on: date

    @property
    def line(self) -> str:
        suspends = " (sospende il termine)" if self.suspends else ""
        return (
            f"#{self.number} {self.category} ({self.raised_by_office} → {self.for_office}, "
            f"{italian_date(self.raised_on)}): {self.text}{suspends}"
        )


@dataclass(frozen=True)
class DossierPreview:
    id: str
    reference: str
    name: str
    type_code: str
    type_name: str
    state_label: str
    holder: str
    filed_on: date
    deadline: date | None
    days_left: int | None
    clock: ClockEffect
    closed_on: date | None
    open_items: tuple[OpenItem, ...]
    next_action: str
    assigned_to: str | None = None  # full name (or username) of the person who took it
    assigned_to_me: bool = False
    can_assign: bool = False  # the user is staff of the holding office and the file is open


def next_action(detail: DossierDetail, my_office: str) -> str:
    """One Italian sentence: what this user's office should do with the dossier now."""
    if detail.closed_on:
        return f"Pratica chiusa il {italian_date(detail.closed_on)}: nessuna azione."
    for flag in detail.flags:
        if flag.is_open and flag.for_office == my_office:
            return f"Rispondere alla segnalazione #{flag.number} ({flag.category_label})."
    moves = detail.allowed_moves
    if any(m.via_parere for m in moves):
        return "Registrare il parere."
    if moves:
        targets = " o ".join(f"«{m.label}»" for m in moves)
        return f"Portare la pratica a {targets}."
    holder = detail.holder_office or detail.holder
    if holder != my_office:
        who = holder_label(detail.holder, detail.holder_office)
        return f"Presso {who}: nessuna azione per il tuo ufficio."
    return "Nessuna azione possibile per il tuo ufficio in questo stato."


def dossier_preview(uow: UnitOfWork, ref: str) -> DossierPreview:
    dossier = get_dossier(uow, ref, with_history=True)
    detail = dossier_detail(uow, dossier)
    assignee = dossier.assigned_to
    items = tuple(
        OpenItem(
            number=flag.number,
            category=FLAG_CATEGORIES.get(flag.category, flag.category),
            text=flag.text,
            raised_by_office=flag.raised_by_office.code,
            for_office=flag.for_office.code,
            suspends=flag.suspends,
            raised_on=flag.raised_on,
        )
        for flag in sorted(dossier.flags, key=lambda f: f.number)
        if flag.is_open and flag.deleted_at is None
    )
    return DossierPreview(
        id=dossier.id.hex,
        reference=detail.reference,
        name=detail.name.strip(),
        type_code=detail.type_code,
        type_name=detail.type_name,
        state_label=detail.state_label,
        holder=holder_label(detail.holder, detail.holder_office),
        filed_on=dossier.filed_on,
        deadline=detail.deadline,
        days_left=detail.days_left,
        clock=detail.clock,
        closed_on=dossier.closed_on,
        open_items=items,
        next_action=next_action(detail, uow.actor.office.code),
        assigned_to=assignee.full_name or assignee.username if assignee else None,
        assigned_to_me=assignee is not None and assignee.id == uow.actor.id,
        can_assign=dossier.closed_on is None
        and dossier.holder_office_id is not None
        and dossier.holder_office_id == uow.actor.office_id,
    )
