"""Saved views: a named search with filters and sort, per user, in the navigation list."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.errors import ValidationError
from models.services.saved_views import (
    SavedView,
    add_view,
    dump_views,
    load_views,
    ready_made_views,
)
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()


def seed(database: Database) -> list[str]:
    refs = []
    for surname, days_ago in (("Țurcanu", 70), ("Nguyễn", 3), ("Popescu", 20)):
        filed = (TODAY - timedelta(days=days_ago)).isoformat()
        refs.append(
            register(database, surname=surname, filed_on=filed, quota_assigned_on=filed).reference
        )
    with database.unit_of_work("rossi", write=True) as uow:
        advance(uow, refs[0], "in_istruttoria", TODAY)
        advance(uow, refs[0], "parere_richiesto", TODAY)
        uow.commit()
    return refs


def open_window(database: Database, home: Path, qtbot: QtBot, user: str) -> MainWindow:
    window = MainWindow(make_context(database, home, user))
    qtbot.addWidget(window)
    window.show()
    return window


def surnames(qtbot: QtBot, window: MainWindow, expected: list[str]) -> None:
    model = window.dossiers.model

    def shown() -> list[str]:
        for row in range(model.rowCount()):
            model.data(model.index(row, 1))
        rows = [model.cached_row(r) for r in range(model.rowCount())]
        return [r.name.split()[0] for r in rows if r]

    qtbot.waitUntil(lambda: shown() == expected, timeout=20_000)


def nav_titles(window: MainWindow) -> list[str]:
    navigation = window.navigation
    return [navigation.item(r).text() for r in range(navigation.count())]


def test_names_are_checked_and_a_damaged_store_loses_only_its_bad_entries() -> None:
    ready = ready_made_views("sui_clerk")
    own = add_view([], SavedView("  Mie   urgenti "), ready)
    assert own[0].name == "Mie urgenti"
    for name in ("mie URGENTI", "Nuove da istruire", "   ", "x" * 61):
        with pytest.raises(ValidationError):
            add_view(own, SavedView(name), ready)
    with pytest.raises(ValidationError):
        add_view([], SavedView("Ordinata male", sort="rowid; drop"), ready)
    text = dump_views(own)
    damaged = text[:-1] + ', {"name": ""}, {"name": "Buona", "overdue": true}, 7, "x"]'
    assert [v.name for v in load_views(damaged)] == ["Mie urgenti", "Buona"]
    assert load_views("{not json") == []


def test_a_saved_search_comes_back_with_its_filters_and_sort_for_that_user_only(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    seed(database)
    window = open_window(database, tmp_path, qtbot, "rossi")
    page = window.dossiers
    surnames(qtbot, window, ["Nguyễn", "Popescu", "Țurcanu"])
    page.search.setText("PO")  # surnames starting so
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    page.apply_filters()
    surnames(qtbot, window, ["Popescu"])
    window.saved_views.save("Solo Po")
    assert "Solo Po" in nav_titles(window)

    window.navigation.setCurrentRow(0)  # Pratiche, then clear the search by hand
    page.search.clear()
    page.apply_filters()
    surnames(qtbot, window, ["Nguyễn", "Popescu", "Țurcanu"])
    window.navigation.setCurrentRow(window.saved_views.row_of("Solo Po"))
    surnames(qtbot, window, ["Popescu"])
    assert page.search.text() == "PO" and page.model.sort_key == "name"
    window.close()
    window.context.tasks.shutdown()

    again = open_window(database, tmp_path, qtbot, "rossi")
    assert "Solo Po" in nav_titles(again)  # kept on the workstation
    again.context.tasks.shutdown()
    other = open_window(database, tmp_path, qtbot, "bianchi")
    assert "Solo Po" not in nav_titles(other)  # per user
    other.context.tasks.shutdown()


def test_the_questura_finds_its_ready_made_view_of_pareri_to_give(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    seed(database)
    window = open_window(database, tmp_path, qtbot, "bianchi")
    assert "Pareri da dare" in nav_titles(window)
    window.navigation.setCurrentRow(window.saved_views.row_of("Pareri da dare"))
    surnames(qtbot, window, ["Țurcanu"])
    with pytest.raises(ValueError):  # ready-made views are not the user's to delete
        window.saved_views.own.index(window.saved_views.ready_made[0])
    window.saved_views.delete("Pareri da dare")
    assert "Pareri da dare" in nav_titles(window)
    window.context.tasks.shutdown()
