"""Takes the documentation screenshots in docs/screenshots/ from a demo database.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py [--home DIR]

Uses the database in --home (creating 20,000 demo dossiers if it has none) and the
Italian interface; run it under a real X server (Xvfb) so the pictures show what a
clerk sees.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def settle(app: object, seconds: float = 1.5) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def demo_home(chosen: str | None, dossiers: int) -> Path:
    """``chosen`` (or a new folder) with a demo database, and no saved window layout."""
    home = Path(chosen or tempfile.mkdtemp(prefix="raccordo-shots-"))
    if not (home / "raccordo.sqlite3").exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop",
                "--home",
                str(home),
                "demo",
                "--dossiers",
                str(dossiers),
            ],
            check=True,
            cwd=ROOT,
        )
    (home / "raccordo-gui.ini").unlink(missing_ok=True)
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="workstation folder with a demo database")
    args = parser.parse_args()
    home = demo_home(args.home, 20000)

    from datetime import date

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from desktop.config import resolve
    from desktop.wiring import open_database
    from models.services.queries import DossierFilter, list_dossiers
    from ui.context import ChangeBus, UiContext
    from ui.i18n import install_translations
    from ui.login import load_operator
    from ui.main_window import MainWindow
    from ui.new_dossier import NewDossierDialog
    from ui.settings import open_settings
    from ui.tasks import TaskManager

    app = QApplication([])
    translators = install_translations(app, "it")
    database = open_database(resolve(home=str(home)))
    OUT.mkdir(parents=True, exist_ok=True)
    shots = []
    for username, page, name in (
        ("rossi", 0, "main-window"),
        ("bianchi", 1, "da-lavorare"),
        ("rossi", 3, "scadenze"),
        ("verdi", 4, "statistiche"),
    ):
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
        window.navigation.setCurrentRow(page)
        settle(app)
        if name == "statistiche":
            today = date.today()
            window.statistics.start.setDate(QDate(today.year, 1, 1))
            window.statistics.compute()
            for _ in range(240):
                if window.statistics.computed is not None:
                    break
                settle(app, 0.5)
            settle(app)
        window.grab().save(str(OUT / f"{name}.png"))
        shots.append(name)
        if name == "main-window":
            with database.unit_of_work(username) as uow:
                spec = DossierFilter(with_open_flags=True, open_only=True, state="in_istruttoria")
                found = list_dossiers(uow, spec, limit=1)
            window.open_dossier(found[0].id.hex)
            settle(app)
            dossier = next(iter(window._dossier_windows.values()))
            dossier.resize(1180, 780)
            settle(app, 0.5)
            dossier.grab().save(str(OUT / "dossier-window.png"))
            dossier.printing.letter("frontespizio", found[0].id.hex)
            settle(app, 3)
            if dossier.printing.previews:
                preview = dossier.printing.previews[0]
                preview.resize(800, 1000)
                settle(app, 1)
                preview.grab().save(str(OUT / "print-preview.png"))
                shots.append("print-preview")
                preview.close()
            dialog = NewDossierDialog(context, window)
            dialog.show()
            settle(app)
            dialog.grab().save(str(OUT / "new-dossier.png"))
            shots += ["dossier-window", "new-dossier"]
            dialog.close()
            dossier.close()
        window.close()
        context.tasks.shutdown()
    from screenshots_sync import take as take_sync  # scripts/ is sys.path[0] here

    shots += take_sync(app, database, home)
    del translators
    print("saved:", ", ".join(f"docs/screenshots/{s}.png" for s in shots))


if __name__ == "__main__":
    main()
