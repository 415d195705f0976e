"""A menu whose greyed-out entries the keyboard still reaches, so their reason is read.

With most styles the arrow keys skip a disabled entry, and its tip shows only under the
mouse. Here the arrows stop on it too: the window's status bar shows its status tip (why
it is greyed out) and Enter does nothing, as for the mouse.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QMenu,
    QProxyStyle,
    QStatusBar,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)


class _ReachableDisabled(QProxyStyle):
    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: QStyleHintReturn | None = None,  # noqa: N803 (Qt's name)
    ) -> int:
        if hint == QStyle.StyleHint.SH_Menu_AllowActiveAndDisabled:
            return 1
        return super().styleHint(hint, option, widget, returnData)


def reach_disabled_entries(menu: QMenu, status: QStatusBar) -> None:
    """``status`` shows the status tip of the entry the arrows or the mouse are on (Qt
    itself shows it for enabled entries only)."""
    style = _ReachableDisabled()
    style.setParent(menu)  # lives as long as the menu
    menu.setStyle(style)
    menu.setToolTipsVisible(True)  # and under the mouse, the reason as a tooltip

    def show(action: QAction) -> None:
        status.showMessage(action.statusTip())

    menu.hovered.connect(show)
    menu.aboutToHide.connect(status.clearMessage)
