"""``raccordo server init``: the shared schema, then roles, grants, policies and triggers.

Idempotent: roles are created when missing, functions and triggers replaced by the same
text, policies altered in place, grants revoked and given again in one transaction, so
a second run leaves the catalogue as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, text

from models import audit
from models.errors import DomainError
from models.services.letter_rules import ISSUED_BY_COUNTERPART, ISSUED_BY_LEAD
from models.services.printed import printed_note
from models.services.undo import UNDO_MINUTES
from models.validation import FIELD_LABELS
from sync.server import catalog, guards
from sync.server.names import ServerRoles
from sync.server.policies import grants, ident, policies, protected_tables, triggers

PROTOCOL_KEY = "sync.protocol"
PREFIX_KEY = "server.prefix"
# Helpers the callers' own statements (policies, invoker triggers) need to run.
CALLABLE = (
    "acts_for(text)",
    "chairs_meetings()",
    "office_label(text)",
    "refuse(text)",
    "begin_write()",
    "audit_hidden()",
    "store_content(text, bigint)",
    # The clock, run by check_facts as the writer (and by anyone, on the dossiers they see).
    "compute_clock(uuid, date)",
    "event_is_live(uuid, integer, text)",  # an undone move and its undo count for nothing
    "clock_working(date, boolean, date[], text)",
    "clock_roll(date, boolean, date[], text)",
    "clock_term_end(date, integer, text, boolean, date[], text)",
    "clock_suspended(date[], date[], date)",
    "clock_open_on(date, date, integer, text, boolean, date[], text, date[], date[])",
)


@dataclass(frozen=True)
class InstallReport:
    prefix: str
    created_roles: list[str]
    protected: list[str]
    synced: list[str]
    numbered: int  # existing rows given a change_seq


def _array(values: Any) -> str:
    return "ARRAY[" + ", ".join(f"'{ident(v)}'" for v in values) + "]::text[]"


def _notes(forms: frozenset[str]) -> str:
    """The ``printed`` events' notes of ``forms``, as an SQL array (plain names only)."""
    for form in forms:
        if not re.fullmatch(r"[a-z][a-z-]*", form):
            raise ValueError(f"nome di modulo non previsto: {form!r}")
    return "ARRAY[" + ", ".join(f"'{printed_note(f)}'" for f in sorted(forms)) + "]::text[]"


def render_functions(roles: ServerRoles) -> str:
    template = resources.files("sync.server").joinpath("sql/functions.sql").read_text("utf-8")
    replacements = {
        "@S@": roles.schema,
        "@OWNER@": roles.owner,
        "@ADMIN@": roles.admin,
        "@HEAD@": roles.head,
        "@SUI@": roles.sui,
        "@QUESTURA@": roles.questura,
        "@RESTRICTED@": roles.restricted,
        "@FIELDS@": _array(FIELD_LABELS),
        "@LABELS@": "'"
        + json.dumps(FIELD_LABELS, ensure_ascii=False).replace("'", "''")
        + "'::jsonb",
        "@SKIPPED@": _array(sorted(audit.SKIPPED)),
        "@LOCK@": str(audit.PG_AUDIT_LOCK),
        "@UNDO_MINUTES@": str(UNDO_MINUTES),
        "@LEAD_LETTERS@": _notes(ISSUED_BY_LEAD),
        "@COUNTERPART_LETTERS@": _notes(ISSUED_BY_COUNTERPART),
        **guards.placeholders(roles),
    }
    for placeholder, value in replacements.items():
        template = template.replace(placeholder, value)
    return template


