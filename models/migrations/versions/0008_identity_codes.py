"""Identity codes stored compact: nothing to rewrite (a deliberate no-op).

From this version a partita IVA typed as ``IT 00743110157`` or ``007.431.101.57`` is
accepted and stored as its 11 digits, and omocodic codici fiscali are read correctly
(models/identity_codes.py). No stored value needs rewriting: every path that writes
a dossier (the form, the command line, the list import, the sync, which applies rows
the server took from the same checks) has always stored what python-stdnum's
``validate`` returned, which is the compact code, and refused the written-out forms
instead of storing them. Omocodic codes were already stored as issued. The revision
stays in the chain so that the schema's history says when the rules changed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
