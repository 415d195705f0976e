"""Waiting for the main window's first page of rows: what the first screen does not need
(the ORM, the notices' first check) starts after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def after_first_page(window: MainWindow, then: Callable[[], None]) -> None:
    """``then`` once, on the event loop's next turn after the first page of rows (or an
    empty result) arrived: what the first screen does not need waits for it."""
    model = window.dossiers.model
    waiting = [True]

    def arrived(*_args: object) -> None:
        if waiting.pop() if waiting else False:
            model.pageArrived.disconnect(arrived)
            model.loaded.disconnect(arrived)
            QTimer.singleShot(0, then)

    model.pageArrived.connect(arrived)
    model.loaded.connect(arrived)
