"""History and derived values set by the server (issue 13): owner — the server-facts work.

Placeholder in the fixed migration chain; filled in by its owner, or left a no-op.

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
