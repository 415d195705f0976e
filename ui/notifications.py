"""Notices in the status bar and in a list, never modal (``models.services.notifications``):
checked every minute and after every change saved or pulled; *Avvisi* in the status bar
opens the list, a double click opens the dossier."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QToolButton

from models.services.changes import Changes
from ui.first_page import after_first_page
from ui.i18n import tr as _tr
from ui.tasks import Job

if TYPE_CHECKING:
    from models.services.notifications import Notice  # the service loads SQLAlchemy
    from ui.main_window import MainWindow

CHECK_EVERY_MS = 60_000
AFTER_CHANGE_MS = 1_000


class Notifications(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.since = datetime.now(UTC)
        self.checked_on: date | None = None  # the database's today at the last check
        self.notices: list[Notice] = []
        self._seen: set[str] = set()
        self.checks = 0  # answers received
        self.unread = 0
        self.button = QToolButton()
        self.button.setObjectName("noticesButton")
        self.button.setAutoRaise(True)
        self.button.setToolTip(
            _tr("New items for your office, pareri returned, dossiers entering their last 7 days")
        )
        self.button.clicked.connect(self.show_list)
        window.statusBar().addPermanentWidget(self.button)
        self.list = QListWidget()
        self.list.setObjectName("noticesList")
        self.list.setWindowTitle(_tr("Notices"))
        self.list.setWindowFlag(Qt.WindowType.Tool)
        self.list.resize(560, 300)
        self.list.itemActivated.connect(self._open)
        self._timer = QTimer(self, interval=CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        self._soon = QTimer(self, singleShot=True, interval=AFTER_CHANGE_MS)
        self._soon.timeout.connect(self.check)
        window.context.bus.changed.connect(self._changed)
        window.destroyed.connect(self.list.close)
        self._show_count()
        # The first check (today's deadlines) opens the database: not before the first
        # page of rows has painted from the light read path.
        after_first_page(window, self._soon.start)

    def _changed(self, _changes: Changes) -> None:
        self._soon.start()

    def check(self) -> None:
        context = self.window.context
        user, since, checked_on = context.operator.username, self.since, self.checked_on

        def work(_job: Job) -> tuple[list[Notice], datetime, date]:
            from models.services.notifications import notices_since

            # A second early: entered_at may be stored to the second (SQLite).
            started = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
            with context.tasks.database.unit_of_work(user) as uow:
                # At start: the deadlines that came within 7 days today.
                found = notices_since(uow, since, checked_on or uow.today - timedelta(days=1))
                return found, started, uow.today

        context.tasks.run(work, self._arrived)

    def _arrived(self, result: tuple[list[Notice], datetime, date]) -> None:
        found, started, today = result
        self.checks += 1
        self.since, self.checked_on = started, today
        found = [n for n in found if n.key not in self._seen]
        self._seen.update(n.key for n in found)
        if not found:
            return
        for notice in found:
            item = QListWidgetItem(notice.text)
            item.setData(Qt.ItemDataRole.UserRole, notice.dossier_id)
            self.list.insertItem(0, item)
        self.notices = found + self.notices
        self.unread += len(found)
        self._show_count()
        self.window.statusBar().showMessage(found[-1].text, 15000)

    def _show_count(self) -> None:
        self.button.setText(_tr("Notices: {0}").format(self.unread))
        font = self.button.font()
        font.setBold(self.unread > 0)
        self.button.setFont(font)

    def show_list(self) -> None:
        self.unread = 0
        self._show_count()
        self.list.show()
        self.list.raise_()

    def _open(self, item: QListWidgetItem) -> None:
        dossier_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(dossier_id, str):
            self.window.open_dossier(dossier_id)


def install(window: MainWindow) -> Notifications:
    return Notifications(window)
