"""The window's first screen is read through the driver alone, before the ORM loads, and
shows exactly what the ORM path shows: the same dossiers in the same order with the same
columns, restricted files only to a cleared user.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from pytestqt.qtbot import QtBot

from desktop.config import resolve
from desktop.demo import generate
from desktop.wiring import open_database
from models.read.connection import open_reader
from models.read.dossiers import DossierReads, load_viewer
from models.read.filters import DossierFilter
from models.read.table import (
    SORT_COLUMNS,
    TableRow,
    read_table,
    table_choices,
    table_ids,
    table_rows,
)
from models.services.queries import offices, procedure_types
from models.services.table import dossier_ids, dossier_rows
from models.uow import Database
from ui.context import ChangeBus, UiContext
from ui.login import load_operator
from ui.main_window import MainWindow
from ui.settings import open_settings
from ui.tasks import TaskManager

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
UNCLEARED, CLEARED = "rossi", "verdi"  # a clerk without clearance, a cleared head


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("first-screen")
    database = open_database(resolve(home=str(folder)))
    generate(database, 800, 5)
    database.engine.dispose()
    return folder


@pytest.fixture(scope="module")
def database(home: Path) -> Iterator[Database]:
    database = open_database(resolve(home=str(home)))
    yield database
    database.engine.dispose()


def url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def orm_ids(database: Database, user: str, spec: DossierFilter, sort: str, desc: bool) -> list[str]:
    with database.unit_of_work(user) as uow:
        return dossier_ids(uow, spec, sort, desc)


def light_read(database: Database, user: str, read: Callable[[DossierReads], T]) -> T:
    reader = open_reader(url(database))
    assert reader is not None, "the light path refused a database at the schema's head"
    with reader:
        return read(DossierReads(reader, load_viewer(reader, user), date.today()))


def restricted_ids(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id FROM dossiers WHERE restricted = 1")
        return {row[0] for row in rows}


SPECS = [
    DossierFilter(),
    DossierFilter(search="a"),
    DossierFilter(search="ng"),
    DossierFilter(search="mohamed"),
    DossierFilter(overdue=True),
    DossierFilter(due_within=7),
    DossierFilter(open_only=True, office="LO-SUI"),
    DossierFilter(with_open_flags=True),
]


@pytest.mark.parametrize("user", [UNCLEARED, CLEARED])
@pytest.mark.parametrize("spec", SPECS)
def test_the_first_screen_lists_what_the_orm_lists(
    database: Database, user: str, spec: DossierFilter
) -> None:
    for sort in SORT_COLUMNS:
        for desc in (True, False):

            def every(reads: DossierReads, s: str = sort, d: bool = desc) -> list[str]:
                return table_ids(reads, spec, s, d)

            def first_screen(reads: DossierReads, s: str = sort, d: bool = desc) -> list[str]:
                return table_ids(reads, spec, s, d, 200)

            light = light_read(database, user, every)
            assert light == orm_ids(database, user, spec, sort, desc), (spec, sort, desc)
            first = light_read(database, user, first_screen)
            assert first == light[:200]


@pytest.mark.parametrize("user", [UNCLEARED, CLEARED])
def test_the_first_rows_show_what_the_orm_shows(database: Database, user: str) -> None:
    ids = orm_ids(database, user, DossierFilter(), "filed_on", True)
    for page in (ids[:100], ids[100:200], ids[-100:]):

        def rows(reads: DossierReads, p: list[str] = page) -> dict[str, TableRow]:
            return table_rows(reads, p)

        light = light_read(database, user, rows)
        with database.unit_of_work(user) as uow:
            assert light == dossier_rows(uow, page)


def test_restricted_dossiers_only_on_a_cleared_users_first_screen(database: Database) -> None:
    restricted = restricted_ids(database)
    assert restricted, "the demo data has no restricted dossier: this test would prove nothing"
    uncleared = light_read(database, UNCLEARED, lambda r: table_ids(r, DossierFilter()))
    cleared = light_read(database, CLEARED, lambda r: table_ids(r, DossierFilter()))
    assert not restricted & set(uncleared)
    assert restricted <= set(cleared)
    assert set(cleared) - restricted == set(uncleared)


def test_the_filter_choices_are_the_orms(database: Database) -> None:
    reader = open_reader(url(database))
    assert reader is not None
    with reader:
        light = table_choices(reader)
    with database.unit_of_work(None) as uow:
        types = procedure_types(uow.session)
        states: dict[str, str] = {}
        for procedure in types:
            for state in procedure.states:
                states.setdefault(state.code, state.label)
        assert light.types == [(t.code, t.name) for t in types]
        assert light.states == sorted(states.items())
        assert light.offices == [o.code for o in offices(uow.session)]


def test_a_stale_schema_or_no_file_gives_no_light_table(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'missing.sqlite3'}"
    assert read_table(missing, UNCLEARED, lambda r: table_ids(r, DossierFilter())) is None


@pytest.mark.parametrize("user", [UNCLEARED, CLEARED])
def test_the_window_paints_its_first_page_before_the_database_is_opened(
    database: Database, home: Path, qtbot: QtBot, user: str
) -> None:
    opened: list[bool] = []

    def open_later() -> Database:
        opened.append(True)
        return database

    operator = load_operator(database, user)
    assert operator is not None
    tasks = TaskManager(open_later, light_url=url(database))
    context = UiContext(tasks, operator, ChangeBus(), open_settings(home), "test")
    window = MainWindow(context)
    qtbot.addWidget(window)
    try:
        expected = orm_ids(database, user, DossierFilter(), "filed_on", True)
        model = window.dossiers.model
        # Whether the database had been opened when the first page arrived: after it, the
        # notices' first check may open it at any moment (later on a loaded machine).
        opened_at_first_page: list[bool] = []
        model.pageArrived.connect(lambda: opened_at_first_page.append(bool(opened)))
        with qtbot.waitSignal(model.pageArrived, timeout=20_000):
            window.show()
        qtbot.waitUntil(lambda: model.rowCount() == len(expected), timeout=20_000)
        qtbot.waitUntil(lambda: model.visible_rows_loaded(0, 99), timeout=20_000)
        assert opened_at_first_page[0] is False, "the first screen waited on the ORM"
        shown = [model.id_at(row) for row in range(model.rowCount())]
        assert shown == expected
        with database.unit_of_work(user) as uow:
            orm_rows = dossier_rows(uow, expected[:100])
        assert [model.cached_row(row) for row in range(100)] == [
            orm_rows[i] for i in expected[:100]
        ]
        # Once the database is open every read goes through the ORM, with the same answer.
        with qtbot.waitSignal(window.dossiers.model.loaded, timeout=20_000):
            tasks.run(lambda _job: tasks.database, lambda _db: model.reload())
        assert opened and tasks.light_url is None
        assert [model.id_at(row) for row in range(model.rowCount())] == expected
    finally:
        window.close()
        tasks.shutdown()


SPY = """import sys
import ui.app as app

real = app.after_first_page


def spy(window, then):
    def check():
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "sqlalchemy")
        print("orm at first page:", len(loaded), flush=True)
        then()

    real(window, check)


app.after_first_page = spy
from desktop.cli.main import main

sys.exit(main(sys.argv[1:]))
"""


def test_sqlalchemy_is_not_loaded_before_the_first_page(home: Path, tmp_path: Path) -> None:
    script = tmp_path / "spy.py"
    script.write_text(SPY, encoding="utf-8")
    shot = tmp_path / "shot.png"
    command = [sys.executable, str(script), "--home", str(home), "--user", UNCLEARED]
    result = subprocess.run(
        [*command, "gui", "--screenshot", str(shot)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_environment(), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert "orm at first page: 0" in result.stdout, result.stdout
    assert "first paint:" in result.stdout
    assert shot.exists()


def _environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("RACCORDO_DB", "RACCORDO_HOME")}
