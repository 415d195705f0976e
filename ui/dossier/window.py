"""One dossier in its own window: header, the moves this operator may make, and tabs.

Everything is read on the worker in one unit of work (``load_snapshot``) and every change
goes through ``run_use_case``; the window reloads when the change bus names its dossier.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QItemSelection, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.dates import italian_date, local_moment
from models.enums import FLAG_CATEGORIES, OfficeKind
from models.errors import DomainError
from models.permissions import acts_for, read_only_fields
from models.services.changes import Changes
from models.services.flags import raise_flag, resolve_flag
from models.services.history import audit_trail
from models.services.lookup import get_dossier
from models.services.observations import observations_awaited, record_observations
from models.services.registration import update_dossier
from models.services.table import TableRow
from models.services.views import dossier_detail
from models.services.workflow import advance, allowed_moves, record_parere
from models.uow import UnitOfWork
from models.validation import FIELD_LABELS
from models.workflow import load_workflow
from ui.actions import run_use_case
from ui.badges import COLOURS, badge
from ui.context import UiContext
from ui.dossier_form import DossierForm, field_titles, grow_to_fit
from ui.i18n import tr as _tr
from ui.i18n import tr_n as _trn
from ui.printing import PrintService
from ui.records_model import RecordsModel
from ui.tasks import Job

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


# -- reading, on the worker (no Qt) ---------------------------------------------------


@dataclass(frozen=True)
class DossierSnapshot:
    """What the window shows, read in one unit of work."""

    detail: dict[str, Any]
    history: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    read_only: dict[str, str]
    resolvable_flags: frozenset[str]
    can_raise: bool
    today: date
    observations_awaited: bool = False  # a preavviso di rigetto waits for the applicant

    @property
    def reference(self) -> str:
        """What people read: the protocol number (or the provisional one)."""
        return str(self.detail["reference"])

    @property
    def ref(self) -> str:
        """What the use cases are given: the id, unambiguous even before a protocol."""
        return str(self.detail["id"])


def load_snapshot(uow: UnitOfWork, dossier_ref: str) -> DossierSnapshot:
    session, actor = uow.session, uow.actor
    dossier = get_dossier(session, actor, dossier_ref, with_history=True)
    detail = dossier_detail(session, dossier, uow.today, allowed_moves(uow, dossier))
    workflow = load_workflow(session, dossier.procedure_type)
    states = workflow.states
    history = [
        row | {"clock": states[event.to_state].clock.value if event.to_state in states else None}
        for row, event in zip(detail["history"], dossier.events, strict=True)
    ]
    resolvable = frozenset(
        str(flag.id)
        for flag in dossier.flags
        if flag.is_open
        and any(
            acts_for(actor, office.office_kind)
            for office in (flag.raised_by_office, flag.for_office)
        )
    )
    return DossierSnapshot(
        detail=detail,
        history=history,
        audit=audit_trail(session, actor, dossier.id),
        read_only=read_only_fields(actor, dossier),
        resolvable_flags=resolvable,
        can_raise=dossier.closed_on is None,
        today=uow.today,
        observations_awaited=observations_awaited(actor, dossier),
    )


# -- formatting ----------------------------------------------------------------------


def it_date(iso: str | None) -> str:
    return italian_date(iso)


def local_time(moment: datetime | str | None) -> str:
    return local_moment(moment)


def audit_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _tr("yes") if value else _tr("no")
    if isinstance(value, str) and _ISO_DATE.match(value):
        return it_date(value)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return local_time(value)
    return str(value)


def form_values(detail: Mapping[str, Any]) -> dict[str, str]:
    """The dossier's fields as the form shows them (dates dd/mm/yyyy)."""
    person, employer = detail["person"], detail["employer"]
    raw = {
        **{name: person.get(name) for name in person},
        "employer_name": employer["name"],
        "employer_fiscal_code": employer["fiscal_code"],
        "employer_pec": employer["pec"],
        "application_code": detail["application_code"],
        "filed_on": detail["filed_on"],
        "quota_assigned_on": detail.get("quota_assigned_on"),
    }
    return {
        name: it_date(value) if value and _ISO_DATE.match(str(value)) else str(value or "")
        for name, value in raw.items()
    }


