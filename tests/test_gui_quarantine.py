"""The window tells what the sync could not do yet: documents still to download and rows
set aside in quarantine (the status bar, and the list on the Conflitti page)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from models.sync_tables import SyncQuarantine
from models.uow import Database
from tests.gui_support import make_context
from tests.gui_sync_fakes import FakeConflicts, FakeEngine, FakeResult, Italian
from ui.main_window import MainWindow
from ui.sync_link import SyncLink
from ui.sync_worker import SyncThread

SERVER = "postgresql://rossi@db.prefettura.lan:5432/raccordo"
REASON = "non applicabile alla copia locale: documento rifiutato"


@pytest.fixture
def window(
    database: Database, tmp_path: Path, qtbot: QtBot, qapp: QApplication
) -> Iterator[MainWindow]:
    installed = Italian(qapp)
    context = make_context(database, tmp_path, "rossi")
    main = MainWindow(context)
    main.conflicts.service = FakeConflicts([])
    qtbot.addWidget(main)
    main.show()
    yield main
    context.tasks.shutdown()
    installed.remove()


def test_the_status_bar_and_the_conflicts_page_show_what_is_left(
    window: MainWindow, database: Database, qtbot: QtBot
) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(SyncQuarantine).values(
                table_name="documents", row_id="7f0c", change_seq=41, reason=REASON
            )
        )
    engine = FakeEngine()
    engine.next_result = FakeResult(missing=2, quarantined=1)
    thread = SyncThread(lambda: engine, None)
    SyncLink(window, thread, SERVER)
    thread.start()
    try:
        label = window.sync_label
        qtbot.waitUntil(lambda: "quarantena" in label.text(), timeout=20_000)
        assert "2 documenti non ancora scaricati · 1 elemento in quarantena" in label.text()
        assert "raccordo sync status" in label.toolTip()
    finally:
        thread.stop()
    page = window.conflicts
    page.reload()
    qtbot.waitUntil(lambda: not page.quarantine.isHidden(), timeout=20_000)
    assert page.quarantine.text().splitlines() == [
        "1 elemento in quarantena (ricevuti dal server ma non registrati qui; riprovati a "
        "ogni sincronizzazione):",
        f"documento 7f0c: {REASON}",
    ]
