"""A big list on the embedded archive: made while others keep saving, written in one short
transaction, all or nothing, recorded exactly as the ORM would record it (issue 13, 7)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from models import audit, bulk, search_index
from models.db import make_engine, upgrade
from models.dossiers import Dossier, DossierEvent
from models.read.connection import open_reader
from models.read.dossiers import DossierReads, load_viewer
from models.read.filters import DossierFilter
from models.registry import AuditEntry, ProtocolCounter
from models.seed import initialise
from models.services.admin import add_user
from models.services.inbox import ImportStatus, apply_application_rows
from models.services.queries import list_dossiers
from models.services.registration import update_dossier
from models.sync_tables import OutboxEntry
from models.uow import Database
from sync.inbox import processor as processor_module
from sync.inbox.csv_import import parse_list
from sync.inbox.files import InboxFolders
from sync.inbox.scanner import claim
from sync.outbox import install as install_outbox
from tests.conftest import Clock
from tests.factories import register
from tests.inbox_helpers import STEFAN, csv_text, make_processor, write_list

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def _rows(count: int, start: int = 0, **changed: str) -> list[dict[str, str]]:
    return [
        {**STEFAN, "codice_domanda": f"ALI-2026-{n:05d}", "passaporto": f"YA{n:07d}", **changed}
        for n in range(start, start + count)
    ]


def _count(db: Database, table: Any) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _numbers(db: Database) -> list[int]:
    with db.sessions() as session:
        return sorted(n for n in session.scalars(select(Dossier.protocol_number)) if n)


def _audit_ok(db: Database) -> None:
    with db.sessions() as session:
        check = audit.verify(session)
    assert check.ok, check.problems


def test_a_clerk_saves_while_a_list_is_made_and_both_are_kept(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk registers a dossier and edits one the list updates while the list is
    being checked: the save does not wait, and the list, made again on top of it,
    takes the numbers after the clerk's and keeps the clerk's edit."""
    edited = register(db, application_code="ALI-2026-00000", passport="YA0000000")
    processor = make_processor(db, tmp_path / "arrivo")
    waited: list[float] = []
    planned = processor_module.plan_application_rows

    def clerk_saves_meanwhile(uow: Any, rows: Any) -> Any:
        made = planned(uow, rows)
        if not waited:
            started = time.monotonic()
            register(db, application_code="SPORTELLO-1", passport="ZZ1234567")
            with db.unit_of_work("rossi", write=True) as clerk:
                update_dossier(clerk, str(edited.dossier_id), {"birth_place": "Iași"})
                clerk.commit()
            waited.append(time.monotonic() - started)
        return made

    monkeypatch.setattr(processor_module, "plan_application_rows", clerk_saves_meanwhile)
    rows = _rows(400, **{"datore_pec": "lista@pec.it"})
    rows[0]["luogo_nascita"] = ""  # an empty cell erases nothing the clerk typed
    path = write_list(tmp_path / "arrivo", "elenco.csv", rows)
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    outcome = processor.process(claimed)

    assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    assert (outcome.created, outcome.updated) == (399, 1)
    assert waited and waited[0] < 2.0, waited  # the clerk never waited for the list
    assert _numbers(db) == list(range(1, 402))  # gapless, none taken twice
    with db.sessions() as session:
        clerk_first = session.scalar(
            select(Dossier.protocol_number).where(Dossier.application_code == "SPORTELLO-1")
        )
        both = session.get(Dossier, edited.dossier_id)
    assert clerk_first == 2  # the list's new dossiers come after the clerk's
    assert both is not None and (both.birth_place, both.employer_pec) == ("Iași", "lista@pec.it")
    _audit_ok(db)


