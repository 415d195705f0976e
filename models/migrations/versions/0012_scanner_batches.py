"""Documents filed from a scanner batch (issue 16): their kind and where they came from.

``documents.kind`` is the kind a separator sheet named (passaporto, contratto, …; empty
when none was named or the file was named by hand); ``source_batch`` is the scanned
file the document was cut from and ``source_pages`` its pages there (``"2-4"``), so a
clerk can go back to the original scan in ``importati/``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(20), server_default=sa.text("''"), nullable=False)
        )
        batch.add_column(
            sa.Column("source_batch", sa.String(255), server_default=sa.text("''"), nullable=False)
        )
        batch.add_column(
            sa.Column("source_pages", sa.String(40), server_default=sa.text("''"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("source_pages")
        batch.drop_column("source_batch")
        batch.drop_column("kind")