def badge_row(detail: Mapping[str, Any]) -> TableRow:
    """The header's deadline in the shape ui/badges.py colours."""
    return TableRow(
        id=detail["id"],
        reference=detail["reference"],
        name=f"{detail['person']['surname']} {detail['person']['given_names']}",
        nationality=detail["person"]["nationality"],
        type_code=detail["type"],
        state=detail["state"],
        state_label=detail["state_label"],
        holder=detail["holder_office"] or detail["holder"],
        filed_on=date.fromisoformat(detail["filed_on"]),
        deadline=date.fromisoformat(detail["deadline"]) if detail["deadline"] else None,
        days_left=detail["days_left"],
        clock=detail["clock"],
        closed=detail["closed_on"] is not None,
        open_flags=detail["open_flags"],
        restricted=detail["restricted"],
    )


def event_label(kind: str) -> str:
    labels = {
        "registered": _tr("Registered"),
        "transition": _tr("State change"),
        "parere_given": _tr("Parere given"),
        "flag_raised": _tr("Item raised"),
        "flag_resolved": _tr("Item resolved"),
        "updated": _tr("Data changed"),
        "printed": _tr("Printed"),
        "observations": _tr("Observations received"),
    }
    return labels.get(kind, kind)


def column_titles() -> dict[str, str]:
    """Stored columns as the audit tab names them: the form's fields and the rest."""
    return field_titles() | {
        "id": _tr("Id"),
        "dossier_id": _tr("Dossier"),
        "deleted_at": _tr("Deleted at"),
        "state": _tr("State"),
        "holder": _tr("Holder"),
        "holder_office_id": _tr("Holder office"),
        "deadline": _tr("Deadline"),
        "clock_state": _tr("Clock"),
        "suspended_days": _tr("Suspended days"),
        "open_flags": _tr("Open items"),
        "closed_on": _tr("Closed on"),
        "restricted": _tr("Restricted"),
        "procedure_type_id": _tr("Type"),
        "protocol_office_id": _tr("Protocol office"),
        "protocol_year": _tr("Protocol year"),
        "protocol_number": _tr("Protocol number"),
        "seq": _tr("Order"),
        "kind": _tr("Event"),
        "from_state": _tr("From state"),
        "to_state": _tr("To state"),
        "actor_id": _tr("User"),
        "office_id": _tr("Office"),
        "entered_at": _tr("Entered"),
        "effective_on": _tr("Effective"),
        "note": _tr("Note"),
        "number": _tr("Number"),
        "category": _tr("Category"),
        "text": _tr("Text"),
        "suspends": _tr("Suspends"),
        "raised_by_office_id": _tr("From office"),
        "for_office_id": _tr("For office"),
        "raised_by_id": _tr("Raised by"),
        "raised_on": _tr("Raised on"),
        "resolved_by_id": _tr("Resolved by"),
        "resolved_on": _tr("Resolved on"),
        "resolution_note": _tr("Resolution note"),
        "requested_on": _tr("Requested on"),
        "requested_by_id": _tr("Requested by"),
        "given_on": _tr("Given on"),
        "outcome": _tr("Outcome"),
        "reasons": _tr("Reasons"),
        "officer_id": _tr("Officer"),
    }


def clock_label(clock: str | None) -> str:
    labels = {"runs": _tr("runs"), "suspended": _tr("suspended"), "stopped": _tr("stopped")}
    return labels.get(clock or "", "")


def outcome_label(outcome: str | None) -> str:
    labels = {"favorevole": _tr("Favourable"), "motivi_ostativi": _tr("Obstacles found")}
    return labels.get(outcome or "", _tr("awaited"))


def term_text(rule: Mapping[str, Any]) -> str:
    units = {"days": _tr("days"), "months": _tr("months"), "working_days": _tr("working days")}
    unit = units.get(rule["unit"], rule["unit"])
    if rule["start"] == "quota_assignment":
        return _tr("{0} {1} from quota assignment").format(rule["term"], unit)
    return _tr("{0} {1} from filing").format(rule["term"], unit)


def read_only_reason(code: str) -> str:
    if code == "closed":
        return _tr("The dossier is closed: its data can no longer change.")
    if code == OfficeKind.QUESTURA.value:
        return _tr("Only the Questura can change this field.")
    return _tr("Only the Sportello Unico can change this field.")


