"""Ties a running sync thread to a main window: status bar, views, conflicts, notices.

A pulled result goes through the same change bus as local operations (marked remote,
so it is not pushed back); each local commit on the bus asks the thread to sync now.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from ui.i18n import tr as _tr
from ui.i18n import tr_n as _trn
from ui.main_window import CONFLICTS_SHORTCUT, MainWindow, set_conflicts_visible
from ui.sync_status import SyncStatus
from ui.sync_worker import SyncOutcome, SyncThread

NOTICE_MS = 15_000


class SyncLink(QObject):
    def __init__(self, window: MainWindow, thread: SyncThread, server: str) -> None:
        super().__init__(window)
        self.window, self.sync = window, thread
        self.status = SyncStatus(window.sync_label, server, self)
        thread.synced.connect(self._synced)
        thread.queueChanged.connect(self.status.show_queue)
        window.context.bus.committed.connect(thread.request_sync)
        set_conflicts_visible(window, True)
        window.conflicts.reload()

    def _synced(self, outcome: SyncOutcome) -> None:
        self.status.show_outcome(outcome)
        self.window.context.bus.publish(outcome.changes, local=False)
        if outcome.conflicts or outcome.refused:
            self.window.conflicts.reload()
            self._notice(outcome.conflicts, outcome.refused)

    def _notice(self, conflicts: int, refused: int) -> None:
        parts = []
        if conflicts:
            parts.append(_trn("%n new conflict(s)", "", conflicts))
        if refused:
            parts.append(_trn("%n change(s) refused by the server", "", refused))
        message = _tr("{0}: see Conflicts ({1})").format(", ".join(parts), CONFLICTS_SHORTCUT)
        self.window.statusBar().showMessage(message, NOTICE_MS)
        QApplication.alert(self.window)

    def detach(self) -> None:
        self.window.context.bus.committed.disconnect(self.sync.request_sync)
        self.sync.synced.disconnect(self._synced)
        self.sync.queueChanged.disconnect(self.status.show_queue)
        self.deleteLater()
