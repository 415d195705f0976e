"""What the dossier window shows, read on the worker in one unit of work (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.enums import ClockEffect
from models.permissions import acts_for, read_only_fields
from models.read.views import DossierDetail, EventFacts
from models.services.history import AuditRow, audit_trail
from models.services.letter_rules import letter_refusals
from models.services.lookup import get_dossier
from models.services.observations import observations_awaited
from models.services.tavolo.views import DossierAgendaItem, dossier_items
from models.services.undo import UndoOffer, undo_offer
from models.services.views import dossier_detail
from models.services.waiting import Waiting, waiting_for
from models.uow import UnitOfWork
from models.workflow import load_workflow


@dataclass(frozen=True, slots=True)
class HistoryRow:
    event: EventFacts
    clock: ClockEffect | None  # what the state entered does to the clock


@dataclass(frozen=True)
class DossierSnapshot:
    """What the window shows, read in one unit of work."""

    detail: DossierDetail
    history: list[HistoryRow]
    audit: list[AuditRow]
    read_only: dict[str, str]
    resolvable_flags: frozenset[str]
    can_raise: bool
    today: date
    observations_awaited: bool = False  # a preavviso di rigetto waits for the applicant
    waiting: Waiting | None = None  # who must act and what the dossier waits for
    undo: UndoOffer | None = None  # the operator's last move, while it can be undone
    tavolo: list[DossierAgendaItem] = field(default_factory=list)  # meetings that discussed it
    # The letters this operator may not print for it now, and why (the *Stampa* menu).
    letters_refused: dict[str, str] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """What people read: the protocol number (or the provisional one)."""
        return self.detail.reference

    @property
    def ref(self) -> str:
        """What the use cases are given: the id, unambiguous even before a protocol."""
        return str(self.detail.id)


def load_snapshot(uow: UnitOfWork, dossier_ref: str) -> DossierSnapshot:
    session, actor = uow.session, uow.actor
    dossier = get_dossier(uow, dossier_ref, with_history=True)
    detail = dossier_detail(uow, dossier)
    states = load_workflow(session, dossier.procedure_type).states
    history = [
        HistoryRow(row, states[row.to_state].clock if row.to_state in states else None)
        for row in detail.history
    ]
    resolvable = frozenset(
        str(flag.id)
        for flag in dossier.flags
        if flag.is_open
        and any(
            acts_for(actor, office.office_kind)
            for office in (flag.raised_by_office, flag.for_office)
        )
    )
    return DossierSnapshot(
        detail=detail,
        history=history,
        audit=audit_trail(uow, dossier.id),
        read_only=read_only_fields(actor, dossier),
        resolvable_flags=resolvable,
        can_raise=dossier.closed_on is None,
        today=uow.today,
        observations_awaited=observations_awaited(actor, dossier),
        waiting=waiting_for(uow, dossier),
        undo=undo_offer(uow, dossier),
        tavolo=dossier_items(uow, dossier.id),
        letters_refused=letter_refusals(uow, dossier, _letters()),
    )


def _letters() -> list[str]:
    from reports.form_list import FORMS

    return [spec.name for spec in FORMS.values() if spec.kind == "letter"]
