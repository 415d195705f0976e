"""Takes docs/screenshots/dossier-anomalie.png: a dossier whose history breaks the
suspension rules (an integrazione beyond 30 days, a second suspending item, a
preavviso di rigetto with the applicant's observations), on its History tab.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_clock.py

Builds its own small database in a temporary folder; the Italian interface.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "dossier-anomalie.png"
PERSON = {
    "surname": "Okafor",
    "given_names": "Chiamaka Grace",
    "birth_date": "12/05/1994",
    "nationality": "NGA",
    "sex": "F",
    "passport": "A07213456",
}


def settle(app: object, seconds: float = 1.5) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def build(home: Path) -> str:
    from desktop.config import resolve
    from desktop.wiring import open_database
    from models.services.admin import add_user
    from models.services.flags import raise_flag
    from models.services.observations import record_observations
    from models.services.registration import register_dossier
    from models.services.workflow import advance

    database = open_database(resolve(home=str(home)))
    today = date.today()

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    with database.unit_of_work("admin", write=True) as uow:
        add_user(uow, "rossi", "LO-SUI", "sui_clerk", False, "Mario Rossi")
        uow.commit()
    with database.unit_of_work("rossi", write=True) as uow:
        filed = ago(100).strftime("%d/%m/%Y")
        result = register_dossier(uow, "CONVERSIONE", {**PERSON, "filed_on": filed})
        ref = result.reference
        advance(uow, ref, "in_istruttoria", ago(98), "documenti completi")
        advance(uow, ref, "integrazione_richiesta", ago(95), "contratto di lavoro")
        advance(uow, ref, "in_istruttoria", ago(45), "contratto pervenuto")
        raise_flag(uow, ref, "documenti_mancanti", "Busta paga di marzo", True, ago(40))
        advance(uow, ref, "preavviso_rigetto", ago(20), "reddito insufficiente")
        record_observations(uow, ref, ago(15), "memoria del legale")
        uow.commit()
    database.engine.dispose()
    return result.dossier_id.hex


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="raccordo-clock-shot-"))
    dossier_id = build(home)

    from PySide6.QtWidgets import QApplication

    from desktop.config import resolve
    from desktop.wiring import open_database
    from ui.context import ChangeBus, UiContext
    from ui.dossier.window import DossierWindow
    from ui.i18n import install_translations
    from ui.login import load_operator
    from ui.settings import open_settings
    from ui.tasks import TaskManager

    app = QApplication([])
    translators = install_translations(app, "it")
    database = open_database(resolve(home=str(home)))
    operator = load_operator(database, "rossi")
    assert operator is not None
    tasks = TaskManager(database)
    context = UiContext(tasks, operator, ChangeBus(), open_settings(home), "SQLite")
    window = DossierWindow(context, dossier_id)
    window.resize(1280, 780)
    window.show()
    settle(app)
    window.tabs.setCurrentWidget(window.history_tab)
    settle(app, 0.5)
    window.grab().save(str(OUT))
    window.close()
    tasks.shutdown()
    del translators
    print(f"saved: {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