def _run_script(connection: Connection, script: str) -> None:
    """Several statements at once, with no parameters (PL/pgSQL bodies hold ``%``)."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(script)
    finally:
        cursor.close()


def stored_prefix(connection: Connection) -> str | None:
    if connection.execute(text("SELECT to_regclass('settings')")).scalar() is None:
        return None
    found = connection.execute(
        text("SELECT value FROM settings WHERE key = :key"), {"key": PREFIX_KEY}
    ).scalar()
    return str(found) if found is not None else None


def _ensure_roles(connection: Connection, roles: ServerRoles) -> list[str]:
    existing = set(
        connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(roles.groups())},
        ).scalars()
    )
    created = []
    for name in roles.groups():
        if name not in existing:
            connection.execute(text(f"CREATE ROLE {ident(name)} NOLOGIN"))
            created.append(name)
    return created


def _take_ownership(connection: Connection, roles: ServerRoles) -> None:
    """Every relation in public (extension objects aside) belongs to the owner role;
    sequences owned by a column follow their table."""
    rows = connection.execute(
        text(
            """
            SELECT c.relname, c.relkind FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace
              AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND c.relowner <> CAST(:owner AS regrole)
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                              AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
            ORDER BY c.relname
            """
        ),
        {"owner": roles.owner},
    )
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    for name, kind in rows.all():
        connection.execute(text(f"ALTER {kinds[kind]} public.{ident(name)} OWNER TO {roles.owner}"))


def _install_functions(connection: Connection, roles: ServerRoles) -> None:
    schema = roles.schema
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {roles.owner}"))
    connection.execute(text(f"CREATE SEQUENCE IF NOT EXISTS {schema}.flag_numbers"))
    connection.execute(text(f"ALTER SEQUENCE {schema}.flag_numbers OWNER TO {roles.owner}"))
    _run_script(connection, render_functions(roles))
    names = connection.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p"
            " WHERE p.pronamespace = CAST(:schema AS regnamespace)"
            " AND p.proowner <> CAST(:owner AS regrole)"
        ),
        {"schema": schema, "owner": roles.owner},
    ).scalars()
    for signature in list(names):
        connection.execute(text(f"ALTER FUNCTION {signature} OWNER TO {roles.owner}"))
    connection.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM PUBLIC"))
    for function in CALLABLE:
        connection.execute(text(f"GRANT EXECUTE ON FUNCTION {schema}.{function} TO {roles.user}"))


def _number_existing_rows(connection: Connection, tables: tuple[str, ...]) -> int:
    """Rows written before the feed existed get positions from the counter."""
    connection.execute(
        text("INSERT INTO sync_counter (id, value) VALUES (1, 0) ON CONFLICT DO NOTHING")
    )
    total = 0
    for table in tables:
        name = ident(table)
        count = connection.execute(
            text(f"SELECT count(*) FROM public.{name} WHERE change_seq IS NULL")
        ).scalar_one()
        if not count:
            continue
        base = connection.execute(
            text("SELECT value FROM sync_counter WHERE id = 1 FOR UPDATE")
        ).scalar_one()
        connection.execute(
            text(
                f"""
                UPDATE public.{name} AS t SET change_seq = :base + o.n
                FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n
                      FROM public.{name} WHERE change_seq IS NULL) AS o
                WHERE t.id = o.id
                """
            ),
            {"base": base},
        )
        # With the feed trigger already there it numbered the rows itself: the counter
        # moves past both, leaving at most a gap (harmless for a cursor).
        connection.execute(
            text(
                "UPDATE sync_counter SET value = GREATEST(value, :top) WHERE id = 1"
                " AND value < :top"
            ),
            {"top": base + count},
        )
        total += int(count)
    return total


def _hide_earlier_entries(connection: Connection, cat: catalog.Catalogue) -> int:
    """Entries written before the server existed (by the workstation's own hook) about
    restricted dossiers are marked, so the policies hide them too. The mark is not part
    of a version 1 entry's hash; the append-only trigger is lifted for this statement only."""
    parts = ["SELECT id::text FROM public.dossiers WHERE restricted"]
    for link in cat.dossier_data:
        if link.parent == "dossiers" and link.column is not None:
            parts.append(
                f"SELECT c.id::text FROM public.{ident(link.table)} c JOIN public.dossiers d"
                f" ON d.id = c.{ident(link.column)} WHERE d.restricted"
            )
    hidden = " UNION ALL ".join(parts)
    # Only version 1 entries: from version 2 the writer sets the mark, and the hash covers it.
    where = f"NOT restricted AND hash_version = 1 AND row_id IN ({hidden})"
    count = connection.execute(text(f"SELECT count(*) FROM public.audit_log WHERE {where}"))
    marked = int(count.scalar_one())
    if not marked:
        return 0
    guarded = connection.execute(
        text(
            "SELECT 1 FROM pg_trigger WHERE tgrelid = 'public.audit_log'::regclass"
            " AND tgname = 'raccordo_append_only'"
        )
    ).scalar()
    if guarded:
        connection.execute(
            text("ALTER TABLE public.audit_log DISABLE TRIGGER raccordo_append_only")
        )
    connection.execute(text(f"UPDATE public.audit_log SET restricted = true WHERE {where}"))
    if guarded:
        connection.execute(text("ALTER TABLE public.audit_log ENABLE TRIGGER raccordo_append_only"))
    return marked


def _align_flag_numbers(connection: Connection, roles: ServerRoles) -> None:
    if "flags" not in _tables(connection):
        return
    highest = connection.execute(text("SELECT coalesce(max(number), 0) FROM flags")).scalar_one()
    last, called = connection.execute(
        text(f"SELECT last_value, is_called FROM {roles.schema}.flag_numbers")
    ).one()
    upcoming = last + 1 if called else last
    if upcoming <= highest:
        connection.execute(
            text("SELECT setval(CAST(:seq AS regclass), :value, true)"),
            {"seq": f"{roles.schema}.flag_numbers", "value": highest},
        )


def _tables(connection: Connection) -> set[str]:
    return set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
    )


