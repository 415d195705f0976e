"""Migrations: one head, idempotent upgrades, and a schema identical to the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select

import models.schema  # noqa: F401
from models.base import Base
from models.db import MIGRATIONS_DIR, SCHEMA_HEAD, current_revision, ensure_schema, make_engine
from models.procedures import ProcedureType
from models.seed import initialise
from models.uow import Database

SEARCH_INDEXES = (
    "dossier_search",
    "ix_dossiers_search_trgm",
    "document_text_search",
    "ix_documents_text_trgm",
)


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == [SCHEMA_HEAD]


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # The search indexes are raw SQL of their migrations (FTS5, pg_trgm),
                # not models: the dossiers' and the documents' text.
                "include_object": lambda _o, name, *_: not (name or "").startswith(SEARCH_INDEXES),
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_init_is_idempotent(engine: Engine) -> None:
    database = Database(engine)
    assert ensure_schema(engine) is False
    assert initialise(database) == []
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcedureType)) == 10
    assert current_revision(engine) == SCHEMA_HEAD


def test_first_use_creates_and_migrates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "raccordo.sqlite3"
    engine = make_engine(str(path))
    assert current_revision(engine) is None
    assert ensure_schema(engine) is True
    assert path.exists() and current_revision(engine) == SCHEMA_HEAD
