"""The workstation window in step with a server: sync thread, status bar, *Conflitti*.

A fake engine with the documented API stands in for ``sync.engine.SyncEngine``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from models.services.changes import Changed, Changes
from models.services.flags import raise_flag
from models.uow import Database, UnitOfWork
from tests.factories import register
from tests.gui_support import make_context
from tests.gui_sync_fakes import FakeConflicts, FakeEngine, FakeResult, Italian, conflict
from ui import sync_worker
from ui.actions import run_use_case
from ui.main_window import MainWindow
from ui.sync_link import SyncLink
from ui.sync_worker import SyncThread

TODAY = date.today()
SERVER = "postgresql://rossi@db.prefettura.lan:5432/raccordo"


@pytest.fixture
def italian(qapp: QApplication) -> Iterator[None]:
    installed = Italian(qapp)
    yield
    installed.remove()


@pytest.fixture
def window(database: Database, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    context = make_context(database, tmp_path, "rossi")
    main = MainWindow(context)
    main.conflicts.service = FakeConflicts([])
    qtbot.addWidget(main)
    main.show()
    yield main
    context.tasks.shutdown()


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def start(window: MainWindow) -> Iterator[Callable[[Callable[[], FakeEngine]], SyncThread]]:
    """Starts a sync thread linked to the window; every one is stopped at the end."""
    started: list[SyncThread] = []

    def starting(factory: Callable[[], FakeEngine], secret: str | None = None) -> SyncThread:
        thread = SyncThread(factory, secret)
        SyncLink(window, thread, SERVER)
        thread.start()
        started.append(thread)
        return thread

    yield starting
    for thread in started:
        thread.stop()


@pytest.fixture
def syncing(start: Callable[..., SyncThread], engine: FakeEngine) -> SyncThread:
    return start(lambda: engine)


def nav_titles(window: MainWindow) -> list[str]:
    items = (window.navigation.item(r) for r in range(window.navigation.count()))
    return [item.text() for item in items if not item.isHidden()]


def test_the_thread_syncs_at_start_after_a_local_commit_and_when_woken(
    database: Database, window: MainWindow, engine: FakeEngine, syncing: SyncThread, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: engine.syncs == 1, timeout=20_000)
    ref = register(database, surname="Rossi", given_names="Anna").reference

    def use_case(uow: UnitOfWork) -> tuple[int, Changes]:
        return raise_flag(uow, ref, "altro", "Chiamare", False, TODAY)

    # A commit made in the window is pushed at once, long before the 10 s timer pull.
    run_use_case(window.context, window, use_case)
    qtbot.waitUntil(lambda: engine.syncs == 2, timeout=20_000)
    assert engine.wakes == 1  # the commit cut the wait on the server short
    engine.notify()  # the server's LISTEN/NOTIFY: another workstation changed something
    qtbot.waitUntil(lambda: engine.syncs == 3, timeout=20_000)
    assert window.sync_label.text().startswith("Online")  # no translator in this test


def test_status_bar_shows_offline_with_the_queue_and_recovers(
    window: MainWindow,
    engine: FakeEngine,
    italian: None,
    start: Callable[..., SyncThread],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    monkeypatch.setattr(sync_worker, "BACKOFF_SECONDS", (0.2,))
    engine.online, engine.outbox = False, 3
    start(lambda: engine)
    label = window.sync_label
    qtbot.waitUntil(lambda: "Non in linea" in label.text(), timeout=20_000)
    assert label.text() == (
        "Non in linea: server non raggiungibile · 3 modifiche in coda · mai sincronizzato"
    )
    assert label.toolTip() == (
        f"Server: {SERVER}\nUltimo errore: server non raggiungibile: connessione rifiutata"
    )
    syncs = engine.syncs
    qtbot.waitUntil(lambda: engine.syncs >= syncs + 2, timeout=20_000)  # keeps retrying
    engine.online = True  # the server is back: sync resumes by itself
    qtbot.waitUntil(lambda: label.text().startswith("In linea"), timeout=20_000)
    assert "in coda" not in label.text()
    assert "ultima sincronizzazione" in label.text()


def test_a_local_commit_while_offline_updates_the_queue_count(
    window: MainWindow,
    engine: FakeEngine,
    italian: None,
    start: Callable[..., SyncThread],
    qtbot: QtBot,
) -> None:
    engine.online, engine.outbox = False, 1
    start(lambda: engine)  # the real backoff (2 s) holds the next attempt
    qtbot.waitUntil(lambda: "1 modifica in coda" in window.sync_label.text(), timeout=20_000)
    engine.outbox = 2
    window.context.bus.publish(Changes.of(Changed.FLAGS))
    qtbot.waitUntil(lambda: "2 modifiche in coda" in window.sync_label.text(), timeout=20_000)
    assert engine.syncs == 1


def test_a_sync_the_server_refuses_is_shown_with_its_reason(
    window: MainWindow,
    engine: FakeEngine,
    italian: None,
    start: Callable[..., SyncThread],
    qtbot: QtBot,
) -> None:
    clock = (
        "l'orologio della postazione differisce da quello del server di 12 minuti: "
        "correggere data e ora"
    )
    engine.next_result = FakeResult(online=True, queued=1, error=clock)
    start(lambda: engine)
    label = window.sync_label
    qtbot.waitUntil(lambda: label.text().startswith("Sincronizzazione rifiutata"), timeout=20_000)
    assert label.text() == (
        "Sincronizzazione rifiutata: l'orologio della postazione differisce… · 1 modifica in coda"
    )
    assert label.toolTip().endswith("Ultimo errore: " + clock)


def test_an_engine_that_raises_is_shown_offline_without_the_password(
    window: MainWindow, italian: None, start: Callable[..., SyncThread], qtbot: QtBot
) -> None:
    def broken() -> FakeEngine:
        raise OSError('connection to "db" failed: password "s3greta" rejected')

    start(broken, "s3greta")
    qtbot.waitUntil(lambda: "Non in linea" in window.sync_label.text(), timeout=20_000)
    assert "s3greta" not in window.sync_label.text() + window.sync_label.toolTip()
    assert "server non raggiungibile" in window.sync_label.toolTip()


def test_pulled_changes_refresh_the_views_and_are_not_pushed_back(
    start: Callable[..., SyncThread],
    database: Database,
    window: MainWindow,
    engine: FakeEngine,
    qtbot: QtBot,
) -> None:
    start(lambda: engine)
    qtbot.waitUntil(lambda: engine.syncs == 1, timeout=20_000)
    qtbot.waitUntil(lambda: window.dossiers.model.rowCount() == 0, timeout=20_000)
    register(database, surname="Ouahbi", given_names="Karim")  # as a pull writes it
    engine.next_result = FakeResult(pulled=1, changes=Changes.of(Changed.DOSSIER))
    engine.notify()
    qtbot.waitUntil(lambda: window.dossiers.model.rowCount() == 1, timeout=20_000)
    qtbot.wait(400)
    assert engine.syncs == 2  # the refresh did not ask for another sync


CONFLICTS = [
    conflict(
        1,
        "LO-SUI/2026/0000007",
        "passport",
        "YA1234567",
        "YA7654321",
        datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    ),
    conflict(
        2,
        "LO-SUI/2026/0000009",
        None,
        [
            {
                "table": "dossiers",
                "row_id": "x",
                "action": "update",
                "changes": {"state": ["in_istruttoria", "definita_positiva"]},
            }
        ],
        None,
        datetime(2026, 12, 1, 10, 5, tzinfo=UTC),
        reason="passaggio non valido: la pratica è ora «sospesa» sul server",
    ),
]


def cells(window: MainWindow, row: int) -> list[str]:
    model = window.conflicts.model
    return [
        model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]


def test_conflicts_view_lists_both_values_and_resolves(
    italian: None,
    start: Callable[..., SyncThread],
    window: MainWindow,
    engine: FakeEngine,
    qtbot: QtBot,
) -> None:
    service = FakeConflicts(CONFLICTS)
    window.conflicts.service = service
    start(lambda: engine)
    qtbot.waitUntil(lambda: window.conflicts.model.rowCount() == 2, timeout=20_000)
    assert "Conflitti (2)" in nav_titles(window)
    assert [a.text() for a in window.actions() if a.isVisible() and a.text() == "Conflitti"]
    window.navigation.setCurrentRow(
        next(
            r
            for r in range(window.navigation.count())
            if window.navigation.item(r).data(Qt.ItemDataRole.UserRole) == "conflicts"
        )
    )
    assert window.pages.currentWidget() is window.conflicts
    assert cells(window, 0)[:5] == [
        "LO-SUI/2026/0000007",
        "Passaporto",
        "YA1234567",
        "YA7654321",
        CONFLICTS[0].created_at.astimezone().strftime("%d/%m/%Y %H:%M"),
    ]
    assert cells(window, 0)[5] == "da risolvere"
    refused = cells(window, 1)
    assert refused[1:4] == [
        "Modifica rifiutata",
        "stato: In istruttoria → Definita positivamente",
        "—",
    ]
    assert refused[5] == (
        "rifiutata dal server: passaggio non valido: la pratica è ora «sospesa» sul server"
    )
    assert window.conflicts.summary.text() == "2 conflitti da risolvere"

    page = window.conflicts
    assert not page.keep_local.isEnabled() and not page.keep_server.isEnabled()
    page.table.selectRow(1)  # a refused transition: only the server's state can stay
    assert not page.keep_local.isEnabled() and page.keep_server.isEnabled()
    assert page.hint.text() == (
        "LO-SUI/2026/0000009: il server ha rifiutato «stato: In istruttoria → Definita "
        "positivamente» (passaggio non valido: la pratica è ora «sospesa» sul server). La "
        "pratica mostra lo stato del server: rifare l'operazione se serve ancora, poi chiudere "
        "la voce con «Mantieni quello del server»."
    )
    page.table.selectRow(0)
    assert page.keep_local.text() == "&Mantieni il mio valore"
    assert page.keep_server.text() == "Mantieni quello del &server"
    syncs = engine.syncs
    qtbot.mouseClick(page.keep_local, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=20_000)
    assert service.resolved == [(1, "local")]
    assert page.summary.text() == "1 conflitto da risolvere"
    qtbot.waitUntil(lambda: engine.syncs > syncs, timeout=20_000)  # the choice is pushed
    page.table.selectRow(0)
    qtbot.mouseClick(page.keep_server, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.summary.text() == "Nessun conflitto", timeout=20_000)
    assert service.resolved == [(1, "local"), (2, "server")]
    page.show_resolved.setChecked(True)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    assert cells(window, 0)[5].startswith("risolto il ")


def test_new_conflicts_bring_a_notice_and_the_badge(
    italian: None,
    start: Callable[..., SyncThread],
    window: MainWindow,
    engine: FakeEngine,
    qtbot: QtBot,
) -> None:
    service = FakeConflicts([])
    window.conflicts.service = service
    start(lambda: engine)
    qtbot.waitUntil(lambda: engine.syncs == 1, timeout=20_000)
    service.rows = list(CONFLICTS)
    engine.next_result = FakeResult(conflicts=1, refused=1, changes=Changes.of(Changed.DOSSIER))
    engine.notify()
    qtbot.waitUntil(lambda: bool(window.statusBar().currentMessage()), timeout=20_000)
    assert window.statusBar().currentMessage() == (
        "1 nuovo conflitto, 1 modifica rifiutata dal server: vedere Conflitti (Ctrl+7)"
    )
    qtbot.waitUntil(lambda: window.conflicts.model.rowCount() == 2, timeout=20_000)
    assert "Conflitti (2)" in nav_titles(window)
    assert window.navigation.findItems("Conflitti (2)", Qt.MatchFlag.MatchExactly)[0].font().bold()


def test_the_conflicts_entry_is_hidden_on_an_embedded_workstation(
    italian: None, window: MainWindow
) -> None:
    assert not any(t.startswith("Conflitti") for t in nav_titles(window))
    assert [a.text() for a in window.actions() if a.isVisible() and "Conflitti" in a.text()] == []
    assert not window.disconnect_action.isEnabled()