def test_a_clerk_saving_during_a_big_import_never_waits_past_a_short_busy_timeout(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = [register(db, application_code=f"ALTRA-{n}", passport=f"ZZ{n:07d}") for n in range(3)]
    monkeypatch.setattr("models.db.BUSY_TIMEOUT_MS", 3000)
    clerk = Database(make_engine(str(db.engine.url.database)), db.today)
    processor = make_processor(db, tmp_path / "arrivo")
    path = write_list(tmp_path / "arrivo", "elenco.csv", _rows(3000))
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    done = threading.Event()
    saves: list[float] = []
    failures: list[BaseException] = []

    def keep_saving() -> None:
        n = 0
        while not done.is_set():
            target = others[n % len(others)]
            started = time.monotonic()
            try:
                with clerk.unit_of_work("rossi", write=True) as uow:
                    update_dossier(uow, str(target.dossier_id), {"birth_place": f"Luogo {n}"})
                    uow.commit()
            except BaseException as error:
                failures.append(error)
                return
            saves.append(time.monotonic() - started)
            n += 1
            time.sleep(0.02)

    saver = threading.Thread(target=keep_saving, daemon=True)
    saver.start()
    try:
        outcome = processor.process(claimed)
    finally:
        done.set()
        saver.join(30)
        clerk.engine.dispose()
    assert not failures, failures
    assert outcome.status is ImportStatus.IMPORTED and outcome.created == 3000
    assert len(saves) > 10, saves  # the clerk kept saving all along
    assert _count(db, Dossier) == 3003
    _audit_ok(db)


def test_a_failure_in_the_last_write_leaves_nothing_and_the_list_comes_back(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(db, application_code="ALI-2026-00000")
    entries_before = _count(db, AuditEntry)
    processor = make_processor(db, tmp_path / "arrivo")
    path = write_list(tmp_path / "arrivo", "elenco.csv", _rows(1500, start=1))
    moved = bulk.Insert.move

    def fail_at_the_audit(self: bulk.Insert, connection: Any) -> None:
        if self.table.name == "audit_log":  # the last of the moves: the rows are in by now
            assert _rows_seen_by(connection) > 1
            raise OSError("disco pieno")
        moved(self, connection)

    monkeypatch.setattr(bulk.Insert, "move", fail_at_the_audit)
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    with pytest.raises(OSError):
        processor.process_or_give_back(claimed)
    assert _count(db, Dossier) == 1 and _count(db, DossierEvent) == 1
    assert _count(db, AuditEntry) == entries_before
    with db.sessions() as session:
        assert session.scalar(select(ProtocolCounter.last_number)) == 1
    assert _pending(db) == 0 and _search_index_matches(db)
    assert path.exists()  # back in the inbox, to be read again

    monkeypatch.setattr(bulk.Insert, "move", moved)
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    outcome = processor.process(claimed)
    assert outcome.created == 1500 and _numbers(db) == list(range(1, 1502))
    assert _pending(db) == 0 and _search_index_matches(db)
    assert _found(db, "ya0001500") == ({"ALI-2026-01500"}, {"ALI-2026-01500"})
    _audit_ok(db)


def _rows_seen_by(connection: Any) -> int:
    return int(connection.exec_driver_sql("SELECT count(*) FROM dossiers").scalar())


def test_a_bad_last_row_of_a_big_list_imports_nothing(db: Database, tmp_path: Path) -> None:
    rows = [*_rows(2000), {**STEFAN, "codice_domanda": "ALI-2026-99999", "cittadinanza": "XX"}]
    processor = make_processor(db, tmp_path / "arrivo")
    path = write_list(tmp_path / "arrivo", "elenco.csv", rows)
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    outcome = processor.process(claimed)
    assert outcome.status is ImportStatus.REJECTED
    assert any(p.startswith("riga 2002") for p in outcome.problems), outcome.problems
    assert _count(db, Dossier) == 0


VARYING = re.compile(
    r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"  # ids
    r"|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?"  # moments
)


def _plain(value: Any) -> Any:
    return json.loads(VARYING.sub("·", json.dumps(value, sort_keys=True, default=str)))


def _update_rows() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    first = _rows(3)
    second = [
        {**first[0], "datore_pec": "nuova@pec.it"},
        {**first[1], "passaporto": "YB1111111", "data_presentazione": "02/09/2026"},
        first[2],  # unchanged
        *_rows(2, start=10),
    ]
    return first, second


def _recorded(database: Database, since: int) -> list[Any]:
    """What the log (or a replica's outbox) says after ``since``, ids and moments blanked."""
    with database.sessions() as session:
        if database.is_replica:
            queued = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
            return [
                (e.table_name, e.action, e.base_version, _plain(json.loads(e.changes)))
                for e in list(queued)[since:]
            ]
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > since).order_by(AuditEntry.seq)
        )
        return [
            (e.table_name, e.action, e.actor, e.restricted, _plain(json.loads(e.changes)))
            for e in entries
        ]


