"""Change feed, sync bookkeeping and the workstation's outbox (issue 4).

Every synchronised table gets ``change_seq``, its position in the shared server's
change feed (set there by a trigger, see ``sync/``), and ``sync_counter`` holds the
feed's single counter row.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SYNCED_TABLES = (
    "offices",
    "staff",
    "procedure_types",
    "workflow_states",
    "workflow_transitions",
    "term_rules",
    "dossiers",
    "dossier_events",
    "pareri",
    "flags",
)


def upgrade() -> None:
    for table in SYNCED_TABLES:
        op.add_column(table, sa.Column("change_seq", sa.BigInteger(), nullable=True))
        op.create_index(f"ix_{table}_change_seq", table, ["change_seq"])
    op.create_table(
        "sync_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_counter")),
    )
    op.execute("INSERT INTO sync_counter (id, value) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("sync_counter")
    for table in SYNCED_TABLES:
        op.drop_index(f"ix_{table}_change_seq", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("change_seq")
