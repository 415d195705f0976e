"""Issue 14, defects 8 and 10: the pending items page and data entry."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from models.countries import country_choices, country_code
from models.errors import ValidationError
from models.services.field_messages import message_at_field
from models.services.flags import raise_flag
from models.services.stats_period import last_full_month, last_full_quarter
from tests.gui_support import PERSON, Station, station_with
from tests.test_gui_dossier import click, fill, new_dossier_dialog, open_window
from ui.dossier.dialogs import RaiseFlagDialog
from ui.main_window import MainWindow
from ui.statistics_page import StatisticsPage

station = station_with("rossi", "bianchi", "verdi")


def raise_item(station: Station, dossier_id: str, category: str, text: str) -> None:
    with station.database.unit_of_work("bianchi", write=True) as uow:
        raise_flag(uow, dossier_id, category, text, False, date.today())
        uow.commit()


# -- 8. pending items ------------------------------------------------------------------------


def test_defect8_the_pending_items_page_shows_name_state_deadline_and_searches(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    first = station.register()
    second = station.register(surname="Nguyễn", given_names="Thị Minh", nationality="VNM")
    raise_item(station, first, "verifica_identita", "Passaporto da verificare")
    raise_item(station, second, "documenti_mancanti", "Contratto di soggiorno")
    window = MainWindow(station.context("rossi"))
    qtbot.addWidget(window)
    window.show()
    window.navigation.setCurrentRow(2)  # Segnalazioni
    page = window._page("flags")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    headers = page.model.headers
    for title in ("Cognome e nomi", "Stato", "Scadenza", "Aperta da", "Per l'ufficio"):
        assert title in headers, headers
    assert "Da" not in headers and "Per" not in headers
    names = page.model.column_texts(headers.index("Cognome e nomi"))
    assert sorted(names) == ["Nguyễn Thị Minh", "Țurcanu Ștefan"]
    assert set(page.model.column_texts(headers.index("Stato"))) == {"Presentata"}
    assert all(page.model.column_texts(headers.index("Scadenza")))
    qtbot.keyClicks(page.search, "nguyen contratto")
    assert page.model.column_texts(headers.index("Cognome e nomi")) == ["Nguyễn Thị Minh"]
    page.search.clear()
    assert page.model.rowCount() == 2


def test_defect8_the_dossier_tab_names_its_columns_and_button_and_asks_the_category(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    window = open_window(qtbot, station, "bianchi", station.register())
    tab = window.flags_tab
    headers = tab.model.headers
    assert "Aperta da" in headers and "Per l'ufficio" in headers and "Da" not in headers
    assert tab.raise_button.text() == "&Nuova segnalazione…"
    qtbot.waitUntil(tab.raise_button.isEnabled, timeout=10_000)
    window.tabs.setCurrentWidget(tab)
    click(qtbot, tab.raise_button)
    dialog = window.dialog
    assert isinstance(dialog, RaiseFlagDialog)
    assert dialog.category.currentData() == ""  # no silent default
    dialog.text.setPlainText("Passaporto da verificare")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: bool(dialog.error_text("category")), timeout=10_000)
    assert dialog.error_text("category") == "scegliere la categoria della segnalazione"
    assert dialog.isVisible()


# -- 10. data entry ----------------------------------------------------------------------------


def test_defect10_countries_by_their_italian_name() -> None:
    choices = country_choices()
    assert "Romania (ROU)" in choices and "Costa d'Avorio (CIV)" in choices
    assert "Kosovo (XXK)" in choices
    assert choices.index("Albania (ALB)") < choices.index("Zambia (ZMB)")
    assert country_code("Romania (ROU)") == "ROU"
    assert country_code("romania") == "ROU"
    assert country_code("marocco") == "MAR"
    assert country_code("rou") == "ROU"
    assert country_code("Romagna") is None


def test_defect10_cittadinanza_completes_an_italian_name_and_registers_the_code(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    line = dialog.form.rows["nationality"].line
    completer = line.completer()
    completer.setCompletionPrefix("roman")
    shown = [
        completer.completionModel().index(r, 0).data()
        for r in range(completer.completionModel().rowCount())
    ]
    assert shown == ["Romania (ROU)"]
    fill(qtbot, dialog, PERSON | {"nationality": "Romania (ROU)"})
    dialog.form.rows["quota_assigned_on"].line.setText(date.today().strftime("%d/%m/%Y"))
    with qtbot.waitSignal(dialog.created, timeout=10_000) as created:
        click(qtbot, dialog.register_button)
    with station.database.unit_of_work("rossi") as uow:
        from models.services.lookup import get_dossier

        assert get_dossier(uow, created.args[0]).nationality == "ROU"


def test_defect10_a_message_under_its_field_does_not_repeat_the_label(
    qtbot: QtBot, station: Station
) -> None:
    assert message_at_field("nationality", "Cittadinanza: «XX» non è un codice") == (
        "«XX» non è un codice"
    )
    assert message_at_field("birth_date", "data di nascita nel futuro (01/01/2100)") == (
        "Nel futuro (01/01/2100)"
    )
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    fill(qtbot, dialog, PERSON | {"nationality": "Atlantide", "surname": ""})
    click(qtbot, dialog.register_button)
    form = dialog.form
    qtbot.waitUntil(lambda: bool(form.errors()), timeout=10_000)
    for name, message in form.errors().items():
        assert not message.lower().startswith(form.labels[name].text().lower().rstrip(" *:"))
    assert "Atlantide" in form.errors()["nationality"]


def test_defect10_statistics_start_from_the_last_full_month_or_quarter(
    qtbot: QtBot, station: Station
) -> None:
    assert last_full_month(date(2026, 12, 3)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert last_full_month(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert last_full_quarter(date(2026, 12, 3)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_full_quarter(date(2026, 2, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
    page = StatisticsPage(station.context("verdi"))
    qtbot.addWidget(page)
    first, last = last_full_month(date.today())
    assert (page.start.date(), page.end.date()) == (
        QDate(first.year, first.month, first.day),
        QDate(last.year, last.month, last.day),
    )
    page.period.setCurrentIndex(1)
    first, last = last_full_quarter(date.today())
    assert page.start.date() == QDate(first.year, first.month, first.day)
    assert page.end.date() == QDate(last.year, last.month, last.day)
    assert page.period.currentIndex() == 1  # still «Trimestre scorso»
    page.start.setDate(QDate(2026, 1, 1))
    assert page.period.currentIndex() == 2  # dates typed by hand: «Altre date»


def test_defect10_the_command_line_takes_a_country_name_too(station: Station) -> None:
    with pytest.raises(ValidationError) as refused:
        station.register(nationality="Atlantide")
    assert "Atlantide" in str(refused.value)
    dossier = station.register(nationality="Marocco")
    with station.database.unit_of_work("rossi") as uow:
        from models.services.lookup import get_dossier

        assert get_dossier(uow, dossier).nationality == "MAR"


# -- F1 help and the type codes' tooltips --------------------------------------------------


def test_f1_shows_the_help_of_the_view_in_front_in_a_window_that_is_not_modal(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    from PySide6.QtCore import Qt

    from ui.help import HelpWindow

    window = MainWindow(station.context("verdi"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.navigation.setCurrentRow(2)
    qtbot.keyClick(window.navigation, Qt.Key.Key_F1)
    helper = window.findChild(HelpWindow)
    assert helper is not None and helper.isVisible() and not helper.isModal()
    assert helper.windowTitle() == "Aiuto – Segnalazioni"
    assert "segnalazioni aperte dal suo ufficio" in helper.browser.toPlainText()
    window.navigation.setCurrentRow(4)
    qtbot.keyClick(window.navigation, Qt.Key.Key_F1)
    assert window.findChildren(HelpWindow) == [helper]  # the same window, now on Statistiche
    assert helper.windowTitle() == "Aiuto – Statistiche"
    assert "ultimo mese intero" in helper.browser.toPlainText()
    window.navigation.setCurrentRow(0)  # the help stays open beside the work
    assert helper.isVisible()

    dossier = open_window(qtbot, station, "rossi", station.register())
    f1 = next(a for a in dossier.actions() if a.objectName() == "helpAction")
    assert f1.shortcut().toString() == "F1"
    f1.trigger()
    beside = dossier.findChild(HelpWindow)
    assert beside is not None and beside.windowTitle() == "Aiuto – La pratica"


def test_the_type_choices_explain_their_codes_in_a_tooltip(qtbot: QtBot, station: Station) -> None:
    from PySide6.QtCore import Qt

    dialog = new_dossier_dialog(qtbot, station, "rossi")
    combo = dialog.type_combo
    position = combo.findData("NO_STAGIONALE")
    assert combo.itemText(position) == "Nulla osta lavoro stagionale"
    tip = combo.itemData(position, Qt.ItemDataRole.ToolTipRole)
    assert "NO_STAGIONALE" in tip and "art. 24 TUI" in tip