def _table_rows(database: Database) -> list[Any]:
    with database.engine.connect() as connection:
        dossiers = connection.execute(
            select(Dossier.__table__).order_by(Dossier.__table__.c.application_code)
        )
        events = connection.execute(
            select(DossierEvent.__table__).order_by(
                DossierEvent.__table__.c.effective_on, DossierEvent.__table__.c.note
            )
        )
        return [_plain(dict(r._mapping)) for r in [*dossiers, *events]]


def _size(database: Database) -> int:
    with database.sessions() as session:
        table = OutboxEntry if database.is_replica else AuditEntry
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("role", ["local", "replica"])
def test_a_list_that_updates_is_written_and_recorded_as_the_orm_would(
    db: Database, tmp_path: Path, clock: Clock, role: str
) -> None:
    """Oracle: the same two lists through the ORM, flushing each row (the path on a
    server), into a second archive."""
    other_engine = make_engine(str(tmp_path / "oracolo.sqlite3"))
    upgrade(other_engine)
    initialise(Database(other_engine))
    oracle = Database(other_engine, clock)
    with oracle.unit_of_work("admin", write=True) as uow:
        add_user(uow, "rossi", "LO-SUI", "sui_clerk", False, "Mario Rossi")
        uow.commit()
    if role == "replica":
        db = Database(db.engine, clock, role="replica", outbox=install_outbox)
        oracle = Database(other_engine, clock, role="replica", outbox=install_outbox)
    first, second = _update_rows()
    processor = make_processor(db, tmp_path / "arrivo")
    results = []
    for n, rows in enumerate((first, second)):
        since = _size(db)
        claimed = claim(
            write_list(processor.folders.root, f"{n}.csv", rows), processor.folders.working
        )
        assert claimed is not None
        outcome = processor.process(claimed)
        assert outcome.status is ImportStatus.IMPORTED, outcome.problems
        results.append(_recorded(db, since))
    expected = []
    for rows in (first, second):
        since = _size(oracle)
        parsed = parse_list(csv_text(rows).encode())
        with oracle.unit_of_work("rossi", write=True) as uow:
            outcome_orm = apply_application_rows(uow, parsed.rows)
            assert not outcome_orm.problems
            uow.commit()
        expected.append(_recorded(oracle, since))
    assert outcome.updated == 2 and outcome.created == 2 and outcome.unchanged == 1
    # The register entry of each file is the inbox's own: the oracle has none.
    got = [[e for e in r if e[0] != "imports"] for r in results]
    # Within one flush the ORM orders changed rows as its identity map does (no order
    # to keep): the same entries, each file's in any order.
    assert [sorted(map(repr, r)) for r in got] == [sorted(map(repr, r)) for r in expected]
    assert any(e[1] == "update" for e in got[1])
    assert _table_rows(db) == _table_rows(oracle)
    other_engine.dispose()


def test_an_update_list_takes_the_write_lock_only_at_the_end(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path / "arrivo")
    claimed = claim(
        write_list(processor.folders.root, "a.csv", _rows(1500)), processor.folders.working
    )
    assert claimed is not None
    processor.process(claimed)
    path = write_list(processor.folders.root, "b.csv", _rows(1500, datore_pec="altra@pec.it"))
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    held: list[float] = []
    stop = threading.Event()

    def probe() -> None:
        connection = sqlite3.connect(str(db.engine.url.database), isolation_level=None, timeout=0)
        while not stop.is_set():
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
            except sqlite3.OperationalError:
                held.append(time.monotonic())
            time.sleep(0.01)
        connection.close()

    watching = threading.Thread(target=probe, daemon=True)
    watching.start()
    started = time.monotonic()
    outcome = processor.process(claimed)
    took = time.monotonic() - started
    stop.set()
    watching.join(10)
    assert outcome.updated == 1500, outcome.problems
    assert held, "the import never took the write lock"
    # Before, the first update's flush took the lock and kept it to the end.
    assert held[0] - started > 0.5 * took, (held[0] - started, took)
    assert held[-1] - held[0] < 0.5 * took, (held[-1] - held[0], took)


