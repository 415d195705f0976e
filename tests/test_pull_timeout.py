"""A link that stalls in the middle of a pull: the pull gives up after the read deadline,
and the replica stays writable the whole time (it is not locked while the network is
read)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync import deadline
from sync.engine import OFFLINE, SyncResult
from tests.conftest import Clock
from tests.sync_support import SharedServer, Station, station
from tests.test_sync_conflicts import _register
from tests.test_sync_resilience import _register_offline

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]


class StallingProxy:
    """127.0.0.1 → the PostgreSQL server, forwarding both ways until a client sends
    ``marker``; from then on it forwards nothing (as a dead router would), holding the
    connections open."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.marker: bytes | None = None
        self.stalled = threading.Event()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self._sockets += [client, server]
            for source, target, watch in ((client, server, True), (server, client, False)):
                threading.Thread(
                    target=self._pump, args=(source, target, watch), daemon=True
                ).start()

    def _pump(self, source: socket.socket, target: socket.socket, watch: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if watch and self.marker is not None and self.marker in data:
                    self.stalled.set()
                while self.stalled.is_set():
                    time.sleep(0.05)  # holds the data: nothing passes any more
                target.sendall(data)

    def resume(self) -> None:
        """The link comes back for new connections; the stalled ones are gone."""
        self.marker = None
        stalled, self._sockets = self._sockets, []
        for sock in stalled:
            with contextlib.suppress(OSError):
                sock.close()
        self.stalled.clear()

    def close(self) -> None:
        self._listener.close()
        self.resume()


@pytest.fixture
def proxy(shared: SharedServer) -> Iterator[StallingProxy]:
    host, port = shared.pg.admin_url.split("@", 1)[1].split("/", 1)[0].split(":")
    instance = StallingProxy((host, int(port)))
    yield instance
    instance.close()


def _through(proxy: StallingProxy, shared: SharedServer) -> SharedServer:
    host_part = shared.pg.admin_url.split("@", 1)[1].rsplit("/", 1)[0]
    admin = shared.pg.admin_url.replace(host_part, f"127.0.0.1:{proxy.port}")
    return SharedServer(type(shared.pg)(admin), shared.database, shared.users)


def test_a_stalled_pull_times_out_and_the_replica_stays_writable(
    shared: SharedServer,
    proxy: StallingProxy,
    tmp_path: Path,
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deadline, "READ_TIMEOUT", 2.0)
    clock = Clock()
    other = station(shared, "gialli", tmp_path / "gialli", clock)
    here: Station = station(_through(proxy, shared), "rossi", tmp_path / "rossi", clock)
    try:
        assert here.engine.sync_once().online
        _register(other)  # something for the next pull to fetch
        proxy.marker = b"change_seq >"  # the feed's query: the link dies in the pull
        results: list[SyncResult] = []
        worker = threading.Thread(target=lambda: results.append(here.engine.sync_once()))
        worker.start()
        assert proxy.stalled.wait(10), "the pull never asked for the feed"
        started = time.monotonic()
        saved = _register_offline(here)  # a clerk saves while the pull waits
        assert time.monotonic() - started < 2.0
        worker.join(15)
        assert not worker.is_alive(), "the pull is still waiting on the stalled link"
        assert results[0].online is False and results[0].error == OFFLINE
        proxy.resume()
        after = here.engine.sync_once()
        assert after.online and after.error is None, after.error
        assert after.pushed == 1 and after.pulled >= 1
        assert saved is not None
    finally:
        proxy.resume()
        other.close()
        here.close()
