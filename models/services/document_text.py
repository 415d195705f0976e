"""The searchable text of documents: which still wait to be read, and storing what was
read (with, when OCR made one, the archived PDF/A copy beside the original).

Every attached document is read — a scanner batch's parts, files filed one by one from
the inbox (``LO-SUI-2026-0000123__passaporto.pdf``), PDFs and images alike — by the
office that received it (on the server only that office writes its text).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from models.documents import Document
from models.dossiers import Dossier
from models.enums import OfficeKind
from models.errors import NotFound
from models.permissions import acts_for, can_see, require_office, require_visible
from models.services.changes import Changed, Changes
from models.services.contents import read_content, store_content
from models.text import fold
from models.uow import UnitOfWork

PDF = "application/pdf"
IMAGES = ("image/tiff", "image/png", "image/jpeg")  # read by OCR only
READABLE = (PDF, *IMAGES)
ARCHIVE_SUFFIX = "-pdfa.pdf"


@dataclass(frozen=True)
class Waiting:
    document_id: uuid.UUID
    dossier_id: uuid.UUID
    file_name: str
    media_type: str
    data: bytes


def receiving_office(document: Document, dossier: Dossier) -> OfficeKind:
    """The office that received a document (the lead office when nobody is recorded):
    the one that writes its text, as on the server."""
    if document.received_by is not None:
        return document.received_by.office.office_kind
    return OfficeKind(dossier.procedure_type.lead_office)


def waiting_for_text(uow: UnitOfWork, limit: int = 10) -> list[Waiting]:
    """Documents (PDF or image) not read yet, received by this user's office on dossiers
    they may see, whose bytes are here (a replica may not have downloaded them yet)."""
    session, actor = uow.session, uow.actor
    rows = session.execute(
        select(Document, Dossier)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(
            Document.text.is_(None),
            Document.deleted_at.is_(None),
            Document.media_type.in_(READABLE),
        )
        .order_by(Document.received_at)
    )
    found: list[Waiting] = []
    for document, dossier in rows:
        if len(found) == limit:
            break
        if not can_see(actor, dossier) or document.file_name.endswith(ARCHIVE_SUFFIX):
            continue
        if not acts_for(actor, receiving_office(document, dossier)):
            continue
        data = read_content(session, document.sha256)
        if data is not None:
            found.append(
                Waiting(document.id, dossier.id, document.file_name, document.media_type, data)
            )
    return found


def store_text(
    uow: UnitOfWork, document_id: uuid.UUID, text: str, archive: bytes | None = None
) -> Changes:
    """Keep what was read from a document (folded, as searches are); ``archive``: the
    PDF/A copy OCR made, attached beside it with the same kind and origin."""
    session = uow.session
    document = session.get(Document, document_id)
    if document is None or document.deleted_at is not None:
        raise NotFound(f"documento «{document_id}» non trovato")
    dossier = require_visible(
        uow.actor, session.get(Dossier, document.dossier_id), document.file_name
    )
    require_office(
        uow.actor, receiving_office(document, dossier), f"trascrivere «{document.file_name}»"
    )
    folded = " ".join(fold(text).split())
    document.text = folded
    if archive is not None:
        digest = hashlib.sha256(archive).hexdigest()
        store_content(session, digest, archive)
        stem = document.file_name.rsplit(".", 1)[0]
        session.add(
            Document(
                dossier_id=document.dossier_id,
                file_name=f"{stem}{ARCHIVE_SUFFIX}"[:255],
                sha256=digest,
                size=len(archive),
                media_type=PDF,
                received_at=datetime.now(UTC),
                received_by_id=uow.actor.id,
                kind=document.kind,
                source_batch=document.source_batch,
                source_pages=document.source_pages,
                text=folded,
            )
        )
    session.flush()
    return Changes.of(Changed.DOCUMENTS, dossiers=(document.dossier_id,))
