"""*Tavolo*: the coordination meetings, their agenda and outcomes, and the verbale."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.dates import italian_date
from models.enums import FLAG_CATEGORIES
from models.meetings import MeetingState, OutcomeKind
from models.services.tavolo.meetings import (
    add_item,
    close_meeting,
    create_meeting,
    get_meeting,
    list_meetings,
    start_meeting,
    visible_items,
)
from models.services.tavolo.outcomes import OutcomeRequest, record_outcome
from models.services.tavolo.views import ItemFacts, MeetingFacts, agenda_view, meeting_view
from ui.actions import run_use_case
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.records_model import RecordsModel
from ui.tasks import Job

CHAIRS = ("head", "admin")


def _table(model: RecordsModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def outcome_text(item: ItemFacts) -> str:
    parts = []
    for outcome in item.outcomes:
        text = f"{outcome.kind_label}: {outcome.text}"
        if outcome.owner:
            text += f" — {outcome.owner}, {italian_date(outcome.due_on)}"
        parts.append(text)
    if not parts and item.not_reached:
        return _tr("not reached")
    return "; ".join(parts)


class NewMeetingDialog(QDialog):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("New meeting"))
        self.day = QDateEdit(QDate(today.year, today.month, today.day).addDays(7))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.place = QLineEdit()
        self.every = QSpinBox()
        self.every.setRange(0, 52)
        self.every.setSpecialValueText(_tr("once"))
        self.every.setValue(2)
        form = QFormLayout(self)
        form.addRow(_tr("Date"), self.day)
        form.addRow(_tr("Place"), self.place)
        form.addRow(_tr("Every (weeks)"), self.every)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[date, str, int | None]:
        day = self.day.date()
        return (
            date(day.year(), day.month(), day.day()),
            self.place.text(),
            self.every.value() or None,
        )


class OutcomeDialog(QDialog):
    KINDS = (OutcomeKind.INFORMAZIONE, OutcomeKind.DECISIONE, OutcomeKind.AZIONE)

    def __init__(self, today: date, on_dossier: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Outcome"))
        self.kind = QComboBox()
        for label in (_tr("Information"), _tr("Decision"), _tr("Action")):
            self.kind.addItem(label)
        self.text = QLineEdit()
        self.owner = QComboBox()
        self.owner.addItem(_tr("Sportello Unico"), "sui")
        self.owner.addItem(_tr("Questura"), "questura")
        self.due = QDateEdit(QDate(today.year, today.month, today.day).addDays(14))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd/MM/yyyy")
        form = QFormLayout(self)
        form.addRow(_tr("Kind"), self.kind)
        form.addRow(_tr("Text"), self.text)
        form.addRow(_tr("Owner"), self.owner)
        form.addRow(_tr("Due"), self.due)
        # Effects on the item's dossier, made through the usual services and permissions.
        self.flag = QComboBox()
        self.flag.addItem(_tr("none"), None)
        for code, label in FLAG_CATEGORIES.items():
            self.flag.addItem(label, code)
        self.advance = QLineEdit()
        self.advance.setPlaceholderText(_tr("state code, e.g. in_istruttoria"))
        form.addRow(_tr("Raise a pending item"), self.flag)
        form.addRow(_tr("Move the dossier to"), self.advance)
        self.flag.setEnabled(on_dossier)
        self.advance.setEnabled(on_dossier)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _kind_changed(self, index: int) -> None:
        action = self.KINDS[index] is OutcomeKind.AZIONE
        self.owner.setEnabled(action)
        self.due.setEnabled(action)

    def request(self) -> OutcomeRequest:
        kind = self.KINDS[self.kind.currentIndex()]
        flag = self.flag.currentData()
        advance = self.advance.text().strip() or None
        if kind is not OutcomeKind.AZIONE:
            return OutcomeRequest(kind, self.text.text(), flag_category=flag, advance_to=advance)
        day = self.due.date()
        due = date(day.year(), day.month(), day.day())
        owner = str(self.owner.currentData())
        return OutcomeRequest(kind, self.text.text(), owner, due, flag, advance)


class TavoloPage(QWidget):
    openRequested = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.meetings: list[MeetingFacts] = []
        self.wanted: int | None = None  # the meeting to select at the next reload
        self.items: list[ItemFacts] = []
        self.meeting_model = RecordsModel(
            [_tr("No."), _tr("Date"), _tr("Place"), _tr("State")], self
        )
        self.agenda_model = RecordsModel(
            [_tr("Section"), _tr("Dossier"), _tr("Why"), _tr("Outcomes")], self
        )
        self.meeting_table = _table(self.meeting_model, "meetingsTable")
        self.agenda_table = _table(self.agenda_model, "agendaTable")
        self.meeting_table.setAccessibleName(_tr("Meetings"))
        self.agenda_table.setAccessibleName(_tr("Agenda"))
        self.meeting_table.selectionModel().selectionChanged.connect(self._meeting_selected)
        self.agenda_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.agenda_table.activated.connect(self._item_activated)
        chair = context.operator.role in CHAIRS
        self.new_button = QPushButton(_tr("&New meeting…"))
        self.start_button = QPushButton(_tr("&Start"))
        self.close_button = QPushButton(_tr("C&lose"))
        self.propose_button = QPushButton(_tr("&Propose an item…"))
        self.outcome_button = QPushButton(_tr("&Outcome…"))
        self.verbale_button = QPushButton(_tr("&Verbale…"))
        for button, slot in (
            (self.new_button, self._new),
            (self.start_button, self._start),
            (self.close_button, self._close),
            (self.propose_button, self._propose),
            (self.outcome_button, self._outcome),
            (self.verbale_button, self._verbale),
        ):
            button.clicked.connect(slot)
        for button in (self.new_button, self.start_button, self.close_button, self.outcome_button):
            button.setVisible(chair)
        self.summary = QLabel()
        top = QHBoxLayout()
        for button in (
            self.new_button,
            self.start_button,
            self.close_button,
            self.propose_button,
            self.outcome_button,
            self.verbale_button,
        ):
            top.addWidget(button)
        top.addStretch()
        top.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.meeting_table)
        split.addWidget(self.agenda_table)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split)
        self._update_buttons()

    # -- reading -----------------------------------------------------------------

    def reload(self) -> None:
        username = self.context.operator.username

        def work(_job: Job) -> list[MeetingFacts]:
            with self.context.tasks.database.unit_of_work(username) as uow:
                return [meeting_view(m) for m in list_meetings(uow)]

        self.context.tasks.run(work, self._show_meetings)

    def _show_meetings(self, meetings: list[MeetingFacts]) -> None:
        chosen = self.current_meeting()
        self.meetings = meetings
        self.meeting_model.set_rows(
            [[f"n. {m.number}", italian_date(m.held_on), m.place, m.state_label] for m in meetings]
        )
        self.meeting_table.resizeColumnsToContents()
        numbers = [m.number for m in meetings]
        wanted = self.wanted or (chosen.number if chosen else None)
        self.wanted = None
        if wanted not in numbers:  # the next meeting to hold, else the last one
            pending = [m.number for m in meetings if m.state is not MeetingState.CHIUSA]
            wanted = pending[0] if pending else (numbers[-1] if numbers else None)
        if wanted is not None:
            self.meeting_table.selectRow(numbers.index(wanted))
        else:
            self._show_agenda([])

    def current_meeting(self) -> MeetingFacts | None:
        rows = self.meeting_table.selectionModel().selectedRows()
        return self.meetings[rows[0].row()] if rows and self.meetings else None

    def current_item(self) -> ItemFacts | None:
        rows = self.agenda_table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and self.items else None

    def _meeting_selected(self, *_args: Any) -> None:
        meeting = self.current_meeting()
        self._update_buttons()
        if meeting is None:
            return
        username, ref = self.context.operator.username, str(meeting.id)

        def work(_job: Job) -> list[ItemFacts]:
            with self.context.tasks.database.unit_of_work(username) as uow:
                return agenda_view(visible_items(uow, get_meeting(uow, ref)))

        self.context.tasks.run(work, self._show_agenda)

    def _show_agenda(self, items: list[ItemFacts]) -> None:
        self.items = items
        self.agenda_model.set_rows(
            [
                [
                    i.section,
                    i.dossier or "",
                    i.topic or i.detail if not i.dossier else i.detail or i.topic,
                    outcome_text(i),
                ]
                for i in items
            ]
        )
        self.agenda_table.resizeColumnsToContents()
        for column, widest in ((0, 260), (2, 420)):
            if self.agenda_table.columnWidth(column) > widest:
                self.agenda_table.setColumnWidth(column, widest)
        actions = sum(len(i.actions) for i in items)
        self.summary.setText(_tr("{0} items, {1} actions").format(len(items), actions))
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        meeting = self.current_meeting()
        state = meeting.state if meeting else None
        self.start_button.setEnabled(state is MeetingState.IN_PREPARAZIONE)
        self.close_button.setEnabled(state is MeetingState.IN_CORSO)
        self.propose_button.setEnabled(
            state in (MeetingState.IN_PREPARAZIONE, MeetingState.IN_CORSO)
        )
        self.outcome_button.setEnabled(
            state is MeetingState.IN_CORSO and self.current_item() is not None
        )
        self.verbale_button.setEnabled(meeting is not None)

    def _item_activated(self, index: QModelIndex) -> None:
        item = self.items[index.row()]
        if item.dossier_id is not None:
            self.openRequested.emit(str(item.dossier_id))

    # -- acting ------------------------------------------------------------------

    def _done(self, _result: Any = None) -> None:
        self.reload()
        self._meeting_selected()

    def _new(self) -> None:
        dialog = NewMeetingDialog(date.today(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        day, place, every = dialog.values()
        run_use_case(
            self.context, self, lambda uow: create_meeting(uow, day, place, every), self._done
        )

    def _number(self) -> int | None:
        meeting = self.current_meeting()
        return meeting.number if meeting else None

    def _ref(self) -> str:
        """The selected meeting for the services: its whole id (two workstations not
        connected may have given two meetings one number, and time-ordered ids made within
        a minute share their first characters)."""
        meeting = self.current_meeting()
        return str(meeting.id) if meeting else ""

    def _start(self) -> None:
        ref = self._ref()
        if ref:
            run_use_case(self.context, self, lambda uow: start_meeting(uow, ref), self._done)

    def _close(self) -> None:
        number = self._number()
        if number is None:
            return
        answer = QMessageBox.question(
            self,
            _tr("Close the meeting"),
            _tr(
                "Close meeting no. {0}? Items without an outcome go to the next meeting; the "
                "meeting can no longer be changed."
            ).format(number),
        )
        if answer == QMessageBox.StandardButton.Yes:
            ref = self._ref()
            run_use_case(self.context, self, lambda uow: close_meeting(uow, ref), self._done)

    def _propose(self) -> None:
        number = self._number()
        if number is None:
            return
        topic, ok = QInputDialog.getText(self, _tr("Propose an item"), _tr("Topic"))
        ref = self._ref()
        if ok and topic.strip():
            run_use_case(
                self.context, self, lambda uow: add_item(uow, ref, topic=topic), self._done
            )

    def _outcome(self) -> None:
        item = self.current_item()
        if item is None:
            return
        dialog = OutcomeDialog(date.today(), item.dossier_id is not None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        request, ref = dialog.request(), str(item.id)
        run_use_case(self.context, self, lambda uow: record_outcome(uow, ref, request), self._done)

    def _verbale(self) -> None:
        number = self._number()
        if number is None:
            return
        username, ref = self.context.operator.username, self._ref()

        def work(_job: Job) -> bytes:
            from models.services.tavolo.minutes import minutes
            from reports.verbale import render_verbale

            with self.context.tasks.database.unit_of_work(username) as uow:
                return render_verbale(minutes(uow, ref))

        def show(pdf: bytes) -> None:
            from ui.pdf_preview import PdfPreview

            self.preview = PdfPreview(
                pdf, _tr("Verbale no. {0}").format(number), f"verbale-{number}.pdf", self
            )
            self.preview.setObjectName("preview-verbale")
            self.preview.open()

        self.context.tasks.run(work, show)
