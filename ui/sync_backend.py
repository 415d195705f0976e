"""What the GUI needs from the workstation's connection and sync engine, in one place.

``RealBackend`` forwards to ``desktop.connection`` and ``sync.engine``
(docs/sync-design.md, "Workstation API"); tests give the windows a fake with the same
methods. Every method but ``keyring_available`` and ``load_connection`` may touch the
network, the keyring or large files: call them off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from models.uow import Database
from sync.link import ConnectionInfo
from ui.sync_worker import SyncEngineLike

Progress = Callable[[str, int], None]  # (table being downloaded, its rows so far)


class SyncBackend(Protocol):
    def keyring_available(self) -> bool: ...
    def load_connection(self, home: Path) -> ConnectionInfo | None: ...
    def password_for(self, info: ConnectionInfo) -> str | None: ...
    def connect(
        self, home: Path, url: str, password: str | None, progress: Progress
    ) -> ConnectionInfo: ...
    def queued_changes(self, home: Path) -> int: ...
    def disconnect(self, home: Path, discard_local: bool) -> None: ...
    def open_replica(self, home: Path) -> Database: ...
    def engine(
        self, replica: Database, info: ConnectionInfo, password: str | None
    ) -> SyncEngineLike: ...


class RealBackend:
    def keyring_available(self) -> bool:
        from desktop.connection import keyring_available

        return keyring_available()

    def load_connection(self, home: Path) -> ConnectionInfo | None:
        from desktop.connection import load_connection

        return load_connection(home)

    def password_for(self, info: ConnectionInfo) -> str | None:
        from desktop.connection import password_for

        return password_for(info)

    def connect(
        self, home: Path, url: str, password: str | None, progress: Progress
    ) -> ConnectionInfo:
        """Checks the server, keeps the password in the keyring, downloads the replica."""
        from desktop.connection import connect

        return connect(home, url, password, progress=progress)

    def queued_changes(self, home: Path) -> int:
        from desktop.connection import queued_changes

        return len(queued_changes(home))

    def disconnect(self, home: Path, discard_local: bool) -> None:
        from desktop.connection import disconnect

        disconnect(home, discard_local=discard_local)

    def open_replica(self, home: Path) -> Database:
        from desktop.connection import open_replica

        return open_replica(home)

    def engine(
        self, replica: Database, info: ConnectionInfo, password: str | None
    ) -> SyncEngineLike:
        from sync.engine import SyncEngine

        return SyncEngine(replica, info, password)
