"""*File → Collega al server…*: the dialog, the password at start, switching windows.

A fake of ``desktop.connection`` + ``sync.engine`` (tests/gui_sync_fakes.py) stands in
for the server.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.config import resolve
from models.errors import DomainError, ValidationError
from models.services.changes import Changes
from models.uow import Database
from tests.gui_support import make_context
from tests.gui_sync_fakes import INFO, FakeBackend, FakeConflicts, Italian
from ui.connection_dialog import ConnectionDialog, PasswordDialog, ask_password, server_url
from ui.main_window import MainWindow
from ui.workplace import Workplace, open_connection

PASSWORD = "Tr0ppo-segreta"


@pytest.fixture(autouse=True)
def italian(qapp: QApplication) -> Iterator[None]:
    installed = Italian(qapp)
    yield
    installed.remove()


@pytest.fixture
def backend(database: Database, monkeypatch: pytest.MonkeyPatch) -> FakeBackend:
    # Every window built in these tests lists its conflicts from a fake service.
    monkeypatch.setattr("ui.conflicts_page.default_service", lambda: FakeConflicts([]))
    return FakeBackend(database)


@pytest.fixture
def dialog(backend: FakeBackend, tmp_path: Path, qtbot: QtBot) -> ConnectionDialog:
    dialog = ConnectionDialog(backend, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(qtbot: QtBot, dialog: ConnectionDialog, url: str, user: str, password: str) -> None:
    for field, text in ((dialog.url, url), (dialog.user, user), (dialog.password, password)):
        field.clear()
        qtbot.keyClicks(field, text)


def test_addresses_are_checked_before_anything_is_sent() -> None:
    assert server_url("postgresql://db.lan/raccordo", "rossi") == (
        "postgresql://rossi@db.lan/raccordo"
    )
    assert server_url(" postgresql://rossi@db.lan:5433/raccordo ", "") == (
        "postgresql://rossi@db.lan:5433/raccordo"
    )
    for url, user, field in (
        ("db.lan/raccordo", "rossi", "url"),
        ("postgresql://rossi:segreta@db.lan/raccordo", "rossi", "url"),
        ("postgresql://db.lan/raccordo", "", "user"),
        ("postgresql://bianchi@db.lan/raccordo", "rossi", "user"),
    ):
        with pytest.raises(ValidationError) as refused:
            server_url(url, user)
        assert list(refused.value.errors) == [field]


def test_the_dialog_reports_what_is_wrong_in_italian(
    dialog: ConnectionDialog, backend: FakeBackend, qtbot: QtBot
) -> None:
    assert dialog.windowTitle() == "Collega al server"
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    fill(qtbot, dialog, "db.lan/raccordo", "rossi", PASSWORD)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == (
        "Scrivere l'indirizzo del server nella forma postgresql://UTENTE@HOST[:PORTA]/DATABASE."
    )
    fill(qtbot, dialog, "postgresql://rossi:x@db.lan/raccordo", "rossi", PASSWORD)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert "Non scrivere la password nell'indirizzo" in dialog.message.text()
    fill(qtbot, dialog, "postgresql://db.lan/raccordo", "", PASSWORD)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Scrivere il nome utente assegnato dall'amministratore."
    assert dialog.user.hasFocus()
    assert backend.connected_with == []
    assert dialog.isVisible()


def test_a_refusal_from_the_server_is_shown_without_the_password(
    dialog: ConnectionDialog, backend: FakeBackend, qtbot: QtBot
) -> None:
    backend.connect_error = DomainError(
        f"autenticazione non riuscita per l'utente «rossi» (password {PASSWORD})"
    )
    fill(qtbot, dialog, "postgresql://rossi@db.lan/raccordo", "", PASSWORD)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "autenticazione" in dialog.message.text(), timeout=20_000)
    assert dialog.message.text() == (
        "autenticazione non riuscita per l'utente «rossi» (password •••)"
    )
    assert dialog.connect_button.isEnabled() and dialog.url.isEnabled()
    assert backend.connected_with == [("postgresql://rossi@db.lan/raccordo", PASSWORD)]


def test_connecting_runs_off_the_gui_thread_and_shows_the_download(
    dialog: ConnectionDialog, backend: FakeBackend, qtbot: QtBot
) -> None:
    backend.gate = threading.Event()
    qtbot.keyClicks(dialog.url, "postgresql://rossi@db.lan:5433/raccordo")
    assert dialog.user.text() == "rossi"  # taken from the address as it is typed
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.connected, timeout=20_000) as connected:
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        # The window keeps answering while the server is slow.
        assert not dialog.url.isEnabled() and dialog.progress.isVisible()
        assert dialog.message.text() == "Verifica del server e scaricamento della replica…"
        qtbot.wait(100)
        backend.gate.set()
    result = connected.args[0]
    assert result.info.url == "postgresql://rossi@db.lan:5433/raccordo"
    assert result.password == PASSWORD
    assert dialog.message.text() == (
        "Scaricamento della replica: segnalazioni (20 righe), 1.020 righe in tutto"
    )
    assert dialog.password.text() == ""
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_without_a_keyring_the_dialog_says_so(
    backend: FakeBackend, tmp_path: Path, qtbot: QtBot
) -> None:
    backend.has_keyring = False
    dialog = ConnectionDialog(backend, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.keyring_notice.text() == (
        "Questo computer non ha un portachiavi di sistema: la password non verrà salvata e "
        "Raccordo la chiederà a ogni avvio."
    )


def test_the_start_prompt_masks_the_password_and_says_why(qtbot: QtBot) -> None:
    def typed(dialog: PasswordDialog) -> int:
        qtbot.addWidget(dialog)
        assert dialog.password.echoMode() == dialog.password.EchoMode.Password
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        assert "Password per postgresql://rossi@db.lan:5432/raccordo:" in texts
        assert any(t.startswith("Questo computer non ha un portachiavi") for t in texts)
        dialog.password.setText(PASSWORD)
        return 1

    assert ask_password("postgresql://rossi@db.lan:5432/raccordo", True, None, typed) == PASSWORD
    assert ask_password("postgresql://rossi@db.lan:5432/raccordo", True, None, lambda d: 0) is None


def test_at_start_the_password_is_asked_only_when_no_keyring_keeps_it(
    backend: FakeBackend, tmp_path: Path
) -> None:
    asked: list[tuple[str, bool]] = []

    def ask(server: str, missing: bool) -> str:
        asked.append((server, missing))
        return PASSWORD

    assert open_connection(tmp_path, backend, True, ask) is None  # not connected: embedded
    backend.stored, backend.stored_password = INFO, PASSWORD
    kept = open_connection(tmp_path, backend, True, ask)
    assert kept is not None and kept.password == PASSWORD and asked == []
    backend.has_keyring = False
    typed = open_connection(tmp_path, backend, True, ask)
    assert typed is not None and typed.password == PASSWORD
    assert asked == [("postgresql://rossi@db.prefettura.lan:5432/raccordo", True)]


def test_connecting_switches_the_window_to_the_replica_and_back(
    database: Database, backend: FakeBackend, tmp_path: Path, qtbot: QtBot
) -> None:
    context = make_context(database, tmp_path, "rossi")
    first = MainWindow(context)
    first.show()
    questions: list[str] = []

    def confirm(_parent: object, _title: str, question: str) -> bool:
        questions.append(question)
        return True

    workplace = Workplace(first, resolve(home=str(tmp_path)), None, backend, confirm)
    assert not first.disconnect_action.isEnabled()
    dialog = workplace.ask_connect()
    fill(qtbot, dialog, "postgresql://rossi@db.lan/raccordo", "rossi", PASSWORD)
    with qtbot.waitSignal(workplace.switched, timeout=20_000):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    replica = workplace.window
    assert replica is not first and replica.isVisible() and not first.isVisible()
    assert replica.database_label.text() == ("Database: replica di db.lan/raccordo")
    assert replica.disconnect_action.isEnabled()
    qtbot.waitUntil(lambda: replica.sync_label.text().startswith("In linea"), timeout=20_000)
    titles = [replica.navigation.item(r) for r in range(replica.navigation.count())]
    assert any(i.text().startswith("Conflitti") and not i.isHidden() for i in titles)
    for path in tmp_path.rglob("*"):  # the password never reaches a file
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path

    backend.sync_engine.outbox = 2  # saved here, not yet on the server
    with qtbot.waitSignal(workplace.switched, timeout=20_000):
        replica.disconnect_action.trigger()
    assert backend.disconnected and backend.discarded
    assert questions[0].startswith(
        "Scollegare la postazione da postgresql://rossi@db.lan:5432/raccordo?"
    )
    assert questions[0].endswith(
        "2 modifiche non ancora inviate al server: restano solo in questa replica e non "
        "arriveranno al server."
    )
    embedded = workplace.window
    assert embedded.sync_label.text() == "Database locale (senza sincronizzazione)"
    assert not embedded.disconnect_action.isEnabled()
    assert backend.sync_engine.closed
    workplace.close()


def test_a_refused_reconnection_leaves_the_replica_syncing(
    database: Database, backend: FakeBackend, tmp_path: Path, qtbot: QtBot
) -> None:
    backend.stored, backend.stored_password = INFO, PASSWORD
    connection = open_connection(tmp_path, backend, False)
    window = MainWindow(make_context(database, tmp_path, "rossi"))
    window.show()
    workplace = Workplace(window, resolve(home=str(tmp_path)), connection, backend)
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("In linea"), timeout=20_000)
    dialog = workplace.ask_connect()
    assert dialog.url.text() == INFO.url and dialog.user.text() == "rossi"
    backend.connect_error = DomainError("la copia locale ha 1 modifiche non ancora inviate")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "non ancora inviate" in dialog.message.text(), timeout=20_000)
    assert workplace.window is window and workplace.sync is not None
    syncs = backend.sync_engine.syncs
    window.context.bus.publish(Changes())  # a local commit: still pushed
    qtbot.waitUntil(lambda: backend.sync_engine.syncs > syncs, timeout=20_000)
    dialog.close()
    workplace.close()
