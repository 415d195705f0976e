"""The status bar's sync label: online or offline (and why), queued changes, last sync."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from ui.i18n import tr as _tr
from ui.i18n import tr_n as _trn
from ui.sync_worker import SyncOutcome

ERROR_SHOWN = 40  # characters of the last error in the label; the tooltip has all of it
ONLINE_STYLE = "color: #2e7d32;"
OFFLINE_STYLE = "color: #b71c1c;"


def short_reason(error: str) -> str:
    """The engine's messages read "summary: detail"; the status bar has room for the summary."""
    summary = error.split(": ", 1)[0] if len(error) > ERROR_SHOWN else error
    return summary if len(summary) <= ERROR_SHOWN else summary[: ERROR_SHOWN - 1].rstrip() + "…"


def when(moment: datetime, now: datetime) -> str:
    if moment.date() == now.date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%d/%m/%Y %H:%M")


def status_text(
    online: bool | None,
    error: str | None,
    queued: int,
    last: datetime | None,
    now: datetime,
    *,
    missing: int = 0,
    quarantined: int = 0,
) -> str:
    """``online`` is None before the first answer (still connecting). Online with an
    error: the server answered but refused to sync (clock, version, permission)."""
    if online is None:
        parts = [_tr("Connecting to the server…")]
    elif online and error:
        parts = [_tr("Sync refused: {0}").format(short_reason(error))]
    elif online:
        parts = [_tr("Online")]
    else:
        parts = [_tr("Offline: {0}").format(short_reason(error or _tr("server unreachable")))]
    if queued:
        parts.append(_trn("%n change(s) queued", "", queued))
    if missing:
        parts.append(_trn("%n document(s) not downloaded yet", "", missing))
    if quarantined:
        parts.append(_trn("%n item(s) in quarantine", "", quarantined))
    if last is not None:
        parts.append(_tr("last sync {0}").format(when(last, now)))
    elif online is False:
        parts.append(_tr("never synced"))
    return " · ".join(parts)


class SyncStatus(QObject):
    """Keeps ``label`` (the status bar's sync label) true to the latest sync outcome."""

    def __init__(self, label: QLabel, server: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.server = server
        self.online: bool | None = None
        self.error: str | None = None
        self.queued = 0
        self.missing = 0  # documents whose content is not downloaded yet
        self.quarantined = 0  # pulled rows set aside (raccordo sync status)
        self.last_success: datetime | None = None
        self._show()

    def show_outcome(self, outcome: SyncOutcome) -> None:
        self.online, self.error, self.queued = outcome.online, outcome.error, outcome.queued
        if outcome.online and not outcome.error:
            self.missing, self.quarantined = outcome.missing, outcome.quarantined
        if outcome.online and not outcome.error:
            self.last_success = datetime.now()
        self._show()

    def show_queue(self, queued: int) -> None:
        self.queued = queued
        self._show()

    def _show(self) -> None:
        now = datetime.now()
        self.label.setText(
            status_text(
                self.online,
                self.error,
                self.queued,
                self.last_success,
                now,
                missing=self.missing,
                quarantined=self.quarantined,
            )
        )
        failing = self.online is False or bool(self.error)
        self.label.setStyleSheet(
            "" if self.online is None else OFFLINE_STYLE if failing else ONLINE_STYLE
        )
        # A permanent widget is squeezed before the others: this one must stay readable.
        self.label.setMinimumWidth(self.label.sizeHint().width())
        tip = _tr("Server: {0}").format(self.server)
        if self.error:
            tip += "\n" + _tr("Last error: {0}").format(self.error)
        if self.quarantined:
            tip += "\n" + _tr("Items in quarantine: see raccordo sync status")
        self.label.setToolTip(tip)
