"""The dossier window's *Documenti* tab: attached scans, opened with the system viewer."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.dates import local_moment
from models.services.inbox import DocumentFacts, document_content, dossier_documents
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.records_model import RecordsModel
from ui.tasks import Job

VIEWER_DIR = Path(tempfile.gettempdir()) / "raccordo-documenti"


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def document_cells(document: DocumentFacts) -> list[str]:
    name = document.file_name
    if not document.downloaded:  # a replica gets the row before the content
        name = _tr("{0} · content not downloaded yet").format(name)
    source = ""
    if document.source_batch:  # cut from a scanner batch at its separator sheets
        source = _tr("{0}, pages {1}").format(document.source_batch, document.source_pages)
    return [
        name,
        (document.kind or "").capitalize(),
        document.media_type,
        size_text(document.size),
        local_moment(document.received_at, seconds=True),
        document.received_by,
        source,
    ]


def viewer_copy(document_id: str, file_name: str, data: bytes) -> Path:
    """A private copy for the system viewer (the database holds the original)."""
    folder = VIEWER_DIR / document_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(file_name).name
    if not path.exists() or path.stat().st_size != len(data):
        path.write_bytes(data)
    return path


class DocumentsTab(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dossier_ref: str | None = None
        self.documents: list[DocumentFacts] = []
        # A dossier window deletes itself on close: answers still queued must not reach it.
        jobs: list[Job] = []
        self._jobs = jobs
        self.destroyed.connect(lambda _object=None, jobs=jobs: [job.cancel() for job in jobs])
        self.model = RecordsModel(
            [
                _tr("File"),
                _tr("Document kind"),
                _tr("Type"),
                _tr("Size"),
                _tr("Received"),
                _tr("By"),
                _tr("Scanner batch"),
            ],
            self,
        )
        self.view = QTableView()
        self.view.setObjectName("documentsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((250, 125, 110, 95, 135, 70)):
            self.view.setColumnWidth(column, width)
        self.view.activated.connect(self._activated)
        self.open_button = QPushButton(_tr("&Open document"))
        self.open_button.setObjectName("openDocument")
        self.open_button.clicked.connect(self.open_selected)
        self.hint = QLabel(
            _tr(
                "Scans arrive through the inbox folder, named "
                "<protocol or application code>__<description>.pdf"
            )
            + " "
            + _tr("or as one scanner batch with separator sheets between the documents.")
        )
        self.hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("documentsMessage")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)

    def load(self, dossier_ref: str) -> None:
        self.dossier_ref = dossier_ref
        database, username = self.context.tasks.database, self.context.operator.username

        def work(_job: Job) -> list[DocumentFacts]:
            with database.unit_of_work(username) as uow:
                return dossier_documents(uow, dossier_ref)

        self._run(work, self._show)

    def _run(self, work: Any, on_done: Any) -> None:
        del self._jobs[:-20]  # jobs run in order: older ones have long finished
        self._jobs.append(
            self.context.tasks.run(work, on_done, lambda error: self.message.setText(str(error)))
        )

    def _show(self, documents: list[DocumentFacts]) -> None:
        self.documents = documents
        self.model.set_rows([document_cells(d) for d in documents])
        self.open_button.setEnabled(bool(documents))
        if documents and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def _activated(self, index: QModelIndex) -> None:
        self.view.selectRow(index.row())
        self.open_selected()

    def open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.documents):
            return
        document_id = str(self.documents[rows[0].row()].id)
        database, username = self.context.tasks.database, self.context.operator.username

        def work(_job: Job) -> str:
            with database.unit_of_work(username) as uow:
                name, data = document_content(uow, document_id)
            return str(viewer_copy(document_id, name, data))

        def show(path: str) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
                self.message.setText(_tr("No program opens this file: {0}").format(path))

        self._run(work, show)
