"""Writing the demo: batches of rows through a compiled insert (``COPY`` on PostgreSQL),
from a second process for large runs; ``generate`` is the entry point.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from datetime import UTC, date, datetime
from itertools import accumulate
from multiprocessing.connection import Connection as MPConnection
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Table, Uuid, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from desktop.demo.codes import Codec
from desktop.demo.employers import employer_pools
from desktop.demo.plan import YEARS_BACK, Planned, plan_filings, reserve_counters, save_counters
from desktop.demo.rows import (
    DOSSIER_COLUMNS,
    EVENT_COLUMNS,
    FLAG_COLUMNS,
    PARERE_COLUMNS,
    Batch,
    build_rows,
)
from desktop.demo.setup import (
    Setup,
    ensure_staff,
    fill_demo_letterhead,
    holder_offices_of,
    load_actors,
    load_offices,
    load_types,
    next_run,
    parere_target_of,
    type_weight,
)
from models.audit import append_entries
from models.dossiers import Dossier, DossierEvent, Flag, Parere
from models.enums import (
    OfficeKind,
)
from models.errors import NotFound
from models.uow import Database

Progress = Callable[[int, int], None]
BATCH_SIZE = 5000
PARALLEL_FROM = 20_000  # dossiers from which a second process builds rows while one writes
ACTOR = "demo"
_SQLITE_CACHE_KIB = 131_072  # indexes of a large demo stay in memory while inserting

# Writing.


class TableFormat:
    """One table's rows as the driver takes them: in the statement's column order, with
    the dialect's own bind processors applied to dates, timestamps and booleans (ids come
    ready from the ``Codec``).

    The statement is compiled from a Core ``insert()``, but rows skip SQLAlchemy's per-row
    parameter handling, which at this volume costs more than the insert itself; on
    PostgreSQL they go through ``COPY``.
    """

    def __init__(self, dialect: Dialect, model: type[Any], columns: Sequence[str]) -> None:
        self.table = cast(Table, model.__table__)
        self.copy = dialect.name == "postgresql" and dialect.driver == "psycopg"
        compiled = insert(self.table).compile(dialect=dialect, column_keys=list(columns))
        order = tuple(columns)
        if not self.copy:
            order = tuple(compiled.positiontup or ()) if dialect.positional else ()
            if sorted(order) != sorted(columns):
                raise RuntimeError(f"driver {dialect.driver} non supportato dalla demo")
        self.order, self.sql = order, compiled.string
        self.reorder = itemgetter(*(list(columns).index(name) for name in order))
        self.processors = []
        for index, name in enumerate(order):
            column_type = self.table.c[name].type
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None and not isinstance(column_type, Uuid):
                self.processors.append((index, process))

    def encode(self, rows: list[tuple[Any, ...]]) -> list[Sequence[Any]]:
        if not self.processors:
            return [self.reorder(row) for row in rows]
        result: list[Sequence[Any]] = []
        for row in rows:
            values = list(self.reorder(row))
            for index, process in self.processors:
                if values[index] is not None:
                    values[index] = process(values[index])
            result.append(tuple(values))
        return result


Encoded = list[list[Sequence[Any]]]  # rows of each table in _TABLES, ready for the driver
_TOTALS = ("dossiers", "events", "pareri", "flags")
_TABLES: tuple[tuple[type[Any], tuple[str, ...]], ...] = (
    (Dossier, DOSSIER_COLUMNS),
    (DossierEvent, EVENT_COLUMNS),
    (Parere, PARERE_COLUMNS),
    (Flag, FLAG_COLUMNS),
)


def _formats(dialect: Dialect) -> list[TableFormat]:
    return [TableFormat(dialect, model, columns) for model, columns in _TABLES]


def _encode(batch: Batch, formats: list[TableFormat]) -> Encoded:
    tables = (batch.dossiers, batch.events, batch.pareri, batch.flags)
    return [fmt.encode(rows) for fmt, rows in zip(formats, tables, strict=True)]


def _write(connection: Connection, formats: list[TableFormat], encoded: Encoded) -> None:
    for fmt, rows in zip(formats, encoded, strict=True):
        if not rows:
            continue
        if fmt.copy:
            _copy(connection, fmt, rows)
        else:
            connection.exec_driver_sql(fmt.sql, rows)


def _copy(connection: Connection, fmt: TableFormat, rows: list[Sequence[Any]]) -> None:
    names = ", ".join(fmt.order)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {fmt.table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _chunks(items: list[Planned], size: int) -> Iterator[list[Planned]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _batches(
    setup: Setup, planned: list[Planned], formats: list[TableFormat]
) -> Generator[Encoded, None, None]:
    for chunk in _chunks(planned, BATCH_SIZE):
        batch = Batch()
        for item in chunk:
            build_rows(setup, item, batch)
        yield _encode(batch, formats)


def _produce(setup: Setup, planned: list[Planned], drivername: str, pipe: MPConnection) -> None:
    """Child process: builds and encodes the batches in order, for the writer."""
    formats = _formats(make_url(f"{drivername}://").get_dialect()())
    for encoded in _batches(setup, planned, formats):
        pipe.send(encoded)
    pipe.send(None)
    pipe.close()


def _batches_from_child(
    setup: Setup, planned: list[Planned], drivername: str
) -> Generator[Encoded, None, None]:
    """The same batches, built by a second process while this one writes the previous.

    Generation stays sequential in the child, so the output equals the in-process one.
    """
    context = multiprocessing.get_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(setup, planned, drivername, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                encoded = receiver.recv()
            except EOFError:
                raise RuntimeError("generazione dei dati dimostrativi interrotta") from None
            if encoded is None:
                break
            yield encoded
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
        receiver.close()


def _audit(session: Session, setup: Setup, totals: Counter[str]) -> None:
    """One entry for the whole run: the rows were written without the ORM's flush hook."""
    changes: dict[str, list[Any]] = {
        "count": [None, totals["dossiers"]],
        "seed": [None, setup.seed],
        "run": [None, setup.run],
        "events": [None, totals["events"]],
        "pareri": [None, totals["pareri"]],
        "flags": [None, totals["flags"]],
    }
    append_entries(session, ACTOR, [("dossiers", "demo", "insert", changes)])


