"""The coloured deadline badge: overdue, due within 7 days, on time, suspended, closed."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from models.read.table import TableRow
from ui.i18n import tr as _tr

SOON_DAYS = 7
# White text on each at least 4.5:1 (WCAG 2.1 AA for normal text).
COLOURS = {
    "overdue": QColor("#c62828"),
    "soon": QColor("#b45309"),
    "ok": QColor("#2e7d32"),
    "suspended": QColor("#5c5c8a"),
    "closed": QColor("#616161"),
}
# Not by colour alone (WCAG 1.4.1): an overdue deadline also carries a warning sign.
OVERDUE_MARK = "⚠ "


def badge(row: TableRow) -> tuple[str, str]:
    """(kind, text) for a dossier's deadline."""
    if row.closed:
        return "closed", _tr("closed")
    if row.clock == "suspended":
        return "suspended", _tr("suspended")
    if row.days_left is None:
        return "closed", ""
    if row.days_left < 0:
        return "overdue", OVERDUE_MARK + _tr("{0} d late").format(-row.days_left)
    if row.days_left <= SOON_DAYS:
        return "soon", _tr("{0} d").format(row.days_left)
    return "ok", _tr("{0} d").format(row.days_left)


class DeadlineDelegate(QStyledItemDelegate):
    """Paints the date and, to its right, a rounded badge in the deadline's colour."""

    def __init__(self, row_role: int, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.row_role = row_role

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        row = index.data(self.row_role)
        if not isinstance(row, TableRow):
            return
        kind, text = badge(row)
        if not text:
            return
        painter.save()
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 12
        rect = option.rect
        box = QRect(rect.right() - width - 4, rect.top() + 3, width, rect.height() - 6)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(COLOURS[kind])
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
