"""Document contents between a replica and the server: their own phase, beside the rows.

Contents are addressed by SHA-256 and move one chunk (1 MiB) at a time, so memory stays
bounded whatever the size of a scan, and each chunk is committed on arrival, so an
interrupted transfer resumes where it stopped:

- **Upload**, before the push: every content queued in ``sync_transfers`` (written in the
  same local transaction as the document that needs it) goes into the server's
  ``document_uploads`` (own rows), then ``store_content`` checks the hash and files it.
  The server lets only someone who uploaded the bytes, or already sees a document with
  them, attach a content to a dossier; so the bytes go up before the row that names them.
  A content the user can already see on the server is not sent again (de-duplication
  only within what the user may see: a hidden copy is never revealed by skipping).
- **Download**, after the pull: every document of the replica whose content is missing
  is fetched chunk by chunk, its hash checked, and only then recorded as stored. A
  content that cannot be stored is quarantined and the others go on.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Delete, Engine, delete, func, insert, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from models.documents import Document, DocumentChunk, DocumentContent
from models.services.changes import Changed, Changes
from models.services.contents import NOT_DOWNLOADED as NOT_DOWNLOADED
from models.sync_tables import SyncTransfer
from models.uow import Database
from sync import quarantine, testpoints
from sync.link import SyncRefused
from sync.server.names import ServerRoles

log = logging.getLogger("raccordo.sync")
UP, DOWN = "up", "down"
# Called after each chunk is stored (direction, sha256, seq): tests stop a transfer there.
OnChunk = Callable[[str, str, int], None]


@dataclass(frozen=True)
class Downloads:
    downloaded: int = 0
    missing: int = 0  # documents whose content is still not here
    quarantined: int = 0
    changes: Changes = field(default_factory=Changes)


def queue_upload(connection: Connection, sha256: str, size: int) -> None:
    """In the transaction that stores a new local content (the outbox hook)."""
    connection.execute(
        sqlite_insert(SyncTransfer)
        .values(sha256=sha256, direction=UP, size=size, done_bytes=0)
        .on_conflict_do_nothing()
    )


def pending_uploads(connection: Connection) -> int:
    query = select(func.count()).select_from(SyncTransfer).where(SyncTransfer.direction == UP)
    return int(connection.execute(query).scalar_one())


def missing_contents(connection: Connection) -> list[str]:
    """Hashes of live documents whose content is not stored here yet."""
    stored = select(DocumentContent.sha256).where(DocumentContent.sha256 == Document.sha256)
    query = (
        select(Document.sha256)
        .where(Document.deleted_at.is_(None), ~stored.exists())
        .distinct()
        .order_by(Document.sha256)
    )
    return list(connection.execute(query).scalars())


def _schema(remote: Connection) -> str:
    prefix = remote.execute(text("SELECT value FROM settings WHERE key = 'server.prefix'")).scalar()
    if prefix is None:
        raise SyncRefused("il server non è un server Raccordo: eseguire raccordo server init")
    return ServerRoles(str(prefix)).schema


def _local_write(replica: Database) -> Connection:
    connection = replica.engine.connect()
    connection.execution_options(write=True)
    return connection


def _progress(replica: Database, sha256: str, direction: str, size: int, done: int) -> None:
    with _local_write(replica) as local, local.begin():
        local.execute(
            sqlite_insert(SyncTransfer)
            .values(sha256=sha256, direction=direction, size=size, done_bytes=done)
            .on_conflict_do_update(
                index_elements=["sha256", "direction"],
                set_={"done_bytes": done, "size": size, "updated_at": func.now()},
            )
        )


def _local_chunk(replica: Database, sha256: str, seq: int) -> bytes | None:
    with replica.engine.connect() as local:
        data = local.execute(
            select(DocumentChunk.data).where(
                DocumentChunk.sha256 == sha256, DocumentChunk.seq == seq
            )
        ).scalar()
    return None if data is None else bytes(data)


# -- upload --------------------------------------------------------------------------


def upload_pending(
    replica: Database, server: Engine, username: str, on_chunk: OnChunk | None = None
) -> int:
    """Uploads every queued content; returns how many the server now holds for this user."""
    with replica.engine.connect() as local:
        queued = local.execute(
            select(SyncTransfer.sha256).where(SyncTransfer.direction == UP)
        ).scalars()
        hashes = list(queued)
    done = 0
    for sha256 in hashes:
        done += _upload(replica, server, username, sha256, on_chunk)
    return done


def _upload(
    replica: Database, server: Engine, username: str, sha256: str, on_chunk: OnChunk | None
) -> int:
    with replica.engine.connect() as local:
        size = local.execute(
            select(DocumentContent.size).where(DocumentContent.sha256 == sha256)
        ).scalar()
    if size is None:  # nothing stored here to send (the document was never written)
        _forget(replica, sha256, UP)
        return 0
    with server.connect() as remote:
        with remote.begin():
            schema = _schema(remote)
            seen = remote.execute(
                text("SELECT 1 FROM document_contents WHERE sha256 = :sha256"),
                {"sha256": sha256},
            ).scalar()
            if seen:
                _forget(replica, sha256, UP)
                return 1
            seq, sent = remote.execute(
                text(
                    "SELECT coalesce(max(seq) + 1, 0), coalesce(sum(length(data)), 0)"
                    " FROM document_uploads WHERE uploader = :user AND sha256 = :sha256"
                ),
                {"user": username, "sha256": sha256},
            ).one()
        while (chunk := _local_chunk(replica, sha256, seq)) is not None:
            with remote.begin():
                remote.execute(
                    text(
                        "INSERT INTO document_uploads (uploader, sha256, seq, data)"
                        " VALUES (:user, :sha256, :seq, :data)"
                    ),
                    {"user": username, "sha256": sha256, "seq": seq, "data": chunk},
                )
            sent += len(chunk)
            _progress(replica, sha256, UP, size, sent)
            testpoints.reached("content-mid-transfer")
            if on_chunk is not None:
                on_chunk(UP, sha256, seq)
            seq += 1
        with remote.begin():
            stored = remote.execute(
                text(f"SELECT {schema}.store_content(:sha256, :size)"),
                {"sha256": sha256, "size": size},
            ).scalar()
    if not stored:
        reason = "il contenuto locale non corrisponde alla sua impronta SHA-256: non inviato"
        with _local_write(replica) as local, local.begin():
            quarantine.set_aside(local, quarantine.CONTENT, sha256, None, reason)
            local.execute(_delete_transfer(sha256, UP))
        log.warning("content %s refused by the server: hash mismatch", sha256[:12])
        return 0
    _forget(replica, sha256, UP)
    return 1


def _delete_transfer(sha256: str, direction: str) -> Delete:
    return delete(SyncTransfer).where(
        SyncTransfer.sha256 == sha256, SyncTransfer.direction == direction
    )


def _forget(replica: Database, sha256: str, direction: str) -> None:
    with _local_write(replica) as local, local.begin():
        local.execute(_delete_transfer(sha256, direction))


# -- download ------------------------------------------------------------------------


class _Unusable(Exception):
    """The content arrived but cannot be stored (its bytes do not match its hash)."""


def download_missing(
    replica: Database, server: Engine, on_chunk: OnChunk | None = None
) -> Downloads:
    with replica.engine.connect() as local:
        wanted = missing_contents(local)
        held = quarantine.held(local).get(quarantine.CONTENT, set())
    downloaded = missing = set_aside = 0
    dossiers: set[uuid.UUID] = set()
    for sha256 in wanted:
        try:
            if _download(replica, server, sha256, on_chunk):
                downloaded += 1
                dossiers.update(_dossiers_of(replica, sha256))
                if sha256 in held:
                    _lift(replica, sha256)
            else:
                missing += 1
        except _Unusable as problem:
            missing += 1
            set_aside += 1
            with _local_write(replica) as local, local.begin():
                local.execute(delete(DocumentChunk).where(DocumentChunk.sha256 == sha256))
                local.execute(_delete_transfer(sha256, DOWN))
                quarantine.set_aside(local, quarantine.CONTENT, sha256, None, str(problem))
    changes = Changes.of(Changed.DOCUMENTS, dossiers=tuple(dossiers)) if downloaded else Changes()
    return Downloads(downloaded, missing, set_aside, changes)


def _dossiers_of(replica: Database, sha256: str) -> list[uuid.UUID]:
    with replica.engine.connect() as local:
        return list(
            local.execute(select(Document.dossier_id).where(Document.sha256 == sha256)).scalars()
        )


def _lift(replica: Database, sha256: str) -> None:
    with _local_write(replica) as local, local.begin():
        quarantine.lift(local, quarantine.CONTENT, [sha256])


def _download(replica: Database, server: Engine, sha256: str, on_chunk: OnChunk | None) -> bool:
    """True when the content is now stored here; False when the server has none for us."""
    with server.connect() as remote, remote.begin():
        size = remote.execute(
            text("SELECT size FROM document_contents WHERE sha256 = :sha256"),
            {"sha256": sha256},
        ).scalar()
        if size is None:
            return False
        with replica.engine.connect() as local:
            seq, done = local.execute(
                select(
                    func.coalesce(func.max(DocumentChunk.seq) + 1, 0),
                    func.coalesce(func.sum(func.length(DocumentChunk.data)), 0),
                ).where(DocumentChunk.sha256 == sha256)
            ).one()
        while True:
            data = remote.execute(
                text("SELECT data FROM document_chunks WHERE sha256 = :sha256 AND seq = :seq"),
                {"sha256": sha256, "seq": seq},
            ).scalar()
            if data is None:
                break
            chunk = bytes(data)
            del data
            done += len(chunk)
            with _local_write(replica) as local, local.begin():
                local.execute(insert(DocumentChunk).values(sha256=sha256, seq=seq, data=chunk))
                local.execute(
                    sqlite_insert(SyncTransfer)
                    .values(sha256=sha256, direction=DOWN, size=size, done_bytes=done)
                    .on_conflict_do_update(
                        index_elements=["sha256", "direction"],
                        set_={"done_bytes": done, "updated_at": func.now()},
                    )
                )
            del chunk
            testpoints.reached("content-mid-transfer")
            if on_chunk is not None:
                on_chunk(DOWN, sha256, seq)
            seq += 1
    _check_and_store(replica, sha256, int(size))
    return True


def _check_and_store(replica: Database, sha256: str, size: int) -> None:
    digest, total, seq = hashlib.sha256(), 0, 0
    while (chunk := _local_chunk(replica, sha256, seq)) is not None:
        digest.update(chunk)
        total += len(chunk)
        seq += 1
    if digest.hexdigest() != sha256 or total != size:
        raise _Unusable(
            f"contenuto ricevuto non corrispondente alla sua impronta ({total} byte su {size})"
        )
    with _local_write(replica) as local, local.begin():
        local.execute(
            sqlite_insert(DocumentContent).values(sha256=sha256, size=size).on_conflict_do_nothing()
        )
        local.execute(_delete_transfer(sha256, DOWN))