def _tune_sqlite(connection: Connection) -> int | None:
    if connection.dialect.name != "sqlite":
        return None
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    return int(previous) if previous is not None else None


MAX_DOSSIERS = 2_000_000  # a typing slip (10**12) must not run for days


def generate(database: Database, count: int, seed: int, progress: Progress | None = None) -> int:
    """Add ``count`` synthetic dossiers with their history; returns how many were added."""
    if count <= 0:
        return 0
    if count > MAX_DOSSIERS:
        from models.errors import ValidationError

        limit = f"{MAX_DOSSIERS:_}".replace("_", ".")
        raise ValidationError({"dossiers": f"al massimo {limit} pratiche dimostrative per volta"})
    with database.unit_of_work(None, write=True) as uow:
        session = uow.session
        session.info["actor"] = ACTOR
        setup = _load_setup(session, uow.today, seed, count)
        years = range(uow.today.year - YEARS_BACK, uow.today.year + 1)
        before = reserve_counters(session, setup, years)
        planned, after = plan_filings(setup, count, before)
        connection = session.connection()
        previous_cache = _tune_sqlite(connection)
        formats, totals = _formats(connection.dialect), Counter[str]()
        if count >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            source = _batches_from_child(setup, planned, connection.engine.url.drivername)
        else:
            source = _batches(setup, planned, formats)
        with closing(source):  # on an error, the child process is stopped at once
            for encoded in source:
                _write(connection, formats, encoded)
                totals.update(dict(zip(_TOTALS, map(len, encoded), strict=True)))
                if progress is not None:
                    progress(totals["dossiers"], count)
        save_counters(session, setup, before, after)
        _audit(session, setup, totals)
        if previous_cache is not None:
            connection.exec_driver_sql(f"PRAGMA cache_size={previous_cache}")
        uow.commit()
    return totals["dossiers"]


def _load_setup(session: Session, today: date, seed: int, count: int) -> Setup:
    codec = Codec.for_dialect(session.connection().dialect)
    offices = load_offices(session, codec)
    if set(offices) != set(OfficeKind):
        raise NotFound("la demo richiede un ufficio SUI e un ufficio della Questura")
    types = load_types(session, offices, codec)
    if not types:
        raise NotFound("nessun tipo di pratica attivo con regole sui termini: niente da generare")
    ensure_staff(session)
    fill_demo_letterhead(session)
    actors = load_actors(session, codec)
    for kind in OfficeKind:
        if (kind, False) not in actors:
            raise NotFound(f"nessun utente dell'ufficio {offices[kind].code} per la demo")
    run = next_run(session, seed)
    rnd = random.Random(seed if run == 1 else f"{seed}/{run}")
    return Setup(
        rnd=rnd,
        codec=codec,
        seed=seed,
        run=run,
        today=today,
        now=datetime.now(UTC),
        types=types,
        type_weights=list(accumulate(type_weight(t) for t in types)),
        offices=offices,
        actors=actors,
        holder_offices=holder_offices_of(session, types, codec),
        parere_target=parere_target_of(session),
        employers=employer_pools(rnd, types, count),
        next_flag=(session.scalar(select(func.max(Flag.number))) or 0) + 1,
    )
