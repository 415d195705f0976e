"""Which tables the sync moves: every ``Synced`` model, parents before children.

The domain's own list (the conflicts service looks rows up in it); what the sync layer
does with each table's columns stays in ``sync.tables``.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Table

import models.schema  # noqa: F401 - every mapped class, so the metadata is complete
from models.base import Base, Synced


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
