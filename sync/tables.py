"""Which columns of the synced tables (``models.sync_registry``) the sync sends and compares."""

from __future__ import annotations

# Kept by the database itself: never sent, never compared.
BOOKKEEPING = frozenset({"version", "created_at", "updated_at", "change_seq"})
# Recomputed on the server after applying (models.deadlines.refresh_derived and the
# search key): sent with an insert as a first value, never as an update, never a conflict.
DERIVED: dict[str, frozenset[str]] = {
    "dossiers": frozenset(
        {
            "search_key",
            "deadline",
            "clock_state",
            "suspended_days",
            "open_flags",
            "closed_on",
            "holder",
            "holder_office_id",
            "held_sui_days",
            "held_questura_days",
            "held_applicant_days",
        }
    ),
}

# The rows a dossier's derived columns are computed from: a push writing only other rows
# of a dossier (its documents) leaves them as they are (the server accepts a change to
# them only together with the dossier's history).
CLOCK_INPUTS = frozenset({"dossiers", "dossier_events", "flags", "pareri"})


def derived(name: str) -> frozenset[str]:
    return DERIVED.get(name, frozenset())
