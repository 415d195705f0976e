"""What every command handler gets: parsed options and the database, opened once."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from desktop.config import Workstation, resolve
from models.errors import ValidationError
from models.text import parse_day_or_today

if TYPE_CHECKING:
    from models.read.dossiers import DossierReads
    from models.uow import Database, UnitOfWork


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    @cached_property
    def workstation(self) -> Workstation:
        return resolve(self.args.home, self.args.db)

    @cached_property
    def database(self) -> Database:
        from desktop.wiring import open_database  # SQLAlchemy: not for --help or --version

        return open_database(self.workstation)

    @cached_property
    def username(self) -> str:
        from desktop.wiring import default_username

        if self.workstation.server_user and not self.args.user:
            return self.workstation.server_user  # a replica acts as the server's login role
        return default_username(self.database, self.args.user)

    @contextmanager
    def light_reads(self) -> Iterator[DossierReads | None]:
        """The light read path (``models.read``) on this workstation's database, or None
        when it cannot serve (no database yet, a schema to upgrade): then ``read()``."""
        from models.read.connection import open_reader
        from models.read.dossiers import DossierReads, default_username, load_viewer

        reader = open_reader(self.workstation.db_url)
        if reader is None:
            yield None
            return
        with reader:
            if self.workstation.server_user and not self.args.user:
                username = self.workstation.server_user
            else:
                username = default_username(reader, self.args.user)
            yield DossierReads(reader, load_viewer(reader, username), date.today())

    def read(self) -> UnitOfWork:
        return self.database.unit_of_work(self.username)

    def reference(self) -> UnitOfWork:
        """For reference data everyone may read (types, offices): no acting user needed."""
        return self.database.unit_of_work(None)

    def write(self) -> UnitOfWork:
        return self.database.unit_of_work(self.username, write=True)

    def on(self, value: str | None) -> date:
        try:
            return parse_day_or_today(value, self.database.today())
        except ValueError as error:
            raise ValidationError({"on": str(error)}) from None
