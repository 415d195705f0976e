"""Why reading a document's text failed (issue 16): ``documents.text_problem``.

The documents whose text waits to be read (``text`` NULL) are the background worker's
queue, kept in the database so a restart resumes it; a document whose reading failed
gets the reason here (one Italian line) and leaves the queue, so it never holds the
others up, until an administrator tries again (``raccordo documents ocr --all``). Like
``text``, it is written only by the office that received the document (server guard).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text_problem", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("text_problem")
