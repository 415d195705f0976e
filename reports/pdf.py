"""Draw a ``FormDocument`` as PDF bytes: a pure function, no database, no Qt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

# The flowable, not the QrCodeWidget: a Drawing sets Helvetica as its initial font.
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports.documents import FormDocument
from reports.documents import Table as DataTable
from reports.page import (
    BOLD,
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    NumberedCanvas,
    draw_furniture,
    register_fonts,
)

TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 30 * mm

BODY = ParagraphStyle(
    "body", fontName=REGULAR, fontSize=10.5, leading=14.5, spaceAfter=7, alignment=TA_LEFT
)
SMALL = ParagraphStyle("small", fontName=REGULAR, fontSize=7.8, leading=9.6)
SMALL_BOLD = ParagraphStyle("small-bold", parent=SMALL, fontName=BOLD)
GREY = colors.HexColor("#444444")
LABEL = ParagraphStyle("label", fontName=REGULAR, fontSize=9, leading=11.5, textColor=GREY)
VALUE = ParagraphStyle("value", fontName=BOLD, fontSize=9.5, leading=11.5)
TITLE = ParagraphStyle(
    "title", fontName=BOLD, fontSize=13.5, leading=17, spaceBefore=4, spaceAfter=8
)
RECIPIENT = ParagraphStyle("recipient", parent=BODY, leftIndent=TEXT_WIDTH * 0.5, spaceAfter=0)


def _text(value: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def _styled(table: Table, *commands: tuple[Any, ...]) -> Table:
    # A cell's default font is Helvetica: named even for cells holding paragraphs.
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands]))
    return table


def _pairs(pairs: tuple[tuple[str, str], ...], label_share: float) -> Table:
    rows = [[Paragraph(_text(k), LABEL), Paragraph(_text(v), VALUE)] for k, v in pairs]
    table = Table(
        rows, colWidths=[TEXT_WIDTH * label_share, TEXT_WIDTH * (1 - label_share)], hAlign="LEFT"
    )
    return _styled(
        table,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    )


def _grid(data: DataTable) -> Table:
    header = [Paragraph(_text(h), SMALL_BOLD) for h in data.headers]
    rows: list[list[Any]] = [header]
    rows.extend([Paragraph(_text(cell), SMALL) for cell in row] for row in data.rows)
    table = LongTable(rows, colWidths=[TEXT_WIDTH * share for share in data.widths], repeatRows=1)
    return _styled(
        table,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    )


def _signatures(document: FormDocument) -> Flowable:
    if not document.signatures:
        head = document.letterhead
        block = [
            Paragraph("Il funzionario responsabile", BODY),
            Paragraph(_text(head.signatory) if head.signatory else "&nbsp;", VALUE),
            Spacer(1, 12 * mm),
            Paragraph("_" * 32, BODY),
        ]
        table = _styled(Table([[block]], colWidths=[TEXT_WIDTH * 0.45], hAlign="RIGHT"))
        return KeepTogether([Spacer(1, 8 * mm), table])
    share = TEXT_WIDTH / len(document.signatures)
    cells = [
        [
            Paragraph(_text(caption), LABEL),
            Paragraph("Data ____________", BODY),
            Spacer(1, 10 * mm),
            Paragraph("Firma ______________________", BODY),
        ]
        for caption in document.signatures
    ]
    return KeepTogether(
        [
            Spacer(1, 8 * mm),
            _styled(Table([cells], colWidths=[share] * len(cells), hAlign="LEFT")),
        ]
    )


def _story(document: FormDocument) -> list[Flowable]:
    story: list[Flowable] = []
    if document.reference:
        story += [_pairs(document.reference, 0.3), Spacer(1, 5 * mm)]
    if document.recipient:
        lines = "<br/>".join(_text(line) for line in document.recipient)
        story += [Paragraph(lines, RECIPIENT), Spacer(1, 6 * mm)]
    story.append(Paragraph(_text(document.title), TITLE))
    for number, paragraph in enumerate(document.body):
        # The first paragraph of a letter is its "Oggetto": set in bold.
        markup = f"<b>{_text(paragraph)}</b>" if number == 0 else _text(paragraph)
        story.append(Paragraph(markup, BODY))
    if document.facts:
        story += [Spacer(1, 2 * mm), _pairs(document.facts, 0.32)]
    if document.qr:
        code = QrCode(document.qr, width=QR_SIZE, height=QR_SIZE, qrBorder=0)
        qr_table = _styled(Table([[code]], colWidths=[QR_SIZE + 2 * mm], hAlign="RIGHT"))
        story += [Spacer(1, 4 * mm), qr_table]
    if document.table is not None:
        story += [Spacer(1, 2 * mm), _grid(document.table)]
    story.append(_signatures(document))
    return story


def render_pdf(document: FormDocument) -> bytes:
    if document.sheets:
        from reports.separator_pdf import render_separators

        return render_separators(document)
    register_fonts()
    return build_pdf(document, _story(document))


def render_letters(letters: Sequence[FormDocument], title: str, subject: str = "") -> bytes:
    """Several letters in one PDF, as each prints alone: each starts on a page of its
    own, with its letterhead and barcode, numbered «Pagina N di M» within itself."""
    if not letters:
        raise ValueError("no letter to render")
    register_fonts()
    first = letters[0]
    bundle = replace(first, title=title, subject=subject or title)
    return build_pdf(bundle, [(letter, _story(letter)) for letter in letters])


class _NextLetter(ActionFlowable):
    """Between two letters, before the page break: the pages from here on are the next
    letter's (its letterhead, barcode and page numbers)."""

    def __init__(self, pages: _Pages, number: int) -> None:
        super().__init__()
        self.pages, self.number = pages, number

    def apply(self, doc: Any) -> None:
        self.pages.current = self.number


