"""Where this workstation keeps its database, settings and logs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Raccordo"
DB_FILE = "raccordo.sqlite3"


REPLICA_FILE = "replica.sqlite3"


@dataclass(frozen=True)
class Workstation:
    home: Path
    db_url: str
    # Connected to a shared server (``raccordo connect``): db_url is the local replica.
    server_user: str | None = None

    @property
    def is_replica(self) -> bool:
        return self.server_user is not None

    @property
    def is_embedded(self) -> bool:
        return self.db_url.startswith("sqlite")


def resolve(home: str | None = None, db: str | None = None) -> Workstation:
    """``--home``/RACCORDO_HOME and ``--db``/RACCORDO_DB; defaults to the user data folder."""
    from models.dbinfo import normalise_url

    chosen = home or os.environ.get("RACCORDO_HOME")
    if chosen is None:
        from platformdirs import user_data_dir

        chosen = user_data_dir(APP_NAME, False)
    home_dir = Path(chosen).expanduser()
    database = db or os.environ.get("RACCORDO_DB")
    if database is None:
        from desktop.settings import load

        settings = load(home_dir)
        server_user = settings.get("server.user")
        if server_user and settings.get("server.url"):
            replica = normalise_url(str(home_dir / REPLICA_FILE))
            return Workstation(home=home_dir, db_url=replica, server_user=server_user)
    database = database or str(home_dir / DB_FILE)
    return Workstation(home=home_dir, db_url=_supported(normalise_url(database)))


SUPPORTED_URLS = ("sqlite:///", "postgresql+psycopg://")


def _supported(url: str) -> str:
    """The database URL, or a refusal naming what is wrong with it, before any driver
    is loaded: only SQLite files and PostgreSQL servers are databases here."""
    from models.errors import ValidationError

    if not url.startswith(SUPPORTED_URLS):
        scheme = url.split("://", 1)[0][:20]
        raise ValidationError(
            {"db": f"database «{scheme}» non supportato: un file SQLite o postgresql://…"}
        )
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :].split("?", 1)[0])
        if path.is_dir():
            raise ValidationError({"db": f"{path} è una cartella: --db vuole il file del database"})
    return url
