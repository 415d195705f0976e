"""The sync thread: owns the workstation's ``SyncEngine`` and keeps the replica in step.

Network work only, on its own thread: it never shares the GUI's database worker. It
syncs at start, after every local commit (``request_sync``), when the server notifies a
change (``wait_for_change``) and at least every ``POLL_SECONDS``; offline it retries
with a growing pause and resumes by itself when the server answers again. Each result
reaches the GUI thread through the queued ``synced`` signal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal

from models.services.changes import Changes
from ui.i18n import tr as _tr

log = logging.getLogger(__name__)

POLL_SECONDS = 10.0  # a timer pull even when no notification arrives
EARLY_PAUSE = 0.25  # after a wait that returned early without news: no busy loop
BACKOFF_SECONDS = (2.0, 4.0, 8.0, 15.0, 30.0)


class SyncOutcome(Protocol):
    """What ``SyncEngine.sync_once`` returns (``sync.engine.SyncResult``)."""

    @property
    def online(self) -> bool: ...
    @property
    def pushed(self) -> int: ...
    @property
    def refused(self) -> int: ...
    @property
    def conflicts(self) -> int: ...
    @property
    def pulled(self) -> int: ...
    @property
    def queued(self) -> int: ...
    @property
    def changes(self) -> Changes: ...
    @property
    def error(self) -> str | None: ...
    @property
    def missing(self) -> int: ...
    @property
    def quarantined(self) -> int: ...


class SyncEngineLike(Protocol):
    """The part of ``sync.engine.SyncEngine`` the thread uses (docs/sync-design.md)."""

    def sync_once(self) -> SyncOutcome: ...
    def queued(self) -> int: ...
    def wait_for_change(self, timeout: float) -> bool: ...
    def wake(self) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Unreachable:
    """An offline outcome for a failure the engine itself did not turn into a result."""

    error: str
    queued: int = 0
    online: bool = False
    pushed: int = 0
    refused: int = 0
    conflicts: int = 0
    pulled: int = 0
    changes: Changes = field(default_factory=Changes)
    missing: int = 0
    quarantined: int = 0


class SyncThread(QThread):
    synced = Signal(object)  # SyncOutcome, never None
    queueChanged = Signal(int)  # mutations waiting, counted while offline

    def __init__(
        self,
        engine_factory: Callable[[], SyncEngineLike],
        secret: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("raccordo-sync")
        self._factory = engine_factory
        self._secret = secret  # scrubbed from any error text that might echo it
        self._requested = threading.Event()
        self._stopping = threading.Event()
        self._engine: SyncEngineLike | None = None

    def request_sync(self, *_args: object) -> None:
        """From any thread: sync now (a local commit is pushed at once)."""
        self._requested.set()
        self._wake()

    def request_stop(self) -> None:
        """End the loop without waiting: a sync under way finishes first."""
        self._stopping.set()
        self._requested.set()
        self._wake()

    def _wake(self) -> None:
        engine = self._engine  # set once by the sync thread; wake() is thread-safe
        if engine is not None:
            engine.wake()

    def stop(self) -> None:
        self.request_stop()
        self.wait()

    # -- the thread -------------------------------------------------------------

    def run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._requested.clear()
            outcome = self._sync()
            self.synced.emit(outcome)
            if self._stopping.is_set():
                break
            if outcome.online:
                failures = 0
                self._wait_online()
            else:
                pause = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS) - 1)]
                failures += 1
                self._wait_offline(pause)
        if self._engine is not None:
            try:
                self._engine.close()
            except Exception:  # closing a dead connection may fail; nothing to save
                log.debug("closing the sync engine failed", exc_info=True)

    def _sync(self) -> SyncOutcome:
        try:
            if self._engine is None:
                self._engine = self._factory()
            return self._engine.sync_once()
        except Exception as error:
            detail = self._scrub(str(error)).strip() or type(error).__name__
            log.warning("sync failed: %s", detail)
            return Unreachable(_tr("server unreachable ({0})").format(detail), self._queued())

    def _queued(self) -> int:
        try:
            return self._engine.queued() if self._engine is not None else 0
        except Exception:
            return 0

    def _wait_online(self) -> None:
        """Until the server notifies a change, a local commit wakes the engine, or the
        timer pull is due."""
        deadline = time.monotonic() + POLL_SECONDS
        while not self._requested.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._engine is None:
                return
            started = time.monotonic()
            try:
                if self._engine.wait_for_change(remaining):
                    return
            except Exception:
                return  # the connection dropped: the next sync reports offline
            # An engine that returns early must not turn this loop into a busy wait.
            pause = min(EARLY_PAUSE, remaining) - (time.monotonic() - started)
            self._requested.wait(max(0.0, pause))

    def _wait_offline(self, pause: float) -> None:
        """Sleep ``pause`` seconds; local commits meanwhile only update the queue count."""
        deadline = time.monotonic() + pause
        while not self._stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if self._requested.wait(remaining) and not self._stopping.is_set():
                self._requested.clear()
                self.queueChanged.emit(self._queued())

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "•••") if self._secret else text
