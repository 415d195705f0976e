"""Procedure types, their workflows and their legal terms — all data, none in code."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Synced


class ProcedureType(Synced, Base):
    __tablename__ = "procedure_types"

    code: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. NO_LAVORO
    name: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(String(200))
    lead_office: Mapped[str] = mapped_column(String(16))  # OfficeKind that runs it
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)  # art. 18 / 18-ter
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Dossier fields that must be filled for this type, comma separated.
    required_fields: Mapped[str] = mapped_column(String(300), default="")

    states: Mapped[list[WorkflowState]] = relationship(
        back_populates="procedure_type", order_by="WorkflowState.position"
    )
    transitions: Mapped[list[WorkflowTransition]] = relationship(back_populates="procedure_type")
    rules: Mapped[list[TermRule]] = relationship(
        back_populates="procedure_type", order_by="TermRule.valid_from"
    )


class WorkflowState(Synced, Base):
    __tablename__ = "workflow_states"
    __table_args__ = (UniqueConstraint("procedure_type_id", "code"),)

    procedure_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedure_types.id"))
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    holder: Mapped[str] = mapped_column(String(16))  # Party holding the file
    clock: Mapped[str] = mapped_column(String(16))  # ClockEffect
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    procedure_type: Mapped[ProcedureType] = relationship(back_populates="states")


class WorkflowTransition(Synced, Base):
    __tablename__ = "workflow_transitions"
    __table_args__ = (UniqueConstraint("procedure_type_id", "from_state", "to_state"),)

    procedure_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedure_types.id"))
    from_state: Mapped[str] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    actor_office: Mapped[str] = mapped_column(String(16))  # OfficeKind allowed to move it
    # True when this move happens only by recording a parere (not a plain "advance").
    via_parere: Mapped[bool] = mapped_column(Boolean, default=False)

    procedure_type: Mapped[ProcedureType] = relationship(back_populates="transitions")


class TermRule(Synced, Base):
    """The legal term of a procedure for applications filed from ``valid_from`` on."""

    __tablename__ = "term_rules"
    __table_args__ = (UniqueConstraint("procedure_type_id", "valid_from"),)

    procedure_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedure_types.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)  # inclusive
    term: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(16), default="days")  # TermUnit
    start: Mapped[str] = mapped_column(String(24), default="filing")  # TermStart
    saturday_working: Mapped[bool] = mapped_column(Boolean, default=True)
    # Silenzio-assenso: issued if the Questura reports no obstacle in time...
    silent_assent: Mapped[bool] = mapped_column(Boolean, default=False)
    # ...except for these nationalities (ISO alpha-3, comma separated).
    silent_assent_exclusions: Mapped[str] = mapped_column(String(200), default="")
    basis: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # A rule whose act or start date is not yet confirmed (docs/domain-rules.md).
    to_verify: Mapped[bool] = mapped_column(Boolean, default=False)
    # Art. 2 c. 7 L. 241/1990: a request for documents suspends the term this many
    # times per dossier, each time for at most this many days.
    suspension_max_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    suspension_max_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Art. 10-bis: a preavviso di rigetto suspends (from 17 Jul 2020) or interrupts the
    # term (PreavvisoEffect); the applicant has ``preavviso_reply_days`` for observations,
    # and the term runs again ``preavviso_restart_days`` after them.
    preavviso_effect: Mapped[str] = mapped_column(
        String(16), default="suspends", server_default="suspends"
    )
    preavviso_reply_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    preavviso_restart_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")

    procedure_type: Mapped[ProcedureType] = relationship(back_populates="rules")

    def applies_to(self, filed_on: date) -> bool:
        return self.valid_from <= filed_on and (self.valid_to is None or filed_on <= self.valid_to)


# The columns of a term rule that say how the term is suspended (models.clock.SuspensionRules).
SUSPENSION_COLUMNS = (
    "suspension_max_days",
    "suspension_max_count",
    "preavviso_effect",
    "preavviso_reply_days",
    "preavviso_restart_days",
)
