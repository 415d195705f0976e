"""The server goes away while workstations edit; everything resumes when it returns."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from models.db import make_engine, upgrade
from models.dossiers import Dossier
from models.seed import initialise
from models.uow import Database
from tests.conftest import Clock
from tests.pg_harness import PgServer, _run, _start_throwaway
from tests.sync_support import (
    USERS,
    MemoryKeyring,
    SharedServer,
    add_login,
    prepare_server,
    station,
    unique,
)
from tests.test_sync_conflicts import _edit, _field, _register
from tests.test_sync_resilience import ROOT, _cli_env, _register_offline

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]


class Throwaway:
    """A PostgreSQL server of this test alone, which it can stop and start again."""

    def __init__(self) -> None:
        self.pg: PgServer = _start_throwaway()
        assert self.pg.data_dir and self.pg.pg_ctl
        self.port = int(self.pg.admin_url.rsplit(":", 1)[1].split("/")[0])

    def stop(self) -> None:
        assert self.pg.data_dir and self.pg.pg_ctl
        _run([self.pg.pg_ctl, "-D", str(self.pg.data_dir), "-m", "fast", "stop"], self.pg.run_as)

    def start(self) -> None:
        assert self.pg.data_dir and self.pg.pg_ctl
        base = self.pg.data_dir.parent
        options = f"-p {self.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(
            [self.pg.pg_ctl, "-D", str(self.pg.data_dir), "-o", options, "-l",
             str(base / "log"), "-w", "start"],
            self.pg.run_as,
        )  # fmt: skip


@pytest.fixture
def own_server() -> Iterator[tuple[Throwaway, SharedServer]]:
    server = Throwaway()
    name = "raccordo_offline"
    with psycopg.connect(server.pg.admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(server.pg.url_for(name))
    upgrade(engine)
    initialise(Database(engine))
    engine.dispose()
    shared = SharedServer(server.pg, name, {short: unique(short) for short in USERS})
    prepare_server(shared.admin_url, "raccordo")
    for short, (office, role, restricted) in USERS.items():
        add_login(shared.admin_url, shared.users[short], office, role, restricted)
    yield server, shared
    with contextlib.suppress(subprocess.CalledProcessError):
        server.pg.stop()


def test_server_stopped_and_restarted_while_workstations_edit(
    own_server: tuple[Throwaway, SharedServer],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    clock: Clock,
) -> None:
    server, shared = own_server
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    ref = _register(sui)
    questura.engine.sync_once()

    server.stop()
    _edit(sui, ref, birth_place="Suceava")  # offline: the replica takes every edit
    offline_id = _register_offline(sui)
    _edit(questura, ref, cui="XY98ZW7")
    result = sui.engine.sync_once()
    assert (result.online, result.queued) == (False, 2)
    assert result.error is not None and "non raggiungibile" in result.error
    assert questura.engine.sync_once().online is False
    assert sui.engine.wait_for_change(0.2) is False
    with sui.replica.unit_of_work(sui.user) as uow:  # reads keep working
        found = uow.session.get(Dossier, offline_id)
        assert found is not None and found.reference.startswith("PROVV-")

    server.start()
    back = sui.engine.sync_once()
    assert (back.online, back.pushed, back.queued) == (True, 2, 0)
    assert questura.engine.sync_once().pushed == 1
    sui.engine.sync_once()
    for where in (sui, questura):
        assert _field(where, ref, "birth_place") == "Suceava"
        assert _field(where, ref, "cui") == "XY98ZW7"
        assert _field(where, str(offline_id), "protocol_number") is not None
    sui.close()
    questura.close()


def test_watch_keeps_a_workstation_live_and_stops_cleanly_on_ctrl_c(
    shared: SharedServer, file_keyring: object, tmp_path: Path, clock: Clock
) -> None:
    writer = station(shared, "rossi", tmp_path / "writer", clock)
    watcher = station(shared, "bianchi", tmp_path / "watcher", clock)
    watcher.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--home", str(watcher.home), "sync", "--watch",
         "--interval", "30"],
        env=_cli_env(tmp_path, None), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        time.sleep(3)  # started and listening
        new_id = _register_offline(writer)
        assert writer.engine.sync_once().pushed == 1
        saved = time.monotonic()
        seen = None
        while time.monotonic() - saved < 10:
            with watcher.replica.sessions() as session:
                seen = session.scalar(select(Dossier.id).where(Dossier.id == new_id))
            if seen is not None:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - saved
        assert seen == new_id
        assert elapsed < 2.0  # woken by NOTIFY, not by the 30 s timer
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "interrotta" in err
    writer.close()
    watcher.replica.engine.dispose()
