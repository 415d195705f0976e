"""Starts the workstation window: translations, login, demo offer, screenshot mode."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from desktop.config import Workstation
from ui.context import ChangeBus, Operator, UiContext
from ui.first_page import after_first_page
from ui.i18n import install_translations, wanted_language
from ui.i18n import tr as _tr
from ui.main_window import MainWindow
from ui.settings import open_settings
from ui.tasks import Job, TaskManager

if TYPE_CHECKING:
    from desktop.settings import Settings
    from models.uow import Database
    from ui.workplace import Workplace

DEMO_DOSSIERS = 2000
# Imported on the worker once the first page is painted, so that the GUI thread finds them
# loaded: the table's and the search's services, the workplace (sync, connection dialog).
PRELOADED = (
    "models.services.lookup",
    "models.services.queries",
    "models.services.table",
    "ui.login",
    "ui.workplace",
)
SCREENSHOT_TIMEOUT_MS = 60_000
GIL_SWITCH_S = 0.0005


def _is_empty(database: Database) -> bool:
    from sqlalchemy import func, select

    from models.dossiers import Dossier

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
        print(f"first paint: {elapsed:.0f} ms", flush=True)  # the benchmark reads it now
        self.app.exit(0)

    def _give_up(self) -> None:
        if not self.done:
            print("error: the table was not painted in time", file=sys.stderr)
            self.app.exit(1)


def light_start(
    workstation: Workstation,
    site: Settings,
    candidates: list[str | None],
    interactive: bool,
) -> Operator | None:
    """Who works, read through the driver alone (``models.read``), so that the first
    screen needs neither SQLAlchemy nor the mapped classes; None when the full start is
    needed: a server or its replica, no database yet, an older schema, or nobody known
    without asking."""
    if not workstation.is_embedded or workstation.is_replica:
        return None
    if site.get("server.url") and site.get("server.user"):
        return None
    from models.read.connection import open_reader
    from models.read.staff import active_staff, active_usernames

    reader = open_reader(workstation.db_url)
    if reader is None:
        return None
    with reader:
        found = next((f for name in candidates if name and (f := active_staff(reader, name))), None)
        if found is None and not interactive:  # as ``choose_operator``
            names = active_usernames(reader)
            fallback = "admin" if "admin" in names else (names[0] if names else None)
            found = active_staff(reader, fallback) if fallback else None
    if found is None:
        return None
    return Operator(
        found.username,
        found.full_name,
        found.role,
        found.office_code,
        found.office_kind,
        found.restricted_access,
    )


def _load_the_rest(tasks: TaskManager) -> None:
    """On the worker, after the first paint: open the database (SQLAlchemy, the mapped
    classes) and import what the window's services and the workplace need."""
    from importlib import import_module

    tasks.database  # noqa: B018 - opens it
    for module in PRELOADED:
        import_module(module)


def run(
    workstation: Workstation,
    username: str | None,
    screenshot: Path | None,
    language: str | None,
    started: float,
) -> int:
    # The worker gets the interpreter back after each row the driver steps through; with
    # the default 5 ms switch interval a first page of 200 ids took a second while the GUI
    # thread was building the window.
    sys.setswitchinterval(GIL_SWITCH_S)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Raccordo")
    app.setOrganizationName("Raccordo")
    from desktop.settings import load as load_settings

    # --lang, then RACCORDO_LANG, then the settings' ui.lang, then the system's language.
    site = load_settings(workstation.home)
    language = language or os.environ.get("RACCORDO_LANG") or site.get("ui.lang")
    translators = install_translations(app, wanted_language(language))
    settings = open_settings(workstation.home)
    interactive = screenshot is None
    remembered = str(settings.value("login/user", "")) or None
    candidates = [username, os.environ.get("RACCORDO_USER"), remembered]
    operator = light_start(workstation, site, candidates, interactive)
    connection = None

    def open_database() -> Database:
        from desktop.wiring import open_database

        return open_database(workstation)

    if operator is not None:
        tasks = TaskManager(open_database, light_url=workstation.db_url)
        label = f"SQLite {workstation.db_url.removeprefix('sqlite:///')}"
    else:
        from ui.login import choose_operator, load_operator
        from ui.sync_backend import RealBackend
        from ui.workplace import embedded, open_connection, replica_label

        connection = open_connection(workstation.home, RealBackend(), interactive)
        from desktop.wiring import open_database as open_embedded

        database = connection.replica if connection else open_embedded(embedded(workstation))
        if connection is not None:  # on a server the login role is the person
            operator = load_operator(database, connection.info.user)
        else:
            operator = choose_operator(database, candidates, interactive)
        if operator is None:
            print("errore: nessun utente", file=sys.stderr)
            return 1
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
    settings.setValue("login/user", operator.username)
    context = UiContext(tasks, operator, ChangeBus(), settings, label, workstation.home)
    window = MainWindow(context)
    window.show()
    places: list[Workplace] = []

    def start_the_rest() -> None:
        from ui.workplace import Workplace

        places.append(Workplace(window, workstation, connection))
        if interactive and connection is None:  # never push demo dossiers to a server
            tasks.run(
                lambda _job: _is_empty(tasks.database),
                lambda empty: offer_demo(window, context) if empty else None,
            )

    def load_the_rest() -> None:
        tasks.run(lambda _job: _load_the_rest(tasks), lambda _none: start_the_rest())

    if tasks.light_url is None:
        start_the_rest()
    else:  # the ORM loads on the worker after the first paint, then the rest starts
        after_first_page(window, load_the_rest)
    taker = ScreenshotTaker(app, window, screenshot, started) if screenshot else None
    code = app.exec()
    if places:  # the window in use now, which *Collega al server…* may have replaced
        places[0].close()
    else:
        window.save_state()
        tasks.shutdown()
    del taker, translators
    return code
