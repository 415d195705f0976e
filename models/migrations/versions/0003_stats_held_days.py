"""Time by holder stored on each dossier, and narrow indexes for the statistics (issue 6).

``held_sui_days``, ``held_questura_days``, ``held_applicant_days``: the days a closed
file spent with each party, as ``models/clock.py`` counts them (each state entered lasts
until the next one, cut at the closing date); 0 while the file is open. Existing closed
dossiers are filled from their history here; from now on ``refresh_derived`` keeps them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

HELD_COLUMNS = {
    "sui": "held_sui_days",
    "questura": "held_questura_days",
    "applicant": "held_applicant_days",
}
STATS_INDEX = "ix_dossiers_stats"
STATS_INDEX_COLUMNS = [
    "closed_on",
    "filed_on",
    "suspended_days",
    "deadline",
    "procedure_type_id",
    "protocol_office_id",
    "deleted_at",
    "restricted",
    *HELD_COLUMNS.values(),
]
PARERI_INDEX = "ix_pareri_stats"
PARERI_INDEX_COLUMNS = ["requested_on", "given_on", "deleted_at"]
BY_ID_INDEX = "ix_dossiers_stats_by_id"
BY_ID_INDEX_COLUMNS = [
    "id",
    "deleted_at",
    "restricted",
    "filed_on",
    "closed_on",
    "procedure_type_id",
    "protocol_office_id",
]


def _days(dialect: str, later: str, earlier: str) -> str:
    if dialect == "sqlite":
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def fill_held_days(connection: sa.Connection) -> None:
    """Days per holder of every closed dossier, from its state changes (one statement).

    The same counting as ``compute_clock``: the states entered (events whose state
    belongs to the type's workflow), ordered by effective date and entry order; each
    lasts until the next change or the closing date, whichever comes first.
    """
    dialect = connection.dialect.name
    spans = (
        "SELECT e.dossier_id, s.holder, e.effective_on, d.closed_on, "
        "LEAD(e.effective_on) OVER (PARTITION BY e.dossier_id "
        "ORDER BY e.effective_on, e.seq) AS next_on "
        "FROM dossier_events e "
        "JOIN dossiers d ON d.id = e.dossier_id "
        "JOIN workflow_states s ON s.procedure_type_id = d.procedure_type_id "
        "AND s.code = e.to_state AND s.deleted_at IS NULL "
        "WHERE e.deleted_at IS NULL AND d.closed_on IS NOT NULL"
    )
    until = "CASE WHEN next_on IS NULL OR next_on > closed_on THEN closed_on ELSE next_on END"
    days = _days(dialect, until, "effective_on")
    sums = ", ".join(
        f"SUM(CASE WHEN holder = '{party}' AND {days} > 0 THEN {days} ELSE 0 END) AS {party}"
        for party in HELD_COLUMNS
    )
    assignments = ", ".join(f"{column} = held.{party}" for party, column in HELD_COLUMNS.items())
    connection.execute(
        sa.text(
            f"UPDATE dossiers SET {assignments} "
            f"FROM (SELECT dossier_id, {sums} FROM ({spans}) AS spans GROUP BY dossier_id) AS held "
            "WHERE dossiers.id = held.dossier_id"
        )
    )


def upgrade() -> None:
    for column in HELD_COLUMNS.values():
        # Not in a batch: SQLite adds a column with a constant default without copying.
        op.add_column(
            "dossiers", sa.Column(column, sa.Integer(), nullable=False, server_default="0")
        )
    fill_held_days(op.get_bind())
    op.create_index(STATS_INDEX, "dossiers", STATS_INDEX_COLUMNS)
    op.create_index(BY_ID_INDEX, "dossiers", BY_ID_INDEX_COLUMNS)
    op.create_index(PARERI_INDEX, "pareri", PARERI_INDEX_COLUMNS)


def downgrade() -> None:
    op.drop_index(PARERI_INDEX, table_name="pareri")
    op.drop_index(BY_ID_INDEX, table_name="dossiers")
    op.drop_index(STATS_INDEX, table_name="dossiers")
    for column in HELD_COLUMNS.values():
        # SQLite >= 3.35 drops a column in place; a batch copy would lose the search triggers.
        op.drop_column("dossiers", column)
