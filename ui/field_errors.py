"""The refusal under each field of a small dialog, as the service layer words it.

A dialog adds one label per field, shows a ``ValidationError``'s messages under their
fields (focus on the first refused field) and tells a test what a person reads.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QWidget

from ui.dossier_form import ERROR_COLOUR


class FieldErrors:
    def __init__(self, owner: QWidget) -> None:
        self.owner = owner
        self.labels: dict[str, QLabel] = {}

    def label(self, name: str) -> QLabel:
        """A new, hidden label for the refusals of field ``name``."""
        error = QLabel()
        error.setObjectName("fieldError")
        error.setStyleSheet(f"color: {ERROR_COLOUR};")
        error.setWordWrap(True)
        error.hide()
        self.labels[name] = error
        return error

    def show(self, errors: Mapping[str, str], editors: Mapping[str, QWidget]) -> None:
        for name, label in self.labels.items():
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)
        first = next((editors[name] for name in editors if name in errors), None)
        if first is not None:
            first.setFocus()

    def text(self, name: str) -> str:
        label = self.labels[name]
        return label.text() if label.isVisibleTo(self.owner) else ""
