"""*Stampa lettere…* (``Ctrl+Shift+L``): one kind of letter for each selected dossier, in
one PDF (``reports.bulk_letters``), built on the background worker so that the list stays
usable meanwhile; the preview, and beside it a summary that stays open: how many letters,
and each refused dossier with its reason. Printing the PDF records each letter's
*stampata* event, a dossier at a time, in small jobs that let the list's own work through.
"""

from __future__ import annotations

from functools import reduce
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr as _tr
from ui.tasks import Job

if TYPE_CHECKING:
    from models.services.bulk_actions import BulkResult
    from models.services.bulk_letters import LettersResult
    from reports.bulk_letters import LetterBatch
    from ui.main_window import MainWindow
    from ui.pdf_preview import PdfPreview

LETTERS_SHORTCUT = "Ctrl+Shift+L"
RECORD_CHUNK = 25  # dossiers recorded per job: the list's queries pass in between


class LettersSummary(QDialog):
    """Not modal: what was printed and what was refused, and why."""

    def __init__(self, result: LettersResult, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("lettersSummary")
        self.setModal(False)
        self.headline = QLabel()
        self.headline.setObjectName("lettersHeadline")
        self.headline.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.refusals = QPlainTextEdit()
        self.refusals.setObjectName("lettersRefused")
        self.refusals.setReadOnly(True)
        self.refusals.setAccessibleName(_tr("Refused dossiers"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.note)
        layout.addWidget(self.refusals, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.show_result(result)

    def show_result(self, result: LettersResult) -> None:
        self.shown = result
        self.setWindowTitle(_tr("Print letters: {0}").format(result.title))
        self.headline.setText(f"<b>{result.headline()}</b>")
        self.note.setText(
            "" if result.recorded else _tr("Printing the PDF records each letter on its dossier.")
        )
        self.note.setVisible(not result.recorded)
        lines = result.refusal_lines()
        self.refusals.setPlainText("\n".join(lines))
        self.refusals.setVisible(bool(lines))
        if lines:  # room for a few lines; a long list scrolls
            self.resize(max(self.width(), 640), 360)
        else:
            self.adjustSize()

    def text(self) -> str:
        return self.shown.summary()


class BulkLetters(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None
        self.progress: QProgressDialog | None = None
        self.preview: PdfPreview | None = None
        self.summary: LettersSummary | None = None
        self.batch: LetterBatch | None = None
        self.action = QAction(_tr("&Print letters…"), window)
        self.action.setObjectName("printLetters")
        self.action.setShortcut(QKeySequence(LETTERS_SHORTCUT))
        self.action.setToolTip(_tr("One letter for each selected dossier, in one PDF"))
        self.action.triggered.connect(lambda _checked=False: self.ask())
        window.addAction(self.action)
        window.bulk_actions.menu.addAction(self.action)
        # Under *Pratica → Stampa*, beside the slip and the separators, its own Alt letter.
        beside = QAction(_tr("&Letters of the selected dossiers…"), window)
        beside.setObjectName("printLettersMenu")
        beside.triggered.connect(lambda _checked=False: self.ask())
        for top in window.menuBar().actions():
            menu = top.menu()
            if not isinstance(menu, QMenu):
                continue
            for entry in menu.actions():
                sub = entry.menu()
                if isinstance(sub, QMenu) and any(
                    a.shortcut() == QKeySequence("Ctrl+Shift+P") for a in sub.actions()
                ):
                    sub.insertAction(sub.actions()[1], beside)
        table = window.dossiers.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)

    def context_menu(self) -> QMenu:
        """The list's context menu: these letters, the other actions on the selection."""
        menu = QMenu(self.window.dossiers.table)
        menu.setObjectName("listContextMenu")
        menu.addAction(self.action)
        menu.addMenu(self.window.bulk_actions.menu)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        table = self.window.dossiers.table
        self.context_menu().popup(table.viewport().mapToGlobal(position))

    def ask(self) -> None:
        from ui.letters_dialog import LettersDialog

        selected = self.window.dossiers.selected_ids()
        if not selected:
            QMessageBox.information(
                self.window, _tr("Print letters"), _tr("Select the dossiers in the list first.")
            )
            return
        dialog = LettersDialog(len(selected), self.window)
        dialog.accepted.connect(
            lambda: self.start(dialog.kind(), dialog.values(), dialog.minutes(), selected)
        )
        self.dialog = dialog
        dialog.open()

    def start(self, form: str, values: dict[str, str], interval: int, refs: list[str]) -> Job:
        context = self.window.context
        user = context.operator.username
        home = context.home
        progress = QProgressDialog(
            _tr("Preparing the letters…"), _tr("Cancel"), 0, len(refs), self.window
        )
        progress.setObjectName("lettersProgress")
        progress.setWindowModality(Qt.WindowModality.NonModal)
        progress.setMinimumDuration(800)
        self.progress = progress

        def work(job: Job) -> LetterBatch:
            from desktop.settings import print_setup
            from reports.bulk_letters import bulk_letters

            return bulk_letters(
                context.tasks.database,
                user,
                form,
                refs,
                values,
                interval,
                print_setup(home) if home is not None else None,
                progress=lambda done: job.progress(done, len(refs)),
                cancelled=lambda: job.cancelled,
            )

        def failed(error: BaseException) -> None:
            progress.close()
            progress.deleteLater()
            self.progress = None
            from models.errors import DomainError

            message = str(error) if isinstance(error, DomainError) else repr(error)
            QMessageBox.warning(self.window, _tr("Print letters"), message)

        job = context.tasks.background.run(
            work, self._built, failed, lambda done, _total: progress.setValue(done)
        )
        progress.canceled.connect(job.cancel)
        progress.canceled.connect(progress.deleteLater)
        return job

    def _built(self, batch: LetterBatch) -> None:
        from ui.pdf_preview import PdfPreview

        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.batch = batch
        if batch.pdf is not None:
            preview = PdfPreview(
                batch.pdf,
                batch.title,
                f"{batch.form}-lettere.pdf",
                self.window,
                lambda: self.record(batch),
            )
            preview.setObjectName(f"preview-{batch.form}")
            self.preview = preview
            preview.show()  # not modal: the summary beside it stays usable
        self.show_summary(batch.result)

    def show_summary(self, result: LettersResult) -> None:
        if self.summary is None:
            self.summary = LettersSummary(result, self.window)
        else:
            self.summary.show_result(result)
        self.summary.show()
        self.summary.raise_()

    def record(self, batch: LetterBatch) -> None:
        """Each letter's *stampata* event, a few dossiers per job."""
        context = self.window.context
        user = context.operator.username
        refs = list(batch.references)
        parts: list[BulkResult] = []

        def chunk(start: int) -> None:
            part = refs[start : start + RECORD_CHUNK]

            def work(_job: Job) -> BulkResult:
                from models.services.bulk_letters import record_letters

                return record_letters(context.tasks.database, user, part, batch.form)

            def done(result: BulkResult) -> None:
                parts.append(result)
                if start + RECORD_CHUNK < len(refs):
                    chunk(start + RECORD_CHUNK)
                else:
                    self._recorded(batch, parts)

            context.tasks.run(work, done, lambda error: self._record_failed(error))

        chunk(0)

    def _recorded(self, batch: LetterBatch, parts: list[BulkResult]) -> None:
        from models.services.bulk_actions import BulkResult

        outcomes = tuple(o for part in parts for o in part.outcomes)
        changes = reduce(lambda a, b: a | b, (part.changes for part in parts))
        self.window.context.bus.publish(changes)
        self.show_summary(batch.result.after_recording(BulkResult(outcomes, changes)))

    def _record_failed(self, error: BaseException) -> None:
        QMessageBox.warning(self.window, _tr("Print letters"), str(error))


def install(window: MainWindow) -> BulkLetters:
    return BulkLetters(window)
