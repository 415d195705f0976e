"""The preview beside the dossier list (Thunderbird's message pane, Anki's editor beside
the browser): the selected dossier's header, open items and next action, with
previous/next, so a queue can be worked without opening a window per dossier."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.dates import italian_date
from models.services.changes import Changes
from models.services.labels import type_label
from ui.badges import COLOURS, OVERDUE_MARK, SOON_DAYS
from ui.context import UiContext
from ui.dossier_table import DossierTableModel
from ui.i18n import tr as _tr
from ui.tasks import Job

if TYPE_CHECKING:
    from models.services.preview import DossierPreview

SETTLE_MS = 120  # holding an arrow key down skims rows without a query for each
PREVIOUS_KEY, NEXT_KEY = "Alt+Up", "Alt+Down"


def deadline_text(preview: DossierPreview) -> tuple[str, str]:
    """(colour, text) of the deadline line, as the list's badge colours it."""
    if preview.closed_on is not None:
        return COLOURS["closed"].name(), _tr("closed on {0}").format(
            italian_date(preview.closed_on)
        )
    if preview.clock == "suspended":
        return COLOURS["suspended"].name(), _tr("suspended")
    if preview.deadline is None or preview.days_left is None:
        return COLOURS["closed"].name(), "—"
    when = italian_date(preview.deadline)
    if preview.days_left < 0:
        late = _tr("{0}, {1} days late").format(when, -preview.days_left)
        return COLOURS["overdue"].name(), OVERDUE_MARK + late
    colour = COLOURS["soon"] if preview.days_left <= SOON_DAYS else COLOURS["ok"]
    return colour.name(), _tr("{0}, {1} days left").format(when, preview.days_left)


