"""Takes the pictures of docs/giornata-tipo.md (a clerk's day) from a demo database.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_clerk_day.py [--home DIR]

Uses the database in --home (creating 3,000 demo dossiers if it has none) and the
Italian interface, at 1366×768.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QWidget
from screenshots import OUT, demo_home, settle  # scripts/ is sys.path[0] here

from desktop.config import resolve
from desktop.wiring import open_database
from models.uow import Database
from ui.context import ChangeBus, UiContext
from ui.i18n import install_translations
from ui.login import load_operator
from ui.main_window import MainWindow
from ui.settings import open_settings
from ui.tasks import TaskManager


def open_window(database: Database, home: Path, username: str) -> MainWindow:
    operator = load_operator(database, username)
    assert operator is not None
    context = UiContext(
        TaskManager(database),
        operator,
        ChangeBus(),
        open_settings(home),
        f"SQLite {home / 'raccordo.sqlite3'}",
    )
    window = MainWindow(context)
    window.resize(1366, 768)
    window.show()
    return window


def preview(app: QApplication, window: MainWindow) -> None:
    """*Da lavorare* with the preview of a dossier that has an open item."""
    window.navigation.setCurrentRow(1)
    window.dossiers.with_flags.setChecked(True)
    settle(app)
    window.dossiers.table.setFocus()
    window.dossiers.table.selectRow(0)
    settle(app)


def saved_views(app: QApplication, window: MainWindow) -> None:
    """The ready-made *Nuove da istruire* of an SUI clerk, and one of her own."""
    window.dossiers.overdue_only.setChecked(True)
    window.dossiers.office_filter.setCurrentIndex(window.dossiers.office_filter.findData("LO-SUI"))
    settle(app)
    window.saved_views.save("Scadute allo Sportello")
    window.navigation.setCurrentRow(window.saved_views.row_of("Nuove da istruire"))
    settle(app)
    window.dossiers.table.selectRow(0)
    settle(app)


def my_dossiers(app: QApplication, window: MainWindow) -> None:
    """Two dossiers taken from *Da lavorare*, then *Le mie pratiche*."""
    window.navigation.setCurrentRow(1)
    settle(app)
    for row in (0, 2):
        window.dossiers.table.selectRow(row)
        settle(app, 0.8)
        if window.dossiers.preview.take_button.text() == "Prendi in carico":
            window.dossiers.preview.take_button.click()
            settle(app, 0.8)
    window.navigation.setCurrentRow(window.saved_views.row_of("Le mie pratiche"))
    settle(app)
    window.dossiers.table.selectRow(0)
    settle(app)


def bulk(app: QApplication, window: MainWindow) -> QWidget:
    """Five dossiers of *Da lavorare* asked to move to *In istruttoria*: the summary."""
    from models.services.bulk_actions import move_to

    window.navigation.setCurrentRow(1)
    settle(app)
    table = window.dossiers.table
    for row in range(5):
        table.selectionModel().select(
            window.dossiers.model.index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )
    window.bulk_actions.run(move_to("in_istruttoria"), "In istruttoria")
    settle(app, 3)
    box = window.bulk_actions.summary_box
    assert box is not None
    box.move(window.geometry().center() - box.rect().center())
    settle(app, 0.5)
    return box


def export_pdf(app: QApplication, window: MainWindow) -> None:
    """*Scadenze* exported to PDF; its first page, drawn, replaces the window's picture."""
    window.navigation.setCurrentRow(3)
    settle(app)
    target = OUT / "esporta-elenco.pdf"
    window.list_export.export_to(target)
    settle(app, 4)


def notices(app: QApplication, window: MainWindow) -> QWidget:
    """The Questura raises an item and returns a parere: the status bar, then the list."""
    from models.services.flags import raise_flag
    from models.services.queries import DossierFilter, list_dossiers
    from models.services.workflow import record_parere

    settle(app)
    database = window.context.tasks.database
    with database.unit_of_work("bianchi", write=True) as uow:
        waiting = list_dossiers(uow, DossierFilter(state="parere_richiesto"), limit=2)
        raise_flag(
            uow,
            waiting[0].reference,
            "documenti_mancanti",
            "Manca il contratto di soggiorno",
            False,
            uow.today,
        )
        record_parere(uow, waiting[1].reference, "favorevole", "", uow.today)
        uow.commit()
    window.notifications.check()
    settle(app, 2)
    listing = window.notifications.list
    window.notifications.show_list()
    listing.move(window.geometry().topLeft() + QPoint(700, 380))
    settle(app, 0.5)
    return listing


SHOTS: dict[str, tuple[str, Callable[[QApplication, MainWindow], QWidget | None]]] = {
    "anteprima": ("rossi", preview),
    "ricerche-salvate": ("rossi", saved_views),
    "le-mie-pratiche": ("rossi", my_dossiers),
    "azioni-multiple": ("rossi", bulk),
    "esporta-elenco": ("rossi", export_pdf),
    "avvisi": ("rossi", notices),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="workstation folder with a demo database")
    parser.add_argument("only", nargs="*", help="names of the pictures to take (all if none)")
    args = parser.parse_args()
    home = demo_home(args.home, 3000)
    app = QApplication([])
    translators = install_translations(app, "it")
    database = open_database(resolve(home=str(home)))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (username, arrange) in SHOTS.items():
        if args.only and name not in args.only:
            continue
        (home / "raccordo-gui.ini").unlink(missing_ok=True)
        window = open_window(database, home, username)
        settle(app)
        extra = arrange(app, window)
        picture = window.grab()
        if extra is not None:  # a dialog over the window, where it stands
            painter = QPainter(picture)
            painter.drawPixmap(
                extra.geometry().topLeft() - window.geometry().topLeft(), extra.grab()
            )
            painter.end()
        exported = OUT / f"{name}.pdf"
        if exported.exists():  # the picture is the exported file's first page
            from PySide6.QtPdf import QPdfDocument

            pdf = QPdfDocument()
            pdf.load(str(exported))
            pdf.render(0, pdf.pagePointSize(0).toSize() * 1.6).save(str(OUT / f"{name}.png"))
            exported.unlink()
        else:
            picture.save(str(OUT / f"{name}.png"))
        print(f"docs/screenshots/{name}.png")
        window.close()
        window.context.tasks.shutdown()
    del translators


if __name__ == "__main__":
    main()
