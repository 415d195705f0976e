"""The timing report as a PDF: a one-minute first page, charts, tables, definitions."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from models.services.labels import italian_number, type_label
from reports.stats import DEFINITIONS, key_value, trend
from reports.stats_charts import all_charts
from reports.stats_export import KEY_FIGURES, Cell, Table, report_tables
from reports.stats_report import TimingReport

FONT, FONT_BOLD = "StatsDejaVuSans", "StatsDejaVuSans-Bold"
BUNDLED_FONTS = Path(__file__).parent / "fonts"
SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
MARGIN = 18 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
TREND_COLORS = {"migliore": "#2e7d32", "peggiore": "#b03a2e"}

# What the first page shows: the figures a head asks for first.
HEADLINE: tuple[tuple[str, str], ...] = (
    ("filed", "Depositate"),
    ("closed", "Chiuse"),
    ("open", "Aperte a fine periodo (arretrato)"),
    ("clearance_rate", "Tasso di smaltimento (chiuse ÷ depositate)"),
    ("turnaround.median", "Durata lorda mediana (giorni)"),
    ("turnaround.p90", "Durata lorda, 90° percentile (giorni)"),
    ("net_turnaround.median", "Durata netta mediana (giorni)"),
    ("within_term_pct", "Chiuse nei termini"),
    ("pareri.median_days", "Pareri: giorni mediani di risposta"),
    ("pareri.overdue", "Pareri in ritardo sull'obiettivo"),
)


def register_fonts() -> None:
    """DejaVu Sans, embedded: the bundled copy, or the system's while it is not bundled."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        bundled = BUNDLED_FONTS / file
        pdfmetrics.registerFont(
            TTFont(name, str(bundled if bundled.exists() else SYSTEM_FONTS / file))
        )


def number(value: float | None, percent: bool = False) -> str:
    """Italian style: 1.234,5 and 87 % (one decimal at most); no value is a dash."""
    return italian_number(value, 1, percent)


def figure_text(key: str, value: float | None) -> str:
    """A key figure as the report and the Statistiche page write it."""
    if key == "clearance_rate":
        return number(None if value is None else round(value * 100, 1), percent=True)
    return number(value, percent=key.endswith("_pct"))


def change_text(key: str, now: float | None, before: float | None) -> str:
    """The change between two periods; rates and percentages change by points."""
    if now is None or before is None:
        return "—"
    change = now - before
    if key == "clearance_rate":
        change *= 100
    sign = "+" if change > 0 else ""
    points = key == "clearance_rate" or key.endswith("_pct")
    rounded = round(change, 1)
    unit = (" punto" if abs(rounded) == 1 else " punti") if points else ""
    return sign + number(rounded) + unit


def key_figure_rows(report: TimingReport) -> list[list[str]]:
    """The key figures' table with every number in Italian form, as on the PDF."""
    current, previous = report.current.as_json(), report.previous.as_json()
    rows = []
    for key, label in KEY_FIGURES:
        now, before = key_value(current, key), key_value(previous, key)
        trend_word = trend(key, now, before)
        rows.append(
            [
                label,
                figure_text(key, now),
                figure_text(key, before),
                change_text(key, now, before),
                trend_word or "—",
            ]
        )
    return rows


_format = figure_text


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=17, leading=22),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9),
        "head_right": ParagraphStyle(
            "head_right", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9, alignment=2
        ),
        "big": ParagraphStyle("big", parent=base, fontSize=10.5, leading=14),
    }


def _grid(rows: list[list[object]], widths: list[float] | None = None) -> LongTable:
    table = LongTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe7f0")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f5f5")]),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1f4e79")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _period_line(report: TimingReport) -> str:
    now, before = report.current.period, report.previous.period
    type_code, office = report.filters.get("type"), report.filters.get("office")
    filters = [
        f"tipo «{escape(type_label(type_code))}»" if type_code else "tutti i tipi",
        f"ufficio {office}" if office else "tutti gli uffici",
    ]
    return (
        f"Periodo <b>{now.start:%d/%m/%Y} – {now.end:%d/%m/%Y}</b> ({now.days} giorni), "
        f"{', '.join(filters)}. Confronto con {before.start:%d/%m/%Y} – {before.end:%d/%m/%Y}."
    )