def with_mnemonic(text: str, used: set[str]) -> str:
    """``text`` with an ``&`` before the first letter not yet taken (word starts first)."""
    starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or text[i - 1] == " ")]
    others = [i for i, ch in enumerate(text) if ch.isalpha() and i not in starts]
    for i in starts + others:
        if text[i].lower() not in used:
            used.add(text[i].lower())
            return text[:i] + "&" + text[i:]
    return text


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def make_table(model: RecordsModel, object_name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(object_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def fit_columns(view: QTableView, widest: int = 320) -> None:
    view.resizeColumnsToContents()
    for column in range(view.model().columnCount() - 1):
        view.setColumnWidth(column, min(view.columnWidth(column) + 12, widest))


# -- dialogs ---------------------------------------------------------------------------


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
        self, context: UiContext, parent: QWidget, snapshot: DossierSnapshot, move: dict[str, Any]
    ) -> None:
        super().__init__(
            context, parent, _tr("Move to «{0}»").format(move["label"]), snapshot.today
        )
        self.ref, self.to_state = snapshot.ref, move["to_state"]
        self.set_intro(
            _tr("Dossier {0}: from «{1}» to «{2}».").format(
                snapshot.reference, snapshot.detail["state_label"], move["label"]
            )
        )
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.add_date_field()
        self.add_field("note", _tr("&Note"), self.note)

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
        category, text = str(self.category.currentData()), self.text.toPlainText()
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
        self, context: UiContext, parent: QWidget, snapshot: DossierSnapshot, flag: dict[str, Any]
    ) -> None:
        super().__init__(
            context, parent, _tr("Resolve item #{0}").format(flag["number"]), snapshot.today
        )
        self.flag_id = flag["id"]
        self.set_intro(f"#{flag['number']} {flag['category_label']}: {flag['text']}")
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.add_field("note", _tr("&Note"), self.note)
        self.add_date_field()

    def use_case(self) -> Callable[[UnitOfWork], Any]:
        flag_id, on, note = self.flag_id, self.effective_date, self.note.toPlainText()
        return lambda uow: resolve_flag(uow, flag_id, on, note)


# -- header and actions ----------------------------------------------------------------


def _pill(kind: str) -> str:
    colour = COLOURS[kind].name() if kind in COLOURS else "#37474f"
    return (
        f"background: {colour}; color: white; border-radius: 8px; padding: 2px 10px;"
        " font-weight: bold;"
    )


