"""Fakes of the documented sync API (docs/sync-design.md) for the GUI's unit tests."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from models.errors import DomainError, NotFound
from models.services.changes import Changed, Changes
from models.services.conflicts import ConflictRow
from models.uow import Database, UnitOfWork
from sync.link import ConnectionInfo
from ui.i18n import install_translations

INFO = ConnectionInfo("rossi", "db.prefettura.lan", 5432, "raccordo")


@dataclass(frozen=True)
class FakeResult:
    online: bool = True
    pushed: int = 0
    refused: int = 0
    conflicts: int = 0
    pulled: int = 0
    queued: int = 0
    changes: Changes = field(default_factory=Changes)
    error: str | None = None
    missing: int = 0
    quarantined: int = 0


class FakeEngine:
    """``SyncEngine``: counts its calls; ``notify()`` plays a server notification."""

    def __init__(self) -> None:
        self.online = True
        self.outbox = 0
        self.error = "server non raggiungibile: connessione rifiutata"
        self.next_result: FakeResult | None = None
        self.syncs = 0
        self.closed = False
        self.wakes = 0
        self._notified = threading.Event()
        self._lock = threading.Lock()

    def sync_once(self) -> FakeResult:
        with self._lock:
            self.syncs += 1
            if self.next_result is not None:
                result, self.next_result = self.next_result, None
                return result
            if not self.online:
                return FakeResult(online=False, queued=self.outbox, error=self.error)
            pushed, self.outbox = self.outbox, 0
            return FakeResult(pushed=pushed)

    def queued(self) -> int:
        return self.outbox

    def wait_for_change(self, timeout: float) -> bool:
        if self._notified.wait(timeout):
            self._notified.clear()
            return True
        return False

    def notify(self) -> None:
        self._notified.set()

    def wake(self) -> None:
        self.wakes += 1
        self._notified.set()

    def close(self) -> None:
        self.closed = True


def conflict(
    number: int,
    reference: str,
    field: str | None,
    local: Any,
    server: Any,
    created_at: datetime,
    reason: str = "campo modificato anche da un'altra postazione",
) -> ConflictRow:
    """A row as ``list_conflicts`` returns it; ``field=None`` for a refused change."""
    from models.validation import FIELD_LABELS

    return ConflictRow(
        id=number,
        kind="field" if field else "refused",
        table="dossiers",
        row_id=uuid.uuid4().hex,
        dossier_id=None,
        reference=reference,
        field=field,
        field_label=FIELD_LABELS.get(field or "", field),
        base=None,
        local=local,
        server=server,
        reason=reason,
        created_at=created_at,
        resolved_at=None,
        resolution=None,
        summary=f"{field}: qui «{local}», sul server «{server}»" if field else reason,
    )


class FakeConflicts:
    """``models.services.conflicts`` over a list; records each resolution."""

    def __init__(self, rows: Sequence[ConflictRow]) -> None:
        self.rows = list(rows)
        self.resolved: list[tuple[int, str]] = []

    def list_conflicts(self, uow: UnitOfWork, include_resolved: bool = False) -> list[ConflictRow]:
        return [r for r in self.rows if include_resolved or r.resolved_at is None]

    def resolve_conflict(self, uow: UnitOfWork, conflict_id: int, keep: str) -> Changes:
        for position, row in enumerate(self.rows):
            if row.id == conflict_id:
                self.rows[position] = replace(row, resolved_at=datetime.now(UTC), resolution=keep)
                self.resolved.append((conflict_id, keep))
                return Changes.of(Changed.DOSSIER)
        raise NotFound(f"conflitto {conflict_id} inesistente")


class FakeBackend:
    """``desktop.connection`` + ``sync.engine`` for the dialog and the window switch."""

    def __init__(self, replica: Database, engine: FakeEngine | None = None) -> None:
        self.replica = replica
        self.sync_engine = engine or FakeEngine()
        self.has_keyring = True
        self.stored: ConnectionInfo | None = None
        self.stored_password: str | None = None
        self.connect_error: DomainError | None = None
        self.connected_with: list[tuple[str, str | None]] = []
        self.disconnected = False
        self.discarded = False
        self.gate: threading.Event | None = None  # holds connect() until set

    def keyring_available(self) -> bool:
        return self.has_keyring

    def load_connection(self, home: Path) -> ConnectionInfo | None:
        return self.stored

    def password_for(self, info: ConnectionInfo) -> str | None:
        return self.stored_password if self.has_keyring else None

    def connect(
        self, home: Path, url: str, password: str | None, progress: Callable[[str, int], None]
    ) -> ConnectionInfo:
        if self.gate is not None:
            self.gate.wait(10)
        self.connected_with.append((url, password))
        if self.connect_error is not None:
            raise self.connect_error
        user, _, rest = url.removeprefix("postgresql://").partition("@")
        host_port, _, database = rest.partition("/")
        host, _, port = host_port.partition(":")
        self.stored = ConnectionInfo(user, host, int(port or 5432), database)
        if self.has_keyring:
            self.stored_password = password
        for rows in (600, 1000):
            progress("dossiers", rows)
        progress("flags", 20)
        return self.stored

    def queued_changes(self, home: Path) -> int:
        return self.sync_engine.outbox

    def disconnect(self, home: Path, discard_local: bool) -> None:
        self.disconnected = True
        self.discarded = discard_local
        self.stored = None

    def open_replica(self, home: Path) -> Database:
        return self.replica

    def engine(self, replica: Database, info: ConnectionInfo, password: str | None) -> FakeEngine:
        return self.sync_engine


class Italian:
    """Installs the Italian interface for one test and takes it away again."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.locale = QLocale()
        self.translators: list[QTranslator] = install_translations(app, "it")

    def remove(self) -> None:
        for translator in self.translators:
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(self.locale)
