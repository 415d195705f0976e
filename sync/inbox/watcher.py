"""Watching the inbox folder: events as a cue, a periodic rescan anyway, supervision.

Native events (inotify, ReadDirectoryChangesW) are lost on network shares and on buffer
overflow, so they only wake the loop early; the folder is rescanned every
``rescan_seconds`` whatever happens. On a network share, or when asked, watchdog's
``PollingObserver`` replaces native events. The observer dies silently when the share
drops: the loop checks it on every pass and starts a new one once the folder is back.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from sync.inbox.files import InboxFolders
from sync.inbox.scanner import Readiness, candidates, claim

log = logging.getLogger(__name__)

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ncpfs"}
)


@dataclass(frozen=True)
class WatchOptions:
    polling: bool | None = None  # None: decide from the folder (network share or not)
    stable_seconds: float = 3.0
    rescan_seconds: float = 30.0
    poll_seconds: float = 2.0  # PollingObserver's own interval
    retry_seconds: float = 10.0  # after the folder became unreachable


@dataclass(frozen=True)
class WatchStatus:
    ok: bool
    polling: bool
    last_scan: datetime | None  # the last scan that read the folder successfully
    message: str = ""


def is_network_path(path: Path) -> bool:
    """A UNC path or mapped network drive on Windows; an NFS/SMB mount elsewhere."""
    if sys.platform == "win32":
        text = str(path.resolve())
        if text.startswith("\\\\"):
            return True
        import ctypes

        drive_remote = 4
        return bool(ctypes.windll.kernel32.GetDriveTypeW(text[:3]) == drive_remote)  # type: ignore[attr-defined]
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    target, best, kind = str(path.resolve()), "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, parts[2]
    return kind in NETWORK_FILESYSTEMS


class _Wake(FileSystemEventHandler):
    def __init__(self, wake: threading.Event) -> None:
        self._wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._wake.set()


class InboxWatcher:
    """Claims every complete file of ``folders.root`` and hands it to ``handle``.

    ``handle`` gets the claimed path (in the working folder); the command line imports
    it at once, the GUI queues it on its database worker. ``run`` blocks until ``stop``.
    """

    def __init__(
        self,
        folders: InboxFolders,
        handle: Callable[[Path], None],
        options: WatchOptions | None = None,
        on_status: Callable[[WatchStatus], None] | None = None,
        idle: Callable[[], object] | None = None,
    ) -> None:
        self.folders = folders
        self.handle = handle
        self.idle = idle  # after each pass: background work (reading documents' text)
        self.options = options or WatchOptions()
        self.on_status = on_status
        self.readiness = Readiness(self.options.stable_seconds)
        self.last_scan: datetime | None = None
        self.polling = (
            self.options.polling
            if self.options.polling is not None
            else _safe_is_network(folders.root)
        )
        self._wake = threading.Event()
        self._observer: BaseObserver | None = None
        self._last_status: WatchStatus | None = None

    # -- one pass -----------------------------------------------------------------

    def scan(self) -> list[Path]:
        """Claim and hand over every file that is ready; OSError when the folder is gone."""
        root = self.folders.root
        claimed = []
        for path in self.readiness.ready(candidates(root)):
            self.readiness.forget(path)
            try:  # whatever one file does, the others are still taken
                taken = claim(path, self.folders.working)
            except OSError:
                log.warning("inbox: %s could not be claimed", path.name, exc_info=True)
                continue
            if taken is None:
                continue  # another workstation got it, or it is still held open
            claimed.append(taken)
            try:
                self.handle(taken)
            except Exception:  # one bad file must not stop the watcher
                log.exception("inbox: handling %s failed", taken.name)
        self.last_scan = datetime.now(UTC)
        if self.idle is not None:
            try:
                self.idle()
            except Exception:  # background work must not stop the watcher either
                log.exception("inbox: background work failed")
        return claimed

    def wake(self) -> None:
        self._wake.set()

    # -- the loop -----------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                self._wake.clear()
                timeout = self._pass()
                if stop.is_set():
                    break
                self._wake.wait(timeout)
                if stop.is_set():
                    break
        finally:
            self._stop_observer()

    def _pass(self) -> float:
        options = self.options
        try:
            if not self._observer_healthy():
                self._start_observer()
            self.scan()
        except OSError as error:
            self._stop_observer()
            self._report(False, f"cartella di arrivo non raggiungibile: {error}")
            return options.retry_seconds
        self._report(True, "")
        if self.readiness.pending:
            return min(options.rescan_seconds, max(options.stable_seconds / 2, 0.05))
        return options.rescan_seconds

    def _observer_healthy(self) -> bool:
        observer = self._observer
        if observer is None or not observer.is_alive():
            return False
        return all(emitter.is_alive() for emitter in observer.emitters)

    def _start_observer(self) -> None:
        self._stop_observer()
        root = self.folders.root
        if not root.is_dir():
            raise FileNotFoundError(os.strerror(2) + f": {root}")
        self.folders.ensure()
        observer: BaseObserver = (
            PollingObserver(timeout=self.options.poll_seconds) if self.polling else Observer()
        )
        observer.daemon = True
        observer.schedule(_Wake(self._wake), str(root), recursive=False)
        observer.start()
        self._observer = observer
        log.info("inbox: watching %s (%s)", root, "polling" if self.polling else "events")

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            try:
                observer.stop()
                observer.join(timeout=5)
            except Exception:  # a dead share can make stopping fail too
                log.debug("inbox: stopping the observer failed", exc_info=True)

    def _report(self, ok: bool, message: str) -> None:
        status = WatchStatus(ok, self.polling, self.last_scan, message)
        if status != self._last_status or ok:
            self._last_status = status
            if self.on_status is not None:
                self.on_status(status)


def _safe_is_network(path: Path) -> bool:
    try:
        return is_network_path(path)
    except OSError:
        return False
