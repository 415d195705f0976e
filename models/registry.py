"""Tables kept by the installation itself: protocol counters, settings, audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UtcDateTime


class ProtocolCounter(Base):
    """Last protocol number used per office and year; locked while assigning."""

    __tablename__ = "protocol_counters"

    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Append-only, hash-chained record of every change."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(8))  # insert / update / delete
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON {field: [before, after]}
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # About a restricted dossier: the shared server hides it without clearance.
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The formula the hash was computed with (models/audit.py): 1 before migration 0011.
    hash_version: Mapped[int] = mapped_column(SmallInteger, server_default=text("1"))


class SyncCounter(Base):
    """The shared server's change-feed counter: one row, bumped by every writing transaction.

    The row lock is held until commit, so feed positions become visible in order and a
    reader's cursor never skips a change that commits late (lessons.md, "Sync").
    """

    __tablename__ = "sync_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
