"""Change feed, sync bookkeeping and the workstation's outbox (issue 4).

Every synchronised table gets ``change_seq``, its position in the shared server's
change feed (set there by a trigger, see ``sync/``), and ``sync_counter`` holds the
feed's single counter row. ``sync_outbox`` and ``sync_conflicts`` are the workstation
replica's queue and conflict list; ``sync_clients`` is the server's record of the last
change applied per workstation (idempotent push). Every Raccordo database has all of
them, so a replica's schema is the same as any other.

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
    _create_sync_tables()


def _create_sync_tables() -> None:
    """The workstation's outbox and conflicts, and the server's per-client push record."""
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
        # AUTOINCREMENT: a seq is never reused after the pushed rows are deleted, so the
        # server's last_seq for this client stays a safe high-water mark.
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sync_outbox_row_id", "sync_outbox", ["row_id"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("base_value", sa.Text(), nullable=True),
        sa.Column("local_value", sa.Text(), nullable=True),
        sa.Column("server_value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    op.create_index("ix_sync_conflicts_resolved_at", "sync_conflicts", ["resolved_at"])
    op.create_table(
        "sync_clients",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_push_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_result", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_sync_clients")),
    )


def downgrade() -> None:
    op.drop_table("sync_clients")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_outbox")
    op.drop_table("sync_counter")
    for table in SYNCED_TABLES:
        op.drop_index(f"ix_{table}_change_seq", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("change_seq")
