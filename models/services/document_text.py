"""The searchable text of documents: which still wait to be read, and storing what was
read (with, when OCR made one, the archived PDF/A copy beside the original).

Every attached document is read — a scanner batch's parts, files filed one by one from
the inbox (``LO-SUI-2026-0000123__passaporto.pdf``), PDFs and images alike — by the
office that received it (on the server only that office writes its text).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import defer

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
PROBLEM_LENGTH = 300  # documents.text_problem


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


def _ours(uow: UnitOfWork, *conditions: ColumnElement[bool]) -> Iterator[tuple[Document, bool]]:
    """Documents (PDF or image, not archived copies) received by this user's office on
    dossiers they may see, oldest first, meeting ``conditions``; with whether their text
    is still unread (the text itself is not loaded)."""
    session, actor = uow.session, uow.actor
    rows = session.execute(
        select(Document, Dossier, Document.text.is_(None))
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Document.deleted_at.is_(None), Document.media_type.in_(READABLE), *conditions)
        .options(defer(Document.text))
        .order_by(Document.received_at, Document.id)
    )
    for document, dossier, unread in rows:
        if not can_see(actor, dossier) or document.file_name.endswith(ARCHIVE_SUFFIX):
            continue
        if acts_for(actor, receiving_office(document, dossier)):
            yield document, bool(unread)


def pending_documents(
    uow: UnitOfWork, *, failed: bool = False, without_copy: bool = False
) -> list[uuid.UUID]:
    """The queue of documents whose text waits to be read: not read yet and not failed
    (it lives in the database, so a restart resumes it). ``failed``: also those whose
    reading failed; ``without_copy``: also those read without an archived OCR copy
    (worth reading again once OCR is installed)."""
    queued = and_(Document.text.is_(None), Document.text_problem.is_(None))
    copies: set[tuple[uuid.UUID, str]] = set()
    if without_copy:
        conditions: tuple[ColumnElement[bool], ...] = ()  # any document may lack its copy
        copies = {
            (dossier_id, name)
            for dossier_id, name in uow.session.execute(
                select(Document.dossier_id, Document.file_name).where(
                    Document.deleted_at.is_(None), Document.file_name.like(f"%{ARCHIVE_SUFFIX}")
                )
            )
        }
    elif failed:
        conditions = (or_(queued, Document.text_problem.is_not(None)),)
    else:
        conditions = (queued,)  # the worker's everyday question: only the queue is read
    found = []
    for document, unread in _ours(uow, *conditions):
        waiting = unread and document.text_problem is None
        retried = failed and document.text_problem is not None
        uncopied = without_copy and (document.dossier_id, archive_name(document)) not in copies
        if waiting or retried or uncopied:
            found.append(document.id)
    return found


def archive_name(document: Document) -> str:
    stem = document.file_name.rsplit(".", 1)[0]
    return f"{stem}{ARCHIVE_SUFFIX}"[:255]


def to_read(uow: UnitOfWork, document_id: uuid.UUID) -> Waiting | None:
    """A pending document with its bytes; None when they are not here yet (a replica
    downloads them after the rows) or the document is gone."""
    session = uow.session
    document = session.get(Document, document_id)
    if document is None or document.deleted_at is not None:
        return None
    dossier = session.get(Dossier, document.dossier_id)
    if dossier is None or not can_see(uow.actor, dossier):
        return None
    data = read_content(session, document.sha256)
    if data is None:
        return None
    return Waiting(document.id, document.dossier_id, document.file_name, document.media_type, data)


def store_text(
    uow: UnitOfWork,
    document_id: uuid.UUID,
    text: str | None,
    archive: bytes | None = None,
    problem: str = "",
) -> Changes:
    """Keep what was read from a document (folded, as searches are); ``archive``: the
    PDF/A copy OCR made, attached beside it with the same kind and origin; ``problem``:
    why reading failed (one line; ``text`` None when nothing could be read), which takes
    the document out of the queue until it is tried again."""
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
    folded = None if text is None else " ".join(fold(text).split())
    document.text = folded
    document.text_problem = " ".join(problem.split())[:PROBLEM_LENGTH] or None
    if archive is not None:
        digest = hashlib.sha256(archive).hexdigest()
        store_content(session, digest, archive)
        session.add(
            Document(
                dossier_id=document.dossier_id,
                file_name=archive_name(document),
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
