"""Grants, row-level policies and triggers for the tables the catalogue shows."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sync.server.catalog import (
    ADMIN_TABLES,
    ATTACHING_TABLE,
    CONTENT_TABLES,
    READ_ONLY_TABLES,
    UPLOADERS_TABLE,
    UPLOADS_TABLE,
    USER_TABLES,
    Catalogue,
    DossierLink,
)
from sync.server.names import ServerRoles

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# Table → (trigger function, timing) checking who may write what, besides the feed.
GUARDS = {
    "dossiers": "guard_dossier",
    "dossier_events": "guard_event",
    "pareri": "guard_parere",
    "flags": "guard_flag",
    "documents": "guard_document",
    "meetings": "guard_meeting",
    "agenda_items": "guard_agenda_item",
    "agenda_outcomes": "guard_agenda_outcome",
}
SERVER_NUMBERS = {"dossiers": "assign_protocol", "flags": "assign_flag_number"}
# Table → trigger function writing who received a row and keeping it theirs.
FACT_GUARDS = {"documents": "guard_document_facts"}
# Writes that queue the commit-time check of a dossier against its history: trigger name
# → (table, events, condition). A registration is checked with its dossier's insert (and
# guard_event holds its date to filed_on); other history rows without a state change
# nothing the check reads.
FACT_CHECKS = {
    "dossiers": (("raccordo_y_facts", "INSERT OR UPDATE", ""),),
    "dossier_events": (
        ("raccordo_y_moves", "INSERT", "NEW.to_state IS NOT NULL AND NEW.kind <> 'registered'"),
        ("raccordo_y_registration", "UPDATE", "NEW.kind = 'registered'"),
    ),
}


def ident(name: str) -> str:
    """Catalogue names are plain lower-case identifiers; anything else is refused."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"nome non previsto nel catalogo: {name!r}")
    return name


def cleared(roles: ServerRoles) -> str:
    # A sub-select, so the membership test runs once per query rather than per row.
    return f"(SELECT pg_has_role(current_user, '{roles.restricted}', 'MEMBER'))"


def visibility(link: DossierLink, roles: ServerRoles) -> str:
    """Who sees a row of dossier data: its dossier is visible (RLS of the parent applies
    inside the sub-select) and, with a ``restricted`` column, the row itself too."""
    table = ident(link.table)
    parts = []
    if link.parent is not None and link.column is not None:
        column, parent = ident(link.column), ident(link.parent)
        parent_visible = (
            f"EXISTS (SELECT 1 FROM public.{parent} parent WHERE parent.id = {table}.{column})"
        )
        parts.append(
            f"({table}.{column} IS NULL OR {parent_visible})" if link.nullable else parent_visible
        )
    if link.has_restricted:
        parts.append(f"(NOT {table}.restricted OR {cleared(roles)})")
    return " AND ".join(parts) or "true"


def policies(catalogue: Catalogue, roles: ServerRoles) -> Iterator[tuple[str, str, str, str, str]]:
    """(table, policy, command, USING, WITH CHECK) of every policy; roles in ``role_of``."""
    for link in catalogue.dossier_data:
        rule = visibility(link, roles)
        yield link.table, "raccordo_users", "ALL", rule, rule
    yield from _content_policies(catalogue)
    yield "audit_log", "raccordo_users_read", "SELECT", f"(NOT restricted OR {cleared(roles)})", ""
    if "sync_clients" in catalogue.tables:
        own = "username = session_user"
        yield "sync_clients", "raccordo_users", "ALL", own, own


def _content_policies(catalogue: Catalogue) -> Iterator[tuple[str, str, str, str, str]]:
    """A hash is an address, not a permission: a content is readable by whoever sees a
    document naming it (the ``guard_document`` trigger lets only someone who uploaded the
    bytes, or already saw them, attach it) and by the person who uploaded it."""
    if UPLOADS_TABLE not in catalogue.tables or catalogue.link(ATTACHING_TABLE) is None:
        return
    for content in CONTENT_TABLES:
        held = (
            f"EXISTS (SELECT 1 FROM public.{ATTACHING_TABLE} a WHERE a.sha256 = {content}.sha256)"
            f" OR EXISTS (SELECT 1 FROM public.{UPLOADERS_TABLE} u"
            f" WHERE u.sha256 = {content}.sha256 AND u.username = session_user)"
        )
        yield content, "raccordo_users_read", "SELECT", held, ""
    # Servers before 0009 let any user insert a content; only store_content does now.
    yield CONTENT_TABLES[0], "raccordo_users_add", "INSERT", "", "false"
    own = "uploader = session_user"
    yield UPLOADS_TABLE, "raccordo_users", "ALL", own, own
    yield UPLOADERS_TABLE, "raccordo_users_read", "SELECT", "username = session_user", ""


