"""Page furniture shared by every form: fonts, letterhead, barcode, "pagina N di M"."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from reports.documents import FormDocument

FONTS = Path(__file__).with_name("fonts")
# DejaVu covers every Latin diacritic of the passports we see (ș ț ł ễ ğ ø); the PDF
# built-in fonts are Latin-1 only and would drop them.
REGULAR = "RaccordoSans"
BOLD = "RaccordoSans-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
HEADER_HEIGHT = 32 * mm
FOOTER_HEIGHT = 12 * mm
BAR_WIDTH = 0.3 * mm
BAR_MIN_WIDTH = 0.24 * mm
BAR_MAX_WIDTH = 70 * mm
BAR_HEIGHT = 11 * mm


def register_fonts() -> None:
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


def draw_furniture(canvas: Canvas, document: FormDocument) -> None:
    """Letterhead and barcode, drawn at the start of every page."""
    head = document.letterhead
    top = PAGE_HEIGHT - MARGIN
    x = MARGIN
    if head.logo:
        logo = ImageReader(BytesIO(head.logo))
        width, height = logo.getSize()
        scale = min(22 * mm / height, 30 * mm / width)
        canvas.drawImage(logo, x, top - height * scale, width * scale, height * scale, mask="auto")
        x += width * scale + 4 * mm
    barcode = Code128(document.barcode, barWidth=BAR_WIDTH, barHeight=BAR_HEIGHT)
    if barcode.width > BAR_MAX_WIDTH:  # a long reference: thinner bars, same readability
        thinner = max(BAR_MIN_WIDTH, BAR_WIDTH * BAR_MAX_WIDTH / barcode.width)
        barcode = Code128(document.barcode, barWidth=thinner, barHeight=BAR_HEIGHT)
    bar_x = PAGE_WIDTH - MARGIN - barcode.width
    width = bar_x - 6 * mm - x
    y = top - 4 * mm
    for line in simpleSplit(head.administration, BOLD, 11, width):
        canvas.setFont(BOLD, 11)
        canvas.drawString(x, y, line)
        y -= 4.6 * mm
    canvas.setFont(REGULAR, 9)
    for text in (head.office, head.address, f"PEC: {head.pec}" if head.pec else ""):
        for line in simpleSplit(text, REGULAR, 9, width):
            canvas.drawString(x, y, line)
            y -= 4 * mm

    barcode.drawOn(canvas, bar_x, top - BAR_HEIGHT)
    canvas.setFont(REGULAR, 8)
    canvas.drawCentredString(
        bar_x + barcode.width / 2, top - BAR_HEIGHT - 3.5 * mm, document.barcode
    )
    canvas.setLineWidth(0.5)
    line_y = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT + 3 * mm
    canvas.line(MARGIN, line_y, PAGE_WIDTH - MARGIN, line_y)


def draw_footer(canvas: Canvas, document: FormDocument, page: int, pages: int) -> None:
    y = MARGIN - 6 * mm
    canvas.setFont(REGULAR, 8)
    canvas.drawString(MARGIN, y, f"{document.title} – {document.barcode}")
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, f"Pagina {page} di {pages}")


class NumberedCanvas(Canvas):
    """Keeps every page until the end so each can say "pagina N di M"."""

    document: FormDocument
    page_letters: Any = None  # several letters: which one each page belongs to (.letters, .owners)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # private in the stubs, public use

    def save(self) -> None:
        letters = self.page_letters
        owners: list[int] = list(letters.owners) if letters is not None else []
        if len(owners) != len(self._pages):  # one document
            owners = [0] * len(self._pages)
        documents = letters.letters if letters is not None else [self.document]
        totals = {owner: owners.count(owner) for owner in set(owners)}
        numbers: dict[int, int] = {}
        for state, owner in zip(self._pages, owners, strict=True):
            numbers[owner] = numbers.get(owner, 0) + 1
            self.__dict__.update(state)
            draw_footer(self, documents[owner], numbers[owner], totals[owner])
            super().showPage()
        super().save()
