"""Takes the pictures of *Stampa lettere…* (docs/giornata-tipo.md) from a demo database:
the dialog refusing a blank time, the summary beside the preview, a page of the PDF.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_letters.py [--home DIR]

Uses the database in --home (creating 3,000 demo dossiers if it has none) and the
Italian interface, at 1366×768. The PDF page needs ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget
from screenshots import OUT, demo_home, settle  # scripts/ is sys.path[0] here
from screenshots_clerk_day import open_window

from desktop.config import resolve
from desktop.wiring import open_database
from ui.i18n import install_translations
from ui.main_window import MainWindow

SEARCH = "Dumitrescu"


def over(window: MainWindow, *dialogs: QWidget) -> QPixmap:
    """The window's picture with ``dialogs`` drawn where they stand."""
    picture = window.grab()
    painter = QPainter(picture)
    for dialog in dialogs:
        painter.drawPixmap(dialog.geometry().topLeft() - window.geometry().topLeft(), dialog.grab())
    painter.end()
    return picture


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="workstation folder with a demo database")
    args = parser.parse_args()
    home = demo_home(args.home, 3000)
    app = QApplication([])
    translators = install_translations(app, "it")
    database = open_database(resolve(home=str(home)))
    OUT.mkdir(parents=True, exist_ok=True)
    (home / "raccordo-gui.ini").unlink(missing_ok=True)
    window = open_window(database, home, "rossi")
    settle(app, 3)
    # A search, then every dossier it finds: three of them are closed.
    window.dossiers.search.setText(SEARCH)
    window.dossiers.apply_filters()
    settle(app, 2)
    window.dossiers.table.setFocus()
    window.dossiers.table.selectAll()
    settle(app)

    letters = window.bulk_letters
    letters.ask()
    settle(app, 0.5)
    dialog = letters.dialog
    assert dialog is not None
    from ui.letters_dialog import LettersDialog

    assert isinstance(dialog, LettersDialog)
    dialog.form.setCurrentIndex(dialog.form.findData("convocazione"))
    dialog.date.setText("15/12/2026")
    dialog.interval.setValue(15)
    dialog.ok.click()  # no time: refused under its field
    settle(app, 0.5)
    dialog.move(window.geometry().center() - dialog.rect().center())
    settle(app, 0.5)
    over(window, dialog).save(str(OUT / "stampa-lettere-dialogo.png"))
    print("docs/screenshots/stampa-lettere-dialogo.png")

    dialog.time.setText("9:00")
    dialog.ok.click()
    for _ in range(60):
        settle(app, 0.5)
        if letters.summary is not None:
            break
    preview, summary = letters.preview, letters.summary
    assert preview is not None and summary is not None and letters.batch is not None
    preview.resize(700, 740)
    preview.move(window.geometry().topLeft())
    summary.resize(640, 300)
    summary.move(
        window.geometry().topLeft() + (window.rect().bottomRight() - summary.rect().bottomRight())
    )
    settle(app, 1.5)
    over(window, preview, summary).save(str(OUT / "stampa-lettere-riepilogo.png"))
    print("docs/screenshots/stampa-lettere-riepilogo.png")

    pdf = letters.batch.pdf
    assert pdf is not None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lettere.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "2",
                "-l",
                "2",
                "-singlefile",
                str(path),
                str(OUT / "stampa-lettere-pagina"),
            ],
            check=True,
        )
    print("docs/screenshots/stampa-lettere-pagina.png")
    for widget in (preview, summary):
        widget.close()
    window.close()
    window.context.tasks.shutdown()
    del translators


if __name__ == "__main__":
    main()
