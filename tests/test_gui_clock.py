"""The dossier window shows the suspension rules at work: the observations action, the
anomalies in the header and beside their event, the warning on a second request."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, timedelta

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from models.services.workflow import advance
from tests.test_gui_dossier import Station, click, column, confirm, open_window, type_text
from tests.test_gui_dossier import refusals as refusals  # the autouse fixture
from tests.test_gui_dossier import station as station  # the fixture
from ui.dossier.dialogs import ObservationsDialog, RaiseFlagDialog
from ui.dossier.widgets import qdate

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def moved(station: Station, dossier_id: str, *steps: tuple[str, int]) -> None:
    with station.database.unit_of_work("rossi", write=True) as uow:
        for state, days in steps:
            advance(uow, dossier_id, state, ago(days))
        uow.commit()


def test_the_clerk_records_the_observations_on_a_preavviso(qtbot: QtBot, station: Station) -> None:
    filed = ago(40).strftime("%d/%m/%Y")
    dossier_id = station.register(filed_on=filed, quota_assigned_on=filed)
    moved(station, dossier_id, ("in_istruttoria", 39), ("preavviso_rigetto", 12))
    officer = open_window(qtbot, station, "bianchi", dossier_id)
    assert not officer.actions_bar.observations.isVisible()  # not the Questura's to record

    clerk = open_window(qtbot, station, "rossi", dossier_id)
    assert clerk.header.suspended.text() == "10 days"  # no observations yet: the 10 days
    click(qtbot, clerk.actions_bar.observations)
    dialog = clerk.dialog
    assert isinstance(dialog, ObservationsDialog)
    dialog.on_date.setDate(qdate(ago(8)))
    type_text(qtbot, dialog.note, "memoria difensiva")
    confirm(qtbot, station, dialog)
    qtbot.waitUntil(lambda: clerk.header.suspended.text() == "14 days", timeout=10_000)
    assert not clerk.actions_bar.observations.isVisible()
    events = column(clerk, clerk.history_tab, "Event")
    assert events[-1] == "Observations received"
    assert column(clerk, clerk.history_tab, "Note")[-1] == "memoria difensiva"


def test_a_second_suspending_item_warns_and_shows_as_an_anomaly(
    qtbot: QtBot, station: Station
) -> None:
    filed = ago(40).strftime("%d/%m/%Y")
    dossier_id = station.register(filed_on=filed, quota_assigned_on=filed)
    moved(
        station,
        dossier_id,
        ("in_istruttoria", 39),
        ("integrazione_richiesta", 35),
        ("in_istruttoria", 30),
    )
    clerk = open_window(qtbot, station, "rossi", dossier_id)
    assert not clerk.header.anomalies.isVisible()
    clerk.tabs.setCurrentWidget(clerk.flags_tab)
    click(qtbot, clerk.flags_tab.raise_button)
    raised = clerk.dialog
    assert isinstance(raised, RaiseFlagDialog)
    raised.category.setCurrentIndex(raised.category.findData("documenti_mancanti"))
    type_text(qtbot, raised.text, "Contratto mancante")
    raised.suspends.setChecked(True)
    confirm(qtbot, station, raised)

    warning = "seconda richiesta di sospensione, oltre l'unica ammessa"
    box = clerk.findChild(QMessageBox, "useCaseWarning")
    assert box is not None and warning in box.text()
    box.accept()
    qtbot.waitUntil(clerk.header.anomalies.isVisible, timeout=10_000)
    assert warning in clerk.header.anomalies.text()
    assert clerk.header.suspended.text() == "5 days"
    notes = column(clerk, clerk.history_tab, "Note")
    assert any(note.startswith("#") and "⚠ " in note and warning in note for note in notes)
