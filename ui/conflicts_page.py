"""*Conflitti*: the same field changed here and on the server, and refused transitions.

Each row shows both values; the person keeps one (``resolve_conflict`` on the database
worker, through ``run_use_case``, so the choice is pushed like any other local change).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from models.dates import local_moment
from models.procedures import WorkflowState
from models.services.changes import Changes
from models.services.conflicts import ConflictRow
from models.uow import UnitOfWork
from sync.quarantine import describe, entries
from ui.actions import run_use_case
from ui.connection_dialog import table_label
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.i18n import tr_n as _trn
from ui.records_model import RecordsModel
from ui.tasks import Job

KEY = "conflicts"  # its navigation entry
KEEP_LOCAL, KEEP_SERVER = "local", "server"
REFUSED = "refused"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConflictService(Protocol):
    """``models.services.conflicts`` (docs/sync-design.md)."""

    def list_conflicts(
        self, uow: UnitOfWork, include_resolved: bool = False
    ) -> Sequence[ConflictRow]: ...

    def resolve_conflict(self, uow: UnitOfWork, conflict_id: int, keep: str) -> Changes: ...


def default_service() -> ConflictService:
    from models.services import conflicts

    return conflicts


@dataclass(frozen=True)
class ConflictView:
    """One row as shown, read on the worker: nothing ORM crosses to the GUI thread."""

    id: int
    dossier_id: str | None
    cells: tuple[str, ...]
    refused: bool
    resolved: bool
    detail: str  # the whole story of the selected row, below the table


def _moment(value: datetime) -> str:
    return local_moment(value)


def shown(value: Any) -> str:
    """A field's value as the dossier window shows it: dates dd/mm/yyyy, — for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _tr("yes") if value else _tr("no")
    if isinstance(value, str) and ISO_DATE.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return str(value)


def _label(field: str) -> str:
    from models.validation import FIELD_LABELS

    return _tr("state") if field == "state" else FIELD_LABELS.get(field, field)


def refused_changes(rows: Any, states: Mapping[str, str]) -> str:
    """What a refused change would have done: ``stato: Istruttoria → Definita``."""
    parts: list[str] = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        if row.get("action") == "insert":
            parts.append(_tr("new record ({0})").format(table_label(str(row.get("table")))))
            continue
        for field, values in (row.get("changes") or {}).items():
            if isinstance(values, list) and len(values) == 2:
                before, after = (
                    states.get(v, v) if field == "state" and isinstance(v, str) else v
                    for v in values
                )
                parts.append(f"{_label(field)}: {shown(before)} → {shown(after)}")
    return "; ".join(parts) or "—"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def view_of(row: ConflictRow, states: Mapping[str, str]) -> ConflictView:
    refused = row.kind == REFUSED
    if row.resolved_at is not None:
        state = _tr("resolved on {0}").format(_moment(row.resolved_at))
    elif refused:
        state = _tr("refused by the server: {0}").format(row.reason)
    else:
        state = _tr("to resolve")
    reference = row.reference or "—"
    if refused:
        what, mine, theirs = _tr("Refused change"), refused_changes(row.local, states), "—"
        detail = _tr(
            "{0}: the server refused “{1}” ({2}). The dossier shows the server's state: "
            "do the operation again if it is still needed, then close this entry with “Keep the "
            "server's value”."
        ).format(reference, mine, row.reason)
    else:
        what, mine, theirs = _capital(row.field_label or ""), shown(row.local), shown(row.server)
        detail = _tr(
            "{0}: “{1}” was changed here and on another workstation. My value: {2}; "
            "the server's: {3}. Choose which one the dossier keeps."
        ).format(reference, what, mine, theirs)
    return ConflictView(
        row.id,
        row.dossier_id.hex if row.dossier_id is not None else None,
        (reference, what, mine, theirs, _moment(row.created_at), state),
        refused,
        row.resolved_at is not None,
        detail,
    )


def badge_title(title: str, count: int) -> str:
    return f"{title} ({count})" if count else title


def show_badge(navigation: QListWidget, title: str, count: int) -> None:
    """The navigation entry reads ``Conflitti (3)``, in bold while any wait."""
    for row in range(navigation.count()):
        item = navigation.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == KEY:
            item.setText(badge_title(title, count))
            font = QFont(item.font())
            font.setBold(count > 0)
            item.setFont(font)


