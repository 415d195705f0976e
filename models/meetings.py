"""The tavolo di coordinamento: meetings of the two offices, their agenda and outcomes.

A closed meeting is sealed: ``seal`` chains its content to the previous closed meeting's
seal, as the audit log chains its entries (``models.services.tavolo_seal``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Synced, UtcDateTime
from models.dossiers import Dossier
from models.offices import Office, Staff


class MeetingState(StrEnum):
    IN_PREPARAZIONE = "in_preparazione"
    IN_CORSO = "in_corso"
    CHIUSA = "chiusa"


class Reason(StrEnum):
    """Why an item is on the agenda (the ``--json`` vocabulary)."""

    ACTION_OPEN = "action_open"
    PARERE_OVERDUE = "parere_overdue"
    FLAG_OLD = "flag_old"
    BOUNCING = "bouncing"
    OVERDUE = "overdue"
    AT_RISK = "at_risk"
    TOPIC = "topic"
    PROPOSAL = "proposal"


class OutcomeKind(StrEnum):
    INFORMAZIONE = "informazione"
    DECISIONE = "decisione"
    AZIONE = "azione"


class ItemStatus(StrEnum):
    OPEN = "aperto"  # not discussed yet
    DISCUSSED = "trattato"  # has at least one outcome
    # Never stored: an item still open when its meeting closed (carried to the next).
    NOT_REACHED = "non_trattato"


class Meeting(Synced, Base):
    __tablename__ = "meetings"

    number: Mapped[int] = mapped_column(Integer, index=True)  # short id for people
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    # A series: every N weeks from its first meeting (``series_id``, itself for the first).
    every_weeks: Mapped[int | None] = mapped_column(Integer, default=None)
    series_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None)
    state: Mapped[str] = mapped_column(String(16), default=MeetingState.IN_PREPARAZIONE.value)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    # Participants: staff ids, comma-separated (both offices).
    participants: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    # The seal: previous closed meeting's seal, each item's digest, and this one's hash.
    prev_seal: Mapped[str | None] = mapped_column(String(64), default=None)
    item_seals: Mapped[str] = mapped_column(Text, default="")
    seal: Mapped[str | None] = mapped_column(String(64), default=None)

    created_by: Mapped[Staff | None] = relationship(foreign_keys=[created_by_id])
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position"
    )

    @property
    def participant_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(part) for part in self.participants.split(",") if part]


class AgendaItem(Synced, Base):
    __tablename__ = "agenda_items"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), index=True)
    section: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(24))  # Reason
    dossier_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dossiers.id"), default=None, index=True
    )
    topic: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")  # why, in words
    proposer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.OPEN.value)
    # Plain ids, no foreign keys: the item this one continues (not reached, or an action
    # still open) and the action it follows up. No cycle for the sync's table order.
    carried_from_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None, index=True)
    action_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None, index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    dossier: Mapped[Dossier | None] = relationship()
    proposer: Mapped[Staff | None] = relationship(foreign_keys=[proposer_id])
    outcomes: Mapped[list[AgendaOutcome]] = relationship(
        back_populates="item", order_by="AgendaOutcome.position"
    )


class AgendaOutcome(Synced, Base):
    __tablename__ = "agenda_outcomes"

    # The item's dossier again, so the server hides (and the audit marks) the outcome of
    # a restricted dossier's item exactly as the item.
    dossier_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dossiers.id"), default=None, index=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))  # OutcomeKind
    text: Mapped[str] = mapped_column(Text)
    owner_office_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("offices.id"), default=None
    )
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), default=None)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    # What the outcome did then and there, through the usual services.
    flag_number: Mapped[int | None] = mapped_column(Integer, default=None)
    moved_to: Mapped[str | None] = mapped_column(String(40), default=None)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    item: Mapped[AgendaItem] = relationship(back_populates="outcomes")
    owner_office: Mapped[Office | None] = relationship(foreign_keys=[owner_office_id])
    owner: Mapped[Staff | None] = relationship(foreign_keys=[owner_id])
