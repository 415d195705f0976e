"""Pieces both dossier screens share: the field form and a read-only table model.

The form holds every field of ``models.validation.FIELD_LABELS`` as typed text; the
service layer parses and validates it, and its ``ValidationError.errors`` come back to
be shown under the fields they name. Typed text is never replaced by a refusal.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.countries import country_choices
from models.dossier_fields import DATE_FIELDS, names_of
from models.services.field_messages import message_at_field
from models.validation import FIELD_LABELS
from ui.i18n import tr as _tr

Index = QModelIndex | QPersistentModelIndex
ERROR_COLOUR = "#c62828"
PERSON_FIELDS = names_of("person")
APPLICATION_FIELDS = names_of("application", "employer")
_STYLE = f"""
QLineEdit[invalid="true"], QComboBox[invalid="true"] {{
    border: 1px solid {ERROR_COLOUR}; border-radius: 3px; padding: 2px 0px;
}}
QLineEdit[readOnly="true"] {{
    background: palette(window); border: 1px solid palette(mid);
    border-radius: 3px; padding: 2px 0px;
}}
QLabel#fieldError {{ color: {ERROR_COLOUR}; }}
"""


def field_titles() -> dict[str, str]:
    """What the form calls each field (translated), in FIELD_LABELS order."""
    titles = {
        "surname": _tr("Surname"),
        "given_names": _tr("Given names"),
        "sex": _tr("Sex"),
        "birth_date": _tr("Birth date"),
        "birth_place": _tr("Birth place"),
        "nationality": _tr("Nationality"),
        "passport": _tr("Passport"),
        "fiscal_code": _tr("Fiscal code"),
        "cui": _tr("CUI"),
        "application_code": _tr("Application code"),
        "employer_name": _tr("Employer / applicant"),
        "employer_fiscal_code": _tr("Employer fiscal code / P. IVA"),
        "employer_pec": _tr("Employer PEC"),
        "filed_on": _tr("Filed on"),
        "quota_assigned_on": _tr("Quota assigned on"),
    }
    return {name: titles[name] for name in FIELD_LABELS}


def repolish(widget: QWidget) -> None:
    """Style sheet selectors on properties are matched again only when asked to."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def grow_to_fit(window: QWidget) -> None:
    """Make a window tall enough for the wrapped messages just shown in it.

    Qt sizes top-level windows without asking height-for-width contents (word-wrapped
    labels), so a two-line message would otherwise be squeezed over the next field.
    """
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(window.width())
    else:
        needed = layout.totalSizeHint().height()
    if needed > window.height():
        window.resize(window.width(), needed)


class FieldRow(QWidget):
    """One field: its editor with, below it, the message of a refused value."""

    edited = Signal()

    def __init__(self, name: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.editor = editor
        editor.setObjectName(f"field_{name}")
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def text(self) -> str:
        raise NotImplementedError

    def set_text(self, text: str) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    @property
    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.editor.setProperty("invalid", bool(message))
        repolish(self.editor)


class LineField(FieldRow):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        self.line = QLineEdit()
        super().__init__(name, self.line, parent)
        self.line.textEdited.connect(self._typed)

    def _typed(self, _text: str) -> None:
        self.show_error(None)
        self.edited.emit()

    def text(self) -> str:
        return self.line.text()

    def set_text(self, text: str) -> None:
        self.line.setText(text)
        self.line.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        repolish(self.line)


class SexField(FieldRow):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.combo = QComboBox()
        super().__init__("sex", self.combo, parent)
        for code, label in (("", "—"), ("M", _tr("M – male")), ("F", _tr("F – female"))):
            self.combo.addItem(label, code)
        self.combo.activated.connect(self._chosen)

    def _chosen(self, _index: int) -> None:
        self.show_error(None)
        self.edited.emit()

    def text(self) -> str:
        return str(self.combo.currentData() or "")

    def set_text(self, text: str) -> None:
        position = self.combo.findData(text.strip().upper())
        self.combo.setCurrentIndex(max(position, 0))

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)


