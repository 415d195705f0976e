"""The dossier list as shown (any view: its filters and order) as CSV, XLSX or PDF.

The rows come from the same queries as the window's table (``models.services.table``),
so the file holds exactly what the list holds, in the same order.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from models.dates import italian_date
from models.errors import ValidationError
from models.read.filters import DossierFilter
from models.services.labels import holder_label, type_label
from models.services.table import TableRow, dossier_ids, dossier_rows
from models.uow import UnitOfWork

HEADERS = (
    "Protocollo",
    "Cognome e nomi",
    "Naz.",
    "Tipo",
    "Stato",
    "Presso",
    "Presentata",
    "Scadenza",
    "Giorni",
    "Segn.",
)
FORMATS = ("pdf", "csv", "xlsx")
CHUNK = 500


@dataclass(frozen=True)
class ListExport:
    title: str  # the view's name
    description: str  # its filters, in words
    printed_by: str
    printed_at: datetime
    rows: list[list[str | int | None]]


def _cells(row: TableRow) -> list[str | int | None]:
    days: int | None = None if row.closed or row.clock == "suspended" else row.days_left
    return [
        row.reference,
        row.name,
        row.nationality,
        type_label(row.type_code),
        row.state_label,
        holder_label(row.holder),
        italian_date(row.filed_on),
        italian_date(row.deadline),
        days,
        row.open_flags,
    ]


def collect(
    uow: UnitOfWork,
    spec: DossierFilter,
    printed_at: datetime,
    sort: str,
    descending: bool,
    title: str,
    description: str,
) -> ListExport:
    ids = dossier_ids(uow, spec, sort, descending)
    rows: list[list[str | int | None]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = dossier_rows(uow, chunk)
        rows += [_cells(found[i]) for i in chunk if i in found]
    actor = uow.actor
    name = actor.full_name or actor.username
    return ListExport(title, description, f"{name} ({actor.office.code})", printed_at, rows)


def _heading(export: ListExport) -> list[str]:
    return [
        export.title,
        export.description,
        f"{len(export.rows)} pratiche, {export.printed_at:%d/%m/%Y %H:%M}, {export.printed_by}",
    ]


def write_csv(export: ListExport, path: Path) -> None:
    """``;`` and a BOM, as Italian Excel opens it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        for line in _heading(export):
            writer.writerow([line])
        writer.writerow(HEADERS)
        writer.writerows(["" if c is None else str(c) for c in row] for row in export.rows)


def write_xlsx(export: ListExport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Pratiche"
    for line in _heading(export):
        sheet.append([line])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADERS))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in export.rows:
        sheet.append(list(row))
    for column, width in zip("ABCDEFGHIJ", (22, 32, 6, 18, 22, 14, 12, 12, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
    workbook.save(path)


def render_pdf(export: ListExport) -> bytes:
    """A4 landscape, the header row repeated on every page, page numbers at the foot."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    from reports.stats_pdf import FONT, FONT_BOLD, register_fonts

    register_fonts()
    page = landscape(A4)
    margin = 12 * mm
    title = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=14, leading=18)
    body = ParagraphStyle("b", fontName=FONT, fontSize=8.5, leading=11)
    heading = _heading(export)
    story = [
        Paragraph(escape(heading[0]), title),
        Paragraph(escape(heading[1]), body),
        Paragraph(escape(heading[2]), body),
        Spacer(1, 4 * mm),
    ]
    data: list[list[object]] = [list(HEADERS)]
    data += [["" if c is None else str(c) for c in row] for row in export.rows]
    widths = [m * mm for m in (38, 64, 11, 34, 40, 22, 20, 20, 13, 11)]
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 7.5),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe7f0")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f5f5")]),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1f4e79")),
                ("ALIGN", (8, 1), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    story.append(table)

    def footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.drawRightString(page[0] - margin, 7 * mm, f"{export.title} – pagina {document.page}")
        canvas.restoreState()

    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=export.title,
        author=export.printed_by,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def write(export: ListExport, path: Path) -> None:
    """By the file's extension: .pdf, .csv or .xlsx (ValidationError otherwise)."""
    kind = path.suffix.lower().lstrip(".")
    if kind == "pdf":
        path.write_bytes(render_pdf(export))
    elif kind == "csv":
        write_csv(export, path)
    elif kind == "xlsx":
        write_xlsx(export, path)
    else:
        raise ValidationError({"file": f"formato «{path.suffix}» non previsto: .pdf, .csv o .xlsx"})
