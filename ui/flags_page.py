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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.dates import italian_date
from models.read.views import FlagFacts
from models.services.views import flag_list
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.records_model import RecordsModel
from ui.tasks import Job

Index = QModelIndex | QPersistentModelIndex


def flag_cells(flag: FlagFacts) -> list[str]:
    return [
        f"#{flag.number}",
        flag.dossier,
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

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = RecordsModel(
            [
                _tr("No."),
                _tr("Dossier"),
                _tr("From"),
                _tr("For"),
                _tr("Category"),
                _tr("Raised"),
                _tr("Resolved"),
                _tr("Suspends"),
                _tr("Text"),
            ],
            self,
        )
        self.flags: list[FlagFacts] = []
        self.open_only = QCheckBox(_tr("Open items only"))
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(self.reload)
        self.summary = QLabel()
        self.table = QTableView()
        self.table.setObjectName("flagsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(self.open_only)
        top.addStretch()
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def reload(self) -> None:
        operator, open_only = self.context.operator, self.open_only.isChecked()

        def work(_job: Job) -> list[FlagFacts]:
            with self.context.tasks.database.unit_of_work(operator.username) as uow:
                return flag_list(uow, open_only, operator.office_code)

        self.context.tasks.run(work, self._show)

    def _show(self, flags: list[FlagFacts]) -> None:
        self.flags = flags
        self.model.set_rows([flag_cells(f) for f in flags])
        mine = sum(1 for f in flags if f.for_office == self.context.operator.office_code)
        self.summary.setText(_tr("{0} items, {1} for my office").format(len(flags), mine))

    def _activated(self, index: QModelIndex) -> None:
        self.openRequested.emit(self.flags[index.row()].dossier_id.hex)
