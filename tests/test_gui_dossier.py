"""The dossier window and the new-dossier dialog, driven as each office's user would."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import uuid
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from models.services.changes import Changed, Changes
from models.services.registration import update_dossier
from models.services.workflow import advance
from models.validation import FIELD_LABELS
from tests.gui_support import PERSON, Station, station_with
from ui.dossier.dialogs import (
    MoveDialog,
    ParereDialog,
    RaiseFlagDialog,
    ResolveFlagDialog,
    UseCaseDialog,
)
from ui.dossier.window import DossierWindow
from ui.dossier_form import LineField, field_titles
from ui.new_dossier import NewDossierDialog

station = station_with("rossi", "bianchi", "verdi", "neri")


@pytest.fixture(autouse=True)
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes would block an offscreen test: record them instead."""
    shown: list[str] = []

    def warning(_parent: QWidget | None, _title: str, text: str, *_args: Any) -> Any:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


# -- helpers ----------------------------------------------------------------------------


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Key presses, as a user types; QTest's own keyClicks knows only ASCII."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def settle(qtbot: QtBot, station: Station) -> None:
    qtbot.waitUntil(lambda: not station.tasks.busy, timeout=10_000)


def open_window(qtbot: QtBot, station: Station, user: str, dossier_id: str) -> DossierWindow:
    window = DossierWindow(station.context(user), dossier_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=10_000)
    settle(qtbot, station)
    return window


def state_of(window: DossierWindow) -> str:
    return window.header.state.text()


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isEnabled() and widget.isVisible(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def press_action(qtbot: QtBot, window: DossierWindow, text: str) -> UseCaseDialog:
    texts = window.actions_bar.texts()
    assert text in texts, texts
    click(qtbot, window.actions_bar.buttons[texts.index(text)])
    assert window.dialog is not None and window.dialog.isVisible()
    return window.dialog


def confirm(qtbot: QtBot, station: Station, dialog: UseCaseDialog) -> None:
    click(qtbot, dialog.ok_button)
    settle(qtbot, station)


def fill(qtbot: QtBot, dialog: NewDossierDialog, values: dict[str, str]) -> None:
    for name, text in values.items():
        row = dialog.form.rows[name]
        if isinstance(row, LineField):
            row.line.clear()
            type_text(qtbot, row.line, text)
        else:
            row.set_text(text)


def new_dossier_dialog(qtbot: QtBot, station: Station, user: str) -> NewDossierDialog:
    # Not handed to qtbot: the dialog deletes itself once it has registered.
    dialog = NewDossierDialog(station.context(user), None)
    dialog.show()
    qtbot.waitUntil(dialog.register_button.isEnabled, timeout=10_000)
    return dialog


def column(window: DossierWindow, tab: Any, title: str) -> list[str]:
    model = tab.model
    return model.column_texts(model.headers.index(title))


def dossier_count(station: Station) -> int:
    from sqlalchemy import func, select

    from models.dossiers import Dossier

    with station.database.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Dossier)) or 0)


# -- a dossier's life through the windows -------------------------------------------------


