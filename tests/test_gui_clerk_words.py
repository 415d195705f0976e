"""Issue 14, defects 3 and 4: words instead of codes, and who must act on a dossier."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.services.labels import TYPE_WORDS, italian_number
from models.services.workflow import advance
from tests.gui_support import Station, station_with
from tests.test_gui_dossier import open_window
from ui.main_window import MainWindow

CODES = {*TYPE_WORDS, "none", "sui", "questura", "applicant", "runs", "presentata", "sui_clerk"}


station = station_with("rossi", "bianchi")


def day(offset: int) -> date:
    return date.today() + timedelta(days=offset)


def text(on: date) -> str:
    return on.strftime("%d/%m/%Y")


def move(station: Station, dossier_id: str, *steps: tuple[str, date]) -> None:
    with station.database.unit_of_work("rossi", write=True) as uow:
        for state, on in steps:
            advance(uow, dossier_id, state, on)
        uow.commit()


def registered_long_ago(station: Station, **fields: Any) -> str:
    filed = text(day(-40))
    return station.register(filed_on=filed, quota_assigned_on=filed, **fields)


# -- 3. no internal codes ----------------------------------------------------------------------


def test_defect3_the_list_shows_type_and_holder_in_words_with_the_code_in_a_tooltip(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    open_one = station.register()
    closed = station.register("rossi", "RICONGIUNGIMENTO", surname="Nguyễn", nationality="VNM")
    move(station, closed, ("archiviata", date.today()))
    window = MainWindow(station.context("rossi"))
    qtbot.addWidget(window)
    window.show()
    model = window.dossiers.model
    columns = [c.key for c in model.columns]

    def cells() -> dict[str, list[str]]:
        rows = {}
        for row in range(model.rowCount()):
            texts = [model.data(model.index(row, c)) for c in range(len(columns))]
            rows[model.id_at(row) or ""] = [str(t) for t in texts]
        return rows

    qtbot.waitUntil(lambda: len(cells()) == 2 and "…" not in str(cells()), timeout=10_000)
    shown = cells()
    type_column, holder_column = columns.index("type_code"), columns.index("holder")
    assert shown[open_one][type_column] == "Lavoro subordinato"
    assert shown[closed][type_column] == "Ricongiungimento"
    assert shown[closed][holder_column] == "nessuno (pratica chiusa)"
    assert shown[open_one][holder_column] == "LO-SUI"
    tip = model.data(
        model.index(model.row_of(closed) or 0, type_column), Qt.ItemDataRole.ToolTipRole
    )
    assert "RICONGIUNGIMENTO" in tip and "art. 29 TUI" in tip
    assert not CODES & {cell for row in shown.values() for cell in row}
    types = window.dossiers.type_filter
    filter_texts = [types.itemText(i) for i in range(1, types.count())]
    assert not CODES & set(filter_texts) and "Lavoro subordinato" in filter_texts
    assert "sui_clerk" not in window.user_label.text()
    assert "Impiegato dello Sportello Unico" in window.user_label.text()


def test_defect3_the_audit_tab_names_fields_and_values_in_words(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    dossier_id = station.register()
    move(station, dossier_id, ("in_istruttoria", date.today()), ("archiviata", date.today()))
    window = open_window(qtbot, station, "rossi", dossier_id)
    model = window.audit_tab.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    cells = {text for row in model.rows for text in row}
    for code in ("held_sui_days", "runs", "sui", "presentata", "Id", "none", "NO_LAVORO"):
        assert code not in cells, code
    fields = model.column_texts(model.headers.index("Campo"))
    assert "Giorni presso lo Sportello Unico" in fields
    assert "Presentata" in cells and "Archiviata" in cells and "decorre" in cells


def test_defect3_the_header_says_the_applicant_holds_the_file_not_nobody(
    qtbot: QtBot, station: Station
) -> None:
    dossier_id = station.register()
    move(
        station,
        dossier_id,
        ("in_istruttoria", date.today()),
        ("integrazione_richiesta", date.today()),
    )
    window = open_window(qtbot, station, "rossi", dossier_id)
    qtbot.waitUntil(lambda: window.header.holder.text() != "", timeout=10_000)
    assert window.header.holder.text() == "il richiedente"


def test_defect3_numbers_are_written_the_italian_way() -> None:
    from reports.stats_pdf import change_text, figure_text

    assert italian_number(238.8) == "238,8"
    assert italian_number(1234.56) == "1.234,6"
    assert figure_text("clearance_rate", 0.87) == "87\u00a0%"
    assert figure_text("within_term_pct", 37.86) == "37,9\u00a0%"
    assert figure_text("turnaround.mean", 145.96) == "146"
    assert change_text("clearance_rate", 0.88, 0.85) == "+3 punti"
    assert change_text("within_term_pct", 37.0, 36.0) == "+1 punto"
    assert change_text("filed", 61310, 61757) == "-447"


def test_defect3_the_printed_list_and_worklist_show_type_labels(station: Station) -> None:
    from models.read.filters import DossierFilter
    from reports.list_export import collect

    station.register()
    with station.database.unit_of_work("rossi") as uow:
        export = collect(
            uow,
            DossierFilter(),
            datetime.now(),
            "filed_on",
            True,
            "Pratiche",
            "",
        )
    row = export.rows[0]
    assert "Lavoro subordinato" in row and "NO_LAVORO" not in row and "LO-SUI" in row


# -- 4. who must act and what comes next --------------------------------------------------------


def test_defect4_the_header_says_what_the_dossier_waits_for_against_the_parere_target(
    qtbot: QtBot, station: Station
) -> None:
    dossier_id = registered_long_ago(station)
    asked = day(-26)
    move(station, dossier_id, ("in_istruttoria", day(-30)), ("parere_richiesto", asked))
    window = open_window(qtbot, station, "rossi", dossier_id)
    qtbot.waitUntil(lambda: window.header.waiting.text() != "", timeout=10_000)
    # The target is the installation's 30 days; 26 have passed since the request.
    assert window.header.waiting.text() == (
        f"In attesa del parere della Questura dal {text(asked)} — obiettivo 30 gg, mancano 4 gg"
    )
    assert window.header.holder.text() == "Questura (LO-QUESTURA)"


def test_defect4_a_late_parere_is_marked_by_a_sign_not_only_by_colour(
    qtbot: QtBot, station: Station
) -> None:
    dossier_id = registered_long_ago(station)
    asked = day(-33)
    move(station, dossier_id, ("in_istruttoria", day(-34)), ("parere_richiesto", asked))
    window = open_window(qtbot, station, "bianchi", dossier_id)
    qtbot.waitUntil(lambda: window.header.waiting.text() != "", timeout=10_000)
    assert window.header.waiting.text().startswith("⚠ In attesa del parere della Questura")
    assert window.header.waiting.text().endswith("obiettivo 30 gg, superato di 3 gg")


def test_defect4_action_buttons_are_verbs(qtbot: QtBot, station: Station) -> None:
    dossier_id = station.register()
    window = open_window(qtbot, station, "rossi", dossier_id)
    qtbot.waitUntil(lambda: bool(window.actions_bar.texts()), timeout=10_000)
    assert window.actions_bar.texts() == ["Avvia istruttoria…", "Archivia…"]
    assert window.header.waiting.text() == "Da avviare: l'istruttoria non è ancora iniziata"
    move(station, dossier_id, ("in_istruttoria", date.today()))
    later = open_window(qtbot, station, "rossi", dossier_id)
    qtbot.waitUntil(lambda: "Richiedi parere…" in later.actions_bar.texts(), timeout=10_000)
    assert later.header.waiting.text() == f"In istruttoria dal {text(date.today())}"


def test_defect4_the_questura_queue_shows_how_long_each_parere_has_waited(
    qtbot: QtBot, station: Station, italian: None
) -> None:
    dossier_id = registered_long_ago(station)
    asked = day(-26)
    move(station, dossier_id, ("in_istruttoria", day(-30)), ("parere_richiesto", asked))
    window = MainWindow(station.context("bianchi"))
    qtbot.addWidget(window)
    window.show()
    window.navigation.setCurrentRow(1)  # Da lavorare
    model, table = window.dossiers.model, window.dossiers.table
    waiting = model.columnCount() - 1

    def cell() -> Any:
        return model.data(model.index(0, waiting)) if model.rowCount() == 1 else None

    qtbot.waitUntil(lambda: cell() == "26 gg / 30", timeout=10_000)
    assert model.headerData(waiting, Qt.Orientation.Horizontal) == "In attesa da"
    assert not table.isColumnHidden(waiting)
    tip = model.data(model.index(0, waiting), Qt.ItemDataRole.ToolTipRole)
    assert tip == f"Parere chiesto il {text(asked)}: obiettivo 30 gg, mancano 4 gg"
    window.navigation.setCurrentRow(0)  # Pratiche: the queue's clock is not shown
    assert table.isColumnHidden(waiting)
