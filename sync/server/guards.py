"""What keeps one session from holding everyone else: time limits for the application's
login roles, a write gate that ends a holder gone past them, and the database-wide
functions no application role may call (large objects, ``pg_notify``).

The limits are set with ``ALTER ROLE … SET`` on every login role (a group role's
settings are not inherited by its members), but any session can ``SET`` its own limits
back to zero; so the write gate itself (``<prefix>.begin_write()``) ends, while it
waits, the holders of the feed lock that are past them, whatever they set.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from sync.server.names import ServerRoles
from sync.server.policies import ident

# Seconds. An office's pushes take a few seconds (docs/sync-design.md, "Speed").
LOCK_TIMEOUT = 5  # how long a writer waits for a lock (the write gate included)
STATEMENT_TIMEOUT = 60  # one statement
IDLE_IN_TRANSACTION = 30  # a transaction left open with nothing running
GATE_HOLD_LIMIT = 300  # a transaction holding the write gate, however busy
GATE_SLICE_MS = 500  # the gate checks for stalled holders this often while it waits


def role_settings() -> dict[str, str]:
    return {
        "lock_timeout": f"{LOCK_TIMEOUT}s",
        "statement_timeout": f"{STATEMENT_TIMEOUT}s",
        "idle_in_transaction_session_timeout": f"{IDLE_IN_TRANSACTION}s",
    }


def placeholders(roles: ServerRoles) -> dict[str, str]:
    """The values functions.sql needs for the gate."""
    return {
        "@USER@": roles.user,
        "@LOCK_WAIT@": str(LOCK_TIMEOUT),
        "@STATEMENT_LIMIT@": str(STATEMENT_TIMEOUT),
        "@IDLE_LIMIT@": str(IDLE_IN_TRANSACTION),
        "@HOLD_LIMIT@": str(GATE_HOLD_LIMIT),
        "@SLICE_MS@": str(GATE_SLICE_MS),
    }


def limit_role(connection: Connection, login: str) -> None:
    """The office's time limits as ``login``'s defaults (``ALTER ROLE … SET``)."""
    quoted = '"' + login.replace('"', '""') + '"'
    for name, value in role_settings().items():
        connection.execute(text(f"ALTER ROLE {quoted} SET {name} = '{value}'"))


def login_roles(connection: Connection, roles: ServerRoles) -> list[str]:
    rows = connection.execute(
        text(
            "SELECT r.rolname FROM pg_roles r WHERE r.rolcanlogin AND NOT r.rolsuper"
            " AND pg_has_role(r.oid, CAST(:group AS regrole), 'MEMBER') ORDER BY 1"
        ),
        {"group": roles.user},
    )
    return [str(name) for name in rows.scalars()]


def _large_object_functions(connection: Connection) -> list[str]:
    rows = connection.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p"
            " WHERE p.pronamespace = 'pg_catalog'::regnamespace"
            " AND (p.proname LIKE 'lo\\_%' OR p.proname IN ('loread', 'lowrite'))"
            " ORDER BY 1"
        )
    )
    return [str(signature) for signature in rows.scalars()]


def install(connection: Connection, roles: ServerRoles) -> None:
    """Run by ``server init`` (as a superuser), after the roles and functions exist.

    The REVOKEs change this database's catalogue: they apply to every role of the
    database but superusers, not only to Raccordo's.
    """
    for login in login_roles(connection, roles):
        limit_role(connection, login)
    # The gate reads other sessions' state and ends the stalled ones (never a superuser's).
    connection.execute(text(f"GRANT pg_read_all_stats, pg_signal_backend TO {roles.owner}"))
    for signature in _large_object_functions(connection):
        connection.execute(text(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC"))
    # NOTIFY itself has no privilege in PostgreSQL; its function form does.
    connection.execute(text("REVOKE EXECUTE ON FUNCTION pg_notify(text, text) FROM PUBLIC"))
    connection.execute(
        text(f"GRANT EXECUTE ON FUNCTION pg_notify(text, text) TO {ident(roles.owner)}")
    )