def test_a_work_permit_from_registration_to_nulla_osta(
    qtbot: QtBot, station: Station, qtmodeltester: Any, refusals: list[str]
) -> None:
    # The SUI clerk registers the application.
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    assert dialog.type_combo.findData("ART18") == -1  # led by the Questura
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("NO_LAVORO"))
    assert dialog.form.labels["employer_name"].font().bold()
    assert dialog.form.rows["filed_on"].text() == station.today_text()
    fill(qtbot, dialog, PERSON | {"sex": "M", "quota_assigned_on": station.today_text()})
    with qtbot.waitSignal(dialog.created, timeout=10_000) as created:
        click(qtbot, dialog.register_button)
    dossier_id = created.args[0]
    assert uuid.UUID(hex=dossier_id) and not dialog.isVisible()

    clerk = open_window(qtbot, station, "rossi", dossier_id)
    assert clerk.header.reference.text().startswith("LO-SUI/")
    assert clerk.header.name.text() == "Țurcanu Ștefan"
    assert clerk.header.type.text() == "Nulla osta lavoro subordinato"
    assert "NO_LAVORO" in clerk.header.type.toolTip()
    assert clerk.header.holder.text() == "Sportello Unico (LO-SUI)"
    assert clerk.header.deadline_badge.text() == "60 days left"
    assert state_of(clerk) == "Presentata"
    assert clerk.actions_bar.texts() == ["Avvia istruttoria…", "Archivia…"]
    assert all(button.toolTip() for button in clerk.actions_bar.buttons)
    assert all("&" in button.text() for button in clerk.actions_bar.buttons)

    move = press_action(qtbot, clerk, "Avvia istruttoria…")
    assert isinstance(move, MoveDialog) and move.effective_date == date.today()
    type_text(qtbot, move.note, "documenti completi")
    confirm(qtbot, station, move)
    qtbot.waitUntil(lambda: state_of(clerk) == "In istruttoria")
    assert "Richiedi parere…" in clerk.actions_bar.texts()
    confirm(qtbot, station, press_action(qtbot, clerk, "Richiedi parere…"))
    qtbot.waitUntil(lambda: state_of(clerk) == "Parere richiesto")
    assert clerk.actions_bar.texts() == [] and clerk.actions_bar.none.isVisible()
    assert clerk.header.holder.text() == "Questura (LO-QUESTURA)"

    # The Questura officer sees only the parere; raises a pending item, then gives it.
    officer = open_window(qtbot, station, "bianchi", dossier_id)
    assert state_of(officer) == "Parere richiesto"
    assert officer.actions_bar.texts() == ["Give parere…"]
    officer.tabs.setCurrentWidget(officer.flags_tab)
    click(qtbot, officer.flags_tab.raise_button)
    raised = officer.dialog
    assert isinstance(raised, RaiseFlagDialog)
    raised.category.setCurrentIndex(raised.category.findData("verifica_identita"))
    type_text(qtbot, raised.text, "Passaporto da verificare")
    raised.suspends.setChecked(True)
    confirm(qtbot, station, raised)
    qtbot.waitUntil(lambda: officer.flags_tab.model.rowCount() == 1)
    assert column(officer, officer.flags_tab, "Category") == ["Verifica identità"]
    assert column(officer, officer.flags_tab, "Suspends") == ["yes"]
    tab_title = officer.tabs.tabText(officer.tabs.indexOf(officer.flags_tab))
    assert tab_title.replace("&", "") == "Pending items (1)"
    assert officer.header.deadline_badge.text() == "suspended"

    parere = press_action(qtbot, officer, "Give parere…")
    assert isinstance(parere, ParereDialog) and parere.favourable.isChecked()
    confirm(qtbot, station, parere)
    qtbot.waitUntil(lambda: state_of(officer) == "In istruttoria")
    assert officer.actions_bar.texts() == []
    assert column(officer, officer.pareri_tab, "Outcome") == ["Favourable"]
    assert column(officer, officer.pareri_tab, "Officer") == ["bianchi"]

    # Back at the SUI: the clerk resolves the item and issues the nulla osta.
    clerk.reload()
    qtbot.waitUntil(lambda: state_of(clerk) == "In istruttoria")
    clerk.tabs.setCurrentWidget(clerk.flags_tab)
    assert clerk.flags_tab.selected_flag() is not None  # the open item is preselected
    click(qtbot, clerk.flags_tab.resolve_button)
    resolve = clerk.dialog
    assert isinstance(resolve, ResolveFlagDialog)
    type_text(qtbot, resolve.note, "verificato in originale")
    confirm(qtbot, station, resolve)
    qtbot.waitUntil(lambda: column(clerk, clerk.flags_tab, "Resolved") != [""])
    assert column(clerk, clerk.flags_tab, "Resolution note") == ["verificato in originale"]
    assert not clerk.flags_tab.resolve_button.isEnabled()

    confirm(qtbot, station, press_action(qtbot, clerk, "Concludi positivamente…"))
    qtbot.waitUntil(lambda: state_of(clerk) == "Definita positivamente")
    assert clerk.actions_bar.texts() == []
    assert clerk.header.deadline_badge.text() == "closed"
    assert clerk.data_tab.form.rows["surname"].editor.isReadOnly()  # type: ignore[attr-defined]
    assert not clerk.flags_tab.raise_button.isEnabled()
    assert column(clerk, clerk.history_tab, "Event") == [
        "Registered",
        "State change",
        "State change",
        "Item raised",
        "Parere given",
        "Item resolved",
        "State change",
    ]
    assert column(clerk, clerk.history_tab, "State reached")[-1] == "Definita positivamente"
    assert column(clerk, clerk.history_tab, "Clock")[:3] == ["runs", "runs", "runs"]
    assert column(clerk, clerk.history_tab, "Clock")[-1] == "stopped"
    assert column(clerk, clerk.history_tab, "User")[3:5] == ["bianchi", "bianchi"]
    assert "Pending item" in column(clerk, clerk.audit_tab, "Record")
    assert refusals == []

    for tab in (
        clerk.history_tab,
        clerk.flags_tab,
        clerk.pareri_tab,
        clerk.audit_tab,
        officer.audit_tab,
    ):
        qtmodeltester.check(tab.model)


