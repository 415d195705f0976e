"""Documents in the sync (issue 13).

- A content's bytes move from ``document_contents.data`` to ``document_chunks`` (1 MiB
  each), so a scan is written, read, uploaded and downloaded a chunk at a time;
  ``document_contents`` keeps the hash and size and exists once the content is complete.
- ``documents.sha256`` loses its foreign key: a replica applies a pulled document before
  its content is downloaded (a foreign key there stopped every pull), and the server
  checks the content in a trigger instead.
- ``document_uploads`` (chunks being uploaded, per person) and ``document_uploaders``
  (who proved to hold a content): the server's side of the upload.
- ``imports.dossier_id`` and ``imports.restricted``: the inbox register follows the
  visibility of the dossiers it touched.
- ``sync_transfers`` and ``sync_quarantine``: a replica's uploads and downloads in
  progress, and the pulled rows it could not apply.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CHUNK = 1024 * 1024


def _move_bytes_into_chunks() -> None:
    bind = op.get_bind()
    contents = bind.execute(sa.text("SELECT sha256, length(data) FROM document_contents")).all()
    for sha256, length in contents:
        for seq, start in enumerate(range(0, int(length or 0), CHUNK)):
            bind.execute(
                sa.text(
                    "INSERT INTO document_chunks (sha256, seq, data)"
                    " SELECT sha256, :seq, substr(data, :start, :count)"
                    " FROM document_contents WHERE sha256 = :sha256"
                ),
                {"seq": seq, "start": start + 1, "count": CHUNK, "sha256": sha256},
            )


def upgrade() -> None:
    op.create_table(
        "document_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_document_chunks")),
    )
    _move_bytes_into_chunks()
    with op.batch_alter_table("document_contents") as batch:
        batch.drop_column("data")
    with op.batch_alter_table("documents") as batch:
        batch.drop_constraint("fk_documents_sha256_document_contents", type_="foreignkey")
    op.create_table(
        "document_uploads",
        sa.Column("uploader", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("uploader", "sha256", "seq", name=op.f("pk_document_uploads")),
    )
    op.create_table(
        "document_uploaders",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "username", name=op.f("pk_document_uploaders")),
    )
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("dossier_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column("restricted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_foreign_key(
            op.f("fk_imports_dossier_id_dossiers"), "dossiers", ["dossier_id"], ["id"]
        )
        batch.create_index(op.f("ix_imports_dossier_id"), ["dossier_id"])
    # Entries of documents already attached: the dossier their file went to.
    op.execute(
        "UPDATE imports SET dossier_id = (SELECT d.dossier_id FROM documents d"
        " WHERE d.sha256 = imports.sha256 AND d.file_name = imports.file_name LIMIT 1)"
        " WHERE kind = 'documento' AND status = 'importato'"
    )
    op.execute(
        "UPDATE imports SET restricted = true WHERE dossier_id IN"
        " (SELECT id FROM dossiers WHERE restricted)"
    )
    op.create_table(
        "sync_transfers",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("done_bytes", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("sha256", "direction", name=op.f("pk_sync_transfers")),
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.Column("row", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_quarantine")),
    )
    op.create_index(op.f("ix_sync_quarantine_row_id"), "sync_quarantine", ["row_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_quarantine_row_id"), table_name="sync_quarantine")
    op.drop_table("sync_quarantine")
    op.drop_table("sync_transfers")
    with op.batch_alter_table("imports") as batch:
        batch.drop_index(op.f("ix_imports_dossier_id"))
        batch.drop_constraint(op.f("fk_imports_dossier_id_dossiers"), type_="foreignkey")
        batch.drop_column("restricted")
        batch.drop_column("dossier_id")
    op.drop_table("document_uploaders")
    op.drop_table("document_uploads")
    with op.batch_alter_table("document_contents") as batch:
        batch.add_column(sa.Column("data", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    for (sha256,) in bind.execute(sa.text("SELECT sha256 FROM document_contents")).all():
        chunks = bind.execute(
            sa.text("SELECT data FROM document_chunks WHERE sha256 = :s ORDER BY seq"),
            {"s": sha256},
        ).scalars()
        bind.execute(
            sa.text("UPDATE document_contents SET data = :data WHERE sha256 = :s"),
            {"data": b"".join(bytes(c) for c in chunks), "s": sha256},
        )
    with op.batch_alter_table("document_contents") as batch:
        batch.alter_column("data", existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table("documents") as batch:
        batch.create_foreign_key(
            "fk_documents_sha256_document_contents",
            "document_contents",
            ["sha256"],
            ["sha256"],
        )
    op.drop_table("document_chunks")
