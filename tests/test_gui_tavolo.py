"""The *Tavolo* page and the dossier window's *Tavolo* tab, as a head and a clerk use them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from models.meetings import OutcomeKind
from models.services.admin import add_user
from models.services.tavolo.meetings import create_meeting, start_meeting
from models.services.tavolo.outcomes import OutcomeRequest, record_outcome
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()


@pytest.fixture
def office(database: Database) -> str:
    with database.unit_of_work("admin", write=True) as uow:
        add_user(uow, "verdi", "LO-SUI", "head", True, "Luca Verdi")
        uow.commit()
    late = (TODAY - timedelta(days=200)).isoformat()
    return str(register(database, filed_on=late, quota_assigned_on=late).dossier_id)


def window_for(database: Database, tmp_path: Path, qtbot: QtBot, who: str) -> MainWindow:
    context = make_context(database, tmp_path / who, who)
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    return main


def cells(model: object, column: int) -> list[str]:
    return [
        model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)  # type: ignore[attr-defined]
        for row in range(model.rowCount())  # type: ignore[attr-defined]
    ]


@pytest.fixture
def head(database: Database, office: str, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    main = window_for(database, tmp_path, qtbot, "verdi")
    yield main
    main.context.tasks.shutdown()


def test_a_head_sees_the_agenda_and_the_outcomes(
    database: Database, office: str, head: MainWindow, qtbot: QtBot
) -> None:
    with database.unit_of_work("verdi", write=True) as uow:
        create_meeting(uow, TODAY + timedelta(days=2), "Prefettura")
        start_meeting(uow, 1)
        item = uow.session.execute(text("SELECT id FROM agenda_items")).scalar_one()
        request = OutcomeRequest(
            OutcomeKind.AZIONE, "Sollecitare il datore", "sui", TODAY + timedelta(days=9)
        )
        record_outcome(uow, str(item).replace("-", "")[:8], request)
        uow.commit()
    head.navigation.setCurrentRow(6)
    page = head.tavolo
    qtbot.waitUntil(lambda: page.agenda_model.rowCount() == 1, timeout=20_000)
    assert cells(page.meeting_model, 3) == ["in corso"]
    assert cells(page.agenda_model, 0) == ["Pratiche oltre il termine — Sportello Unico"]
    assert cells(page.agenda_model, 3)[0].startswith("Azione: Sollecitare il datore — Sportello")
    assert page.close_button.isEnabled() and not page.start_button.isEnabled()
    page.agenda_table.selectRow(0)
    assert page.outcome_button.isEnabled()


def test_a_clerk_proposes_but_does_not_run_meetings(
    database: Database, office: str, tmp_path: Path, qtbot: QtBot
) -> None:
    with database.unit_of_work("verdi", write=True) as uow:
        create_meeting(uow, TODAY + timedelta(days=2), "Prefettura")
        uow.commit()
    main = window_for(database, tmp_path, qtbot, "rossi")
    try:
        main.navigation.setCurrentRow(6)
        page = main.tavolo
        qtbot.waitUntil(lambda: page.agenda_model.rowCount() == 1, timeout=20_000)
        assert not page.new_button.isVisible() and not page.outcome_button.isVisible()
        assert page.propose_button.isEnabled()
    finally:
        main.context.tasks.shutdown()


def test_the_dossier_window_says_when_it_was_discussed(
    database: Database, office: str, head: MainWindow, qtbot: QtBot
) -> None:
    with database.unit_of_work("verdi", write=True) as uow:
        create_meeting(uow, TODAY + timedelta(days=2), "Prefettura")
        uow.commit()
    head.open_dossier(office.replace("-", ""))
    qtbot.waitUntil(lambda: bool(head._dossier_windows), timeout=20_000)
    window = next(iter(head._dossier_windows.values()))
    tab = window.tavolo_tab  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=20_000)
    assert cells(tab.model, 0) == ["n. 1"]
    assert cells(tab.model, 3) == ["oltre il termine"]


def test_the_owner_office_finds_its_actions_among_the_pending_items(
    database: Database, office: str, tmp_path: Path, qtbot: QtBot
) -> None:
    with database.unit_of_work("verdi", write=True) as uow:
        create_meeting(uow, TODAY + timedelta(days=2), "Prefettura")
        start_meeting(uow, 1)
        item = uow.session.execute(text("SELECT id FROM agenda_items")).scalar_one()
        due = TODAY + timedelta(days=5)
        request = OutcomeRequest(OutcomeKind.AZIONE, "Convocare il richiedente", "sui", due)
        record_outcome(uow, str(item).replace("-", "")[:8], request)
        uow.commit()
    for who, expected in (("rossi", ["Convocare il richiedente"]), ("bianchi", [])):
        main = window_for(database, tmp_path, qtbot, who)
        try:
            main.navigation.setCurrentRow(2)
            page = main.flags
            qtbot.waitUntil(lambda page=page: page.actions_label.text() != "", timeout=20_000)
            assert cells(page.actions_model, 1) == expected, who
        finally:
            main.context.tasks.shutdown()


def test_the_outcome_dialog_asks_for_the_effects_on_the_dossier(qtbot: QtBot) -> None:
    from ui.tavolo_page import OutcomeDialog

    dialog = OutcomeDialog(TODAY, True)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(2)
    dialog.text.setText("Chiedere il contratto")
    dialog.owner.setCurrentIndex(1)
    dialog.flag.setCurrentIndex(dialog.flag.findData("documenti_mancanti"))
    dialog.advance.setText(" in_istruttoria ")
    request = dialog.request()
    assert (request.kind, request.text, request.owner) == (
        OutcomeKind.AZIONE,
        "Chiedere il contratto",
        "questura",
    )
    assert (request.flag_category, request.advance_to) == ("documenti_mancanti", "in_istruttoria")
    assert request.due_on == TODAY + timedelta(days=14)
    topic_only = OutcomeDialog(TODAY, False)
    qtbot.addWidget(topic_only)
    assert not topic_only.flag.isEnabled() and not topic_only.advance.isEnabled()
    assert topic_only.request().flag_category is None


def test_to_work_on_points_to_the_offices_open_actions(
    database: Database, office: str, tmp_path: Path, qtbot: QtBot
) -> None:
    with database.unit_of_work("verdi", write=True) as uow:
        create_meeting(uow, TODAY + timedelta(days=2), "Prefettura")
        start_meeting(uow, 1)
        item = uow.session.execute(text("SELECT id FROM agenda_items")).scalar_one()
        due = TODAY + timedelta(days=5)
        request = OutcomeRequest(OutcomeKind.AZIONE, "Convocare il richiedente", "sui", due)
        record_outcome(uow, str(item).replace("-", "")[:8], request)
        uow.commit()
    main = window_for(database, tmp_path, qtbot, "rossi")
    try:
        main.navigation.setCurrentRow(1)
        line = main.dossiers.actions_line
        qtbot.waitUntil(line.isVisible, timeout=20_000)
        assert line.text().startswith("Tavolo: 1 open actions for me and my office, 0 overdue")
        line.click()
        assert main.pages.currentWidget() is main.flags
        main.navigation.setCurrentRow(0)
        assert not line.isVisible()
    finally:
        main.context.tasks.shutdown()