# -- refused input stays where it was typed ------------------------------------------------


def test_invalid_registration_shows_messages_at_the_fields_and_keeps_the_text(
    qtbot: QtBot, station: Station
) -> None:
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("NO_LAVORO"))
    typed = PERSON | {"given_names": "", "fiscal_code": "TRCSFN90C04Z129X"}
    fill(qtbot, dialog, typed)
    click(qtbot, dialog.register_button)
    qtbot.waitUntil(lambda: bool(dialog.form.errors()), timeout=10_000)
    settle(qtbot, station)

    errors = dialog.form.errors()
    assert set(errors) == {"given_names", "fiscal_code"}
    assert "carattere di controllo" in errors["fiscal_code"]
    fiscal = dialog.form.rows["fiscal_code"]
    assert fiscal.error.isVisible() and fiscal.editor.property("invalid") is True
    assert fiscal.text() == "TRCSFN90C04Z129X" and dialog.form.rows["surname"].text() == "Țurcanu"
    assert dialog.isVisible() and dialog.register_button.isEnabled()
    assert dossier_count(station) == 0

    # Typing in a field clears its message; the corrected form registers.
    fill(qtbot, dialog, {"given_names": "Ștefan", "fiscal_code": "TRCSFN90C04Z129H"})
    assert "fiscal_code" not in dialog.form.errors()
    with qtbot.waitSignal(dialog.created, timeout=10_000):
        click(qtbot, dialog.register_button)
    assert dossier_count(station) == 1


def test_invalid_data_in_the_window_shows_at_the_field_and_nothing_is_lost(
    qtbot: QtBot, station: Station
) -> None:
    window = open_window(qtbot, station, "rossi", station.register())
    form = window.data_tab.form
    version = window.data_tab.version
    pec = form.rows["employer_pec"]
    assert isinstance(pec, LineField)
    pec.line.clear()
    type_text(qtbot, pec.line, "non-una-pec")
    type_text(qtbot, form.rows["birth_place"].line, "Iași")  # type: ignore[attr-defined]
    assert form.changed_values() == {"employer_pec": "non-una-pec", "birth_place": "Iași"}
    click(qtbot, window.data_tab.save_button)
    qtbot.waitUntil(lambda: bool(form.errors()), timeout=10_000)
    settle(qtbot, station)

    assert list(form.errors()) == ["employer_pec"]
    assert "PEC" in form.errors()["employer_pec"]
    assert pec.text() == "non-una-pec" and form.rows["birth_place"].text() == "Iași"
    assert window.data_tab.version == version

    pec.line.clear()
    type_text(qtbot, pec.line, "Uffici@PEC.example.it")
    click(qtbot, window.data_tab.save_button)
    qtbot.waitUntil(lambda: not form.is_dirty(), timeout=10_000)
    settle(qtbot, station)
    assert pec.text() == "uffici@pec.example.it"  # as the service normalised it
    assert window.data_tab.version == (version or 0) + 1
    assert window.data_tab.notice.text() == "Saved."
    assert column(window, window.history_tab, "Event")[-1] == "Data changed"


