"""*Stampa lettere…* on the list's selection: the dialog asks the shared values and refuses
blanks, one PDF with a letter per allowed dossier, a summary that stays open, and each
printing recorded only on the dossiers whose letter was printed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from models.services import views
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.i18n import install_translations
from ui.letters_dialog import LettersDialog
from ui.main_window import MainWindow


def printed_on(database: Database, ref: str) -> list[str]:
    with database.unit_of_work("rossi") as uow:
        detail = views.dossier_detail(uow, ref, with_moves=False)
    return [event.note for event in detail.history if event.kind == "printed"]


def mnemonic(text: str) -> str | None:
    stripped = text.replace("&&", "")
    position = stripped.find("&")
    return stripped[position + 1].lower() if position >= 0 else None


def test_summons_for_the_selection_refuses_the_closed_one_and_records_the_others(
    database: Database, tmp_path: Path, qtbot: QtBot, italian: None
) -> None:
    refs = {
        name: register(database, surname=name).reference
        for name in ("Popescu", "Kowalski", "Nguyễn", "Diallo")
    }
    with database.unit_of_work("rossi", write=True) as uow:
        advance(uow, refs["Kowalski"], "archiviata", date(2026, 9, 10))
        uow.commit()
    context = make_context(database, tmp_path, "rossi")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=20_000)
    page.table.setFocus()
    page.table.selectAll()
    letters = window.bulk_letters
    assert letters.action.shortcut() == QKeySequence("Ctrl+Shift+L")
    qtbot.keyClick(
        page.table,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: letters.dialog is not None and letters.dialog.isVisible(), timeout=5000)
    dialog = letters.dialog
    assert isinstance(dialog, LettersDialog)
    assert dialog.intro.text().startswith("4 pratiche selezionate: una lettera per ciascuna")
    dialog.form.setCurrentIndex(dialog.form.findData("convocazione"))
    assert dialog.date.isVisibleTo(dialog)
    dialog.ok.click()  # nothing typed: refused under each field, the dialog stays
    assert dialog.isVisible()
    assert dialog.error_text("appuntamento_data") == (
        "manca la data dell'appuntamento (non ricavabile dalla pratica)"
    )
    assert dialog.error_text("appuntamento_ora").startswith("manca l'ora")
    dialog.date.setText("15/12/2026")
    dialog.time.setText("9.00")
    dialog.interval.setValue(15)
    dialog.ok.click()
    qtbot.waitUntil(lambda: letters.summary is not None, timeout=30_000)
    summary = letters.summary
    assert summary is not None and not summary.isModal()
    assert summary.headline.text() == "<b>3 lettere pronte, 1 rifiutata</b>"
    refused = summary.refusals.toPlainText()
    assert refused.startswith(f"{refs['Kowalski']} (Kowalski Ștefan): la pratica è chiusa")

    assert letters.preview is not None and letters.batch is not None
    assert letters.preview.document.pageCount() == 3
    assert letters.batch.pdf is not None
    pages = [
        " ".join(p.extract_text().split())
        for p in pypdf.PdfReader(BytesIO(letters.batch.pdf)).pages
    ]
    # One letter on each page, 15 minutes apart.
    assert len(pages) == 3
    for text, time in zip(pages, ("09:00", "09:15", "09:30"), strict=True):
        assert f"il giorno 15/12/2026 alle ore {time}" in text and "Pagina 1 di 1" in text
    names = ["Popescu", "Nguyễn", "Diallo"]
    assert sorted(next(n for n in names if n in text) for text in pages) == sorted(names)
    assert all(printed_on(database, ref) == [] for ref in refs.values())

    letters.preview.on_printed()  # as after the print dialog was accepted
    qtbot.waitUntil(lambda: "stampate" in summary.headline.text(), timeout=30_000)
    assert summary.headline.text() == "<b>3 lettere stampate, 1 rifiutata</b>"
    assert summary.text().startswith("Convocazione: 3 lettere stampate, 1 rifiutata.\nRifiutate:")
    for name in ("Popescu", "Nguyễn", "Diallo"):
        assert printed_on(database, refs[name]) == ["stampato: convocazione"]
    assert printed_on(database, refs["Kowalski"]) == []
    context.tasks.shutdown()


@pytest.mark.parametrize("language", ["it", "en"])
def test_each_menu_reaches_the_letters_with_its_own_alt_letter(
    database: Database, tmp_path: Path, qtbot: QtBot, qapp: QApplication, language: str
) -> None:
    translators = install_translations(qapp, language)
    try:
        context = make_context(database, tmp_path, "rossi")
        window = MainWindow(context)
        qtbot.addWidget(window)
        letters = window.bulk_letters
        print_menu = next(
            a.menu()
            for top in window.menuBar().actions()
            if isinstance(top.menu(), QMenu)
            for a in top.menu().actions()  # type: ignore[union-attr]
            if isinstance(a.menu(), QMenu)
            and any(b.objectName() == "printLettersMenu" for b in a.menu().actions())  # type: ignore[union-attr]
        )
        menus = [window.bulk_actions.menu, print_menu, letters.context_menu()]
        for menu in menus:
            titles = [a.text() for a in menu.actions() if not a.isSeparator()]
            found = [m for m in map(mnemonic, titles) if m]
            assert len(found) == len(titles) == len(set(found)), titles
        if language == "it":
            assert "&Stampa lettere…" in [a.text() for a in window.bulk_actions.menu.actions()]
        context.tasks.shutdown()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_the_dialog_fits_a_small_screen_and_is_used_from_the_keyboard(
    qtbot: QtBot, italian: None
) -> None:
    dialog = LettersDialog(500, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.focusWidget() is dialog.form or dialog.form.hasFocus()
    dialog.form.setCurrentIndex(dialog.form.findData("convocazione"))
    dialog.adjustSize()
    assert dialog.width() <= 1366 and dialog.height() <= 768 - 80
    order = []
    widget = dialog.form
    for _ in range(6):
        order.append(widget.objectName())
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisibleTo(
            dialog
        ):
            widget = widget.nextInFocusChain()
    assert order[:4] == ["letterKind", "appuntamento_data", "appuntamento_ora", "intervallo"]
    dialog.form.setCurrentIndex(dialog.form.findData("ricevuta"))
    assert not dialog.date.isVisibleTo(dialog)
    assert dialog.values() == {} and dialog.minutes() == 0


def test_letters_of_the_other_office_are_refused_each_in_the_summary(
    database: Database, tmp_path: Path, qtbot: QtBot, italian: None
) -> None:
    """A Questura officer's receipts for the SUI's dossiers: each refused, naming whose
    letter it is; no file, nothing recorded (docs/domain-rules.md)."""
    refs = [register(database, surname=name).reference for name in ("Popescu", "Diallo")]
    context = make_context(database, tmp_path, "bianchi")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    page.table.setFocus()
    page.table.selectAll()
    letters = window.bulk_letters
    letters.ask()
    qtbot.waitUntil(lambda: letters.dialog is not None and letters.dialog.isVisible(), timeout=5000)
    dialog = letters.dialog
    assert isinstance(dialog, LettersDialog)
    dialog.form.setCurrentIndex(dialog.form.findData("ricevuta"))
    dialog.ok.click()
    qtbot.waitUntil(lambda: letters.summary is not None, timeout=30_000)
    summary = letters.summary
    assert summary is not None
    assert summary.headline.text() == "<b>0 lettere pronte, 2 rifiutate</b>"
    reason = "la ricevuta è dello Sportello Unico: la stampa un suo operatore"
    lines = summary.refusals.toPlainText().splitlines()
    assert sorted(lines) == sorted(
        [f"{refs[0]} (Popescu Ștefan): {reason}", f"{refs[1]} (Diallo Ștefan): {reason}"]
    )
    assert letters.preview is None
    assert all(printed_on(database, ref) == [] for ref in refs)
    context.tasks.shutdown()
