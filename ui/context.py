"""What every window needs: the worker, who is logged in, and the change bus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from models.services.changes import Changes
from ui.tasks import TaskManager


@dataclass(frozen=True)
class Operator:
    """The person using this window, as the database knows them."""

    username: str
    full_name: str
    role: str
    office_code: str
    office_kind: str
    restricted_access: bool


class ChangeBus(QObject):
    """Every use case returns a ``Changes``; views listen and refresh only what it names."""

    changed = Signal(object)
    committed = Signal()  # a local write went into the database (the sync thread pushes it)

    def publish(self, changes: Changes, local: bool = True) -> None:
        """``local=False`` for what a sync pulled: views refresh, nothing is pushed back."""
        if changes.kinds:
            self.changed.emit(changes)
        if local:
            self.committed.emit()


@dataclass
class UiContext:
    tasks: TaskManager
    operator: Operator
    bus: ChangeBus
    settings: QSettings
    database_label: str
    home: Path | None = None  # the workstation folder: letter templates and logos
