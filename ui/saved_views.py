"""Saved views in the navigation list: the ready-made ones of the user's role and the
user's own (``models.services.saved_views``), kept per user in the workstation's
settings file. *Visualizza → Salva ricerca…* (``Ctrl+Shift+S``) names what the list
shows now; a right click on a saved view deletes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMenu, QMessageBox

from models.errors import ValidationError
from models.services.saved_views import (
    BASES,
    SavedView,
    add_view,
    dump_views,
    load_views,
    ready_made_views,
    remove_view,
)
from ui.i18n import tr as _tr

if TYPE_CHECKING:
    from ui.dossier_page import DossierPage
    from ui.main_window import MainWindow

KEY_PREFIX = "view:"
HEADER_KEY = "views-header"
SAVE_SHORTCUT = "Ctrl+Shift+S"


def apply_view(page: DossierPage, view: SavedView) -> None:
    """Set the list's controls as the view says, then query once."""
    page.search.setText(view.search)
    pending: dict[str, object] = {}
    for key, combo, value in (
        ("type", page.type_filter, view.type_code),
        ("state", page.state_filter, view.state),
        ("office", page.office_filter, view.office),
    ):
        position = combo.findData(value) if value else 0
        if position < 0:  # the choices are still loading: fill_choices selects it
            pending[key], position = value, 0
        combo.blockSignals(True)
        combo.setCurrentIndex(position)
        combo.blockSignals(False)
    page.remembered_choices = pending
    for box, checked in (
        (page.overdue_only, view.overdue),
        (page.with_flags, view.with_open_flags),
    ):
        box.blockSignals(True)
        box.setChecked(checked)
        box.blockSignals(False)
    column = next(
        (i for i, c in enumerate(page.model.columns) if c.sort == view.sort),
        None,
    )
    page.model.sort_key, page.model.descending = view.sort, view.descending
    if column is not None:
        header = page.table.horizontalHeader()
        header.blockSignals(True)  # the model is told above; one query, below
        header.setSortIndicator(
            column,
            Qt.SortOrder.DescendingOrder if view.descending else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)
    page.preset = view.base
    page.assigned_to = page.context.operator.username if view.assigned_to_me else None
    page.apply_filters()


def current_view(page: DossierPage, name: str) -> SavedView:
    """What the list shows now, as a view called ``name``."""
    return SavedView(
        name=name,
        base=page.preset if page.preset in BASES else "all",
        search=page.search.text(),
        type_code=page.type_filter.currentData(),
        state=page.state_filter.currentData(),
        office=page.office_filter.currentData(),
        overdue=page.overdue_only.isChecked(),
        with_open_flags=page.with_flags.isChecked(),
        sort=page.model.sort_key,
        descending=page.model.descending,
        assigned_to_me=page.assigned_to is not None,
    )


class SavedViews(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        operator = window.context.operator
        self.settings_key = f"savedViews/{operator.username}"
        self.ready_made = ready_made_views(operator.role)
        self.own = load_views(str(window.context.settings.value(self.settings_key, "")))
        self.save_action = QAction(_tr("&Save search…"), window)
        self.save_action.setShortcut(QKeySequence(SAVE_SHORTCUT))
        self.save_action.triggered.connect(self.ask_save)
        window.addAction(self.save_action)
        for top in window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu) and any(
                a.shortcut() == QKeySequence("Ctrl+F") for a in menu.actions()
            ):
                menu.addAction(self.save_action)  # beside *Cerca*
        navigation = window.navigation
        navigation.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        navigation.customContextMenuRequested.connect(self._context_menu)
        navigation.currentRowChanged.connect(self._navigated)
        self.rebuild()

    @property
    def views(self) -> list[SavedView]:
        return [*self.ready_made, *self.own]

    def rebuild(self) -> None:
        navigation = self.window.navigation
        for row in reversed(range(navigation.count())):
            key = navigation.item(row).data(Qt.ItemDataRole.UserRole)
            if isinstance(key, str) and (key.startswith(KEY_PREFIX) or key == HEADER_KEY):
                navigation.takeItem(row)
        header = QListWidgetItem(_tr("Saved searches"))
        header.setData(Qt.ItemDataRole.UserRole, HEADER_KEY)
        header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: never selected
        font = QFont(header.font())
        font.setBold(True)
        header.setFont(font)
        navigation.addItem(header)
        for view in self.views:
            item = QListWidgetItem(view.name)
            item.setData(Qt.ItemDataRole.UserRole, KEY_PREFIX + view.name)
            item.setToolTip(
                _tr("Ready-made search for your role")
                if view.ready_made
                else _tr("Your saved search (right click to delete it)")
            )
            navigation.addItem(item)

    def row_of(self, name: str) -> int:
        navigation = self.window.navigation
        for row in range(navigation.count()):
            if navigation.item(row).data(Qt.ItemDataRole.UserRole) == KEY_PREFIX + name:
                return row
        return -1

    def _view_at(self, row: int) -> SavedView | None:
        item = self.window.navigation.item(row)
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not isinstance(key, str) or not key.startswith(KEY_PREFIX):
            return None
        name = key[len(KEY_PREFIX) :]
        return next((v for v in self.views if v.name == name), None)

    def _navigated(self, row: int) -> None:
        view = self._view_at(row)
        if view is not None:
            self.window.pages.setCurrentWidget(self.window.dossiers)
            apply_view(self.window.dossiers, view)

    def save(self, name: str) -> SavedView:
        """Keep what the list shows as ``name`` (ValidationError: nothing kept)."""
        view = current_view(self.window.dossiers, name)
        self.own = add_view(self.own, view, self.ready_made)
        self._store()
        self.rebuild()
        saved = self.own[-1]
        navigation = self.window.navigation
        navigation.blockSignals(True)  # the list already shows it
        navigation.setCurrentRow(self.row_of(saved.name))
        navigation.blockSignals(False)
        return saved

    def delete(self, name: str) -> None:
        self.own = remove_view(self.own, name)
        self._store()
        self.rebuild()

    def _store(self) -> None:
        self.window.context.settings.setValue(self.settings_key, dump_views(self.own))
        self.window.context.settings.sync()

    def ask_save(self) -> None:
        name, ok = QInputDialog.getText(
            self.window,
            _tr("Save search"),
            _tr("Name of the search (it keeps the text searched, the filters and the order):"),
        )
        if not ok:
            return
        try:
            self.save(name)
        except ValidationError as error:
            QMessageBox.warning(self.window, _tr("Save search"), "\n".join(error.errors.values()))

    def _context_menu(self, point: QPoint) -> None:
        navigation = self.window.navigation
        item = navigation.itemAt(point)
        view = self._view_at(navigation.row(item)) if item is not None else None
        if view is None or view.ready_made:
            return
        menu = QMenu(navigation)
        delete = menu.addAction(_tr("Delete the saved search «{0}»").format(view.name))
        if menu.exec(navigation.mapToGlobal(point)) is delete:
            self.delete(view.name)


def install(window: MainWindow) -> SavedViews:
    return SavedViews(window)