def _apply_policies(connection: Connection, cat: catalog.Catalogue, roles: ServerRoles) -> None:
    for table in protected_tables(cat):
        name = ident(table)
        connection.execute(text(f"ALTER TABLE public.{name} ENABLE ROW LEVEL SECURITY"))
        connection.execute(text(f"ALTER TABLE public.{name} FORCE ROW LEVEL SECURITY"))
        _policy(connection, name, "raccordo_owner", "ALL", roles.owner, "true", "true")
    for table, policy, command, using, check in policies(cat, roles):
        _policy(connection, table, policy, command, roles.user, using, check)


def _policy(
    connection: Connection,
    table: str,
    name: str,
    command: str,
    role: str,
    using: str,
    check: str,
) -> None:
    exists = connection.execute(
        text("SELECT 1 FROM pg_policies WHERE tablename = :t AND policyname = :p"),
        {"t": table, "p": name},
    ).scalar()
    clauses = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
    if exists:
        connection.execute(text(f"ALTER POLICY {name} ON public.{table} TO {role}{clauses}"))
    else:
        connection.execute(
            text(f"CREATE POLICY {name} ON public.{table} FOR {command} TO {role}{clauses}")
        )


def _database_access(connection: Connection, roles: ServerRoles) -> None:
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    quoted = '"' + str(database).replace('"', '""') + '"'
    connection.execute(text(f"REVOKE CONNECT, TEMPORARY ON DATABASE {quoted} FROM PUBLIC"))
    connection.execute(text(f"GRANT CONNECT ON DATABASE {quoted} TO {roles.user}"))
    connection.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {roles.user}"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA {roles.schema} TO {roles.user}"))


def _record(connection: Connection, roles: ServerRoles) -> None:
    from sync.server.compat import PROTOCOL_VERSION  # the version the workstation checks

    for key, value in ((PREFIX_KEY, roles.prefix), (PROTOCOL_KEY, str(PROTOCOL_VERSION))):
        connection.execute(
            text(
                "INSERT INTO settings (key, value) VALUES (:key, :value)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                " WHERE settings.value <> EXCLUDED.value"
            ),
            {"key": key, "value": value},
        )


def preflight(engine: Engine, roles: ServerRoles) -> None:
    """Refuses before anything is written: not a superuser, or another prefix stored."""
    with engine.connect() as connection:
        superuser = connection.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar()
        if not superuser:
            raise DomainError(
                "raccordo server init va eseguito da un superutente PostgreSQL "
                "(crea i ruoli e passa gli oggetti al ruolo proprietario)"
            )
        stored = stored_prefix(connection)
    if stored is not None and stored != roles.prefix:
        raise DomainError(
            f"questo server usa il prefisso «{stored}»: rieseguire con --prefix {stored}"
        )


def install(engine: Engine, roles: ServerRoles) -> InstallReport:
    """Roles, ownership, functions, grants, policies, triggers: one transaction."""
    preflight(engine, roles)
    with engine.begin() as connection:
        created = _ensure_roles(connection, roles)
        cat = catalog.read(connection)
        _take_ownership(connection, roles)
        _install_functions(connection, roles)
        numbered = _number_existing_rows(connection, cat.synced)
        _align_flag_numbers(connection, roles)
        _hide_earlier_entries(connection, cat)
        for statement in grants(cat, roles):
            connection.execute(text(statement))
        _apply_policies(connection, cat, roles)
        for statement in triggers(cat, roles):
            connection.execute(text(statement))
        _database_access(connection, roles)
        guards.install(connection, roles)
        _record(connection, roles)
    # Fresh planner statistics: after a bulk load the policies' subqueries otherwise
    # plan as full scans (a 1,000-change push took 22 s instead of 4 s).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    audit.forget_server_check(engine)
    return InstallReport(roles.prefix, created, protected_tables(cat), list(cat.synced), numbered)
