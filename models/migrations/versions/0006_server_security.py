"""Schema changes the shared server's security needs (issue 4).

``audit_log.restricted`` marks entries about restricted dossiers (art. 18 / 18-ter):
the server's row-level policies hide them from users without the clearance. The
server's protocol version lives in ``settings`` (``sync.protocol``), written by
``raccordo server init``; everything else the server adds (roles, policies, triggers)
is server-only SQL in ``sync/server/``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(
            sa.Column("restricted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("restricted")