def test_the_questura_edits_the_cui_but_not_the_surname(
    qtbot: QtBot, station: Station, refusals: list[str]
) -> None:
    window = open_window(qtbot, station, "bianchi", station.register())
    form = window.data_tab.form
    surname, cui = form.rows["surname"], form.rows["cui"]
    assert isinstance(surname, LineField) and isinstance(cui, LineField)
    assert surname.line.isReadOnly() and "Sportello Unico" in surname.line.toolTip()
    assert not form.rows["sex"].editor.isEnabled()
    assert not cui.line.isReadOnly()
    type_text(qtbot, surname.line, "X")
    assert surname.text() == "Țurcanu"

    type_text(qtbot, cui.line, "abc12345")
    click(qtbot, window.data_tab.save_button)
    qtbot.waitUntil(lambda: window.snapshot is not None and not form.is_dirty(), timeout=10_000)
    settle(qtbot, station)
    assert cui.text() == "ABC12345" and refusals == []
    audit = window.audit_tab.model
    rows = [r for r in audit.rows if r[audit.headers.index("Field")] == "CUI"]
    assert rows and rows[-1][1] == "bianchi" and rows[-1][-1] == "ABC12345"

    # The clerk's window offers every field but the CUI.
    clerk = open_window(qtbot, station, "rossi", window.dossier_id)
    clerk_form = clerk.data_tab.form
    assert clerk_form.rows["cui"].editor.isReadOnly()  # type: ignore[attr-defined]
    assert not clerk_form.rows["surname"].editor.isReadOnly()  # type: ignore[attr-defined]


# -- duplicate warning ------------------------------------------------------------------


def test_the_same_person_asks_for_confirmation_before_registering(
    qtbot: QtBot, station: Station, qtmodeltester: Any
) -> None:
    station.register()
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("CONVERSIONE"))
    same = PERSON | {"surname": "TURCANU", "given_names": "stefan", "nationality": "rou"}
    fill(qtbot, dialog, same)
    click(qtbot, dialog.register_button)
    qtbot.waitUntil(lambda: dialog.duplicates_dialog is not None, timeout=10_000)
    warning = dialog.duplicates_dialog
    assert warning is not None and warning.isVisible()
    qtmodeltester.check(warning.model)
    assert warning.model.rowCount() == 1
    row = warning.model.rows[0]
    assert row[0].startswith("LO-SUI/") and row[1] == "Țurcanu Ștefan"
    assert row[3:5] == ["Lavoro subordinato", "Presentata"]
    assert row[-1] == "same person data"
    assert not dialog.register_button.isEnabled()

    click(qtbot, warning.back_button)  # go back: nothing registered, nothing lost
    qtbot.waitUntil(dialog.register_button.isEnabled)
    assert dossier_count(station) == 1
    assert dialog.form.rows["surname"].text() == "TURCANU"

    click(qtbot, dialog.register_button)
    qtbot.waitUntil(
        lambda: dialog.duplicates_dialog is not None and dialog.duplicates_dialog.isVisible(),
        timeout=10_000,
    )
    assert dialog.duplicates_dialog is not None
    with qtbot.waitSignal(dialog.created, timeout=10_000):
        click(qtbot, dialog.duplicates_dialog.register_button)
    assert dossier_count(station) == 2


def test_no_warning_for_a_different_person(qtbot: QtBot, station: Station) -> None:
    station.register()
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("CONVERSIONE"))
    fill(qtbot, dialog, PERSON | {"birth_date": "05/03/1990"})
    with qtbot.waitSignal(dialog.created, timeout=10_000):
        click(qtbot, dialog.register_button)
    assert dialog.duplicates_dialog is None


# -- refusals, restrictions and refreshing ---------------------------------------------------


