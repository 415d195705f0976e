"""Where this workstation keeps its database, settings and logs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Raccordo"
DB_FILE = "raccordo.sqlite3"


@dataclass(frozen=True)
class Workstation:
    home: Path
    db_url: str

    @property
    def is_embedded(self) -> bool:
        return self.db_url.startswith("sqlite")


def resolve(home: str | None = None, db: str | None = None) -> Workstation:
    """``--home``/RACCORDO_HOME and ``--db``/RACCORDO_DB; defaults to the user data folder."""
    from models.db import normalise_url

    chosen = home or os.environ.get("RACCORDO_HOME")
    if chosen is None:
        from platformdirs import user_data_dir

        chosen = user_data_dir(APP_NAME, False)
    home_dir = Path(chosen)
    database = db or os.environ.get("RACCORDO_DB") or str(home_dir / DB_FILE)
    return Workstation(home=home_dir.expanduser(), db_url=normalise_url(database))
