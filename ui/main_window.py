"""The main window: navigation between the pages, menus and the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from models.services.changes import Changed, Changes
from ui.accessibility import name_widgets
from ui.context import UiContext
from ui.help import install_help
from ui.i18n import role_label
from ui.i18n import tr as _tr
from ui.tasks import Job

if TYPE_CHECKING:
    from ui.conflicts_page import ConflictsPage
    from ui.flags_page import FlagsPage
    from ui.imports_page import ImportsPage
    from ui.printing import PrintService
    from ui.statistics_page import StatisticsPage
    from ui.tavolo_page import TavoloPage

from ui.dossier_page import DossierPage, Page

CONFLICTS_SHORTCUT = "Ctrl+7"


class MainWindow(QMainWindow):
    connectRequested = Signal()  # File → Connect to the server… (ui/workplace.py acts)
    disconnectRequested = Signal()

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(_tr("Raccordo – {0}").format(context.operator.office_code))
        self.resize(1366, 768)
        self._dossier_windows: dict[str, QWidget] = {}

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setMaximumWidth(200)
        self.pages = QStackedWidget()
        self.dossiers = DossierPage(context)
        self.dossiers.openRequested.connect(self.open_dossier)
        self.dossiers.meetingRequested.connect(self.open_meeting)
        self.pages.addWidget(self.dossiers)
        # The other pages (and their modules) are built when first shown or used: the
        # window's first paint waits for none of them.
        self._built: dict[str, QWidget] = {}
        self._choices: tuple[list[tuple[str, str]], list[str]] | None = None
        self._entries = [
            (Page.ALL, _tr("Dossiers"), "Ctrl+1"),
            (Page.TODO, _tr("To work on"), "Ctrl+2"),
            (Page.FLAGS, _tr("Pending items"), "Ctrl+3"),
            (Page.DEADLINES, _tr("Deadlines"), "Ctrl+4"),
            (Page.STATISTICS, _tr("Statistics"), "Ctrl+5"),
            ("imports", _tr("Imports"), "Ctrl+6"),
            ("tavolo", _tr("Tavolo"), "Ctrl+8"),
            (Page.CONFLICTS, _tr("Conflicts"), CONFLICTS_SHORTCUT),
        ]
        for key, title, _shortcut in self._entries:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self._navigate)

        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 1200])
        self.setCentralWidget(splitter)
        self._printing: PrintService | None = None
        self._build_menus()
        self._build_status_bar()
        set_conflicts_visible(self, False)  # until a sync starts
        hide_pages_of_other_roles(self)
        from ui.inbox_monitor import install as install_inbox

        self.inbox = install_inbox(self)  # watches inbox.dir when it is set
        from ui.saved_views import install as install_saved_views

        self.saved_views = install_saved_views(self)  # before restore_state: its rows
        from ui.bulk_actions import install as install_bulk_actions

        self.bulk_actions = install_bulk_actions(self)
        from ui.bulk_letters import install as install_bulk_letters

        self.bulk_letters = install_bulk_letters(self)  # after the bulk menu it joins
        from ui.list_export import install as install_list_export

        self.list_export = install_list_export(self)
        from ui.notifications import install as install_notifications

        self.notifications = install_notifications(self)
        context.bus.changed.connect(self._changes)
        self._load_choices()
        self.restore_state()
        name_widgets(
            self,
            {
                self.navigation: _tr("Views"),
                self.dossiers.table: _tr("Dossiers"),
                self.dossiers.search: _tr("Search"),
            },
        )

    # -- menus and status bar ---------------------------------------------------

    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Any
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_tr("&File"))
        file_menu.addAction(self._action(_tr("&New dossier…"), "Ctrl+N", self.new_dossier))
        file_menu.addSeparator()
        self.connect_action = self._action(
            _tr("&Connect to the server…"), None, lambda: self.connectRequested.emit()
        )
        self.disconnect_action = self._action(
            _tr("&Disconnect"), None, lambda: self.disconnectRequested.emit()
        )
        self.disconnect_action.setEnabled(False)
        file_menu.addAction(self.connect_action)
        file_menu.addAction(self.disconnect_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(_tr("&Quit"), "Ctrl+Q", self.close))
        dossier_menu = bar.addMenu(_tr("&Dossier"))
        dossier_menu.addAction(self._action(_tr("&Open"), "Ctrl+O", self._open_selected))
        dossier_menu.addAction(self._action(_tr("&Refresh"), "F5", self.refresh))
        print_menu = dossier_menu.addMenu(_tr("&Print"))
        print_menu.addAction(
            self._action(
                _tr("&Transmittal slip of the selected dossiers…"),
                "Ctrl+Shift+P",
                self.print_transmittal,
            )
        )
        print_menu.addAction(
            self._action(
                _tr("&Separator sheets of the selected dossiers…"), None, self.print_separators
            )
        )
        print_menu.addAction(
            self._action(
                _tr("&Worklist of my office (due within 7 days)…"), None, self.printing_worklist
            )
        )
        view_menu = bar.addMenu(_tr("&View"))
        for row, (_key, title, shortcut) in enumerate(self._entries):
            view_menu.addAction(
                self._action(
                    title,
                    shortcut,
                    lambda _checked=False, row=row: self.navigation.setCurrentRow(row),
                )
            )
        view_menu.addSeparator()
        view_menu.addAction(self._action(_tr("&Search"), "Ctrl+F", self._focus_search))
        help_menu = bar.addMenu(_tr("&Help"))
        help_menu.addAction(install_help(self, self.help_key))
        help_menu.addAction(self._action(_tr("&About Raccordo"), None, self._about))

    def _build_status_bar(self) -> None:
        operator = self.context.operator
        self.user_label = QLabel(
            _tr("User: {0} ({1})").format(
                operator.full_name or operator.username, role_label(operator.role)
            )
        )
        self.office_label = QLabel(_tr("Office: {0}").format(operator.office_code))
        self.database_label = QLabel(_tr("Database: {0}").format(self.context.database_label))
        self.sync_label = QLabel(_tr("Embedded database (no sync)"))
        for label in (self.user_label, self.office_label, self.database_label):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.sync_label)

    # -- behaviour --------------------------------------------------------------

    def _page(self, key: str) -> Any:
        page = self._built.get(key)
        if page is None:
            page = self._build_page(key)
            self._built[key] = page
            self.pages.addWidget(page)
            name_widgets(page)
        return page

    def _build_page(self, key: str) -> QWidget:
        if key == "flags":
            from ui.flags_page import FlagsPage

            flags = FlagsPage(self.context)
            flags.openRequested.connect(self.open_dossier)
            flags.meetingRequested.connect(self.open_meeting)
            return flags
        if key == "statistics":
            from ui.statistics_page import StatisticsPage

            statistics = StatisticsPage(self.context)
            if self._choices is not None:
                statistics.fill_choices(*self._choices)
            return statistics
        if key == "imports":
            from ui.imports_page import ImportsPage

            return ImportsPage(self.context)
        if key == "tavolo":
            from ui.tavolo_page import TavoloPage

            tavolo = TavoloPage(self.context)
            tavolo.openRequested.connect(self.open_dossier)
            return tavolo
        from ui.conflicts_page import ConflictsPage, show_badge

        conflicts = ConflictsPage(self.context)
        conflicts.openRequested.connect(self.open_dossier)
        conflicts.countChanged.connect(
            lambda count: show_badge(self.navigation, _tr("Conflicts"), count)
        )
        return conflicts

    @property
    def printing(self) -> PrintService:
        if self._printing is None:
            from ui.printing import PrintService  # PDF rendering and preview: when printing

            self._printing = PrintService(self.context, self)
        return self._printing

    @property
    def flags(self) -> FlagsPage:
        return self._page("flags")  # type: ignore[no-any-return]

    @property
    def statistics(self) -> StatisticsPage:
        return self._page("statistics")  # type: ignore[no-any-return]

    @property
    def imports(self) -> ImportsPage:
        return self._page("imports")  # type: ignore[no-any-return]

    @property
    def tavolo(self) -> TavoloPage:
        return self._page("tavolo")  # type: ignore[no-any-return]

    @property
    def conflicts(self) -> ConflictsPage:
        return self._page("conflicts")  # type: ignore[no-any-return]

    def open_meeting(self, number: int) -> None:
        """The *Tavolo* page on meeting n. ``number`` (an open action about no dossier)."""
        self.tavolo.wanted = number
        row = next(i for i, entry in enumerate(self._entries) if entry[0] == "tavolo")
        if self.navigation.currentRow() == row:
            self.tavolo.reload()
        else:
            self.navigation.setCurrentRow(row)

    def help_key(self) -> str:
        """The view in front, as ``ui.help`` names it."""
        row = self.navigation.currentRow()
        return str(self._entries[row][0]) if 0 <= row < len(self._entries) else "saved"

    def _navigate(self, row: int) -> None:
        key = self._entries[row][0] if 0 <= row < len(self._entries) else Page.ALL
        if key == Page.FLAGS:
            self.pages.setCurrentWidget(self.flags)
            self.flags.reload()
            return
        if key == Page.STATISTICS:
            self.pages.setCurrentWidget(self.statistics)
            return
        if key == "imports":
            self.pages.setCurrentWidget(self.imports)
            self.imports.reload()
            return
        if key == "tavolo":
            self.pages.setCurrentWidget(self.tavolo)
            self.tavolo.reload()
            return
        if key == Page.CONFLICTS:
            self.pages.setCurrentWidget(self.conflicts)
            self.conflicts.reload()
            return
        self.pages.setCurrentWidget(self.dossiers)
        self.dossiers.set_preset(key)

    def _load_choices(self) -> None:
        light = self.context.tasks.light_url

        def work(_job: Job) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
            if light is not None:  # before the first paint: the driver alone
                from models.read.connection import open_reader
                from models.read.table import table_choices

                if (reader := open_reader(light)) is not None:
                    with reader:
                        choices = table_choices(reader)
                    return choices.types, choices.states, choices.offices
            from models.services.queries import offices as list_offices
            from models.services.queries import procedure_types

            with self.context.tasks.database.unit_of_work(None) as uow:
                types = procedure_types(uow.session)
                states: dict[str, str] = {}
                for procedure in types:
                    for state in procedure.states:
                        states.setdefault(state.code, state.label)
                return (
                    [(t.code, t.name) for t in types],
                    sorted(states.items()),
                    [o.code for o in list_offices(uow.session)],
                )

        def fill(result: tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]) -> None:
            types, states, offices = result
            self.dossiers.fill_choices(types, states, offices)
            self._choices = (types, offices)
            if "statistics" in self._built:
                self.statistics.fill_choices(types, offices)

        self.context.tasks.run(work, fill)

    def _changes(self, changes: Changes) -> None:
        if changes.touches(Changed.DOSSIER) and changes.dossier_ids:
            known = {i.hex for i in changes.dossier_ids}
            if all(self.dossiers.model.row_of(i) is not None for i in known) and not (
                changes.touches(Changed.RULES)
            ):
                self.dossiers.model.refresh_rows(known)
            else:
                self.dossiers.model.reload()
        elif changes.touches(Changed.DOSSIER) or changes.touches(Changed.RULES):
            self.dossiers.model.reload()
        if changes.touches(Changed.FLAGS) and "flags" in self._built:
            self.flags.reload()
        if changes.touches(Changed.IMPORTS) and "imports" in self._built:
            self.imports.reload()
        if changes.touches(Changed.MEETINGS) and "tavolo" in self._built:
            self.tavolo.reload()

    def refresh(self) -> None:
        self.dossiers.model.reload()
        if "flags" in self._built:
            self.flags.reload()

    def _focus_search(self) -> None:
        if self.pages.currentWidget() is not self.dossiers:
            self.navigation.setCurrentRow(0)
        self.dossiers.search.setFocus()
        self.dossiers.search.selectAll()

    def _open_selected(self) -> None:
        for dossier_id in self.dossiers.selected_ids()[:10]:
            self.open_dossier(dossier_id)

    def open_dossier(self, dossier_id: str) -> None:
        window = self._dossier_windows.get(dossier_id)
        if window is None:
            from ui.dossier.window import DossierWindow

            window = DossierWindow(self.context, dossier_id)
            window.destroyed.connect(
                lambda _obj=None, i=dossier_id: self._dossier_windows.pop(i, None)
            )
            self._dossier_windows[dossier_id] = window
        window.show()
        window.raise_()
        window.activateWindow()

    def new_dossier(self) -> None:
        from ui.new_dossier import NewDossierDialog

        dialog = NewDossierDialog(self.context, self)
        dialog.created.connect(self.open_dossier)
        dialog.open()

    def print_transmittal(self) -> None:
        selected = self.dossiers.selected_ids()
        if not selected:
            QMessageBox.information(
                self, _tr("Transmittal slip"), _tr("Select the dossiers to hand over first.")
            )
            return
        self.printing.transmittal(selected)

    def print_separators(self) -> None:
        selected = self.dossiers.selected_ids()
        if not selected:
            QMessageBox.information(
                self, _tr("Separator sheets"), _tr("Select the dossiers to scan documents for.")
            )
            return
        self.printing.separators(selected)

    def printing_worklist(self) -> None:
        self.printing.worklist(7)

    def _about(self) -> None:
        from desktop import __version__

        QMessageBox.about(
            self,
            _tr("About Raccordo"),
            _tr(
                "Raccordo {0}\nShared immigration dossiers for the Prefettura's SUI and the "
                "Questura's Ufficio Immigrazione."
            ).format(__version__),
        )

    # -- remembered layout ------------------------------------------------------

    def restore_state(self) -> None:
        settings = self.context.settings
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        header = settings.value("main/header")
        if isinstance(header, QByteArray):
            self.dossiers.table.horizontalHeader().restoreState(header)
            table = self.dossiers.table
            table.setColumnHidden(
                table.model().columnCount() - 1, self.dossiers.preset != Page.TODO
            )
        self.dossiers.overdue_only.setChecked(
            settings.value("filters/overdue", False, bool) is True
        )
        self.dossiers.with_flags.setChecked(
            settings.value("filters/withFlags", False, bool) is True
        )
        self.dossiers.remembered_choices = {
            "type": settings.value("filters/type"),
            "state": settings.value("filters/state"),
            "office": settings.value("filters/office"),
        }
        self.navigation.setCurrentRow(int(str(settings.value("main/page", 0))))

    def save_state(self) -> None:
        settings = self.context.settings
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/header", self.dossiers.table.horizontalHeader().saveState())
        settings.setValue("main/page", self.navigation.currentRow())
        settings.setValue("filters/overdue", self.dossiers.overdue_only.isChecked())
        settings.setValue("filters/withFlags", self.dossiers.with_flags.isChecked())
        settings.setValue("filters/type", self.dossiers.type_filter.currentData())
        settings.setValue("filters/state", self.dossiers.state_filter.currentData())
        settings.setValue("filters/office", self.dossiers.office_filter.currentData())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self.inbox is not None:
            self.inbox.stop()
        for window in list(self._dossier_windows.values()):
            window.close()
        super().closeEvent(event)


def set_conflicts_visible(window: MainWindow, visible: bool) -> None:
    """*Conflitti* in the navigation and the View menu: only on a syncing workstation."""
    for row in range(window.navigation.count()):
        item = window.navigation.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == Page.CONFLICTS:
            item.setHidden(not visible)
    for action in window.actions():
        if action.shortcut() == QKeySequence(CONFLICTS_SHORTCUT):
            action.setVisible(visible)


def hide_pages_of_other_roles(window: MainWindow) -> None:
    """A page the operator's role cannot use is not offered: *Statistiche* is for heads."""
    if window.context.operator.role in ("head", "admin"):
        return
    for row in range(window.navigation.count()):
        item = window.navigation.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == Page.STATISTICS:
            item.setHidden(True)
    for action in window.actions():
        if action.shortcut() == QKeySequence("Ctrl+5"):
            action.setVisible(False)
            action.setEnabled(False)
