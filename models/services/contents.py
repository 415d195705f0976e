"""Stored document contents: written and read a chunk at a time, addressed by SHA-256."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.documents import CHUNK_SIZE, DocumentChunk, DocumentContent

NOT_DOWNLOADED = "contenuto non ancora scaricato"


def has_content(session: Session, sha256: str) -> bool:
    return session.get(DocumentContent, sha256) is not None


def store_content(session: Session, sha256: str, data: bytes) -> bool:
    """Stores ``data`` under its hash unless it is already there; True when stored now."""
    if has_content(session, sha256):
        return False
    # Leftovers of an interrupted download of the same content are replaced.
    for stale in session.scalars(select(DocumentChunk).where(DocumentChunk.sha256 == sha256)):
        session.delete(stale)
    session.flush()
    for seq, start in enumerate(range(0, len(data), CHUNK_SIZE)):
        session.add(DocumentChunk(sha256=sha256, seq=seq, data=data[start : start + CHUNK_SIZE]))
    session.add(DocumentContent(sha256=sha256, size=len(data)))
    session.flush()
    return True


def content_chunks(session: Session, sha256: str) -> Iterator[bytes]:
    """The content's bytes, one chunk at a time, in order."""
    seq = 0
    while True:
        data = session.scalar(
            select(DocumentChunk.data).where(
                DocumentChunk.sha256 == sha256, DocumentChunk.seq == seq
            )
        )
        if data is None:
            return
        yield bytes(data)
        seq += 1


def read_content(session: Session, sha256: str) -> bytes | None:
    """The whole content (to show it), or None when it is not stored here (yet)."""
    if not has_content(session, sha256):
        return None
    return b"".join(content_chunks(session, sha256))
