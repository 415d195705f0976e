"""*Stampa* from the windows: the real PDF is previewed, printing is recorded."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from models.services import views
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.dossier.window import DossierWindow
from ui.main_window import MainWindow
from ui.pdf_preview import PdfPreview

TODAY = date.today()


def history_kinds(database: Database, ref: str) -> list[str]:
    with database.unit_of_work("rossi") as uow:
        detail = views.dossier_detail(uow, ref, with_moves=False)
    return [event.kind for event in detail.history]


def test_a_letter_is_previewed_then_printing_is_recorded(
    database: Database,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    filed = (TODAY - timedelta(days=5)).isoformat()
    created = register(database, filed_on=filed, quota_assigned_on=filed)
    context = make_context(database, tmp_path, "rossi")
    window = DossierWindow(context, created.dossier_id.hex)
    qtbot.addWidget(window)
    window.show()
    action = window.findChild(object, "print-frontespizio")
    assert action is not None
    action.trigger()
    qtbot.waitUntil(lambda: bool(window.printing.previews), timeout=10000)
    preview: PdfPreview = window.printing.previews[0]
    assert preview.document.pageCount() == 1
    assert "Frontespizio" in preview.windowTitle()
    assert history_kinds(database, created.reference)[-1] == "registered"
    preview.on_printed()  # as after the print dialog was accepted
    qtbot.waitUntil(
        lambda: history_kinds(database, created.reference)[-1] == "printed", timeout=20_000
    )
    context.tasks.shutdown()


def test_a_letter_asks_for_what_the_dossier_does_not_hold(
    database: Database,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: object,
) -> None:
    from ui import printing

    created = register(database)
    context = make_context(database, tmp_path, "rossi")
    window = DossierWindow(context, created.dossier_id.hex)
    qtbot.addWidget(window)

    def answer(dialog: printing.ExtraFieldsDialog) -> int:
        assert set(dialog.editors) == {"appuntamento_data", "appuntamento_ora"}
        dialog.editors["appuntamento_data"].setText("15/12/2026")  # type: ignore[union-attr]
        dialog.editors["appuntamento_ora"].setText("10:30")  # type: ignore[union-attr]
        return int(printing.QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(printing.ExtraFieldsDialog, "exec", answer)  # type: ignore[attr-defined]
    window.printing.letter("convocazione", created.dossier_id.hex)
    qtbot.waitUntil(lambda: bool(window.printing.previews), timeout=10000)
    assert window.printing.previews[0].document.pageCount() >= 1
    context.tasks.shutdown()


def test_a_transmittal_slip_of_the_selected_dossiers(
    database: Database,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    refs = [register(database, surname=f"Popescu{i}").reference for i in range(3)]
    context = make_context(database, tmp_path, "rossi")
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.dossiers.model.rowCount() == 3, timeout=20_000)
    main.dossiers.table.selectAll()
    main.print_transmittal()
    qtbot.waitUntil(lambda: bool(main.printing.previews), timeout=10000)
    main.printing.previews[0].on_printed()
    qtbot.waitUntil(
        lambda: all(history_kinds(database, r)[-1] == "printed" for r in refs), timeout=20_000
    )
    context.tasks.shutdown()


def test_the_print_menu_greys_out_what_the_rule_refuses_and_says_why(
    database: Database,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    from models.services.workflow import advance

    filed = (TODAY - timedelta(days=5)).isoformat()
    created = register(database, filed_on=filed, quota_assigned_on=filed)
    ref = created.reference

    def opened(user: str) -> DossierWindow:
        window = DossierWindow(make_context(database, tmp_path, user), created.dossier_id.hex)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.snapshot is not None, timeout=10000)
        return window

    def entry(window: DossierWindow, form: str) -> tuple[bool, str, str]:
        action = window.findChild(QAction, f"print-{form}")
        assert action is not None
        return action.isEnabled(), action.toolTip(), action.statusTip()

    summons = "la convocazione è dello Sportello Unico: la stampa un suo operatore"
    officer = opened("bianchi")
    assert entry(officer, "convocazione") == (False, summons, summons)
    assert entry(officer, "ricevuta")[0] is False
    assert entry(officer, "esito-parere")[:2] == (
        False,
        f"nessun parere espresso sulla pratica {ref}",
    )
    assert entry(officer, "frontespizio")[0] is True
    menu = officer.findChild(QMenu, "printMenu")
    assert menu is not None and menu.menuAction().isEnabled()  # Alt+N still opens it
    assert menu.menuAction().text() == "Pri&nt"
    # The arrows stop on a greyed-out letter too: the status bar says why, Enter does nothing.
    summons_action = officer.findChild(QAction, "print-convocazione")
    triggered: list[bool] = []
    summons_action.triggered.connect(lambda _checked=False: triggered.append(True))
    menu.popup(officer.mapToGlobal(officer.rect().topLeft()))
    qtbot.waitExposed(menu)
    for _ in menu.actions():
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        if menu.activeAction() is summons_action:
            break
    assert menu.activeAction() is summons_action
    assert officer.statusBar().currentMessage() == summons
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert triggered == [] and not officer.printing.previews
    menu.hide()
    officer.context.tasks.shutdown()

    clerk = opened("rossi")
    assert entry(clerk, "convocazione")[0] is True
    assert entry(clerk, "esito-parere")[:2] == (
        False,
        "la comunicazione del parere è della Questura: la stampa un suo operatore",
    )
    with database.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "archiviata", TODAY)
        uow.commit()
    clerk.reload()  # as when the change bus names the dossier
    qtbot.waitUntil(lambda: not entry(clerk, "convocazione")[0], timeout=10000)
    assert "la pratica è chiusa" in entry(clerk, "convocazione")[1]
    assert entry(clerk, "frontespizio")[0] is True and entry(clerk, "ricevuta")[0] is True
    clerk.context.tasks.shutdown()
