"""One workstation's sync with the shared server: what the CLI and the GUI call.

``sync_once`` uploads the contents of new documents, pushes the outbox, pulls the feed,
then downloads the contents the replica lacks (``sync/contents.py``); when the server
cannot be reached it reports offline and the replica keeps working, the outbox growing
until the next attempt succeeds. ``wait_for_change`` blocks on LISTEN until another workstation
commits or the timeout passes (the caller syncs either way: NOTIFY is only a hint).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import psycopg
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from models.errors import DomainError
from models.services.changes import Changes
from models.uow import Database
from sync import contents, outbox, quarantine
from sync.deadline import ReadDeadline
from sync.link import NOTIFY_CHANNEL, ConnectionInfo, SyncRefused, server_engine
from sync.pull import pull
from sync.push import push

log = logging.getLogger("raccordo.sync")
_T = TypeVar("_T")
RETRIES = 3
RETRIED = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
WAKE_SLICE = 0.1  # seconds: how soon wake() is noticed while listening
OFFLINE = "server non raggiungibile: si lavora sulla copia locale"
BUSY = "server occupato da un'altra postazione: nuovo tentativo alla prossima sincronizzazione"


@dataclass(frozen=True)
class SyncResult:
    online: bool
    pushed: int  # mutations applied on the server
    refused: int  # mutations refused (stale transition, permission, duplicate)
    conflicts: int  # new field conflicts
    pulled: int  # rows pulled
    queued: int  # mutations still in the outbox
    changes: Changes  # what changed locally (models/services/changes.py)
    error: str | None  # Italian, for the status bar; never contains a password
    uploaded: int = 0  # document contents the server now holds from this workstation
    downloaded: int = 0  # document contents stored here by this sync
    missing: int = 0  # documents whose content is not downloaded yet
    quarantined: int = 0  # pulled rows and contents set aside (raccordo sync status)


class SyncEngine:
    def __init__(
        self,
        replica: Database,
        info: ConnectionInfo,
        password: str | None,
        *,
        local_now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.replica = replica
        self.info = info
        self._password = password
        self._local_now = local_now
        self.server: Engine = server_engine(info, password)
        self._deadline = ReadDeadline(self.server)
        self._listener: psycopg.Connection[tuple[object, ...]] | None = None
        self._woken = threading.Event()

    def sync_once(self, on_chunk: contents.OnChunk | None = None) -> SyncResult:
        """``on_chunk`` is called after each content chunk moved (tests interrupt there)."""
        try:
            uploaded = contents.upload_pending(self.replica, self.server, self.info.user, on_chunk)
            pushed = self._retrying(
                lambda: push(
                    self.replica, self.server, self.info.user, self.replica.today, self._local_now
                )
            )
            pulled = self._retrying(lambda: pull(self.replica, self.server, self._local_now))
            fetched = contents.download_missing(self.replica, self.server, on_chunk)
        except (OperationalError, psycopg.OperationalError) as error:
            if not _unreachable(error):
                log.warning("sync failed on the server: %s", type(error).__name__)
                return self._failed(True, _server_message(error))
            log.info("sync offline: %s", type(error).__name__)
            self.server.dispose()
            return self._failed(False, OFFLINE)
        except SyncRefused as error:
            return self._failed(True, str(error))
        except DBAPIError as error:
            log.warning("sync refused by the server: %s", type(error).__name__)
            return self._failed(True, _server_message(error))
        except DomainError as error:
            return self._failed(True, str(error))
        return SyncResult(
            online=True,
            pushed=pushed.pushed,
            refused=pushed.refused,
            conflicts=pushed.conflicts,
            pulled=pulled.pulled,
            queued=self.queued(),
            changes=pushed.changes | pulled.changes | fetched.changes,
            error=None,
            uploaded=uploaded,
            downloaded=fetched.downloaded,
            missing=fetched.missing,
            quarantined=self.quarantined(),
        )

    @staticmethod
    def _retrying(step: Callable[[], _T]) -> _T:
        """A deadlock or serialisation failure aborted the server transaction: try again
        (a push is idempotent, a pull applies nothing until its end)."""
        for attempt in range(RETRIES):
            try:
                return step()
            except DBAPIError as error:
                code = getattr(error.orig, "sqlstate", None)
                if code not in RETRIED or attempt == RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _failed(self, online: bool, message: str) -> SyncResult:
        return SyncResult(online, 0, 0, 0, 0, self.queued(), Changes(), message)

    def queued(self) -> int:
        with self.replica.sessions() as session:
            return outbox.queued(session)

    def quarantined(self) -> int:
        with self.replica.engine.connect() as connection:
            return sum(len(ids) for ids in quarantine.held(connection).values())

    def wait_for_change(self, timeout: float) -> bool:
        """True when the server announced a change (or ``wake`` was called) within
        ``timeout`` seconds; False when the time ran out or the server is away."""
        deadline = time.monotonic() + timeout
        try:
            listener = self._listen()
            while not self._woken.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                slice_ = min(left, WAKE_SLICE)
                if any(True for _note in listener.notifies(timeout=slice_, stop_after=1)):
                    for _note in listener.notifies(timeout=0):  # one wake-up per burst
                        pass
                    return True
        except (psycopg.Error, OSError):
            self._close_listener()
            self._woken.wait(max(0.0, deadline - time.monotonic()))
        finally:
            woken = self._woken.is_set()
            self._woken.clear()
        return woken

    def wake(self) -> None:
        """Makes a running ``wait_for_change`` return at once (thread-safe): a local save
        is pushed without waiting for the timer."""
        self._woken.set()

    def _listen(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._listener is None or self._listener.closed:
            self._listener = psycopg.connect(
                host=self.info.host,
                port=self.info.port,
                dbname=self.info.database,
                user=self.info.user,
                password=self._password,
                connect_timeout=5,
                application_name="raccordo-listen",
                autocommit=True,
            )
            self._listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return self._listener

    def _close_listener(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(psycopg.Error):
                self._listener.close()
            self._listener = None

    def close(self) -> None:
        self._close_listener()
        self._deadline.close()
        self.server.dispose()


def _unreachable(error: Exception) -> bool:
    """No answer from the server, or it is shutting down / starting up."""
    original = getattr(error, "orig", error)
    code = getattr(original, "sqlstate", None)
    return code is None or str(code).startswith(("08", "57"))


def _server_message(error: DBAPIError | psycopg.Error) -> str:
    original = getattr(error, "orig", error)
    if getattr(original, "sqlstate", None) == "55P03":  # lock_not_available: the write gate
        return BUSY
    diag = getattr(original, "diag", None)
    primary = getattr(diag, "message_primary", None)
    return f"il server ha rifiutato la sincronizzazione: {primary or type(error).__name__}"
