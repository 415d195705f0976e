"""*Stampa*: build a form on the worker, preview the real PDF, record what was printed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError, ValidationError
from models.services.letter_values import letter_values
from models.services.printed import record_printed
from models.uow import UnitOfWork
from reports.documents import FormDocument
from reports.site import PrintSetup
from ui.actions import run_use_case
from ui.context import UiContext
from ui.field_errors import FieldErrors
from ui.i18n import tr as _tr
from ui.pdf_preview import PdfPreview
from ui.tasks import Job

Build = Callable[[UnitOfWork, Mapping[str, str]], FormDocument]


def extra_labels() -> dict[str, str]:
    """What a letter needs that the dossier cannot give (models.services.letter_values)."""
    return {
        "appuntamento_data": _tr("Appointment date (dd/mm/yyyy)"),
        "appuntamento_ora": _tr("Appointment time"),
        "documenti": _tr("Documents to send"),
        "motivi": _tr("Reasons for rejection"),
    }


LONG_TEXT = {"documenti", "motivi"}


@dataclass(frozen=True)
class Printout:
    form: str
    title: str
    pdf: bytes
    dossiers: tuple[str, ...]


class ExtraFieldsDialog(QDialog):
    """Asks for the values a letter needs and the dossier does not hold.

    *OK* runs the check the command line runs (``models.services.letter_values``) and
    keeps the dialog open, with each refusal under its field, until every value is given.
    """

    def __init__(
        self, title: str, form: str, fields: Mapping[str, str], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = form
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors = FieldErrors(self)
        layout = QFormLayout(self)
        labels = extra_labels()
        for name in fields:
            editor: QLineEdit | QPlainTextEdit = (
                QPlainTextEdit() if name in LONG_TEXT else QLineEdit()
            )
            editor.setObjectName(name)
            editor.setAccessibleName(labels.get(name, name))
            column = QVBoxLayout()
            column.addWidget(editor)
            column.addWidget(self.errors.label(name))
            self.editors[name] = editor
            label = QLabel(labels.get(name, name))
            label.setBuddy(editor)
            layout.addRow(label, column)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        if self.editors:
            next(iter(self.editors.values())).setFocus()

    def values(self) -> dict[str, str]:
        return {
            name: (e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()).strip()
            for name, e in self.editors.items()
        }

    def error_text(self, name: str) -> str:
        return self.errors.text(name)

    def accept(self) -> None:
        try:
            letter_values(self.form, self.values())
        except ValidationError as error:
            self.show_errors(error.errors)
            return
        super().accept()

    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.errors.show(errors, self.editors)


class PrintService:
    """Prints from a window: ``letter`` (one dossier), ``transmittal`` (many), ``worklist``."""

    def __init__(self, context: UiContext, parent: QWidget) -> None:
        self.context = context
        self.parent = parent
        self.previews: list[PdfPreview] = []  # kept alive while shown

    def letter(self, form: str, dossier_ref: str) -> None:
        from reports.forms import dossier_document

        setup = self._setup()
        self._print(form, lambda uow, extra: dossier_document(uow, form, dossier_ref, setup, extra))

    def transmittal(self, dossier_refs: list[str]) -> None:
        from reports.forms import transmittal_document

        setup = self._setup()
        self._print(
            "distinta-trasmissione",
            lambda uow, _extra: transmittal_document(uow, dossier_refs, setup),
        )

    def separators(self, dossier_refs: list[str], kind: str = "") -> None:
        from reports.forms import separator_document

        setup = self._setup()
        self._print(
            "separatore",
            lambda uow, _extra: separator_document(uow, dossier_refs, kind, setup),
        )

    def worklist(self, within: int = 7) -> None:
        from reports.forms import worklist_document

        setup, office = self._setup(), self.context.operator.office_code
        self._print(
            "scadenzario", lambda uow, _extra: worklist_document(uow, office, within, setup)
        )

    def _setup(self) -> PrintSetup | None:
        from desktop.settings import print_setup

        home = self.context.home
        return print_setup(home) if home is not None else None

    def _print(self, form: str, build: Build, extra: Mapping[str, str] | None = None) -> Job:
        username = self.context.operator.username
        given = dict(extra or {})

        def work(_job: Job) -> Printout:
            from reports.pdf import render_pdf

            with self.context.tasks.database.unit_of_work(username) as uow:
                document = build(uow, given)
                return Printout(form, document.title, render_pdf(document), document.dossiers)

        def failed(error: BaseException) -> None:
            missing = error.errors if isinstance(error, ValidationError) else {}
            if missing and set(missing) <= set(extra_labels()):
                dialog = ExtraFieldsDialog(_tr("Data for the letter"), form, missing, self.parent)
                if dialog.exec() == QDialog.DialogCode.Accepted:
                    self._print(form, build, {**given, **dialog.values()})
                return
            message = str(error) if isinstance(error, DomainError) else repr(error)
            QMessageBox.warning(self.parent, _tr("Cannot print"), message)

        return self.context.tasks.run(work, self._preview, failed)

    def _preview(self, printout: Printout) -> None:
        def printed() -> None:
            if printout.dossiers:
                refs = list(printout.dossiers)
                run_use_case(
                    self.context, self.parent, lambda uow: record_printed(uow, refs, printout.form)
                )

        preview = PdfPreview(
            printout.pdf, printout.title, f"{printout.form}.pdf", self.parent, printed
        )
        preview.setObjectName(f"preview-{printout.form}")
        preview.finished.connect(lambda _result: self.previews.remove(preview))
        self.previews.append(preview)
        preview.open()
