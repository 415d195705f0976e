"""The tavolo's open actions for this person or their office, as rows (*Da lavorare* and
*Segnalazioni*): what, which dossier, by when, decided at which meeting. Opening a row
goes to its dossier, or to its meeting when the action is about no dossier."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.dates import italian_date
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.records_model import RecordsModel
from ui.tasks import Job

if TYPE_CHECKING:
    from models.services.tavolo.views import OpenAction

VISIBLE_ROWS = 4  # in *Da lavorare* the dossiers keep the room; the rest scrolls
ROW_HEIGHT = 24  # as the dossier table's


def action_cells(found: OpenAction) -> list[str]:
    action = found.action
    return [
        ("⚠ " if found.late else "") + italian_date(action.due_on),
        action.text,
        action.owner or "",
        found.dossier or _tr("(no dossier)"),
        f"n. {found.meeting}",
    ]


class ActionsTable(QWidget):
    """A title line and one row per open action; hidden while there is none, if asked."""

    openRequested = Signal(str)  # dossier id
    meetingRequested = Signal(int)  # meeting number

    def __init__(
        self, context: UiContext, compact: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.compact = compact
        self.wanted = True  # compact: shown when there are actions and this is still true
        self.rows: list[OpenAction] = []
        self.model = RecordsModel(
            [_tr("Due"), _tr("Action"), _tr("Owner"), _tr("Dossier"), _tr("Meeting")], self
        )
        self.label = QLabel()
        self.label.setObjectName("tavoloActionsLabel")
        self.table = QTableView()
        self.table.setObjectName("tavoloActionsTable")
        self.table.setAccessibleName(_tr("Open actions of the tavolo"))
        self.table.setTabKeyNavigation(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        username = self.context.operator.username

        def work(_job: Job) -> list[OpenAction]:
            from models.services.tavolo.outcomes import actions_for

            with self.context.tasks.database.unit_of_work(username) as uow:
                return actions_for(uow)

        self.context.tasks.run(work, self.show_actions)

    def show_actions(self, actions: list[OpenAction]) -> None:
        self.rows = actions
        self.model.set_rows([action_cells(a) for a in actions])
        self.table.resizeColumnsToContents()
        late = sum(1 for a in actions if a.late)
        self.label.setText(
            _tr(
                "Tavolo: {0} open actions for me and my office, {1} overdue "
                "(Enter or double-click opens the dossier, or the meeting)"
            ).format(len(actions), late)
        )
        if self.compact:
            rows = min(len(actions), VISIBLE_ROWS)
            height = self.table.horizontalHeader().height() + 4
            height += rows * self.table.verticalHeader().defaultSectionSize()
            self.table.setFixedHeight(height)
            self.setVisible(bool(actions) and self.wanted)

    def _activated(self, index: QModelIndex) -> None:
        action = self.rows[index.row()]
        if action.dossier_id is not None:
            self.openRequested.emit(action.dossier_id.hex)
        else:
            self.meetingRequested.emit(action.meeting)