class _Pages:
    """Which letter each page belongs to, as the pages begin."""

    def __init__(self, letters: Sequence[FormDocument]) -> None:
        self.letters = letters
        self.current = 0
        self.owners: list[int] = []


def build_pdf(
    document: FormDocument, story: list[Any] | Sequence[tuple[FormDocument, list[Any]]]
) -> bytes:
    """``story`` on the house's pages: ``document``'s letterhead, barcode and numbered
    footer on each (fonts registered by the caller). ``story`` may instead be several
    letters, each a (document, story) pair: then each starts on a new page with its own
    furniture and numbering, and ``document`` gives the file's title and subject."""
    parts: Sequence[tuple[FormDocument, list[Any]]] = (
        story if story and isinstance(story[0], tuple) else [(document, story)]  # type: ignore[list-item]
    )
    buffer = BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        title=document.title,
        author=f"{document.letterhead.administration} – {document.letterhead.office}",
        subject=document.subject or document.title,
        creator="Raccordo",
        initialFontName=REGULAR,  # otherwise every page references Helvetica
    )
    pages = _Pages([letter for letter, _story in parts])

    def on_page(canvas: Any, _template: Any) -> None:
        pages.owners.append(pages.current)
        draw_furniture(canvas, pages.letters[pages.current])

    bottom = MARGIN + FOOTER_HEIGHT - 6 * mm
    frame = Frame(
        MARGIN,
        bottom,
        TEXT_WIDTH,
        PAGE_HEIGHT - MARGIN - HEADER_HEIGHT - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates([PageTemplate("form", [frame], onPage=on_page)])

    class _Canvas(NumberedCanvas):
        pass

    _Canvas.document = document
    _Canvas.page_letters = pages
    flowables: list[Any] = []
    for number, (_letter, letter_story) in enumerate(parts):
        if number:
            flowables += [_NextLetter(pages, number), PageBreak()]
        flowables += letter_story
    template.build(flowables, canvasmaker=_Canvas)
    return buffer.getvalue()