def _headline_text(report: TimingReport) -> str:
    now = report.current
    parts = [
        f"Nel periodo sono state depositate <b>{number(now.filed)}</b> pratiche e chiuse "
        f"<b>{number(now.closed)}</b>; a fine periodo ne restano aperte <b>{number(now.open)}</b>."
    ]
    if now.turnaround.n:
        parts.append(
            f"Metà delle pratiche chiuse ha richiesto al più <b>{number(now.turnaround.median)}</b>"
            f" giorni, nove su dieci al più <b>{number(now.turnaround.p90)}</b>"
            f" (n = {number(now.turnaround.n)})."
        )
    if now.within_term_pct is not None:
        parts.append(f"Chiuse nei termini: <b>{number(now.within_term_pct, percent=True)}</b>.")
    return " ".join(parts)


def _first_page(report: TimingReport, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    current, previous = report.current.as_json(), report.previous.as_json()
    rows: list[list[object]] = [["Indicatore", "Periodo", "Precedente", "Andamento"]]
    for key, label in HEADLINE:
        now, before = key_value(current, key), key_value(previous, key)
        verdict = trend(key, now, before)
        color = TREND_COLORS.get(verdict, "#555555")
        rows.append(
            [
                Paragraph(escape(label), styles["cell"]),
                _format(key, now),
                _format(key, before),
                Paragraph(f'<font color="{color}">{verdict}</font>', styles["cell"]),
            ]
        )
    when = f"{report.generated_on:%d/%m/%Y}" if report.generated_on else ""
    return [
        Paragraph("Tempi di lavorazione delle pratiche", styles["title"]),
        Spacer(1, 2 * mm),
        Paragraph(_period_line(report), styles["body"]),
        Spacer(1, 5 * mm),
        Paragraph(_headline_text(report), styles["big"]),
        Spacer(1, 5 * mm),
        _grid(rows, [80 * mm, 28 * mm, 28 * mm, 30 * mm]),
        Spacer(1, 4 * mm),
        Paragraph(
            "Andamento: confronto con il periodo precedente di uguale durata; "
            "per le depositate non si esprime un giudizio. Definizioni nell'ultima pagina. "
            f"Obiettivo per i pareri: {report.current.pareri.target_days} giorni. "
            f"Prodotto il {when}. Nessun dato personale: solo protocolli e tipi.",
            styles["small"],
        ),
    ]


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, str):
        return cell
    return number(cell)


def _table_flowables(table: Table, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    headers = [
        Paragraph(escape(h), styles["head" if index == 0 else "head_right"])
        for index, h in enumerate(table.headers)
    ]
    rows: list[list[object]] = [list(headers)]
    rows += [[_cell_text(c) for c in row] for row in table.rows]
    first = 38 * mm if len(table.headers) > 6 else 60 * mm
    if len(table.headers) == 2:  # indicator and value: the indicator's words need room
        first = 120 * mm
    rest = (TEXT_WIDTH - first) / (len(table.headers) - 1)
    widths = [first] + [rest] * (len(table.headers) - 1)
    grid = _grid(rows, widths)
    for column in range(1, len(table.headers)):
        if table.rows and all(isinstance(row[column], str) for row in table.rows):
            grid.setStyle(TableStyle([("ALIGN", (column, 1), (column, -1), "LEFT")]))
            headers[column].style = styles["head"]
    return [Paragraph(escape(table.title), styles["h2"]), grid]


def _definitions(styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [
        Paragraph("Definizioni", styles["h2"]),
        *(Paragraph("• " + escape(text), styles["body"]) for text in DEFINITIONS),
    ]


def _footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(MARGIN, 10 * mm, "Raccordo – statistiche sui tempi di lavorazione")
    canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"pagina {document.page}")
    canvas.restoreState()


def render_pdf(report: TimingReport) -> bytes:
    register_fonts()
    styles = _styles()
    story: list[Flowable] = [*_first_page(report, styles), PageBreak()]
    story.append(Paragraph("Grafici", styles["h2"]))
    for chart in all_charts(report, FONT):
        story += [KeepTogether([chart]), Spacer(1, 6 * mm)]
    for table in report_tables(report):
        story += [KeepTogether(_table_flowables(table, styles)), Spacer(1, 3 * mm)]
    story += [PageBreak(), *_definitions(styles)]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Tempi di lavorazione delle pratiche",
        author="Raccordo",
    )
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
