"""The report's tables, and the same tables as CSV and XLSX."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from models.read.as_json import effect_json
from models.services.labels import type_label
from reports.stats import AGE_BUCKETS, PARTIES, Figures, key_value, month_starts, trend
from reports.stats_report import TimingReport

Cell = str | int | float | None

PARTY_LABELS = {"sui": "SUI", "questura": "Questura", "applicant": "Richiedente"}
GROUP_LABELS = {"type": "Tipo", "office": "Ufficio", "month": "Mese"}

# (key in the JSON figures, label): the key figures, in the order a head reads them.
KEY_FIGURES: tuple[tuple[str, str], ...] = (
    ("filed", "Depositate"),
    ("closed", "Chiuse"),
    ("open", "Aperte a fine periodo"),
    ("clearance_rate", "Tasso di smaltimento"),
    ("turnaround.median", "Durata lorda, mediana (gg)"),
    ("turnaround.p90", "Durata lorda, 90° percentile (gg)"),
    ("turnaround.mean", "Durata lorda, media (gg)"),
    ("turnaround.n", "Durata lorda, n"),
    ("net_turnaround.median", "Durata netta, mediana (gg)"),
    ("net_turnaround.p90", "Durata netta, 90° percentile (gg)"),
    ("net_turnaround.mean", "Durata netta, media (gg)"),
    ("within_term_pct", "Chiuse nei termini (%)"),
    ("pareri.requested", "Pareri richiesti"),
    ("pareri.given", "Pareri resi"),
    ("pareri.median_days", "Pareri, giorni mediani di risposta"),
    ("pareri.overdue", "Pareri in ritardo"),
)


@dataclass(frozen=True)
class Table:
    name: str  # sheet name, short
    title: str
    headers: tuple[str, ...]
    rows: list[list[Cell]]


def _key_figures(report: TimingReport) -> Table:
    current, previous = report.current.as_json(), report.previous.as_json()
    rows: list[list[Cell]] = []
    for key, label in KEY_FIGURES:
        now, before = key_value(current, key), key_value(previous, key)
        change = None if now is None or before is None else _cell(round(now - before, 2))
        rows.append([label, _cell(now), _cell(before), change, trend(key, now, before)])
    return Table(
        "Sintesi",
        "Indicatori principali",
        ("Indicatore", "Periodo", "Periodo precedente", "Variazione", "Andamento"),
        rows,
    )


def _cell(value: float | None) -> Cell:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _holders(report: TimingReport) -> Table:
    rows: list[list[Cell]] = [
        ["Tutti", *(report.current.by_holder[p] for p in PARTIES)],
        *(
            [type_label(code), *(parties[p] for p in PARTIES)]
            for code, parties in report.holder_by_type.items()
        ),
    ]
    return Table(
        "Detentori",
        "Giorni mediani per detentore (pratiche chiuse nel periodo)",
        ("Tipo", *(PARTY_LABELS[p] for p in PARTIES)),
        rows,
    )


def _backlog(report: TimingReport) -> Table:
    return Table(
        "Arretrato",
        "Età dell'arretrato a fine periodo (giorni dal deposito)",
        ("Fascia (gg)", "Periodo", "Periodo precedente"),
        [
            [label, report.current.backlog_age[label], report.previous.backlog_age[label]]
            for label, _, _ in AGE_BUCKETS
        ],
    )


def _months(report: TimingReport) -> Table:
    return Table(
        "Mesi",
        "Andamento mensile",
        ("Mese", "Depositate", "Chiuse", "Durata mediana (gg)", "Durata 90° perc. (gg)", "n"),
        [
            [
                row.month.strftime("%Y-%m"),
                row.filed,
                row.closed,
                row.turnaround.median,
                row.turnaround.p90,
                row.turnaround.n,
            ]
            for row in report.months
        ],
    )


def _group_row(name: str, figures: Figures) -> list[Cell]:
    return [
        name,
        figures.filed,
        figures.closed,
        figures.open,
        figures.clearance_rate,
        figures.turnaround.n,
        figures.turnaround.median,
        figures.turnaround.p90,
        figures.turnaround.mean,
        figures.net_turnaround.median,
        figures.within_term_pct,
    ]


def _groups(report: TimingReport) -> Table | None:
    if report.group_by is None:
        return None
    label = GROUP_LABELS[report.group_by]
    return Table(
        "Gruppi",
        f"Dettaglio per {label.lower()}",
        (
            label,
            "Dep.",
            "Chiuse",
            "Aperte",
            "Smalt.",
            "n",
            "Med. gg",
            "P90 gg",
            "Media gg",
            "Netta med.",
            "Nei term. %",
        ),
        [
            _group_row(type_label(name) if report.group_by == "type" else name, figures)
            for name, figures in report.groups.items()
        ],
    )


def _oldest(report: TimingReport) -> Table:
    return Table(
        "Piu_vecchie",
        f"Le {len(report.oldest_open)} pratiche aperte più vecchie",
        ("Protocollo", "Tipo", "Età (gg)"),
        [[d.protocol, type_label(d.type_code), d.age_days] for d in report.oldest_open],
    )


TAVOLO_FIGURES: tuple[tuple[str, str], ...] = (
    ("discussed", "Pratiche discusse nelle riunioni chiuse del periodo"),
    ("median_days_without_move_before", "Giorni senza movimenti quando discusse (mediana)"),
    ("moved_after", "Pratiche mosse dopo la riunione"),
    ("median_days_to_next_move_after", "Giorni dalla riunione al movimento successivo (mediana)"),
    ("not_moved_yet", "Pratiche non ancora mosse dopo la riunione"),
    ("actions.on_time", "Azioni svolte entro la scadenza"),
    ("actions.late", "Azioni svolte in ritardo"),
    ("actions.open_overdue", "Azioni aperte e scadute"),
    ("actions.open", "Azioni aperte nei tempi"),
)


def _tavolo(report: TimingReport) -> list[Table]:
    """Did the tavolo help? The moves and actions, then the pareri month by month."""
    if report.tavolo is None:
        return []
    found = effect_json(report.tavolo)
    figures = Table(
        "Tavolo",
        "Tavolo di coordinamento: pratiche discusse e azioni",
        ("Indicatore", "Valore"),
        [[label, _cell(key_value(found, key))] for key, label in TAVOLO_FIGURES],
    )
    by_month = {month.month: month for month in report.tavolo.months}
    rows: list[list[Cell]] = []
    for start in month_starts(report.current.period):
        month = by_month.get(start)
        meetings = ", ".join(f"{day:%d/%m}" for day in month.meetings) if month else ""
        rows.append(
            [
                f"{start:%Y-%m}",
                month.pareri_given if month else 0,
                _cell(month.median_wait) if month else None,
                meetings,
            ]
        )
    pareri = Table(
        "Tavolo_pareri",
        "Tavolo di coordinamento: pareri resi per mese e riunioni tenute",
        ("Mese", "Pareri resi", "Attesa mediana (gg)", "Riunioni del tavolo"),
        rows,
    )
    return [figures, pareri]


def report_tables(report: TimingReport) -> list[Table]:
    tables = [_key_figures(report), _holders(report), _backlog(report), _months(report)]
    groups = _groups(report)
    if groups is not None:
        tables.append(groups)
    tables.append(_oldest(report))
    tables += _tavolo(report)
    return tables


def _heading(report: TimingReport) -> list[str]:
    period = report.current.period
    previous = report.previous.period
    return [
        f"Periodo {period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}; "
        f"precedente {previous.start:%d/%m/%Y} – {previous.end:%d/%m/%Y}"
    ]


def write_csv(report: TimingReport, path: Path) -> None:
    """One file, one table after the other, each with its title; ``;`` for Italian Excel."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(_heading(report))
        for table in report_tables(report):
            writer.writerow([])
            writer.writerow([table.title])
            writer.writerow(table.headers)
            writer.writerows([_text(cell) for cell in row] for row in table.rows)


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def write_xlsx(report: TimingReport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table in report_tables(report):
        sheet = workbook.create_sheet(table.name)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(list(table.headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        sheet.column_dimensions["A"].width = 36
    workbook.save(path)


def read_csv_tables(path: Path) -> dict[str, list[list[str]]]:
    """The tables of a CSV written by ``write_csv``, by title (header row included)."""
    tables: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in list(csv.reader(handle, delimiter=";"))[1:]:
            if not row:
                current = None
            elif current is None:
                current = tables.setdefault(row[0], [])
            else:
                current.append(row)
    return tables
