"""*Pratica → Azioni sulle selezionate*: move, request the parere, take or release the
dossiers selected in the list (``models.services.bulk_actions``), on the worker thread,
then a summary of what was done and, for each refusal, why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from ui.i18n import tr as _tr
from ui.tasks import Job

if TYPE_CHECKING:
    from models.services.bulk_actions import Action, BulkResult
    from ui.main_window import MainWindow

# The service (and with it SQLAlchemy) is imported when an action runs, not when the
# menu is built: the main window's first page must paint without the ORM.


class BulkActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last_result: BulkResult | None = None
        self.summary_box: QMessageBox | None = None
        menu = QMenu(_tr("&Actions on the selected dossiers"), window)
        menu.setObjectName("bulkMenu")
        for text, slot in (
            (_tr("&Move to state…"), self.ask_state),
            (_tr("&Request the parere"), self.request_parere),
            (_tr("&Take them"), lambda: self.assign("me", _tr("Take"))),
            (_tr("Re&lease them"), lambda: self.assign(None, _tr("Release"))),
        ):
            menu.addAction(text).triggered.connect(slot)
        for top in window.menuBar().actions():
            parent = top.menu()
            if isinstance(parent, QMenu) and any(
                a.shortcut() == QKeySequence("Ctrl+O") for a in parent.actions()
            ):
                parent.addMenu(menu)  # under *Pratica*
        self.menu = menu

    def request_parere(self) -> None:
        from models.services.bulk_actions import request_parere

        self.run(request_parere(), _tr("Request"))

    def assign(self, username: str | None, title: str) -> None:
        from models.services.bulk_actions import assign_to

        self.run(assign_to(username), title)

    def ask_state(self) -> None:
        combo = self.window.dossiers.state_filter
        states = [(combo.itemText(i), combo.itemData(i)) for i in range(1, combo.count())]
        if not states:
            return
        label, ok = QInputDialog.getItem(
            self.window,
            _tr("Move to state"),
            _tr("State to move the selected dossiers to (each only where its workflow allows):"),
            [text for text, _code in states],
            0,
            False,
        )
        if ok:
            from models.services.bulk_actions import move_to

            code = next(c for text, c in states if text == label)
            self.run(move_to(str(code)), label)

    def run(self, action: Action, title: str) -> None:
        selected = self.window.dossiers.selected_ids()
        if not selected:
            QMessageBox.information(
                self.window, _tr("Bulk action"), _tr("Select the dossiers in the list first.")
            )
            return
        context = self.window.context
        user = context.operator.username

        def work(_job: Job) -> BulkResult:
            from models.services.bulk_actions import apply_to_each

            return apply_to_each(context.tasks.database, user, selected, action)

        def done(result: BulkResult) -> None:
            self.last_result = result
            context.bus.publish(result.changes)
            self.show_summary(title, result)

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self.window, _tr("Bulk action"), str(error))

        context.tasks.run(work, done, failed)

    def show_summary(self, title: str, result: BulkResult) -> None:
        """Not modal: the clerk may go on working and close it when read."""
        box = QMessageBox(
            QMessageBox.Icon.Information if not result.refused else QMessageBox.Icon.Warning,
            _tr("Bulk action: {0}").format(title),
            result.summary(),
            QMessageBox.StandardButton.Close,
            self.window,
        )
        box.setObjectName("bulkSummary")
        box.setModal(False)
        box.show()
        self.summary_box = box


def install(window: MainWindow) -> BulkActions:
    return BulkActions(window)
