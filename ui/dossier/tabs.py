"""The dossier window's tabs: editable data, history, pending items, pareri, audit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.read.views import FlagFacts
from models.services.history import AuditChange
from models.services.registration import update_dossier
from models.validation import FIELD_LABELS
from ui.actions import run_use_case
from ui.context import UiContext
from ui.dossier.formatting import (
    audit_value,
    clock_label,
    column_titles,
    event_label,
    form_values,
    it_date,
    local_time,
    outcome_label,
    read_only_reason,
)
from ui.dossier.snapshot import DossierSnapshot
from ui.dossier.widgets import fit_columns, make_table
from ui.dossier_form import DossierForm
from ui.i18n import tr as _tr
from ui.records_model import RecordsModel


class DataTab(QWidget):
    """The editable fields; Save sends only what changed, with the version it was read at."""

    saved = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ref: str | None = None
        self.version: int | None = None
        self._take_server_values = False
        self._hint = ""
        self.form = DossierForm()
        self.form.edited.connect(self._edited)
        self.notice = QLabel()
        self.notice.setObjectName("dataNotice")
        self.notice.setWordWrap(True)
        self.save_button = QPushButton(_tr("&Save"))
        self.save_button.setObjectName("save")
        self.save_button.setToolTip(_tr("Save the changed fields (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(_tr("Re&vert"))
        self.revert_button.setObjectName("revert")
        self.revert_button.setToolTip(_tr("Put back the values as they were loaded"))
        self.revert_button.clicked.connect(self.form.revert)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def load(self, snapshot: DossierSnapshot) -> None:
        """Show the newest values; what the user typed and did not save stays."""
        keep_edits = self.form.is_dirty() and not self._take_server_values
        if keep_edits and snapshot.detail.version != self.version:
            self.notice.setText(
                _tr("The dossier changed and was reloaded: your unsaved changes are kept.")
            )
        self._take_server_values = False
        self.ref, self.version = snapshot.ref, snapshot.detail.version
        self.form.set_values(form_values(snapshot.detail), keep_edits=keep_edits)
        editable = [name for name in FIELD_LABELS if name not in snapshot.read_only]
        reasons = {name: read_only_reason(code) for name, code in snapshot.read_only.items()}
        self.form.set_editable(editable, reasons)
        self._show_hint(snapshot.read_only)
        self._update_buttons()

    def _show_hint(self, read_only: Mapping[str, str]) -> None:
        """Say why some fields are grey, unless a message about the last save is showing."""
        if "closed" in read_only.values():
            hint = read_only_reason("closed")
        elif read_only:
            hint = _tr("Grey fields are not yours to change: point at one to see why.")
        else:
            hint = ""
        if self.notice.text() in ("", self._hint):
            self.notice.setText(hint)
        self._hint = hint

    def _edited(self) -> None:
        if self.notice.text() == _tr("Saved."):
            self.notice.setText(self._hint)
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.form.is_dirty()
        self.save_button.setEnabled(dirty and self.ref is not None)
        self.revert_button.setEnabled(dirty)

    def save(self) -> None:
        changed = self.form.changed_values()
        if not changed or self.ref is None:
            return
        ref, version = self.ref, self.version
        self.form.clear_errors()
        self.notice.clear()
        self.save_button.setEnabled(False)
        run_use_case(
            self.context,
            self,
            lambda uow: update_dossier(uow, ref, changed, expected_version=version),
            self._saved,
            self._refused,
            lambda _error: self._update_buttons(),
        )

    def _refused(self, errors: dict[str, str]) -> None:
        self.form.set_errors(errors)
        self.notice.setText(_tr("Not saved: correct the fields marked in red."))
        self._update_buttons()

    def _saved(self, result: Any) -> None:
        _changes, warnings = result
        self._take_server_values = True  # the service normalises what was typed
        self.notice.setText("\n".join(["⚠ " + w for w in warnings]) or _tr("Saved."))
        self.saved.emit()


class RecordsTab(QWidget):
    """A read-only table over rows the snapshot provides."""

    def __init__(self, headers: list[str], object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordsModel(headers, self)
        self.view = make_table(self.model, object_name)
        self.column = QVBoxLayout(self)
        self.column.addWidget(self.view)

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        raise NotImplementedError

    def load(self, snapshot: DossierSnapshot) -> None:
        self.model.set_rows(self.rows_of(snapshot))
        fit_columns(self.view)


class HistoryTab(RecordsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("Effective"),
                _tr("Entered"),
                _tr("Office"),
                _tr("User"),
                _tr("Event"),
                _tr("State reached"),
                _tr("Clock"),
                _tr("Note"),
            ],
            "historyTable",
            parent,
        )

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        return [
            [
                it_date(row.event.effective_on),
                local_time(row.event.entered_at),
                row.event.office or "",
                row.event.actor or "",
                event_label(row.event.kind),
                row.event.to_state_label or "",
                clock_label(row.clock),
                "  ".join(
                    [row.event.note, *("⚠ " + note for note in row.event.clock_notes)]
                ).strip(),
            ]
            for row in snapshot.history
        ]


class PareriTab(RecordsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("Requested on"),
                _tr("Given on"),
                _tr("Outcome"),
                _tr("Officer"),
                _tr("Reasons"),
            ],
            "pareriTable",
            parent,
        )

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        return [
            [
                it_date(parere.requested_on),
                it_date(parere.given_on),
                outcome_label(parere.outcome),
                parere.officer or "",
                parere.reasons,
            ]
            for parere in snapshot.detail.pareri
        ]


class AuditTab(RecordsTab):
    """Every recorded change, one row per field: who changed what from what to what."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("When"),
                _tr("Who"),
                _tr("Record"),
                _tr("Action"),
                _tr("Field"),
                _tr("Before"),
                _tr("After"),
            ],
            "auditTable",
            parent,
        )
        self.tables = {
            "dossiers": _tr("Dossier"),
            "dossier_events": _tr("History"),
            "flags": _tr("Pending item"),
            "pareri": _tr("Parere"),
        }
        self.action_names = {
            "insert": _tr("created"),
            "update": _tr("changed"),
            "delete": _tr("deleted"),
        }

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        titles = column_titles()
        rows = []
        for entry in snapshot.audit:
            head = [
                local_time(entry.at),
                entry.actor,
                self.tables.get(entry.table, entry.table),
                self.action_names.get(entry.action, entry.action),
            ]
            for change in entry.changes or (AuditChange("", None, None),):
                rows.append(
                    [
                        *head,
                        titles.get(change.field, change.field),
                        audit_value(change.before),
                        audit_value(change.after),
                    ]
                )
        return rows


