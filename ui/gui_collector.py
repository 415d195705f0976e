"""Python's cycle collector, run on the GUI thread only while database workers run.

The collector runs in whichever thread happens to allocate when a generation fills up,
and it frees every object of a garbage cycle there. A window, a table model or a dialog
caught in a cycle (a slot that refers back to its widget is enough) would then be
destroyed by Qt on a worker thread, and Qt may crash. So, while a worker thread exists,
automatic collection is off and a timer on the GUI thread collects instead, by the same
generation thresholds CPython uses (a full collection at most every ``FULL_EVERY_S``: on
a large heap one takes a few hundred milliseconds).
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

TICK_MS = 200
FULL_EVERY_S = 10.0


class _Collector(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._thresholds = gc.get_threshold()
        self._users = 0
        self._was_enabled = False
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.collect_due)

    def hold(self) -> None:
        if self._users == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()
        self._users += 1

    def release(self) -> None:
        if self._users == 0:
            return
        self._users -= 1
        if self._users == 0:
            self._timer.stop()
            if self._was_enabled:
                gc.enable()

    def collect_due(self) -> None:
        counts = gc.get_count()
        full_due = time.monotonic() - self._last_full > FULL_EVERY_S
        for generation in (2, 1, 0) if full_due else (1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                if generation == 2:
                    self._last_full = time.monotonic()
                return


_collector: _Collector | None = None


def hold() -> None:
    """A worker thread starts; call on the GUI thread."""
    global _collector
    if _collector is None:
        _collector = _Collector()
    _collector.hold()


def release() -> None:
    """A worker thread has stopped; call on the GUI thread. With the last one the
    collector is back as it was."""
    if _collector is not None:
        _collector.release()