def protected_tables(catalogue: Catalogue) -> list[str]:
    """Tables under FORCE ROW LEVEL SECURITY."""
    tables = [link.table for link in catalogue.dossier_data]
    tables.extend(
        t for t in (*CONTENT_TABLES, UPLOADS_TABLE, UPLOADERS_TABLE) if t in catalogue.tables
    )
    tables.append("audit_log")
    if "sync_clients" in catalogue.tables:
        tables.append("sync_clients")
    return tables


def grants(catalogue: Catalogue, roles: ServerRoles) -> Iterator[str]:
    """Least privilege: no DELETE or TRUNCATE for anyone; audit_log read-only."""
    dossier_tables = {link.table for link in catalogue.dossier_data}
    everyone = ", ".join((roles.user, roles.sui, roles.questura, roles.head, roles.admin))
    for table in sorted(catalogue.tables):
        name = ident(table)
        yield f"REVOKE ALL ON TABLE public.{name} FROM PUBLIC, {everyone}, {roles.restricted}"
        readable = (
            table in ADMIN_TABLES
            or table in USER_TABLES
            or table in READ_ONLY_TABLES
            or table in dossier_tables
            or table in catalogue.synced
            or table in (*CONTENT_TABLES, UPLOADS_TABLE, UPLOADERS_TABLE)
        )
        if readable:
            yield f"GRANT SELECT ON TABLE public.{name} TO {roles.user}"
        if table in dossier_tables or table in USER_TABLES:
            yield f"GRANT INSERT, UPDATE ON TABLE public.{name} TO {roles.user}"
        elif table == UPLOADS_TABLE:
            yield f"GRANT INSERT ON TABLE public.{name} TO {roles.user}"
        elif table in ADMIN_TABLES:
            yield f"GRANT INSERT, UPDATE ON TABLE public.{name} TO {roles.admin}"


def triggers(catalogue: Catalogue, roles: ServerRoles) -> Iterator[str]:
    schema = roles.schema
    for table in catalogue.synced:
        name = ident(table)
        link = catalogue.link(table)
        dossier_key = "" if link is None else ("self" if link.column is None else link.column)
        yield (
            f"CREATE OR REPLACE TRIGGER raccordo_a_feed BEFORE INSERT OR UPDATE ON public.{name}"
            f" FOR EACH ROW EXECUTE FUNCTION {schema}.feed()"
        )
        if table in GUARDS:
            yield (
                f"CREATE OR REPLACE TRIGGER raccordo_b_guard BEFORE INSERT OR UPDATE ON"
                f" public.{name} FOR EACH ROW EXECUTE FUNCTION {schema}.{GUARDS[table]}()"
            )
        if table in FACT_GUARDS:
            yield (
                f"CREATE OR REPLACE TRIGGER raccordo_b_facts BEFORE INSERT OR UPDATE ON"
                f" public.{name} FOR EACH ROW EXECUTE FUNCTION {schema}.{FACT_GUARDS[table]}()"
            )
        if table == "dossier_events":  # the first servers' single trigger on the history
            yield "DROP TRIGGER IF EXISTS raccordo_y_facts ON public.dossier_events"
        for trigger, events, condition in FACT_CHECKS.get(table, ()):
            yield _commit_check(name, schema, trigger, events, condition)
        if table in SERVER_NUMBERS:
            yield (
                f"CREATE OR REPLACE TRIGGER raccordo_c_number BEFORE INSERT ON public.{name}"
                f" FOR EACH ROW EXECUTE FUNCTION {schema}.{SERVER_NUMBERS[table]}()"
            )
        yield (
            f"CREATE OR REPLACE TRIGGER raccordo_z_audit AFTER INSERT OR UPDATE ON public.{name}"
            f" FOR EACH ROW EXECUTE FUNCTION {schema}.audit_row('{dossier_key}')"
        )
    yield (
        "CREATE OR REPLACE TRIGGER raccordo_append_only BEFORE UPDATE OR DELETE ON"
        f" public.audit_log FOR EACH ROW EXECUTE FUNCTION {schema}.audit_append_only()"
    )
    yield (
        "CREATE OR REPLACE TRIGGER raccordo_no_truncate BEFORE TRUNCATE ON public.audit_log"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_append_only()"
    )


def _commit_check(table: str, schema: str, trigger: str, events: str, condition: str) -> str:
    """A deferred check_facts trigger, created once (a constraint trigger cannot be
    replaced in place; its function is)."""
    when = f" WHEN ({condition})" if condition else ""
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{trigger}'"
        f" AND tgrelid = to_regclass('public.{table}')) THEN"
        f" CREATE CONSTRAINT TRIGGER {trigger} AFTER {events} ON public.{table}"
        f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{when}"
        f" EXECUTE FUNCTION {schema}.check_facts(); END IF; END $$"
    )
