"""Bulk actions: the same use case on each selected dossier, one unit of work each, with a
summary of what was refused and why."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from models.services.bulk_actions import apply_to_each, assign_to, move_to
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()


def seed(database: Database) -> list[str]:
    refs = []
    for surname, days_ago in (("Țurcanu", 30), ("Nguyễn", 3), ("Popescu", 20)):
        filed = (TODAY - timedelta(days=days_ago)).isoformat()
        refs.append(
            register(database, surname=surname, filed_on=filed, quota_assigned_on=filed).reference
        )
    with database.unit_of_work("rossi", write=True) as uow:
        advance(uow, refs[0], "in_istruttoria", TODAY)
        uow.commit()
    return refs


def state_of(database: Database, ref: str) -> str:
    from models.services.lookup import find_dossier

    with database.unit_of_work("rossi") as uow:
        found = find_dossier(uow, ref)
        assert found is not None
        return found.state


def test_each_dossier_moves_where_allowed_and_a_refusal_keeps_the_others(
    database: Database,
) -> None:
    first, second, third = seed(database)
    result = apply_to_each(database, "rossi", [first, second, third], move_to("in_istruttoria"))
    assert result.done == 2
    assert [o.reference for o in result.refused] == [first]  # already in istruttoria
    assert "istruttoria" in result.refused[0].reason
    assert state_of(database, second) == state_of(database, third) == "in_istruttoria"
    summary = result.summary()
    assert summary.startswith("2 pratiche su 3 aggiornate.") and first in summary

    refused = apply_to_each(database, "bianchi", [second, third], assign_to("me"))
    assert refused.done == 0 and all("presso LO-SUI" in o.reason for o in refused.refused)


def test_the_window_moves_the_selection_and_shows_what_was_refused(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    first, second, _third = seed(database)
    context = make_context(database, tmp_path, "rossi")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=20_000)
    page.table.selectAll()
    window.bulk_actions.run(move_to("in_istruttoria"), "In istruttoria")
    qtbot.waitUntil(lambda: window.bulk_actions.summary_box is not None, timeout=10000)
    box = window.bulk_actions.summary_box
    assert box is not None and not box.isModal()
    assert "2 pratiche su 3" in box.text() and first in box.text()
    assert state_of(database, second) == "in_istruttoria"
    titles = [a.text() for a in window.bulk_actions.menu.actions()]
    assert "&Take them" in titles
    context.tasks.shutdown()
