"""What commands know of the database before opening it: its URL and the schema's revision.

Nothing here imports SQLAlchemy, so the light read path (``models.read``) can use it.
"""

from __future__ import annotations

from pathlib import Path

# The newest Alembic revision; a test keeps it equal to the scripts' head, so everyday
# commands can check the schema without importing Alembic.
SCHEMA_HEAD = "0019"


def normalise_url(db: str) -> str:
    """Accept a SQLAlchemy URL, ``postgresql://…`` or a plain file path."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db
