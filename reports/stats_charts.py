"""The report's charts as ReportLab drawings (flowables: they go straight into the PDF)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from models.services.labels import type_label
from reports.stats import AGE_BUCKETS, PARTIES, month_starts
from reports.stats_report import TimingReport

WIDTH, HEIGHT = 480, 210
PLOT_X, PLOT_Y, PLOT_W, PLOT_H = 45, 45, 420, 130
BLUE = colors.HexColor("#1f4e79")
ORANGE = colors.HexColor("#d9822b")
GREY = colors.HexColor("#8c8c8c")
GREEN = colors.HexColor("#4f8a3c")
RED = colors.HexColor("#b03a2e")


def _drawing(title: str, font: str) -> Drawing:
    drawing = Drawing(WIDTH, HEIGHT)
    drawing.add(String(0, HEIGHT - 12, title, fontName=font, fontSize=10))
    return drawing


def _no_data(drawing: Drawing, message: str, font: str) -> Drawing:
    drawing.add(String(PLOT_X, PLOT_Y + PLOT_H / 2, message, fontName=font, fontSize=9))
    return drawing


def _legend(drawing: Drawing, items: Sequence[tuple[colors.Color, str]], font: str) -> None:
    legend = Legend()
    legend.x, legend.y = PLOT_X, 10
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = font
    legend.fontSize = 8
    legend.dx = legend.dy = 8
    legend.deltax = 110
    legend.colorNamePairs = list(items)
    drawing.add(legend)


def _style_axes(chart: VerticalBarChart | HorizontalLineChart, font: str) -> None:
    chart.x, chart.y, chart.width, chart.height = PLOT_X, PLOT_Y, PLOT_W, PLOT_H
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e0e0e0")


def _months(report: TimingReport) -> list[str]:
    return [row.month.strftime("%m/%y") for row in report.months]


def filed_closed_chart(report: TimingReport, font: str) -> Drawing:
    drawing = _drawing("Depositate e chiuse per mese", font)
    if not report.months:
        return _no_data(drawing, "Nessuna pratica depositata o chiusa nel periodo.", font)
    chart = VerticalBarChart()
    _style_axes(chart, font)
    chart.data = [[r.filed for r in report.months], [r.closed for r in report.months]]
    chart.categoryAxis.categoryNames = _months(report)
    chart.bars[0].fillColor = BLUE
    chart.bars[1].fillColor = ORANGE
    chart.bars.strokeColor = None
    drawing.add(chart)
    _legend(drawing, [(BLUE, "Depositate"), (ORANGE, "Chiuse")], font)
    return drawing


def turnaround_chart(report: TimingReport, font: str) -> Drawing:
    drawing = _drawing("Durata lorda delle pratiche chiuse per mese (giorni)", font)
    chart = HorizontalLineChart()
    _style_axes(chart, font)
    # A month without closures has no value; the line then bridges it from the last one.
    medians = [r.turnaround.median for r in report.months]
    p90s = [r.turnaround.p90 for r in report.months]
    if all(value is None for value in (*medians, *p90s)):
        return _no_data(drawing, "Nessuna pratica chiusa nel periodo.", font)
    data: list[list[float | None]] = [medians, p90s]
    items = [(BLUE, "Mediana"), (ORANGE, "90° percentile")]
    if report.legal_term_days is not None:
        data.append([report.legal_term_days] * len(report.months))
        items.append((RED, f"Termine legale ({report.legal_term_days:g} gg)"))
    chart.data = data
    chart.categoryAxis.categoryNames = _months(report)
    # ReportLab cannot join a series of fewer than two values (a one-month period, or a
    # single month with closures): markers alone then show the figures.
    chart.joinedLines = all(sum(v is not None for v in series) >= 2 for series in data)
    for index, (color, _) in enumerate(items):
        chart.lines[index].strokeColor = color
        chart.lines[index].strokeWidth = 1.5
        marker = makeMarker("FilledCircle", size=4, fillColor=color)  # type: ignore[no-untyped-call]
        chart.lines[index].symbol = marker
    if report.legal_term_days is not None:
        chart.lines[2].strokeDashArray = (5, 3)
        chart.lines[2].strokeWidth = 1
    drawing.add(chart)
    _legend(drawing, items, font)
    return drawing


def holder_chart(report: TimingReport, font: str) -> Drawing:
    drawing = _drawing("Giorni mediani per detentore, per tipo di procedimento", font)
    chart = VerticalBarChart()
    _style_axes(chart, font)
    types = list(report.holder_by_type)
    if not types:
        return _no_data(drawing, "Nessuna pratica chiusa nel periodo.", font)
    chart.data = [[report.holder_by_type[t][p] or 0 for t in types] for p in PARTIES]
    chart.categoryAxis.categoryNames = [type_label(t) for t in types]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.angle = 20
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.fontSize = 6
    chart.y, chart.height = PLOT_Y + 15, PLOT_H - 15
    palette = [BLUE, ORANGE, GREEN]
    for index, color in enumerate(palette):
        chart.bars[index].fillColor = color
    chart.bars.strokeColor = None
    drawing.add(chart)
    _legend(drawing, list(zip(palette, ["SUI", "Questura", "Richiedente"], strict=True)), font)
    return drawing


def backlog_chart(report: TimingReport, font: str) -> Drawing:
    drawing = _drawing("Età dell'arretrato a fine periodo (giorni dal deposito)", font)
    chart = VerticalBarChart()
    _style_axes(chart, font)
    labels = [label for label, _, _ in AGE_BUCKETS]
    chart.data = [
        [report.current.backlog_age[b] for b in labels],
        [report.previous.backlog_age[b] for b in labels],
    ]
    chart.categoryAxis.categoryNames = labels
    chart.bars[0].fillColor = BLUE
    chart.bars[1].fillColor = GREY
    chart.bars.strokeColor = None
    drawing.add(chart)
    _legend(drawing, [(BLUE, "Periodo"), (GREY, "Periodo precedente")], font)
    return drawing


MEETING_LABELS = 8  # more meetings than this: the lines alone, no dates written


def tavolo_chart(report: TimingReport, font: str) -> Drawing:
    """The pareri's median wait month by month, a dashed line on each meeting's day."""
    drawing = _drawing("Pareri: attesa mediana per mese (giorni) e riunioni del tavolo", font)
    effect = report.tavolo
    starts = month_starts(report.current.period)
    by_month = {m.month: m for m in effect.months} if effect is not None else {}
    waits = [by_month[s].median_wait if s in by_month else None for s in starts]
    meetings = [day for m in by_month.values() for day in m.meetings]
    if all(wait is None for wait in waits) and not meetings:
        return _no_data(drawing, "Nessun parere reso e nessuna riunione nel periodo.", font)
    chart = HorizontalLineChart()
    _style_axes(chart, font)
    chart.data = [[wait for wait in waits]] if any(w is not None for w in waits) else [[0.0]]
    chart.categoryAxis.categoryNames = [f"{s:%m/%y}" for s in starts]
    chart.joinedLines = sum(wait is not None for wait in waits) >= 2
    chart.lines[0].strokeColor = BLUE
    chart.lines[0].strokeWidth = 1.5
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=BLUE)  # type: ignore[no-untyped-call]
    drawing.add(chart)
    step = PLOT_W / len(starts)
    index = {(s.year, s.month): i for i, s in enumerate(starts)}
    for number, day in enumerate(sorted(meetings)):
        month = index.get((day.year, day.month))
        if month is None:
            continue
        days = calendar.monthrange(day.year, day.month)[1]
        x = PLOT_X + (month + (day.day - 0.5) / days) * step
        drawing.add(
            Line(
                x,
                PLOT_Y,
                x,
                PLOT_Y + PLOT_H,
                strokeColor=ORANGE,
                strokeWidth=0.8,
                strokeDashArray=(3, 2),
            )
        )
        if len(meetings) <= MEETING_LABELS:
            y = PLOT_Y + PLOT_H + 2 + 7 * (number % 2)
            drawing.add(
                String(
                    x,
                    y,
                    f"{day:%d/%m}",
                    fontName=font,
                    fontSize=6,
                    textAnchor="middle",
                    fillColor=ORANGE,
                )
            )
    _legend(
        drawing, [(BLUE, "Attesa mediana dei pareri resi"), (ORANGE, "Riunione del tavolo")], font
    )
    return drawing


def all_charts(report: TimingReport, font: str) -> list[Drawing]:
    charts = [
        filed_closed_chart(report, font),
        turnaround_chart(report, font),
        holder_chart(report, font),
        backlog_chart(report, font),
    ]
    if report.tavolo is not None:
        charts.append(tavolo_chart(report, font))
    return charts
