"""An index for the text of documents (issue 16): the search box finds «contratto
Cascina» in 10,000 documents without reading every text.

SQLite: an FTS5 table with the trigram tokenizer over ``documents.text`` (external
content, kept in step by triggers, as ``dossier_search`` is for the dossiers): each word
of three letters or more is a MATCH on it, shorter words a LIKE on the rows it found.
PostgreSQL: a pg_trgm GIN index on ``documents.text``, which answers the same
``LIKE '%word%'`` conditions; it sits under the row-level security of ``documents``, so
a query finds through it only what the caller may see. (For the login roles under that
security the planner keeps LIKE, which is not leakproof, after the policies and so does
not use the index; the owner's and maintenance queries do. Workstations search their
own SQLite database.)

A later migration that rebuilds ``documents`` on SQLite (``batch_alter_table`` with a
change SQLite cannot do in place) drops these triggers: it must create them again and
``rebuild`` the index.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE document_text_search USING fts5("
    "text, content='documents', content_rowid='rowid', tokenize='trigram')",
    "INSERT INTO document_text_search(document_text_search) VALUES ('rebuild')",
    "CREATE TRIGGER documents_text_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO document_text_search(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER documents_text_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO document_text_search(document_text_search, rowid, text) "
    "VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER documents_text_update AFTER UPDATE OF text ON documents BEGIN "
    "INSERT INTO document_text_search(document_text_search, rowid, text) "
    "VALUES ('delete', old.rowid, old.text); "
    "INSERT INTO document_text_search(rowid, text) VALUES (new.rowid, new.text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS documents_text_update",
    "DROP TRIGGER IF EXISTS documents_text_delete",
    "DROP TRIGGER IF EXISTS documents_text_insert",
    "DROP TABLE IF EXISTS document_text_search",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_documents_text_trgm ON documents USING gin (text gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_documents_text_trgm"]


def upgrade() -> None:
    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN
    for statement in statements:
        op.execute(statement)
