"""The window the person works in — on the embedded database or on a server's replica —
and the sync thread behind it. *Collega al server…* and *Scollega* replace the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.config import DB_FILE, Workstation
from models.errors import DomainError
from models.uow import Database
from sync.link import ConnectionInfo
from ui.connection_dialog import Connected, ConnectionDialog, ask_password
from ui.context import ChangeBus, Operator, UiContext
from ui.i18n import tr as _tr
from ui.i18n import tr_n as _trn
from ui.main_window import MainWindow
from ui.sync_backend import RealBackend, SyncBackend
from ui.sync_link import SyncLink
from ui.sync_worker import SyncThread
from ui.tasks import TaskManager


@dataclass(frozen=True)
class ActiveConnection:
    info: ConnectionInfo
    password: str | None  # None: the server asks none, or the person chose to work offline
    replica: Database


def replica_label(info: ConnectionInfo) -> str:
    """Short, for the status bar: the user is named beside it, the full address in the
    sync label's tooltip."""
    port = "" if info.port == 5432 else f":{info.port}"
    return _tr("replica of {0}").format(f"{info.host}{port}/{info.database}")


def embedded(workstation: Workstation) -> Workstation:
    """The workstation's own SQLite database, also when its settings name a server."""
    if not workstation.is_replica:
        return workstation
    from models.db import normalise_url

    return Workstation(workstation.home, normalise_url(str(workstation.home / DB_FILE)))


def open_connection(
    home: Path,
    backend: SyncBackend,
    interactive: bool,
    ask: Callable[[str, bool], str | None] = ask_password,
) -> ActiveConnection | None:
    """The configured server's replica at start, asking the password when no keyring can
    keep it; None on an embedded workstation."""
    info = backend.load_connection(home)
    if info is None:
        return None
    try:
        replica = backend.open_replica(home)
    except DomainError as error:  # no replica (deleted, never downloaded): embedded
        if interactive:
            QMessageBox.warning(None, _tr("Connect to the server"), str(error))
        return None
    password = backend.password_for(info)
    if password is None and interactive and not backend.keyring_available():
        password = ask(info.url, True)
    return ActiveConnection(info, password, replica)


@dataclass(frozen=True)
class _Result:
    value: Any  # wrapped: never a bare None through a queued Signal(object)


class _Once(QThread):
    """Runs one function off the GUI thread (opening a database, the keyring)."""

    done = Signal(object)  # _Result
    failed = Signal(object)  # the exception

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:
            self.failed.emit(error)
        else:
            self.done.emit(_Result(result))


