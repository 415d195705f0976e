"""Starts the workstation window: translations, login, demo offer, screenshot mode."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog
from sqlalchemy import func, select

from desktop.config import Workstation
from models.dossiers import Dossier
from models.uow import Database
from ui.context import ChangeBus, UiContext
from ui.i18n import install_translations, wanted_language
from ui.i18n import tr as _tr
from ui.login import choose_operator, load_operator
from ui.main_window import MainWindow
from ui.settings import open_settings
from ui.tasks import Job, TaskManager

DEMO_DOSSIERS = 2000
SCREENSHOT_TIMEOUT_MS = 60_000


def _is_empty(database: Database) -> bool:
    with database.sessions() as session:
        return not session.scalar(select(func.count()).select_from(Dossier))


def offer_demo(window: MainWindow, context: UiContext) -> None:
    answer = QMessageBox.question(
        window,
        _tr("Empty database"),
        _tr("The database has no dossiers yet. Load {0} demo dossiers to try Raccordo?").format(
            DEMO_DOSSIERS
        ),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    progress = QProgressDialog(
        _tr("Creating demo dossiers…"), _tr("Cancel"), 0, DEMO_DOSSIERS, window
    )
    progress.setMinimumDuration(0)

    def work(job: Job) -> int:
        from desktop.demo import generate

        def report(done: int, total: int) -> None:
            if job.cancelled:  # the demo is one transaction: stopping adds nothing at all
                raise InterruptedError
            job.progress(done, total)

        return int(generate(context.tasks.database, DEMO_DOSSIERS, 1, progress=report))

    def done(_count: int) -> None:
        progress.close()
        window.refresh()

    def failed(error: BaseException) -> None:
        progress.close()
        QMessageBox.warning(window, _tr("Demo data"), str(error))

    job = context.tasks.run(work, done, failed, lambda count, _total: progress.setValue(count))
    progress.canceled.connect(job.cancel)


class ScreenshotTaker:
    """Waits for the first page of rows to be painted, saves a PNG, prints the time."""

    def __init__(self, app: QApplication, window: MainWindow, path: Path, started: float) -> None:
        self.app, self.window, self.path, self.started = app, window, path, started
        self.window.dossiers.model.pageArrived.connect(self._check)
        self.window.dossiers.model.loaded.connect(self._check)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, self._give_up)
        self.done = False

    def _check(self, *_args: object) -> None:
        model, table = self.window.dossiers.model, self.window.dossiers.table
        if self.done:
            return
        if model.rowCount() > 0:
            first = table.rowAt(0)
            last = table.rowAt(table.viewport().height() - 1)
            last = model.rowCount() - 1 if last < 0 else last
            if not model.visible_rows_loaded(max(first, 0), last):
                return
        QTimer.singleShot(0, self._shoot)

    def _shoot(self) -> None:
        if self.done:
            return
        self.window.dossiers.table.viewport().repaint()
        self.done = True
        elapsed = (time.perf_counter() - self.started) * 1000
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.window.grab().save(str(self.path))
        print(f"first paint: {elapsed:.0f} ms")
        self.app.exit(0)

    def _give_up(self) -> None:
        if not self.done:
            print("error: the table was not painted in time", file=sys.stderr)
            self.app.exit(1)


def run(
    workstation: Workstation,
    username: str | None,
    screenshot: Path | None,
    language: str | None,
    started: float,
) -> int:
    from desktop.wiring import open_database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Raccordo")
    app.setOrganizationName("Raccordo")
    from desktop.settings import load as load_settings

    # --lang, then RACCORDO_LANG, then the settings' ui.lang, then the system's language.
    site_language = load_settings(workstation.home).get("ui.lang")
    language = language or os.environ.get("RACCORDO_LANG") or site_language
    translators = install_translations(app, wanted_language(language))
    settings = open_settings(workstation.home)
    interactive = screenshot is None
    from ui.sync_backend import RealBackend
    from ui.workplace import Workplace, embedded, open_connection, replica_label

    connection = open_connection(workstation.home, RealBackend(), interactive)
    database = connection.replica if connection else open_database(embedded(workstation))
    if connection is not None:  # on a server the login role is the person
        operator = load_operator(database, connection.info.user)
    else:
        remembered = str(settings.value("login/user", "")) or None
        operator = choose_operator(
            database, [username, os.environ.get("RACCORDO_USER"), remembered], interactive
        )
    if operator is None:
        print("errore: nessun utente", file=sys.stderr)
        return 1
    settings.setValue("login/user", operator.username)
    tasks = TaskManager(database)
    label = (
        "SQLite"
        if workstation.is_embedded
        else database.engine.url.render_as_string(hide_password=True)
    )
    if workstation.is_embedded:
        label = f"SQLite {database.engine.url.database}"
    if connection is not None:
        label = replica_label(connection.info)
    context = UiContext(tasks, operator, ChangeBus(), settings, label, workstation.home)
    window = MainWindow(context)
    window.show()
    workplace = Workplace(window, workstation, connection)
    taker = ScreenshotTaker(app, window, screenshot, started) if screenshot else None
    if interactive and connection is None:  # never push demo dossiers to a server
        tasks.run(
            lambda _job: _is_empty(database),
            lambda empty: offer_demo(window, context) if empty else None,
        )
    code = app.exec()
    workplace.close()  # the window in use now, which *Collega al server…* may have replaced
    del taker, translators
    return code
