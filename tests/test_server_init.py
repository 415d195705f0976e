"""``raccordo server init`` is safe to re-run, and workstations can ask what they talk to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from models import audit
from models.db import make_engine
from models.errors import DomainError
from sync.server import check_compatibility, server_now
from tests.conftest import _drop_pg_database, _fresh_pg_database
from tests.pg_harness import PgServer
from tests.server_support import Server, register_as

pytestmark = pytest.mark.postgres

CATALOGUE = {
    "roles": "SELECT rolname, rolcanlogin, rolsuper, rolbypassrls FROM pg_roles"
    " WHERE rolname LIKE %(like)s ORDER BY 1",
    "members": "SELECT r.rolname, m.rolname FROM pg_auth_members a"
    " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
    " WHERE r.rolname LIKE %(like)s ORDER BY 1, 2",
    "tables": "SELECT relname, relowner::regrole::text, relacl::text, relrowsecurity,"
    " relforcerowsecurity FROM pg_class WHERE relnamespace IN"
    " ('public'::regnamespace, %(schema)s::regnamespace) ORDER BY 1",
    "policies": "SELECT tablename, policyname, cmd, roles::text, qual, with_check"
    " FROM pg_policies ORDER BY 1, 2",
    "triggers": "SELECT tgrelid::regclass::text, tgname, tgenabled, pg_get_triggerdef(oid)"
    " FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2",
    "functions": "SELECT oid::regprocedure::text, proowner::regrole::text, prosecdef,"
    " proconfig::text, proacl::text, md5(prosrc) FROM pg_proc"
    " WHERE pronamespace = %(schema)s::regnamespace ORDER BY 1",
    "database": "SELECT datacl::text FROM pg_database WHERE datname = current_database()",
    "settings": "SELECT key, value FROM settings ORDER BY 1",
    "feed": "SELECT value FROM sync_counter",
    "audit": "SELECT count(*), max(hash) FROM audit_log",
    "rows": "SELECT count(*), max(change_seq), max(updated_at) FROM dossiers",
    "flag numbers": "SELECT last_value FROM {schema}.flag_numbers",
}


def snapshot(server: Server) -> dict[str, Any]:
    values = {"like": f"{server.roles.prefix}\\_%", "schema": server.roles.schema}
    with server.admin() as connection:
        return {
            name: connection.execute(
                query.replace("{schema}", server.roles.schema), values
            ).fetchall()
            for name, query in CATALOGUE.items()
        }


def test_running_init_again_changes_nothing(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    register_as(server, "rossi")
    before = snapshot(server)
    assert server.cli("server", "init", "--db", server.admin_url) == 0  # the stored prefix
    out = capsys.readouterr().out
    assert "creato" not in out and "aggiunto" not in out and "numerate" not in out
    assert snapshot(server) == before


def test_init_refuses_another_prefix(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert server.cli("server", "init", "--db", server.admin_url, "--prefix", "altro") == 1
    assert f"--prefix {server.roles.prefix}" in capsys.readouterr().err


def test_a_workstation_learns_whether_it_may_talk_to_the_server(
    server: Server, plain: Engine
) -> None:
    with server.engine.connect() as connection:
        check_compatibility(connection)
        assert abs(server_now(connection) - datetime.now(UTC)) < timedelta(minutes=1)
        connection.execute(text("UPDATE settings SET value = '99' WHERE key = 'sync.protocol'"))
        with pytest.raises(DomainError, match="aggiornare Raccordo su questa postazione"):
            check_compatibility(connection)
        connection.execute(text("UPDATE settings SET value = '0' WHERE key = 'sync.protocol'"))
        with pytest.raises(DomainError, match="aggiornare il server"):
            check_compatibility(connection)
        connection.rollback()
    with plain.connect() as connection:
        with pytest.raises(DomainError, match="non è un server Raccordo"):
            check_compatibility(connection)
        assert audit.server_writes_audit(connection) is False
    with server.engine.connect() as connection:
        assert audit.server_writes_audit(connection) is True


@pytest.fixture
def plain(pg_server: PgServer, pg_template: str) -> Iterator[Engine]:
    """A Raccordo database on PostgreSQL where ``server init`` never ran."""
    name = _fresh_pg_database(pg_server, pg_template)
    engine = make_engine(pg_server.url_for(name))
    yield engine
    engine.dispose()
    _drop_pg_database(pg_server, name)
