"""Building a window's context for GUI tests: a workstation with its users, Italian.

A plugin (``tests/conftest.py``): its fixtures (``database``, ``italian``) serve every
test. A test module picks its station's users with ``station_with``:

    station = station_with("rossi", "verdi")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication

from desktop.config import resolve
from desktop.wiring import open_database
from models.services.admin import add_user
from models.services.registration import register_dossier
from models.uow import Database
from ui.context import ChangeBus, UiContext
from ui.i18n import install_translations
from ui.login import load_operator
from ui.settings import open_settings
from ui.tasks import TaskManager

# The people of the GUI tests: office, role, clearance for restricted dossiers, name.
USERS = {
    "rossi": ("LO-SUI", "sui_clerk", False, "Mario Rossi"),
    "gialli": ("LO-SUI", "sui_clerk", False, "Ada Gialli"),
    "verdi": ("LO-SUI", "head", True, "Luca Verdi"),
    "bianchi": ("LO-QUESTURA", "questura_officer", False, "Anna Bianchi"),
    "neri": ("LO-QUESTURA", "questura_officer", True, "Sara Neri"),
}

PERSON = {
    "surname": "Țurcanu",
    "given_names": "Ștefan",
    "birth_date": "04/03/1990",
    "nationality": "ROU",
    "passport": "057123456",
    "employer_name": "Cascina Bassiana srl",
    "employer_fiscal_code": "00743110157",
    "employer_pec": "cascina.bassiana@pec.it",
}


def _add_users(database: Database, usernames: tuple[str, ...]) -> None:
    with database.unit_of_work("admin", write=True) as uow:
        for username in usernames:
            office, role, restricted, name = USERS[username]
            add_user(uow, username, office, role, restricted, name)
        uow.commit()


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = open_database(resolve(home=str(tmp_path)))
    _add_users(database, ("rossi", "bianchi"))
    return database


def make_context(database: Database, home: Path, username: str) -> UiContext:
    operator = load_operator(database, username)
    assert operator is not None
    return UiContext(TaskManager(database), operator, ChangeBus(), open_settings(home), "test")


@dataclass
class Station:
    """What the workstations of the test share: one database and its worker."""

    database: Database
    tasks: TaskManager
    settings: QSettings

    def context(self, username: str) -> UiContext:
        operator = load_operator(self.database, username)
        assert operator is not None
        return UiContext(self.tasks, operator, ChangeBus(), self.settings, "SQLite (test)")

    def register(self, user: str = "rossi", type_code: str = "NO_LAVORO", **fields: Any) -> str:
        values = {**PERSON, "quota_assigned_on": self.today_text(), **fields}
        with self.database.unit_of_work(user, write=True) as uow:
            registered = register_dossier(uow, type_code, values)
            uow.commit()
        return registered.dossier_id.hex

    @staticmethod
    def today_text() -> str:
        return date.today().strftime("%d/%m/%Y")


@contextmanager
def open_station(home: Path, *usernames: str) -> Iterator[Station]:
    """A new embedded archive in ``home`` with these users (``USERS``) and its worker."""
    database = open_database(resolve(home=str(home)))
    _add_users(database, usernames)
    tasks = TaskManager(database)
    try:
        yield Station(database, tasks, open_settings(home))
    finally:
        tasks.shutdown()
        database.engine.dispose()


def station_with(*usernames: str) -> Callable[..., Iterator[Station]]:
    """The module's ``station`` fixture: a new station with these users for each test."""

    @pytest.fixture(name="station")
    def station(tmp_path: Path, qapp: QApplication) -> Iterator[Station]:
        with open_station(tmp_path, *usernames) as opened:
            yield opened

    return station


@pytest.fixture
def italian(qapp: QApplication) -> Iterator[None]:
    """The interface in Italian (Qt's own dialogs too), as the offices run it."""
    locale = QLocale()
    translators = install_translations(qapp, "it")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)
