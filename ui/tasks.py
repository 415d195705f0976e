"""Database work off the GUI thread (after Anki's ``aqt.taskman``).

One worker thread owns all database access; the GUI submits a function and gets its
result back on the GUI thread through a queued signal. Jobs run one at a time, in the
order submitted; a job may check ``job.cancelled`` and report progress.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from models.uow import Database

log = logging.getLogger(__name__)


@dataclass
class Job:
    id: int
    work: Callable[[Job], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[int, int], None] | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int) -> None:
        """Called from the worker; delivered to ``on_progress`` on the GUI thread."""
        _Worker.instance_progress(self, done, total)


@dataclass(frozen=True)
class _Outcome:
    """What crosses threads. Never a bare None: PySide6 miscounts references to a None sent
    through a queued ``Signal(object)`` and Python 3.11 aborts ("deallocating None")."""

    job: Job
    result: Any = None
    error: BaseException | None = None


class _Worker(QObject):
    finished = Signal(object)  # _Outcome
    progressed = Signal(object, int, int)
    _current: _Worker | None = None

    @Slot(object)
    def run(self, job: Job) -> None:
        _Worker._current = self
        if job.cancelled:
            self.finished.emit(_Outcome(job))  # counted as done; the GUI ignores the result
            return
        try:
            result = job.work(job)
        except BaseException as error:
            self.finished.emit(_Outcome(job, error=error))
        else:
            self.finished.emit(_Outcome(job, result))

    @staticmethod
    def instance_progress(job: Job, done: int, total: int) -> None:
        if _Worker._current is not None:
            _Worker._current.progressed.emit(job, done, total)


class TaskManager(QObject):
    _submit = Signal(object)

    def __init__(
        self, database: Database, parent: QObject | None = None, name: str = "raccordo-db"
    ) -> None:
        super().__init__(parent)
        self.database = database
        self._background: TaskManager | None = None
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._finished)
        self._worker.progressed.connect(self._progressed)
        self._jobs: dict[int, Job] = {}
        self._thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def run(
        self,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Job:
        job = Job(next(self._ids), work, on_done, on_error, on_progress)
        self._jobs[job.id] = job
        self._submit.emit(job)
        return job

    @Slot(object)
    def _finished(self, outcome: _Outcome) -> None:
        job = outcome.job
        self._jobs.pop(job.id, None)
        if job.cancelled:
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

    @Slot(object, int, int)
    def _progressed(self, job: Job, done: int, total: int) -> None:
        if job.on_progress is not None and not job.cancelled:
            job.on_progress(done, total)

    @property
    def background(self) -> TaskManager:
        """A second worker for long reads (every id of a large result), so that the quick
        queries a person waits for never queue behind them."""
        if self._background is None:
            self._background = TaskManager(self.database, self, "raccordo-db-background")
        return self._background

    def shutdown(self) -> None:
        """Skip the queued jobs, let the running one end (reads take seconds at most),
        then stop: a QThread destroyed while it runs would abort the process."""
        if self._background is not None:
            self._background.shutdown()
        for job in list(self._jobs.values()):
            job.cancel()
        self._thread.quit()
        self._thread.wait()