# -- crashes, readers and the search index ---------------------------------------------

CRASHING_LIST = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from models import bulk, search_index
    from models.db import make_engine
    from models.uow import Database
    from sync.inbox.files import InboxFolders
    from sync.inbox.processor import InboxProcessor
    from sync.inbox.scanner import claim

    url, root, marker, where = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

    def stop():
        marker.write_text(where)
        time.sleep(120)

    moved = bulk.Insert.move
    def move(self, connection):
        moved(self, connection)
        if where == "move" and self.table.name == "dossiers":
            stop()  # the dossiers are in, their events and audit entries not yet

    indexed = search_index._index_some
    calls = []
    def index_some(connection, rows):
        calls.append(rows)
        if where == "index" and len(calls) == 2:
            stop()  # the list committed, a first part of its search index too
        return indexed(connection, 500)

    bulk.Insert.move = move
    search_index._index_some = index_some
    processor = InboxProcessor(Database(make_engine(url)), "rossi", InboxFolders.at(root, "pc"))
    processor.process(claim(root / "elenco.csv", processor.folders.working))
    """
)


def _crash_while_importing(db: Database, tmp_path: Path, rows: int, where: str) -> Path:
    """A second process imports ``elenco.csv`` and is killed at ``where``: the inbox."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_list(inbox, "elenco.csv", _rows(rows, start=1))
    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CRASHING_LIST,
            db.engine.url.render_as_string(hide_password=False),
            str(inbox),
            str(marker),
            where,
        ],
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the import ended before the crash"
            assert time.monotonic() < deadline, "the import never got there"
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    return inbox


def _search_index_matches(db: Database) -> bool:
    """SQLite's own check of the full-text index against the dossiers' keys."""
    with db.engine.connect() as connection:
        try:
            connection.exec_driver_sql(
                "INSERT INTO dossier_search(dossier_search, rank) VALUES ('integrity-check', 1)"
            )
        except DBAPIError:
            return False
        return True


def _found(db: Database, text: str) -> tuple[set[str], set[str]]:
    """Application codes found by ``text``: through the services, and the light read path."""
    spec = DossierFilter(search=text)
    with db.unit_of_work("rossi") as uow:
        services = {r.application_code for r in list_dossiers(uow, spec, None)}
    reader = open_reader(db.engine.url.render_as_string(hide_password=False))
    assert reader is not None
    try:
        reads = DossierReads(reader, load_viewer(reader, "rossi"), db.today())
        light = {r.application_code for r in reads.list_records(spec, None)}
    finally:
        reader.close()
    return services, light


def _pending(db: Database) -> int:
    with db.engine.connect() as connection:
        return search_index.pending(connection)


def test_a_crash_in_the_middle_of_the_write_leaves_nothing_and_the_list_is_read_again(
    db: Database, tmp_path: Path
) -> None:
    register(db, application_code="SPORTELLO-0")
    entries_before = _count(db, AuditEntry)
    inbox = _crash_while_importing(db, tmp_path, 2000, "move")

    assert _count(db, Dossier) == 1 and _count(db, DossierEvent) == 1
    assert _count(db, AuditEntry) == entries_before
    assert _numbers(db) == [1] and _pending(db) == 0 and _search_index_matches(db)
    processor = make_processor(db, inbox)
    processor.folders = InboxFolders.at(inbox, "pc")
    assert processor.recover() == [inbox / "elenco.csv"]  # the next start takes it back
    claimed = claim(inbox / "elenco.csv", processor.folders.working)
    assert claimed is not None
    assert processor.process(claimed).created == 2000
    assert register(db, application_code="SPORTELLO-1").reference.endswith("/0002002")
    assert _numbers(db) == list(range(1, 2003))  # no number lost to the crash
    assert _pending(db) == 0 and _search_index_matches(db)
    _audit_ok(db)


