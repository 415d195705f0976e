"""The tavolo di coordinamento (issue 15): meetings, their agenda items and outcomes.

``meetings`` (date, place, series, state, participants, and the seal of a closed
meeting), ``agenda_items`` (section, reason, optional dossier, topic, proposer, position,
carried-over item or action) and ``agenda_outcomes`` (informazione / decisione / azione,
owner, due and done dates, the pending item raised or the move made). All three are
synced; the server's policies and guards are in sync/server.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=True),
        sa.Column("series_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prev_seal", sa.String(length=64), nullable=True),
        sa.Column("item_seals", sa.Text(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff.id"], name=op.f("fk_meetings_created_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index(op.f("ix_meetings_number"), "meetings", ["number"])
    op.create_index(op.f("ix_meetings_change_seq"), "meetings", ["change_seq"])
    op.create_table(
        "agenda_items",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("section", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("dossier_id", sa.Uuid(), nullable=True),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("proposer_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("carried_from_id", sa.Uuid(), nullable=True),
        sa.Column("action_id", sa.Uuid(), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_agenda_items_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_agenda_items_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"], ["staff.id"], name=op.f("fk_agenda_items_proposer_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    for column in ("meeting_id", "dossier_id", "carried_from_id", "action_id", "change_seq"):
        op.create_index(op.f(f"ix_agenda_items_{column}"), "agenda_items", [column])
    op.create_table(
        "agenda_outcomes",
        sa.Column("dossier_id", sa.Uuid(), nullable=True),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_office_id", sa.Uuid(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("flag_number", sa.Integer(), nullable=True),
        sa.Column("moved_to", sa.String(length=40), nullable=True),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_agenda_outcomes_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["agenda_items.id"], name=op.f("fk_agenda_outcomes_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(
            ["owner_office_id"],
            ["offices.id"],
            name=op.f("fk_agenda_outcomes_owner_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["staff.id"], name=op.f("fk_agenda_outcomes_owner_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["staff.id"], name=op.f("fk_agenda_outcomes_recorded_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_outcomes")),
    )
    for column in ("dossier_id", "item_id", "change_seq"):
        op.create_index(op.f(f"ix_agenda_outcomes_{column}"), "agenda_outcomes", [column])


def downgrade() -> None:
    op.drop_table("agenda_outcomes")
    op.drop_table("agenda_items")
    op.drop_table("meetings")