class ConflictsPage(QWidget):
    openRequested = Signal(str)  # dossier id
    countChanged = Signal(int)  # conflicts and refusals still to resolve

    def __init__(
        self,
        context: UiContext,
        service: ConflictService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._service = service
        self.rows: list[ConflictView] = []
        self.model = RecordsModel(
            [
                _tr("Dossier"),
                _tr("Field"),
                _tr("My value"),
                _tr("Server value"),
                _tr("When"),
                _tr("Outcome"),
            ],
            self,
        )
        self.summary = QLabel()
        self.summary.setObjectName("conflictsSummary")
        self.show_resolved = QCheckBox(_tr("Show resolved too"))
        self.show_resolved.toggled.connect(self.reload)
        self.table = QTableView()
        self.table.setAccessibleName(_tr("Conflicts"))
        self.table.setObjectName("conflictsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((170, 170, 240, 240, 120)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda index: self._open(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.keep_local = QPushButton(_tr("&Keep my value"))
        self.keep_local.setObjectName("keepLocal")
        self.keep_server = QPushButton(_tr("Keep the &server's value"))
        self.keep_server.setObjectName("keepServer")
        self.keep_local.clicked.connect(lambda: self.resolve(KEEP_LOCAL))
        self.keep_server.clicked.connect(lambda: self.resolve(KEEP_SERVER))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        # Rows received from the server that this replica could not store (sync/quarantine).
        self.quarantine = QLabel()
        self.quarantine.setObjectName("quarantineList")
        self.quarantine.setWordWrap(True)
        self.quarantine.hide()

        top = QHBoxLayout()
        top.addWidget(self.summary)
        top.addStretch()
        top.addWidget(self.show_resolved)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.keep_server)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        layout.addWidget(self.quarantine)
        self._selection_changed()

    @property
    def service(self) -> ConflictService:
        if self._service is None:
            self._service = default_service()
        return self._service

    @service.setter
    def service(self, service: ConflictService) -> None:
        self._service = service

    def reload(self) -> None:
        service, everything = self.service, self.show_resolved.isChecked()
        user = self.context.operator.username

        def work(_job: Job) -> tuple[list[ConflictView], int]:
            with self.context.tasks.database.unit_of_work(user) as uow:
                found = uow.session.execute(select(WorkflowState.code, WorkflowState.label))
                states = {code: label for code, label in found}
                listed = [view_of(r, states) for r in service.list_conflicts(uow, everything)]
                if everything:
                    pending = sum(1 for r in service.list_conflicts(uow, False))
                else:
                    pending = len(listed)
                return listed, pending

        self.context.tasks.run(work, self._show)

        def set_aside(_job: Job) -> list[str]:
            with self.context.tasks.database.unit_of_work(user) as uow:
                return [describe(entry) for entry in entries(uow.session)]

        self.context.tasks.run(set_aside, self._show_quarantine)

    def _show_quarantine(self, lines: list[str]) -> None:
        self.quarantine.setVisible(bool(lines))
        heading = _trn("%n item(s) in quarantine", "", len(lines))
        why = _tr("received from the server but not stored here; tried again at every sync")
        self.quarantine.setText(f"{heading} ({why}):\n" + "\n".join(lines))

    def _show(self, result: tuple[list[ConflictView], int]) -> None:
        selected = self.selected()
        self.rows, pending = result
        self.model.set_rows([row.cells for row in self.rows])
        self.summary.setText(
            _trn("%n conflict(s) to resolve", "", pending) if pending else _tr("No conflicts")
        )
        for position, row in enumerate(self.rows):
            if selected is not None and row.id == selected.id:
                self.table.selectRow(position)
        self._selection_changed()
        self.countChanged.emit(pending)

    def selected(self) -> ConflictView | None:
        chosen = self.table.selectionModel().selectedRows()
        if not chosen or not 0 <= chosen[0].row() < len(self.rows):
            return None
        return self.rows[chosen[0].row()]

    def _selection_changed(self, *_args: Any) -> None:
        row = self.selected()
        open_row = row is not None and not row.resolved
        self.keep_local.setEnabled(open_row and row is not None and not row.refused)
        self.keep_server.setEnabled(open_row)
        if row is None:
            self.hint.setText(_tr("Select a conflict to choose which value to keep."))
        else:
            self.hint.setText(row.detail)

    def resolve(self, keep: str) -> None:
        row = self.selected()
        if row is None or row.resolved:
            return
        self.keep_local.setEnabled(False)
        self.keep_server.setEnabled(False)
        service = self.service

        def use_case(uow: UnitOfWork) -> Changes:
            return service.resolve_conflict(uow, row.id, keep)

        run_use_case(
            self.context,
            self,
            use_case,
            on_success=lambda _changes: self.reload(),
            on_failure=lambda _error: self._selection_changed(),
        )

    def _open(self, position: int) -> None:
        if 0 <= position < len(self.rows) and self.rows[position].dossier_id:
            self.openRequested.emit(str(self.rows[position].dossier_id))