def test_parere_with_obstacles_needs_reasons_shown_in_the_dialog(
    qtbot: QtBot, station: Station
) -> None:
    dossier_id = station.register()
    with station.database.unit_of_work("rossi", write=True) as uow:
        advance(uow, dossier_id, "in_istruttoria", date.today())
        advance(uow, dossier_id, "parere_richiesto", date.today())
        uow.commit()
    officer = open_window(qtbot, station, "bianchi", dossier_id)
    parere = press_action(qtbot, officer, "Give parere…")
    assert isinstance(parere, ParereDialog)
    parere.obstacles.setChecked(True)
    confirm(qtbot, station, parere)
    assert parere.isVisible() and "ragioni" in parere.error_text("reasons")
    assert state_of(officer) == "Parere richiesto"
    type_text(qtbot, parere.reasons, "Segnalazione SIS")
    confirm(qtbot, station, parere)
    qtbot.waitUntil(lambda: state_of(officer) == "In istruttoria")
    assert column(officer, officer.pareri_tab, "Outcome") == ["Obstacles found"]
    assert column(officer, officer.pareri_tab, "Reasons") == ["Segnalazione SIS"]


def test_a_restricted_dossier_does_not_open_without_clearance(
    qtbot: QtBot, station: Station
) -> None:
    dossier_id = station.register("neri", "ART18")
    cleared = open_window(qtbot, station, "neri", dossier_id)
    assert state_of(cleared) == "Presentata" and cleared.tabs.isEnabled()
    window = DossierWindow(station.context("bianchi"), dossier_id)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "Cannot open" in window.header.reference.text(), timeout=10_000)
    assert "non trovata" in window.header.reference.text()
    assert not window.tabs.isEnabled() and window.actions_bar.texts() == []


def test_the_window_reloads_only_for_changes_to_its_dossier(qtbot: QtBot, station: Station) -> None:
    mine, other = station.register(), station.register(surname="Nguyễn", nationality="VNM")
    window = open_window(qtbot, station, "rossi", mine)
    with station.database.unit_of_work("verdi", write=True) as uow:
        update_dossier(uow, mine, {"given_names": "Ștefan Ionuț"})
        uow.commit()
    window.context.bus.publish(Changes.of(Changed.DOSSIER, dossiers=(uuid.UUID(hex=other),)))
    assert not station.tasks.busy
    assert window.header.name.text() == "Țurcanu Ștefan"
    window.context.bus.publish(Changes.of(Changed.DOSSIER, dossiers=(uuid.UUID(hex=mine),)))
    qtbot.waitUntil(lambda: window.header.name.text() == "Țurcanu Ștefan Ionuț")


def test_unsaved_edits_survive_a_reload(qtbot: QtBot, station: Station) -> None:
    dossier_id = station.register()
    window = open_window(qtbot, station, "rossi", dossier_id)
    birth_place = window.data_tab.form.rows["birth_place"]
    type_text(qtbot, birth_place.editor, "Suceava")
    with station.database.unit_of_work("verdi", write=True) as uow:
        update_dossier(uow, dossier_id, {"passport": "058000111"})
        uow.commit()
    window.reload()
    qtbot.waitUntil(lambda: window.data_tab.form.rows["passport"].text() == "058000111")
    assert birth_place.text() == "Suceava"
    assert "kept" in window.data_tab.notice.text()
    click(qtbot, window.data_tab.revert_button)
    assert birth_place.text() == "" and not window.data_tab.form.is_dirty()


def test_the_form_has_every_field(qapp: Any) -> None:
    assert list(field_titles()) == list(FIELD_LABELS)


def test_keyboard_opens_the_first_move_and_saves(qtbot: QtBot, station: Station) -> None:
    window = open_window(qtbot, station, "rossi", station.register())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.dialog, MoveDialog) and window.dialog.to_state == "in_istruttoria"
    window.dialog.reject()
    type_text(qtbot, window.data_tab.form.rows["birth_place"].editor, "Iași")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.data_tab.notice.text() == "Saved.", timeout=10_000)
    settle(qtbot, station)
    assert window.data_tab.form.rows["birth_place"].text() == "Iași"
