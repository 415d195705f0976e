"""*Stampa lettere…*: which letter for the selected dossiers, and the values they share.

A summons asks once for the day, the first time and the minutes between two appointments
(0: the same time for all). *OK* runs the check the command line runs
(``models.services.bulk_letters.plan_letters``, the single letter's check field by field)
and keeps the dialog open, with each refusal under its field, until every value is right.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.errors import ValidationError
from models.services.bulk_letters import MAX_INTERVAL_MINUTES, SHARED_VALUES, plan_letters
from ui.field_errors import FieldErrors
from ui.i18n import tr as _tr


class LettersDialog(QDialog):
    def __init__(self, count: int, parent: QWidget | None) -> None:
        from reports.form_list import FORMS

        super().__init__(parent)
        self.setObjectName("lettersDialog")
        self.setWindowTitle(_tr("Print letters"))
        self.intro = intro = QLabel(
            _tr(
                "{0} dossiers selected: one letter for each, in one PDF. The dossiers the "
                "letter is not allowed for are listed apart, with the reason."
            ).format(count)
        )
        intro.setObjectName("lettersIntro")
        intro.setWordWrap(True)
        self.form = QComboBox()
        self.form.setObjectName("letterKind")
        for spec in FORMS.values():
            if spec.kind == "letter":
                self.form.addItem(spec.title, spec.name)
                self.form.setItemData(
                    self.form.count() - 1, spec.description, Qt.ItemDataRole.ToolTipRole
                )
        self.date = QLineEdit(placeholderText=_tr("dd/mm/yyyy"))
        self.date.setObjectName("appuntamento_data")
        self.time = QLineEdit(placeholderText=_tr("hh:mm"))
        self.time.setObjectName("appuntamento_ora")
        self.interval = QSpinBox()
        self.interval.setObjectName("intervallo")
        self.interval.setRange(0, MAX_INTERVAL_MINUTES)
        self.interval.setSingleStep(5)
        self.interval.setSuffix(_tr(" min"))
        self.interval.setSpecialValueText(_tr("the same time for all"))
        self.errors = FieldErrors(self)
        self.layout_ = QFormLayout()
        self.rows: dict[str, QWidget] = {}
        self._row(_tr("&Letter:"), self.form, "form")
        self._row(_tr("Appointment &date:"), self.date, "appuntamento_data")
        self._row(_tr("&First appointment at:"), self.time, "appuntamento_ora")
        self._row(_tr("&Interval between appointments:"), self.interval, "intervallo")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(_tr("&Prepare the PDF"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("prepareLetters")
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.layout_)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.form.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.form.setFocus()

    def _row(self, text: str, editor: QWidget, name: str) -> None:
        error = self.errors.label(name)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(editor)
        column.addWidget(error)
        label = QLabel(text)
        label.setBuddy(editor)
        editor.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.layout_.addRow(label, holder)
        self.rows[name] = holder

    def kind(self) -> str:
        return str(self.form.currentData())

    def _kind_changed(self) -> None:
        shared = SHARED_VALUES.get(self.kind(), ())
        for name in ("appuntamento_data", "appuntamento_ora", "intervallo"):
            self.layout_.setRowVisible(self.rows[name], bool(shared))
        self.show_errors({})
        self.adjustSize()

    def values(self) -> dict[str, str]:
        shared = SHARED_VALUES.get(self.kind(), ())
        typed = {"appuntamento_data": self.date.text(), "appuntamento_ora": self.time.text()}
        return {name: typed[name].strip() for name in shared if name in typed}

    def minutes(self) -> int:
        return self.interval.value() if SHARED_VALUES.get(self.kind()) else 0

    def error_text(self, name: str) -> str:
        return self.errors.text(name)

    def accept(self) -> None:
        try:
            plan_letters(self.kind(), self.values(), self.minutes())
        except ValidationError as error:
            self.show_errors(error.errors)
            return
        super().accept()

    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.errors.show(errors, {"appuntamento_data": self.date, "appuntamento_ora": self.time})
        self.adjustSize()  # room for the messages under the fields
