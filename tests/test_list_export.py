"""Export of the list as shown: the same dossiers in the same order, as PDF, CSV, XLSX."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.errors import ValidationError
from models.uow import Database
from reports.list_export import HEADERS, ListExport, write
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()


def seed(database: Database) -> None:
    for surname, days_ago in (("Țurcanu", 70), ("Popa", 3), ("Popescu", 20)):
        filed = (TODAY - timedelta(days=days_ago)).isoformat()
        register(database, surname=surname, filed_on=filed, quota_assigned_on=filed)


def test_the_file_holds_the_list_as_shown_in_its_order(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    seed(database)
    context = make_context(database, tmp_path, "rossi")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=20_000)
    page.search.setText("PO")
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by name, Z to A
    page.apply_filters()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)

    for name in ("elenco.csv", "elenco.xlsx", "elenco.pdf"):
        with qtbot.waitSignal(window.list_export.saved, timeout=10000):
            window.list_export.export_to(tmp_path / name)
    with (tmp_path / "elenco.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["Dossiers"] and "«PO»" in rows[1][0]  # the view, its filters
    assert rows[3] == list(HEADERS)
    assert [r[1].split()[0] for r in rows[4:]] == ["Popescu", "Popa"]

    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "elenco.xlsx").active
    assert sheet is not None
    assert [sheet.cell(row, 2).value.split()[0] for row in (5, 6)] == ["Popescu", "Popa"]
    assert sheet.cell(7, 1).value is None
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "elenco.pdf").pages[0].extract_text()
    assert text.index("Popescu") < text.index("Popa ") and "Țurcanu" not in text
    assert "2" in window.statusBar().currentMessage()
    context.tasks.shutdown()


def test_an_unknown_format_is_refused_in_words(tmp_path: Path) -> None:
    from datetime import datetime

    export = ListExport("Pratiche", "", "Mario Rossi (LO-SUI)", datetime.now(), [])
    with pytest.raises(ValidationError) as refused:
        write(export, tmp_path / "elenco.doc")
    assert "non previsto" in str(refused.value)
    assert not (tmp_path / "elenco.doc").exists()