class PreviewPane(QFrame):
    openRequested = Signal(str)  # dossier id

    def __init__(
        self,
        context: UiContext,
        table: QTableView,
        model: DossierTableModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(260)
        self.context, self.table, self.model = context, table, model
        self.dossier_id: str | None = None
        self.shown: DossierPreview | None = None
        self._job: Job | None = None

        self.title = QLabel()
        self.title.setObjectName("previewTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel()
        self.facts.setObjectName("previewFacts")
        self.facts.setWordWrap(True)
        self.items = QLabel()
        self.items.setObjectName("previewItems")
        self.items.setWordWrap(True)
        self.action = QLabel()
        self.action.setObjectName("previewAction")
        self.action.setWordWrap(True)
        self.action.setStyleSheet("font-weight: bold;")
        self.previous = QPushButton(_tr("◀ Previous"))
        self.previous.setShortcut(PREVIOUS_KEY)
        self.previous.setToolTip(_tr("Previous dossier in the list ({0})").format(PREVIOUS_KEY))
        self.next = QPushButton(_tr("Next ▶"))
        self.next.setShortcut(NEXT_KEY)
        self.next.setToolTip(_tr("Next dossier in the list ({0})").format(NEXT_KEY))
        self.take_button = QPushButton(_tr("Take it"))
        self.take_button.setObjectName("takeButton")
        self.take_button.clicked.connect(self.toggle_assignment)
        self.open_button = QPushButton(_tr("Open"))
        self.open_button.setToolTip(_tr("Open the dossier in its window (Enter)"))
        for button in (self.previous, self.next, self.take_button, self.open_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the list keeps the keyboard

        walk = QHBoxLayout()
        walk.addWidget(self.previous)
        walk.addWidget(self.next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.facts, self.items, self.action):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(walk)
        layout.addLayout(buttons)

        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.load)
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelReset.connect(self._current_changed)
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.open_button.clicked.connect(self._open)
        context.bus.changed.connect(self._changes)
        self._show_empty(_tr("Select a dossier to see its preview here."))

    def _current_changed(self, *_args: object) -> None:
        self._settle.start()

    def _changes(self, changes: Changes) -> None:
        if self.dossier_id and any(i.hex == self.dossier_id for i in changes.dossier_ids):
            self.load()

    def step(self, delta: int) -> None:
        """Select the previous (-1) or next (+1) dossier of the list, as shown."""
        count = self.model.rowCount()
        if not count:
            return
        current = self.table.currentIndex().row()
        row = min(max(current + delta, 0), count - 1) if current >= 0 else 0
        index = self.model.index(row, max(self.table.currentIndex().column(), 0))
        self.table.selectionModel().setCurrentIndex(
            index,
            self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _open(self) -> None:
        if self.dossier_id:
            self.openRequested.emit(self.dossier_id)

    def load(self) -> None:
        index: QModelIndex | QPersistentModelIndex = self.table.currentIndex()
        dossier_id = self.model.id_at(index.row()) if index.isValid() else None
        if self._job is not None:
            self._job.cancel()
        self.dossier_id = dossier_id
        if dossier_id is None:
            self._show_empty(_tr("Select a dossier to see its preview here."))
            return
        user = self.context.operator.username

        def work(_job: Job) -> DossierPreview:
            from models.services.preview import dossier_preview  # not before the first paint

            with self.context.tasks.database.unit_of_work(user) as uow:
                return dossier_preview(uow, dossier_id)

        def done(preview: DossierPreview) -> None:
            if preview.id == self.dossier_id:
                self.show_preview(preview)

        self._job = self.context.tasks.run(work, done, lambda error: self._show_empty(str(error)))

    def toggle_assignment(self) -> None:
        """Take the shown dossier (assign it to oneself), or release it if it is mine."""
        shown = self.shown
        if shown is None:
            return
        user, target = self.context.operator.username, None if shown.assigned_to_me else "me"

        def work(_job: Job) -> Changes:
            from models.services.assignment import assign

            with self.context.tasks.database.unit_of_work(user, write=True) as uow:
                changes = assign(uow, shown.id, target)
                uow.commit()
                return changes

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, _tr("Assignment"), str(error))

        self.context.tasks.run(work, self.context.bus.publish, failed)

    def _show_empty(self, message: str) -> None:
        self.shown = None
        self.title.setText(f"<i>{escape(message)}</i>")
        for label in (self.facts, self.items, self.action):
            label.clear()
        for button in (self.open_button, self.take_button):
            button.setEnabled(False)

    def show_preview(self, preview: DossierPreview) -> None:
        self.shown = preview
        self.open_button.setEnabled(True)
        self.take_button.setEnabled(preview.can_assign)
        if preview.assigned_to_me:
            self.take_button.setText(_tr("Release"))
            self.take_button.setToolTip(_tr("The dossier is no longer assigned to you"))
        else:
            self.take_button.setText(_tr("Take it"))
            self.take_button.setToolTip(
                _tr("Assign the dossier to yourself: it appears in «My dossiers»")
                if preview.can_assign
                else _tr("Only staff of the holding office take a dossier")
            )
        self.title.setText(
            f"<b style='font-size: 12pt'>{escape(preview.reference)}</b><br>"
            f"<b>{escape(preview.name)}</b>"
        )
        colour, deadline = deadline_text(preview)
        rows = (
            (_tr("Type"), type_label(preview.type_code, preview.type_name)),
            (_tr("State"), preview.state_label),
            (_tr("Holder"), preview.holder),
            (_tr("Filed"), italian_date(preview.filed_on)),
            (_tr("Assigned to"), preview.assigned_to or "—"),
        )
        facts = "".join(
            f"<tr><td>{escape(label)}:&nbsp;</td><td>{escape(value)}</td></tr>"
            for label, value in rows
        )
        deadline_title = _tr("Deadline")
        facts += (
            f"<tr><td>{escape(deadline_title)}:&nbsp;</td>"
            f"<td style='color: {colour}; font-weight: bold'>{escape(deadline)}</td></tr>"
        )
        self.facts.setText(f"<table>{facts}</table>")
        if preview.open_items:
            lines = "".join(f"<li>{escape(item.line)}</li>" for item in preview.open_items)
            heading = _tr("Open items")
            self.items.setText(f"<b>{escape(heading)}</b><ul>{lines}</ul>")
        else:
            nothing = _tr("No open items.")
            self.items.setText(f"<i>{escape(nothing)}</i>")
        self.action.setText(
            escape(_tr("Next action: {0}").format(preview.next_action)).replace("\n", "<br>")
        )
