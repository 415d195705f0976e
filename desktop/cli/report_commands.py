"""``report timing``: handling-time statistics for office heads (PDF, CSV, XLSX, JSON)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.output import print_json, print_table
from models.dates import parse_date
from models.errors import ValidationError

if TYPE_CHECKING:
    from desktop.cli.context import Context


def register(commands: Any) -> None:
    report = commands.add_parser("report", help="statistics for office heads")
    sub = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    timing = sub.add_parser(
        "timing",
        help="handling times: filed, closed, backlog, turnaround, within term (heads, admins)",
    )
    timing.add_argument("--from", dest="date_from", required=True, help="first day (dd/mm/yyyy)")
    timing.add_argument("--to", dest="date_to", required=True, help="last day (dd/mm/yyyy)")
    timing.add_argument("--type", help="procedure type code, e.g. NO_LAVORO")
    timing.add_argument("--office", help="registering office code, e.g. LO-SUI")
    timing.add_argument("--by", choices=["type", "office", "month"], help="detail table by")
    timing.add_argument("-o", "--output", metavar="FILE.pdf", help="write the PDF report")
    timing.add_argument("--csv", metavar="FILE", help="write the tables as CSV")
    timing.add_argument("--xlsx", metavar="FILE", help="write the tables as an Excel workbook")
    timing.add_argument("--json", action="store_true", help="print the figures as JSON")
    timing.set_defaults(handler=cmd_timing)


def _day(value: str, field: str) -> date:
    try:
        return parse_date(value)
    except ValueError as error:
        raise ValidationError({field: str(error)}) from None


def cmd_timing(ctx: Context) -> int:
    from reports.stats import Period
    from reports.stats_query import timing_report

    start, end = _day(ctx.args.date_from, "from"), _day(ctx.args.date_to, "to")
    if end < start:
        raise ValidationError({"to": "la data finale precede quella iniziale"})
    with ctx.read() as uow:
        report = timing_report(uow, Period(start, end), ctx.args.type, ctx.args.office, ctx.args.by)
    if ctx.args.output:
        from reports.stats_pdf import render_pdf

        Path(ctx.args.output).write_bytes(render_pdf(report))
    if ctx.args.csv:
        from reports.stats_export import write_csv

        write_csv(report, Path(ctx.args.csv))
    if ctx.args.xlsx:
        from reports.stats_export import write_xlsx

        write_xlsx(report, Path(ctx.args.xlsx))
    if ctx.args.json:
        print_json(report.as_json())
    elif not (ctx.args.output or ctx.args.csv or ctx.args.xlsx):
        from reports.stats_export import report_tables

        key_figures = report_tables(report)[0]
        print_table(key_figures.headers, key_figures.rows)
    return 0
