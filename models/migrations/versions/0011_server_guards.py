"""Timeouts, audit chain and guards (issue 13): owner — the server-guards work.

Placeholder in the fixed migration chain; filled in by its owner, or left a no-op.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
