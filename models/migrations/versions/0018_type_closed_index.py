"""The breach risk's history read off an index (issue 15): ``ix_dossiers_type_closed``.

The forecast (``models.forecast_feed.history``) takes each procedure type's dossiers
closed last; with the type and the closing date in one index it reads about a thousand
rows a type instead of every dossier of the type (the tavolo's agenda and the *Rischio*
column at 200,000 dossiers).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dossiers_type_closed", "dossiers", ["procedure_type_id", "closed_on"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_type_closed", table_name="dossiers")
