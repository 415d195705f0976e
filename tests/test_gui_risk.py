"""The *Rischio* column of the dossier lists: percent the Italian way, explained, sortable."""

from __future__ import annotations

import inspect
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.forecast import MIN_PASSAGES
from models.services.registration import register_dossier
from models.services.workflow import advance
from models.uow import Database
from tests.factories import WORKER, register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()
STOPS = list(range(10, 10 + 2 * (MIN_PASSAGES + 6), 2))  # term days to the decision


@pytest.fixture
def window(database: Database, tmp_path: Path, qtbot: QtBot, italian: None) -> Iterator[MainWindow]:
    with database.unit_of_work("rossi", write=True) as uow:
        for index, days in enumerate(STOPS):
            filed = TODAY - timedelta(days=300 + index)
            values = {**WORKER, "surname": "Storico", "filed_on": filed.isoformat()}
            ref = register_dossier(uow, "NO_LAVORO", values).reference
            advance(uow, ref, "in_istruttoria", filed)
            advance(uow, ref, "definita_positiva", filed + timedelta(days=days))
        uow.commit()
    for surname, filed in (("Tardi", 200), ("Medio", 10)):
        day = (TODAY - timedelta(days=filed)).isoformat()
        ref = register(database, surname=surname, filed_on=day, quota_assigned_on=day).reference
        with database.unit_of_work("rossi", write=True) as uow:
            advance(uow, ref, "in_istruttoria", TODAY - timedelta(days=filed))
            uow.commit()
    register(database, type_code="CONVERSIONE", surname="Nuovo", filed_on=TODAY.isoformat())
    context = make_context(database, tmp_path, "rossi")
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    yield main
    context.tasks.shutdown()


def risk_cells(window: MainWindow) -> dict[str, tuple[str, str]]:
    """Surname → (text, tooltip) of the risk column, for the open dossiers."""
    model = window.dossiers.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "risk")
    cells = {}
    for row in range(model.rowCount()):
        found = model.cached_row(row)
        if found is None:
            model.data(model.index(row, 1))  # as painting would: fetch the page
            continue
        index = model.index(row, column)
        text = model.data(index)
        if text is not None:
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            cells[found.name.split()[0]] = (text, tip)
    return cells


def test_risk_column_shows_percent_explains_and_sorts(window: MainWindow, qtbot: QtBot) -> None:
    model = window.dossiers.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "risk")
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Rischio"
    qtbot.waitUntil(lambda: len(risk_cells(window)) == 3, timeout=10000)
    cells = risk_cells(window)
    assert cells["Tardi"][0] == "100\u00a0%"  # past its deadline and still running
    medio = cells["Medio"][0]
    assert medio.endswith("\u00a0%") and 0 < int(medio.split("\u00a0")[0]) < 100
    assert "storico" in cells["Medio"][1].lower()
    assert cells["Nuovo"][0] == "—" and "storico insufficiente" in cells["Nuovo"][1].lower()

    window.dossiers.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)

    def first_three() -> list[str]:
        rows = [model.cached_row(r) for r in range(min(3, model.rowCount()))]
        if any(r is None for r in rows):
            for r in range(min(3, model.rowCount())):
                model.data(model.index(r, 1))
            return []
        return [r.name.split()[0] for r in rows if r is not None]

    # Highest risk first; no estimate, then the closed ones, after.
    qtbot.waitUntil(lambda: first_three() == ["Tardi", "Medio", "Nuovo"], timeout=10000)


def test_sorting_by_risk_computes_the_risks_once(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ordering by risk needs every risk: the table shows those, without reading the
    office's history and the open files again for the first rows or for the pages."""
    from models import forecast_feed

    model = window.dossiers.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "risk")
    qtbot.waitUntil(lambda: len(risk_cells(window)) == 3, timeout=10000)
    reads: list[str] = []
    real = forecast_feed.history

    def counted(*args: object, **kwargs: object) -> object:
        # Who asked: the ordering by risk, or a page's risks read again afterwards.
        callers = {frame.function for frame in inspect.stack()}
        reads.append("page" if "_read_risks" in callers else "order")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(forecast_feed, "history", counted)
    window.dossiers.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: list(risk_cells(window)) == ["Tardi", "Medio", "Nuovo"], timeout=10000)
    qtbot.wait(300)  # any page read would have run by now
    # One read per ordering (a reload the window makes meanwhile orders again, which
    # a loaded machine can show), and the pages never read it again.
    assert reads and set(reads) == {"order"}
    assert risk_cells(window)["Tardi"][0] == "100\u00a0%"
