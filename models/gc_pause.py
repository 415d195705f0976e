"""Pausing Python's cycle collector while a big batch of short-lived objects is built.

Tens of thousands of ORM states and rows, freed by reference counting anyway, would make
the collector walk the whole heap (pycountry, holidays, SQLAlchemy's caches) again and
again: about 40% of a 10,000-row import and a fifth of a 1,000-change push. The pause is
counted, so a push on the sync thread and an import on the inbox thread that overlap
switch the collector back on only when both are done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def cycle_collection_paused(pause: bool = True) -> Iterator[None]:
    global _depth, _was_enabled
    if not pause:
        yield
        return
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
