"""Building a window's context for GUI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.config import resolve
from desktop.wiring import open_database
from models.services.admin import add_user
from models.uow import Database
from ui.context import ChangeBus, UiContext
from ui.login import load_operator
from ui.settings import open_settings
from ui.tasks import TaskManager


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = open_database(resolve(home=str(tmp_path)))
    with database.unit_of_work("admin", write=True) as uow:
        add_user(uow, "rossi", "LO-SUI", "sui_clerk", False, "Mario Rossi")
        add_user(uow, "bianchi", "LO-QUESTURA", "questura_officer", False, "Anna Bianchi")
        uow.commit()
    return database


def make_context(database: Database, home: Path, username: str) -> UiContext:
    operator = load_operator(database, username)
    assert operator is not None
    return UiContext(TaskManager(database), operator, ChangeBus(), open_settings(home), "test")
