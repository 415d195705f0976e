"""Separator sheets as PDF: one page per dossier, its payload (models.separators) as a
large QR code that a scan read at 150 dpi finds at once, skewed or upside down
(sync.inbox.batch), and as a Code 128 as wide as the page allows."""

from __future__ import annotations

from io import BytesIO

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from reports.documents import FormDocument, SeparatorSheet
from reports.page import BOLD, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, REGULAR, register_fonts

# Modules of 0.6 mm are 3.5 pixels at 150 dpi; a long payload gets thinner bars.
BAR_WIDTH = 0.6 * mm
BAR_HEIGHT = 32 * mm
QR_SIZE = 70 * mm
KIND_LABELS = {
    "passaporto": "Passaporto",
    "contratto": "Contratto",
    "certificato": "Certificato",
    "ricevuta": "Ricevuta",
    "altro": "Altro documento",
}


def render_separators(document: FormDocument) -> bytes:
    register_fonts()
    buffer = BytesIO()
    # The stub types it as a number; ReportLab takes the font every page starts with.
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        initialFontName=REGULAR,  # type: ignore[arg-type]
    )
    canvas.setTitle(document.title)
    canvas.setAuthor(f"{document.letterhead.administration} – {document.letterhead.office}")
    canvas.setSubject(document.subject or document.title)
    canvas.setCreator("Raccordo")
    for sheet in document.sheets:
        _draw(canvas, document, sheet)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _centred(canvas: Canvas, y: float, text: str, font: str, size: float) -> None:
    canvas.setFont(font, size)
    while size > 10 and canvas.stringWidth(text, font, size) > PAGE_WIDTH - 2 * MARGIN:
        size -= 1
        canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


def _draw(canvas: Canvas, document: FormDocument, sheet: SeparatorSheet) -> None:
    top = PAGE_HEIGHT - MARGIN
    _centred(canvas, top - 6 * mm, "FOGLIO SEPARATORE", BOLD, 16)
    _centred(canvas, top - 13 * mm, document.letterhead.office, REGULAR, 10)
    _centred(canvas, top - 19 * mm, "Non rimuovere: Raccordo divide la scansione qui", REGULAR, 9)

    bars = Code128(sheet.payload, barWidth=BAR_WIDTH, barHeight=BAR_HEIGHT, quiet=True)
    room = PAGE_WIDTH - 2 * MARGIN
    if bars.width > room:  # a long kind: thinner bars (the QR code stays the fast read)
        bars = Code128(
            sheet.payload, barWidth=BAR_WIDTH * room / bars.width, barHeight=BAR_HEIGHT, quiet=True
        )
    bars.drawOn(canvas, (PAGE_WIDTH - bars.width) / 2, top - 62 * mm)

    _centred(canvas, top - 80 * mm, sheet.reference, BOLD, 30)
    _centred(canvas, top - 93 * mm, sheet.name, REGULAR, 20)
    if sheet.kind:
        _centred(canvas, top - 108 * mm, KIND_LABELS.get(sheet.kind, sheet.kind), BOLD, 24)

    qr = QrCode(sheet.payload, width=QR_SIZE, height=QR_SIZE, qrBorder=0)
    qr.drawOn(canvas, (PAGE_WIDTH - QR_SIZE) / 2, MARGIN + 30 * mm)
    _centred(canvas, MARGIN + 12 * mm, sheet.payload, REGULAR, 9)
    _centred(canvas, MARGIN, f"Stampato il {document.dated:%d/%m/%Y}", REGULAR, 8)
