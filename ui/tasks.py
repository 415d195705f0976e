"""Database work off the GUI thread (after Anki's ``aqt.taskman``).

One worker thread owns all database access; the GUI submits a function and gets its
result back on the GUI thread through a queued signal. Jobs run one at a time, in the
order submitted; a job may check ``job.cancelled`` and report progress.

Only job ids cross the threads. A job's function and callbacks hold GUI objects (a table
model, a window's bound method); were the worker thread to drop the last reference to
one, Qt would destroy it there, off the GUI thread, and the process could crash. So the
jobs and their outcomes stay in the manager's tables, the worker lets go of everything it
touched before it announces a job done, and the GUI thread is the one that forgets them.
For the same reason the cycle collector runs on the GUI thread only (``gui_collector``).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from ui import gui_collector

if TYPE_CHECKING:
    from models.uow import Database

log = logging.getLogger(__name__)


@dataclass
class Job:
    id: int
    work: Callable[[Job], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[int, int], None] | None = None
    _report: Callable[[int, int, int], None] | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int) -> None:
        """Called from the worker; delivered to ``on_progress`` on the GUI thread."""
        if self._report is not None:
            self._report(self.id, done, total)


@dataclass(frozen=True)
class _Outcome:
    result: Any = None
    error: BaseException | None = None


class _Board:
    """The jobs of one manager and what came of them, shared by its two threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.jobs: dict[int, Job] = {}
        self.outcomes: dict[int, _Outcome] = {}

    def add(self, job: Job) -> None:
        with self._lock:
            self.jobs[job.id] = job

    def job(self, job_id: int) -> Job | None:
        with self._lock:
            return self.jobs.get(job_id)

    def post(self, job_id: int, outcome: _Outcome) -> None:
        with self._lock:
            self.outcomes[job_id] = outcome

    def take(self, job_id: int) -> tuple[Job | None, _Outcome | None]:
        with self._lock:
            return self.jobs.pop(job_id, None), self.outcomes.pop(job_id, None)

    def clear(self) -> None:
        with self._lock:
            self.jobs.clear()
            self.outcomes.clear()


class _Worker(QObject):
    finished = Signal(int)  # job id; the outcome waits on the board
    progressed = Signal(int, int, int)  # job id, done, total

    def __init__(self, board: _Board) -> None:
        super().__init__()
        self._board = board

    @Slot(int)
    def run(self, job_id: int) -> None:
        self._execute(job_id)  # returns holding nothing of the job
        self.finished.emit(job_id)

    def _execute(self, job_id: int) -> None:
        job = self._board.job(job_id)
        if job is None:  # forgotten by a shutdown
            return
        if job.cancelled:
            self._board.post(job_id, _Outcome())  # counted as done; the GUI ignores it
            return
        try:
            self._board.post(job_id, _Outcome(job.work(job)))
        except BaseException as error:
            self._board.post(job_id, _Outcome(error=error))


class TaskManager(QObject):
    _submit = Signal(int)

    def __init__(
        self,
        database: Database | Callable[[], Database],
        parent: QObject | None = None,
        name: str = "raccordo-db",
        light_url: str | None = None,
    ) -> None:
        """``database`` may be a function that opens it: then the first job that needs it
        opens it (SQLAlchemy and the mapped classes load on the worker, not before the
        window's first paint); until then jobs may read through the driver alone on
        ``light_url`` (see ``models.read``)."""
        super().__init__(parent)
        self._light_url = light_url
        self._database = database if callable(database) else None
        self._opened: Database | None = None if callable(database) else database
        self._opening = threading.Lock()
        self._background: TaskManager | None = None
        self._ids = itertools.count(1)
        self._board = _Board()
        self._stopped = False
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker(self._board)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._finished)
        self._worker.progressed.connect(self._progressed)
        gui_collector.hold()
        self._thread.start()

    @property
    def database(self) -> Database:
        if self._opened is None:
            with self._opening:
                if self._opened is None:
                    assert self._database is not None
                    self._opened = self._database()
        return self._opened

    @property
    def light_url(self) -> str | None:
        """The URL for the driver-only read path while the database is not opened yet."""
        return None if self._opened is not None else self._light_url

    @property
    def busy(self) -> bool:
        return bool(self._board.jobs)

    def run(
        self,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Job:
        job = Job(next(self._ids), work, on_done, on_error, on_progress)
        if self._stopped:  # a late callback of a closing window: nothing runs any more
            job.cancel()
            return job
        job._report = self._worker.progressed.emit
        self._board.add(job)
        self._submit.emit(job.id)
        return job

    @Slot(int)
    def _finished(self, job_id: int) -> None:
        job, outcome = self._board.take(job_id)
        if job is None or outcome is None or job.cancelled:
            return
        if outcome.error is not None:
            self._failed(job, outcome.error)
        elif job.on_done is not None:
            job.on_done(outcome.result)

    def _failed(self, job: Job, error: BaseException) -> None:
        if job.on_error is not None:
            job.on_error(error)
        else:
            log.error("background job failed", exc_info=error)

    @Slot(int, int, int)
    def _progressed(self, job_id: int, done: int, total: int) -> None:
        job = self._board.job(job_id)
        if job is not None and job.on_progress is not None and not job.cancelled:
            job.on_progress(done, total)

    @property
    def background(self) -> TaskManager:
        """A second worker for long reads (every id of a large result), so that the quick
        queries a person waits for never queue behind them."""
        if self._background is None:
            opened = self._opened
            database = opened if opened is not None else (lambda: self.database)
            self._background = TaskManager(database, self, "raccordo-db-background")
            if self._stopped:
                self._background.shutdown()
        return self._background

    def shutdown(self) -> None:
        """Skip the queued jobs, let the running one end (reads take seconds at most),
        then stop: a QThread destroyed while it runs would abort the process. Safe to
        call twice."""
        if self._background is not None:
            self._background.shutdown()
        if self._stopped:
            return
        self._stopped = True
        for job in list(self._board.jobs.values()):
            job.cancel()
        self._thread.quit()
        self._thread.wait()
        # Here, on the GUI thread, rather than whenever (and wherever) Python collects
        # this manager: the jobs with their callbacks, then the worker and its thread.
        self._board.clear()
        shiboken6.delete(self._worker)
        shiboken6.delete(self._thread)
        gui_collector.release()
