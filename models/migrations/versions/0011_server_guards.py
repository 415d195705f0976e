"""The audit chain's hash formula becomes versioned (issue 13).

``audit_log.hash_version`` names the formula each entry was hashed with. Every entry
already written keeps version 1 (its hash covers every column but the ``restricted``
mark) and still verifies; entries written from now on are version 2, whose hash covers
the mark too (models/audit.py, and the server's trigger in sync/server/sql). Nothing is
rehashed: a digest printed before the upgrade still names an entry of the chain.

The server's time limits, write gate and revoked functions are server-only SQL
(``raccordo server init``, sync/server/guards.py).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(
            sa.Column(
                "hash_version", sa.SmallInteger(), server_default=sa.text("1"), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("hash_version")
