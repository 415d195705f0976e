"""The GUI's start and stop, 200 times: the database worker and the main window.

What crashed once in a while at the end of a GUI test: Qt objects destroyed off the GUI
thread — by the worker dropping the last reference to what a job holds, or by Python's
cycle collector running on the worker thread. These loops check on which thread such
objects are freed, and that starting and stopping never crashes or hangs.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from models.uow import Database
from tests.gui_support import make_context
from ui.main_window import MainWindow
from ui.tasks import Job, TaskManager

ROUNDS = 200


class Held(QObject):
    """A GUI-side object that notes the thread that frees it."""

    def __init__(self, freed_on: list[str], in_a_cycle: bool = False) -> None:
        super().__init__()
        self.freed_on = freed_on
        self.results: list[object] = []
        self.me = self if in_a_cycle else None

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)

    def done(self, result: object) -> None:
        self.results.append(result)


@pytest.fixture
def threads_switching_often() -> Iterator[None]:
    """Threads take turns far more often than usual, as on a loaded machine."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(interval)


def _read(job: Job, database: Database) -> int:
    job.progress(1, 2)
    with database.unit_of_work("rossi") as uow:
        rows = uow.session.connection().exec_driver_sql("SELECT 1").all()
    garbage = [[n] for n in range(2000)]  # enough allocation to fill a generation
    return len(rows) + len(garbage) - 2000


def _has_three(results: list[object]) -> bool:
    return len(results) == 3


def _after_a_moment(_job: Job) -> str:
    time.sleep(0.001)
    return "last"


@pytest.mark.usefixtures("threads_switching_often")
def test_what_a_job_holds_is_freed_on_the_gui_thread(database: Database, qtbot: QtBot) -> None:
    collector_was_on = gc.isenabled()
    freed_on: list[str] = []
    failures: list[str] = []
    progress: list[int] = []
    for round_ in range(ROUNDS):
        tasks = TaskManager(database)
        held = Held(freed_on)
        Held(freed_on, in_a_cycle=True)  # garbage only the cycle collector frees
        tasks.run(
            lambda job: _read(job, database),
            held.done,
            on_progress=lambda d, _t: progress.append(d),
        )
        tasks.run(lambda _job: 1 / 0, held.done, lambda error: failures.append(repr(error)))
        tasks.background.run(lambda _job: "background", held.done)
        last = tasks.run(_after_a_moment, held.done)
        if round_ % 2:  # half the rounds wait for the answers, half stop at once
            qtbot.waitUntil(partial(_has_three, held.results), timeout=20_000)
            assert sorted(map(str, held.results)) == ["1", "background", "last"]
        del held
        tasks.shutdown()
        tasks.shutdown()  # twice: a window closing after the workplace stopped
        assert last.cancelled or round_ % 2
        del tasks, last
        qtbot.wait(0)  # the queued answers of a stopped manager change nothing
    gc.collect()  # here, on the GUI thread: the cycles no tick has collected yet
    assert len(freed_on) == 2 * ROUNDS
    assert set(freed_on) == {threading.main_thread().name}
    assert failures == ["ZeroDivisionError('division by zero')"] * (ROUNDS // 2)
    assert progress and set(progress) == {1}
    assert gc.isenabled() == collector_was_on  # back as it was once no worker runs


def test_a_stopped_manager_runs_nothing(database: Database, qtbot: QtBot) -> None:
    tasks = TaskManager(database)
    tasks.shutdown()
    ran: list[int] = []
    job = tasks.run(lambda _job: ran.append(1), ran.append)
    tasks.background.run(lambda _job: ran.append(2), ran.append)
    qtbot.wait(50)
    assert job.cancelled and ran == [] and not tasks.busy


def test_the_main_window_opens_and_closes_200_times(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    for _ in range(ROUNDS):
        context = make_context(database, tmp_path, "rossi")
        window = MainWindow(context)
        window.show()
        qtbot.wait(0)
        window.close()
        context.tasks.shutdown()
        window.deleteLater()
        del window, context
        qtbot.wait(0)
