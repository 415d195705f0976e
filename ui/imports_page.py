"""*Importazioni*: the inbox folder's register — every file taken, what it did, and why a
rejected one was set aside; a fixed file can be put back with *Riprova*."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.dates import local_moment
from models.services.inbox import ImportKind, ImportRow, ImportStatus, recent_imports
from sync.inbox.files import InboxFolders
from sync.inbox.processor import InboxProcessor, Outcome
from sync.inbox.watcher import WatchStatus
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.records_model import RecordsModel
from ui.tasks import Job


def local_time(iso: str | datetime | None) -> str:
    return local_moment(iso, seconds=True)


def kind_label(kind: ImportKind) -> str:
    labels = {
        ImportKind.APPLICATION_LIST: _tr("Application list"),
        ImportKind.DOCUMENT: _tr("Document"),
        ImportKind.BATCH: _tr("Scanner batch"),
        ImportKind.OTHER: _tr("Other file"),
    }
    return labels[kind]


def status_label(entry: ImportRow) -> str:
    if entry.status is ImportStatus.IMPORTED:
        return _tr("Imported")
    return _tr("Rejected, put back") if entry.retried_at else _tr("Rejected")


def import_cells(entry: ImportRow) -> list[str]:
    return [
        local_time(entry.imported_at),
        entry.file_name,
        kind_label(entry.kind),
        status_label(entry),
        str(entry.created),
        str(entry.updated),
        str(entry.unchanged),
        str(entry.rejected),
        entry.actor,
        entry.workstation,
    ]


def watch_text(status: WatchStatus | None, folder: Path | None) -> str:
    if folder is None:
        return _tr(
            "No inbox folder is configured, so nothing is imported automatically. To set one, "
            "write in raccordo.ini, in the workstation folder or in the office's site file:\n"
            "[inbox]\ndir = \\\\server\\arrivo\\SUI\n"
            "then start Raccordo again. The administrator's guide explains the folder's use."
        )
    mode = _tr("polling") if status is not None and status.polling else _tr("system events")
    last = local_time(status.last_scan) if status and status.last_scan else _tr("never")
    if status is not None and not status.ok:
        return _tr("Inbox folder {0} unreachable ({1}); last successful scan: {2}").format(
            folder, status.message, last
        )
    return _tr("Inbox folder {0} ({1}); last successful scan: {2}").format(folder, mode, last)


def short_watch_text(status: WatchStatus) -> str:
    """The status bar's reminder: when the folder was last read."""
    last = local_time(status.last_scan)[-8:] if status.last_scan else _tr("never")
    if not status.ok:
        return _tr("Inbox unreachable (last scan {0})").format(last)
    return _tr("Inbox: last scan {0}").format(last)


def arrival_notice(outcome: Outcome) -> str:
    if outcome.status.value == "scartato":
        return _tr("Inbox: {0} rejected, see Imports").format(outcome.file_name)
    if outcome.kind is not None and outcome.kind.value == "documento":
        return _tr("Inbox: {0} attached to dossier {1}").format(outcome.file_name, outcome.dossier)
    if outcome.kind is not None and outcome.kind.value == "lotto":
        return _tr("Inbox: {0} split into {1} documents, each attached to its dossier").format(
            outcome.file_name, outcome.created
        )
    return _tr("Inbox: {0} imported ({1} new, {2} updated, {3} unchanged)").format(
        outcome.file_name, outcome.created, outcome.updated, outcome.unchanged
    )


class ImportsPage(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.entries: list[ImportRow] = []
        self.folder: Path | None = None
        self.model = RecordsModel(
            [
                _tr("When"),
                _tr("File"),
                _tr("Kind"),
                _tr("Outcome"),
                _tr("New"),
                _tr("Updated"),
                _tr("Unchanged"),
                _tr("Rejected rows"),
                _tr("User"),
                _tr("Workstation"),
            ],
            self,
        )
        self.watch_label = QLabel(watch_text(None, None))
        self.watch_label.setObjectName("inboxStatus")
        self.watch_label.setWordWrap(True)
        self.table = QTableView()
        self.table.setAccessibleName(_tr("Imports"))
        self.table.setObjectName("importsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((140, 300, 110, 130, 55, 80, 75, 110, 80)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.detail = QPlainTextEdit(readOnly=True)
        self.detail.setObjectName("importDetail")
        self.detail.setAccessibleName(_tr("Details of the selected import"))
        self.retry_button = QPushButton(_tr("&Retry"))
        self.retry_button.setObjectName("retryImport")
        self.retry_button.setToolTip(
            _tr("Put the file, fixed meanwhile, back into the inbox folder to be read again")
        )
        self.retry_button.setEnabled(False)
        self.retry_button.clicked.connect(self.retry_selected)
        self.folder_button = QPushButton(_tr("Open &folder"))
        self.folder_button.setEnabled(False)
        self.folder_button.clicked.connect(self._open_folder)
        self.message = QLabel()
        self.message.setObjectName("importMessage")

        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.message, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([420, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(self.watch_label)
        layout.addWidget(splitter, 1)

    # -- the monitor ------------------------------------------------------------------

    def show_watch_status(self, status: WatchStatus | None, folder: Path | None) -> None:
        self.folder = folder
        self.watch_label.setText(watch_text(status, folder))

    # -- the register -----------------------------------------------------------------

    def reload(self) -> None:
        database, user = self.context.tasks.database, self.context.operator.username

        def work(_job: Job) -> list[ImportRow]:
            with database.unit_of_work(user) as uow:
                return recent_imports(uow)

        self.context.tasks.run(work, self._show)

    def _show(self, entries: list[ImportRow]) -> None:
        selected = self.selected()
        self.entries = entries
        self.model.set_rows([import_cells(e) for e in entries])
        if selected is not None:
            for row, entry in enumerate(entries):
                if entry.id == selected.id:
                    self.table.selectRow(row)
        self._selected()

    def selected(self) -> ImportRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or not 0 <= rows[0].row() < len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def _selected(self, *_args: QItemSelection) -> None:
        entry = self.selected()
        self.folder_button.setEnabled(entry is not None and bool(entry.stored_path))
        self.retry_button.setEnabled(entry is not None and entry.can_retry)
        if entry is None:
            self.detail.clear()
            return
        stored = _tr("Stored as {0}\nSHA-256 {1}").format(entry.stored_path, entry.sha256)
        self.detail.setPlainText(f"{entry.reason}\n{stored}" if entry.reason else stored)

    def retry_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        database, username = self.context.tasks.database, self.context.operator.username
        root = Path(entry.stored_path).parent.parent

        def work(_job: Job) -> str:
            processor = InboxProcessor(database, username, InboxFolders.at(root))
            return str(processor.retry(str(entry.id)))

        def done(path: str) -> None:
            self.message.setText(_tr("Put back as {0}: it will be read again").format(path))
            self.reload()

        def failed(error: BaseException) -> None:
            self.message.setText(str(error))

        self.context.tasks.run(work, done, failed)

    def _open_folder(self) -> None:
        entry = self.selected()
        if entry is not None and entry.stored_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(entry.stored_path).parent)))
