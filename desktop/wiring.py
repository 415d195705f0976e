"""Builds the pieces a running Raccordo needs from a workstation's configuration."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from desktop.config import Workstation
from models.db import ensure_schema, make_engine
from models.offices import Staff
from models.uow import Database


def open_database(
    workstation: Workstation, today: Callable[[], date] = date.today, migrate: bool = True
) -> Database:
    """The workstation's database, created and migrated on first use."""
    if workstation.is_replica:
        from desktop.connection import open_replica

        return open_replica(workstation.home, today)
    engine = make_engine(workstation.db_url)
    if migrate and workstation.is_embedded:
        from desktop.backup import backup_before_upgrade

        backup_before_upgrade(engine, workstation.home)
    if migrate and ensure_schema(engine):
        from models.seed import initialise  # only a new or upgraded database needs it

        initialise(Database(engine, today))
    return Database(engine, today)


def default_username(database: Database, explicit: str | None) -> str:
    """``--user``, else RACCORDO_USER, else the login name when it is a staff member."""
    if explicit:
        return explicit
    if from_env := os.environ.get("RACCORDO_USER"):
        return from_env
    login = getpass.getuser().lower()
    with database.sessions() as session:
        if session.scalar(select(Staff.id).where(Staff.username == login)):
            return login
    return login  # unknown: the unit of work refuses it, naming the known users
