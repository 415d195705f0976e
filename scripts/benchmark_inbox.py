"""Times the inbox folder against its targets (issue 7).

    .venv/bin/python scripts/benchmark_inbox.py [--rows 10000[,30000…]] [--documents 1000]
        [--size-mb 1] [--runs 3] [--db URL]

Through the whole pipeline a watcher runs (readiness, claiming, import, register, moving
to ``importati/``), in one process, as ``rossi``: a ministry list of ``--rows`` new rows
(target 10 s), the same list dropped again (no changes; no target, shown for reference),
and ``--documents`` scans of ``--size-mb`` MB each attached to one dossier (target 60 s).
Each run uses new application codes and new content, in the same database (a temporary
SQLite file unless ``--db``). Prints medians and the ratio measured/target; exit status 1
when a target is missed.

On SQLite a probe asks for the write lock every 10 ms during the first import of each
list, without waiting (as a clerk's save would, had it no busy timeout): it prints how
long the import kept the lock in all and the longest stretch a save would have waited
(target 1 s, whatever the list's size), and the CPU time the import's write
transaction took (what the lock covers without the waits for a core that a loaded
machine adds). Several sizes (``--rows 10000,30000``) are timed
one after the other, each in its own table. ``--documents 0`` times the lists alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.config import resolve  # noqa: E402
from desktop.wiring import open_database  # noqa: E402
from models.services.admin import add_user  # noqa: E402
from models.services.registration import register_dossier  # noqa: E402
from models.uow import Database, UnitOfWork  # noqa: E402
from sync.inbox.files import InboxFolders  # noqa: E402
from sync.inbox.processor import InboxProcessor  # noqa: E402
from sync.inbox.watcher import InboxWatcher, WatchOptions  # noqa: E402

USER = "rossi"
LIST_TARGET = 10.0
DOCUMENTS_TARGET = 60.0
LOCK_TARGET = 1.0  # longest wait for the write lock a clerk's save may meet
PROBE_EVERY = 0.01
HEADER = (
    "codice_domanda;tipo_pratica;data_presentazione;cognome;nome;sesso;data_nascita;"
    "luogo_nascita;cittadinanza;passaporto;codice_fiscale;datore_denominazione;"
    "datore_codice_fiscale;datore_pec;provincia"
)
NATIONALITIES = ("ALB", "MAR", "IND", "ROU", "UKR", "PAK", "BGD", "EGY", "SEN", "PER")


def list_bytes(run: int, rows: int) -> bytes:
    lines = [HEADER]
    for n in range(rows):
        lines.append(
            f"BENCH-{run:02d}-{n:06d};NO_LAVORO;{1 + n % 28:02d}/09/2026;Cognome{n};Nome{n};"
            f"{'MF'[n % 2]};{1 + n % 28:02d}/0{1 + n % 9}/19{70 + n % 30};Tirana;"
            f"{NATIONALITIES[n % len(NATIONALITIES)]};YA{run:02d}{n:06d};;"
            f"Azienda agricola {n % 97};00743110157;azienda{n % 97}@pec.it;LO"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def prepare(db: str | None, home: Path) -> Database:
    database = open_database(resolve(home=str(home), db=db))
    with database.unit_of_work("admin", write=True) as uow:
        try:
            add_user(uow, USER, "LO-SUI", "sui_clerk", False, "Mario Rossi")
            uow.commit()
        except Exception:
            pass  # already there (a reused --db)
    return database


def drop_and_import(processor: InboxProcessor, expected: int) -> float:
    """Time from the scan that finds the files ready to the last one filed away."""
    watcher = InboxWatcher(processor.folders, processor.process, WatchOptions(False, 0, 0))
    watcher.scan()  # first sight
    start = time.perf_counter()
    claimed = watcher.scan()
    elapsed = time.perf_counter() - start
    if len(claimed) != expected:
        raise SystemExit(f"expected {expected} files, claimed {len(claimed)}")
    return elapsed


class LockProbe:
    """Asks for SQLite's write lock every 10 ms without waiting, and gives it back at once
    (it writes nothing): the moments it was refused are the moments a save had to wait."""

    def __init__(self, database: Database) -> None:
        self.path = database.engine.url.database
        self.answers: list[tuple[float, bool]] = []  # (moment, refused)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._probe, daemon=True)

    def _probe(self) -> None:
        connection = sqlite3.connect(str(self.path), isolation_level=None, timeout=0)
        while not self._stop.is_set():
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                self.answers.append((time.monotonic(), False))
            except sqlite3.OperationalError:
                self.answers.append((time.monotonic(), True))
            time.sleep(PROBE_EVERY)
        connection.close()

    def __enter__(self) -> LockProbe:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def stretches(self) -> list[float]:
        """How long each run of refusals lasted: from its first refusal to the probe that
        got the lock again."""
        found: list[float] = []
        since: float | None = None
        for moment, refused in self.answers:
            if refused and since is None:
                since = moment
            elif not refused and since is not None:
                found.append(moment - since)
                since = None
        if since is not None:
            found.append(self.answers[-1][0] - since)
        return found


class WriteCpu:
    """The CPU time the import's thread spends in its write transactions (from the
    unit of work's ``restart(write=True)`` to its commit): what the lock covers, less
    the waits for a core a loaded machine adds."""

    def __init__(self) -> None:
        self.spent: list[float] = []
        self._restart = UnitOfWork.restart
        self._commit = UnitOfWork.commit

    def __enter__(self) -> WriteCpu:
        started: dict[int, float] = {}
        restart, commit, spent = self._restart, self._commit, self.spent

        def timed_restart(uow: UnitOfWork, *, write: bool) -> None:
            restart(uow, write=write)
            if write:
                started[id(uow)] = time.thread_time()

        def timed_commit(uow: UnitOfWork) -> None:
            commit(uow)
            if id(uow) in started:
                spent.append(time.thread_time() - started.pop(id(uow)))

        UnitOfWork.restart = timed_restart  # type: ignore[method-assign]
        UnitOfWork.commit = timed_commit  # type: ignore[method-assign]
        return self

    def __exit__(self, *_exc: object) -> None:
        UnitOfWork.restart = self._restart  # type: ignore[method-assign]
        UnitOfWork.commit = self._commit  # type: ignore[method-assign]


def bench_list(
    processor: InboxProcessor, run: int, rows: int
) -> tuple[float, float, tuple[float, float, float] | None]:
    """The list's first import, its second, and (SQLite) the lock held: in all, longest,
    and the CPU of the longest write transaction."""
    data = list_bytes(run, rows)
    (processor.folders.root / f"elenco-{run}.csv").write_bytes(data)
    held = None
    if processor.database.engine.dialect.name == "sqlite":
        with LockProbe(processor.database) as probe, WriteCpu() as cpu:
            first = drop_and_import(processor, 1)
        stretches = probe.stretches()
        held = (sum(stretches), max(stretches, default=0.0), max(cpu.spent, default=0.0))
    else:
        first = drop_and_import(processor, 1)
    (processor.folders.root / f"elenco-{run}-di-nuovo.csv").write_bytes(data)
    again = drop_and_import(processor, 1)
    return first, again, held


def bench_documents(
    processor: InboxProcessor, reference: str, run: int, count: int, size: int
) -> float:
    prefix = reference.replace("/", "-")
    for n in range(count):
        body = b"%PDF-1.4\n" + os.urandom(size - 9)
        (processor.folders.root / f"{prefix}__run{run}-pagina{n:04d}.pdf").write_bytes(body)
    return drop_and_import(processor, count)


def row(name: str, target: float | None, times: list[float]) -> tuple[str, str, str, str, str]:
    median = statistics.median(times)
    if target is None:
        return name, "—", f"{median:.2f} s", f"{max(times):.2f} s", "—"
    ratio = median / target
    verdict = "" if ratio <= 1 else " (FAIL)"
    return (
        name,
        f"{target:.0f} s",
        f"{median:.2f} s",
        f"{max(times):.2f} s",
        f"{ratio:.2f}{verdict}",
    )


def bench_size(
    processor: InboxProcessor,
    reference: str,
    args: argparse.Namespace,
    rows: int,
    first_run: int,
) -> bool:
    """Every run for lists of ``rows`` (runs numbered from ``first_run``, so that each
    list has new codes); prints the table; True when a target is missed."""
    size = int(args.size_mb * 1024 * 1024)
    lists, agains, docs, held, longest, cpu = [], [], [], [], [], []
    for run in range(first_run, first_run + args.runs):
        first, again, lock = bench_list(processor, run, rows)
        lists.append(first)
        agains.append(again)
        if lock is not None:
            held.append(lock[0])
            longest.append(lock[1])
            cpu.append(lock[2])
        if args.documents:
            docs.append(bench_documents(processor, reference, run, args.documents, size))
        print(
            f"{rows:,} rows, run {run - first_run + 1}: list {first:.2f} s, again {again:.2f} s"
            + (
                f", write lock held {lock[0]:.2f} s (longest {lock[1]:.2f} s, "
                f"its CPU {lock[2]:.2f} s)"
                if lock
                else ""
            )
            + (f", documents {docs[-1]:.2f} s" if docs else ""),
            file=sys.stderr,
            flush=True,
        )
    table = [
        row(f"list of {rows:,} new rows", LIST_TARGET, lists),
        row(f"the same list again ({rows:,} unchanged)", None, agains),
    ]
    if held:
        table.append(row("  write lock held during it, in all", None, held))
        table.append(row("  longest wait for the lock", LOCK_TARGET, longest))
        table.append(row("  CPU of the import's write transaction", None, cpu))
    if docs:
        table.append(
            row(f"{args.documents:,} documents of {args.size_mb:g} MB", DOCUMENTS_TARGET, docs)
        )
    headers = ("measure", "target", "median", "worst", "ratio")
    widths = [max(len(r[i]) for r in (headers, *table)) for i in range(5)]
    for line in (headers, *table):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))
    return any(r[4].endswith("(FAIL)") for r in table)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", default="10000", help="rows of each list; several sizes separated by commas"
    )
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="raccordo-bench-inbox-"))
    try:
        database = prepare(args.db, home)
        with database.unit_of_work(USER, write=True) as uow:
            reference = register_dossier(
                uow,
                "NO_LAVORO",
                {
                    "surname": "Documenti",
                    "given_names": "Prova",
                    "birth_date": "1990-03-04",
                    "nationality": "ALB",
                    "employer_name": "Azienda",
                    "filed_on": "2026-09-01",
                },
            ).reference
            uow.commit()
        inbox = home / "arrivo"
        inbox.mkdir()
        processor = InboxProcessor(database, USER, InboxFolders.at(inbox, "benchmark"))
        processor.folders.ensure()
        failed = False
        for n, count in enumerate(int(rows) for rows in str(args.rows).split(",")):
            failed |= bench_size(processor, reference, args, count, n * args.runs)
        database.engine.dispose()
        return 1 if failed else 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
