"""History and derived values set by the server (issue 13): no schema change.

The server stamps and checks the facts with triggers that ``raccordo server init``
installs (sync/server/sql/functions.sql: guard_event, guard_parere, guard_flag,
guard_document_facts, check_facts); the tables keep their columns.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
