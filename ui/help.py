"""F1: a short help text for the view in front of the user, in a window that stays open
beside the work (not modal)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ui.i18n import tr as _tr


def help_texts() -> dict[str, tuple[str, str]]:
    """View key → (title, text). Keys: the main window's pages, ``dossier``, ``new``."""
    return {
        "all": (
            _tr("Dossiers"),
            _tr(
                "Every dossier you may see. Type in the search box a surname, a protocol "
                "number, an application code, a fiscal code, a CUI or a passport; press Down "
                "to reach the list and Enter to open the selected dossier. The filters narrow "
                "the list; the preview beside it shows the selected dossier and its next "
                "action. Ctrl+E exports the list as shown; Ctrl+Shift+L prints one letter for "
                "each selected dossier, in one PDF (right click for the other actions on the "
                "selection)."
            ),
        ),
        "todo": (
            _tr("To work on"),
            _tr(
                "The open dossiers your office holds now, the nearest deadline first. «Waiting "
                "since» counts the days since a parere was asked, against the office's target "
                "(30 days unless the administrator set another). Take a dossier to find it "
                "again in «My dossiers»."
            ),
        ),
        "flags": (
            _tr("Pending items"),
            _tr(
                "Items raised by your office or addressed to it. The search box keeps the rows "
                "holding every word typed. Double click (or Enter) opens the dossier, where the "
                "item is resolved from the «Pending items» tab."
            ),
        ),
        "deadlines": (
            _tr("Deadlines"),
            _tr(
                "Dossiers whose legal term ends within 7 days. A badge with ⚠ is overdue; the "
                "days shown are calendar days, a deadline on a holiday moves to the next "
                "working day."
            ),
        ),
        "statistics": (
            _tr("Statistics"),
            _tr(
                "Figures of a closed period: the last full month unless you choose the last "
                "quarter or other dates. Compute, then print or export. Every dossier closed in "
                "the period counts; the previous period of equal length is the comparison."
            ),
        ),
        "imports": (
            _tr("Imports"),
            _tr(
                "Files read from the inbox folder: application lists and scanned documents. A "
                "rejected file says why; fix it and press Retry."
            ),
        ),
        "tavolo": (
            _tr("Tavolo"),
            _tr(
                "The coordination meetings of the two offices: the agenda, with the dossiers "
                "at risk of missing their term, and the outcomes. Heads convene and close a "
                "meeting; anyone proposes an item."
            ),
        ),
        "conflicts": (
            _tr("Conflicts"),
            _tr(
                "Changes made here and on another workstation to the same field, or refused by "
                "the server. Choose which value the dossier keeps."
            ),
        ),
        "saved": (
            _tr("Saved searches"),
            _tr(
                "A saved search keeps the text searched, the filters and the order. Save the "
                "current one from the Dossier menu; right click one of yours to delete it."
            ),
        ),
        "dossier": (
            _tr("The dossier"),
            _tr(
                "The header says who must act and what the dossier waits for. The buttons "
                "under it are the moves you may make now (Ctrl+1, Ctrl+2…). Ctrl+Z undoes your "
                "last move within a few minutes, if nothing happened after it. Data are saved "
                "with Ctrl+S; grey fields belong to the other office."
            ),
        ),
        "new": (
            _tr("New dossier"),
            _tr(
                "Choose the procedure type, then fill the fields in bold. Dates as 12/5/1990, "
                "12.5.1990 or 12051990; the nationality by its Italian name or its code "
                "(Romania or ROU). Enter registers; Esc asks before discarding what you typed."
            ),
        ),
    }


class HelpWindow(QDialog):
    """One window per parent, reused: F1 again shows the help of the view now in front."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpWindow")
        self.setModal(False)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self.browser.setAccessibleName(_tr("Help"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(420, 260)

    def show_help(self, key: str) -> None:
        title, text = help_texts().get(key, help_texts()["all"])
        self.setWindowTitle(_tr("Help – {0}").format(title))
        self.browser.setPlainText(text)
        self.show()
        self.raise_()


def install_help(window: QWidget, current_key: Callable[[], str] | str) -> QAction:
    """F1 on ``window`` shows the help of ``current_key`` (or of what it gives now)."""
    action = QAction(_tr("&Help on this view"), window)
    action.setObjectName("helpAction")
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def show() -> None:
        helper = window.findChild(HelpWindow)
        if helper is None:
            helper = HelpWindow(window)
        helper.show_help(current_key if isinstance(current_key, str) else current_key())

    action.triggered.connect(show)
    window.addAction(action)
    return action
