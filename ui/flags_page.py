"""*Segnalazioni*: pending items raised by or for the operator's office."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.dates import italian_date
from models.services.flags_list import FlagLine, flag_lines
from models.text import fold
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.records_model import RecordsModel
from ui.tasks import Job
from ui.tavolo_actions import ActionsTable

Index = QModelIndex | QPersistentModelIndex


def flag_cells(line: FlagLine) -> list[str]:
    flag = line.facts
    return [
        f"#{flag.number}",
        flag.dossier,
        line.name,
        line.state_label,
        italian_date(line.deadline),
        flag.raised_by_office,
        flag.for_office,
        flag.category_label,
        italian_date(flag.raised_on),
        italian_date(flag.resolved_on),
        _tr("yes") if flag.suspends else "",
        flag.text,
    ]


class FlagsPage(QWidget):
    openRequested = Signal(str)
    meetingRequested = Signal(int)  # an open action about no dossier: its meeting

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = RecordsModel(
            [
                _tr("No."),
                _tr("Dossier"),
                _tr("Surname and names"),
                _tr("State"),
                _tr("Deadline"),
                _tr("Raised by"),
                _tr("For office"),
                _tr("Category"),
                _tr("Raised"),
                _tr("Resolved"),
                _tr("Suspends"),
                _tr("Text"),
            ],
            self,
        )
        self.flags: list[FlagLine] = []  # the rows shown
        self.all_flags: list[FlagLine] = []
        self.open_only = QCheckBox(_tr("Open items only"))
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(self.reload)
        self.summary = QLabel()
        self.search = QLineEdit(placeholderText=_tr("Search dossier, name, category, text…"))
        self.search.setObjectName("flagsSearch")
        self.search.setAccessibleName(_tr("Search pending items"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._filter())
        self.table = QTableView()
        self.table.setObjectName("flagsTable")
        self.table.setAccessibleName(_tr("Pending items"))
        self.table.setTabKeyNavigation(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.open_only)
        top.addStretch()
        top.addWidget(self.summary)
        # The tavolo's open actions owned by this person or their office.
        self.tavolo_actions = ActionsTable(context)
        self.tavolo_actions.openRequested.connect(self.openRequested)
        self.tavolo_actions.meetingRequested.connect(self.meetingRequested)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.tavolo_actions, 1)

    def reload(self) -> None:
        operator, open_only = self.context.operator, self.open_only.isChecked()

        def work(_job: Job) -> list[FlagLine]:
            with self.context.tasks.database.unit_of_work(operator.username) as uow:
                return flag_lines(uow, open_only, operator.office_code)

        self.context.tasks.run(work, self._show)
        self.tavolo_actions.reload()

    def _show(self, flags: list[FlagLine]) -> None:
        self.all_flags = flags
        self._filter()

    def _filter(self) -> None:
        """Every word typed must appear in the row (accents and case ignored)."""
        words = fold(self.search.text()).split()
        flags = [
            f for f in self.all_flags if all(w in fold(" ".join(flag_cells(f))) for w in words)
        ]
        self.flags = flags
        self.model.set_rows([flag_cells(f) for f in flags])
        mine = sum(1 for f in flags if f.facts.for_office == self.context.operator.office_code)
        self.summary.setText(_tr("{0} items, {1} for my office").format(len(flags), mine))

    def _activated(self, index: QModelIndex) -> None:
        self.openRequested.emit(self.flags[index.row()].facts.dossier_id.hex)
