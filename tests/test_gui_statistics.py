"""*Statistiche*: a head computes a period's figures, sees the charts, exports them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from desktop.demo import generate
from desktop.demo.meetings import add_meetings
from models.uow import Database
from tests.gui_support import make_context
from ui.statistics_page import StatisticsPage


def test_a_head_computes_previews_and_exports(
    database: Database, tmp_path: Path, qtbot: QtBot, qtmodeltester: object
) -> None:
    generate(database, 300, 3)
    add_meetings(database, 2, 3)
    context = make_context(database, tmp_path, "verdi")
    page = StatisticsPage(context)
    qtbot.addWidget(page)
    today = date.today()
    page.start.setDate(QDate(today.year - 1, 1, 1))
    page.end.setDate(QDate(today.year, today.month, today.day))
    page.compute()
    qtbot.waitUntil(lambda: page.computed is not None, timeout=30000)
    labels = page.figures.column_texts(0)
    assert labels[:2] == ["Depositate", "Chiuse"]
    assert int(page.figures.rows[0][1]) > 0  # dossiers filed in the period
    assert page.document.pageCount() >= 3  # key figures, charts, tables
    assert page.print_button.isEnabled() and page.csv_button.isEnabled()
    qtmodeltester.check(page.figures)  # type: ignore[attr-defined]
    assert "dossiers discussed" in page.tavolo.text()  # did the tavolo help?

    target = tmp_path / "statistiche.csv"
    page.write("csv", target)
    qtbot.waitUntil(target.exists, timeout=10000)
    assert "Depositate" in target.read_text(encoding="utf-8-sig")
    context.tasks.shutdown()


def test_clerks_do_not_compute_statistics(database: Database, tmp_path: Path, qtbot: QtBot) -> None:
    context = make_context(database, tmp_path, "rossi")
    page = StatisticsPage(context)
    qtbot.addWidget(page)
    assert not page.run_button.isEnabled()
    assert page.status.text()
    context.tasks.shutdown()
