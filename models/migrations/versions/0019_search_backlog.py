"""The search index of a big import is filled after it commits (issue 13, item 7).

SQLite only. ``dossier_search_backlog`` holds ranges of ``dossiers`` rowids not yet in
the full-text index: a big import writes its dossiers with the index left to a range
here, and fills it after its commit in short transactions (``models.search_index``).
The triggers that keep the index in step skip the rows of a range, and the search reads
those rows' ``search_key`` directly, so a dossier is found before its row is indexed.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_PENDING = (
    "EXISTS (SELECT 1 FROM dossier_search_backlog "
    "WHERE {row}.rowid BETWEEN first_rowid AND last_rowid)"
)
_INSERT = (
    "INSERT INTO dossier_search(rowid, search_key) VALUES (new.rowid, new.search_key);"
)
_DELETE = (
    "INSERT INTO dossier_search(dossier_search, rowid, search_key) "
    "VALUES ('delete', old.rowid, old.search_key);"
)


def _triggers(guarded: bool) -> list[str]:
    def when(row: str) -> str:
        return f" WHEN NOT {_PENDING.format(row=row)}" if guarded else ""

    return [
        "DROP TRIGGER IF EXISTS dossiers_search_insert",
        "DROP TRIGGER IF EXISTS dossiers_search_delete",
        "DROP TRIGGER IF EXISTS dossiers_search_update",
        f"CREATE TRIGGER dossiers_search_insert AFTER INSERT ON dossiers{when('new')} "
        f"BEGIN {_INSERT} END",
        f"CREATE TRIGGER dossiers_search_delete AFTER DELETE ON dossiers{when('old')} "
        f"BEGIN {_DELETE} END",
        "CREATE TRIGGER dossiers_search_update AFTER UPDATE OF search_key ON dossiers"
        f"{when('old')} BEGIN {_DELETE} {_INSERT} END",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE dossier_search_backlog ("
        "first_rowid INTEGER NOT NULL, last_rowid INTEGER NOT NULL)"
    )
    for statement in _triggers(guarded=True):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "INSERT INTO dossier_search(dossier_search) VALUES ('rebuild')"
    )  # the rows left to a range
    for statement in _triggers(guarded=False):
        op.execute(statement)
    op.execute("DROP TABLE dossier_search_backlog")