class Workplace(QObject):
    switched = Signal(object)  # the new MainWindow

    def __init__(
        self,
        window: MainWindow,
        workstation: Workstation,
        connection: ActiveConnection | None,
        backend: SyncBackend | None = None,
        confirm: Callable[[QWidget, str, str], bool] | None = None,
    ) -> None:
        super().__init__()
        self.window = window
        self.workstation = workstation
        self.backend: SyncBackend = backend or RealBackend()
        self.connection = connection
        self.confirm = confirm or _ask_yes_no
        self.sync: SyncThread | None = None
        self._retired: list[SyncThread] = []  # told to stop, maybe finishing a sync
        self.link: SyncLink | None = None
        self._once: _Once | None = None
        self._wire(window)
        if connection is not None:
            self._start_sync(connection)

    @property
    def home(self) -> Path:
        return self.workstation.home

    def _wire(self, window: MainWindow) -> None:
        window.connectRequested.connect(self.ask_connect)
        window.disconnectRequested.connect(self.ask_disconnect)
        window.disconnect_action.setEnabled(self.connection is not None)

    # -- sync -------------------------------------------------------------------

    def _start_sync(self, connection: ActiveConnection) -> None:
        backend, info, password = self.backend, connection.info, connection.password
        replica: list[Database] = []

        def engine() -> Any:
            # Its own Database (engine, pool) on the replica, opened on the sync thread.
            replica.append(backend.open_replica(self.home))
            return backend.engine(replica[-1], info, password)

        def dispose() -> None:
            for database in replica:
                database.engine.dispose()

        thread = SyncThread(engine, password)
        thread.finished.connect(dispose)
        self.link = SyncLink(self.window, thread, info.url)
        self.sync = thread
        thread.start()

    def _stop_sync(self) -> None:
        """Without waiting: a sync under way may take seconds on a slow network."""
        if self.link is not None:
            self.link.detach()
            self.link = None
        if self.sync is not None:
            thread, self.sync = self.sync, None
            thread.request_stop()
            # Kept referenced until finished: a QThread collected while it runs aborts.
            self._retired = [t for t in self._retired if not t.isFinished()] + [thread]

    def join_sync(self) -> None:
        """Blocks until every stopped sync thread has let go of the replica (call it off
        the GUI thread, before the replica's files change)."""
        for thread in tuple(self._retired):
            thread.wait()

    # -- connect ------------------------------------------------------------------

    def ask_connect(self) -> ConnectionDialog:
        info = self.connection.info if self.connection else None
        dialog = ConnectionDialog(
            self.backend,
            self.home,
            self.window,
            url=info.url if info else "",
            user=info.user if info else "",
            before=self.join_sync,
        )
        dialog.connecting.connect(self._release_replica)
        dialog.refused.connect(self._resume_sync)
        dialog.connected.connect(self._connected)
        dialog.open()
        return dialog

    def _release_replica(self) -> None:
        """A new download replaces the replica file: nothing may hold it meanwhile (the
        window's worker opens a new connection if it needs one)."""
        self._stop_sync()
        if self.connection is not None:
            self.window.context.tasks.database.engine.dispose()

    def _resume_sync(self, *_args: object) -> None:
        if self.connection is not None and self.sync is None:
            self._start_sync(self.connection)

    def _connected(self, connected: Connected) -> None:
        home, backend, info = self.home, self.backend, connected.info

        def work() -> tuple[ActiveConnection, Operator | None]:
            from ui.login import load_operator

            replica = backend.open_replica(home)
            return ActiveConnection(info, connected.password, replica), load_operator(
                replica, info.user
            )

        self._off_thread(work, self._switch_to_replica, self._resume_sync)

    def _switch_to_replica(self, result: tuple[ActiveConnection, Operator | None]) -> None:
        connection, operator = result
        if operator is None:
            QMessageBox.warning(
                self.window,
                _tr("Connect to the server"),
                _tr("The server has no staff member {0}: ask the administrator.").format(
                    connection.info.user
                ),
            )
            return
        self._switch(connection.replica, operator, replica_label(connection.info), connection)

    # -- disconnect -----------------------------------------------------------------

    def ask_disconnect(self) -> None:
        """Counts what the server has not received yet, then asks before forgetting it."""
        if self.connection is None or self._once is not None:
            return
        self._stop_sync()
        backend, home = self.backend, self.home
        self._off_thread(lambda: backend.queued_changes(home), self._confirm_disconnect)

    def _confirm_disconnect(self, queued: int) -> None:
        assert self.connection is not None
        question = _tr(
            "Disconnect this workstation from {0}? Raccordo goes back to the local database "
            "and deletes the replica."
        ).format(self.connection.info.url)
        if queued:
            question += "\n\n" + _trn(
                "%n change(s) not sent to the server yet: they stay in this replica only "
                "and will not reach the server.",
                "",
                queued,
            )
        if not self.confirm(self.window, _tr("Disconnect"), question):
            self._resume_sync()
            return
        # The replica's files go: first every connection to them.
        self.window.context.tasks.shutdown()
        self.window.context.tasks.database.engine.dispose()
        backend, home, workstation = self.backend, self.home, embedded(self.workstation)
        username = self.window.context.operator.username

        def work() -> tuple[Database, Operator | None]:
            from desktop.wiring import open_database
            from ui.login import load_operator

            self.join_sync()
            backend.disconnect(home, queued > 0)
            database = open_database(workstation)
            return database, load_operator(database, username)

        self._off_thread(work, self._switch_to_embedded, self._reopen_replica)

    def _switch_to_embedded(self, result: tuple[Database, Operator | None]) -> None:
        database, operator = result
        if operator is None:  # the server's user is not in the local database: as at start
            from ui.login import choose_operator

            operator = choose_operator(database, [], True)
        if operator is None:  # nobody chosen: Raccordo ends, as when nobody logs in at start
            QMessageBox.warning(self.window, _tr("Disconnect"), _tr("No user in the database."))
            QApplication.quit()
            return
        self.workstation = embedded(self.workstation)
        self._switch(database, operator, f"SQLite {database.engine.url.database}", None)

    def _reopen_replica(self, *_args: object) -> None:
        """The disconnection failed after the window let go of the replica: a fresh window."""
        if self.connection is not None:
            self._connected(Connected(self.connection.info, self.connection.password))

    # -- switching windows ------------------------------------------------------------

    def _off_thread(
        self,
        work: Callable[[], Any],
        then: Callable[[Any], None],
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        job = _Once(work)
        job.done.connect(lambda result: self._finished(then, result.value))
        job.failed.connect(lambda error: self._failed(error, otherwise))
        self._once = job
        job.start()

    def _finished(self, then: Callable[[Any], None], value: Any) -> None:
        self._join()
        then(value)

    def _failed(self, error: BaseException, otherwise: Callable[[], None] | None) -> None:
        self._join()
        QMessageBox.warning(self.window, _tr("Raccordo"), str(error))
        if otherwise is not None:
            otherwise()

    def _join(self) -> None:
        if self._once is not None:
            self._once.wait()
            self._once = None

    def _switch(
        self,
        database: Database,
        operator: Operator,
        label: str,
        connection: ActiveConnection | None,
    ) -> None:
        """A new window on ``database``; the old one saves its layout and closes."""
        self._stop_sync()
        old = self.window
        old.save_state()
        context = UiContext(
            TaskManager(database), operator, ChangeBus(), old.context.settings, label, self.home
        )
        context.settings.setValue("login/user", operator.username)
        window = MainWindow(context)
        self.window, self.connection = window, connection
        self._wire(window)
        window.show()
        old.close()
        old.context.tasks.shutdown()
        old.context.tasks.database.engine.dispose()
        old.deleteLater()
        if connection is not None:
            self._start_sync(connection)
        self.switched.emit(window)

    def close(self) -> None:
        """At exit: stop syncing, keep the layout, let the database worker finish."""
        self._stop_sync()
        self.join_sync()
        self._join()
        self.window.save_state()
        self.window.context.tasks.shutdown()


def _ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes
