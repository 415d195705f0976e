"""The embedded archive while another writer holds it: a one-line message instead of a
traceback, and a long import that does not hold the write lock while it checks."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.cli.main import main
from models import db as db_module
from models.dossiers import Dossier
from models.uow import Database
from sync.inbox.scanner import claim
from tests.inbox_helpers import STEFAN, csv_text, make_processor


def test_a_save_while_the_archive_is_held_fails_in_one_italian_line(
    database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(str(database.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, for longer than the wait
    try:
        code = main(["--home", str(tmp_path), "--user", "admin", "recompute"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("errore: ") and err.count("\n") == 1, err
    assert "occupato" in err and "Traceback" not in err
    assert main(["--home", str(tmp_path), "--user", "admin", "recompute"]) == 0


def _rows(count: int) -> list[dict[str, str]]:
    return [
        {**STEFAN, "codice_domanda": f"ALI-2026-{n:05d}", "passaporto": f"YA{n:07d}"}
        for n in range(count)
    ]


def test_a_long_import_holds_the_write_lock_only_for_its_writes(
    database: Database, tmp_path: Path
) -> None:
    inbox = tmp_path / "arrivo"
    processor = make_processor(database, inbox)
    path = inbox / "elenco.csv"
    path.write_text(csv_text(_rows(1500)), encoding="utf-8")
    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    held: list[float] = []  # moments the write lock was found taken
    stop = threading.Event()

    def probe() -> None:
        """Asks for the write lock every 10 ms without waiting and without writing (so the
        import's reads stay current)."""
        connection = sqlite3.connect(
            str(database.engine.url.database), isolation_level=None, timeout=0
        )
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
    assert outcome.created == 1500, outcome.problems
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 1500
    assert held, "the import never took the write lock"
    # Reading, checking and building the dossiers happen before the first write; only
    # the writes themselves (the inserts, the audit entries, the search index) hold it.
    assert held[0] - started > 0.2 * took, (held[0] - started, took)
    assert held[-1] - held[0] < 0.85 * took, (held[-1] - held[0], took)
