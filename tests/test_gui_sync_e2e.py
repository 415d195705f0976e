"""Two workstation windows on one real PostgreSQL server (prepared as by ``raccordo server
init``): a dossier registered in the SUI's window appears in the Questura's by itself."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.config import resolve
from desktop.connection import connect
from models.services.registration import Registered, register_dossier
from models.uow import UnitOfWork
from tests.sync_support import PASSWORD, MemoryKeyring, SharedServer
from ui.actions import run_use_case
from ui.context import ChangeBus, UiContext
from ui.login import load_operator
from ui.main_window import MainWindow
from ui.settings import open_settings
from ui.sync_backend import RealBackend
from ui.tasks import TaskManager
from ui.workplace import Workplace, open_connection, replica_label

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]

PERSON = {
    "surname": "Ouahbi",
    "given_names": "Karim",
    "birth_date": "1991-05-17",
    "nationality": "MAR",
    "employer_name": "Cascina Bassiana srl",
    "employer_fiscal_code": "00743110157",
    "filed_on": "2026-11-20",
    "quota_assigned_on": "2026-11-21",
}


def open_workstation(server: SharedServer, user: str, home: Path) -> Workplace:
    """What ``raccordo gui`` does on a connected workstation."""
    connect(home, server.url(user), PASSWORD)
    connection = open_connection(home, RealBackend(), interactive=False)
    assert connection is not None and connection.password == PASSWORD  # from the keyring
    operator = load_operator(connection.replica, connection.info.user)
    assert operator is not None
    context = UiContext(
        TaskManager(connection.replica),
        operator,
        ChangeBus(),
        open_settings(home),
        replica_label(connection.info),
        home,
    )
    window = MainWindow(context)
    window.show()
    return Workplace(window, resolve(home=str(home)), connection)


def names(window: MainWindow) -> list[str]:
    model = window.dossiers.model
    for row in range(model.rowCount()):
        model.data(model.index(row, 1))  # fetch as painting would
    return [row.name for row in (model.cached_row(r) for r in range(model.rowCount())) if row]


@pytest.fixture
def offices(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, qtbot: QtBot
) -> Iterator[tuple[Workplace, Workplace]]:
    sui = open_workstation(shared, "rossi", tmp_path / "sui")
    questura = open_workstation(shared, "bianchi", tmp_path / "questura")
    yield sui, questura
    for workplace in (sui, questura):
        workplace.close()
        workplace.window.close()


def test_a_dossier_registered_at_the_sui_appears_in_the_questura_window(
    offices: tuple[Workplace, Workplace], tmp_path: Path, qtbot: QtBot
) -> None:
    sui, questura = offices
    for workplace in offices:
        label = workplace.window.sync_label
        qtbot.waitUntil(lambda label=label: label.text().startswith("Online"), timeout=10_000)
    assert names(questura.window) == []

    def register(uow: UnitOfWork) -> Registered:
        return register_dossier(uow, "NO_LAVORO", PERSON)

    started = time.monotonic()
    run_use_case(sui.window.context, sui.window, register)
    # Pushed at once after the commit; the server's NOTIFY wakes the other workstation.
    qtbot.waitUntil(lambda: names(questura.window) == ["Ouahbi Karim"], timeout=10_000)
    assert time.monotonic() - started < 2  # the bound; 0.5-0.9 s measured here
    model = questura.window.dossiers.model
    row = model.cached_row(0)
    assert row is not None and row.reference.startswith("LO-SUI/")  # the server's number
    # The SUI's own window swaps its provisional number for the server's.
    sui_model = sui.window.dossiers.model

    def sui_reference() -> str:
        names(sui.window)
        first = sui_model.cached_row(0)
        return first.reference if first else ""

    qtbot.waitUntil(lambda: sui_reference() == row.reference, timeout=10_000)
    assert "in coda" not in sui.window.sync_label.text()
    assert "queued" not in sui.window.sync_label.text()
    for path in tmp_path.rglob("*"):  # no password in any file of either workstation
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