class DossierHeader(QFrame):
    """Who and what the dossier is, where it stands and how much time is left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dossierHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.reference = QLabel(_tr("Loading…"))
        self.reference.setObjectName("reference")
        self.name = QLabel()
        self.name.setObjectName("personName")
        for label, size in ((self.reference, 4), (self.name, 3)):
            font = label.font()
            font.setPointSize(font.pointSize() + size)
            font.setBold(label is self.reference)
            label.setFont(font)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel()
        self.state.setObjectName("stateLabel")
        self.state.setStyleSheet(_pill("state"))
        self.state.hide()
        self.type = QLabel()
        self.holder = QLabel()
        self.filed = QLabel()
        self.term = QLabel()
        self.deadline = QLabel()
        self.deadline_badge = QLabel()
        self.deadline_badge.setObjectName("deadlineBadge")
        self.suspended = QLabel()
        self.open_items = QLabel()
        self.anomalies = QLabel()
        self.anomalies.setObjectName("anomalies")
        self.anomalies.setWordWrap(True)
        self.anomalies.setStyleSheet(f"color: {COLOURS['soon'].darker(130).name()};")
        self.anomalies.hide()

        top = QHBoxLayout()
        top.addWidget(self.reference)
        top.addSpacing(16)
        top.addWidget(self.name, 1)
        top.addWidget(self.state)
        deadline = QHBoxLayout()
        deadline.setSpacing(8)
        deadline.addWidget(self.deadline)
        deadline.addWidget(self.deadline_badge)
        deadline.addStretch()
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(4)
        cells: list[tuple[str, QWidget | QHBoxLayout]] = [
            (_tr("Type"), self.type),
            (_tr("Holder"), self.holder),
            (_tr("Filed on"), self.filed),
            (_tr("Deadline"), deadline),
            (_tr("Term"), self.term),
            (_tr("Suspended"), self.suspended),
        ]
        for position, (title, value) in enumerate(cells):
            row, pair = divmod(position, 3)
            caption = QLabel(title + ":")
            caption.setStyleSheet("color: palette(placeholder-text);")
            facts.addWidget(caption, row, pair * 2, Qt.AlignmentFlag.AlignLeft)
            if isinstance(value, QHBoxLayout):
                facts.addLayout(value, row, pair * 2 + 1)
            else:
                facts.addWidget(value, row, pair * 2 + 1)
        facts.setColumnStretch(1, 3)
        facts.setColumnStretch(3, 1)
        facts.setColumnStretch(5, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(facts)
        layout.addWidget(self.anomalies)

    def show_error(self, message: str) -> None:
        self.reference.setText(message)

    def show_snapshot(self, snapshot: DossierSnapshot) -> None:
        detail = snapshot.detail
        person = detail["person"]
        self.reference.setText(detail["reference"])
        self.name.setText(f"{person['surname']} {person['given_names']}")
        self.state.setText(detail["state_label"])
        self.state.show()
        self.type.setText(f"{detail['type']} – {detail['type_name']}")
        self.type.setToolTip(detail["rule"]["basis"])
        self.holder.setText(detail["holder_office"] or _tr("nobody (closed)"))
        self.filed.setText(it_date(detail["filed_on"]))
        self.term.setText(term_text(detail["rule"]))
        self.deadline.setText(it_date(detail["deadline"]) or "—")
        kind, text = badge(badge_row(detail))
        self.deadline_badge.setText(self._badge_text(kind, text, detail["days_left"]))
        self.deadline_badge.setStyleSheet(_pill(kind))
        self.deadline_badge.setVisible(bool(text))
        self.suspended.setText(_trn("%n day(s)", "", detail["suspended_days"]))
        anomalies = detail["clock_detail"]["anomalies"]
        self.anomalies.setText("\n".join("⚠ " + a for a in anomalies))
        self.anomalies.setVisible(bool(anomalies))

    @staticmethod
    def _badge_text(kind: str, text: str, days_left: int | None) -> str:
        if kind == "overdue" and days_left is not None:
            return _trn("%n day(s) overdue", "", -days_left)
        if kind in ("soon", "ok") and days_left is not None:
            return _trn("%n day(s) left", "", days_left)
        return text


class ActionBar(QWidget):
    """Exactly the moves the service allows this operator now; nothing else is shown."""

    moveRequested = Signal(object)  # the move's dict from dossier_detail
    observationsRequested = Signal()
    # Mnemonics of the tabs, of the data tab's and of the pending items' buttons.
    RESERVED = frozenset("dhprasvie")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: list[QPushButton] = []
        self.caption = QLabel(_tr("Actions:"))
        self.none = QLabel(_tr("No action is yours to take in this state."))
        self.none.setObjectName("noActions")
        self.none.setStyleSheet("color: palette(placeholder-text);")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.caption)
        self.row.addWidget(self.none)
        self.observations = QPushButton(_tr("Observations received…"))
        self.observations.setObjectName("recordObservations")
        self.observations.setToolTip(
            _tr("The applicant answered the preavviso di rigetto: record the day")
        )
        self.observations.clicked.connect(lambda _checked=False: self.observationsRequested.emit())
        self.observations.hide()
        self.row.addWidget(self.observations)
        self.row.addStretch()

    def set_moves(self, moves: Iterable[dict[str, Any]]) -> None:
        for button in self.buttons:
            self.row.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        used = set(self.RESERVED)
        for number, move in enumerate(moves, start=1):
            button = self._button(move, number, used)
            self.row.insertWidget(self.row.count() - 2, button)
            button.show()  # a layout shows a late child only on a later event loop pass
            self.buttons.append(button)
        self.none.setVisible(not self.buttons)
        self.observations.setText(with_mnemonic(_tr("Observations received…"), used))

    def _button(self, move: dict[str, Any], number: int, used: set[str]) -> QPushButton:
        if move["via_parere"]:
            text = _tr("Give parere…")
            tip = _tr("Record the opinion asked of your office; the file goes back to the other")
        else:
            text = move["label"] + "…"
            tip = _tr("Move the dossier to «{0}»").format(move["label"])
        button = QPushButton(with_mnemonic(text, used))
        button.setObjectName(f"move_{move['to_state']}")
        button.setToolTip(tip)
        if number <= 9:
            # The mnemonic is the button's own shortcut; Ctrl+number comes as an action.
            shortcut = QKeySequence(f"Ctrl+{number}")
            action = QAction(button)
            action.setShortcut(shortcut)
            action.triggered.connect(button.click)
            button.addAction(action)
            keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(_tr("{0} ({1})").format(tip, keys))
        button.clicked.connect(lambda _checked=False, m=move: self.moveRequested.emit(m))
        return button

    def texts(self) -> list[str]:
        return [button.text().replace("&", "") for button in self.buttons]


# -- tabs ------------------------------------------------------------------------------


class DataTab(QWidget):
    """The editable fields; Save sends only what changed, with the version it was read at."""

    saved = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ref: str | None = None
        self.version: int | None = None
        self._take_server_values = False
        self._hint = ""
        self.form = DossierForm()
        self.form.edited.connect(self._edited)
        self.notice = QLabel()
        self.notice.setObjectName("dataNotice")
        self.notice.setWordWrap(True)
        self.save_button = QPushButton(_tr("&Save"))
        self.save_button.setObjectName("save")
        self.save_button.setToolTip(_tr("Save the changed fields (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(_tr("Re&vert"))
        self.revert_button.setObjectName("revert")
        self.revert_button.setToolTip(_tr("Put back the values as they were loaded"))
        self.revert_button.clicked.connect(self.form.revert)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def load(self, snapshot: DossierSnapshot) -> None:
        """Show the newest values; what the user typed and did not save stays."""
        keep_edits = self.form.is_dirty() and not self._take_server_values
        if keep_edits and snapshot.detail["version"] != self.version:
            self.notice.setText(
                _tr("The dossier changed and was reloaded: your unsaved changes are kept.")
            )
        self._take_server_values = False
        self.ref, self.version = snapshot.ref, snapshot.detail["version"]
        self.form.set_values(form_values(snapshot.detail), keep_edits=keep_edits)
        editable = [name for name in FIELD_LABELS if name not in snapshot.read_only]
        reasons = {name: read_only_reason(code) for name, code in snapshot.read_only.items()}
        self.form.set_editable(editable, reasons)
        self._show_hint(snapshot.read_only)
        self._update_buttons()

    def _show_hint(self, read_only: Mapping[str, str]) -> None:
        """Say why some fields are grey, unless a message about the last save is showing."""
        if "closed" in read_only.values():
            hint = read_only_reason("closed")
        elif read_only:
            hint = _tr("Grey fields are not yours to change: point at one to see why.")
        else:
            hint = ""
        if self.notice.text() in ("", self._hint):
            self.notice.setText(hint)
        self._hint = hint

    def _edited(self) -> None:
        if self.notice.text() == _tr("Saved."):
            self.notice.setText(self._hint)
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.form.is_dirty()
        self.save_button.setEnabled(dirty and self.ref is not None)
        self.revert_button.setEnabled(dirty)

    def save(self) -> None:
        changed = self.form.changed_values()
        if not changed or self.ref is None:
            return
        ref, version = self.ref, self.version
        self.form.clear_errors()
        self.notice.clear()
        self.save_button.setEnabled(False)
        run_use_case(
            self.context,
            self,
            lambda uow: update_dossier(uow, ref, changed, expected_version=version),
            self._saved,
            self._refused,
            lambda _error: self._update_buttons(),
        )

    def _refused(self, errors: dict[str, str]) -> None:
        self.form.set_errors(errors)
        self.notice.setText(_tr("Not saved: correct the fields marked in red."))
        self._update_buttons()

    def _saved(self, result: Any) -> None:
        _changes, warnings = result
        self._take_server_values = True  # the service normalises what was typed
        self.notice.setText("\n".join(["⚠ " + w for w in warnings]) or _tr("Saved."))
        self.saved.emit()


class RecordsTab(QWidget):
    """A read-only table over rows the snapshot provides."""

    def __init__(self, headers: list[str], object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordsModel(headers, self)
        self.view = make_table(self.model, object_name)
        self.column = QVBoxLayout(self)
        self.column.addWidget(self.view)

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        raise NotImplementedError

    def load(self, snapshot: DossierSnapshot) -> None:
        self.model.set_rows(self.rows_of(snapshot))
        fit_columns(self.view)


class HistoryTab(RecordsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("Effective"),
                _tr("Entered"),
                _tr("Office"),
                _tr("User"),
                _tr("Event"),
                _tr("State reached"),
                _tr("Clock"),
                _tr("Note"),
            ],
            "historyTable",
            parent,
        )

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        return [
            [
                it_date(event["effective_on"]),
                local_time(event["entered_at"]),
                event["office"] or "",
                event["actor"] or "",
                event_label(event["kind"]),
                event["to_state_label"] or "",
                clock_label(event["clock"]),
                "  ".join(
                    [event["note"], *("⚠ " + note for note in event.get("clock_notes", ()))]
                ).strip(),
            ]
            for event in snapshot.history
        ]


class PareriTab(RecordsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("Requested on"),
                _tr("Given on"),
                _tr("Outcome"),
                _tr("Officer"),
                _tr("Reasons"),
            ],
            "pareriTable",
            parent,
        )

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        return [
            [
                it_date(parere["requested_on"]),
                it_date(parere["given_on"]),
                outcome_label(parere["outcome"]),
                parere["officer"] or "",
                parere["reasons"],
            ]
            for parere in snapshot.detail["pareri"]
        ]


class AuditTab(RecordsTab):
    """Every recorded change, one row per field: who changed what from what to what."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("When"),
                _tr("Who"),
                _tr("Record"),
                _tr("Action"),
                _tr("Field"),
                _tr("Before"),
                _tr("After"),
            ],
            "auditTable",
            parent,
        )
        self.tables = {
            "dossiers": _tr("Dossier"),
            "dossier_events": _tr("History"),
            "flags": _tr("Pending item"),
            "pareri": _tr("Parere"),
        }
        self.action_names = {
            "insert": _tr("created"),
            "update": _tr("changed"),
            "delete": _tr("deleted"),
        }

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        titles = column_titles()
        rows = []
        for entry in snapshot.audit:
            head = [
                local_time(entry["at"]),
                entry["actor"],
                self.tables.get(entry["table"], entry["table"]),
                self.action_names.get(entry["action"], entry["action"]),
            ]
            for change in entry["changes"] or [{"field": "", "before": None, "after": None}]:
                rows.append(
                    [
                        *head,
                        titles.get(change["field"], change["field"]),
                        audit_value(change["before"]),
                        audit_value(change["after"]),
                    ]
                )
        return rows


