"""A dossier's personal assignment (issue 14): ``dossiers.assigned_to_id``.

The staff member of the holding office who took the file (*assegnata a*), or none. The
holding office stays the legal fact; the assignment is cleared when the file moves to
the other office. Synced like the dossier's other columns; the server's guard_dossier
trigger lets only staff of the holding office set it, to a colleague of that office.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch copy of the dossiers table would rebuild half a million rows
        # and trips over the search index's triggers. SQLite accepts a nullable column
        # with its reference this way.
        op.execute("ALTER TABLE dossiers ADD COLUMN assigned_to_id CHAR(32) REFERENCES staff (id)")
    else:
        op.add_column("dossiers", sa.Column("assigned_to_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(
            "fk_dossiers_assigned_to_id_staff", "dossiers", "staff", ["assigned_to_id"], ["id"]
        )
    op.create_index("ix_dossiers_assigned_to_id", "dossiers", ["assigned_to_id"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_assigned_to_id", "dossiers")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("UPDATE dossiers SET assigned_to_id = NULL")
        return  # the empty column stays: SQLite drops no column that holds a reference
    op.drop_constraint("fk_dossiers_assigned_to_id_staff", "dossiers", type_="foreignkey")
    op.drop_column("dossiers", "assigned_to_id")
