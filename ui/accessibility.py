"""Accessible names for a window's inputs, lists and tables (what a screen reader says).

A field takes its label's text (the label's buddy), else its placeholder or tooltip; a
table or list takes the name its window gives it. Run once a window is built.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

NAMED = (QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


def _clean(text: str) -> str:
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip(" :*").strip()


def name_widgets(root: QWidget, names: dict[QWidget, str] | None = None) -> None:
    """Give every input, combo, list and table under ``root`` a non-empty accessible name."""
    for widget, name in (names or {}).items():
        widget.setAccessibleName(name)
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and not buddy.accessibleName() and _clean(label.text()):
            buddy.setAccessibleName(_clean(label.text()))
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, NAMED) or widget.accessibleName():
            continue
        if isinstance(widget, QLineEdit) and isinstance(
            widget.parent(), QComboBox | QAbstractSpinBox
        ):
            continue  # a combo's or a date box's own line: its owner carries the name
        guess = ""
        if isinstance(widget, QLineEdit):
            guess = widget.placeholderText()
        elif isinstance(widget, QComboBox) and widget.count():
            guess = widget.itemText(0)
        guess = guess or widget.toolTip() or widget.whatsThis()
        if guess:
            widget.setAccessibleName(_clean(guess))
