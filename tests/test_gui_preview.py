"""The preview beside the list: a clerk works a queue without opening a window per dossier."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.services.flags import raise_flag
from models.services.preview import dossier_preview
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()


def seed(database: Database) -> list[str]:
    """Two dossiers; the older one waits on the Questura's parere, with an open item."""
    refs = []
    for surname, days_ago in (("Țurcanu", 70), ("Nguyễn", 3)):
        filed = (TODAY - timedelta(days=days_ago)).isoformat()
        refs.append(
            register(database, surname=surname, filed_on=filed, quota_assigned_on=filed).reference
        )
    with database.unit_of_work("rossi", write=True) as uow:
        advance(uow, refs[0], "in_istruttoria", TODAY)
        advance(uow, refs[0], "parere_richiesto", TODAY)
        uow.commit()
    with database.unit_of_work("bianchi", write=True) as uow:
        raise_flag(uow, refs[0], "documenti_mancanti", "Manca il contratto", False, TODAY)
        uow.commit()
    return refs


@pytest.fixture
def window(database: Database, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    context = make_context(database, tmp_path, "rossi")
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    yield main
    context.tasks.shutdown()


def shown_reference(window: MainWindow) -> str | None:
    shown = window.dossiers.preview.shown
    return shown.reference if shown else None


def test_next_action_says_what_waits_on_whom(database: Database) -> None:
    older, newer = seed(database)
    with database.unit_of_work("rossi") as uow:
        sui_view = dossier_preview(uow, older)
        fresh = dossier_preview(uow, newer)
    with database.unit_of_work("bianchi") as uow:
        questura_view = dossier_preview(uow, older)
    assert sui_view.next_action == "Rispondere alla segnalazione #1 (Documenti mancanti)."
    assert [item.text for item in sui_view.open_items] == ["Manca il contratto"]
    assert questura_view.next_action == "Registrare il parere."
    assert fresh.next_action.startswith("Portare la pratica a «")
    assert fresh.open_items == ()


def test_selecting_a_row_shows_its_preview_and_alt_down_walks_the_list(
    database: Database, window: MainWindow, qtbot: QtBot
) -> None:
    older, newer = seed(database)
    window.refresh()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    assert "Select a dossier" in page.preview.title.text()
    page.table.setFocus()
    page.table.selectRow(0)  # newest first
    qtbot.waitUntil(lambda: shown_reference(window) == newer, timeout=20_000)
    assert "Nguyễn" in page.preview.title.text()
    assert "No open items" in page.preview.items.text()
    qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: shown_reference(window) == older, timeout=20_000)
    assert "Manca il contratto" in page.preview.items.text()
    assert "Rispondere alla segnalazione #1" in page.preview.action.text()
    assert "10 days late" in page.preview.facts.text()  # filed 70 days ago, 60-day term
    assert "#c62828" in page.preview.facts.text()  # in the list's red
    assert page.table.currentIndex().row() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # last: stays
    assert page.table.currentIndex().row() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: shown_reference(window) == newer, timeout=20_000)
    page.preview.open_button.click()
    qtbot.waitUntil(lambda: len(window._dossier_windows) == 1, timeout=20_000)


def test_the_preview_follows_a_change_saved_elsewhere(
    database: Database, window: MainWindow, qtbot: QtBot
) -> None:
    _older, newer = seed(database)
    window.refresh()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: shown_reference(window) == newer, timeout=20_000)
    before = page.preview.shown
    assert before is not None
    with database.unit_of_work("rossi", write=True) as uow:
        changes = advance(uow, newer, "in_istruttoria", TODAY)
        uow.commit()
    window.context.bus.publish(changes)
    qtbot.waitUntil(
        lambda: (
            page.preview.shown is not None and page.preview.shown.state_label != before.state_label
        ),
        timeout=20_000,
    )


def test_a_clerk_takes_a_dossier_and_finds_it_under_my_dossiers(
    database: Database, window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    _older, newer = seed(database)
    window.refresh()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: shown_reference(window) == newer, timeout=20_000)
    take = page.preview.take_button
    assert take.isEnabled() and take.text() == "Take it"
    take.click()
    qtbot.waitUntil(lambda: "Mario Rossi" in page.preview.facts.text(), timeout=20_000)
    assert take.text() == "Release"
    window.navigation.setCurrentRow(window.saved_views.row_of("Le mie pratiche"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=20_000)
    assert page.preview.shown is not None and page.model.id_at(0) == page.preview.shown.id

    context = make_context(database, tmp_path / "questura", "bianchi")
    questura = MainWindow(context)
    qtbot.addWidget(questura)
    qtbot.waitUntil(lambda: questura.dossiers.model.rowCount() == 2, timeout=20_000)
    questura.dossiers.table.selectRow(questura.dossiers.model.row_of(newer) or 0)
    qtbot.waitUntil(lambda: questura.dossiers.preview.shown is not None, timeout=20_000)
    assert not questura.dossiers.preview.take_button.isEnabled()  # held by the SUI
    context.tasks.shutdown()
