"""Sync bookkeeping: the replica's outbox and conflicts, the server's per-client record."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UtcDateTime


class OutboxEntry(Base):
    """One changed row of a local transaction, waiting to be pushed.

    ``changes`` is canonical JSON ``{field: [before, after]}``; ``seq`` is never reused
    (SQLite AUTOINCREMENT), so the server's ``last_seq`` for this client is a safe mark.
    """

    __tablename__ = "sync_outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(8))  # insert / update
    base_version: Mapped[int | None] = mapped_column(Integer, default=None)
    changes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())


class SyncConflict(Base):
    """A local change the server did not take: a field changed on both sides
    (``kind = "field"``) or a whole mutation refused (``kind = "refused"``)."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    kind: Mapped[str] = mapped_column(String(16))
    mutation_id: Mapped[str] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str | None] = mapped_column(String(64), default=None)
    # JSON values: what the change was based on, what this workstation wrote, the server's.
    base_value: Mapped[str | None] = mapped_column(Text, default=None)
    local_value: Mapped[str | None] = mapped_column(Text, default=None)
    server_value: Mapped[str | None] = mapped_column(Text, default=None)
    reason: Mapped[str] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None, index=True)
    resolution: Mapped[str | None] = mapped_column(String(8), default=None)  # local / server


class SyncClient(Base):
    """Server side: the last outbox ``seq`` applied for each workstation, and the answer
    that push got, returned again when a push whose answer was lost is resent."""

    __tablename__ = "sync_clients"

    client_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_push_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_result: Mapped[str] = mapped_column(Text, default="{}")


class SyncTransfer(Base):
    """Replica side: a content to upload (``direction = "up"``, queued in the same local
    transaction as the document that needs it) or being downloaded (``"down"``), and how
    far it got, so an interrupted transfer resumes where it stopped."""

    __tablename__ = "sync_transfers"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    direction: Mapped[str] = mapped_column(String(4), primary_key=True)  # up / down
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    done_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())


class SyncQuarantine(Base):
    """Replica side: a pulled row the replica could not apply, or a content that could not
    be stored; set aside (and tried again at every pull) so the rest of the pull goes on."""

    __tablename__ = "sync_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(64), index=True)  # a row id, or a content hash
    change_seq: Mapped[int | None] = mapped_column(BigInteger, default=None)
    row: Mapped[str | None] = mapped_column(Text, default=None)  # the row as pulled (JSON)
    reason: Mapped[str] = mapped_column(Text)