class FlagsTab(RecordsTab):
    """Pending items, with Raise… and Resolve… for the operator's office."""

    raiseRequested = Signal()
    resolveRequested = Signal(object)  # the flag's dict

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("No."),
                _tr("Category"),
                _tr("From"),
                _tr("For"),
                _tr("Raised"),
                _tr("Suspends"),
                _tr("Resolved"),
                _tr("By"),
                _tr("Text"),
                _tr("Resolution note"),
            ],
            "flagsTable",
            parent,
        )
        self.flags: list[dict[str, Any]] = []
        self.resolvable: frozenset[str] = frozenset()
        self.raise_button = QPushButton(_tr("Ra&ise…"))
        self.raise_button.setObjectName("raiseFlag")
        self.raise_button.setToolTip(_tr("Raise a pending item for the other office (Ctrl+I)"))
        self.raise_button.setShortcut(QKeySequence("Ctrl+I"))
        self.raise_button.clicked.connect(self.raiseRequested)
        self.resolve_button = QPushButton(_tr("R&esolve…"))
        self.resolve_button.setObjectName("resolveFlag")
        self.resolve_button.setToolTip(_tr("Mark the selected item as resolved (Ctrl+E)"))
        self.resolve_button.setShortcut(QKeySequence("Ctrl+E"))
        self.resolve_button.clicked.connect(self._resolve_selected)
        self.view.doubleClicked.connect(lambda _index: self._resolve_selected())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.raise_button)
        buttons.addWidget(self.resolve_button)
        self.column.addLayout(buttons)
        self._selection_changed()

    def load(self, snapshot: DossierSnapshot) -> None:
        self.flags = snapshot.detail["flags"]
        self.resolvable = snapshot.resolvable_flags
        super().load(snapshot)
        self.raise_button.setEnabled(snapshot.can_raise)
        first_open = next((i for i, f in enumerate(self.flags) if f["id"] in self.resolvable), -1)
        if first_open >= 0:
            self.view.selectRow(first_open)
        self._selection_changed()

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        return [
            [
                f"#{flag['number']}",
                flag["category_label"],
                flag["raised_by_office"],
                flag["for_office"],
                it_date(flag["raised_on"]),
                _tr("yes") if flag["suspends"] else "",
                it_date(flag["resolved_on"]),
                flag["resolved_by"] or "",
                flag["text"],
                flag["resolution_note"],
            ]
            for flag in snapshot.detail["flags"]
        ]

    def selected_flag(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.flags):
            return None
        return self.flags[rows[0].row()]

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        flag = self.selected_flag()
        self.resolve_button.setEnabled(flag is not None and flag["id"] in self.resolvable)

    def _resolve_selected(self) -> None:
        flag = self.selected_flag()
        if flag is not None and flag["id"] in self.resolvable:
            self.resolveRequested.emit(flag)


