"""Issue 14, defects 5 and 7: the keyboard, and what an empty view says."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui_support import PERSON, Station, station_with
from tests.test_gui_dossier import click, fill, new_dossier_dialog, open_window, press_action
from ui.dossier_page import Page
from ui.i18n import install_translations
from ui.imports_page import watch_text
from ui.main_window import MainWindow

station = station_with("rossi", "verdi")


def main_window(qtbot: QtBot, station: Station, user: str) -> MainWindow:
    window = MainWindow(station.context(user))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


# -- 5. keyboard -------------------------------------------------------------------------------


def test_defect5_down_from_the_search_reaches_the_list_and_enter_opens_the_dossier(
    qtbot: QtBot, station: Station
) -> None:
    station.register()
    station.register(surname="Nguyễn", nationality="VNM")
    window = main_window(qtbot, station, "rossi")
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert window.focusWidget() is page.table
    assert [i.row() for i in page.table.selectionModel().selectedRows()] == [0]
    with qtbot.waitSignal(page.openRequested, timeout=20_000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [page.model.id_at(0)]  # the selected row's dossier
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert window.focusWidget() is not page.table  # Tab leaves the table, not cell by cell


def test_defect5_a_move_dialog_opens_on_its_note(qtbot: QtBot, station: Station) -> None:
    window = open_window(qtbot, station, "rossi", station.register())
    qtbot.waitUntil(lambda: bool(window.actions_bar.texts()), timeout=10_000)
    window.activateWindow()
    dialog = press_action(qtbot, window, "Avvia istruttoria…")
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    assert dialog.focusWidget() is dialog.note  # type: ignore[attr-defined]


def test_defect5_going_back_from_the_duplicate_warning_returns_to_the_form(
    qtbot: QtBot, station: Station
) -> None:
    station.register()
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    fill(qtbot, dialog, PERSON | {"surname": "TURCANU"})
    click(qtbot, dialog.register_button)
    qtbot.waitUntil(lambda: dialog.duplicates_dialog is not None, timeout=10_000)
    warning = dialog.duplicates_dialog
    assert warning is not None
    click(qtbot, warning.back_button)
    qtbot.waitUntil(dialog.register_button.isEnabled)
    assert dialog.focusWidget() is dialog.form.rows["surname"].editor


# -- 7. empty states ---------------------------------------------------------------------------


def test_defect7_a_search_without_results_says_so_and_clears_the_filters(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    station.register()
    window = main_window(qtbot, station, "rossi")
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert not page.empty.isVisible()
    page.overdue_only.setChecked(True)
    qtbot.keyClicks(page.search, "Zzyzx")
    page.apply_filters()
    qtbot.waitUntil(page.empty.isVisible, timeout=10_000)
    assert page.empty_text.text() == "Nessuna pratica corrisponde alla ricerca e ai filtri."
    assert page.clear_button.isVisible()
    click(qtbot, page.clear_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.search.text() == "" and not page.overdue_only.isChecked()
    assert not page.empty.isVisible()


def test_defect7_an_empty_queue_says_nothing_waits_without_a_clear_button(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    window = main_window(qtbot, station, "rossi")
    window.navigation.setCurrentRow(1)  # Da lavorare, with no dossier at all
    page = window.dossiers
    qtbot.waitUntil(page.empty.isVisible, timeout=10_000)
    assert "nulla in attesa" in page.empty_text.text()
    assert not page.clear_button.isVisible()


def test_defect7_pages_a_role_cannot_use_are_not_shown(qtbot: QtBot, station: Station) -> None:
    def entries(window: MainWindow) -> dict[str, bool]:
        items = (window.navigation.item(r) for r in range(window.navigation.count()))
        return {i.data(Qt.ItemDataRole.UserRole): not i.isHidden() for i in items}

    clerk = main_window(qtbot, station, "rossi")
    assert entries(clerk)[Page.STATISTICS] is False
    assert entries(clerk)[Page.ALL] is True
    head = main_window(qtbot, station, "verdi")
    assert entries(head)[Page.STATISTICS] is True


def test_defect7_imports_without_an_inbox_explain_how_to_configure_one(italian: None) -> None:
    text = watch_text(None, None)
    assert "raccordo.ini" in text and "[inbox]" in text and "dir = " in text
    assert text.startswith("Nessuna cartella di arrivo è configurata")


def _mnemonic(text: str) -> str | None:
    """The letter Alt reaches in a title: the one after a single '&'."""
    position = text.replace("&&", "").find("&")
    stripped = text.replace("&&", "")
    return stripped[position + 1].lower() if position >= 0 else None


@pytest.mark.parametrize("language", ["it", "en"])
def test_each_alt_letter_of_the_dossier_window_reaches_one_place(
    qtbot: QtBot, station: Station, qapp: QApplication, language: str
) -> None:
    translators = install_translations(qapp, language) if language == "it" else []
    try:
        window = open_window(qtbot, station, "rossi", station.register())
        titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        titles += [a.text() for a in window.menuBar().actions()]
        titles += [b.text() for b in window.actions_bar.buttons if b.isVisible()]
        letters = [m for m in map(_mnemonic, titles) if m]
        assert len(letters) == len(set(letters)), " | ".join(titles)
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
