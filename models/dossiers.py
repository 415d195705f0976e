"""The dossier (pratica), its history, the Questura's parere and pending items."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from models.base import Base, Synced, UtcDateTime
from models.ids import provisional_reference
from models.offices import Office, Staff
from models.procedures import ProcedureType
from models.read.records import format_protocol as format_protocol


class Dossier(Synced, Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint(
            "protocol_office_id", "protocol_year", "protocol_number", name="uq_dossiers_protocol"
        ),
        Index("ix_dossiers_clock_deadline", "clock_state", "deadline"),
        Index("ix_dossiers_type_state", "procedure_type_id", "state"),
        # The breach risk's history: each type's dossiers closed last, newest first.
        Index("ix_dossiers_type_closed", "procedure_type_id", "closed_on"),
        # Covering indexes for the table's default orders: ids of 500,000 rows in order
        # come straight off the index, without sorting.
        Index("ix_dossiers_filed_on_id", "filed_on", "id"),
        Index("ix_dossiers_deadline_id", "deadline", "id"),
        Index("ix_dossiers_holder_office_deadline", "holder_office_id", "deadline", "id"),
        # Every column the turnaround statistics read, so they scan this index alone.
        Index(
            "ix_dossiers_stats",
            "closed_on",
            "filed_on",
            "suspended_days",
            "deadline",
            "procedure_type_id",
            "protocol_office_id",
            "deleted_at",
            "restricted",
            "held_sui_days",
            "held_questura_days",
            "held_applicant_days",
        ),
        # The same for a parere's dossier, found by id (the statistics' pareri join).
        Index(
            "ix_dossiers_stats_by_id",
            "id",
            "deleted_at",
            "restricted",
            "filed_on",
            "closed_on",
            "procedure_type_id",
            "protocol_office_id",
        ),
    )

    # Protocol register (DPR 445/2000 art. 57): per office and year, gapless.
    protocol_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    protocol_year: Mapped[int | None] = mapped_column(Integer, default=None)
    protocol_number: Mapped[int | None] = mapped_column(Integer, default=None)
    application_code: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)

    procedure_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedure_types.id"))
    state: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(16))  # Party holding the file now
    holder_office_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("offices.id"))
    filed_on: Mapped[date] = mapped_column(Date)
    quota_assigned_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The person of the holding office who took the file (assegnata a); the holding
    # office stays the legal fact. Cleared when the file moves to another office.
    assigned_to_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff.id"), default=None, index=True
    )

    # The person (as on the passport: Unicode).
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1), default=None)
    birth_date: Mapped[date] = mapped_column(Date)
    birth_place: Mapped[str] = mapped_column(String(200), default="")
    nationality: Mapped[str] = mapped_column(String(3))  # ISO 3166-1 alpha-3
    passport: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    fiscal_code: Mapped[str | None] = mapped_column(String(16), default=None, index=True)
    cui: Mapped[str | None] = mapped_column(String(32), default=None, index=True)

    # Employer or applicant.
    employer_name: Mapped[str] = mapped_column(String(300), default="")
    employer_fiscal_code: Mapped[str | None] = mapped_column(String(16), default=None)
    employer_pec: Mapped[str] = mapped_column(String(200), default="")

    # Derived, kept for fast queries; always recomputable from the rows above.
    search_key: Mapped[str] = mapped_column(Text, default="", index=True)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    clock_state: Mapped[str] = mapped_column(String(16), default="runs")
    suspended_days: Mapped[int] = mapped_column(Integer, default=0)
    open_flags: Mapped[int] = mapped_column(Integer, default=0)
    # Days the file spent with each party up to its closing (the clock's held_days);
    # 0 while open, when the current state's share still grows every day.
    held_sui_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    held_questura_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    held_applicant_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's signature
        # Nothing reads a new dossier's created_at/updated_at back (the audit and the sync
        # outbox leave them out), so new dossiers go in with one executemany instead of
        # INSERT … RETURNING: 1.7 s less for a 10,000-row list on PostgreSQL.
        return {"version_id_col": cls.__table__.c.version, "eager_defaults": False}

    procedure_type: Mapped[ProcedureType] = relationship(lazy="joined")
    protocol_office: Mapped[Office] = relationship(foreign_keys=[protocol_office_id], lazy="joined")
    holder_office: Mapped[Office | None] = relationship(foreign_keys=[holder_office_id])
    assigned_to: Mapped[Staff | None] = relationship(foreign_keys=[assigned_to_id])
    events: Mapped[list[DossierEvent]] = relationship(
        back_populates="dossier", order_by="(DossierEvent.effective_on, DossierEvent.seq)"
    )
    pareri: Mapped[list[Parere]] = relationship(
        back_populates="dossier", order_by="Parere.requested_on"
    )
    flags: Mapped[list[Flag]] = relationship(back_populates="dossier", order_by="Flag.raised_on")

    @property
    def protocol(self) -> str | None:
        if self.protocol_number is None or self.protocol_year is None:
            return None
        return format_protocol(self.protocol_office.code, self.protocol_year, self.protocol_number)

    @property
    def reference(self) -> str:
        """What to show a person: the protocol, or a provisional number before sync."""
        return self.protocol or provisional_reference(self.id)


class DossierEvent(Synced, Base):
    """Append-only history: one row per thing that happened to a dossier."""

    __tablename__ = "dossier_events"

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), index=True)
    # Order of entry within a dossier, for events sharing an effective date.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(24))  # EventKind
    from_state: Mapped[str | None] = mapped_column(String(40), default=None)
    to_state: Mapped[str | None] = mapped_column(String(40), default=None)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    office_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("offices.id"))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    effective_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    dossier: Mapped[Dossier] = relationship(back_populates="events")
    actor: Mapped[Staff | None] = relationship(lazy="joined")
    office: Mapped[Office | None] = relationship(lazy="joined")


class Parere(Synced, Base):
    """The Questura's opinion: requested by one office, given by the other."""

    __tablename__ = "pareri"
    # The statistics count pareri per pair of dates straight off this index.
    __table_args__ = (Index("ix_pareri_stats", "requested_on", "given_on", "deleted_at"),)

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    given_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str | None] = mapped_column(String(24), default=None)  # ParereOutcome
    reasons: Mapped[str] = mapped_column(Text, default="")
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    dossier: Mapped[Dossier] = relationship(back_populates="pareri")
    requested_by: Mapped[Staff | None] = relationship(foreign_keys=[requested_by_id])
    officer: Mapped[Staff | None] = relationship(foreign_keys=[officer_id])


class Flag(Synced, Base):
    """A pending item (segnalazione) raised by one office on a dossier for the other."""

    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_open_for_office", "for_office_id", "resolved_on"),)

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), index=True)
    number: Mapped[int] = mapped_column(Integer, index=True)  # short id for people
    category: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    suspends: Mapped[bool] = mapped_column(Boolean, default=False)
    raised_by_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    for_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    raised_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    raised_on: Mapped[date] = mapped_column(Date)
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    resolved_on: Mapped[date | None] = mapped_column(Date, default=None)
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    dossier: Mapped[Dossier] = relationship(back_populates="flags")
    raised_by_office: Mapped[Office] = relationship(foreign_keys=[raised_by_office_id])
    for_office: Mapped[Office] = relationship(foreign_keys=[for_office_id])
    raised_by: Mapped[Staff | None] = relationship(foreign_keys=[raised_by_id])
    resolved_by: Mapped[Staff | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
