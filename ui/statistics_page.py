"""*Statistiche*: key figures, charts and tables of a period, for office heads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError
from models.services.labels import type_explanation, type_label
from models.services.stats_period import last_full_month, last_full_quarter
from ui.context import UiContext
from ui.i18n import tr as _tr
from ui.pdf_preview import PdfPreview
from ui.records_model import RecordsModel
from ui.tasks import Job

if TYPE_CHECKING:
    from models.services.tavolo.effect import Effect
    from reports.stats_report import TimingReport

HEAD_ROLES = {"head", "admin"}


@dataclass(frozen=True)
class Computed:
    """Everything the page shows, made on the worker: figures, the PDF, the report."""

    headers: tuple[str, ...]
    rows: list[list[str]]
    pdf: bytes
    report: TimingReport  # kept for the exports
    tavolo: Effect | None = None  # did the tavolo help? (tavolo.effect)


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".0", "").replace(".", ",")


def tavolo_text(found: Effect) -> str:
    """Did the tavolo help? One paragraph (``raccordo tavolo stats`` in full)."""
    if not found.discussed:
        return _tr("Tavolo di coordinamento: no dossier discussed in the period.")
    actions = found.actions
    return _tr(
        "Tavolo di coordinamento: {0} dossiers discussed, without a move for {1} days "
        "(median) when discussed; {2} moved afterwards, after {3} days (median), {4} not "
        "yet. Actions: {5} done on time, {6} late, {7} open past their due date."
    ).format(
        found.discussed,
        _days(found.still_before),
        found.moved,
        _days(found.to_next_move),
        found.not_moved,
        actions.on_time,
        actions.late,
        actions.open_overdue,
    )


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class StatisticsPage(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.computed: Computed | None = None
        today = date.today()
        first, last = last_full_month(today)
        self.start = QDateEdit(_qdate(first))
        self.end = QDateEdit(_qdate(last))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.period = QComboBox()
        self.period.setObjectName("statisticsPeriod")
        self.period.setAccessibleName(_tr("Period"))
        self.period.addItem(_tr("Last month"), last_full_month(today))
        self.period.addItem(_tr("Last quarter"), last_full_quarter(today))
        self.period.addItem(_tr("Other dates"), None)
        self.period.currentIndexChanged.connect(self._period_chosen)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(lambda _day: self._dates_edited())
        self.type_filter = QComboBox()
        self.type_filter.addItem(_tr("All types"), None)
        self.office_filter = QComboBox()
        self.office_filter.addItem(_tr("Both offices"), None)
        self.run_button = QPushButton(_tr("&Compute"))
        self.print_button = QPushButton(_tr("&Print / PDF…"))
        self.csv_button = QPushButton(_tr("Export &CSV…"))
        self.xlsx_button = QPushButton(_tr("Export &XLSX…"))
        self.status = QLabel()
        self.tavolo = QLabel()
        self.tavolo.setObjectName("tavoloEffect")
        self.tavolo.setWordWrap(True)
        self.figures = RecordsModel([], self)
        self.table = QTableView()
        self.table.setAccessibleName(_tr("Key figures"))
        self.table.setObjectName("statisticsTable")
        self.table.setModel(self.figures)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._bytes = QByteArray()
        self._buffer = QBuffer(self)
        self.document = QPdfDocument(self)
        self.charts = QPdfView(self)
        self.charts.setObjectName("statisticsCharts")
        self.charts.setPageMode(QPdfView.PageMode.MultiPage)
        self.charts.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.charts.setDocument(self.document)

        top = QHBoxLayout()
        top.addWidget(self.period)
        for label, edit in ((_tr("From"), self.start), (_tr("To"), self.end)):
            caption = QLabel(label)
            caption.setBuddy(edit)
            top.addWidget(caption)
            top.addWidget(edit)
        for widget in (
            self.type_filter,
            self.office_filter,
            self.run_button,
            self.print_button,
            self.csv_button,
            self.xlsx_button,
        ):
            top.addWidget(widget)
        top.addStretch()
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.charts)
        splitter.setSizes([620, 580])  # every column of the figures shows at 1366 px
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.tavolo)
        layout.addWidget(splitter, 1)

        self.run_button.clicked.connect(self.compute)
        self.print_button.clicked.connect(self.preview)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self._set_ready(False)
        self.allowed = context.operator.role in HEAD_ROLES
        if not self.allowed:
            self.run_button.setEnabled(False)
            self.status.setText(_tr("Statistics are for office heads."))

    def _dates_edited(self) -> None:
        """Dates typed by hand are *Altre date* unless they are a choice's very dates."""
        chosen = (_pydate(self.start.date()), _pydate(self.end.date()))
        index = next(
            (
                i
                for i in range(self.period.count())
                if self.period.itemData(i) and tuple(self.period.itemData(i)) == chosen
            ),
            self.period.count() - 1,
        )
        self.period.blockSignals(True)
        self.period.setCurrentIndex(index)
        self.period.blockSignals(False)

    def _period_chosen(self, _index: int) -> None:
        chosen = self.period.currentData()
        if chosen is None:
            self.start.setFocus()
            return
        first, last = chosen
        self.start.setDate(_qdate(first))
        self.end.setDate(_qdate(last))

    def fill_choices(self, types: list[tuple[str, str]], offices: list[str]) -> None:
        for code, name in types:
            self.type_filter.addItem(type_label(code, name), code)
            self.type_filter.setItemData(
                self.type_filter.count() - 1,
                type_explanation(code, name),
                Qt.ItemDataRole.ToolTipRole,
            )
        for code in offices:
            self.office_filter.addItem(code, code)

    def _set_ready(self, ready: bool) -> None:
        for button in (self.print_button, self.csv_button, self.xlsx_button):
            button.setEnabled(ready)

    def compute(self) -> None:
        start, end = _pydate(self.start.date()), _pydate(self.end.date())
        type_code, office = self.type_filter.currentData(), self.office_filter.currentData()
        username = self.context.operator.username
        self.status.setText(_tr("Computing…"))
        self.run_button.setEnabled(False)

        def work(_job: Job) -> Computed:
            from reports.stats import Period
            from reports.stats_export import report_tables
            from reports.stats_pdf import key_figure_rows, render_pdf
            from reports.stats_query import timing_report

            with self.context.tasks.database.unit_of_work(username) as uow:
                report = timing_report(uow, Period(start, end), type_code, office, "type")
            summary = report_tables(report)[0]
            rows = key_figure_rows(report)
            return Computed(summary.headers, rows, render_pdf(report), report, report.tavolo)

        def failed(error: BaseException) -> None:
            self.run_button.setEnabled(True)
            self.status.setText("")
            message = str(error) if isinstance(error, DomainError | ValueError) else repr(error)
            QMessageBox.warning(self, _tr("Statistics"), message)

        self.context.tasks.run(work, self._show, failed)

    def _show(self, computed: Computed) -> None:
        self.computed = computed
        self.figures.headers = list(computed.headers)
        self.figures.set_rows(computed.rows)
        self._buffer.close()
        self._bytes = QByteArray(computed.pdf)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.run_button.setEnabled(True)
        self._set_ready(True)
        self.tavolo.setText(tavolo_text(computed.tavolo) if computed.tavolo else "")
        self.status.setText(
            _tr("{0} pages: key figures, charts, tables.").format(self.document.pageCount())
        )

    def preview(self) -> None:
        if self.computed is not None:
            PdfPreview(
                self.computed.pdf, _tr("Turnaround statistics"), "statistiche.pdf", self
            ).open()

    def export(self, kind: str) -> None:
        if self.computed is None:
            return
        pattern = _tr("CSV files (*.csv)") if kind == "csv" else _tr("Excel files (*.xlsx)")
        name, _filter = QFileDialog.getSaveFileName(
            self, _tr("Export"), f"statistiche.{kind}", pattern
        )
        if name:
            self.write(kind, Path(name))

    def write(self, kind: str, path: Path) -> Job | None:
        """Write the export on the worker (disk work stays off the window's thread)."""
        if self.computed is None:
            return None
        report = self.computed.report

        def work(_job: Job) -> Path:
            from reports import stats_export

            writer = stats_export.write_csv if kind == "csv" else stats_export.write_xlsx
            writer(report, path)
            return path

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, _tr("Export"), str(error))

        return self.context.tasks.run(
            work, lambda written: self.status.setText(_tr("Saved {0}").format(written)), failed
        )