# -- the window ------------------------------------------------------------------------


class DossierWindow(QMainWindow):
    def __init__(self, context: UiContext, dossier_id: str) -> None:
        super().__init__()
        self.context = context
        self.dossier_id = dossier_id
        self.dossier_uuid = uuid.UUID(hex=dossier_id)
        self.snapshot: DossierSnapshot | None = None
        self.dialog: UseCaseDialog | None = None
        self._load_job: Job | None = None
        self._closed = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_tr("Dossier"))
        self.resize(1180, 780)

        self.header = DossierHeader()
        self.actions_bar = ActionBar()
        self.actions_bar.moveRequested.connect(self._move_requested)
        self.actions_bar.observationsRequested.connect(self._record_observations)
        self.data_tab = DataTab(context)
        self.data_tab.saved.connect(self.reload)
        self.history_tab = HistoryTab()
        self.flags_tab = FlagsTab()
        self.flags_tab.raiseRequested.connect(self._raise_flag)
        self.flags_tab.resolveRequested.connect(self._resolve_flag)
        self.pareri_tab = PareriTab()
        self.audit_tab = AuditTab()
        from ui.documents_tab import DocumentsTab

        self.documents_tab = DocumentsTab(context)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dossierTabs")
        for tab, title in (
            (self.data_tab, _tr("&Data")),
            (self.history_tab, _tr("&History")),
            (self.flags_tab, _tr("&Pending items")),
            (self.pareri_tab, _tr("Pa&rere")),
            (self.audit_tab, _tr("&Audit")),
            (self.documents_tab, _tr("Do&cuments")),
        ):
            self.tabs.addTab(tab, title)
        self.tabs.setEnabled(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.header)
        layout.addWidget(self.actions_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._add_action(_tr("Save"), QKeySequence.StandardKey.Save, self._save)
        self._add_action(_tr("Reload"), QKeySequence.StandardKey.Refresh, self.reload)
        self._add_action(_tr("Close"), QKeySequence.StandardKey.Close, self.close)
        self.printing = PrintService(context, self)
        self._build_print_menu()
        context.bus.changed.connect(self._changes)
        self.reload()

    def _build_print_menu(self) -> None:
        from reports.form_list import FORMS

        menu = self.menuBar().addMenu(_tr("&Print"))
        menu.setObjectName("printMenu")
        for spec in FORMS.values():
            if spec.kind != "letter":
                continue
            action = menu.addAction(spec.title)
            action.setObjectName(f"print-{spec.name}")
            action.setToolTip(spec.description)
            action.triggered.connect(
                lambda _checked=False, form=spec.name: self.printing.letter(form, self.dossier_id)
            )
        from models.separators import DOCUMENT_KINDS

        separators = menu.addMenu(_tr("Separator sheet"))
        separators.setObjectName("print-separatore")
        for kind in ("", *DOCUMENT_KINDS):
            action = separators.addAction(kind.capitalize() if kind else _tr("Any document"))
            action.setObjectName(f"print-separatore-{kind or 'documento'}")
            action.triggered.connect(
                lambda _checked=False, kind=kind: self.printing.separators([self.dossier_id], kind)
            )

    def _add_action(
        self, text: str, keys: QKeySequence.StandardKey, slot: Callable[[], Any]
    ) -> None:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)

    # -- loading ----------------------------------------------------------------

    def reload(self) -> None:
        """Read the dossier again on the worker; the newest request wins."""
        if self._load_job is not None:
            self._load_job.cancel()
        database, username, ref = (
            self.context.tasks.database,
            self.context.operator.username,
            self.dossier_id,
        )

        def work(_job: Job) -> DossierSnapshot:
            with database.unit_of_work(username) as uow:
                return load_snapshot(uow, ref)

        self._load_job = self.context.tasks.run(work, self._show, self._failed)

    def _show(self, snapshot: DossierSnapshot) -> None:
        if self._closed:
            return
        self.snapshot = snapshot
        detail = snapshot.detail
        person = detail["person"]
        self.setWindowTitle(
            _tr("{0} – {1} {2}").format(
                snapshot.reference, person["surname"], person["given_names"]
            )
        )
        self.header.show_snapshot(snapshot)
        self.actions_bar.set_moves(detail["allowed_moves"])
        self.actions_bar.observations.setVisible(snapshot.observations_awaited)
        self.data_tab.load(snapshot)
        self.history_tab.load(snapshot)
        self.flags_tab.load(snapshot)
        self.pareri_tab.load(snapshot)
        self.audit_tab.load(snapshot)
        self.documents_tab.load(snapshot.ref)
        open_items = detail["open_flags"]
        self.tabs.setTabText(
            self.tabs.indexOf(self.flags_tab),
            _tr("&Pending items ({0})").format(open_items) if open_items else _tr("&Pending items"),
        )
        self.tabs.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        if self._closed:
            return
        message = str(error) if isinstance(error, DomainError) else repr(error)
        self.header.show_error(_tr("Cannot open the dossier: {0}").format(message))
        self.actions_bar.set_moves([])
        self.tabs.setEnabled(False)

    def _changes(self, changes: Changes) -> None:
        if self.dossier_uuid in changes.dossier_ids:
            self.reload()

    # -- actions ----------------------------------------------------------------

    def _open_dialog(self, dialog: UseCaseDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._use_case_done)
        dialog.open()

    def _use_case_done(self, result: Any) -> None:
        """Reload; what the service did but wants the operator to know, in a message."""
        self.reload()
        changes = result[-1] if isinstance(result, tuple) and result else result
        warnings = changes.warnings if isinstance(changes, Changes) else ()
        if warnings:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                _tr("Recorded, with a warning"),
                "\n\n".join(warnings),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("useCaseWarning")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _move_requested(self, move: dict[str, Any]) -> None:
        if self.snapshot is None:
            return
        if move["via_parere"]:
            self._open_dialog(ParereDialog(self.context, self, self.snapshot))
        else:
            self._open_dialog(MoveDialog(self.context, self, self.snapshot, move))

    def _raise_flag(self) -> None:
        if self.snapshot is not None:
            self._open_dialog(RaiseFlagDialog(self.context, self, self.snapshot))

    def _record_observations(self) -> None:
        if self.snapshot is not None:
            self._open_dialog(ObservationsDialog(self.context, self, self.snapshot))

    def _resolve_flag(self, flag: dict[str, Any]) -> None:
        if self.snapshot is not None:
            self._open_dialog(ResolveFlagDialog(self.context, self, self.snapshot, flag))

    def _save(self) -> None:
        self.tabs.setCurrentWidget(self.data_tab)
        self.data_tab.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.data_tab.form.is_dirty():
            answer = QMessageBox.question(
                self,
                _tr("Unsaved changes"),
                _tr("The data of this dossier were changed and not saved. Discard the changes?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self._closed = True
        if self._load_job is not None:
            self._load_job.cancel()
        self.context.bus.changed.disconnect(self._changes)
        super().closeEvent(event)
