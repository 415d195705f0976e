"""The use-case dialogs: an effective date plus a use case's own fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models.enums import FLAG_CATEGORIES
from models.read.views import FlagFacts, MoveFacts
from models.services.flags import raise_flag, resolve_flag
from models.services.observations import record_observations
from models.services.workflow import advance, record_parere
from models.uow import UnitOfWork
from ui.actions import run_use_case
from ui.badges import COLOURS
from ui.context import UiContext
from ui.dossier.snapshot import DossierSnapshot
from ui.dossier.widgets import pydate, qdate
from ui.dossier_form import grow_to_fit
from ui.i18n import tr as _tr


class UseCaseDialog(QDialog):
    """An effective date plus a use case's own fields; stays open until the use case succeeds.

    Refused values are shown under their field and nothing typed is lost.
    """

    succeeded = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget, title: str, today: date) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error_labels: dict[str, QLabel] = {}
        self.first_field: QWidget | None = None  # where focus lands when the dialog opens
        self.general_error = self._error_label()
        self.on_date = QDateEdit(qdate(today))
        self.on_date.setObjectName("effectiveDate")
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("dd/MM/yyyy")
        self.on_date.setMaximumDate(qdate(today))
        self.on_date.setToolTip(_tr("The day it took effect: it may be earlier than today."))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setMinimumWidth(440)
        self.intro.hide()
        layout = QVBoxLayout(self)
        # Grow when a message appears under a field instead of squeezing the fields.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _error_label(self) -> QLabel:
        label = QLabel()
        label.setStyleSheet(f"color: {COLOURS['overdue'].name()};")
        label.setWordWrap(True)
        label.hide()
        return label

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def add_field(self, key: str, title: str, widget: QWidget) -> None:
        """A field with, under it, the place for the service's message about ``key``."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        self.error_labels[key] = self._error_label()
        self.error_labels[key].setObjectName(f"error_{key}")
        column.addWidget(self.error_labels[key])
        label = QLabel(title)
        label.setBuddy(widget)
        self.form.addRow(label, box)
        if self.first_field is None and key != "on":
            self.first_field = widget

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.first_field is not None:
            self.first_field.setFocus()

    def add_date_field(self) -> None:
        self.add_field("on", _tr("&Effective date"), self.on_date)

    @property
    def effective_date(self) -> date:
        return pydate(self.on_date.date())

    def use_case(self) -> Callable[[UnitOfWork], Any]:
        raise NotImplementedError

    def submit(self) -> None:
        self.show_errors({})
        self.ok_button.setEnabled(False)
        run_use_case(
            self.context,
            self,
            self.use_case(),
            self._succeeded,
            self.show_errors,
            lambda _error: self.ok_button.setEnabled(True),
        )

    def _succeeded(self, result: Any) -> None:
        self.succeeded.emit(result)
        self.accept()

    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.ok_button.setEnabled(True)
        for key, label in self.error_labels.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        general = [message for key, message in errors.items() if key not in self.error_labels]
        self.general_error.setText("\n".join(general))
        self.general_error.setVisible(bool(general))
        grow_to_fit(self)

    def error_text(self, key: str) -> str:
        label = self.error_labels.get(key)
        return label.text() if label is not None and label.isVisibleTo(self) else ""


class MoveDialog(UseCaseDialog):
    def __init__(
        self, context: UiContext, parent: QWidget, snapshot: DossierSnapshot, move: MoveFacts
    ) -> None:
        super().__init__(context, parent, _tr("Move to «{0}»").format(move.label), snapshot.today)
        self.ref, self.to_state = snapshot.ref, move.to_state
        self.set_intro(
            _tr("Dossier {0}: from «{1}» to «{2}».").format(
                snapshot.reference, snapshot.detail.state_label, move.label
            )
        )
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.add_date_field()
        self.add_field("note", _tr("&Note"), self.note)
        self.first_field = self.note  # the date is usually today's: the note is what to write

    def use_case(self) -> Callable[[UnitOfWork], Any]:
        ref, target, on = self.ref, self.to_state, self.effective_date
        note = self.note.toPlainText().strip()
        return lambda uow: advance(uow, ref, target, on, note)


