"""Registering a dossier: type, fields, a warning about the same person's open dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.enums import OfficeKind
from models.errors import DomainError, ValidationError
from models.permissions import FIELD_OWNER, acts_for
from models.services.duplicates import Match, PossibleDuplicate, possible_duplicates
from models.services.labels import type_explanation, type_label
from models.services.queries import procedure_types
from models.services.registration import (
    NewDossier,
    Registered,
    check_registrations,
    register_dossier,
)
from models.validation import ALWAYS_REQUIRED, FIELD_LABELS
from ui.accessibility import name_widgets
from ui.actions import run_use_case
from ui.context import UiContext
from ui.dossier.formatting import it_date, read_only_reason
from ui.dossier.widgets import fit_columns, make_table
from ui.dossier_form import DossierForm, grow_to_fit
from ui.help import install_help
from ui.i18n import tr as _tr
from ui.i18n import tr_n as _trn
from ui.records_model import RecordsModel
from ui.tasks import Job


@dataclass(frozen=True)
class TypeChoice:
    code: str
    name: str
    required: tuple[str, ...]
    read_only: dict[str, str]  # field → owner office kind the operator does not act for


@dataclass(frozen=True)
class RegistrationChoices:
    types: list[TypeChoice]
    today: date


def load_choices(context: UiContext) -> RegistrationChoices:
    """On the worker: the active types whose lead office the operator acts for.

    Restricted types (art. 18) only for users cleared to see them afterwards.
    """
    with context.tasks.database.unit_of_work(context.operator.username) as uow:
        actor = uow.actor
        choices = []
        for procedure in procedure_types(uow.session):
            lead = OfficeKind(procedure.lead_office)
            if not procedure.active or not acts_for(actor, lead):
                continue
            if procedure.restricted and not actor.restricted_access:
                continue
            required = (*ALWAYS_REQUIRED, *(f for f in procedure.required_fields.split(",") if f))
            read_only = {
                name: owner.value
                for name in FIELD_LABELS
                if not acts_for(actor, owner := FIELD_OWNER.get(name, lead))
            }
            choices.append(TypeChoice(procedure.code, procedure.name, required, read_only))
        return RegistrationChoices(choices, uow.today)


class DuplicatesDialog(QDialog):
    """The open dossiers of what looks like the same person; register anyway or go back."""

    def __init__(self, duplicates: list[PossibleDuplicate], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Possible duplicate"))
        self.resize(820, 300)
        reasons = {
            Match.FISCAL_CODE: _tr("same fiscal code"),
            Match.PERSON: _tr("same person data"),
        }
        self.model = RecordsModel(
            [
                _tr("Protocol"),
                _tr("Surname and names"),
                _tr("Born"),
                _tr("Type"),
                _tr("State"),
                _tr("Filed"),
                _tr("Why"),
            ],
            self,
        )
        self.model.set_rows(
            [
                [
                    d.reference,
                    f"{d.surname} {d.given_names}",
                    it_date(d.birth_date),
                    type_label(d.type_code, d.type_name),
                    d.state_label,
                    it_date(d.filed_on),
                    ", ".join(reasons[m] for m in d.matches),
                ]
                for d in duplicates
            ]
        )
        self.view = make_table(self.model, "duplicatesTable")
        message = QLabel(
            _trn(
                "This person already has %n open dossier(s). Register a new one anyway, "
                "or go back and check?",
                "",
                len(duplicates),
            )
        )
        message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.register_button = buttons.addButton(
            _tr("&Register anyway"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.register_button.setObjectName("registerAnyway")
        self.back_button = buttons.addButton(
            _tr("&Go back"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.back_button.setObjectName("goBack")
        # Registering a second file for the same person must be a deliberate choice.
        self.register_button.setAutoDefault(False)
        self.back_button.setDefault(True)
        self.back_button.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        fit_columns(self.view)


class NewDossierDialog(QDialog):
    created = Signal(str)  # the new dossier's id (hex)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.choices: RegistrationChoices | None = None
        self.duplicates_dialog: DuplicatesDialog | None = None
        self.confirmed_duplicates: set[str] = set()  # protocols the user registered past
        self.setWindowTitle(_tr("New dossier"))
        self.setObjectName("newDossier")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("type")
        self.type_combo.setMinimumContentsLength(40)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.form = DossierForm()
        self.status = QLabel(_tr("Loading procedure types…"))
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.register_button: QPushButton = buttons.addButton(
            _tr("&Register"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.register_button.setObjectName("register")
        self.register_button.setToolTip(
            _tr("Check for open dossiers of the same person, then assign the protocol number")
        )
        self.register_button.setEnabled(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancel")
        # Enter in a field registers even after Tab has crossed *Annulla*.
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        top = QFormLayout()
        type_label = QLabel(_tr("Procedure &type"))
        type_label.setBuddy(self.type_combo)
        top.addRow(type_label, self.type_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        # Only once the button is in the dialog does Qt remember it as the default.
        self.register_button.setDefault(True)
        self.resize(960, self.sizeHint().height())
        name_widgets(self)
        install_help(self, "new")
        self.context.tasks.run(lambda _job: load_choices(context), self._choices_loaded)

    def reject(self) -> None:
        """Esc, *Annulla* and the close button ask before discarding typed data."""
        if self.form.is_dirty() and not self._discard_confirmed():
            return
        super().reject()

    def _discard_confirmed(self) -> bool:
        answer = QMessageBox.question(
            self,
            _tr("New dossier"),
            _tr("The data typed in this form are not registered. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # -- types ------------------------------------------------------------------

    def _choices_loaded(self, choices: RegistrationChoices) -> None:
        self.choices = choices
        self.form.rows["filed_on"].set_text(choices.today.strftime("%d/%m/%Y"))
        self.form.set_values(self.form.values())  # the default date is not an edit
        for choice in choices.types:
            self.type_combo.addItem(choice.name, choice.code)
            self.type_combo.setItemData(
                self.type_combo.count() - 1,
                type_explanation(choice.code, choice.name),
                Qt.ItemDataRole.ToolTipRole,
            )
        if choices.types:
            self.status.setText(_tr("Fields in bold are required."))
            self.register_button.setEnabled(True)
        else:
            self.status.setText(_tr("Your office leads no procedure type you may register."))
        self._type_changed()

    def current_type(self) -> TypeChoice | None:
        index = self.type_combo.currentIndex()
        if self.choices is None or not 0 <= index < len(self.choices.types):
            return None
        return self.choices.types[index]

    def _type_changed(self, _index: int = 0) -> None:
        choice = self.current_type()
        if choice is None:
            return
        self.form.set_required(choice.required)
        editable = [name for name in FIELD_LABELS if name not in choice.read_only]
        reasons = {name: read_only_reason(code) for name, code in choice.read_only.items()}
        self.form.set_editable(editable, reasons)

    # -- registering ------------------------------------------------------------

    def submit(self) -> None:
        """First look for the same person's open dossiers; register only when confirmed."""
        choice = self.current_type()
        if choice is None:
            return
        values = {k: v for k, v in self.form.filled_values().items() if k not in choice.read_only}
        username = self.context.operator.username
        self._set_busy(True, _tr("Looking for open dossiers of the same person…"))

        def work(_job: Job) -> list[PossibleDuplicate]:
            with self.context.tasks.database.unit_of_work(username) as uow:
                # The fields first: a duplicate is worth a question only for a valid form.
                refusal = check_registrations(uow, [NewDossier(choice.code, values)]).refusals
                if refusal:
                    raise refusal[0]
                return possible_duplicates(uow, values)

        def checked(duplicates: list[PossibleDuplicate]) -> None:
            if {d.reference for d in duplicates} - self.confirmed_duplicates:
                self._confirm(choice.code, values, duplicates)
            else:
                self._register(choice.code, values)

        self.context.tasks.run(work, checked, self._check_failed)

    def _check_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self._refused(error.errors)
        elif isinstance(error, DomainError):
            self._set_busy(False, _tr("Not registered: {0}").format(error))
        else:
            self._set_busy(False, _tr("Could not look for duplicates: {0}").format(error))

    def _confirm(
        self, type_code: str, values: dict[str, str], duplicates: list[PossibleDuplicate]
    ) -> None:
        self._set_busy(True, _tr("Possible duplicate: waiting for your answer."))
        dialog = DuplicatesDialog(duplicates, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._register_anyway(type_code, values, duplicates))
        dialog.rejected.connect(self._not_confirmed)
        self.duplicates_dialog = dialog
        dialog.open()

    def _register_anyway(
        self, type_code: str, values: dict[str, str], duplicates: list[PossibleDuplicate]
    ) -> None:
        """Asked once: these dossiers are not shown again if the registration is refused."""
        self.confirmed_duplicates |= {d.reference for d in duplicates}
        self._register(type_code, values)

    def _not_confirmed(self) -> None:
        self.duplicates_dialog = None
        self._set_busy(False, _tr("Not registered."))
        # Back to the form, on the first field the clerk checks: the person's surname.
        self.activateWindow()
        self.form.rows["surname"].editor.setFocus()

    def _register(self, type_code: str, values: dict[str, str]) -> None:
        self.duplicates_dialog = None
        self._set_busy(True, _tr("Registering…"))
        run_use_case(
            self.context,
            self,
            lambda uow: register_dossier(uow, type_code, values),
            self._registered,
            self._refused,
            lambda _error: self._set_busy(False, _tr("Not registered.")),
        )

    def _refused(self, errors: dict[str, str]) -> None:
        self.form.set_errors(errors)
        self._set_busy(False, _tr("Not registered: correct the fields marked in red."))
        grow_to_fit(self)

    def _registered(self, result: Registered) -> None:
        self._set_busy(False, _tr("Registered as {0}.").format(result.reference))
        if result.warnings and self.parentWidget() is not None:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                _tr("Registered as {0}").format(result.reference),
                "\n".join(result.warnings),
                QMessageBox.StandardButton.Ok,
                self.parentWidget(),
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        self.created.emit(result.dossier_id.hex)
        self.accept()

    def _set_busy(self, busy: bool, message: str) -> None:
        self.register_button.setEnabled(not busy and self.current_type() is not None)
        self.status.setText(message)
