"""Fixtures of the sync tests (``pytest_plugins = ["tests.sync_fixtures"]``): a prepared
server with unique login roles, and keyrings that live outside any workstation's home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from sync.server.names import ServerRoles
from tests.conftest import _drop_pg_database, _fresh_pg_database
from tests.pg_harness import PgServer
from tests.sync_support import (
    GROUPS,
    USERS,
    FileKeyring,
    MemoryKeyring,
    SharedServer,
    add_login,
    drop_roles,
    prepare_server,
    unique,
)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def shared(pg_server: PgServer, pg_template: str) -> Iterator[SharedServer]:
    name = _fresh_pg_database(pg_server, pg_template)
    prefix = unique("t")
    server = SharedServer(pg_server, name, {short: unique(short) for short in USERS})
    prepare_server(server.admin_url, prefix)
    for short, (office, role, restricted) in USERS.items():
        add_login(server.admin_url, server.users[short], office, role, restricted)
    yield server
    _drop_pg_database(pg_server, name)
    groups = [getattr(ServerRoles(prefix), g) for g in GROUPS]
    drop_roles(pg_server.admin_url, [*server.users.values(), *groups])


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FileKeyring]:
    monkeypatch.setenv("RACCORDO_TEST_KEYRING", str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    backend = FileKeyring()  # type: ignore[no-untyped-call]
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
