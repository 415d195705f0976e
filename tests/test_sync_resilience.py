"""Interrupted syncs lose nothing and apply nothing twice; a reader never misses a change."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from models.dossiers import Dossier, DossierEvent
from models.registry import Setting
from models.services.conflicts import list_conflicts
from models.sync_tables import OutboxEntry
from sync import testpoints
from tests.conftest import Clock
from tests.sync_support import (
    FileKeyring,
    MemoryKeyring,
    SharedServer,
    Station,
    station,
)
from tests.test_sync_conflicts import _edit, _register, _server_field
from tests.test_sync_roundtrip import PERSON

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]
ROOT = Path(__file__).resolve().parents[1]


def _register_offline(where: Station) -> uuid.UUID:
    from models.services.registration import register_dossier

    with where.replica.unit_of_work(where.user, write=True) as uow:
        registered = register_dossier(uow, "NO_LAVORO", PERSON)
        uow.commit()
    return registered.dossier_id


def _server_count(shared: SharedServer, sql: str, **params: object) -> int:
    with shared.engine().connect() as connection:
        return int(connection.execute(text(sql), params).scalar_one())


def test_a_push_whose_answer_is_lost_applies_nothing_twice(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = station(shared, "rossi", tmp_path / "a", clock)
    second = station(shared, "gialli", tmp_path / "b", clock)
    ref = _register(first)
    second.engine.sync_once()
    _edit(first, ref, birth_place="Suceava")
    first.engine.sync_once()
    _edit(second, ref, birth_place="Iași")  # will conflict
    new_id = _register_offline(second)

    def lose_answer(point: str) -> None:
        if point == "push-after-commit":
            raise ConnectionResetError("answer lost")

    monkeypatch.setattr(testpoints, "reached", lose_answer)
    with pytest.raises(ConnectionResetError):
        second.engine.sync_once()
    monkeypatch.undo()
    assert second.engine.queued() == 2  # nothing cleaned up locally: the answer never came

    again = second.engine.sync_once()
    assert (again.pushed, again.conflicts, again.queued) == (2, 1, 0)
    assert _server_count(shared, "SELECT count(*) FROM dossiers WHERE id = :i", i=new_id) == 1
    events = "SELECT count(*) FROM dossier_events WHERE dossier_id = :i"
    assert _server_count(shared, events, i=new_id) == 1
    assert _server_count(shared, "SELECT count(*) FROM dossiers") == 2
    with second.replica.unit_of_work(second.user) as uow:
        [conflict] = list_conflicts(uow)
        assert uow.session.get(Dossier, new_id).protocol is not None  # type: ignore[union-attr]
    assert (conflict.local, conflict.server) == ("Iași", "Suceava")
    assert second.engine.sync_once().pushed == 0  # a third time: still nothing new
    first.close()
    second.close()


def test_concurrent_writers_while_a_reader_pulls_miss_nothing(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    writer_station = station(shared, "rossi", tmp_path / "w", clock)
    ref = _register(writer_station)
    reader = station(shared, "bianchi", tmp_path / "r", clock)
    office = _server_count(shared, "SELECT count(*) FROM offices")  # warm the engine
    assert office >= 2
    written: list[str] = []
    lock = threading.Lock()

    def write(worker: int) -> None:
        rnd = random.Random(worker)
        with psycopg.connect(shared.admin_url, autocommit=False) as connection:
            for n in range(15):
                event_id = str(uuid.uuid4())
                time.sleep(rnd.random() * 0.01)
                connection.execute(
                    "INSERT INTO dossier_events (id, version, dossier_id, seq, kind, "
                    "effective_on, note, entered_at) VALUES "
                    "(%s, 1, %s, %s, 'updated', '2026-11-23', %s, now())",
                    (event_id, ref, 100 + worker * 100 + n, f"writer {worker} #{n}"),
                )
                time.sleep(rnd.random() * 0.02)  # commits land in any order
                connection.commit()
                with lock:
                    written.append(event_id)

    workers = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    pulls = 0
    while any(w.is_alive() for w in workers):
        reader.engine.sync_once()
        pulls += 1
    for worker in workers:
        worker.join()
    reader.engine.sync_once()
    assert pulls > 3
    with reader.replica.sessions() as session:
        seen = {str(i) for i in session.scalars(select(DossierEvent.id))}
    assert len(written) == 60
    assert set(written) <= seen
    writer_station.close()
    reader.close()


def _cli_env(tmp_path: Path, pause_at: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "tests.sync_support.FileKeyring",
            "RACCORDO_TEST_KEYRING": str(tmp_path / "keyring.json"),
            "RACCORDO_SYNC_PAUSE_FILE": str(tmp_path / "paused"),
        }
    )
    env.pop("RACCORDO_SYNC_PAUSE_AT", None)
    if pause_at:
        env["RACCORDO_SYNC_PAUSE_AT"] = pause_at
    return env


def _sync_and_kill(home: Path, tmp_path: Path, point: str) -> None:
    marker = tmp_path / "paused"
    marker.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--home", str(home), "sync"],
        env=_cli_env(tmp_path, point),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode())  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the sync never reached " + point
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def _sync_cli(home: Path, tmp_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--home", str(home), "sync", "--json"],
        env=_cli_env(tmp_path, None),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("point", ["push-before-commit", "push-after-commit"])
def test_killed_in_the_middle_of_a_push(
    shared: SharedServer, file_keyring: FileKeyring, tmp_path: Path, clock: Clock, point: str
) -> None:
    where = station(shared, "rossi", tmp_path / "home", clock)
    new_id = _register_offline(where)
    where.close()
    _sync_and_kill(where.home, tmp_path, point)
    if point == "push-after-commit":
        assert _server_count(shared, "SELECT count(*) FROM dossiers WHERE id = :i", i=new_id) == 1
    else:
        assert _server_count(shared, "SELECT count(*) FROM dossiers WHERE id = :i", i=new_id) == 0
    with where.replica.sessions() as session:  # the queue survived the kill
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 2
    assert '"queued": 0' in _sync_cli(where.home, tmp_path)
    assert _server_count(shared, "SELECT count(*) FROM dossiers WHERE id = :i", i=new_id) == 1
    events = "SELECT count(*) FROM dossier_events WHERE dossier_id = :i"
    assert _server_count(shared, events, i=new_id) == 1
    with where.replica.sessions() as session:
        dossier = session.get(Dossier, new_id)
        assert dossier is not None and dossier.protocol is not None
    where.replica.engine.dispose()


def test_killed_in_the_middle_of_a_pull(
    shared: SharedServer, file_keyring: FileKeyring, tmp_path: Path, clock: Clock
) -> None:
    writer = station(shared, "rossi", tmp_path / "writer", clock)
    reader = station(shared, "gialli", tmp_path / "reader", clock)
    reader.close()
    ids = [_register_offline(writer) for _ in range(3)]
    writer.engine.sync_once()
    _sync_and_kill(reader.home, tmp_path, "pull-mid-apply")
    with reader.replica.sessions() as session:  # nothing half-applied, cursor unchanged
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0
    _sync_cli(reader.home, tmp_path)
    with reader.replica.sessions() as session:
        assert set(session.scalars(select(Dossier.id))) == set(ids)
        cursor = session.get(Setting, "sync.cursor")
        assert cursor is not None
    assert int(cursor.value) == _server_count(shared, "SELECT value FROM sync_counter")
    writer.close()
    reader.replica.engine.dispose()


def test_server_field_helper_reads_the_server(shared: SharedServer) -> None:
    assert _server_field(shared, str(uuid.uuid4()), "state") is None
