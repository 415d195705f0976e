"""Searchable text of documents (issue 16): ``documents.text``.

The text read from a document (its PDF text layer, or what OCR read from its scanned
pages), folded as the search folds what is typed; NULL until it has been read, empty when
nothing was found. It lives on the document's own row, so it is exactly as visible as the
document (on the server, the row-level security of ``documents``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("text")
