"""Running a use case from a window: on the worker, one unit of work, errors shown in Italian."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm.exc import StaleDataError

from models.errors import DomainError, ValidationError
from models.services.changes import Changes
from models.uow import UnitOfWork
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.tasks import Job


def changes_of(result: Any) -> Changes:
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        return next((part for part in result if isinstance(part, Changes)), Changes())
    return getattr(result, "changes", Changes())


def run_use_case(
    context: UiContext,
    parent: QWidget,
    use_case: Callable[[UnitOfWork], Any],
    on_success: Callable[[Any], None] | None = None,
    on_invalid: Callable[[dict[str, str]], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
) -> Job:
    """Run ``use_case`` in a write unit of work as the operator; commit; publish its changes.

    A refusal leaves the window as it was (nothing typed is lost): validation errors go to
    ``on_invalid`` (to show at the fields) or a message box; other refusals to a message box.
    ``on_failure`` runs first on any failure (to re-enable a button, say).
    """
    username = context.operator.username

    def work(_job: Job) -> Any:
        with context.tasks.database.unit_of_work(username, write=True) as uow:
            result = use_case(uow)
            uow.commit()
            return result

    def done(result: Any) -> None:
        context.bus.publish(changes_of(result))
        if on_success is not None:
            on_success(result)

    def failed(error: BaseException) -> None:
        if on_failure is not None:
            on_failure(error)
        if isinstance(error, ValidationError) and on_invalid is not None:
            on_invalid(error.errors)
            return
        if isinstance(error, ValidationError):
            message = "\n".join(error.errors.values())
        elif isinstance(error, DomainError):
            message = str(error)
        elif isinstance(error, StaleDataError):
            message = _tr("Someone else changed this dossier meanwhile: reload it and try again.")
        else:
            message = _tr("Unexpected error: {0}").format(error)
        QMessageBox.warning(parent, _tr("Operation refused"), message)

    return context.tasks.run(work, done, failed)
