"""The clock's suspension rules as data (issue 12): owner — the clock work.

Placeholder in the fixed migration chain; filled in by its owner, or left a no-op.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
