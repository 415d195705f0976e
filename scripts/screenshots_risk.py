"""Takes docs/screenshots/rischio.png: the dossier list sorted by breach risk.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_risk.py [--home DIR]

Uses the database in --home (creating 5,000 demo dossiers if it has none), the Italian
interface and a head's view (``verdi``), open dossiers only, riskiest first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import OUT, demo_home, settle  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--home", help="workstation folder with a demo database")
    args = parser.parse_args()
    home = demo_home(args.home, 5000)

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.config import resolve
    from desktop.wiring import open_database
    from ui.context import ChangeBus, UiContext
    from ui.i18n import install_translations
    from ui.login import load_operator
    from ui.main_window import MainWindow
    from ui.settings import open_settings
    from ui.tasks import TaskManager

    app = QApplication([])
    translators = install_translations(app, "it")
    database = open_database(resolve(home=str(home)))
    operator = load_operator(database, "verdi")
    assert operator is not None
    context = UiContext(
        TaskManager(database),
        operator,
        ChangeBus(),
        open_settings(home),
        f"SQLite {home / 'raccordo.sqlite3'}",
    )
    window = MainWindow(context)
    window.resize(1600, 620)
    window.show()
    settle(app)
    model = window.dossiers.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "risk")
    window.dossiers.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    settle(app, 4)
    table = window.dossiers.table
    for _ in range(20):  # down to where the risks are no longer certain
        row = next(
            (
                r
                for r in range(model.rowCount())
                if (model._risks.get(model.id_at(r) or "") or 1) < 0.9
            ),
            None,
        )
        if row is not None:
            table.scrollTo(model.index(max(row - 3, 0), 1), table.ScrollHint.PositionAtTop)
            settle(app, 2)
            break
        table.verticalScrollBar().setValue(table.verticalScrollBar().value() + 20)
        settle(app, 1)
    bar = window.dossiers.table.horizontalScrollBar()
    bar.setValue(bar.maximum())  # the Rischio column, at the right
    settle(app, 1)
    window.grab().save(str(OUT / "rischio.png"))
    context.tasks.shutdown()
    del translators
    print(OUT / "rischio.png")


if __name__ == "__main__":
    main()
