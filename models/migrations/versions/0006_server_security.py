"""Schema changes the shared server's security needs (issue 4).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder: filled by the work


def downgrade() -> None:
    pass
