"""A statement the server cancels during a push (a time limit, the write gate or a row
lock still held) is the server being busy, not a refusal of the change: the sync says so,
keeps the queue, and the next one sends it. Before, the change was listed as refused for
good ("operazione non permessa dal server") and never sent again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from sync import apply, apply_batch
from sync.engine import BUSY
from tests.conftest import Clock
from tests.sync_support import MemoryKeyring, SharedServer, station
from tests.test_sync_resilience import _register_offline

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]


class _LockNotAvailable(Exception):
    sqlstate = "55P03"
    diag = None


def _lock_timeout(*_args: Any) -> None:
    raise OperationalError("UPDATE …", {}, _LockNotAvailable("canceling statement"))


def _fallback(*_args: Any) -> None:
    raise apply_batch._Fallback("mutation by mutation")


@pytest.mark.parametrize("path", ["batch", "mutation by mutation"])
def test_a_push_cancelled_by_a_server_limit_is_sent_at_the_next_sync(
    path: str,
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    where = station(shared, "rossi", tmp_path / "home", clock)
    _register_offline(where)
    queued = where.engine.queued()

    if path == "batch":
        monkeypatch.setattr(apply_batch, "_together", _lock_timeout)
    else:
        monkeypatch.setattr(apply_batch, "_together", _fallback)
        monkeypatch.setattr(apply, "check_facts_now", _lock_timeout)
    busy = where.engine.sync_once()
    assert (busy.online, busy.error, busy.refused) == (True, BUSY, 0)
    assert where.engine.queued() == queued
    monkeypatch.undo()

    again = where.engine.sync_once()
    assert (again.online, again.pushed, again.refused, again.queued) == (True, 1, 0, 0)
    where.close()
