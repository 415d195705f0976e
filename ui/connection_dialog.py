"""*File → Collega al server…*: server address, user and password; the first download.

The checks, the keyring and the first replica download run on a thread of their own;
the dialog only shows their progress and, in Italian, what went wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThread, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError, ValidationError
from sync.link import ConnectionInfo
from ui.i18n import tr as _tr
from ui.sync_backend import SyncBackend

# postgresql://USER@HOST[:PORT]/DB, the user optional (the User field supplies it).
URL_RE = re.compile(
    r"^postgres(?:ql)?://(?:(?P<user>[^@/:\s]+)(?P<secret>:[^@/\s]*)?@)?"
    r"(?P<host>[^@/:\s]+)(?::(?P<port>\d{1,5}))?/(?P<db>[^/?\s]+)$"
)
NOTICE_STYLE = "color: #8a5a00;"
ERROR_STYLE = "color: #b71c1c;"


def server_url(url: str, user: str) -> str:
    """The address to connect to, with the User field's name; refuses what is not one.

    Raises ``ValidationError`` keyed by ``url`` or ``user``, in Italian.
    """
    match = URL_RE.match(url.strip())
    if match is None:
        raise ValidationError(
            {"url": _tr("Write the server address as postgresql://USER@HOST[:PORT]/DATABASE.")}
        )
    if match["secret"] is not None:
        raise ValidationError(
            {"url": _tr("Do not put the password in the address: use the Password field.")}
        )
    name = user.strip() or (match["user"] or "")
    if not name:
        raise ValidationError({"user": _tr("Write the user name given by the administrator.")})
    if match["user"] and user.strip() and match["user"] != user.strip():
        raise ValidationError(
            {"user": _tr("The address names user {0}: write the same user.").format(match["user"])}
        )
    port = f":{match['port']}" if match["port"] else ""
    return f"postgresql://{name}@{match['host']}{port}/{match['db']}"


@dataclass(frozen=True)
class Connected:
    """What a successful connection hands to the window that replaces this one."""

    info: ConnectionInfo
    password: str | None


class _Connecting(QThread):
    """Checks the server, keeps the password in the keyring, downloads the replica."""

    progressed = Signal(str, int)  # table, its rows so far
    succeeded = Signal(object)  # Connected
    failed = Signal(str)

    def __init__(
        self,
        backend: SyncBackend,
        home: Path,
        url: str,
        password: str | None,
        before: Callable[[], None],
    ) -> None:
        super().__init__()
        self.backend, self.home, self.url, self.password = backend, home, url, password
        self.before = before

    def run(self) -> None:
        try:
            self.before()
            info = self.backend.connect(self.home, self.url, self.password, self.progressed.emit)
        except DomainError as error:
            self.failed.emit(self._scrub(_message(error)))
        except Exception as error:
            self.failed.emit(self._scrub(_tr("Connection failed: {0}").format(error)))
        else:
            self.succeeded.emit(Connected(info, self.password))

    def _scrub(self, text: str) -> str:
        return text.replace(self.password, "•••") if self.password else text


def _message(error: DomainError) -> str:
    if isinstance(error, ValidationError):
        return "\n".join(error.errors.values())
    return str(error)


class ConnectionDialog(QDialog):
    connecting = Signal()  # the work starts: a running sync must stop for the new replica
    connected = Signal(object)  # Connected
    refused = Signal(str)  # the Italian reason, also shown in the dialog

    def __init__(
        self,
        backend: SyncBackend,
        home: Path,
        parent: QWidget | None = None,
        url: str = "",
        user: str = "",
        before: Callable[[], None] = lambda: None,
    ) -> None:
        """``before`` runs on the connecting thread first (a sync still finishing)."""
        super().__init__(parent)
        self.backend, self.home, self._before = backend, home, before
        self._job: _Connecting | None = None
        self._done: dict[str, int] = {}
        self.setWindowTitle(_tr("Connect to the server"))
        self.setMinimumWidth(640)
        self.url = QLineEdit(url, placeholderText="postgresql://UTENTE@HOST[:PORTA]/DB")
        self.url.setObjectName("serverUrl")
        self.url.setCursorPosition(0)  # a long address shows its beginning
        self.user = QLineEdit(user)
        self.user.setObjectName("serverUser")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring_notice = QLabel()
        self.keyring_notice.setObjectName("keyringNotice")
        self.keyring_notice.setWordWrap(True)
        self.keyring_notice.setStyleSheet(NOTICE_STYLE)
        self.explanation = QLabel(
            _tr(
                "This workstation will keep a copy (replica) of the dossiers you may see and "
                "work on it even when the network is down; changes travel to the server as "
                "soon as it answers."
            )
        )
        self.explanation.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("connectProgress")
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("connectMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = QPushButton(_tr("&Connect"))
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(_tr("Server &address:"), self.url)
        form.addRow(_tr("&User:"), self.user)
        form.addRow(_tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.keyring_notice)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.url.textEdited.connect(self._url_edited)
        self._show_keyring()

    def _show_keyring(self) -> None:
        if self.backend.keyring_available():
            self.keyring_notice.setText(
                _tr("The password is kept in the system keyring, never in a file.")
            )
            self.keyring_notice.setStyleSheet("")
        else:
            self.keyring_notice.setText(
                _tr(
                    "This computer has no system keyring: the password will not be saved, "
                    "and Raccordo will ask for it at each start."
                )
            )

    def _url_edited(self, text: str) -> None:
        match = URL_RE.match(text.strip())
        if match and match["user"] and not self.user.isModified():
            self.user.setText(match["user"])

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.url, self.user, self.password, self.connect_button):
            widget.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        self.progress.setVisible(busy)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def start(self) -> None:
        try:
            url = server_url(self.url.text(), self.user.text())
        except ValidationError as error:
            self._error("\n".join(error.errors.values()))
            field = next(iter(error.errors))
            (self.user if field == "user" else self.url).setFocus()
            return
        self.message.setStyleSheet("")
        self.message.setText(_tr("Checking the server and downloading the replica…"))
        self.progress.setRange(0, 0)  # no total is known in advance: a busy bar
        self._set_busy(True)
        self._done = {}
        self.connecting.emit()
        job = _Connecting(self.backend, self.home, url, self.password.text() or None, self._before)
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._succeeded)
        job.failed.connect(self._failed)
        self._job = job
        app = QCoreApplication.instance()
        if app is not None:  # quitting meanwhile: a QThread destroyed running aborts
            app.aboutToQuit.connect(job.wait)
        job.start()

    def _progressed(self, table: str, rows: int) -> None:
        self._done[table] = rows
        self.message.setText(
            _tr("Downloading the replica: {0} ({1} rows), {2} rows in all").format(
                table_label(table), _thousands(rows), _thousands(sum(self._done.values()))
            )
        )

    def _succeeded(self, connected: Connected) -> None:
        self._finish_job()
        self.password.clear()
        self.connected.emit(connected)
        self.accept()

    def _failed(self, text: str) -> None:
        self._finish_job()
        self._set_busy(False)
        self._error(text)
        self.password.setFocus()
        self.refused.emit(text)

    def _finish_job(self) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None

    def reject(self) -> None:
        if self._job is None:  # a connection under way cannot be abandoned halfway
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._job is not None:
            event.ignore()
            return
        super().closeEvent(event)


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def table_label(table: str) -> str:
    """A synced table as the progress line names it."""
    labels = {
        "offices": _tr("offices"),
        "staff": _tr("staff"),
        "procedure_types": _tr("procedure types"),
        "workflow_states": _tr("workflow states"),
        "workflow_transitions": _tr("workflow transitions"),
        "term_rules": _tr("legal terms"),
        "dossiers": _tr("dossiers"),
        "dossier_events": _tr("dossier history"),
        "pareri": _tr("opinions"),
        "flags": _tr("pending items"),
    }
    return labels.get(table, table)


class PasswordDialog(QDialog):
    """Asked at start when the keyring keeps no password for this server."""

    def __init__(self, server: str, keyring_missing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Server password"))
        self.password = QLineEdit()
        self.password.setObjectName("startPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel(_tr("Password for {0}:").format(server))
        notice = QLabel(
            _tr(
                "This computer has no system keyring: Raccordo does not save the password "
                "and asks for it at each start."
            )
            if keyring_missing
            else _tr("The keyring holds no password for this server.")
        )
        notice.setWordWrap(True)
        notice.setStyleSheet(NOTICE_STYLE)
        offline = QLabel(_tr("Without it Raccordo opens the replica offline."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.password, notice, offline, buttons):
            layout.addWidget(widget)


def ask_password(
    server: str,
    keyring_missing: bool,
    parent: QWidget | None = None,
    run: Callable[[PasswordDialog], int] | None = None,
) -> str | None:
    """The password typed, or None when the person chose to work offline."""
    dialog = PasswordDialog(server, keyring_missing, parent)
    accepted = (run or (lambda d: d.exec()))(dialog)
    return dialog.password.text() if accepted and dialog.password.text() else None
