"""Identity codes stored compact (issue 12): owner — the identity work.

Placeholder in the fixed migration chain; filled in by its owner, or left a no-op.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