def _make_row(name: str) -> FieldRow:
    if name == "sex":
        return SexField()
    row = LineField(name)
    if name in DATE_FIELDS:
        row.line.setPlaceholderText(_tr("dd/mm/yyyy"))
        row.line.setMaxLength(10)
    elif name == "nationality":
        row.line.setPlaceholderText(_tr("e.g. Romania or ROU"))
        row.line.setMaxLength(60)  # «Bosnia ed Erzegovina (BIH)»: the service keeps the code
        completer = QCompleter(country_choices(), row.line)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # «ROU» and «roma» both find it
        row.line.setCompleter(completer)
    elif name == "employer_pec":
        row.line.setPlaceholderText(_tr("name@pec.it"))
    return row


class DossierForm(QWidget):
    """Every dossier field in two groups; remembers what was loaded to tell what changed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self.titles = field_titles()
        self.rows: dict[str, FieldRow] = {}
        self.labels: dict[str, QLabel] = {}
        self._loaded: dict[str, str] = dict.fromkeys(FIELD_LABELS, "")
        self.general_error = QLabel()
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        groups = QHBoxLayout()
        groups.addWidget(self._group(_tr("Person"), PERSON_FIELDS), 1)
        groups.addWidget(self._group(_tr("Application and employer"), APPLICATION_FIELDS), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.general_error)
        layout.addLayout(groups)
        layout.addStretch()

    def _group(self, title: str, names: Sequence[str]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(8)
        for name in names:
            row = _make_row(name)
            row.edited.connect(self.edited)
            label = QLabel(self.titles[name])
            label.setBuddy(row.editor)
            # Align the label with the editor, not with the message that may appear below.
            label.setFixedHeight(row.editor.sizeHint().height())
            self.rows[name], self.labels[name] = row, label
            form.addRow(label, row)
        return box

    # -- values -----------------------------------------------------------------

    def set_values(self, values: Mapping[str, str], keep_edits: bool = False) -> None:
        """Load a dossier's values; with ``keep_edits`` fields the user changed keep their text."""
        edited = self.changed_values() if keep_edits else {}
        self._loaded = {name: values.get(name, "") or "" for name in FIELD_LABELS}
        for name, row in self.rows.items():
            row.set_text(edited.get(name, self._loaded[name]))

    def values(self) -> dict[str, str]:
        return {name: row.text().strip() for name, row in self.rows.items()}

    def filled_values(self) -> dict[str, str]:
        return {name: text for name, text in self.values().items() if text}

    def changed_values(self) -> dict[str, str]:
        return {name: text for name, text in self.values().items() if text != self._loaded[name]}

    def is_dirty(self) -> bool:
        return bool(self.changed_values())

    def revert(self) -> None:
        self.clear_errors()
        for name, row in self.rows.items():
            row.set_text(self._loaded[name])
        self.edited.emit()

    # -- errors, permissions, required fields -----------------------------------------

    def set_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message under its field; others above the form. Focus the first."""
        self.clear_errors()
        general = [message for name, message in errors.items() if name not in self.rows]
        for name, row in self.rows.items():
            if name in errors:
                row.show_error(message_at_field(name, errors[name]))
        self.general_error.setText("\n".join(general))
        self.general_error.setVisible(bool(general))
        first = next((row for name, row in self.rows.items() if name in errors), None)
        if first is not None:
            first.editor.setFocus()

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.show_error(None)
        self.general_error.hide()

    def errors(self) -> dict[str, str]:
        return {name: row.error_text for name, row in self.rows.items() if row.error_text}

    def set_editable(self, editable: Collection[str], reasons: Mapping[str, str]) -> None:
        """Fields outside ``editable`` become read-only, with ``reasons[field]`` as tooltip."""
        for name, row in self.rows.items():
            row.set_read_only(name not in editable)
            row.editor.setToolTip("" if name in editable else reasons.get(name, ""))

    def set_required(self, required: Collection[str]) -> None:
        for name, label in self.labels.items():
            label.setText(self.titles[name] + (" *" if name in required else ""))
            font = label.font()
            font.setBold(name in required)
            label.setFont(font)
