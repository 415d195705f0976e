"""What a replica still owes or lacks, read locally (no server needed): for
``raccordo sync status`` and the sync window."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models.sync_tables import SyncTransfer
from models.uow import Database
from sync import contents, outbox, quarantine


@dataclass(frozen=True)
class LocalStatus:
    queued: int  # local transactions not yet pushed
    uploads: int  # contents waiting to go to the server
    missing: int  # documents whose content is not downloaded yet
    partial_bytes: int  # bytes of interrupted transfers, kept to resume from
    quarantine: tuple[str, ...]  # one Italian line per set-aside row or content

    def as_json(self) -> dict[str, object]:
        return {
            "queued": self.queued,
            "uploads": self.uploads,
            "missing_contents": self.missing,
            "partial_bytes": self.partial_bytes,
            "quarantine": list(self.quarantine),
        }

    def lines(self) -> list[str]:
        lines = [
            f"modifiche in coda: {self.queued}",
            f"documenti da inviare: {self.uploads}",
            f"documenti con {contents.NOT_DOWNLOADED}: {self.missing}",
        ]
        if self.partial_bytes:
            lines.append(f"trasferimenti interrotti: {self.partial_bytes} byte già trasferiti")
        lines.append(f"in quarantena: {len(self.quarantine)}")
        lines.extend(f"  {line}" for line in self.quarantine)
        return lines


def local_status(replica: Database) -> LocalStatus:
    with replica.sessions() as session:
        queued = outbox.queued(session)
        set_aside = tuple(quarantine.describe(e) for e in quarantine.entries(session))
        partial = session.scalar(select(func.coalesce(func.sum(SyncTransfer.done_bytes), 0)))
        connection = session.connection()
        uploads = contents.pending_uploads(connection)
        missing = len(contents.missing_contents(connection))
    return LocalStatus(queued, uploads, missing, int(partial or 0), set_aside)