class FlagsTab(RecordsTab):
    """Pending items, with Raise… and Resolve… for the operator's office."""

    raiseRequested = Signal()
    resolveRequested = Signal(object)  # the flag's dict

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                _tr("No."),
                _tr("Category"),
                _tr("Raised by"),
                _tr("For office"),
                _tr("Raised"),
                _tr("Suspends"),
                _tr("Resolved"),
                _tr("Resolved by"),
                _tr("Text"),
                _tr("Resolution note"),
            ],
            "flagsTable",
            parent,
        )
        self.flags: tuple[FlagFacts, ...] = ()
        self.resolvable: frozenset[str] = frozenset()
        self.raise_button = QPushButton(_tr("&New pending item…"))
        self.raise_button.setObjectName("raiseFlag")
        self.raise_button.setToolTip(_tr("Raise a pending item for the other office (Ctrl+I)"))
        self.raise_button.setShortcut(QKeySequence("Ctrl+I"))
        self.raise_button.clicked.connect(self.raiseRequested)
        self.resolve_button = QPushButton(_tr("R&esolve…"))
        self.resolve_button.setObjectName("resolveFlag")
        self.resolve_button.setToolTip(_tr("Mark the selected item as resolved (Ctrl+E)"))
        self.resolve_button.setShortcut(QKeySequence("Ctrl+E"))
        self.resolve_button.clicked.connect(self._resolve_selected)
        self.view.doubleClicked.connect(lambda _index: self._resolve_selected())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.raise_button)
        buttons.addWidget(self.resolve_button)
        self.column.addLayout(buttons)
        self._selection_changed()

    def load(self, snapshot: DossierSnapshot) -> None:
        self.flags = snapshot.detail.flags
        self.resolvable = snapshot.resolvable_flags
        super().load(snapshot)
        self.raise_button.setEnabled(snapshot.can_raise)
        first_open = next((i for i, f in enumerate(self.flags) if f.id in self.resolvable), -1)
        if first_open >= 0:
            self.view.selectRow(first_open)
        self._selection_changed()

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        return [
            [
                f"#{flag.number}",
                flag.category_label,
                flag.raised_by_office,
                flag.for_office,
                it_date(flag.raised_on),
                _tr("yes") if flag.suspends else "",
                it_date(flag.resolved_on),
                flag.resolved_by or "",
                flag.text,
                flag.resolution_note,
            ]
            for flag in snapshot.detail.flags
        ]

    def selected_flag(self) -> FlagFacts | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.flags):
            return None
        return self.flags[rows[0].row()]

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        flag = self.selected_flag()
        self.resolve_button.setEnabled(flag is not None and flag.id in self.resolvable)

    def _resolve_selected(self) -> None:
        flag = self.selected_flag()
        if flag is not None and flag.id in self.resolvable:
            self.resolveRequested.emit(flag)


class TavoloTab(RecordsTab):
    """When the dossier was brought to the tavolo di coordinamento, and what was decided."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [_tr("Meeting"), _tr("Date"), _tr("State"), _tr("Reason"), _tr("Outcomes")],
            "tavoloTable",
            parent,
        )

    def rows_of(self, snapshot: DossierSnapshot) -> list[list[str]]:
        return [
            [
                f"n. {entry.item.meeting}",
                it_date(entry.held_on),
                entry.meeting_state_label,
                entry.item.reason_label,
                "; ".join(
                    f"{o.kind_label}: {o.text}"
                    + (f" ({o.owner}, {it_date(o.due_on)})" if o.owner else "")
                    for o in entry.item.outcomes
                )
                or (_tr("not reached") if entry.item.not_reached else ""),
            ]
            for entry in snapshot.tavolo
        ]
