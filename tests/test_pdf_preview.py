"""The print preview shows the real PDF and prints every page at printer resolution."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from ui.pdf_preview import PdfPreview, print_document


def two_page_pdf() -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(100, 100, "Prima pagina – Ștefan Țurcanu")
    writer.newPage()
    painter.drawText(100, 100, "Seconda pagina")
    painter.end()
    buffer.close()
    return bytes(data.data())


def test_preview_shows_every_page_and_prints_them(qtbot: QtBot, tmp_path: Path) -> None:
    printed: list[bool] = []
    preview = PdfPreview(
        two_page_pdf(), "Frontespizio", "frontespizio.pdf", on_printed=lambda: printed.append(True)
    )
    qtbot.addWidget(preview)
    preview.show()
    assert preview.document.pageCount() == 2
    assert preview.view.document() is preview.document

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(preview.document, printer) == 2
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 2
    assert printer.resolution() >= 300  # drawn at the printer's resolution, not the screen's
