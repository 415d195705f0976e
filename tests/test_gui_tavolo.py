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
from models.services.tavolo.meetings import add_item, create_meeting, start_meeting
from models.services.tavolo.outcomes import OutcomeRequest, record_outcome
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from tests.tavolo_scenario import meeting_on
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
        create_meeting(uow, meeting_on(TODAY, 2), "Prefettura")
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
        create_meeting(uow, meeting_on(TODAY, 2), "Prefettura")
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
        create_meeting(uow, meeting_on(TODAY, 2), "Prefettura")
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
        create_meeting(uow, meeting_on(TODAY, 2), "Prefettura")
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
            label = page.tavolo_actions.label
            qtbot.waitUntil(lambda label=label: label.text() != "", timeout=20_000)
            assert cells(page.tavolo_actions.model, 1) == expected, who
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


def _actions_for_the_sui(database: Database, office: str) -> None:
    """Meeting n. 1 gives the SUI two actions: one on the overdue dossier (due in five
    days), one about no dossier (due yesterday); and the Questura one."""
    with database.unit_of_work("verdi", write=True) as uow:
        create_meeting(uow, TODAY, "Prefettura")
        add_item(uow, 1, topic="Orari dello sportello")
        start_meeting(uow, 1)
        items = dict(uow.session.execute(text("SELECT position, id FROM agenda_items")).all())
        on_dossier, on_topic = (str(items[n]).replace("-", "")[:8] for n in (1, 2))
        for item, request in (
            (on_dossier, OutcomeRequest(OutcomeKind.AZIONE, "Convocare il richiedente", "sui",
                                        TODAY + timedelta(days=5))),
            (on_topic, OutcomeRequest(OutcomeKind.AZIONE, "Turni di sabato", "sui", TODAY)),
            (on_topic, OutcomeRequest(OutcomeKind.AZIONE, "Rinforzi", "questura",
                                      TODAY + timedelta(days=3))),
        ):  # fmt: skip
            record_outcome(uow, item, request)
        uow.commit()
    with database.engine.begin() as connection:  # a week goes by for the one due today
        connection.execute(
            text("UPDATE agenda_outcomes SET due_on = :day WHERE text = 'Turni di sabato'"),
            {"day": TODAY - timedelta(days=1)},
        )


def test_to_work_on_shows_my_offices_open_actions_as_rows(
    database: Database, office: str, tmp_path: Path, qtbot: QtBot
) -> None:
    _actions_for_the_sui(database, office)
    main = window_for(database, tmp_path, qtbot, "rossi")
    try:
        main.navigation.setCurrentRow(1)
        actions = main.dossiers.tavolo_actions
        qtbot.waitUntil(actions.isVisible, timeout=20_000)
        assert actions.label.text().startswith(
            "Tavolo: 2 open actions for me and my office, 1 overdue"
        )
        reference = actions.rows[1].dossier
        assert reference is not None and reference.startswith("LO-SUI/")
        yesterday = (TODAY - timedelta(days=1)).strftime("%d/%m/%Y")
        in_five = (TODAY + timedelta(days=5)).strftime("%d/%m/%Y")
        assert [cells(actions.model, c) for c in (0, 1, 3, 4)] == [
            ["⚠ " + yesterday, in_five],
            ["Turni di sabato", "Convocare il richiedente"],
            ["(no dossier)", reference],
            ["n. 1", "n. 1"],
        ]  # the Questura's action is not here
        actions.table.setFocus()
        actions.table.selectRow(1)
        qtbot.keyClick(actions.table, Qt.Key.Key_Return)
        assert list(main._dossier_windows) == [office.replace("-", "")]
        actions.table.selectRow(0)
        qtbot.keyClick(actions.table, Qt.Key.Key_Return)
        assert main.pages.currentWidget() is main.tavolo
        qtbot.waitUntil(lambda: main.tavolo.current_meeting() is not None, timeout=20_000)
        meeting = main.tavolo.current_meeting()
        assert meeting is not None and meeting.number == 1
        main.navigation.setCurrentRow(0)
        assert not actions.isVisible()
    finally:
        main.context.tasks.shutdown()
