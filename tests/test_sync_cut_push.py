"""A connection cut in the middle of a push is the server being away, not a refusal: the
sync reports offline, keeps the queue, and the next one sends it (found by the chaos run,
scripts/chaos_sync.py: the push went on mutation by mutation on the dead connection and
the command failed with a half-done-transaction error)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from sync import apply_batch
from sync.engine import OFFLINE
from tests.conftest import Clock
from tests.sync_support import MemoryKeyring, SharedServer, station
from tests.test_sync_resilience import _register_offline

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]


def test_a_push_cut_mid_batch_reports_offline_and_is_sent_later(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    where = station(shared, "rossi", tmp_path / "home", clock)
    _register_offline(where)
    queued = where.engine.queued()

    def cut(*_args: Any) -> None:
        raise OperationalError(
            "INSERT …", {}, Exception("server closed the connection"), connection_invalidated=True
        )

    monkeypatch.setattr(apply_batch, "_together", cut)
    cut_short = where.engine.sync_once()
    assert (cut_short.online, cut_short.error, cut_short.refused) == (False, OFFLINE, 0)
    assert where.engine.queued() == queued
    monkeypatch.undo()

    again = where.engine.sync_once()
    assert (again.online, again.pushed, again.refused, again.queued) == (True, 1, 0, 0)
    where.close()
