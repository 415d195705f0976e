"""Alembic environment: runs on the connection Raccordo hands over (or a URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import models.schema  # noqa: F401 - registers every table on Base.metadata
from models.base import Base

SEARCH_OBJECTS = ("dossier_search", "ix_dossiers_search_trgm")
config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as own_connection:
            _run(own_connection)
        return
    _run(connection)


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    """Search structures made by hand in migration 0002 are not in the models."""
    return not (name or "").startswith(SEARCH_OBJECTS)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
