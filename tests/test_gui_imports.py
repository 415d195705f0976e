"""The inbox in the GUI: arrivals noticed, the *Importazioni* view, the documents tab."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from tests.inbox_helpers import (
    MULLER,
    STEFAN,
    claim_and_process,
    make_processor,
    pdf_bytes,
    write_list,
)
from ui.context import UiContext
from ui.imports_page import ImportsPage
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_site_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RACCORDO_SITE_CONFIG", str(tmp_path / "no-site.ini"))


def test_files_dropped_in_the_inbox_are_imported_and_noticed(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    (tmp_path / "raccordo.ini").write_text(
        f"[inbox]\ndir = {inbox}\nstable_seconds = 0.1\nrescan_seconds = 0.2\n", "utf-8"
    )
    base = make_context(database, tmp_path, "rossi")
    context = UiContext(base.tasks, base.operator, base.bus, base.settings, "test", tmp_path)
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert window.inbox is not None
    label = window.findChild(QLabel, "inboxLastScan")
    qtbot.waitUntil(lambda: "never" not in window.imports.watch_label.text(), timeout=10_000)
    assert "last successful scan: " in window.imports.watch_label.text()
    write_list(inbox, "elenco.csv", [STEFAN, MULLER])
    qtbot.waitUntil(lambda: "elenco.csv" in window.statusBar().currentMessage(), timeout=15_000)
    assert "2 new" in window.statusBar().currentMessage()
    assert (inbox / "importati" / "elenco.csv").is_file()
    assert label is not None and "last scan" in label.text()
    window.navigation.setCurrentRow([entry[0] for entry in window._entries].index("imports"))
    assert window.pages.currentWidget() is window.imports
    qtbot.waitUntil(lambda: window.imports.model.rowCount() == 1, timeout=10_000)
    assert window.imports.model.rows[0][1:4] == ["elenco.csv", "Application list", "Imported"]
    qtbot.waitUntil(lambda: window.dossiers.model.rowCount() == 2, timeout=10_000)
    window.close()
    base.tasks.shutdown()


def test_a_rejected_file_is_explained_and_retried(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    processor = make_processor(database, inbox)
    bad = {**MULLER, "codice_fiscale": "MLLJGN90C04Z112X"}
    claim_and_process(processor, write_list(inbox, "elenco.csv", [STEFAN, bad]))
    context = make_context(database, tmp_path, "rossi")
    page = ImportsPage(context)
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.rows[0][3] == "Rejected" and page.model.rows[0][7] == "1"
    page.table.selectRow(0)
    assert "riga 3, colonna 11 (codice_fiscale)" in page.detail.toPlainText()
    assert page.retry_button.isEnabled()
    write_list(inbox / "scartati", "elenco.csv", [STEFAN, MULLER])  # the clerk fixes it
    page.retry_button.click()
    qtbot.waitUntil(lambda: (inbox / "elenco.csv").is_file(), timeout=10_000)
    qtbot.waitUntil(lambda: page.model.rows[0][3] == "Rejected, put back", timeout=10_000)
    assert not page.retry_button.isEnabled()
    assert claim_and_process(processor, inbox / "elenco.csv").created == 2
    context.tasks.shutdown()


def test_the_documents_tab_lists_and_opens_scans(
    database: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dossier.window import DossierWindow

    dossier = register(database)
    processor = make_processor(database, tmp_path / "arrivo")
    scan = tmp_path / "arrivo" / "LO-SUI-2026-0000001__passaporto.pdf"
    scan.write_bytes(pdf_bytes("passaporto", 5000))
    claim_and_process(processor, scan)
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices,
        "openUrl",
        staticmethod(lambda url: opened.append(QUrl(url).toLocalFile()) or True),
    )
    context = make_context(database, tmp_path, "rossi")
    window = DossierWindow(context, dossier.dossier_id.hex)  # deletes itself on close
    tab = window.documents_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    window.tabs.setCurrentWidget(tab)
    assert tab.model.rows[0][:4] == [
        "LO-SUI-2026-0000001__passaporto.pdf",
        "",  # kind: only a page cut from a scanner batch has one
        "application/pdf",
        "5 KB",
    ]
    tab.open_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert Path(opened[0]).read_bytes() == pdf_bytes("passaporto", 5000)
    window.close()
    context.tasks.shutdown()


def test_a_scanner_batch_is_named_in_italian_prose(qapp: QApplication) -> None:
    from models.services.inbox import ImportKind, ImportRow, ImportStatus
    from sync.inbox.processor import Outcome
    from ui.i18n import install_translations
    from ui.imports_page import arrival_notice, import_cells

    translators = install_translations(qapp, "it")
    try:
        entry = ImportRow(
            id=uuid.uuid4(),
            file_name="scansione_0001.pdf",
            sha256="0" * 64,
            kind=ImportKind.BATCH,
            status=ImportStatus.IMPORTED,
            actor="rossi",
            workstation="pc-1",
            imported_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
            created=3,
            updated=0,
            unchanged=0,
            rejected=0,
            stored_path="",
            reason="",
            retried_at=None,
        )
        notice = arrival_notice(
            Outcome("scansione_0001.pdf", ImportStatus.IMPORTED, ImportKind.BATCH, None, 3)
        )
        kind = import_cells(entry)[2]
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert kind == "Lotto di scansione"  # not the register's word «lotto»
    assert notice == (
        "Arrivo: scansione_0001.pdf diviso in 3 documenti, ciascuno allegato alla sua pratica"
    )
