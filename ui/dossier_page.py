"""The list page: search box, filters, the dossier table and the preview beside or below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.read.filters import PROTOCOL_RE, DossierFilter
from models.services.labels import type_explanation, type_label
from ui.badges import DeadlineDelegate
from ui.context import UiContext
from ui.dossier_table import DossierTableModel
from ui.i18n import tr as _tr
from ui.preview_pane import PreviewPane
from ui.tasks import Job
from ui.tavolo_actions import ActionsTable

if TYPE_CHECKING:
    pass

ROW_HEIGHT = 24


class Page:
    """Preset filters of one navigation entry over the shared dossier table."""

    ALL, TODO, FLAGS, DEADLINES, STATISTICS = "all", "todo", "flags", "deadlines", "statistics"
    CONFLICTS = "conflicts"  # shown once the workstation syncs with a server


# The list page's width from which the preview goes beside the list rather than below it:
# the columns need about 1,150 px, the preview 300.
WIDE_LIST_PX = 1500
PREVIEW_BELOW_PX = 160


class DossierPage(QWidget):
    """Search box, filters and the table; the same widget serves three navigation entries."""

    openRequested = Signal(str)  # dossier id
    meetingRequested = Signal(int)  # *Da lavorare*'s open action about no dossier

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.preset = Page.ALL
        self.assigned_to: str | None = None  # a saved view's *Le mie pratiche*
        self.remembered_choices: dict[str, object] = {}
        self.model = DossierTableModel(context.tasks, context.operator.username, self)
        self.search = QLineEdit(
            placeholderText=_tr(
                "Search surname, names, protocol, application code, fiscal code, CUI, passport…"
            )
        )
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("search")
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("typeFilter")
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("stateFilter")
        self.office_filter = QComboBox()
        self.office_filter.setObjectName("officeFilter")
        self.overdue_only = QCheckBox(_tr("&Overdue"))
        self.overdue_only.setObjectName("overdueOnly")
        self.with_flags = QCheckBox(_tr("With open &items"))
        self.with_flags.setObjectName("withFlags")
        self.count_label = QLabel()
        for combo, everything in (
            (self.type_filter, _tr("All types")),
            (self.state_filter, _tr("All states")),
            (self.office_filter, _tr("Any holder")),
        ):
            combo.addItem(everything, None)

        self.table = QTableView()
        self.table.setObjectName("dossierTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table: rows, not cells
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        vertical.hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((150, 210, 55, 140, 140, 95, 85, 175, 85, 70, 110)):
            self.table.setColumnWidth(column, width)
        # The name takes what the other columns leave (eliding a long one), so that no
        # column falls off the right edge on a 1366 px screen.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        waiting = self.model.columnCount() - 1
        self.table.setColumnHidden(waiting, True)
        header.moveSection(header.visualIndex(waiting), 5)  # beside the state: it must show
        self.table.setItemDelegateForColumn(7, DeadlineDelegate(DossierTableModel.RowRole, self))

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for widget in (
            self.type_filter,
            self.state_filter,
            self.office_filter,
            self.overdue_only,
            self.with_flags,
            self.count_label,
        ):
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(filters)
        # *Da lavorare* only: the tavolo's open actions for this person or office, as rows.
        self.tavolo_actions = ActionsTable(context, compact=True)
        self.tavolo_actions.setObjectName("tavoloActions")
        self.tavolo_actions.openRequested.connect(self.openRequested)
        self.tavolo_actions.meetingRequested.connect(self.meetingRequested)
        self.tavolo_actions.hide()
        layout.addWidget(self.tavolo_actions)
        # An empty result says so, and offers the way back when filters caused it.
        self.empty = QFrame()
        self.empty.setObjectName("emptyResult")
        self.empty_text = QLabel()
        self.empty_text.setObjectName("emptyText")
        self.clear_button = QPushButton(_tr("C&lear search and filters"))
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.clicked.connect(self.clear_filters)
        empty_row = QHBoxLayout(self.empty)
        empty_row.setContentsMargins(0, 2, 0, 2)
        empty_row.addWidget(self.empty_text)
        empty_row.addWidget(self.clear_button)
        empty_row.addStretch()
        self.empty.hide()
        layout.addWidget(self.empty)
        self.preview = PreviewPane(context, self.table, self.model)
        self.preview.openRequested.connect(self.openRequested)
        body = QSplitter()
        body.setObjectName("listAndPreview")
        body.addWidget(self.table)
        body.addWidget(self.preview)
        body.setStretchFactor(0, 1)
        body.setSizes([880, 300])
        layout.addWidget(body, 1)
        self.body = body

        # Coalesces a fast typist's keystrokes; slower typing queries on every key.
        self._debounce = QTimer(self, singleShot=True, interval=30)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textEdited.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._search_entered)
        self.search.installEventFilter(self)
        for combo in (self.type_filter, self.state_filter, self.office_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        for box in (self.overdue_only, self.with_flags):
            box.toggled.connect(self.apply_filters)
        self.table.activated.connect(self._activated)
        self.model.loaded.connect(self._loaded)

    def fill_choices(
        self, types: list[tuple[str, str]], states: list[tuple[str, str]], offices: list[str]
    ) -> None:
        for code, name in types:
            self.type_filter.addItem(type_label(code, name), code)
            self.type_filter.setItemData(
                self.type_filter.count() - 1,
                type_explanation(code, name),
                Qt.ItemDataRole.ToolTipRole,
            )
        for code, label in states:
            self.state_filter.addItem(label, code)
        for code in offices:
            self.office_filter.addItem(code, code)
        combos = {
            "type": self.type_filter,
            "state": self.state_filter,
            "office": self.office_filter,
        }
        restored = False
        for key, value in self.remembered_choices.items():
            position = combos[key].findData(value) if value else -1
            if position > 0:
                combos[key].blockSignals(True)
                combos[key].setCurrentIndex(position)
                combos[key].blockSignals(False)
                restored = True
        if restored:
            self.apply_filters()

    def set_preset(self, preset: str) -> None:
        self.preset = preset
        self.assigned_to = None
        # *Da lavorare* shows the clock that matters to a queue: how long a parere waits.
        self.model.show_waiting = preset == Page.TODO
        self.table.setColumnHidden(self.model.columnCount() - 1, preset != Page.TODO)
        holder = next(i for i, c in enumerate(self.model.columns) if c.key == "holder")
        self.table.setColumnHidden(holder, preset == Page.TODO)  # a queue is all my office's
        if preset in (Page.TODO, Page.DEADLINES):
            self.model.sort_key, self.model.descending = "deadline", False
            self.table.horizontalHeader().setSortIndicator(7, Qt.SortOrder.AscendingOrder)
        self.apply_filters()
        self.tavolo_actions.hide()
        self.tavolo_actions.wanted = preset == Page.TODO
        if preset == Page.TODO:
            self.tavolo_actions.reload()

    def current_filter(self) -> DossierFilter:
        office = self.office_filter.currentData()
        open_only = False
        due_within = None
        if self.preset == Page.TODO:
            office, open_only = self.context.operator.office_code, True
        elif self.preset == Page.DEADLINES:
            due_within = 7
        return DossierFilter(
            state=self.state_filter.currentData(),
            type_code=self.type_filter.currentData(),
            office=office,
            overdue=self.overdue_only.isChecked(),
            due_within=due_within,
            search=self.search.text().strip() or None,
            with_open_flags=self.with_flags.isChecked(),
            open_only=open_only,
            assigned_to=self.assigned_to,
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.count_label.setText("…")
        self.model.set_filter(self.current_filter())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down from the search box goes to the results, on the selected row or the first."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount()
        ):
            self.table.setFocus()
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def _loaded(self, count: int) -> None:
        self.count_label.setText(_tr("{0} dossiers").format(f"{count:,}".replace(",", ".")))
        self.empty.setVisible(count == 0)
        if count == 0:
            narrowed = bool(self.search.text().strip()) or any(
                (
                    self.type_filter.currentIndex() > 0,
                    self.state_filter.currentIndex() > 0,
                    self.office_filter.currentIndex() > 0,
                    self.overdue_only.isChecked(),
                    self.with_flags.isChecked(),
                )
            )
            self.empty_text.setText(
                _tr("No dossier matches the search and the filters.")
                if narrowed
                else _tr("No dossier here: nothing waits in this view.")
            )
            self.clear_button.setVisible(narrowed)

    def clear_filters(self) -> None:
        """The empty list's way out: no text searched, every filter back to «all»."""
        for combo in (self.type_filter, self.state_filter, self.office_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for box in (self.overdue_only, self.with_flags):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.search.clear()
        self.apply_filters()
        self.search.setFocus()

    def _activated(self, index: QModelIndex) -> None:
        dossier_id = self.model.id_at(index.row())
        if dossier_id:
            self.openRequested.emit(dossier_id)

    def _search_entered(self) -> None:
        """A barcode scanner types the protocol and Enter: open that dossier at once."""
        text = self.search.text().strip()
        if not PROTOCOL_RE.match(text):
            self.apply_filters()
            return
        user = self.context.operator.username

        def work(_job: Job) -> str | None:
            from models.services.lookup import find_dossier

            with self.context.tasks.database.unit_of_work(user) as uow:
                found = find_dossier(uow, text)
                return found.id.hex if found is not None else None

        def done(dossier_id: str | None) -> None:
            if dossier_id:
                self.search.clear()
                self.apply_filters()
                self.openRequested.emit(dossier_id)
            else:
                self.apply_filters()

        self.context.tasks.run(work, done)

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.id_at(r) for r in rows) if i]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place_preview()

    def place_preview(self) -> None:
        """Beside the list on a wide window; below it on a narrow one (a 1366 px screen),
        where beside it would push the deadline and the other columns out of sight."""
        wide = self.width() >= WIDE_LIST_PX
        wanted = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.body.orientation() == wanted:
            return
        self.body.setOrientation(wanted)
        if wide:
            self.preview.setMinimumSize(260, 0)
            self.body.setSizes([max(self.width() - 300, 1), 300])
        else:
            self.preview.setMinimumSize(0, PREVIEW_BELOW_PX)
            self.body.setSizes([max(self.body.height() - PREVIEW_BELOW_PX, 1), PREVIEW_BELOW_PX])
