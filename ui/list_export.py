"""*Pratica → Esporta l'elenco…* (``Ctrl+E``): the list as shown — its view, filters and
order — to PDF, CSV or XLSX (``reports.list_export``), written on the worker thread."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ui.i18n import tr as _tr
from ui.tasks import Job

if TYPE_CHECKING:
    from ui.dossier_page import DossierPage
    from ui.main_window import MainWindow

EXPORT_SHORTCUT = "Ctrl+E"


def describe(page: DossierPage) -> str:
    """The filters of the list in words, for the file's heading."""
    parts = []
    if page.search.text().strip():
        parts.append(_tr("text «{0}»").format(page.search.text().strip()))
    for combo in (page.type_filter, page.state_filter, page.office_filter):
        if combo.currentIndex() > 0:
            parts.append(combo.currentText())
    for box in (page.overdue_only, page.with_flags):
        if box.isChecked():
            parts.append(box.text().replace("&", ""))
    return "; ".join(parts) or _tr("no filter")


class ListExporter(QObject):
    saved = Signal(str)  # the path written

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action = QAction(_tr("&Export the list…"), window)
        self.action.setShortcut(QKeySequence(EXPORT_SHORTCUT))
        self.action.triggered.connect(self.ask)
        window.addAction(self.action)
        for top in window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu) and any(
                a.shortcut() == QKeySequence("Ctrl+O") for a in menu.actions()
            ):
                menu.addAction(self.action)  # under *Pratica*

    def title(self) -> str:
        item = self.window.navigation.currentItem()
        return item.text() if item is not None else _tr("Dossiers")

    def ask(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(
            self.window,
            _tr("Export the list"),
            str(Path.home() / "elenco-pratiche.pdf"),
            _tr("PDF (*.pdf);;CSV for Excel (*.csv);;Excel (*.xlsx)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        page = self.window.dossiers
        context = self.window.context
        spec, sort, descending = page.current_filter(), page.model.sort_key, page.model.descending
        title, description, user = self.title(), describe(page), context.operator.username

        def work(_job: Job) -> int:
            from reports.list_export import collect, write

            with context.tasks.database.unit_of_work(user) as uow:
                export = collect(
                    uow,
                    spec,
                    datetime.now(),
                    sort,
                    descending,
                    title,
                    description,
                )
            write(export, path)
            return len(export.rows)

        def done(count: int) -> None:
            self.window.statusBar().showMessage(
                _tr("{0} dossiers saved in {1}").format(count, path), 10000
            )
            self.saved.emit(str(path))

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self.window, _tr("Export the list"), str(error))

        context.tasks.run(work, done, failed)


def install(window: MainWindow) -> ListExporter:
    return ListExporter(window)
