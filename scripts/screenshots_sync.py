"""The shared-server screenshots: *Conflitti*, the connection dialog, the status bar offline.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_sync.py [--home DIR]

Also called by scripts/screenshots.py. Uses the demo database in --home (created with
2,000 dossiers if missing); the conflicts are written into its ``sync_conflicts`` table
for the picture and removed afterwards, and the status bar is fed the outcomes the sync
engine reports, so no server is needed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SERVER = ("rossi", "srv-raccordo.prefettura.lodi.it", 5432, "raccordo")


def settle(app: Any, seconds: float = 1.5) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def _add_conflicts(database: Any) -> list[int]:
    from sqlalchemy import select

    from models.dossiers import Dossier
    from models.sync_tables import SyncConflict

    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with database.sessions() as session:
        first, second, third = session.scalars(
            select(Dossier).where(Dossier.state == "in_istruttoria").limit(3)
        ).all()
        rows = [
            SyncConflict(
                kind="field",
                mutation_id="shot-1",
                table_name="dossiers",
                row_id=first.id.hex,
                field="passport",
                local_value=json.dumps("YA1234567"),
                server_value=json.dumps("YA7654321"),
                reason="campo modificato anche da un'altra postazione",
                created_at=now - timedelta(minutes=42),
            ),
            SyncConflict(
                kind="field",
                mutation_id="shot-2",
                table_name="dossiers",
                row_id=second.id.hex,
                field="employer_pec",
                local_value=json.dumps("amministrazione@pec.cascinabassiana.it"),
                server_value=json.dumps("cascina.bassiana@pec.it"),
                reason="campo modificato anche da un'altra postazione",
                created_at=now - timedelta(minutes=17),
            ),
            SyncConflict(
                kind="refused",
                mutation_id="shot-3",
                table_name="dossiers",
                row_id=third.id.hex,
                local_value=json.dumps(
                    [
                        {
                            "table": "dossiers",
                            "row_id": third.id.hex,
                            "action": "update",
                            "changes": {"state": ["in_istruttoria", "parere_richiesto"]},
                        }
                    ]
                ),
                reason="passaggio di stato non applicato: la pratica era già «convocata» sul "
                "server (la modifica partiva da «in_istruttoria»)",
                created_at=now - timedelta(minutes=5),
            ),
        ]
        session.add_all(rows)
        session.commit()
        return [row.id for row in rows]


def _remove_conflicts(database: Any, ids: list[int]) -> None:
    from sqlalchemy import delete

    from models.sync_tables import SyncConflict

    with database.sessions() as session:
        session.execute(delete(SyncConflict).where(SyncConflict.id.in_(ids)))
        session.commit()


def _row_top_below(window: Any, y: int) -> int:
    """The window's y of the first table row starting at or below ``y`` (a tidy crop)."""
    from PySide6.QtCore import QPoint

    table = window.dossiers.table
    for row in range(table.model().rowCount()):
        top = table.viewport().mapTo(window, QPoint(0, table.rowViewportPosition(row))).y()
        if top >= y:
            return int(top)
    return y


def take(app: Any, database: Any, home: Path) -> list[str]:
    """Saves the three pictures in docs/screenshots/; returns their names."""
    from PySide6.QtCore import Qt

    from models.services.changes import Changes
    from sync.engine import SyncResult
    from sync.link import ConnectionInfo
    from ui.conflicts_page import KEY as CONFLICTS_KEY
    from ui.connection_dialog import ConnectionDialog
    from ui.context import ChangeBus, UiContext
    from ui.login import load_operator
    from ui.main_window import MainWindow, set_conflicts_visible
    from ui.settings import open_settings
    from ui.sync_backend import RealBackend
    from ui.sync_status import SyncStatus
    from ui.tasks import TaskManager
    from ui.workplace import replica_label

    info = ConnectionInfo(*SERVER)
    operator = load_operator(database, "rossi")
    assert operator is not None
    context = UiContext(
        TaskManager(database), operator, ChangeBus(), open_settings(home), replica_label(info)
    )
    ids = _add_conflicts(database)
    window = MainWindow(context)
    try:
        window.resize(1366, 768)
        window.show()
        status = SyncStatus(window.sync_label, info.url, window)
        status.show_outcome(SyncResult(True, 4, 1, 2, 37, 0, Changes(), None))
        set_conflicts_visible(window, True)
        window.conflicts.reload()
        settle(app)
        navigation = window.navigation
        items = [navigation.item(r) for r in range(navigation.count())]
        keys = [item.data(Qt.ItemDataRole.UserRole) for item in items]
        navigation.setCurrentRow(keys.index(CONFLICTS_KEY))
        settle(app)
        window.conflicts.table.selectRow(0)
        settle(app, 0.5)
        window.grab().save(str(OUT / "conflitti.png"))

        dialog = ConnectionDialog(RealBackend(), home, window, url=info.url, user=info.user)
        dialog.password.setText("password di prova")
        dialog.show()
        settle(app, 0.5)
        dialog.grab().save(str(OUT / "connection-dialog.png"))
        dialog.close()

        window.navigation.setCurrentRow(0)
        offline = "server non raggiungibile: si lavora sulla copia locale"
        status.show_outcome(SyncResult(False, 0, 0, 0, 0, 3, Changes(), offline))
        settle(app)
        strip = window.grab()
        top = _row_top_below(window, strip.height() - 150)
        strip.copy(0, top, strip.width(), strip.height() - top).save(
            str(OUT / "status-offline.png")
        )
    finally:
        window.close()
        context.tasks.shutdown()
        _remove_conflicts(database, ids)
    return ["conflitti", "connection-dialog", "status-offline"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="workstation folder with a demo database")
    args = parser.parse_args()
    from screenshots import demo_home  # scripts/ is sys.path[0] here

    home = demo_home(args.home, 2000)

    from PySide6.QtWidgets import QApplication

    from desktop.config import resolve
    from desktop.wiring import open_database
    from ui.i18n import install_translations

    app = QApplication([])
    translators = install_translations(app, "it")
    OUT.mkdir(parents=True, exist_ok=True)
    shots = take(app, open_database(resolve(home=str(home))), home)
    del translators
    print("saved:", ", ".join(f"docs/screenshots/{s}.png" for s in shots))


if __name__ == "__main__":
    main()
