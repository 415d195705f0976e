"""The dossier's header (who, where it stands, time left) and its bar of allowed moves."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.read.views import MoveFacts
from models.services.labels import holder_label, move_verb, type_explanation
from ui.badges import COLOURS, OVERDUE_MARK, badge
from ui.dossier.formatting import (
    badge_row,
    it_date,
    term_text,
    with_mnemonic,
)
from ui.dossier.snapshot import DossierSnapshot
from ui.elided_label import ElidedLabel
from ui.i18n import tr as _tr
from ui.i18n import tr_n as _trn


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
        self.name = ElidedLabel()  # a long name never widens the window past the screen
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
        self.waiting = QLabel()
        self.waiting.setObjectName("waitingFor")
        self.waiting.setWordWrap(True)
        self.waiting.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        layout.addWidget(self.waiting)
        layout.addLayout(facts)
        layout.addWidget(self.anomalies)

    def show_error(self, message: str) -> None:
        self.reference.setText(message)

    def show_snapshot(self, snapshot: DossierSnapshot) -> None:
        detail = snapshot.detail
        self.reference.setText(detail.reference)
        self.name.setText(detail.name)
        self.state.setText(detail.state_label)
        self.state.show()
        self.type.setText(detail.type_name)
        self.type.setToolTip(
            type_explanation(detail.type_code, detail.type_name) + " – " + detail.rule.basis
        )
        waiting = snapshot.waiting
        if waiting is None:
            self.holder.setText(holder_label(detail.holder, detail.holder_office))
            self.waiting.hide()
        else:
            self.holder.setText(waiting.actor)
            self.waiting.setText(("⚠ " if waiting.late else "") + waiting.text)
            colour = COLOURS["overdue"].name() if waiting.late else "palette(text)"
            self.waiting.setStyleSheet(f"color: {colour}; font-weight: bold;")
            self.waiting.show()
        self.filed.setText(it_date(detail.filed_on))
        self.term.setText(term_text(detail.rule))
        self.deadline.setText(it_date(detail.deadline) or "—")
        kind, text = badge(badge_row(detail))
        self.deadline_badge.setText(self._badge_text(kind, text, detail.days_left))
        self.deadline_badge.setStyleSheet(_pill(kind))
        self.deadline_badge.setVisible(bool(text))
        self.suspended.setText(_trn("%n day(s)", "", detail.suspended_days))
        anomalies = detail.reading.anomalies
        self.anomalies.setText("\n".join("⚠ " + a for a in anomalies))
        self.anomalies.setVisible(bool(anomalies))

    @staticmethod
    def _badge_text(kind: str, text: str, days_left: int | None) -> str:
        if kind == "overdue" and days_left is not None:
            return OVERDUE_MARK + _trn("%n day(s) overdue", "", -days_left)
        if kind in ("soon", "ok") and days_left is not None:
            return _trn("%n day(s) left", "", days_left)
        return text


class ActionBar(QWidget):
    """Exactly the moves the service allows this operator now; nothing else is shown."""

    moveRequested = Signal(object)  # the MoveFacts from dossier_detail
    observationsRequested = Signal()
    # Mnemonics of the tabs, of the data tab's and of the pending items' buttons.

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: list[QPushButton] = []
        # The letters the window's tabs and menus take, in the language shown.
        self.reserved: set[str] = set()
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

    def set_moves(self, moves: Iterable[MoveFacts]) -> None:
        for button in self.buttons:
            self.row.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        used = set(self.reserved)
        for number, move in enumerate(moves, start=1):
            button = self._button(move, number, used)
            self.row.insertWidget(self.row.count() - 2, button)
            button.show()  # a layout shows a late child only on a later event loop pass
            self.buttons.append(button)
        self.none.setVisible(not self.buttons)
        self.observations.setText(with_mnemonic(_tr("Observations received…"), used))

    def _button(self, move: MoveFacts, number: int, used: set[str]) -> QPushButton:
        if move.via_parere:
            text = _tr("Give parere…")
            tip = _tr("Record the opinion asked of your office; the file goes back to the other")
        else:
            text = move_verb(move.to_state, move.label) + "…"
            tip = _tr("Move the dossier to «{0}»").format(move.label)
        button = QPushButton(with_mnemonic(text, used))
        button.setObjectName(f"move_{move.to_state}")
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
