"""Scanned documents attached to dossiers, their stored content, and the inbox's register."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Synced, UtcDateTime
from models.offices import Staff

# Bytes per stored chunk: a content is written, read, uploaded and downloaded one chunk
# at a time, so memory stays bounded whatever the size of a scan.
CHUNK_SIZE = 1024 * 1024


class DocumentContent(Base):
    """A document's content, stored once per SHA-256 whatever the number of attachments;
    the row exists only once every chunk is stored (and, on a server, the hash checked).

    Not a ``Synced`` row: content is immutable and addressed by its hash, so it needs no
    version or tombstone (and the audit log does not copy megabytes of scans).
    """

    __tablename__ = "document_contents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)


class DocumentChunk(Base):
    """The bytes of a content, ``seq`` 0, 1, … in order (``CHUNK_SIZE`` each but the last)."""

    __tablename__ = "document_chunks"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentUpload(Base):
    """Server side: chunks a person is uploading, kept until ``store_content`` checks the
    hash and files them as a content (an interrupted upload resumes from here)."""

    __tablename__ = "document_uploads"

    uploader: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentUploader(Base):
    """Server side: who proved to hold a content by uploading all of its bytes; only they
    (and whoever already sees a document with it) may attach it to a dossier."""

    __tablename__ = "document_uploaders"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)


class Document(Synced, Base):
    """A file attached to a dossier (a scan from the inbox folder)."""

    __tablename__ = "documents"

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    # No foreign key to ``document_contents``: a replica applies the row before the
    # content arrives (downloaded after the rows); the server checks the content itself.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    received_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    # What a scanner batch's separator sheet said (passaporto, contratto, …; "" otherwise)
    # and which scanned file and pages the document was cut from (migration 0012).
    kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    source_batch: Mapped[str] = mapped_column(String(255), default="", server_default="")
    source_pages: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The words read from it (text layer or OCR), folded as searches are; None until read,
    # "" when nothing was found (migration 0015).
    text: Mapped[str | None] = mapped_column(Text, default=None)
    # Why reading it failed (one Italian line; migration 0016): out of the queue until an
    # administrator tries again (``raccordo documents ocr --all``).
    text_problem: Mapped[str | None] = mapped_column(String(300), default=None)

    received_by: Mapped[Staff | None] = relationship(lazy="joined")


class ImportRecord(Synced, Base):
    """One file taken from the inbox folder: what it was, who, when, and what it did."""

    __tablename__ = "imports"

    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # ImportKind
    status: Mapped[str] = mapped_column(String(16))  # ImportStatus
    actor: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(100), default="")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    rows_created: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    # Where the file was moved (importati/ or scartati/), so a rejected one can be retried.
    stored_path: Mapped[str] = mapped_column(String(1000), default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # the .motivo.txt text
    retried_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    # The dossier a document was attached to: the register entry follows its visibility.
    dossier_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dossiers.id"), index=True, default=None
    )
    # The file touched (or named) restricted dossiers (art. 18): hidden without clearance.
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