class ParereDialog(UseCaseDialog):
    def __init__(self, context: UiContext, parent: QWidget, snapshot: DossierSnapshot) -> None:
        super().__init__(context, parent, _tr("Give parere"), snapshot.today)
        self.ref = snapshot.ref
        self.set_intro(
            _tr(
                "Dossier {0}: the opinion sends the file back to the office that asked for it."
            ).format(snapshot.reference)
        )
        self.favourable = QRadioButton(_tr("&Favourable"))
        self.favourable.setObjectName("favourable")
        self.obstacles = QRadioButton(_tr("&Obstacles found (motivi ostativi)"))
        self.obstacles.setObjectName("obstacles")
        self.favourable.setChecked(True)
        self.outcomes = QButtonGroup(self)
        self.outcomes.addButton(self.favourable)
        self.outcomes.addButton(self.obstacles)
        choice = QWidget()
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.favourable)
        row.addWidget(self.obstacles)
        row.addStretch()
        self.reasons = QPlainTextEdit()
        self.reasons.setObjectName("reasons")
        self.reasons.setTabChangesFocus(True)
        self.reasons.setFixedHeight(90)
        self.reasons.setPlaceholderText(_tr("Required when obstacles are found"))
        self.add_field("outcome", _tr("Outcome"), choice)
        self.add_field("reasons", _tr("&Reasons"), self.reasons)
        self.add_date_field()

    def use_case(self) -> Callable[[UnitOfWork], Any]:
        ref, on = self.ref, self.effective_date
        outcome = "motivi_ostativi" if self.obstacles.isChecked() else "favorevole"
        reasons = self.reasons.toPlainText()
        return lambda uow: record_parere(uow, ref, outcome, reasons, on)


class RaiseFlagDialog(UseCaseDialog):
    def __init__(self, context: UiContext, parent: QWidget, snapshot: DossierSnapshot) -> None:
        super().__init__(context, parent, _tr("Raise a pending item"), snapshot.today)
        self.ref = snapshot.ref
        self.set_intro(
            _tr("Dossier {0}: the item goes to the other office until it is resolved.").format(
                snapshot.reference
            )
        )
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.addItem(_tr("— choose a category —"), "")  # no silent default
        for code, label in FLAG_CATEGORIES.items():
            self.category.addItem(label, code)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(90)
        self.suspends = QCheckBox(_tr("&Suspends the term until resolved"))
        self.suspends.setObjectName("suspends")
        self.add_field("category", _tr("&Category"), self.category)
        self.add_field("text", _tr("&Text"), self.text)
        self.add_field("suspends", "", self.suspends)
        self.add_date_field()

    def use_case(self) -> Callable[[UnitOfWork], Any]:
        ref, on, suspends = self.ref, self.effective_date, self.suspends.isChecked()
        category, text = str(self.category.currentData() or ""), self.text.toPlainText()
        return lambda uow: raise_flag(uow, ref, category, text, suspends, on)


class ObservationsDialog(UseCaseDialog):
    """The applicant's observations on a preavviso di rigetto arrived (art. 10-bis)."""

    def __init__(self, context: UiContext, parent: QWidget, snapshot: DossierSnapshot) -> None:
        super().__init__(context, parent, _tr("Observations received"), snapshot.today)
        self.ref = snapshot.ref
        self.set_intro(
            _tr(
                "Dossier {0}: the applicant's observations on the preavviso di rigetto. "
                "The term runs again 10 days after the day they arrived."
            ).format(snapshot.reference)
        )
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.add_field("note", _tr("&Note"), self.note)
        self.add_date_field()
        self.on_date.setToolTip(_tr("The day the observations arrived."))

    def use_case(self) -> Callable[[UnitOfWork], Any]:
        ref, on, note = self.ref, self.effective_date, self.note.text()
        return lambda uow: record_observations(uow, ref, on, note)


class ResolveFlagDialog(UseCaseDialog):
    def __init__(
        self, context: UiContext, parent: QWidget, snapshot: DossierSnapshot, flag: FlagFacts
    ) -> None:
        super().__init__(
            context, parent, _tr("Resolve item #{0}").format(flag.number), snapshot.today
        )
        self.flag_id = flag.id
        self.set_intro(f"#{flag.number} {flag.category_label}: {flag.text}")
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.add_field("note", _tr("&Note"), self.note)
        self.add_date_field()

    def use_case(self) -> Callable[[UnitOfWork], Any]:
        flag_id, on, note = self.flag_id, self.effective_date, self.note.toPlainText()
        return lambda uow: resolve_flag(uow, flag_id, on, note)
