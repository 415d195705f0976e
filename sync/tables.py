"""Which tables the sync moves, in foreign-key order, and which of their columns."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Table

import models.schema  # noqa: F401 - every mapped class, so the metadata is complete
from models.base import Base, Synced

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


@cache
def synced_tables() -> tuple[Table, ...]:
    """Every table of a ``Synced`` model, parents before children."""
    names = set(synced_models())
    return tuple(table for table in Base.metadata.sorted_tables if table.name in names)


@cache
def synced_models() -> dict[str, type[Synced]]:
    return {
        str(mapper.local_table.name): mapper.class_  # type: ignore[attr-defined]
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, Synced)
    }


def table(name: str) -> Table:
    for candidate in synced_tables():
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def derived(name: str) -> frozenset[str]:
    return DERIVED.get(name, frozenset())