def test_a_crash_before_the_search_index_is_filled_hides_nothing(
    db: Database, tmp_path: Path
) -> None:
    inbox = _crash_while_importing(db, tmp_path, 2000, "index")

    assert _count(db, Dossier) == 2000 and _numbers(db) == list(range(1, 2001))
    assert _pending(db) == 1500  # the first 500 rows were indexed
    assert not _search_index_matches(db)
    # Found all the same: the first indexed row, one left to the index, a part of all.
    for text, codes in [
        ("YA0000001", {"ALI-2026-00001"}),
        ("ya0001999", {"ALI-2026-01999"}),
        ("ali-2026-005", {f"ALI-2026-005{n:02d}" for n in range(100)}),  # 00500 indexed
    ]:
        assert _found(db, text) == (codes, codes), text
    processor = make_processor(db, inbox)
    processor.folders = InboxFolders.at(inbox, "pc")
    processor.recover()  # the next start fills the rest of the index
    assert _pending(db) == 0 and _search_index_matches(db)
    assert _found(db, "ya0001999") == ({"ALI-2026-01999"}, {"ALI-2026-01999"})
    assert (inbox / "importati" / "elenco.csv").is_file()
    _audit_ok(db)


def test_a_reader_sees_the_list_whole_or_not_at_all(db: Database, tmp_path: Path) -> None:
    register(db, application_code="SPORTELLO-0")
    processor = make_processor(db, tmp_path / "arrivo")
    path = write_list(tmp_path / "arrivo", "elenco.csv", _rows(3000, start=1))
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    seen: set[tuple[int, ...]] = set()
    done = threading.Event()

    def keep_reading() -> None:
        connection = sqlite3.connect(str(db.engine.url.database), isolation_level=None)
        while not done.is_set():
            connection.execute("BEGIN")
            seen.add(
                tuple(
                    connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("dossiers", "dossier_events", "audit_log", "imports")
                )
                + connection.execute("SELECT max(last_number) FROM protocol_counters").fetchone()
            )
            connection.execute("COMMIT")
        connection.close()

    before = _count(db, AuditEntry)
    reader = threading.Thread(target=keep_reading, daemon=True)
    reader.start()
    try:
        outcome = processor.process(claimed)
    finally:
        done.set()
        reader.join(30)
    assert outcome.created == 3000
    after = (3001, 3001, _count(db, AuditEntry), 1, 3001)
    assert after[2] == before + 6001  # a dossier and its event each, and the file's entry
    assert seen <= {(1, 1, before, 0, 1), after} and len(seen) == 2, seen


def test_a_save_gets_in_between_two_parts_of_the_search_index(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerks = register(db, application_code="SPORTELLO-0")
    catch_up = search_index.catch_up
    monkeypatch.setattr(search_index, "catch_up", lambda *_a, **_k: 0)
    processor = make_processor(db, tmp_path / "arrivo")
    claimed = claim(
        write_list(tmp_path / "arrivo", "elenco.csv", _rows(3000)), processor.folders.working
    )
    assert claimed is not None and processor.process(claimed).created == 3000
    assert _pending(db) == 3000
    filling = threading.Thread(target=catch_up, args=(db.engine, 200), daemon=True)
    filling.start()
    deadline = time.monotonic() + 30
    while _pending(db) == 3000:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    with db.unit_of_work("rossi", write=True) as uow:
        left = search_index.pending(uow.session.connection())
        update_dossier(uow, str(clerks.dossier_id), {"birth_place": "Lodi"})
        uow.commit()
    filling.join(60)
    assert 0 < left < 3000  # the save did not wait for the whole index
    assert _pending(db) == 0 and _search_index_matches(db)
