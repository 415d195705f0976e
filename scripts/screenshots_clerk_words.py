"""Pictures of issue 14's words and keys, from a demo database (Italian interface):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_clerk_words.py [--home DIR]

- pratica-in-attesa.png: a dossier the clerk has just sent for the parere, at 1366×768:
  who must act, what it waits for, the verbs, *Modifica → Annulla* with the time left;
- pratica-150.png: the same window on a 1366×768 screen at 150 % scaling;
- segnalazioni.png, nessun-risultato.png, aiuto.png: the pending items page with its
  columns and search, an empty search, the F1 help beside *Da lavorare*.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from screenshots import OUT, ROOT, demo_home, settle  # scripts/ is sys.path[0] here


def fresh_move(home: Path) -> str:
    """A dossier of rossi's just moved to *Parere richiesto* (undoable for 10 minutes)."""
    from desktop.config import resolve
    from desktop.wiring import open_database
    from models.services.queries import DossierFilter, list_dossiers
    from models.services.workflow import advance

    database = open_database(resolve(home=str(home)))
    with database.unit_of_work("rossi", write=True) as uow:
        found = list_dossiers(
            uow.session, uow.actor, DossierFilter(state="in_istruttoria"), uow.today, limit=1
        )
        advance(uow, found[0].id.hex, "parere_richiesto", uow.today, "documenti completi")
        uow.commit()
    database.engine.dispose()
    return found[0].id.hex


def dossier_picture(home: Path, dossier_id: str, name: str) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.dossier.window import DossierWindow
    from ui.i18n import install_translations

    app = QApplication.instance() or QApplication([])
    translators = install_translations(app, "it")  # type: ignore[arg-type]
    context = context_of(home, "rossi")
    window = DossierWindow(context, dossier_id)
    window.show()
    settle(app, 3)
    window.grab().save(str(OUT / f"{name}.png"))
    room = window.screen().availableGeometry()
    print(
        f"docs/screenshots/{name}.png: {window.width()}×{window.height()} in {room.width()}×"
        f"{room.height()}; {window.undo_action.text()}"
    )
    window.close()
    context.tasks.shutdown()
    del translators


def context_of(home: Path, username: str):  # type: ignore[no-untyped-def]
    from desktop.config import resolve
    from desktop.wiring import open_database
    from ui.context import ChangeBus, UiContext
    from ui.login import load_operator
    from ui.settings import open_settings
    from ui.tasks import TaskManager

    database = open_database(resolve(home=str(home)))
    operator = load_operator(database, username)
    assert operator is not None
    return UiContext(
        TaskManager(database), operator, ChangeBus(), open_settings(home), "SQLite (demo)"
    )


def main_window_pictures(home: Path) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from ui.help import HelpWindow
    from ui.i18n import install_translations
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    translators = install_translations(app, "it")  # type: ignore[arg-type]
    (home / "raccordo-gui.ini").unlink(missing_ok=True)
    context = context_of(home, "bianchi")
    window = MainWindow(context)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    settle(app)
    window.navigation.setCurrentRow(2)
    settle(app, 2)
    page = window._page("flags")
    page.search.setText("contratto")
    settle(app)
    window.grab().save(str(OUT / "segnalazioni.png"))
    window.navigation.setCurrentRow(0)
    window.dossiers.search.setText("Zzyzx")
    window.dossiers.apply_filters()
    settle(app, 2)
    window.grab().save(str(OUT / "nessun-risultato.png"))
    window.dossiers.clear_filters()
    window.navigation.setCurrentRow(1)
    settle(app, 2)
    window.navigation.setFocus()
    next(a for a in window.actions() if a.objectName() == "helpAction").trigger()  # F1
    settle(app)
    helper = window.findChild(HelpWindow)
    assert helper is not None
    helper.move(window.geometry().topLeft() + QPoint(820, 420))
    settle(app, 0.5)
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(helper.geometry().topLeft() - window.geometry().topLeft(), helper.grab())
    painter.end()
    picture.save(str(OUT / "aiuto.png"))
    for name in ("segnalazioni", "nessun-risultato", "aiuto"):
        print(f"docs/screenshots/{name}.png")
    window.close()
    context.tasks.shutdown()
    del translators


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="workstation folder with a demo database")
    parser.add_argument("--picture", nargs=2, metavar=("NAME", "DOSSIER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    home = demo_home(args.home, 3000)
    if args.picture:
        dossier_picture(home, args.picture[1], args.picture[0])
        return
    dossier_id = fresh_move(home)
    screens = Path(tempfile.mkdtemp()) / "screen.json"
    screens.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
                    | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
                ]
            }
        )
    )
    for name, scale in (("pratica-in-attesa", "1"), ("pratica-150", "1.5")):
        environment = os.environ | {
            "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",  # a 1366×768 screen
            "QT_SCALE_FACTOR": scale,
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run(
            [sys.executable, __file__, "--home", str(home), "--picture", name, dossier_id],
            env=environment,
            check=True,
        )
    main_window_pictures(home)


if __name__ == "__main__":
    main()
