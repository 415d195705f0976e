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


class _Worker(QObject):
    finished = Signal(object, object)  # job, result
    failed = Signal(object, object)  # job, exception
    progressed = Signal(object, int, int)
    _current: _Worker | None = None

    @Slot(object)
    def run(self, job: Job) -> None:
        _Worker._current = self
        if job.cancelled:
            self.finished.emit(job, None)  # counted as done; the GUI ignores the result
            return
        try:
            result = job.work(job)
        except BaseException as error:
            self.failed.emit(job, error)
        else:
            self.finished.emit(job, result)

    @staticmethod
    def instance_progress(job: Job, done: int, total: int) -> None:
        if _Worker._current is not None:
            _Worker._current.progressed.emit(job, done, total)


class TaskManager(QObject):
    _submit = Signal(object)

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName("raccordo-db")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self._worker.progressed.connect(self._progressed)
        self._pending = 0
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Job:
        job = Job(next(self._ids), work, on_done, on_error, on_progress)
        self._pending += 1
        self._submit.emit(job)
        return job

    @Slot(object, object)
    def _finished(self, job: Job, result: Any) -> None:
        self._pending -= 1
        if job.on_done is not None and not job.cancelled:
            job.on_done(result)

    @Slot(object, object)
    def _failed(self, job: Job, error: BaseException) -> None:
        self._pending -= 1
        if job.cancelled:
            return
        if job.on_error is not None:
            job.on_error(error)
        else:
            log.error("background job failed", exc_info=error)

    @Slot(object, int, int)
    def _progressed(self, job: Job, done: int, total: int) -> None:
        if job.on_progress is not None and not job.cancelled:
            job.on_progress(done, total)

    def shutdown(self) -> None:
        self._thread.quit()
        self._thread.wait(5000)
