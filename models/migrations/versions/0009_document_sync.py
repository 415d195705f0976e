"""Documents in the sync (issue 13): owner — the document-sync work.

Placeholder in the fixed migration chain; filled in by its owner, or left a no-op.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
