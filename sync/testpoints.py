"""Pauses a sync at a named critical point, so a test can kill the process there.

``RACCORDO_SYNC_PAUSE_AT=<point>`` and ``RACCORDO_SYNC_PAUSE_FILE=<path>``: on reaching
the point the process writes the file and waits to be killed. Unset, nothing happens.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def reached(point: str) -> None:
    if os.environ.get("RACCORDO_SYNC_PAUSE_AT") != point:
        return
    marker = os.environ.get("RACCORDO_SYNC_PAUSE_FILE")
    if marker:
        Path(marker).write_text(point, encoding="utf-8")
    time.sleep(120)
