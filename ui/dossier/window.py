"""One dossier in its own window: header, the moves this operator may make, and tabs.

Everything is read on the worker in one unit of work (``load_snapshot``) and every change
goes through ``run_use_case``; the window reloads when the change bus names its dossier.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError
from models.read.views import FlagFacts, MoveFacts
from models.services.changes import Changes
from models.services.undo import undo_last_move
from ui.accessibility import name_widgets
from ui.actions import run_use_case
from ui.context import UiContext
from ui.dossier.dialogs import (
    MoveDialog,
    ObservationsDialog,
    ParereDialog,
    RaiseFlagDialog,
    ResolveFlagDialog,
    UseCaseDialog,
)
from ui.dossier.formatting import mnemonic_letter
from ui.dossier.header import ActionBar, DossierHeader
from ui.dossier.snapshot import DossierSnapshot, load_snapshot
from ui.dossier.tabs import AuditTab, DataTab, FlagsTab, HistoryTab, PareriTab, TavoloTab
from ui.elided_label import fitting_size
from ui.help import install_help
from ui.i18n import tr as _tr
from ui.printing import PrintService
from ui.reachable_menu import reach_disabled_entries
from ui.tasks import Job


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
        self.resize(fitting_size(self, 1180, 780))

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
        self.tavolo_tab = TavoloTab()
        from ui.documents_tab import DocumentsTab

        self.documents_tab = DocumentsTab(context)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dossierTabs")
        for tab, title in (
            (self.data_tab, _tr("&Data")),
            (self.history_tab, _tr("Hi&story")),
            (self.flags_tab, _tr("&Pending items")),
            (self.pareri_tab, _tr("Pa&rere")),
            (self.audit_tab, _tr("&Audit")),
            (self.documents_tab, _tr("Do&cuments")),
            (self.tavolo_tab, _tr("&Tavolo")),
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
        self.undo_action = QAction(_tr("&Undo the last move"), self)
        self.undo_action.setObjectName("undoMove")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(lambda _checked=False: self._undo())
        self.addAction(self.undo_action)
        self.menuBar().addMenu(_tr("&Edit")).addAction(self.undo_action)
        self._undo_left = 0  # seconds; counted down between reloads
        self._undo_move = ("", "")
        self._undo_timer = QTimer(self, interval=1000)
        self._undo_timer.timeout.connect(self._undo_tick)
        self.menuBar().addMenu(_tr("&Help")).addAction(install_help(self, "dossier"))
        titles = [self.tabs.tabText(i) for i in range(self.tabs.count())]
        titles += [action.text() for action in self.menuBar().actions()]
        self.actions_bar.reserved = {m for m in map(mnemonic_letter, titles) if m}
        name_widgets(
            self,
            {
                tab.view: self.tabs.tabText(self.tabs.indexOf(tab)).replace("&", "")
                for tab in (
                    self.history_tab,
                    self.flags_tab,
                    self.pareri_tab,
                    self.audit_tab,
                    self.documents_tab,
                    self.tavolo_tab,
                )
            },
        )
        self.reload()

    def _build_print_menu(self) -> None:
        from reports.form_list import FORMS

        menu = self.menuBar().addMenu(_tr("Pri&nt"))
        menu.setObjectName("printMenu")
        # A greyed-out letter says why, to the mouse (tooltip) and the arrow keys (the status
        # bar shows the entry's status tip).
        reach_disabled_entries(menu, self.statusBar())
        self.letter_actions: dict[str, QAction] = {}
        for spec in FORMS.values():
            if spec.kind != "letter":
                continue
            action = menu.addAction(spec.title)
            action.setObjectName(f"print-{spec.name}")
            action.setToolTip(spec.description)
            action.setStatusTip(spec.description)
            self.letter_actions[spec.name] = action
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
        person = detail.person
        self.setWindowTitle(
            _tr("{0} – {1} {2}").format(snapshot.reference, person.surname, person.given_names)
        )
        self.header.show_snapshot(snapshot)
        self.actions_bar.set_moves(detail.allowed_moves)
        self.actions_bar.observations.setVisible(snapshot.observations_awaited)
        self.data_tab.load(snapshot)
        self.history_tab.load(snapshot)
        self.flags_tab.load(snapshot)
        self.pareri_tab.load(snapshot)
        self.audit_tab.load(snapshot)
        self.tavolo_tab.load(snapshot)
        self._show_letters(snapshot)
        self.documents_tab.load(snapshot.ref)
        open_items = detail.open_flags
        self.tabs.setTabText(
            self.tabs.indexOf(self.flags_tab),
            _tr("&Pending items ({0})").format(open_items) if open_items else _tr("&Pending items"),
        )
        self.tabs.setEnabled(True)
        self._show_undo(snapshot)
        # Filling the tabs widens the window for a moment (the layouts settle on the next
        # pass of the event loop): then back within the screen.
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._fit_screen))

    def _show_letters(self, snapshot: DossierSnapshot) -> None:
        """Greys out the letters the rule refuses now (models.services.letter_rules), the
        reason as their tip; read again with the dossier, so a change of state counts."""
        from reports.form_list import FORMS

        for form, action in self.letter_actions.items():
            reason = snapshot.letters_refused.get(form, "")
            tip = reason or FORMS[form].description
            action.setEnabled(not reason)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setWhatsThis(tip)

    def _show_undo(self, snapshot: DossierSnapshot) -> None:
        offer = snapshot.undo
        self._undo_left = offer.seconds_left if offer is not None else 0
        self._undo_move = (offer.from_label, offer.to_label) if offer is not None else ("", "")
        self._undo_tick(counting=False)
        if offer is not None:
            self._undo_timer.start()

    def _undo_tick(self, counting: bool = True) -> None:
        """The action says what it undoes and how long it still can (the service decides)."""
        if counting:
            self._undo_left -= 1
        if self._undo_left <= 0:
            self._undo_timer.stop()
            self.undo_action.setEnabled(False)
            self.undo_action.setText(_tr("&Undo the last move"))
            return
        minutes, seconds = divmod(self._undo_left, 60)
        self.undo_action.setEnabled(True)
        self.undo_action.setText(
            _tr("&Undo «{0} → {1}» ({2}:{3:02d} left)").format(
                self._undo_move[0], self._undo_move[1], minutes, seconds
            )
        )

    def _undo(self) -> None:
        if self.snapshot is None or not self.undo_action.isEnabled():
            return
        ref = self.snapshot.ref
        self.undo_action.setEnabled(False)
        run_use_case(self.context, self, lambda uow: undo_last_move(uow, ref))

    def _fit_screen(self) -> None:
        if not self._closed:
            self.resize(self.size().boundedTo(fitting_size(self, self.width(), self.height())))

    def _failed(self, error: BaseException) -> None:
        if self._closed:
            return
        message = str(error) if isinstance(error, DomainError) else repr(error)
        self.header.show_error(_tr("Cannot open the dossier: {0}").format(message))
        self.actions_bar.set_moves([])
        self.tabs.setEnabled(False)
        for action in self.letter_actions.values():
            action.setEnabled(False)

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

    def _move_requested(self, move: MoveFacts) -> None:
        if self.snapshot is None:
            return
        if move.via_parere:
            self._open_dialog(ParereDialog(self.context, self, self.snapshot))
        else:
            self._open_dialog(MoveDialog(self.context, self, self.snapshot, move))

    def _raise_flag(self) -> None:
        if self.snapshot is not None:
            self._open_dialog(RaiseFlagDialog(self.context, self, self.snapshot))

    def _record_observations(self) -> None:
        if self.snapshot is not None:
            self._open_dialog(ObservationsDialog(self.context, self, self.snapshot))

    def _resolve_flag(self, flag: FlagFacts) -> None:
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
