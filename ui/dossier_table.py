"""The dossier table model: ordered ids up front, rows fetched when painted.

Following Anki's browser and calibre's library view: the model holds the ids of the
whole result, sorts and filters in SQL, and asks the worker thread for the columns of a
page of rows only when the view paints one it does not have. No ``fetchMore`` and no
proxy model: a proxy would sort only what had been fetched.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from models.dates import italian_date as it_date
from models.forecast import MIN_PASSAGES, MIN_SURVIVORS, History
from models.read.dossiers import DossierReads
from models.read.filters import DossierFilter
from models.read.table import RISK, TableRow, ids_by_risk, read_table, table_ids, table_rows
from models.services.labels import holder_label, italian_number, type_explanation, type_label
from ui.i18n import tr as _tr

if TYPE_CHECKING:
    from models.services.waiting import ParereWait
from ui.tasks import Job, TaskManager

PAGE = 100
FIRST_ROWS = 2 * PAGE  # more than a maximised window shows
READ_ALL_AFTER_MS = 300
MAX_PAGES = 60  # rows kept in memory: 6,000
HISTORY_SECONDS = 600  # the office's history changes as dossiers close: read it again after
Index = QModelIndex | QPersistentModelIndex


class Column:
    def __init__(self, key: str, title: str, sort: str | None) -> None:
        self.key, self.title, self.sort = key, title, sort


def _columns() -> list[Column]:
    tr = _tr
    return [
        Column("reference", tr("Protocol"), "protocol"),
        Column("name", tr("Surname and names"), "name"),
        Column("nationality", tr("Natl."), "nationality"),
        Column("type_code", tr("Type"), "type"),
        Column("state_label", tr("State"), "state"),
        Column("holder", tr("Holder"), "holder"),
        Column("filed_on", tr("Filed"), "filed_on"),
        Column("deadline", tr("Deadline"), "deadline"),
        Column("open_flags", tr("Open items"), "open_flags"),
        Column("risk", tr("Risk"), "risk"),
        Column("waiting", tr("Waiting since"), None),  # shown on *Da lavorare* only
    ]


class DossierTableModel(QAbstractTableModel):
    """``RowRole`` gives the whole ``TableRow`` (or None while it is being fetched)."""

    RowRole = Qt.ItemDataRole.UserRole + 1
    loaded = Signal(int)  # number of ids after a reload
    pageArrived = Signal()

    def __init__(self, tasks: TaskManager, username: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.username = username
        self.columns = _columns()
        self.spec = DossierFilter()
        self.sort_key, self.descending = "filed_on", True
        self._ids: list[str] = []
        self._pages: OrderedDict[int, dict[str, TableRow]] = OrderedDict()
        # *Da lavorare*: how long each dossier has waited for a parere (hex id → cell).
        self.show_waiting = False
        self._waits: dict[str, ParereWait] = {}
        # The breach risk of the rows fetched (hex id → 0–1, None: no estimate; closed
        # dossiers absent) and the history it came from, kept a while for the next pages.
        self._risks: dict[str, float | None] = {}
        self._history: tuple[float, date, History] | None = None
        self._wanted: set[int] = set()
        self._requested: set[int] = set()
        self._generation = 0
        self._reload_jobs: list[Job] = []
        self._fetch_timer = QTimer(self, singleShot=True, interval=0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        # Reading every id of a large result waits until typing pauses: reading half a
        # million ids keeps the interpreter busy, and the next keystroke would wait on it.
        self._read_all: Callable[[], None] = lambda: None
        self._read_all_timer = QTimer(self, singleShot=True, interval=READ_ALL_AFTER_MS)
        self._read_all_timer.timeout.connect(lambda: self._read_all())
        self._submit_reload: Callable[[], None] = lambda: None
        self._reload_timer = QTimer(self, singleShot=True, interval=0)
        self._reload_timer.timeout.connect(lambda: self._submit_reload())

    # -- querying -------------------------------------------------------------

    def set_filter(self, spec: DossierFilter) -> None:
        self.spec = spec
        self.reload()

    def reload(self) -> None:
        """Run the id query again on the worker; the newest request wins.

        First the ids of the first screenful, so the table paints at once; then, when the
        result is larger, every id (half a second at 500,000) on the background worker,
        appended as rows. ``loaded`` says the count once it is known.
        """
        self._generation += 1
        generation = self._generation
        self._read_all_timer.stop()
        self._reload_timer.stop()
        for job in self._reload_jobs:
            job.cancel()
        spec, sort, descending, user = self.spec, self.sort_key, self.descending, self.username
        light = self.tasks.light_url  # before the first paint: the driver alone

        def ids(limit: int | None) -> list[str]:
            if light is not None:
                found = read_table(
                    light, user, lambda reads: table_ids(reads, spec, sort, descending, limit)
                )
                if found is not None:
                    return found
            from models.services.table import dossier_ids

            with self.tasks.database.unit_of_work(user) as uow:
                return dossier_ids(uow, spec, sort, descending, limit=limit)

        def first_arrived(first: list[str]) -> None:
            if generation != self._generation:
                return
            self._reset(first)
            if len(first) < FIRST_ROWS:
                self.loaded.emit(len(first))
                return
            self._read_all = lambda: self._reload_jobs.append(
                self.tasks.background.run(
                    lambda _job: ids(None), partial(self._all_arrived, generation)
                )
            )
            self._read_all_timer.start()

        def submit() -> None:
            if sort == RISK:  # every risk is computed to order them: one read, kept
                self._reload_jobs.append(self.tasks.run(ranked, ranked_arrived))
                return
            self._reload_jobs.append(self.tasks.run(lambda _job: ids(FIRST_ROWS), first_arrived))

        def ranked(_job: Job) -> tuple[list[str], dict[str, float | None]]:
            if light is not None:
                found = read_table(light, user, lambda reads: ids_by_risk(reads, spec, descending))
                if found is not None:
                    return found
            from models.services.table import ids_by_risk as ranked_by_service

            with self.tasks.database.unit_of_work(user) as uow:
                return ranked_by_service(uow, spec, descending)

        def ranked_arrived(result: tuple[list[str], dict[str, float | None]]) -> None:
            if generation != self._generation:
                return
            ordered, risks = result
            self._reset(ordered)
            self._risks.update({key: risks.get(key) for key in ordered})
            self.loaded.emit(len(ordered))

        self._reload_jobs = []
        if light is None:
            submit()
        else:  # the window is being built: its several reloads become one, once it shows
            self._submit_reload = submit
            self._reload_timer.start()

    def _reset(self, ids: list[str]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self._wanted.clear()
        self._requested.clear()
        self._waits.clear()
        self._risks.clear()
        self.endResetModel()

    def _all_arrived(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation:
            return
        known = len(self._ids)
        if ids[:known] != self._ids:
            self._reset(ids)  # the data changed between the two queries
        elif len(ids) > known:
            self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
        self.loaded.emit(len(ids))

    def refresh_rows(self, dossier_ids: set[str]) -> None:
        """Forget the cached columns of these dossiers so they are fetched again."""
        rows = (self.row_of(i) for i in dossier_ids)
        pages = {row // PAGE for row in rows if row is not None}
        for page in pages:
            self._pages.pop(page, None)
            first = page * PAGE
            last = min(first + PAGE, len(self._ids)) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, dossier_id: str) -> int | None:
        try:
            return self._ids.index(dossier_id)  # a scan, but only for the few rows changed
        except ValueError:
            return None

    def cached_row(self, row: int) -> TableRow | None:
        page = self._pages.get(row // PAGE)
        return None if page is None else page.get(self._ids[row])

    # -- page fetching --------------------------------------------------------

    def _want(self, row: int) -> None:
        page = row // PAGE
        if page not in self._requested:
            self._wanted.add(page)
            if not self._fetch_timer.isActive():
                self._fetch_timer.start()

    def _fetch_wanted(self) -> None:
        pages, self._wanted = sorted(self._wanted), set()
        generation, light, user = self._generation, self.tasks.light_url, self.username
        for page in pages:
            ids = self._ids[page * PAGE : (page + 1) * PAGE]
            self._requested.add(page)

            def work(_job: Job, ids: list[str] = ids) -> dict[str, TableRow]:
                if light is not None:
                    found = read_table(light, user, lambda reads: table_rows(reads, ids))
                    if found is not None:
                        return found
                from models.services.table import dossier_rows

                with self.tasks.database.unit_of_work(user) as uow:
                    return dossier_rows(uow, ids)

            self.tasks.run(
                work,
                partial(self._page_arrived, generation, page),
                partial(self._page_failed, page),
            )
            if self.show_waiting:
                self.tasks.run(
                    partial(self._read_waits, ids),
                    partial(self._waits_arrived, generation, page),
                )
            if all(key in self._risks for key in ids):
                continue  # known already: read with the order (sorted by risk)
            # On the second worker: the office's history takes a second at 200,000
            # dossiers, and the quick reads a person waits for must not queue behind it.
            self.tasks.background.run(
                partial(self._read_risks, ids), partial(self._risks_arrived, generation, page)
            )

    def _fresh_history(self) -> History | None:
        kept = self._history
        if kept is None:
            return None
        read_at, day, history = kept
        if time.monotonic() - read_at > HISTORY_SECONDS or day != date.today():
            return None
        return history

    def _read_risks(self, ids: list[str], _job: Job) -> dict[str, float | None]:
        """The page's breach risks (on the worker). The office's history is read for the
        first page and kept for the next ones (a plain object, never a Qt one)."""
        wanted = [uuid.UUID(hex=i) for i in ids]
        light, user = self.tasks.light_url, self.username
        kept = self._fresh_history()

        def read(reads: DossierReads) -> tuple[History, dict[uuid.UUID, float | None]]:
            history = kept or reads.office_history()
            return history, reads.breach_risks(wanted, history)

        found = read_table(light, user, read) if light is not None else None
        if found is None:
            from models.services.forecast import breach_risks, office_history

            with self.tasks.database.unit_of_work(user) as uow:
                history = kept or office_history(uow)
                found = history, breach_risks(uow, wanted, history)
        history, risks = found
        if history is not kept:
            self._history = (time.monotonic(), date.today(), history)
        return {key.hex: risk for key, risk in risks.items()}

    def _risks_arrived(self, generation: int, page: int, risks: dict[str, float | None]) -> None:
        if generation != self._generation:
            return
        self._risks.update(risks)
        column = next(i for i, c in enumerate(self.columns) if c.key == "risk")
        first = page * PAGE
        last = min(first + PAGE, len(self._ids)) - 1
        self.dataChanged.emit(self.index(first, column), self.index(last, column))

    def _read_waits(self, ids: list[str], _job: Job) -> dict[str, ParereWait]:
        from models.services.waiting import parere_waits

        with self.tasks.database.unit_of_work(self.username) as uow:
            return parere_waits(uow, ids)

    def _waits_arrived(self, generation: int, page: int, waits: dict[str, ParereWait]) -> None:
        if generation != self._generation:
            return
        self._waits.update(waits)
        column = self.columnCount() - 1
        first = page * PAGE
        last = min(first + PAGE, len(self._ids)) - 1
        self.dataChanged.emit(self.index(first, column), self.index(last, column))

    def _page_failed(self, page: int, _error: BaseException) -> None:
        self._requested.discard(page)

    def _page_arrived(self, generation: int, page: int, rows: dict[str, TableRow]) -> None:
        self._requested.discard(page)
        if generation != self._generation:
            return
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE
        last = min(first + PAGE, len(self._ids)) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self.pageArrived.emit()

    def visible_rows_loaded(self, first: int, last: int) -> bool:
        return all(self.cached_row(r) is not None for r in range(first, last + 1))

    # -- Qt model interface ---------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self.cached_row(index.row())
        if row is None:
            self._want(index.row())
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 1 else None
        if role == self.RowRole:
            return row
        key = self.columns[index.column()].key
        if key == "risk":
            return self._risk_data(row, role)
        if key == "waiting":
            wait = self._waits.get(row.id)
            if wait is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return wait.text
            return wait.tooltip if role == Qt.ItemDataRole.ToolTipRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, key)
            if isinstance(value, date):
                return it_date(value)
            key = self.columns[index.column()].key
            if key == "open_flags":
                return str(value) if value else ""
            if key == "type_code":
                return type_label(row.type_code)
            if key == "holder":
                return holder_label(row.holder)
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            key = self.columns[index.column()].key
            if key == "name":
                return row.name
            if key == "type_code":
                return type_explanation(row.type_code)
        return None

    def _risk_data(self, row: TableRow, role: int) -> Any:
        if row.closed or row.id not in self._risks:
            return None
        risk = self._risks[row.id]
        if role == Qt.ItemDataRole.DisplayRole:
            return italian_number(None if risk is None else risk * 100, 0, percent=True)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            if risk is None:
                return _tr(
                    "Too little history to say: fewer than {passages} dossiers of this type "
                    "closed after passing through this state, or fewer than {survivors} of "
                    "them stayed in it as long as this one."
                ).format(passages=MIN_PASSAGES, survivors=MIN_SURVIVORS)
            return _tr(
                "Probability of missing the legal term, from this office's own history: "
                "of the recently closed dossiers of this type that stayed in this state at "
                "least as long, the share that needed more time than this dossier has left "
                "(suspended days not counted)."
            )
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort if 0 <= column < len(self.columns) else None
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
