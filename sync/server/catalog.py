"""What the database holds, read from PostgreSQL's catalogue, so the same ``server init``
covers tables added by later migrations (documents, imports…) without naming them all."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

# Reference data everyone reads and only administrators change.
ADMIN_TABLES = frozenset(
    {
        "offices",
        "staff",
        "procedure_types",
        "workflow_states",
        "workflow_transitions",
        "term_rules",
        "settings",
    }
)
# Written by the service layer of any user (row-level policies and triggers decide;
# the meetings' guard lets only heads and administrators write them).
USER_TABLES = frozenset({"imports", "sync_clients", "meetings"})
# Readable by every user, written by no one but the server's own functions.
READ_ONLY_TABLES = frozenset({"sync_counter", "alembic_version", "audit_log"})
# Document contents (and their chunks): rows addressed by content hash, readable where
# a visible document names them; written only by the server's ``store_content``.
CONTENT_TABLES = ("document_contents", "document_chunks")
ATTACHING_TABLE = "documents"
# Chunks being uploaded, per person (own rows only), and who proved to hold a content.
UPLOADS_TABLE = "document_uploads"
UPLOADERS_TABLE = "document_uploaders"


@dataclass(frozen=True)
class DossierLink:
    """A table holding dossier data, and how its rows reach a dossier."""

    table: str
    column: str | None  # FK column to ``parent``; None for ``dossiers`` itself
    parent: str | None
    nullable: bool
    has_restricted: bool


@dataclass(frozen=True)
class Catalogue:
    tables: frozenset[str]
    synced: tuple[str, ...]  # tables with ``id`` and ``change_seq``
    dossier_data: tuple[DossierLink, ...]  # parents before children

    def link(self, table: str) -> DossierLink | None:
        return next((link for link in self.dossier_data if link.table == table), None)


def _columns(connection: Connection) -> dict[str, dict[str, bool]]:
    rows = connection.execute(
        text(
            "SELECT table_name, column_name, is_nullable = 'YES' FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        )
    )
    found: dict[str, dict[str, bool]] = {}
    for table, column, nullable in rows:
        found.setdefault(table, {})[column] = bool(nullable)
    return found


def _foreign_keys(connection: Connection) -> list[tuple[str, str, str]]:
    """(table, column, referenced table) of every single-column foreign key in public."""
    rows = connection.execute(
        text(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
              AND c.connamespace = 'public'::regnamespace
            ORDER BY 1, 2
            """
        )
    )
    return [(str(t), str(c), str(r)) for t, c, r in rows]


def read(connection: Connection) -> Catalogue:
    columns = _columns(connection)
    synced = tuple(
        sorted(name for name, cols in columns.items() if "change_seq" in cols and "id" in cols)
    )
    links = [DossierLink("dossiers", None, None, False, True)] if "dossiers" in columns else []
    known = {"dossiers"} & set(columns)
    keys = _foreign_keys(connection)
    grew = True
    while grew:  # children of dossier data are dossier data, transitively
        grew = False
        for table, column, parent in keys:
            if table in known or parent not in known:
                continue
            cols = columns[table]
            links.append(DossierLink(table, column, parent, cols[column], "restricted" in cols))
            known.add(table)
            grew = True
    return Catalogue(frozenset(columns), synced, tuple(links))
