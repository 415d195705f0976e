"""Issue 14 «La giornata dell'impiegato»: the defects a clerk met, each driven through the GUI."""

from __future__ import annotations

import os
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.cli.main import main
from models.dates import parse_date
from models.errors import ValidationError
from models.services.letter_values import LETTER_VALUES, letter_values
from models.services.lookup import get_dossier
from tests.gui_support import PERSON, Station, station_with
from tests.test_gui_dossier import dossier_count, fill, new_dossier_dialog
from ui.new_dossier import NewDossierDialog
from ui.printing import ExtraFieldsDialog

station = station_with("rossi", "bianchi")


def questions(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: QWidget | None, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


# -- 1. typed work is never lost -------------------------------------------------------------


def tab_across_buttons(qtbot: QtBot, dialog: NewDossierDialog) -> None:
    """Tab until focus has been on every button, then back into a field."""
    seen: set[str] = set()
    for _ in range(60):
        focused = dialog.focusWidget()
        if focused is not None:
            seen.add(focused.objectName())
        if {"register", "cancel"} <= seen and focused is dialog.form.rows["surname"].line:
            return
        qtbot.keyClick(focused or dialog, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never crossed both buttons: {sorted(seen)}")


def test_defect1_enter_after_tabbing_across_the_buttons_registers_not_cancels(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = questions(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    fill(qtbot, dialog, PERSON | {"quota_assigned_on": date.today().strftime("%d/%m/%Y")})
    dialog.form.rows["surname"].line.setFocus()
    tab_across_buttons(qtbot, dialog)
    assert dialog.register_button.isDefault()
    with qtbot.waitSignal(dialog.created, timeout=10_000):
        qtbot.keyClick(dialog.form.rows["surname"].line, Qt.Key.Key_Return)
    assert dossier_count(station) == 1 and not asked


def test_defect1_escape_on_a_filled_form_asks_before_discarding(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = questions(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    fill(qtbot, dialog, {"surname": "Rossi"})
    qtbot.keyClick(dialog.form.rows["surname"].line, Qt.Key.Key_Escape)
    assert len(asked) == 1 and dialog.isVisible()
    assert dialog.form.rows["surname"].text() == "Rossi"
    dialog.close()  # the window's close button asks too
    assert len(asked) == 2 and dialog.isVisible()

    questions(monkeypatch, QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog.form.rows["surname"].line, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


def test_defect1_escape_on_an_untouched_form_closes_without_asking(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = questions(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    qtbot.keyClick(dialog.form.rows["surname"].line, Qt.Key.Key_Escape)
    assert not asked and not dialog.isVisible()


# -- 10. data entry -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12.5.1990", "12/5/1990", "12051990", "12.05.1990"])
def test_defect10_dates_as_clerks_type_them(typed: str) -> None:
    assert parse_date(typed) == date(1990, 5, 12)


@pytest.mark.parametrize("typed", ["12.5/1990", "1251990", "12-5-1990"])
def test_defect10_mixed_or_short_dates_are_still_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="data non valida"):
        parse_date(typed)


# -- 2. no official letter with blanks -------------------------------------------------------


def history_kinds(station: Station, dossier_id: str) -> list[str]:
    with station.database.unit_of_work("rossi") as uow:
        dossier = get_dossier(uow, dossier_id, with_history=True)
        return [event.kind for event in dossier.events]


@pytest.mark.parametrize(
    ("given", "refused"),
    [
        ({}, {"appuntamento_data", "appuntamento_ora"}),
        (
            {"appuntamento_data": "", "appuntamento_ora": "  "},
            {"appuntamento_data", "appuntamento_ora"},
        ),
        ({"appuntamento_data": "31/02/2027", "appuntamento_ora": "10:30"}, {"appuntamento_data"}),
        ({"appuntamento_data": "15/12/2026", "appuntamento_ora": "dopo"}, {"appuntamento_ora"}),
    ],
)
def test_defect2_a_summons_needs_a_real_date_and_time(
    given: dict[str, str], refused: set[str]
) -> None:
    with pytest.raises(ValidationError) as error:
        letter_values("convocazione", given)
    assert set(error.value.errors) == refused


def test_defect2_the_values_are_printed_as_written_on_letters() -> None:
    given = {"appuntamento_data": "15.12.2026", "appuntamento_ora": "9.30"}
    assert letter_values("convocazione", given) == {
        "appuntamento_data": "15/12/2026",
        "appuntamento_ora": "09:30",
    }


def test_defect2_the_command_line_refuses_an_explicitly_empty_value(
    station: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dossier_id = station.register()
    output = tmp_path / "c.pdf"
    command = ["--home", str(tmp_path), "--user", "rossi", "print", "convocazione"]
    fields = ["--field", "appuntamento_data=", "--field", "appuntamento_ora=10:30"]
    code = main([*command, "--dossier", dossier_id, *fields, "-o", str(output)])
    assert code != 0 and not output.exists()
    assert capsys.readouterr().err.splitlines() == [
        "errore: manca la data dell'appuntamento (non ricavabile dalla pratica)"
    ]
    assert "printed" not in history_kinds(station, dossier_id)


def test_defect2_the_letter_dialog_refuses_blanks_field_by_field(qtbot: QtBot) -> None:
    dialog = ExtraFieldsDialog(
        "Dati per la lettera",
        "convocazione",
        dict.fromkeys(LETTER_VALUES["convocazione"], ""),
        None,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.focusWidget() is dialog.editors["appuntamento_data"]
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_text("appuntamento_data") and dialog.error_text("appuntamento_ora")
    time_editor = dialog.editors["appuntamento_ora"]
    assert isinstance(time_editor, QLineEdit)
    time_editor.setText("10:30")
    ok.click()
    assert dialog.isVisible()
    assert dialog.error_text("appuntamento_data") and not dialog.error_text("appuntamento_ora")
    assert dialog.focusWidget() is dialog.editors["appuntamento_data"]
    date_editor = dialog.editors["appuntamento_data"]
    assert isinstance(date_editor, QLineEdit)
    date_editor.setText("   ")
    ok.click()
    assert dialog.isVisible()
    date_editor.setText("15/12/2026")
    ok.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


# -- 6. duplicates after validation ---------------------------------------------------------


def test_defect6_an_invalid_form_is_corrected_before_any_duplicate_warning(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions(monkeypatch, QMessageBox.StandardButton.Discard)
    station.register()
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    fill(qtbot, dialog, PERSON | {"birth_date": "31/02/1990"})
    dialog.form.rows["birth_date"].set_text("04/03/1990")
    fill(qtbot, dialog, {"employer_pec": "non-una-pec"})
    dialog.register_button.click()
    qtbot.waitUntil(lambda: bool(dialog.form.errors()), timeout=10_000)
    assert set(dialog.form.errors()) == {"employer_pec"}
    assert dialog.duplicates_dialog is None and dossier_count(station) == 1
    dialog.close()


def test_defect6_the_duplicate_question_is_asked_once(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.new_dossier as new_dossier

    station.register()
    real = new_dossier.register_dossier
    attempts: list[str] = []

    def refused_once(uow: Any, type_code: str, values: dict[str, str]) -> Any:
        attempts.append(type_code)
        if len(attempts) == 1:  # as when another workstation took the application code
            raise ValidationError({"application_code": "codice domanda già registrato"})
        return real(uow, type_code, values)

    monkeypatch.setattr(new_dossier, "register_dossier", refused_once)
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    fill(qtbot, dialog, PERSON | {"quota_assigned_on": date.today().strftime("%d/%m/%Y")})
    dialog.register_button.click()
    qtbot.waitUntil(lambda: dialog.duplicates_dialog is not None, timeout=10_000)
    assert dialog.duplicates_dialog is not None
    dialog.duplicates_dialog.register_button.click()
    qtbot.waitUntil(lambda: "application_code" in dialog.form.errors(), timeout=10_000)
    with qtbot.waitSignal(dialog.created, timeout=10_000):
        dialog.register_button.click()
    assert dialog.duplicates_dialog is None and len(attempts) == 2
    assert dossier_count(station) == 2


@pytest.mark.parametrize(
    ("count", "wording"), [(1, "ha già 1 pratica aperta."), (2, "ha già 2 pratiche aperte.")]
)
def test_defect6_one_open_dossier_is_singular(
    qtbot: QtBot, italian: None, count: int, wording: str
) -> None:
    from models.services.duplicates import Match, PossibleDuplicate
    from ui.new_dossier import DuplicatesDialog

    found = PossibleDuplicate(
        id=uuid.uuid4(),
        reference="LO-SUI/2026/0000001",
        surname="Țurcanu",
        given_names="Ștefan",
        birth_date=date(1990, 3, 4),
        nationality="ROU",
        fiscal_code=None,
        type_code="NO_LAVORO",
        type_name="Lavoro subordinato",
        state="presentata",
        state_label="Presentata",
        filed_on=date(2026, 9, 1),
        matches=(Match.PERSON,),
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = DuplicatesDialog([found] * count, parent)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(wording in text for text in texts), texts
    assert dialog.model.rows[0][2] == "04/03/1990"  # born: the date as a clerk writes it
