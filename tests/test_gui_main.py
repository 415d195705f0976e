"""The main window as a clerk uses it: table, search, filters, worklists, remembered layout."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.services.workflow import advance
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()
ALL_THREE = ["Nguyễn Thị Minh", "El Amrani Youssef", "Țurcanu Ștefan"]


@pytest.fixture
def window(database: Database, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    context = make_context(database, tmp_path, "rossi")
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    yield main
    context.tasks.shutdown()


def loaded(window: MainWindow) -> int:
    return window.dossiers.model.rowCount()


def names(window: MainWindow) -> list[str]:
    model = window.dossiers.model
    return [row.name for row in (model.cached_row(r) for r in range(model.rowCount())) if row]


def shown(window: MainWindow) -> list[str]:
    """The names a person sees, asking for rows not yet fetched as painting would."""
    model = window.dossiers.model
    for row in range(model.rowCount()):
        model.data(model.index(row, 1))
    return names(window) if model.visible_rows_loaded(0, model.rowCount() - 1) else ["…"]


def wait_names(qtbot: QtBot, window: MainWindow, expected: list[str]) -> None:
    qtbot.waitUntil(lambda: shown(window) == expected, timeout=20_000)


def seed(database: Database) -> None:
    filed = (TODAY - timedelta(days=70)).isoformat()
    register(
        database, surname="Țurcanu", given_names="Ștefan", filed_on=filed, quota_assigned_on=filed
    )
    register(
        database,
        surname="Nguyễn",
        given_names="Thị Minh",
        nationality="VNM",
        filed_on=(TODAY - timedelta(days=3)).isoformat(),
        quota_assigned_on=(TODAY - timedelta(days=3)).isoformat(),
    )
    register(
        database,
        type_code="CONVERSIONE",
        surname="El Amrani",
        given_names="Youssef",
        nationality="MAR",
        filed_on=(TODAY - timedelta(days=10)).isoformat(),
    )


def test_table_shows_every_dossier_newest_first(
    database: Database, window: MainWindow, qtbot: QtBot, qtmodeltester: object
) -> None:
    seed(database)
    window.refresh()
    wait_names(qtbot, window, ALL_THREE)
    qtmodeltester.check(window.dossiers.model)  # type: ignore[attr-defined]
    overdue = window.dossiers.model.cached_row(2)
    assert overdue is not None and overdue.overdue
    assert window.dossiers.count_label.text().startswith("3")


def test_search_as_you_type_ignores_accents(
    database: Database, window: MainWindow, qtbot: QtBot
) -> None:
    seed(database)
    window.refresh()
    wait_names(qtbot, window, ALL_THREE)
    qtbot.keyClicks(window.dossiers.search, "stefan")
    wait_names(qtbot, window, ["Țurcanu Ștefan"])
    window.dossiers.search.clear()
    qtbot.keyClicks(window.dossiers.search, "NGUYEN")
    wait_names(qtbot, window, ["Nguyễn Thị Minh"])


def test_filters_and_worklists(database: Database, window: MainWindow, qtbot: QtBot) -> None:
    seed(database)
    window.refresh()
    wait_names(qtbot, window, ALL_THREE)
    window.dossiers.overdue_only.setChecked(True)
    wait_names(qtbot, window, ["Țurcanu Ștefan"])
    window.dossiers.overdue_only.setChecked(False)
    wait_names(qtbot, window, ALL_THREE)
    combo = window.dossiers.type_filter
    qtbot.waitUntil(lambda: combo.count() > 1)
    combo.setCurrentIndex(combo.findData("CONVERSIONE"))
    wait_names(qtbot, window, ["El Amrani Youssef"])
    combo.setCurrentIndex(0)
    window.navigation.setCurrentRow(3)  # Scadenze: overdue or due within 7 days
    wait_names(qtbot, window, ["Țurcanu Ștefan"])


def test_to_work_on_lists_what_waits_on_my_office(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    seed(database)
    with database.unit_of_work("rossi", write=True) as uow:
        ref = f"LO-SUI/{TODAY.year}/0000001"
        advance(uow, ref, "in_istruttoria", TODAY)
        advance(uow, ref, "parere_richiesto", TODAY)
        uow.commit()
    context = make_context(database, tmp_path, "bianchi")
    questura = MainWindow(context)
    qtbot.addWidget(questura)
    questura.navigation.setCurrentRow(1)
    wait_names(qtbot, questura, ["Țurcanu Ștefan"])
    assert "LO-QUESTURA" in questura.office_label.text()
    context.tasks.shutdown()


def test_layout_and_filters_are_remembered(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    context = make_context(database, tmp_path, "rossi")
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.dossiers.with_flags.setChecked(True)
    first.dossiers.table.setColumnWidth(1, 333)
    first.navigation.setCurrentRow(3)
    first.close()
    second = MainWindow(context)
    qtbot.addWidget(second)
    assert second.dossiers.with_flags.isChecked()
    assert second.dossiers.table.columnWidth(1) == 333
    assert second.navigation.currentRow() == 3
    assert (tmp_path / "raccordo-gui.ini").exists()
    context.tasks.shutdown()


def test_flags_page_lists_items_for_my_office(
    database: Database, window: MainWindow, qtbot: QtBot, qtmodeltester: object
) -> None:
    from models.services.flags import raise_flag

    seed(database)
    with database.unit_of_work("bianchi", write=True) as uow:
        raise_flag(
            uow,
            f"LO-SUI/{TODAY.year}/0000002",
            "documenti_mancanti",
            "Manca il contratto",
            False,
            TODAY,
        )
        uow.commit()
    window.navigation.setCurrentRow(2)
    qtbot.waitUntil(lambda: window.flags.model.rowCount() == 1, timeout=20_000)
    qtmodeltester.check(window.flags.model)  # type: ignore[attr-defined]
    index = window.flags.model.index(0, window.flags.model.headers.index("Text"))
    assert window.flags.model.data(index, Qt.ItemDataRole.DisplayRole) == "Manca il contratto"
    assert "1" in window.flags.summary.text()


def test_a_scanned_protocol_opens_its_dossier(
    database: Database, window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtCore import Qt as QtKeys

    seed(database)
    window.refresh()
    wait_names(qtbot, window, ALL_THREE)
    # A barcode scanner types the protocol, as printed, and Enter.
    qtbot.keyClicks(window.dossiers.search, f"LO-SUI/{TODAY.year}/0000002")
    qtbot.keyClick(window.dossiers.search, QtKeys.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window._dossier_windows) == 1, timeout=20_000)
    opened = next(iter(window._dossier_windows.values()))
    qtbot.waitUntil(lambda: "Nguyễn" in opened.windowTitle(), timeout=20_000)
    assert window.dossiers.search.text() == ""


def test_a_large_result_paints_its_first_rows_then_reads_the_rest(
    database: Database,
    window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: object,
) -> None:
    monkeypatch.setattr("ui.dossier_table.FIRST_ROWS", 2)
    seed(database)
    model = window.dossiers.model
    with qtbot.waitSignal(model.rowsInserted) as appended:
        window.refresh()
    assert appended.args[1:] == [2, 2]  # the third row comes after the first screenful
    wait_names(qtbot, window, ALL_THREE)
    assert window.dossiers.count_label.text().startswith("3")
    assert model.id_at(2) is not None
    qtmodeltester.check(model)  # type: ignore[attr-defined]
