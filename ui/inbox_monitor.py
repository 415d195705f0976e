"""The inbox folder inside the GUI: the watcher on a background thread, imports as jobs.

The watcher thread only looks at files and claims them; each claimed file becomes a job
on a database worker of its own (``ui/tasks.py``), so a 10,000-row list never holds up
the clerk's own queries. Results reach the GUI thread through queued signals.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.context import UiContext
from ui.tasks import Job, TaskManager

if TYPE_CHECKING:  # loaded only on a workstation with an inbox folder (see install)
    from sync.inbox.processor import Outcome
    from sync.inbox.watcher import WatchOptions, WatchStatus


@dataclass(frozen=True)
class InboxConfig:
    root: Path
    options: WatchOptions


def configured_inbox(home: Path | None) -> InboxConfig | None:
    """``inbox.dir`` and the other ``inbox.*`` keys of the workstation's settings."""
    if home is None:
        return None
    from desktop.settings import load
    from sync.inbox.config import inbox_dir, watch_options

    settings = load(home)
    root = inbox_dir(settings)
    return InboxConfig(root, watch_options(settings)) if root is not None else None


class InboxMonitor(QObject):
    arrived = Signal(object)  # Outcome, on the GUI thread
    statusChanged = Signal(object)  # WatchStatus
    failed = Signal(str)
    _claimed = Signal(str)  # from the watcher thread
    _status = Signal(object)

    def __init__(self, context: UiContext, config: InboxConfig, parent: QObject | None = None):
        from sync.inbox.files import InboxFolders
        from sync.inbox.processor import InboxProcessor
        from sync.inbox.text_worker import TextWorker
        from sync.inbox.texts import TextReader
        from sync.inbox.watcher import InboxWatcher

        super().__init__(parent)
        self.context = context
        self.config = config
        self.folders = InboxFolders.at(config.root)
        self.processor = InboxProcessor(
            context.tasks.database, context.operator.username, self.folders
        )
        self.tasks = TaskManager(context.tasks.database, self, "raccordo-inbox")
        # Documents' text (OCR) on its own thread, low priority: nobody waits for it.
        self.texts = TextWorker(TextReader(context.tasks.database, context.operator.username))
        self.watcher = InboxWatcher(
            self.folders,
            self._from_watcher,
            config.options,
            self._status.emit,
            idle=self.texts.wake,
        )
        self.status: WatchStatus | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._claimed.connect(self._import)
        self._status.connect(self._status_arrived)

    def start(self) -> None:
        """Recover what a crash left behind, then watch."""

        def recover(_job: Job) -> int:
            if self.folders.root.is_dir():
                self.folders.ensure()
                return len(self.processor.recover())
            return 0

        self.tasks.run(recover, lambda _count: self._start_thread(), self._start_failed)

    def _start_failed(self, error: BaseException) -> None:
        self.failed.emit(str(error))
        self._start_thread()

    def _start_thread(self) -> None:
        if self._thread is not None or self._stop.is_set():
            return
        self._thread = threading.Thread(
            target=self.watcher.run, args=(self._stop,), name="raccordo-inbox-watch", daemon=True
        )
        self._thread.start()
        self.texts.start()

    def _from_watcher(self, claimed: Path) -> None:
        self._claimed.emit(str(claimed))  # queued to the GUI thread

    def _status_arrived(self, status: WatchStatus) -> None:
        self.status = status
        self.statusChanged.emit(status)

    def _import(self, claimed: str) -> None:
        def work(_job: Job) -> Outcome:
            return self.processor.process_or_give_back(Path(claimed))  # retried if it fails

        self.tasks.run(work, self._done, lambda error: self.failed.emit(str(error)))

    def _done(self, outcome: Outcome) -> None:
        self.context.bus.publish(outcome.changes)
        self.arrived.emit(outcome)

    def stop(self) -> None:
        self._stop.set()
        self.watcher.wake()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.texts.stop()
        self.tasks.shutdown()
        self.processor.close()


def install(window: Any) -> InboxMonitor | None:
    """Start the monitor for the main window when an inbox folder is configured: the
    last scan's time in the status bar, a notice for every file that arrives."""
    config = configured_inbox(window.context.home)
    if config is None:
        return None
    from PySide6.QtWidgets import QLabel

    from ui.i18n import tr as _tr
    from ui.imports_page import arrival_notice, short_watch_text

    monitor = InboxMonitor(window.context, config, window)
    label = QLabel(_tr("Inbox: starting…"))
    label.setObjectName("inboxLastScan")
    window.statusBar().addPermanentWidget(label)
    page = window.imports
    page.show_watch_status(None, config.root)

    def status(state: WatchStatus) -> None:
        label.setText(short_watch_text(state))
        page.show_watch_status(state, config.root)

    def notice(outcome: Outcome) -> None:
        window.statusBar().showMessage(arrival_notice(outcome), 15_000)

    monitor.statusChanged.connect(status)
    monitor.arrived.connect(notice)
    monitor.failed.connect(
        lambda message: window.statusBar().showMessage(_tr("Inbox: {0}").format(message), 15_000)
    )
    monitor.start()
    return monitor
